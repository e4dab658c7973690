"""Unsupported spans: the phrases of a claim the source does not back, as flags.

The per-word model (tokenmask.py) says which content words are unbacked; here they are joined
into phrases a reviewer can read, with the function words that open them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from verifier.match.scoring import MatchModel
from verifier.match.tokens import STOPWORDS, Token, fold, word_set
from verifier.model import Flag, FlagKind


def unsupported_spans(
    claim: str,
    claim_tokens: Sequence[Token],
    content: Sequence[Token],
    unbacked: int,
    odds: Sequence[float],
    stated: int,
    typed: Sequence[Flag],
    model: MatchModel,
) -> list[Flag]:
    """Spans of unbacked claim words (bit i of `unbacked` = content word i), joined across
    short gaps of function words and of content words the passage does not state (`stated`:
    the ones it does), outside the typed flags; much weaker spans than the strongest dropped."""
    spans = _spans(claim, claim_tokens, content, unbacked, stated, typed, model)
    return _strongest(spans, content, odds, unbacked, model)


def _spans(
    claim: str,
    claim_tokens: Sequence[Token],
    content: Sequence[Token],
    unbacked_mask: int,
    stated_mask: int,
    typed: Sequence[Flag],
    model: MatchModel,
) -> list[Flag]:
    """A word the model was unsure of between two unbacked ones (the "air" of "a hot air
    balloon") is usually part of the same unbacked phrase; a word the passage states is not
    taken in: a flag must be explainable by pointing at the passage."""
    untyped = [not any(flag.start <= token.start < flag.end for flag in typed) for token in content]
    unbacked = {
        token.start
        for index, token in enumerate(content)
        if unbacked_mask >> index & 1 and untyped[index]
    }
    bridgeable = {
        token.start
        for index, token in enumerate(content)
        if not stated_mask >> index & 1 and untyped[index]
    }
    spans: list[tuple[int, int]] = []
    run_start: int | None = None
    run_end = 0
    gap = 0
    for position, token in enumerate(claim_tokens):
        if token.start in unbacked:
            if run_start is None:
                run_start = token.start
                # Take in the function words that open the phrase ("in 2017", "the two").
                lead = position
                while (
                    lead > 0
                    and position - lead < model.unsupported_lead
                    and claim_tokens[lead - 1].norm in STOPWORDS
                    and fold(claim_tokens[lead - 1].text) not in WEAK_OPENERS
                    and not any(f.start <= claim_tokens[lead - 1].start < f.end for f in typed)
                    and not (spans and spans[-1][1] > claim_tokens[lead - 1].start)
                ):
                    lead -= 1
                run_start = claim_tokens[lead].start
            run_end, gap = token.end, 0
        elif run_start is not None:
            if (token.norm in STOPWORDS or token.start in bridgeable) and (
                gap < model.unsupported_gap
            ):
                gap += 1
                continue
            spans.append((run_start, run_end))
            run_start, gap = None, 0
    if run_start is not None:
        spans.append((run_start, run_end))
    return [Flag(start, end, FlagKind.UNSUPPORTED, claim[start:end]) for start, end in spans]


def _strongest(
    spans: list[Flag],
    content: Sequence[Token],
    odds: Sequence[float],
    unbacked: int,
    model: MatchModel,
) -> list[Flag]:
    """The unsupported spans whose surest word comes within model.unsupported_margin
    (log-odds) of the surest word of the strongest span."""
    if len(spans) < 2 or math.isinf(model.unsupported_margin):
        return spans
    strength = [
        max(
            (
                odds[index]
                for index, token in enumerate(content)
                if unbacked >> index & 1 and span.start <= token.start < span.end
            ),
            default=-math.inf,
        )
        for span in spans
    ]
    cut = max(strength) - model.unsupported_margin
    return [span for span, value in zip(spans, strength, strict=True) if value >= cut]


WEAK_OPENERS = word_set("a an is was are were be been he she it they we i you him them")
"""Function words an unsupported phrase does not take in ("was *born in Leeds*"): in the
WiCE training marks an indefinite article or a copula before an unbacked phrase is mostly
left unmarked (about one in five), unlike "in" or "the". Nor a personal pronoun ("he *ran
the club*"): it stands for someone the claim's context names, not for a detail the page
lacks (about one in five marked in the same data)."""


def whole_claim(claim: str) -> Flag:
    """The whole claim as one unsupported span (the source backs none of it)."""
    start = len(claim) - len(claim.lstrip())
    end = len(claim.rstrip())
    return Flag(start, end, FlagKind.UNSUPPORTED, claim[start:end])


def longest_unsupported(content: Sequence[Token], flags: Sequence[Flag]) -> int:
    """Content words in the longest unsupported phrase."""
    return max(
        (
            sum(1 for token in content if flag.start <= token.start < flag.end)
            for flag in flags
            if flag.kind is FlagKind.UNSUPPORTED
        ),
        default=0,
    )
