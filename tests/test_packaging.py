"""The install a user gets from the README: what it needs is declared where old pips see it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
DISTRIBUTION = "citation-verifier"
"""The name on the package index ("verifier" there is someone else's project)."""


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
    declared = {canonicalize_name(r.name) for r in _runtime_requirements(DISTRIBUTION)}
    missing: set[str] = set()
    seen: set[str] = set()
    pending = [(r.name, frozenset()) for r in _runtime_requirements(DISTRIBUTION)]
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


def test_the_distribution_is_named_apart_from_the_command_and_the_import_package() -> None:
    distribution = metadata.distribution(DISTRIBUTION)
    scripts = {e.name: e.value for e in distribution.entry_points if e.group == "console_scripts"}
    assert list(scripts) == ["verifier"]
    assert scripts["verifier"].split(".")[0] == "verifier"


def test_the_metadata_names_license_authors_classifiers_and_project_urls() -> None:
    fields = metadata.metadata(DISTRIBUTION)
    assert fields["License-Expression"] == "MIT"
    assert "LICENSE" in (fields.get_all("License-File") or [])
    assert fields["Author"] or fields["Author-email"]
    classifiers = fields.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers
    urls = dict(entry.split(", ", 1) for entry in fields.get_all("Project-URL") or [])
    assert {"Homepage", "Issues", "Changelog"} <= urls.keys()
    assert all(url.startswith("https://") for url in urls.values())


def _sdist_tree(destination: Path) -> Path:
    """A copy of what `python -m build --sdist` reads, without caches or virtualenvs."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "__pycache__", ".*_cache", "build", "dist", ".tools"
    )
    tree = destination / "tree"
    shutil.copytree(REPO, tree, ignore=ignore)
    return tree


def test_the_sdist_carries_the_tests_their_fixtures_and_the_example(tmp_path: Path) -> None:
    """The tests pass from an unpacked sdist only if it holds every file they read."""
    tree = _sdist_tree(tmp_path)
    out = tmp_path / "dist"
    build = (
        "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", build, str(out)],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    archive_name = completed.stdout.strip().splitlines()[-1]
    with tarfile.open(out / archive_name) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    wanted = {
        path.relative_to(tree).as_posix()
        for folder in ("tests", "examples")
        for path in (tree / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    wanted |= {"LICENSE", "README.md", "claims.yaml", "action.yml", "pyproject.toml"}
    assert wanted - members == set()
