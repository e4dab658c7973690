"""Where a project starts and ends: its repository, the boundary of what it may read.

claims.yaml and the articles are written by whoever edits the repository, which in CI may
be a pull request from anyone. A path they name (a local source, an `articles:` glob) is
read only when its real path (symlinks followed) lies inside the ledger's repository or a
folder the settings add, so an edit cannot make the reports print the machine's own files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def repository_root(ledger_dir: Path) -> Path:
    """The git work tree holding `ledger_dir`, or `ledger_dir` itself outside git.

    Found by looking upwards for a `.git` entry (a folder, or a file in a linked worktree or
    submodule), as git itself does, without running git: the answer is needed on every run,
    including where git is not installed.
    """
    start = ledger_dir.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


@dataclass(frozen=True)
class Boundary:
    """The folders a project's inputs may be read from, as real paths."""

    roots: tuple[str, ...]

    @classmethod
    def of(cls, ledger_dir: Path, extra_folders: Iterable[str] = ()) -> Boundary:
        """The ledger's repository, plus `extra_folders` (relative to `ledger_dir`)."""
        extra = (os.path.realpath(ledger_dir / folder) for folder in extra_folders)
        return cls((str(repository_root(ledger_dir)), *extra))

    def holds(self, real_path: str) -> bool:
        """Whether `real_path` (already resolved, e.g. by os.path.realpath) is inside."""
        return any(
            real_path == root or real_path.startswith(root.rstrip(os.sep) + os.sep)
            for root in self.roots
        )
