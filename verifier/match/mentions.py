"""The claim's dates and numbers, and the ones of the page and of the evidence that matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from verifier.match.dates import DateMention
from verifier.match.passages import Retrieval
from verifier.match.quantities import NumberMention, find_numbers
from verifier.match.source import Source


@dataclass(frozen=True)
class Mentions:
    """The claim's dates and numbers, and the page's and evidence window's that matter."""

    claim_dates: list[DateMention]
    claim_numbers: list[NumberMention]
    page: tuple[list[DateMention], list[NumberMention]]
    """Page mentions that could state the claim's values (units sharing a word with them)."""
    window: tuple[list[DateMention], list[NumberMention]]


def gather(
    claim: str, claim_dates: list[DateMention], source: Source, retrieval: Retrieval | None
) -> Mentions:
    """The claim's values and the page's that could state them (`retrieval` None: no
    evidence passage was found)."""
    claim_numbers = find_numbers(claim, claim_dates)
    if not claim_dates and not claim_numbers:
        return Mentions(claim_dates, claim_numbers, ([], []), ([], []))
    window = source.mentions(range(*retrieval.window)) if retrieval is not None else ([], [])
    like = source.mentions_like([*claim_dates, *claim_numbers])
    page_values = (_union(like[0], window[0]), _union(like[1], window[1]))
    # The page's own date (its byline or publication stamp) dates every passage in it: "On
    # December 20, 2018, Perez announced" is backed by a report dated December 20, 2018. A
    # bare year is not: a report from 2016 tells of much that did not happen in 2016.
    datelines = [
        page_date
        for page_date in like[0]
        if any(date.month is not None and date.backed_by(page_date) for date in claim_dates)
        and is_dateline(source.text, page_date)
    ]
    window = (_union(window[0], datelines), window[1])
    return Mentions(claim_dates, claim_numbers, page_values, window)


_Mention = TypeVar("_Mention", DateMention, NumberMention)


def _union(first: list[_Mention], second: list[_Mention]) -> list[_Mention]:
    seen = {(m.start, m.end) for m in first}
    return first + [m for m in second if (m.start, m.end) not in seen]


_BYLINE = re.compile(
    r"\b(?:by|published|updated|posted|modified|last|copyright|captures|meta data|datetime)\b",
    re.IGNORECASE,
)
_DATELINE_WORDS = 14


def is_dateline(page_text: str, date: DateMention) -> bool:
    """The date stands in a short line that dates the page (a byline, a publication or update
    stamp, or the date alone) or in an address, rather than in a sentence about an event."""
    before = page_text[date.start - 1 : date.start] if date.start else ""
    if before == "/" or page_text[date.end : date.end + 1] == "/":
        return True
    line_start = page_text.rfind("\n", 0, date.start) + 1
    line_end = page_text.find("\n", date.end)
    line = page_text[line_start : line_end if line_end >= 0 else len(page_text)]
    words = len(line.split())
    if words > _DATELINE_WORDS:
        return False
    rest = page_text[line_start : date.start] + page_text[date.end : line_start + len(line)]
    return len(rest.split()) <= 2 or _BYLINE.search(line) is not None
