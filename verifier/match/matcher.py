"""Assess one claim against one source text: evidence, features, flags, score and verdict.

tokenise -> retrieve passages -> align -> run the finders -> unsupported spans
         -> features -> score (fitted probability) -> decide (every verdict rule)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from verifier.batch import paused_garbage_collection
from verifier.match.alignment import align
from verifier.match.coverage import Masks, cover, weight
from verifier.match.dates import MONTHS, DateMention, find_dates
from verifier.match.decide import NOTHING_BACKED, Grounds, decide, weigh
from verifier.match.features import Features, build
from verifier.match.finders import FINDERS, Context, Finder, discrepancies
from verifier.match.long_claims import combine, split_long
from verifier.match.mentions import gather
from verifier.match.passages import Retrieval, retrieve
from verifier.match.predicates import PredicateComparison, predicates
from verifier.match.predicates import compare as compare_predicates
from verifier.match.scoring import MatchModel, packaged_model
from verifier.match.source import Source
from verifier.match.spans import unsupported_spans, whole_claim
from verifier.match.subjects import refer
from verifier.match.tokenmask import WordSignals, relative_odds, unbacked_mask, unbacked_odds
from verifier.match.tokens import LIGHT_WORDS, STOPWORDS, Token, fold, tokenize
from verifier.model import Assessment, Evidence, Flag, Verdict


@dataclass(frozen=True)
class Analysis:
    """Everything the matcher worked out for one claim (the Assessment plus its features)."""

    assessment: Assessment
    features: Features
    grounds: Grounds
    content: tuple[Token, ...] = ()
    """The claim's content words; bit i of each mask in `coverage` is content[i]."""
    coverage: dict[str, int] = field(default_factory=dict)
    """Which content words the window, the passages and the page back."""
    signals: WordSignals | None = None
    """The per-word signals behind the unsupported flags (for fitting their model)."""


def assess(claim: str, source: str, model: MatchModel | None = None) -> Assessment:
    """Judge how well `source` (plain main text) supports `claim`. Never UNAVAILABLE."""
    return analyse(claim, Source.prepare(source), model).assessment


def analyse(
    claim: str,
    source: Source,
    model: MatchModel | None = None,
    finders: Sequence[Finder] = FINDERS,
) -> Analysis:
    """`assess` with its features exposed (for fitting and benchmarks); `finders` are the
    discrepancy finders to run (all by default).

    A claim of more than MAX_PIECE_WORDS words is judged a piece at a time (whole sentences
    where it has them), so the cost stays linear in its length (long_claims.py)."""
    model = model or packaged_model()
    pieces = split_long(claim)
    if len(pieces) == 1:
        return _analyse(claim, source, model, finders)
    # The pieces' words and flags stay alive until combined: with the collector running, each
    # full collection would walk them all again, and the cost would grow with the square.
    with paused_garbage_collection():
        parts = [
            (start, _analyse(claim[start:end], source, model, finders)) for start, end in pieces
        ]
    assessment, content = combine(parts)
    # The features and grounds shown are the weakest piece's: the one that decided.
    weakest = min((analysis for _, analysis in parts), key=lambda a: a.assessment.score)
    return Analysis(assessment, weakest.features, weakest.grounds, content)


def _analyse(claim: str, source: Source, model: MatchModel, finders: Sequence[Finder]) -> Analysis:
    claim_tokens = tokenize(claim)
    claim_dates = find_dates(claim)
    content = [t for t in claim_tokens if t.norm not in STOPWORDS or _is_month(t, claim_dates)]
    if not content or source.page.empty:
        whole = (whole_claim(claim),) if claim.strip() else ()
        assessment = Assessment(0.0, Verdict.UNSUPPORTED, None, whole)
        return Analysis(assessment, Features.nothing_backed(), NOTHING_BACKED)

    weights = [_token_weight(t, index, claim_tokens, model) for index, t in enumerate(content)]
    retrieval = _retrieve(source, content, weights)
    evidence, window_tokens = _evidence(source, retrieval)
    found = evidence is not None
    mentions = gather(claim, claim_dates, source, retrieval if found else None)
    subject = refer(claim_tokens, claim, window_tokens, source.text, source.states)
    masks = cover(content, retrieval, mentions, subject)
    context = Context(
        claim=claim,
        tokens=claim_tokens,
        source=source,
        alignment=align(
            content, [t for t in window_tokens if t.is_content], _accepted(source, content)
        ),
        mentions=mentions,
        subject=subject,
        definition=_definition(claim, claim_tokens, content, masks.window, window_tokens, source),
        passages=(retrieval.window, *retrieval.passages),
    )
    flags = discrepancies(context, finders)
    signals, odds, unbacked = _unbacked_words(
        content, weights, masks, source, window_tokens, flags, model
    )
    flags.extend(
        unsupported_spans(
            claim, claim_tokens, content, unbacked, odds, signals.window, flags, model
        )
    )
    flags.sort(key=lambda flag: (flag.start, flag.end))

    features = build(
        content, weights, masks, flags, context.alignment, context.definition, odds, source
    )
    grounds = weigh(content, weights, masks, flags, subject.implied, source)
    score = model.score(features)
    assessment = Assessment(round(score, 4), decide(score, grounds, model), evidence, tuple(flags))
    coverage = {
        "window": masks.window,
        "passages": masks.passages,
        "page": masks.page,
        "around": masks.around,
    }
    return Analysis(assessment, features, grounds, tuple(content), coverage, signals)


def _retrieve(source: Source, content: list[Token], weights: list[float]) -> Retrieval:
    # Names say which passage is about the claim's subject; the other words say which one
    # states what the claim says about it: choose the passage mostly by the latter.
    selection = [
        SELECTION_NAME_WEIGHT if token.is_capitalised and index else weight
        for index, (token, weight) in enumerate(zip(content, weights, strict=True))
    ]
    return retrieve(source.page, [t.norm for t in content], weights, selection)


def _accepted(source: Source, content: list[Token]) -> dict[str, frozenset[str]]:
    """Each claim word's normal form -> the page's normal forms accepted for it."""
    return {
        norm: frozenset(source.page.equivalents(norm)) | {norm}
        for norm in {token.norm for token in content}
    }


def _unbacked_words(
    content: list[Token],
    weights: list[float],
    masks: Masks,
    source: Source,
    window_tokens: list[Token],
    flags: list[Flag],
    model: MatchModel,
) -> tuple[WordSignals, list[float], int]:
    """The per-word model's signals, log-odds that each content word is unbacked, and the
    mask of the words it judges unbacked.

    Unsupported words are judged mostly against the evidence and the lines around it: a
    word found only in some other part of the page is rarely said there about this claim. A
    name the source gives only by surname or pronoun counts for the verdict, but the source
    never writes it: the word model may still flag it ("Ines" in "Ines Marlow" against
    "Marlow moved"), as annotators do."""
    stated = masks.without(masks.implied)
    total = sum(weights)
    signals = WordSignals(
        content=content,
        window=stated.window,
        around=stated.around,
        passages=stated.passages,
        page=stated.page,
        claim_window=weight(stated.window, weights) / total,
        claim_passages=weight(stated.passages, weights) / total,
        unit_counts=[len(source.page.units_with(token.norm)) for token in content],
        unit_total=len(source.page.units),
        window_words=[t.norm for t in window_tokens],
        discrepancies=tuple(flags),
    )
    odds = relative_odds(
        unbacked_odds(signals, model.token_weights, model.token_bias), model.token_relative
    )
    return signals, odds, unbacked_mask(signals, odds, model.token_threshold)


def _is_month(token: Token, claim_dates: list[DateMention]) -> bool:
    """The stopword "may" read as the month inside a date ("born in May"): a slot to compare."""
    return (
        any(date.month is not None and date.start <= token.start < date.end for date in claim_dates)
        and fold(token.text) in MONTHS
    )


def _token_weight(token: Token, index: int, claim_tokens: list[Token], model: MatchModel) -> float:
    if index == 0 and _is_anaphoric_subject(claim_tokens, token):
        return model.light_weight
    if token.is_number:
        return model.number_weight
    if token.is_capitalised and token is not claim_tokens[0]:
        return model.capital_weight
    if token.text.lower() in LIGHT_WORDS:
        return model.light_weight
    return 1.0


SELECTION_NAME_WEIGHT = 1.0
"""Weight of a name when choosing the best passage (names weigh more for coverage)."""

_ANAPHORS = frozenset(["the", "this", "these", "that", "those", "its", "his", "her", "their"])


def _is_anaphoric_subject(claim_tokens: list[Token], token: Token) -> bool:
    """ "The film ...", "This group ...": a generic noun standing for the article's subject,
    which the cited page usually calls by its name."""
    return (
        len(claim_tokens) > 1
        and claim_tokens[1] is token
        and claim_tokens[0].text.lower() in _ANAPHORS
        and not token.is_capitalised
    )


def _evidence(source: Source, retrieval: Retrieval) -> tuple[Evidence | None, list[Token]]:
    units = source.page.units
    if not units or not retrieval.window_mask:
        return None, []
    first, end = retrieval.window
    start_unit, end_unit = units[first], units[end - 1]
    evidence = Evidence(
        source.text[start_unit.start : end_unit.end], start_unit.start, end_unit.end
    )
    return evidence, source.page.tokens_in(first, end)


def _definition(
    claim: str,
    claim_tokens: list[Token],
    content: list[Token],
    window_mask: int,
    window_tokens: list[Token],
    source: Source,
) -> PredicateComparison | None:
    """The claim's "X is a ..." against the evidence's definition of X (predicates.py)."""
    found = predicates(claim_tokens, claim)
    if not found or not window_tokens:
        return None
    definition = found[0]
    position = claim_tokens.index(definition.copula)
    backed_starts = {token.start for index, token in enumerate(content) if window_mask >> index & 1}
    return compare_predicates(
        definition,
        claim_tokens[:position],
        window_tokens,
        source.text,
        lambda token: token.start in backed_starts,
    )
