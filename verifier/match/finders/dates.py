"""Dates: the source dates the claim's event otherwise.

A claim date no page date backs, facing another date of the passage in the same aligned
place (or, failing an aligned place, a passage date agreeing on some field but not all:
"4 March 2025" against "3 March 2025"), is a conflict. The page's own date (a byline, a
publication stamp) and the ends of a span of days contradict nothing.
"""

from __future__ import annotations

import re

from verifier.match.dates import DateMention, years_of
from verifier.match.finders.base import Context
from verifier.match.mentions import is_dateline
from verifier.model import Flag, FlagKind


def find(context: Context) -> list[Flag]:
    flags: list[Flag] = []
    mentions = context.mentions
    page_text = context.source.text
    page_dates, passage_dates = mentions.page[0], mentions.window[0]
    years = years_of(page_dates)
    slot_of, _ = context.facing
    for date in mentions.claim_dates:
        if date.backed_in(page_dates, years):
            continue
        slot = slot_of.get(date.start)
        facing = [
            other
            for other in passage_dates
            if slot is not None
            # A date written in more words than the claim's may run past the slot.
            and other.start < slot[1]
            and slot[0] < other.end
            and not date.compatible_with(other)
            and not is_dateline(page_text, other)
            and not _in_range(page_text, other)
        ]
        if not facing:
            # No aligned slot: a passage date agreeing on some field but not all is the same
            # event dated differently ("4 March 2025" vs "3 March 2025") -- unless it dates the
            # page itself ("By Travis Zimpfer on March 2, 2017"), which no event contradicts.
            facing = [
                other
                for other in passage_dates
                if not date.compatible_with(other)
                and _shares_field(date, other)
                and not is_dateline(page_text, other)
                and not _in_range(page_text, other)
            ]
        flags.append(
            context.flag(
                (date.start, date.end),
                FlagKind.DATE,
                (facing[0].start, facing[0].end) if facing else None,
            )
        )
    return flags


# Spans of days ("May 11-22", "1-4 March"); a span between two full dates ("from September
# 1994 to August 1995") dates its ends, and a claim date facing an end does conflict.
_RANGE_AFTER = re.compile(r"\s*[-\u2013\u2014]\s*[0-3]?\d(?!\d)")
_RANGE_BEFORE = re.compile(r"(?<!\d)[0-3]?\d\s*[-\u2013\u2014]\s*$")


def _in_range(page_text: str, date: DateMention) -> bool:
    """The date opens or closes a span of days ("runs May 11-22", "1-4 March"): a date inside
    the span is no contradiction, and the parsed end point alone cannot tell."""
    before = page_text[max(date.start - 12, 0) : date.start]
    return bool(_RANGE_AFTER.match(page_text, date.end) or _RANGE_BEFORE.search(before))


def _shares_field(one: DateMention, other: DateMention) -> bool:
    return any(
        mine is not None and mine == theirs
        for mine, theirs in ((one.year, other.year), (one.month, other.month), (one.day, other.day))
    )
