"""The install a user gets from the README: what it needs is declared where old pips see it."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent


def _runtime_requirements(dist: str, extras: frozenset[str] = frozenset()) -> list[Requirement]:
    wanted = []
    for line in metadata.requires(dist) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in extras or {""}):
            wanted.append(requirement)
    return wanted


def test_every_package_reached_through_an_extra_is_declared_directly() -> None:
    """The pip that Python 3.11 and 3.12 venvs ship (23.2) does not match an extra spelled
    with "_" to one published with "-" (jusText asks for lxml[html_clean], lxml offers
    html-clean), so what an extra would bring must be named in our own dependencies."""
    declared = {canonicalize_name(r.name) for r in _runtime_requirements("verifier")}
    missing: set[str] = set()
    seen: set[str] = set()
    pending = [(r.name, frozenset()) for r in _runtime_requirements("verifier")]
    while pending:
        name, extras = pending.pop()
        key = f"{canonicalize_name(name)}{sorted(extras)}"
        if key in seen:
            continue
        seen.add(key)
        for requirement in _runtime_requirements(name, extras):
            if requirement.extras:
                base = canonicalize_name(requirement.name)
                for via_extra in _runtime_requirements(requirement.name, requirement.extras):
                    brought = canonicalize_name(via_extra.name)
                    if via_extra.marker is not None and brought not in declared:
                        missing.add(f"{brought} (from {base}{sorted(requirement.extras)})")
            pending.append((requirement.name, frozenset(requirement.extras)))
    assert not missing, f"declare these in pyproject.toml: {sorted(missing)}"


def test_the_extracting_stack_imports() -> None:
    """The import that failed on a fresh install with pip 23.2 (trafilatura -> jusText ->
    lxml.html.clean)."""
    import trafilatura  # noqa: F401


def test_the_readme_states_the_supported_pip() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"pip that `python3 -m venv` ships with Python 3\.11 and 3\.12", readme)
