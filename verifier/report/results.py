"""Findings -> the results.json document (CONTRACT fields, plus additive detail)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, overload

from verifier.errors import InputError
from verifier.ledger.acceptance import acceptance, is_accepted
from verifier.model import (
    Assessment,
    Capture,
    Claim,
    Evidence,
    FetchFailure,
    Finding,
    Flag,
    SourceCheck,
    Status,
    UnavailableReason,
    Verdict,
)
from verifier.report.facts import Facts, Findings

SCORE_DIGITS = 4
"""Scores are rounded so that re-running on the same input gives the same bytes."""
VERDICTS_WORST_FIRST: tuple[Verdict, ...] = tuple(sorted(Verdict, key=lambda v: -v.severity))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Reading order: by article (hand-written claims last), then line, then id."""
    return sorted(findings, key=reading_key)


def reading_key(finding: Finding) -> tuple[bool, str, int, str]:
    """What `ordered` sorts by (the sort is stable: equal keys keep their order)."""
    claim = finding.claim
    return (claim.article is None, claim.article or "", claim.line or 0, claim.id)


def flag_document(flag: Flag) -> dict[str, Any]:
    return flag.as_json()


def source_document(check: SourceCheck) -> dict[str, Any]:
    source = check.source
    document: dict[str, Any] = {"url": check.url}
    if isinstance(source, Capture):
        document.update(
            {
                "read": True,
                "final_url": source.final_url,
                "status_code": source.status_code,
                "fetched_at": source.fetched_at,
                "digest": source.payload_digest,
                "title": source.title,
                "via": source.via,
                "warc_file": source.warc_file,
            }
        )
    else:
        document.update({"read": False, "reason": source.describe()})
    if check.assessment is not None:
        document["verdict"] = check.assessment.verdict.value
        document["score"] = round(check.assessment.score, SCORE_DIGITS)
    return document


def claim_document(finding: Finding) -> dict[str, Any]:
    claim = finding.claim
    return {
        "id": claim.id,
        "article": claim.article,
        "line": claim.line,
        "text": claim.text,
        "urls": list(claim.urls),
        "verdict": finding.verdict.value,
        "score": round(finding.score, SCORE_DIGITS),
        "flags": [flag_document(flag) for flag in finding.flags],
        "evidence": finding.evidence.text if finding.evidence is not None else None,
        "footnote": claim.footnote,
        "accepted": is_accepted(finding),
        "acceptance": acceptance(finding).value,
        "accepted_for": claim.accepted_for,
        "note": claim.note,
        "reason": finding.reason,
        "sources": [source_document(check) for check in finding.checks],
    }


class _Judged(Protocol):
    @property
    def verdict(self) -> Verdict: ...


def verdict_tally(findings: Iterable[_Judged]) -> dict[Verdict, int]:
    """Findings (or their facts) per verdict, every verdict present (worst first), so
    callers need no defaults."""
    counts = dict.fromkeys(VERDICTS_WORST_FIRST, 0)
    for finding in findings:
        counts[finding.verdict] += 1
    return counts


def verdict_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """verdict_tally keyed by the verdicts' names, as results.json writes them."""
    return {verdict.value: count for verdict, count in verdict_tally(findings).items()}


def results_document(
    findings: Sequence[Finding], *, generated_at: str | None = None
) -> dict[str, Any]:
    """The results.json document: {"claims": [...]} in reading order, plus a summary."""
    document: dict[str, Any] = {"claims": [claim_document(f) for f in ordered(findings)]}
    document.update(document_tail(findings, generated_at=generated_at))
    return document


def document_tail(findings: Sequence[Finding], *, generated_at: str | None) -> dict[str, Any]:
    """What the results document holds after its claims: the summary and when."""
    tail: dict[str, Any] = {
        "summary": {
            "claims": len(findings),
            "verdicts": verdict_counts(findings),
            "accepted": sum(1 for f in findings if is_accepted(f)),
        }
    }
    if generated_at is not None:
        tail["generated_at"] = generated_at
    return tail


# -- back from results.json ----------------------------------------------------------------


def _failure(url: str | None, reason: str) -> FetchFailure:
    head, _, detail = reason.partition(": ")
    try:
        return FetchFailure(url, UnavailableReason(head), detail)
    except ValueError:
        return FetchFailure(url, UnavailableReason.UNREADABLE, reason)


def _check_from(source: Mapping[str, Any]) -> SourceCheck:
    url = source.get("url")
    result: Capture | FetchFailure
    if source.get("read"):
        result = Capture(
            url=str(url),
            final_url=str(source.get("final_url") or url),
            status_code=int(source.get("status_code") or 0),
            fetched_at=str(source.get("fetched_at") or ""),
            content_type="",
            payload_digest=str(source.get("digest") or ""),
            text="",
            title=source.get("title"),
            via=str(source.get("via") or "archive"),
            warc_file=source.get("warc_file"),
        )
    else:
        result = _failure(url, str(source.get("reason") or UnavailableReason.UNREADABLE.value))
    assessment = None
    if "verdict" in source:
        assessment = Assessment(float(source.get("score", 0.0)), Verdict(source["verdict"]), None)
    return SourceCheck(url, result, assessment)


def finding_from_entry(entry: Mapping[str, Any]) -> Finding:
    """A Finding rebuilt from a results.json claim entry (for claims a run did not check).

    Lossy where results.json is (no source text, no cited titles): enough for the index,
    results.json and the gate, not for re-rendering the article page.
    """
    claim = Claim(
        id=str(entry["id"]),
        text=str(entry["text"]),
        urls=tuple(str(url) for url in entry.get("urls", [])),
        article=entry.get("article"),
        line=entry.get("line"),
        footnote=entry.get("footnote"),
        status=Status.ACCEPTED if entry.get("acceptance", "none") != "none" else Status.OPEN,
        note=entry.get("note"),
        accepted_for=entry.get("accepted_for"),
    )
    evidence_text = entry.get("evidence")
    evidence = (
        Evidence(str(evidence_text), 0, len(evidence_text)) if evidence_text is not None else None
    )
    return Finding(
        claim=claim,
        verdict=Verdict(entry["verdict"]),
        score=float(entry["score"]),
        checks=tuple(_check_from(source) for source in entry.get("sources", [])),
        evidence=evidence,
        flags=tuple(Flag.from_json(f) for f in entry.get("flags", [])),
        reason=entry.get("reason"),
    )


class CarriedFindings(Findings):
    """Last run's findings for the articles this run did not check (`--changed-since`, or a
    re-check of unchanged inputs), from their results.json lines.

    Each line is kept as written (results.json gets it back byte for byte) with the facts
    of its finding. A finding itself is rebuilt from its line only where one is read (an
    index row, a failing finding), so carrying 10,000 claims neither holds 10,000 findings
    nor serialises them again."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._facts: list[Facts] = []
        super().__init__(_FromLines(self.lines), self._facts)

    def add(self, line: str, entry: Any) -> None:
        """Carry the claim of this line (`entry`: the line parsed); an entry this version
        cannot read is left out, and re-checked by the next full run."""
        try:
            facts = facts_of_entry(entry)
        except (KeyError, TypeError, ValueError, AttributeError):
            return
        self.lines.append(line)
        self._facts.append(facts)


def facts_of_entry(entry: Mapping[str, Any]) -> Facts:
    """`Facts.of(finding_from_entry(entry))`, read off the entry without rebuilding the
    finding (only an accepted claim's is rebuilt: whether its acceptance still holds is
    decided from the whole finding)."""
    if entry.get("acceptance", "none") != "none":
        return Facts.of(finding_from_entry(entry))
    return Facts(
        entry.get("article"),
        entry.get("line"),
        str(entry["id"]),
        Verdict(entry["verdict"]),
        float(entry["score"]),
        False,
        any(s.get("read") and s.get("warc_file") is not None for s in entry.get("sources", [])),
    )


class _FromLines(Sequence[Finding]):
    """Findings rebuilt from results.json lines each time one is read."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [self._finding(line) for line in self._lines[index]]
        return self._finding(self._lines[index])

    @staticmethod
    def _finding(line: str) -> Finding:
        entry = json.loads(line)
        try:
            return finding_from_entry(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # Its facts were read (`facts_of_entry`), the rest of it is damaged.
            raise InputError(
                f"the last run's results.json has a claim this version cannot read "
                f"({entry.get('id')!r}: {error!r})",
                hint="remove reports/results.json, then check every claim again",
            ) from None


def claim_line(entry: Mapping[str, Any]) -> str:
    """A claim's line of results.json (see `report.results_json`)."""
    return json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))
