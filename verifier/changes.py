"""Which files changed since a git ref: what `--changed-since REF` limits a run to.

Only git is asked; nothing here reads or writes the working tree. Changed means: differs
between REF and the working tree (committed, staged or not), or is new and untracked.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from verifier.errors import InputError


def _git(base_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(base_dir), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise InputError(
            "--changed-since needs git, and git is not installed", hint="install git"
        ) from None


def changed_files(ref: str, base_dir: Path) -> set[str]:
    """Paths (relative to `base_dir`, POSIX style) changed since `ref` or untracked.

    Raises InputError when `base_dir` is not in a git work tree or `ref` names no commit.
    """
    inside = _git(base_dir, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise InputError(
            f"--changed-since needs a git repository, and {base_dir.resolve()} is not in one",
            hint="run without --changed-since to check every claim",
        )
    resolved = _git(base_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if resolved.returncode != 0:
        raise InputError(
            f"--changed-since {ref}: no such commit, branch or tag in this repository",
            hint="give an existing ref, e.g. origin/main or HEAD~1 (in CI, fetch enough history)",
        )
    commit = resolved.stdout.strip()
    # -z: names are NUL-separated and never quoted, whatever characters they hold.
    diff = _git(base_dir, "diff", "--name-only", "--relative", "-z", commit, "--")
    untracked = _git(base_dir, "ls-files", "--others", "--exclude-standard", "-z")
    for listing in (diff, untracked):
        if listing.returncode != 0:
            raise InputError(f"git failed: {listing.stderr.strip()}", path=str(base_dir))
    return {name for listing in (diff, untracked) for name in listing.stdout.split("\0") if name}
