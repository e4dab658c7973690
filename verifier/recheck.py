"""An unchanged re-check: the last pass's findings, carried instead of made again.

A pass's findings are a function of its inputs: the verifier's code and the libraries it
runs with, the settings, the claims (claims.yaml's text), and each cited source as read.
When every source is a local file, all of them can be named cheaply, so after a pass the
hash of its inputs is saved (`.verifier-cache/last-pass-*.json`) together with the state of
reports/ as the pass left it. A later pass whose inputs hash the same, and which finds
reports/ untouched since, has nothing to read or score: its findings are those in
reports/results.json, and it carries them all, exactly as a `--changed-since` run carries
the articles it does not check (`report.write_reports` with no article checked). The
reports, the printed document, the annotations and the gate then come from them as from
any pass; only the generation time and "since last run" are new.

A file counts as unchanged, as make and git decide it, when its device, inode, size,
mode, modification and status-change times (in nanoseconds) are as the pass found them,
and its folder resolves to the same real path (a symlink swapped in would move a source
outside the project). A file modified within the last two seconds could change again
within the same timestamp tick without its size changing ("racy git"), so while any
source is that fresh nothing is saved or reused. The sources' states are taken before the
pass reads them: a source that changes while the pass runs leaves a key no later pass has.

Web sources are never carried this way (a pass fetches what is not archived, and tries a
failed fetch again), nor is a pass on a cluster: both simply run in full. The memo is
written after the reports, so an interrupted run leaves the previous memo, whose key
still names the reports/ the previous pass left (this run changed them: no match).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import site
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from stat import S_ISLNK
from typing import Any

from verifier import __version__, pipeline
from verifier.fetch.fileurls import is_local, path_of
from verifier.files import RACY_NS, read_regular, write_atomically
from verifier.ledger import cache as ledger_cache
from verifier.model import Claim, ExtractionWarning
from verifier.report import pagekeys
from verifier.repository import Boundary
from verifier.settings import Policy, Settings

MEMO_PREFIX = "last-pass-"
MEMO_FORMAT = 1
_CACHES = ("local-text.", "derived-text.")
"""Files in the archive folder that are caches of the record, rewritten by passes."""


@dataclass(frozen=True)
class LastPass:
    """What a carried re-check needs, saved by the pass it carries (functions of
    claims.yaml's text, which is part of the key)."""

    warnings: list[ExtractionWarning]
    """The warnings about claims.yaml the pass gave (acceptances without their pin)."""
    ledger_lines: dict[str, int]
    """The claims.yaml line of each hand-written claim's text (`Locations.ledger_lines`)."""
    claims: int
    """How many findings the pass reported: a re-check must carry as many."""


class PassMemo:
    """The key of a pass's inputs, and what the last pass with those inputs left.

    memo = PassMemo.of(ledger_path, ledger.content_key, settings, offline=...)
                                       # None: no cache folder, or a cluster
    last = memo.unchanged()            # before reading anything: the last pass, when
                                       # nothing changed since; else None
    memo.observe(claims)               # otherwise, before the pass reads its sources
    ... the pass, the reports ...
    memo.save(last)                    # after the reports (nothing when an input could not
                                       # be named)
    """

    def __init__(self, path: Path, inputs: str, base_dir: Path, settings: Settings) -> None:
        self.path = path
        self._inputs = inputs
        self._base_dir = base_dir
        self._archive_dir = base_dir / settings.archive_dir
        self._reports_dir = base_dir / settings.reports_dir
        self._sources: list[str] | None = None
        """The cited files, as the reader opens them; None until observed, or when a source
        is on the web."""
        self._states: str | None = None
        """A digest of the sources' states (a list of them is ten megabytes at 30,000)."""

    @classmethod
    def of(
        cls, ledger_path: Path, ledger_key: str, settings: Settings, *, offline: bool
    ) -> PassMemo | None:
        """The memo beside this ledger (`ledger_key`: `Ledger.content_key`); None when caching
        is off or the pass runs on a cluster."""
        directory = ledger_cache.cache_dir(ledger_path)
        if directory is None or settings.cluster:
            return None
        base_dir = ledger_path.parent
        ledger_file = os.path.abspath(ledger_path)
        named = [
            MEMO_FORMAT,
            code_version(),
            sys.version,  # the standard library reads pages too (html.parser, unicodedata)
            installed_distributions(),
            # The gate's policy only judges findings, so --fail-on keeps the key.
            repr(replace(settings, policy=Policy())),
            offline,
            os.path.abspath(base_dir),
            repr(Boundary.of(base_dir, settings.fetch.allow_paths)),
            ledger_file,
            ledger_key,
        ]
        inputs = hashlib.sha256(json.dumps(named).encode("utf-8")).hexdigest()
        # One memo per ledger, as the ledger cache has: two ledgers in a folder, or one
        # cache folder for several projects, do not take turns replacing it.
        name = hashlib.sha1(ledger_file.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return cls(directory / f"{MEMO_PREFIX}{name}.json", inputs, base_dir, settings)

    def unchanged(self) -> LastPass | None:
        """What the last pass left, when its inputs and reports/ are as it left them."""
        try:
            memo = json.loads(read_regular(self.path))
            if memo["format"] != MEMO_FORMAT:
                return None
            sources = [str(path) for path in memo["sources"]]
            last = LastPass(
                [ExtractionWarning(str(a), int(n), str(m)) for a, n, m in memo["warnings"]],
                {str(claim_id): int(line) for claim_id, line in memo["ledger_lines"].items()},
                int(memo["claims"]),
            )
            self._sources, self._states = sources, _sources_digest(sources)
            key = memo["key"]
        except (OSError, LookupError, TypeError, ValueError, AttributeError, ArithmeticError):
            return None  # no memo yet, or a damaged one: the pass runs in full
        except RecursionError:
            return None  # nested past the parser's depth: damaged too
        return last if isinstance(key, str) and self._key() == key else None

    def observe(self, claims: Sequence[Claim]) -> None:
        """Note the claims' sources as they are now, before the pass reads them."""
        self._sources = _cited_files(claims, self._base_dir)
        self._states = _sources_digest(self._sources) if self._sources is not None else None

    def save(self, last: LastPass) -> None:
        """Keep the key of this pass's inputs with reports/ as it left them, for the next."""
        key = self._key()
        if key is None:
            return  # an older memo stays: its key names the reports/ this pass replaced
        memo = {
            "format": MEMO_FORMAT,
            "key": key,
            "warnings": [[w.article, w.line, w.message] for w in last.warnings],
            "ledger_lines": last.ledger_lines,
            "claims": last.claims,
            "sources": self._sources,
        }
        with contextlib.suppress(OSError):
            ledger_cache.ensure_cache_dir(self.path.parent)
            # ASCII: a file name that is not UTF-8 (surrogate escapes) is written escaped.
            write_atomically(self.path, json.dumps(memo), durable=False)

    def _key(self) -> str | None:
        if self._states is None:
            return None
        named = [
            self._inputs,
            self._states,
            _folder_state(self._archive_dir, skip=_CACHES, prune=self.path.parent),
            _reports_state(self._reports_dir),
        ]
        return hashlib.sha256(json.dumps(named).encode("utf-8")).hexdigest()


# -- what the pass is made from ------------------------------------------------------------


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every file of the installed verifier package: any change to the code that
    reads, scores or combines (not only a new version number) makes a new key."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    root = Path(__file__).parent
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder, name)
            try:
                data = path.read_bytes()
            except OSError:
                continue  # not code (an editor's dangling lock link, say)
            relative = path.relative_to(root).as_posix()
            digest.update(relative.encode("utf-8", "surrogatepass") + b"\0" + data)
    return digest.hexdigest()


def installed_distributions() -> list[str]:
    """The distributions installed where this interpreter imports them from, by the names
    of their metadata folders (which carry the versions): installing or upgrading a library
    that reads pages (an extractor, PDF support) changes what a pass finds. Only the site
    folders: the rest of sys.path depends on where the command was started."""
    names: list[str] = []
    for folder in sorted({*site.getsitepackages(), site.getusersitepackages()}):
        with contextlib.suppress(OSError):
            listed = os.listdir(folder)
            names += sorted(name for name in listed if name.endswith((".dist-info", ".egg-info")))
    return names


def _cited_files(claims: Sequence[Claim], base_dir: Path) -> list[str] | None:
    """Each file the claims cite, as the reader opens it; None when one is on the web."""
    files: list[str] = []
    for location in pipeline.locations(claims, pipeline.SourceLocator(base_dir)):
        if not is_local(location):
            return None
        try:
            files.append(os.fspath(path_of(location)))
        except ValueError as error:  # InvalidURL too: the reader reports it so
            files.append(f"invalid {location}: {error}")
    return files


def _sources_digest(files: Sequence[str]) -> str | None:
    """A digest of each file as it is now and the real path of each folder holding one;
    None when a file is too fresh to be trusted (see RACY_NS)."""
    now = time.time_ns()
    folders: dict[str, str] = {}
    digest = hashlib.sha256()
    for path in files:
        folder = os.path.dirname(path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        state = _file_state(path, now)
        if state is None:
            return None
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0" + state + b"\0")
    digest.update(json.dumps(sorted(folders.items())).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _file_state(path: str, now: int) -> bytes | None:
    try:
        status = os.lstat(path)
        statuses = [status]
        if S_ISLNK(status.st_mode):
            # A symlink: where it leads decides whether it may be read, and what is read.
            statuses.append(os.stat(path))
    except (OSError, ValueError) as error:
        return f"error {getattr(error, 'errno', None)}".encode()  # reported from the error
    state = b"".join(_stat_fields(entry) for entry in statuses)
    if len(statuses) > 1:
        state += os.path.realpath(path).encode("utf-8", "surrogatepass")
    for entry in statuses:
        if now - max(entry.st_mtime_ns, entry.st_ctime_ns) < RACY_NS:
            return None
    return state


def _stat_fields(status: os.stat_result) -> bytes:
    return b"%d %d %d %d %d %d;" % (
        status.st_mode,
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


def _folder_state(folder: Path, skip: tuple[str, ...], prune: Path) -> list[Any]:
    """Whether the folder exists, and every file under it (but those named `skip*`, and the
    folder `prune`, where the memo itself is written) as stat fields: any write there makes
    a new key."""
    entries: list[Any] = [folder.is_dir()]
    pruned = os.path.abspath(prune)
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(
            name for name in subfolders if os.path.abspath(os.path.join(parent, name)) != pruned
        )
        for name in sorted(names):
            if name.startswith(skip):
                continue
            path = os.path.join(parent, name)
            with contextlib.suppress(OSError):
                entries.append([path, _stat_fields(os.lstat(path)).decode()])
    return entries


def _reports_state(folder: Path) -> list[Any]:
    """Every file the reports writer owns in `folder` (its manifest, and each file the
    manifest names: index, results.json, pages) as stat fields, or the error reading it. Not
    the whole folder: reports_dir may be the project itself."""
    state: list[Any] = []
    for name in [pagekeys.MANIFEST, *sorted(pagekeys.read_manifest(folder))]:
        try:
            state.append([name, _stat_fields(os.lstat(folder / name)).decode()])
        except (OSError, ValueError) as error:
            state.append([name, getattr(error, "errno", None)])
    return state
