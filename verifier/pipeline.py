"""The verification pass: extract -> fetch -> check, as plain functions over the stages.

The orchestrator never prints and never exits: it returns values the CLI reports. The
stages (extract, fetch, assess) are handed in as functions, so tests can run the pass
with any stage replaced and the CLI decides how each is built (archive, cache, offline).
"""

from __future__ import annotations

import os
import re
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from verifier.model import (
    Assessment,
    Capture,
    Citation,
    Claim,
    Extraction,
    ExtractionWarning,
    FetchFailure,
    Finding,
    SourceCheck,
    SourceResult,
    UnavailableReason,
    Verdict,
)

ExtractFn = Callable[[Path, str], Extraction]
AssessFn = Callable[[str, str], Assessment]
FetchFn = Callable[[Sequence[str], Mapping[str, str]], dict[str, SourceResult]]
"""(source locations, access date per location) -> a result for every location."""


@dataclass(frozen=True)
class ExtractOutcome:
    """What is kept of an extraction once each article's claims went to the ledger: the
    articles, how many claims they had, and the warnings (the claims are not held: at
    30,000 claims they were a large share of a run's memory)."""

    articles: tuple[str, ...]
    claim_count: int
    warnings: tuple[ExtractionWarning, ...]


def display_path(path: Path, base_dir: Path) -> str:
    """A path as reports and claims.yaml show it: relative to the ledger's folder when it is
    inside it, else absolute."""
    try:
        return path.resolve().relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _rebase_citation(citation: Citation, article_dir: Path, base_dir: Path) -> Citation:
    """Make a footnote's relative link relative to the ledger's folder, where claims.yaml lives.

    A footnote's `[title](sources/x.html)` is relative to its article; claims.yaml stores
    every local path relative to itself, so the ledger reads the same way for both.
    """
    url = citation.url
    if url is None or _has_scheme(url):
        return citation
    return replace(citation, url=display_path(article_dir / url, base_dir))


def extract_each(
    articles: Sequence[Path], base_dir: Path, extract: ExtractFn
) -> Iterator[Extraction]:
    """Each article's claims in turn, local links rebased onto the ledger's folder."""
    for article in articles:
        extraction = extract(article, display_path(article, base_dir))
        claims = tuple(
            replace(
                claim,
                citations=tuple(
                    _rebase_citation(c, article.parent, base_dir) for c in claim.citations
                ),
            )
            for claim in extraction.claims
        )
        yield replace(extraction, claims=claims)


def extract_articles(
    articles: Sequence[Path],
    base_dir: Path,
    extract: ExtractFn,
    merge: Callable[[Extraction], object],
) -> ExtractOutcome:
    """Extract every article and hand each extraction to `merge` before the next article is
    read, so only one article's claims are held at a time."""
    names: list[str] = []
    count = 0
    warnings: list[ExtractionWarning] = []
    for extraction in extract_each(articles, base_dir, extract):
        merge(extraction)
        names.append(extraction.article)
        count += len(extraction.claims)
        warnings.extend(extraction.warnings)
    return ExtractOutcome(tuple(names), count, tuple(warnings))


class SourceLocator:
    """Maps a cited URL to where it is read from: http(s) as is, local paths as file:// URLs.

    Local paths are relative to the ledger's folder. Made absolute with normpath rather
    than Path.resolve: a ledger of 10,000 claims would otherwise spend seconds in realpath
    system calls on every run. Each URL is mapped once per locator.
    """

    def __init__(self, base_dir: Path) -> None:
        self._base = os.path.abspath(base_dir)
        self._known: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        location = self._known.get(url)
        if location is None:
            if len(self._known) >= _KNOWN_LIMIT:
                self._known.clear()
            location = self._known[url] = self._locate(url)
        return location

    def _locate(self, url: str) -> str:
        if _has_scheme(url):
            return url  # http(s) and file: as cited; other schemes the fetcher refuses
        # No scheme, or a Windows drive letter ("C:"): a filesystem path.
        absolute = os.path.normpath(os.path.join(self._base, url))
        if os.sep == "/":
            return "file://" + quote(absolute)  # what Path.as_uri gives, a third of the cost
        return Path(absolute).as_uri()


_KNOWN_LIMIT = 8_192
"""URLs a locator remembers: the pass maps each URL a few times in a row (a batch's sources,
then its claims), and 30,000 claims each citing their own page made the map itself
megabytes; mapping one again costs microseconds."""

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def _has_scheme(url: str) -> bool:
    """A URL ("http:", "file:", "mailto:"), not a path; a Windows drive letter ("C:") is a
    path. Read from the text alone: a malformed URL is the fetcher's to report, not a crash."""
    scheme = _SCHEME.match(url)
    return scheme is not None and len(scheme.group(1)) > 1


def access_dates(claims: Iterable[Claim], locate: SourceLocator) -> dict[str, str]:
    """Each source location's access date as its citation gives it (the first one cited),
    so a dead source falls back to the archived copy nearest the day it was read."""
    dates: dict[str, str] = {}
    for claim in claims:
        for citation in claim.citations:
            if citation.url and citation.accessed:
                dates.setdefault(locate(citation.url), citation.accessed)
    return dates


@dataclass(frozen=True)
class Survey:
    """What the pass needs of every claim before its first batch, from one read of each
    (the claims may be on disk)."""

    locations: list[str]
    """`locations`"""
    accessed: dict[str, str]
    """`access_dates`"""
    first: list[str]
    """Each claim's first source location ("" without one): `claim_batches`' order."""


def survey(claims: Iterable[Claim], locate: SourceLocator) -> Survey:
    seen: dict[str, None] = {}
    dates: dict[str, str] = {}
    first: list[str] = []
    for claim in claims:
        for url in claim.urls:
            seen[locate(url)] = None
        for citation in claim.citations:
            if citation.url and citation.accessed:
                dates.setdefault(locate(citation.url), citation.accessed)
        first.append(_first_location(claim, locate))
    return Survey(list(seen), dates, first)


def locations(claims: Iterable[Claim], locate: SourceLocator) -> list[str]:
    """Every distinct source location the claims cite, in first-cited order."""
    seen: dict[str, None] = {}
    for claim in claims:
        for url in claim.urls:
            seen[locate(url)] = None
    return list(seen)


BATCH_CLAIMS = 500
"""Claims read and scored together: their sources are held only while the batch runs."""


def verify(
    claims: Sequence[Claim],
    *,
    fetch: FetchFn,
    assess: AssessFn,
    locate: SourceLocator,
    progress: Callable[[], None] | None = None,
    batch_size: int = BATCH_CLAIMS,
) -> list[Finding]:
    """Judge each claim against its sources, a batch at a time; findings in claim order.

    Each batch's sources are read, its claims scored, and the texts let go before the next
    batch, so memory stays flat however many claims there are (`check_batch`). Claims
    citing the same source go to the same batch where they fit (`claim_batches`), so a
    page is read and prepared once per pass, not once per claim.
    """
    slots: list[Finding | None] = [None] * len(claims)
    verify_into(
        claims,
        slots.__setitem__,
        fetch=fetch,
        assess=assess,
        locate=locate,
        progress=progress,
        batch_size=batch_size,
    )
    return [finding for finding in slots if finding is not None]


def verify_into(
    claims: Sequence[Claim],
    put: Callable[[int, Finding], None],
    *,
    fetch: FetchFn,
    assess: AssessFn,
    locate: SourceLocator,
    progress: Callable[[], None] | None = None,
    batch_size: int = BATCH_CLAIMS,
    first: Sequence[str] | None = None,
) -> None:
    """`verify`, handing each finding to `put` with its claim's index as its batch is done
    (to a spill on disk: the findings are then never all in memory). `first`: as for
    `claim_batches`."""
    for batch in claim_batches(claims, locate, batch_size, first):
        checked = check_batch(
            [claims[i] for i in batch], fetch=fetch, assess=assess, locate=locate, progress=progress
        )
        for index, finding in zip(batch, checked, strict=True):
            put(index, finding)


def claim_batches(
    claims: Sequence[Claim],
    locate: SourceLocator,
    batch_size: int = BATCH_CLAIMS,
    first: Sequence[str] | None = None,
) -> list[list[int]]:
    """Claim indexes in batches of at most `batch_size`, claims citing the same first
    source side by side (the sort is stable: otherwise in ledger order). `first`: each
    claim's first source location, when a `survey` already has them."""
    # One read of each claim (they may be on disk), not one per comparison key.
    keys = first if first is not None else [_first_location(c, locate) for c in claims]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    size = max(1, batch_size)
    return [order[start : start + size] for start in range(0, len(order), size)]


def _first_location(claim: Claim, locate: SourceLocator) -> str:
    return locate(claim.urls[0]) if claim.urls else ""


def check_batch(
    claims: Sequence[Claim],
    *,
    fetch: FetchFn,
    assess: AssessFn,
    locate: SourceLocator,
    progress: Callable[[], None] | None = None,
) -> list[Finding]:
    """One batch: its sources read once each, its claims scored, and the findings returned
    without the sources' texts (what the reports need of a capture is its record: URL,
    time, digest; keeping 30,000 pages' text for them is what made memory grow)."""
    sources = read_sources(claims, fetch=fetch, locate=locate)
    return check_claims(claims, sources, locate, assess, progress, keep_texts=False)


def read_sources(
    claims: Sequence[Claim], *, fetch: FetchFn, locate: SourceLocator
) -> dict[str, SourceResult]:
    """Every source the claims cite, read once each, by location."""
    return fetch(locations(claims, locate), access_dates(claims, locate))


def check_claims(
    claims: Iterable[Claim],
    sources: Mapping[str, SourceResult],
    locate: SourceLocator,
    assess: AssessFn,
    progress: Callable[[], None] | None = None,
    *,
    keep_texts: bool = True,
) -> list[Finding]:
    """Score each claim against each of its readable sources; one Finding per claim.

    `progress` is called once per claim checked. Without `keep_texts` each finding's
    captures come without their text (one copy per source, made once)."""
    records: dict[str, SourceResult] = {}
    findings = []
    for claim in claims:
        checks = []
        for url in claim.urls:
            location = locate(url)
            source = sources.get(location)
            if source is None:
                source = FetchFailure(url, UnavailableReason.NOT_ARCHIVED, "not fetched")
            assessment = (
                None if isinstance(source, FetchFailure) else assess(claim.text, source.text)
            )
            if not keep_texts and isinstance(source, Capture):
                record = records.get(location)
                if record is None:
                    record = records[location] = replace(source, text="")
                source = record
            checks.append(SourceCheck(url=url, source=source, assessment=assessment))
        findings.append(combine(claim, checks))
        if progress is not None:
            progress()
    return findings


def combine(claim: Claim, checks: Sequence[SourceCheck]) -> Finding:
    """One verdict per claim: the best-supporting readable source decides.

    A claim cites several sources when any of them backs it, so the strongest one wins;
    sources that could not be read never count against the claim. With no readable
    source the claim is `unavailable`, with every reason.
    """
    assessed = [c for c in checks if c.assessment is not None]
    if not assessed:
        reasons = [c.source.describe() for c in checks if isinstance(c.source, FetchFailure)]
        reason = "; ".join(dict.fromkeys(reasons)) or UnavailableReason.NO_URL.value
        return Finding(
            claim=claim, verdict=Verdict.UNAVAILABLE, score=0.0, checks=tuple(checks), reason=reason
        )
    best = max(assessed, key=_support_rank)
    assert best.assessment is not None
    return Finding(
        claim=claim,
        verdict=best.assessment.verdict,
        score=best.assessment.score,
        checks=tuple(checks),
        evidence=best.assessment.evidence,
        flags=best.assessment.flags,
    )


# Among readable sources: support wins; failing that, a contradiction is more telling than
# silence, because it names the words that conflict.
_SUPPORT_ORDER = (Verdict.UNSUPPORTED, Verdict.CONTRADICTED, Verdict.PARTIAL, Verdict.SUPPORTED)


def _support_rank(check: SourceCheck) -> tuple[int, float]:
    assert check.assessment is not None
    return (_SUPPORT_ORDER.index(check.assessment.verdict), check.assessment.score)


def in_scope(claims: Iterable[Claim], articles: Collection[str | None] | None) -> list[Claim]:
    """The claims of the given articles (None standing for hand-written claims); all if None."""
    if articles is None:
        return list(claims)
    return [claim for claim in claims if claim.article in articles]


def changed_scope(changed_files: Collection[str], ledger_name: str) -> set[str | None]:
    """Articles a `--changed-since` run covers: the changed files, and the hand-written
    claims (None) when claims.yaml itself changed, since those live only there."""
    scope: set[str | None] = set(changed_files)
    if ledger_name in changed_files:
        scope.add(None)
    return scope
