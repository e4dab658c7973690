"""Where a project's repository starts: the folder reported paths and local sources hang from."""

from __future__ import annotations

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
