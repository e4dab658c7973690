"""The few facts of each finding that the reports' passes read, kept beside the findings.

The findings of a large run are spilled to disk (`verifier.spill`); reading every finding
back for each pass (history, page plan, index, summary, gate) cost a dozen unpickles per
claim, which made an unchanged re-check of 10,000 claims seconds slower. The passes read
these facts instead (a small record per finding, made when the finding is), and read a
finding itself only where they need all of it: its article's page and results.json
lines, an index row, a failing finding's line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload

from verifier.ledger.acceptance import is_accepted
from verifier.model import Capture, Finding, Verdict
from verifier.report.views import Joined
from verifier.spill import Spill


def has_page(capture: Capture) -> bool:
    """Only archived web captures get a page: a local source is a file in the repository.
    (Not whether the capture still holds its text: the pass drops it after scoring.)"""
    return capture.warc_file is not None


class Facts(NamedTuple):
    article: str | None
    line: int | None
    id: str
    verdict: Verdict
    score: float
    accepted: bool
    """`is_accepted`: accepted, and not stale."""
    pages: bool
    """Whether a capture of the finding gets a captured-text page (`has_page`)."""

    @classmethod
    def of(cls, finding: Finding) -> Facts:
        claim = finding.claim
        return cls(
            claim.article,
            claim.line,
            claim.id,
            finding.verdict,
            finding.score,
            is_accepted(finding),
            any(isinstance(c.source, Capture) and has_page(c.source) for c in finding.checks),
        )

    def reading_key(self) -> tuple[bool, str, int, str]:
        """`results.reading_key` of the finding."""
        return (self.article is None, self.article or "", self.line or 0, self.id)


class Findings(Sequence[Finding]):
    """Findings (a list, a Spill, or both joined) with their facts in the same order."""

    def __init__(self, items: Sequence[Finding], facts: Sequence[Facts]) -> None:
        if len(items) != len(facts):
            raise ValueError("every finding needs its facts")
        self.items = items
        self.facts = facts

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Findings:
        """`findings` with their facts: read once here unless they already come with them."""
        if isinstance(findings, Findings):
            return findings
        return cls(findings, [Facts.of(finding) for finding in findings])

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        return self.items[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def joined(self, other: Findings) -> Findings:
        """These findings, then `other`'s, without copying either."""
        return Findings(Joined(self.items, other.items), Joined(self.facts, other.facts))

    def close(self) -> None:
        """Let go of what holds the findings (a spill's file); nothing for a list."""

    def __enter__(self) -> Findings:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SpilledFindings(Findings):
    """A pass's findings written to disk as they are made, each slot once, with their facts
    kept in memory."""

    def __init__(self, spill: Spill[Finding]) -> None:
        self._spill = spill
        self._facts: list[Facts | None] = [None] * len(spill)
        super().__init__(spill, self._facts)  # type: ignore[arg-type]

    def __setitem__(self, index: int, finding: Finding) -> None:
        self._spill[index] = finding
        self._facts[index] = Facts.of(finding)

    def close(self) -> None:
        self._spill.close()
