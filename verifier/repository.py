"""Where the project is: the ledger a command works on, the repository its paths are in, and
the boundary of what claims.yaml may make it read.

A command run in a subfolder finds claims.yaml the way git, pre-commit and lychee find their
files: in the working directory or the nearest folder above it, never above the repository
root. `VERIFIER_LEDGER` names it outright. Paths that a forge attaches to a file (SARIF,
JUnit, GitHub annotations) are relative to the repository root, wherever the command ran.

claims.yaml and the articles are written by whoever edits the repository, which in CI may
be a pull request from anyone. A path they name (a local source, an `articles:` glob) is
read only when its real path (symlinks followed) lies inside the ledger's repository (its
folder, outside git) or a folder the settings add, so an edit cannot make the reports print
the machine's own files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

LEDGER_NAME = "claims.yaml"
LEDGER_VARIABLE = "VERIFIER_LEDGER"


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `.git` (a folder, or the file a
    worktree or submodule has); None outside any repository."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def find_ledger(cwd: Path, environ: Mapping[str, str]) -> Path:
    """The ledger when no --ledger is given: $VERIFIER_LEDGER, else claims.yaml in `cwd` or
    the nearest folder above it within its repository (outside one, `cwd` only); else
    claims.yaml in `cwd`, which may not exist yet (`extract` creates it)."""
    named = environ.get(LEDGER_VARIABLE)
    if named:
        return Path(named)
    folder = cwd.resolve()
    root = repository_root(folder)
    # Outside a repository there is no natural place to stop: only the working directory.
    searched = (folder,) if root is None else (folder, *folder.parents)
    for candidate in searched:
        if (candidate / LEDGER_NAME).is_file():
            return _shortest(candidate / LEDGER_NAME, cwd)
        if candidate == root:
            break
    return Path(LEDGER_NAME)


def _shortest(path: Path, cwd: Path) -> Path:
    """`path` relative to `cwd` when that is how a person would write it ("../claims.yaml")."""
    return Path(os.path.relpath(path, cwd.resolve()))


def path_in_repository(path: Path) -> str:
    """`path` as a forge names it: relative to the repository root, POSIX style; outside any
    repository, relative to the path's own folder (its name)."""
    folder = path.parent.resolve()  # the file itself may be a symlink: name the link
    root = repository_root(folder)
    if root is None:
        return path.name
    return (folder / path.name).relative_to(root).as_posix()


@dataclass(frozen=True)
class Boundary:
    """The folders a project's inputs may be read from, as real paths."""

    roots: tuple[str, ...]

    @classmethod
    def of(cls, ledger_dir: Path, extra_folders: Iterable[str] = ()) -> Boundary:
        """The ledger's repository (outside one, its folder), plus `extra_folders` (relative
        to `ledger_dir`, or absolute)."""
        home = repository_root(ledger_dir) or ledger_dir.resolve()
        extra = (os.path.realpath(ledger_dir / folder) for folder in extra_folders)
        return cls((str(home), *extra))

    def holds(self, real_path: str) -> bool:
        """Whether `real_path` (already resolved, e.g. by os.path.realpath) is inside."""
        return any(
            real_path == root or real_path.startswith(root.rstrip(os.sep) + os.sep)
            for root in self.roots
        )
