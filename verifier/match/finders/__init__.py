"""The discrepancy finders, one module per kind of flag, each behind finders.base.Finder.

    discrepancies(context, FINDERS) -> list[Flag]

Finders run most specific first; where flags overlap, the first is kept. Pass a subset of
FINDERS to switch one off (bench/ablation.py measures each one's worth that way).
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.match.finders import dates, names, negation, opposites, quotes, titles, values
from verifier.match.finders.base import Context, Finder
from verifier.model import Flag, FlagKind

FINDERS: tuple[Finder, ...] = (
    Finder("titles", titles.find),
    Finder("negation", negation.find),
    Finder("values", values.find),
    Finder("dates", dates.find),
    Finder("names", names.find),
    Finder("opposites", opposites.find),
    Finder("quotes", quotes.find),
)


def discrepancies(context: Context, finders: Sequence[Finder] = FINDERS) -> list[Flag]:
    """Every finder's flags, without overlaps (the earlier finder's flag is kept)."""
    kept: list[Flag] = []
    for finder in finders:
        for flag in finder.find(context):
            if all(flag.end <= other.start or other.end <= flag.start for other in kept):
                kept.append(flag)
    # A value the page does not state, with nothing conflicting, is left to the unsupported
    # spans (which join it with its neighbours: "on 24 October 1996").
    return [flag for flag in kept if flag.kind is not FlagKind.UNSUPPORTED]


__all__ = ["FINDERS", "Context", "Finder", "discrepancies"]
