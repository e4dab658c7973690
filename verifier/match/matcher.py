"""Assess one claim against one source text: evidence, features, flags, score and verdict."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from verifier.match import discrepancies
from verifier.match.alignment import Alignment, align
from verifier.match.passages import PageIndex, Retrieval, retrieve
from verifier.match.predicates import PredicateComparison, predicates
from verifier.match.predicates import compare as compare_predicates
from verifier.match.quantities import (
    MONTHS,
    DateMention,
    NumberMention,
    find_dates,
    find_mentions,
    find_numbers,
    index_words,
    years_of,
)
from verifier.match.scoring import CONFLICT_KINDS, FEATURE_NAMES, MatchModel, packaged_model
from verifier.match.subjects import Subject, refer
from verifier.match.tokenmask import (
    WordSignals,
    relative_odds,
    unbacked_mask,
    unbacked_odds,
)
from verifier.match.tokens import LIGHT_WORDS, STOPWORDS, Token, fold, tokenize, word_set
from verifier.model import Assessment, Evidence, Flag, Verdict


@dataclass
class Source:
    """A source text prepared once for any number of claims.

    Its units are cut up front; words are searched, and dates, numbers and the quote lookup
    string parsed, only as claims need them (and cached for the next claim).
    """

    text: str
    page: PageIndex
    _mentions: dict[int, tuple[list[DateMention], list[NumberMention]]] = field(
        default_factory=dict, repr=False
    )
    _word_string: str | None = field(default=None, repr=False)

    @classmethod
    def prepare(cls, text: str) -> Source:
        return cls(text, PageIndex.build(text))

    def mentions(self, units: Iterable[int]) -> tuple[list[DateMention], list[NumberMention]]:
        """Dates and numbers stated in the given units (parsed once per unit)."""
        dates: list[DateMention] = []
        numbers: list[NumberMention] = []
        for unit in sorted(set(units)):
            found = self._mentions.get(unit)
            if found is None:
                span = self.page.units[unit]
                found = self._mentions[unit] = find_mentions(self.text, span.start, span.end)
            dates.extend(found[0])
            numbers.extend(found[1])
        return dates, numbers

    def mentions_like(
        self, claim_mentions: Sequence[DateMention | NumberMention]
    ) -> tuple[list[DateMention], list[NumberMention]]:
        """Page dates and numbers that could state the claim's (only units sharing a word)."""
        units: set[int] = set()
        for mention in claim_mentions:
            for word in index_words(mention):
                units.update(self.page.units_with(word))
        return self.mentions(units)

    def states(self, token: Token) -> bool:
        """Whether the source has the word anywhere (or an accepted variant of it)."""
        return bool(self.page.equivalents(token.norm))

    @property
    def word_string(self) -> str:
        if self._word_string is None:
            self._word_string = discrepancies.page_word_string(self.page.search_text)
        return self._word_string


@dataclass(frozen=True)
class Values:
    """The claim's dates and numbers, and the page's and evidence window's that matter."""

    claim_dates: list[DateMention]
    claim_numbers: list[NumberMention]
    page: tuple[list[DateMention], list[NumberMention]]
    """Page mentions that could state the claim's values (units sharing a word with them)."""
    window: tuple[list[DateMention], list[NumberMention]]


@dataclass(frozen=True)
class Analysis:
    """Everything the matcher worked out for one claim (the Assessment plus its features)."""

    assessment: Assessment
    features: dict[str, float]
    content: tuple[Token, ...] = ()
    """The claim's content words; bit i of each mask in `coverage` is content[i]."""
    coverage: dict[str, int] = field(default_factory=dict)
    """Which content words the window, the passages and the page back."""
    signals: WordSignals | None = None
    """The per-word signals behind the unsupported flags (for fitting their model)."""


def assess(claim: str, source: str, model: MatchModel | None = None) -> Assessment:
    """Judge how well `source` (plain main text) supports `claim`. Never UNAVAILABLE."""
    return analyse(claim, Source.prepare(source), model).assessment


def analyse(claim: str, source: Source, model: MatchModel | None = None) -> Analysis:
    """`assess` with its features exposed (for fitting and benchmarks)."""
    model = model or packaged_model()
    claim_tokens = tokenize(claim)
    claim_dates = find_dates(claim)
    content = [t for t in claim_tokens if t.norm not in STOPWORDS or _is_month(t, claim_dates)]
    page = source.page
    if not content or page.empty:
        whole = (_whole_claim_flag(claim),) if claim.strip() else ()
        return Analysis(Assessment(0.0, Verdict.UNSUPPORTED, None, whole), _empty_features())

    weights = [_token_weight(t, index, claim_tokens, model) for index, t in enumerate(content)]
    norms = [t.norm for t in content]
    equivalents = {norm: frozenset(page.equivalents(norm)) | {norm} for norm in set(norms)}
    # Names say which passage is about the claim's subject; the other words say which one
    # states what the claim says about it: choose the passage mostly by the latter.
    selection = [
        SELECTION_NAME_WEIGHT if token.is_capitalised and index else weight
        for index, (token, weight) in enumerate(zip(content, weights, strict=True))
    ]
    retrieval = retrieve(page, norms, weights, selection)
    evidence, window_tokens = _evidence(source, retrieval)
    alignment = align(content, [t for t in window_tokens if t.norm not in STOPWORDS], equivalents)
    values = _values(claim, claim_dates, source, retrieval, evidence is not None)
    subject = refer(claim_tokens, claim, window_tokens, source.text, source.states)
    masks = _coverage(content, retrieval, values, subject)
    definition = _definition(claim, claim_tokens, content, masks.window, window_tokens, source)
    # Values the page does not state, with nothing conflicting, are left to the unsupported
    # spans below (which join them with their neighbours: "on 24 October 1996").
    flags = [
        flag
        for flag in _discrepancy_flags(
            claim, claim_tokens, content, source, alignment, values, definition, subject
        )
        if flag.kind != "unsupported"
    ]
    # Unsupported words are judged mostly against the evidence and the lines around it: a word
    # found only in some other part of the page is rarely said there about this claim.
    # A name the source gives only by surname or pronoun counts for the verdict, but the
    # source never writes it: the word model may still flag it ("Ines" in "Ines Marlow"
    # against "Marlow moved"), as annotators do.
    stated = masks.without(masks.implied)
    signals = WordSignals(
        content=content,
        window=stated.window,
        around=stated.around,
        passages=stated.passages,
        page=stated.page,
        claim_window=_weight(stated.window, weights) / sum(weights),
        claim_passages=_weight(stated.passages, weights) / sum(weights),
        unit_counts=[len(page.units_with(norm)) for norm in norms],
        unit_total=len(page.units),
        window_words=[t.norm for t in window_tokens],
        discrepancies=tuple(flags),
    )
    word_odds = relative_odds(
        unbacked_odds(signals, model.token_weights, model.token_bias), model.token_relative
    )
    unbacked = unbacked_mask(signals, word_odds, model.token_threshold)
    unsupported = _unsupported_flags(
        claim, claim_tokens, content, ~unbacked, model, flags, signals.window
    )
    flags.extend(_strongest_spans(unsupported, content, word_odds, unbacked, model))
    flags.sort(key=lambda flag: (flag.start, flag.end))

    features = _features(content, weights, masks, flags)
    features["substitutions"] = float(_substitutions(alignment, masks.page))
    features["other_definition"] = float(definition is not None and definition.other_head)
    features["other_modifier"] = float(definition is not None and definition.other_modifier)
    features["denied_other_definition"] = float(definition is not None and definition.denied_other)
    # What the per-word model makes of the words the passage lacks: its surest one, and how
    # many it expects (the words the passage states count as backed).
    outside = [
        1.0 / (1.0 + math.exp(-odds))
        for index, odds in enumerate(word_odds)
        if not masks.window >> index & 1
    ]
    features["unbacked_surest"] = max(outside, default=0.0)
    features["unbacked_expected"] = math.log1p(sum(outside))
    # Words neither the passage nor the lines around it state, counted: one missing detail
    # makes a claim partial however long it is.
    features["missing_around"] = math.log1p(len(content) - bin(masks.around).count("1"))
    # A source of a sentence or two (a quotation, an excerpt) either states a word or does
    # not; a whole page may state it in words the matcher cannot tie to the claim's. So what
    # is missing weighs differently in the two.
    brief = float(len(page.units) <= BRIEF_SOURCE_UNITS)
    features["brief_source"] = brief
    features["brief_missing"] = brief * features["missing_around"]
    features["brief_surest"] = brief * features["unbacked_surest"]
    features["brief_substitutions"] = brief * features["substitutions"]
    features["unbacked_run"] = float(
        _longest_unsupported([t for t in content if t.start not in subject.implied], flags)
    )
    score = model.score(features)
    verdict = model.verdict(score, features)
    if verdict is Verdict.CONTRADICTED:
        score = min(score, model.partial_threshold * 0.5)
    elif features["conflicts"] and verdict is Verdict.SUPPORTED:
        verdict = Verdict.PARTIAL
    coverage = {
        "window": masks.window,
        "passages": masks.passages,
        "page": masks.page,
        "around": masks.around,
    }
    assessment = Assessment(round(score, 4), verdict, evidence, tuple(flags))
    return Analysis(assessment, features, tuple(content), coverage, signals)


@dataclass(frozen=True)
class _Masks:
    """Which claim content words (bit i = word i) each level of the source backs."""

    window: int
    passages: int
    page: int
    around: int
    """The window and the units on either side of it."""
    value_words: int
    """Words inside the claim's dates and numbers."""
    unbacked_values: int
    """How many of the claim's dates and numbers the page does not state."""
    implied: int = 0
    """Names backed only by reference (a surname alone, a pronoun): subjects.refer."""

    def without(self, words: int) -> _Masks:
        """These masks with `words` unbacked at every level."""
        return replace(
            self,
            window=self.window & ~words,
            passages=self.passages & ~words,
            page=self.page & ~words,
            around=self.around & ~words,
        )


def _is_month(token: Token, claim_dates: list[DateMention]) -> bool:
    """The stopword "may" read as the month inside a date ("born in May"): a slot to compare."""
    return (
        any(date.month is not None and date.start <= token.start < date.end for date in claim_dates)
        and fold(token.text) in MONTHS
    )


def _values(
    claim: str,
    claim_dates: list[DateMention],
    source: Source,
    retrieval: Retrieval,
    has_evidence: bool,
) -> Values:
    claim_numbers = find_numbers(claim, claim_dates)
    if not claim_dates and not claim_numbers:
        return Values(claim_dates, claim_numbers, ([], []), ([], []))
    window = source.mentions(range(*retrieval.window)) if has_evidence else ([], [])
    like = source.mentions_like([*claim_dates, *claim_numbers])
    page_values = (_union(like[0], window[0]), _union(like[1], window[1]))
    # The page's own date (its byline or publication stamp) dates every passage in it: "On
    # December 20, 2018, Perez announced" is backed by a report dated December 20, 2018. A
    # bare year is not: a report from 2016 tells of much that did not happen in 2016.
    datelines = [
        page_date
        for page_date in like[0]
        if any(date.month is not None and date.backed_by(page_date) for date in claim_dates)
        and discrepancies.is_dateline(source.text, page_date)
    ]
    window = (_union(window[0], datelines), window[1])
    return Values(claim_dates, claim_numbers, page_values, window)


def _coverage(
    content: list[Token], retrieval: Retrieval, values: Values, subject: Subject
) -> _Masks:
    # Words of dates and numbers count as backed only when the value is: "27 July 2018" is not
    # backed by a "27", a "July" and a "2018" scattered over the page; "1.5 million" is backed
    # by "1,500,000" though no word matches.
    in_page, in_window, value_words, unbacked = _value_backed(content, values)
    # Names the passage refers to by surname or pronoun are backed wherever it is.
    implied = sum(
        1 << index for index, token in enumerate(content) if token.start in subject.implied
    )
    in_page |= implied
    in_window |= implied
    window = (retrieval.window_mask & ~value_words) | in_window
    first, end = retrieval.window
    neighbours = retrieval.unit_masks.get(first - 1, 0) | retrieval.unit_masks.get(end, 0)
    return _Masks(
        window=window,
        passages=(retrieval.passages_mask & ~value_words) | in_page,
        page=(retrieval.page_mask & ~value_words) | in_page,
        around=window | (neighbours & ~value_words),
        value_words=value_words,
        unbacked_values=unbacked,
        implied=implied,
    )


def _features(
    content: list[Token], weights: list[float], masks: _Masks, flags: list[Flag]
) -> dict[str, float]:
    total = sum(weights)
    # A discrepancy is a contradiction when the rest of the claim is found around it.
    in_conflict = sum(
        1 << index
        for index, token in enumerate(content)
        if any(f.start <= token.start < f.end for f in flags if _is_conflict(f))
    )
    rest = total - _weight(in_conflict, weights)
    return {
        # How much of the claim (by weight) the best passage, and a few passages, back.
        "coverage_window": _weight(masks.window, weights) / total,
        "coverage_passages": _weight(masks.passages, weights) / total,
        # How much is left unbacked, absolutely: one missing detail makes a claim partial
        # however long it is.
        "missing_passages": math.log1p(total - _weight(masks.passages, weights)),
        "missing_values": float(masks.unbacked_values),
        "missing_names": _missing_share(content, masks.page, lambda t: t.is_capitalised),
        "conflicts": float(sum(1 for f in flags if _is_conflict(f))),
        "length": math.log1p(len(content)),
        "predicate_coverage": _predicate_coverage(content, masks.passages, masks.value_words),
        # Not a model input: the verdict's test for "contradicted".
        "anchored_coverage": (
            _weight(masks.window & ~in_conflict, weights) / rest if rest > 0 else 0.0
        ),
    }


def _substitutions(alignment: Alignment, page_mask: int) -> int:
    """Places where the passage, aligned with the claim, says other words than the claim and
    the page nowhere states the claim's ("comedy drama *book*" vs "comedy drama *film*")."""
    return sum(
        1
        for slot in alignment.slots()
        if slot.bounded
        and 0 < slot.source_end - slot.source_start <= SUBSTITUTION_MAX_WORDS
        and not any(page_mask >> index & 1 for index in range(slot.claim_start, slot.claim_end))
    )


SUBSTITUTION_MAX_WORDS = 4

BRIEF_SOURCE_UNITS = 3
"""A source of at most this many sentences or lines is an excerpt, not a page."""


def _longest_unsupported(content: list[Token], flags: list[Flag]) -> int:
    """Content words in the longest unsupported phrase (not a model input: the verdict's
    test for an unbacked clause)."""
    return max(
        (
            sum(1 for token in content if flag.start <= token.start < flag.end)
            for flag in flags
            if flag.kind == "unsupported"
        ),
        default=0,
    )


def _is_conflict(flag: Flag) -> bool:
    """A discrepancy with the source's own words; without them a flag is only unsupported."""
    return flag.kind in CONFLICT_KINDS and flag.source is not None


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


def _predicate_coverage(content: list[Token], covered: int, value_words: int) -> float:
    """Share of the claim's common words (not names, not values) that the passages back: what
    the claim says about its subject, which a page naming the subject everywhere can lack."""
    predicate = [
        index
        for index, token in enumerate(content)
        if not token.is_capitalised and not value_words >> index & 1
    ]
    if not predicate:
        return 1.0
    return sum(1 for index in predicate if covered >> index & 1) / len(predicate)


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


def _weight(mask: int, weights: list[float]) -> float:
    return sum(w for index, w in enumerate(weights) if mask >> index & 1)


def _missing_share(content: list[Token], page_mask: int, kind: Callable[[Token], bool]) -> float:
    relevant = [index for index, token in enumerate(content) if kind(token)]
    if not relevant:
        return 0.0
    return sum(1 for index in relevant if not page_mask >> index & 1) / len(relevant)


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


def _discrepancy_flags(
    claim: str,
    claim_tokens: list[Token],
    content: list[Token],
    source: Source,
    alignment: Alignment,
    values: Values,
    definition: PredicateComparison | None,
    subject: Subject,
) -> list[Flag]:
    page = source.page
    flags = discrepancies.title_flags(
        claim_tokens,
        claim,
        lambda norm: [page.tokens(unit) for unit in page.units_with(norm)],
        source.text,
    )
    flags.extend(discrepancies.slot_flags(alignment, claim, source.text, source.states))
    slot_of, closing = _slots_by_offset(
        alignment, content, [*values.claim_dates, *values.claim_numbers]
    )
    flags.extend(
        discrepancies.number_flags(
            values.claim_numbers,
            values.page[1],
            values.window[1],
            claim,
            source.text,
            slot_of,
            closing,
        )
    )
    flags.extend(
        discrepancies.date_flags(
            values.claim_dates,
            values.page[0],
            values.window[0],
            claim,
            source.text,
            slot_of,
        )
    )
    names = [*subject.other_first_names]
    if definition is not None and definition.name is not None:
        names.append(definition.name)
    flags.extend(
        Flag(mine.start, mine.end, "name", mine.text, theirs.text) for mine, theirs in names
    )
    if any(mark in claim for mark in ('"', "\u201c", "\u2018")):
        flags.extend(discrepancies.quote_flags(claim, source.word_string, source.text))
    return _without_overlaps(flags)


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


def _value_backed(content: list[Token], values: Values) -> tuple[int, int, int, int]:
    """Bitmasks of claim words inside numbers/dates the page (and the evidence) states, of
    all words inside the claim's numbers/dates, and how many of those values are unbacked."""
    in_page = in_window = value_words = 0
    mentions: list[DateMention | NumberMention] = [*values.claim_numbers, *values.claim_dates]
    for mention in mentions:
        for index, token in enumerate(content):
            if mention.start <= token.start < mention.end:
                value_words |= 1 << index
    backed: list[tuple[int, int, bool]] = []
    for number in values.claim_numbers:
        if any(number.matches(other) for other in values.page[1]):
            in_evidence = any(number.matches(other) for other in values.window[1])
            backed.append((number.start, number.end, in_evidence))
    years = years_of(values.page[0])
    for date in values.claim_dates:
        if date.backed_in(values.page[0], years):
            in_evidence = date.backed_in(values.window[0], years)
            backed.append((date.start, date.end, in_evidence))
    for start, end, inside_evidence in backed:
        for index, token in enumerate(content):
            if start <= token.start < end:
                in_page |= 1 << index
                if inside_evidence:
                    in_window |= 1 << index
    unbacked = len(values.claim_numbers) + len(values.claim_dates) - len(backed)
    return in_page, in_window, value_words, unbacked


_Mention = TypeVar("_Mention", DateMention, NumberMention)


def _union(first: list[_Mention], second: list[_Mention]) -> list[_Mention]:
    seen = {(m.start, m.end) for m in first}
    return first + [m for m in second if (m.start, m.end) not in seen]


def _slots_by_offset(
    alignment: Alignment, content: list[Token], mentions: list[DateMention | NumberMention]
) -> tuple[dict[int, tuple[int, int]], frozenset[int]]:
    """Source character range facing each mention (keyed by its start offset in the claim),
    and the mentions that close their slot (so the facing source value is its last one)."""
    slots: dict[int, tuple[int, int]] = {}
    closing: set[int] = set()
    all_slots = alignment.slots()
    for mention in mentions:
        inside = [
            index
            for index, token in enumerate(content)
            if mention.start <= token.start < mention.end and index not in alignment.pairs
        ]
        if not inside:
            continue
        slot = next((s for s in all_slots if s.claim_start <= inside[0] < s.claim_end), None)
        if slot is None or slot.source_start >= slot.source_end:
            continue
        words = alignment.source
        slots[mention.start] = (words[slot.source_start].start, words[slot.source_end - 1].end)
        if inside[-1] == slot.claim_end - 1:
            closing.add(mention.start)
    return slots, frozenset(closing)


def _without_overlaps(flags: list[Flag]) -> list[Flag]:
    """Keep the first flag of each overlapping group (finders run most specific first)."""
    kept: list[Flag] = []
    for flag in flags:
        if all(flag.end <= other.start or other.end <= flag.start for other in kept):
            kept.append(flag)
    return kept


def _unsupported_flags(
    claim: str,
    claim_tokens: list[Token],
    content: list[Token],
    covered_mask: int,
    model: MatchModel,
    typed: list[Flag],
    stated_mask: int,
) -> list[Flag]:
    """Spans of claim words no chosen passage backs, joined across short gaps of function
    words and of content words the passage does not state (`stated_mask`: the ones it does).

    A word the model was unsure of between two unbacked ones (the "air" of "a hot air
    balloon") is usually part of the same unbacked phrase; a word the passage states is not
    taken in: a flag must be explainable by pointing at the passage."""
    untyped = [not any(flag.start <= token.start < flag.end for flag in typed) for token in content]
    unbacked = {
        token.start
        for index, token in enumerate(content)
        if not covered_mask >> index & 1 and untyped[index]
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
                    and fold(claim_tokens[lead - 1].text) not in _WEAK_OPENERS
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
    flags: list[Flag] = []
    for start, end in spans:
        flags.append(Flag(start, end, "unsupported", claim[start:end], None))
    return flags


def _strongest_spans(
    spans: list[Flag], content: list[Token], odds: list[float], unbacked: int, model: MatchModel
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


_WEAK_OPENERS = word_set("a an is was are were be been he she it they we i you him them")
"""Function words an unsupported phrase does not take in ("was *born in Leeds*"): in the
WiCE training marks an indefinite article or a copula before an unbacked phrase is mostly
left unmarked (about one in five), unlike "in" or "the". Nor a personal pronoun ("he *ran
the club*"): it stands for someone the claim's context names, not for a detail the page
lacks (about one in five marked in the same data)."""


def _whole_claim_flag(claim: str) -> Flag:
    start = len(claim) - len(claim.lstrip())
    end = len(claim.rstrip())
    return Flag(start, end, "unsupported", claim[start:end], None)


def _empty_features() -> dict[str, float]:
    features = dict.fromkeys((*FEATURE_NAMES, "anchored_coverage"), 0.0)
    features["unbacked_surest"] = 1.0
    features["unbacked_expected"] = 1.0
    features["missing_names"] = 1.0
    return features
