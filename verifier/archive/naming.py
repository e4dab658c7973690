"""Where a WARC file lives while it is written, and once it is complete.

A WARC file is written as `<name>.warc.gz.open` and renamed to `<name>.warc.gz` once its
last fetch is on disk, so a file with the final name is always whole: WARC tools (`warcio
check`, replay tools, WACZ export) only ever see complete files. Index entries name the
final file from the first fetch on; while the file is still open (or its run was killed
before finishing it) the entry's records are read from the open name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from verifier.files import open_regular

OPEN_SUFFIX = ".open"
COMPLETE_GLOB = "*.warc.gz"
OPEN_GLOB = "*.warc.gz" + OPEN_SUFFIX


def open_path(final: Path) -> Path:
    return final.with_name(final.name + OPEN_SUFFIX)


def final_path(path: Path) -> Path:
    """The complete name of a WARC file, whether `path` is that name or the open one."""
    return path.with_name(path.name.removesuffix(OPEN_SUFFIX))


def open_warc(root: Path, warc_file: str) -> BinaryIO:
    """The WARC file an index entry names (relative to `root`), complete or still open.

    Raises OSError as `open_regular` does when neither exists. The complete name is tried
    again last: a file renamed between the two first tries is found under it.
    """
    final = root / warc_file
    for path in (final, open_path(final)):
        try:
            return open_regular(path)
        except FileNotFoundError:
            continue
    return open_regular(final)


def exists(root: Path, warc_file: str) -> bool:
    final = root / warc_file
    return final.exists() or open_path(final).exists()


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
