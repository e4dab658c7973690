"""Reuse of matcher results: a claim checked against an unchanged source is not re-scored.

The key is the claim text (whitespace-normalised), a hash of the source's main text, and
the matcher version. The source's *text* rather than its payload digest is hashed on
purpose: it changes with the payload, and also when a new text extractor reads the same
bytes differently, which a digest alone would miss. The matcher version is a hash of the
matcher's own code and data, so any change to scoring invalidates every stored result.

    cache = ResultCache.for_ledger(ledger_path)      # .verifier-cache/results.json
    assess = cache.wrap(match.assess)                # same signature as match.assess
    ... check claims with `assess` ...
    cache.save()                                     # writes only when something was new
    cache.hits, cache.misses                         # what this run reused / computed
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.batch import paused_garbage_collection
from verifier.files import read_regular, write_atomically
from verifier.ledger import cache as ledger_cache
from verifier.ledger.ids import normalize_text
from verifier.model import Assessment, Evidence, Flag, FlagKind, Verdict

CACHE_FORMAT = 1
MAX_ENTRIES = 200_000
"""Past this, results not used by the latest run are dropped, oldest first."""
RESULTS_FILE = "results.json"
STATS_FILE = "last-run.json"

AssessFn = Callable[[str, str], Assessment]


@lru_cache(maxsize=1)
def matcher_version() -> str:
    """A hash of the verifier version and every file of the `verifier.match` package."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    package = resources.files("verifier.match")
    for name in sorted(entry.name for entry in package.iterdir()):
        if name.endswith((".py", ".json")):
            digest.update(name.encode("utf-8"))
            digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def _encode(assessment: Assessment) -> list[Any]:
    evidence = assessment.evidence
    return [
        assessment.score,
        assessment.verdict.value,
        [evidence.text, evidence.start, evidence.end] if evidence is not None else None,
        [[f.start, f.end, f.kind, f.claim, f.source, f.severity] for f in assessment.flags],
    ]


def _decode(row: list[Any]) -> Assessment:
    score, verdict, evidence, flags = row
    return Assessment(
        score=float(score),
        verdict=Verdict(verdict),
        evidence=Evidence(str(evidence[0]), int(evidence[1]), int(evidence[2]))
        if evidence
        else None,
        flags=tuple(
            Flag(int(a), int(b), FlagKind(k), str(c), *rest) for a, b, k, c, *rest in flags
        ),
    )


class ResultCache:
    """Assessments by (claim text, source text, matcher version), stored as one JSON file."""

    def __init__(self, path: Path | None, version: str | None = None) -> None:
        self.path = path
        self.version = version or matcher_version()
        self.hits = 0
        self.misses = 0
        self._entries: dict[str, list[Any]] = {}
        self._used: set[str] = set()
        self._changed = False
        if path is not None:
            with paused_garbage_collection():
                self._entries = self._read(path)

    @classmethod
    def for_ledger(cls, ledger_path: Path, version: str | None = None) -> ResultCache:
        """The cache beside a ledger (in .verifier-cache/); a no-op one when caching is off."""
        directory = ledger_cache.cache_dir(ledger_path)
        return cls(directory / RESULTS_FILE if directory is not None else None, version)

    def _read(self, path: Path) -> dict[str, list[Any]]:
        try:
            document = json.loads(read_regular(path).decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return {}  # missing or damaged: recompute; results are never trusted blindly
        if (
            not isinstance(document, dict)
            or document.get("format") != CACHE_FORMAT
            or document.get("matcher") != self.version
            or not isinstance(document.get("entries"), dict)
        ):
            return {}
        entries: dict[str, list[Any]] = document["entries"]
        return entries

    def key(self, claim_text: str, source_text: str) -> str:
        source_hash = hashlib.sha1(source_text.encode("utf-8")).hexdigest()
        return hashlib.sha1(f"{normalize_text(claim_text)}\n{source_hash}".encode()).hexdigest()

    def get(self, claim_text: str, source_text: str) -> Assessment | None:
        key = self.key(claim_text, source_text)
        row = self._entries.get(key)
        if row is None:
            return None
        try:
            assessment = _decode(row)
        except (TypeError, ValueError, IndexError):
            del self._entries[key]  # a damaged row is recomputed
            self._changed = True
            return None
        self._used.add(key)
        return assessment

    def put(self, claim_text: str, source_text: str, assessment: Assessment) -> None:
        key = self.key(claim_text, source_text)
        self._entries[key] = _encode(assessment)
        self._used.add(key)
        self._changed = True

    def wrap(self, assess: AssessFn) -> AssessFn:
        """`assess` with reuse: same arguments, same result, computed once per key."""

        def cached_assess(claim_text: str, source_text: str) -> Assessment:
            found = self.get(claim_text, source_text)
            if found is not None:
                self.hits += 1
                return found
            self.misses += 1
            assessment = assess(claim_text, source_text)
            self.put(claim_text, source_text, assessment)
            return assessment

        return cached_assess

    def save(self) -> None:
        """Persist new results (only when there are any) and this run's hit/miss counts."""
        if self.path is None:
            return
        try:
            ledger_cache.ensure_cache_dir(self.path.parent)
            if self._changed:
                self._evict()
                document = {
                    "format": CACHE_FORMAT,
                    "matcher": self.version,
                    "entries": self._entries,
                }
                text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                write_atomically(self.path, text, durable=False)
                self._changed = False
            stats = {"hits": self.hits, "misses": self.misses, "matcher": self.version}
            write_atomically(self.path.with_name(STATS_FILE), json.dumps(stats), durable=False)
        except OSError:
            pass  # a read-only checkout still works, only without reuse next time

    def _evict(self) -> None:
        if len(self._entries) <= MAX_ENTRIES:
            return
        surplus = len(self._entries) - MAX_ENTRIES
        for key in [k for k in self._entries if k not in self._used][:surplus]:
            del self._entries[key]


def last_run_stats(ledger_path: Path) -> dict[str, Any] | None:
    """The hit/miss counts the latest run saved (for benchmarks and `-v` output)."""
    directory = ledger_cache.cache_dir(ledger_path)
    if directory is None:
        return None
    try:
        stats = json.loads(read_regular(directory / STATS_FILE).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return stats if isinstance(stats, dict) else None
