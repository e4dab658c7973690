"""Reuse of matcher results: a claim checked against an unchanged source is not re-scored.

The key is the claim text (whitespace-normalised), a hash of the source's main text, and
the matcher version. The source's *text* rather than its payload digest is hashed on
purpose: it changes with the payload, and also when a new text extractor reads the same
bytes differently, which a digest alone would miss. The matcher version is a hash of the
matcher's own code and data, so any change to scoring invalidates every stored result.

    cache = ResultCache.for_ledger(ledger_path)      # .verifier-cache/results.sqlite
    assess = cache.wrap(match.assess)                # same signature as match.assess
    ... check claims with `assess` ...
    cache.close()                                    # writes only what was new
    cache.hits, cache.misses                         # what this run reused / computed
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.files import read_regular, write_atomically
from verifier.kvstore import KeyValueStore
from verifier.ledger import cache as ledger_cache
from verifier.ledger.ids import normalize_text
from verifier.model import Assessment, Evidence, Flag, FlagKind, Verdict

CACHE_FORMAT = 1
MAX_ENTRIES = 200_000
"""Past this, the results written longest ago are dropped."""
RESULTS_FILE = "results.sqlite"
_OLD_RESULTS_FILE = "results.json"
"""The one JSON document this cache used to be (removed on sight)."""
STATS_FILE = "last-run.json"

AssessFn = Callable[[str, str], Assessment]


@lru_cache(maxsize=1)
def matcher_version() -> str:
    """A hash of the verifier version and every file of the `verifier.match` package.

    The files are found without importing the package: a re-check that reuses every
    result then never loads the matcher (half a second of imports)."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    spec = importlib.util.find_spec("verifier.match")
    assert spec is not None and spec.submodule_search_locations is not None
    folder = Path(next(iter(spec.submodule_search_locations)))
    for path in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if path.name.endswith((".py", ".json")):
            digest.update(path.name.encode("utf-8"))
            digest.update(path.read_bytes())
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
    """Assessments by (claim text, source text, matcher version), one SQLite row each.

    Rows are read as claims ask for them and new ones written in batches, so a run holds
    only what it uses, and several processes (a cluster's workers) may share the file.
    """

    def __init__(self, path: Path | None, version: str | None = None) -> None:
        self.path = path
        self.version = version or matcher_version()
        self.hits = 0
        self.misses = 0
        self._last_source: tuple[str, str] | None = None
        """The last source text seen and its hash (see `_source_hash`)."""
        if path is not None:
            # Before the store creates the folder: the folder must ignore itself in git.
            with contextlib.suppress(OSError):
                ledger_cache.ensure_cache_dir(path.parent)
        self._store = KeyValueStore(path, ("results",), f"results/{CACHE_FORMAT}/{self.version}")

    @classmethod
    def for_ledger(cls, ledger_path: Path, version: str | None = None) -> ResultCache:
        """The cache beside a ledger (in .verifier-cache/); a no-op one when caching is off."""
        directory = ledger_cache.cache_dir(ledger_path)
        if directory is not None:
            (directory / _OLD_RESULTS_FILE).unlink(missing_ok=True)
        return cls(directory / RESULTS_FILE if directory is not None else None, version)

    def key(self, claim_text: str, source_text: str) -> str:
        source_hash = self._source_hash(source_text)
        return hashlib.sha1(f"{normalize_text(claim_text)}\n{source_hash}".encode()).hexdigest()

    def _source_hash(self, source_text: str) -> str:
        # A batch scores the claims citing one source one after another, with the same
        # text object: a 200 KB page is hashed once for all of them, not once per claim.
        last = self._last_source
        if last is None or last[0] is not source_text:
            last = (source_text, hashlib.sha1(source_text.encode("utf-8")).hexdigest())
            self._last_source = last  # one assignment: safe if threads share the cache
        return last[1]

    def get(self, claim_text: str, source_text: str) -> Assessment | None:
        return self._get(self.key(claim_text, source_text))

    def put(self, claim_text: str, source_text: str, assessment: Assessment) -> None:
        self._put(self.key(claim_text, source_text), assessment)

    def wrap(self, assess: AssessFn) -> AssessFn:
        """`assess` with reuse: same arguments, same result, computed once per key."""

        def cached_assess(claim_text: str, source_text: str) -> Assessment:
            key = self.key(claim_text, source_text)
            found = self._get(key)
            if found is not None:
                self.hits += 1
                return found
            self.misses += 1
            assessment = assess(claim_text, source_text)
            self._put(key, assessment)
            return assessment

        return cached_assess

    def _get(self, key: str) -> Assessment | None:
        row = self._store.get("results", key)
        if row is None:
            return None
        try:
            return _decode(json.loads(row))
        except (TypeError, ValueError, IndexError, KeyError):
            self._store.delete("results", [key])  # a damaged row is recomputed
            return None

    def _put(self, key: str, assessment: Assessment) -> None:
        self._store.put("results", key, json.dumps(_encode(assessment), ensure_ascii=False))

    def save(self) -> None:
        """Write new results (only when there are any) and this run's hit/miss counts."""
        self._store.commit()
        if self.path is None:
            return
        if self._store.count("results") > MAX_ENTRIES:
            self._store.trim("results", MAX_ENTRIES)
        try:
            stats = {"hits": self.hits, "misses": self.misses, "matcher": self.version}
            write_atomically(self.path.with_name(STATS_FILE), json.dumps(stats), durable=False)
        except OSError:
            pass  # a read-only checkout still works, only without the figures

    def close(self) -> None:
        self.save()
        self._store.close()


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
