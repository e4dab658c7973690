"""Which files in the reports folder are verifier's to replace: never one it did not write.

With `settings.reports_dir: .` the reports share a folder with the user's own files: an
index.md, or the article README.md whose page would be README.md. Before anything is
written, every file a run is about to write that already exists must be verifier's: listed
in the manifest of the last run (pagekeys), or looking the way verifier's files look (a
page opening with GENERATED_MARKER, an index.md written before the marker existed opening
with its "# Citation report" title, a results.json holding the results document's
"claims" list). Otherwise the run stops with an InputError (exit 3) and writes nothing.

On a case-insensitive file system "readme.md" is README.md: `exists()` sees it, and the
first line read is the user's, so the same check holds there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from verifier.errors import InputError
from verifier.files import read_regular
from verifier.report.markdown import GENERATED_MARKER

_LEGACY_INDEX_HEAD = "# Citation report"
"""index.md before GENERATED_MARKER: replaced once, then it carries the marker."""


def check_writable(out_dir: Path, names: Iterable[str], manifest: Mapping[str, str]) -> None:
    """InputError naming the first of `names` (paths relative to `out_dir`) that exists and
    is not verifier's; nothing has been written when it is raised."""
    foreign = [name for name in names if name not in manifest and _foreign(out_dir / name)]
    if not foreign:
        return
    more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
    raise InputError(
        f"exists and was not written by verifier; no report was written{more}",
        path=str(out_dir / foreign[0]),
        hint="point settings.reports_dir at a folder of its own (the default is reports), "
        "or move the file",
    )


def _foreign(path: Path) -> bool:
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return False
    except OSError:  # a folder, a device or a FIFO where a report goes is not ours
        return True
    if path.suffix == ".json":
        return not _is_results_document(data)
    head = data[: len(GENERATED_MARKER.encode("utf-8"))].decode("utf-8", "replace")
    if path.name == "index.md" and head.startswith(_LEGACY_INDEX_HEAD):
        return False
    return head != GENERATED_MARKER


def _is_results_document(data: bytes) -> bool:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(document, dict) and isinstance(document.get("claims"), list)
