"""The values that flow between the pipeline's stages.

Every stage boundary is a frozen dataclass, so a stage can only hand the next one what
it has declared. Failures that are *about a source* (a dead link, a blocked host) are
values too (`FetchFailure`), never exceptions swallowed into a verdict: a source that
could not be read yields `Verdict.UNAVAILABLE` with its reason, not `UNSUPPORTED`.

    article --extract--> ExtractedClaim --ledger--> Claim
    url --fetch/archive--> Capture | FetchFailure
    (Claim, Capture) --match--> Assessment --> Finding --report/gate
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """How well the cited sources support a claim (CONTRACT: names never change)."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    CONTRADICTED = "contradicted"
    UNSUPPORTED = "unsupported"
    UNAVAILABLE = "unavailable"

    @property
    def severity(self) -> int:
        """Higher is worse; orders reports worst-first."""
        return _SEVERITY[self]


_SEVERITY = {
    Verdict.CONTRADICTED: 4,
    Verdict.UNSUPPORTED: 3,
    Verdict.UNAVAILABLE: 2,
    Verdict.PARTIAL: 1,
    Verdict.SUPPORTED: 0,
}


class UnavailableReason(StrEnum):
    """Why a source could not be read. Each is a fact about the source, not the claim."""

    NO_URL = "no URL"
    DEAD = "dead"
    BLOCKED = "blocked"
    TIMEOUT = "timeout"
    TOO_LARGE = "too large"
    NOT_TEXT = "not text"
    PAYWALL = "paywall"
    SOFT_404 = "soft 404"
    RATE_LIMITED = "rate-limited"
    NOT_ARCHIVED = "not archived"
    HTTP_ERROR = "HTTP error"
    NETWORK_ERROR = "network error"
    UNREADABLE = "unreadable"
    INVALID_URL = "invalid URL"
    OUTSIDE_REPOSITORY = "outside the repository"
    """A local path that resolves outside the project (see `fetch.allow_paths`)."""


@dataclass(frozen=True)
class Citation:
    """What one footnote cites: the URL (None for a book or a bare note) and its metadata."""

    url: str | None
    title: str | None = None
    publisher: str | None = None
    accessed: str | None = None
    note: str = ""
    """The footnote's own text, as written."""
    author: str | None = None
    archive_url: str | None = None
    """An archived copy of `url` cited in the same note (Wayback, archive.today), if any."""
    normalized_url: str | None = None
    """`url` without tracking parameters or fragment: the key for de-duplicating sources."""


@dataclass(frozen=True)
class ExtractedClaim:
    """A footnoted sentence found in an article, before the ledger gives it an id."""

    article: str
    """Article path as given to `extract`, relative to the ledger's folder when possible."""
    line: int
    """1-based line of the footnote marker (where a reviewer should look)."""
    footnote: str
    """The marker's label(s) as written, e.g. "3", "iv", "note-a", "2,3"."""
    text: str
    """The claim sentence with footnote markers removed."""
    citations: tuple[Citation, ...]
    column: int = 1

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(c.url for c in self.citations if c.url)


@dataclass(frozen=True)
class ExtractionWarning:
    """A problem in an input file that does not stop the run: an article's footnotes, or a
    claim in claims.yaml (then `article` is the ledger's path)."""

    article: str
    line: int
    message: str


@dataclass(frozen=True)
class Extraction:
    """Everything one article yielded."""

    article: str
    claims: tuple[ExtractedClaim, ...]
    warnings: tuple[ExtractionWarning, ...] = ()


class Status(StrEnum):
    """A reviewer's decision recorded in claims.yaml."""

    OPEN = "open"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class Claim:
    """A claim as the ledger (claims.yaml) holds it: the unit every later stage works on."""

    id: str
    text: str
    urls: tuple[str, ...]
    article: str | None = None
    line: int | None = None
    footnote: str | None = None
    status: Status = Status.OPEN
    note: str | None = None
    citations: tuple[Citation, ...] = ()
    accepted_for: str | None = None
    """What an acceptance was given for: "<text hash>/<sources hash>" (see ledger.acceptance).
    When the claim text or a source's content changes, the acceptance is stale."""


@dataclass(frozen=True)
class Capture:
    """A source as it was read: from the live web, the archive, or a local file."""

    url: str
    """The URL as cited."""
    final_url: str
    """Where redirects ended (the Wayback copy's URL when `via` is "wayback")."""
    status_code: int
    fetched_at: str
    """ISO 8601 UTC time of the capture."""
    content_type: str
    payload_digest: str
    """"sha1:<base32>" as in WARC-Payload-Digest; for local files, of the file's bytes."""
    text: str
    """Main text as the matcher sees it."""
    title: str | None = None
    via: str = "live"
    """"live", "archive", "local" or "wayback"."""
    warc_file: str | None = None


@dataclass(frozen=True)
class FetchFailure:
    """A source that could not be read, and why (becomes `unavailable`)."""

    url: str | None
    reason: UnavailableReason
    detail: str = ""

    def describe(self) -> str:
        return f"{self.reason.value}: {self.detail}" if self.detail else self.reason.value


SourceResult = Capture | FetchFailure


class FlagKind(StrEnum):
    """What a flag says of its span (CONTRACT: the strings never change)."""

    TITLE = "title"
    NUMBER = "number"
    DATE = "date"
    NAME = "name"
    NEGATION = "negation"
    QUOTE = "quote"
    UNSUPPORTED = "unsupported"


class Severity(StrEnum):
    """How much a discrepancy weighs (CONTRACT: the optional "severity" of a flag)."""

    CONFLICT = "conflict"
    """The source states something else in the same place: the claim is `contradicted`."""
    DRIFT = "drift"
    """A small difference a reviewer should look at (a quotation that differs slightly, a
    rounding, a spelling); it does not make the claim contradicted."""


@dataclass(frozen=True)
class Flag:
    """A span of the claim that the source does not back or contradicts (CONTRACT fields,
    with `severity` the optional addition: None for a span the source is silent on)."""

    start: int
    end: int
    kind: FlagKind
    claim: str
    source: str | None = None
    severity: Severity | None = None

    def __post_init__(self) -> None:
        # Readers of stored results (results.json, the result cache) hand in plain strings.
        object.__setattr__(self, "kind", FlagKind(self.kind))
        if self.severity is not None:
            object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def label(self) -> str:
        """The kind as reports show it, with the severity of a discrepancy: "title
        (conflict)", "quote (drift)", "unsupported"."""
        return f"{self.kind.value} ({self.severity.value})" if self.severity else self.kind.value

    def as_json(self) -> dict[str, Any]:
        """The contract's flag object: {"start", "end", "kind", "claim", "source"}, with
        "severity" on a discrepancy."""
        document: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "kind": self.kind.value,
            "claim": self.claim,
            "source": self.source,
        }
        if self.severity is not None:
            document["severity"] = self.severity.value
        return document

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Flag:
        """The flag `as_json` wrote (a reader must accept flags without "severity")."""
        return cls(
            int(document["start"]),
            int(document["end"]),
            FlagKind(document["kind"]),
            str(document["claim"]),
            document.get("source"),
            document.get("severity"),
        )


@dataclass(frozen=True)
class Evidence:
    """The source passage that best supports the claim."""

    text: str
    start: int
    end: int
    """Character offsets of `text` in the source's main text."""


@dataclass(frozen=True)
class Assessment:
    """The matcher's judgement of one claim against one readable source."""

    score: float
    verdict: Verdict
    evidence: Evidence | None
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class SourceCheck:
    """One cited source of a claim: how it was read and what the matcher made of it."""

    url: str | None
    source: SourceResult
    assessment: Assessment | None = None


@dataclass(frozen=True)
class Finding:
    """The verdict on one claim, with everything a reviewer needs to check it."""

    claim: Claim
    verdict: Verdict
    score: float
    checks: tuple[SourceCheck, ...] = field(default_factory=tuple)
    evidence: Evidence | None = None
    flags: tuple[Flag, ...] = ()
    reason: str | None = None
    """For `unavailable`: why no source could be read."""

    @property
    def accepted(self) -> bool:
        return self.claim.status is Status.ACCEPTED
