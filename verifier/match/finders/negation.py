"""Negation: the source denies what the claim states, or the claim denies what it states.

"The council refused to fund the line" against "agreed to fund the line"; "has never
appeared" against "appeared"; a denial by meaning ("has *yet to* appear", "*childless*")
against a plain statement.
"""

from __future__ import annotations

import re

from verifier.match.alignment import Alignment
from verifier.match.finders.base import Context
from verifier.match.tokens import Token, fold, is_negation, normalise, tokenize, word_set
from verifier.model import Flag, FlagKind, Severity


def find(context: Context) -> list[Flag]:
    alignment, claim_text, source_text = context.alignment, context.claim, context.source.text
    claim, source = alignment.claim, alignment.source
    flags: list[Flag] = []
    for slot in context.slots:
        negation = _negated_match(alignment, slot.claim_start, slot.claim_end, claim_text)
        source_words = source[slot.source_start : slot.source_end]
        if negation is not None and not any(is_negation(t, source_text) for t in source_words):
            flags.append(_negation_flag(alignment, negation, claim_text, source_text))
    # A claim negation whose governed word the passage states far from the claim's other words
    # (a slot too long to compare): "not the first woman" against "became the first woman".
    flagged = {(flag.start, flag.end) for flag in flags}
    for index, token in enumerate(claim):
        if not is_negation(token, claim_text) or index + 1 not in alignment.pairs:
            continue
        if _negation_qualified(token, claim_text):
            continue
        governed = alignment.pairs[index + 1]
        before = source[max(governed - _NEGATION_REACH, 0) : governed]
        if any(is_negation(t, source_text) for t in before):
            continue
        flag = _negation_flag(alignment, index, claim_text, source_text)
        if (flag.start, flag.end) not in flagged and index not in alignment.pairs:
            flags.append(flag)
            flagged.add((flag.start, flag.end))
    if not flags:
        flags.extend(_claim_denial(alignment, claim_text, source_text))
    if not flags:
        flags.extend(_source_negation(alignment, claim_text, source_text))
    return flags


def _negated_match(
    alignment: Alignment, claim_start: int, claim_end: int, claim_text: str
) -> int | None:
    """Index of a claim negation in the slot whose governed word the source states plainly.

    "never abdicated" against "he abdicated": the source says the opposite. "not a musician"
    against "a football player" is no contradiction: the source does not mention musicians.
    """
    claim = alignment.claim
    for index in range(claim_start, claim_end):
        if is_negation(claim[index], claim_text):
            if _negation_qualified(claim[index], claim_text):
                return None
            governed = index + 1
            if governed < len(claim) and governed in alignment.pairs:
                return index
            return None
    return None


def _negation_flag(alignment: Alignment, negation: int, claim_text: str, source_text: str) -> Flag:
    """Flag "not agree" (the negation and the word it governs) against the source's "agreed"."""
    first, last = alignment.claim[negation], alignment.claim[negation + 1]
    verb = alignment.source[alignment.pairs[negation + 1]]
    phrase = claim_text[first.start : last.end]
    return Flag(
        first.start,
        last.end,
        FlagKind.NEGATION,
        phrase,
        source_text[verb.start : verb.end],
        Severity.CONFLICT,
    )


def _claim_denial(alignment: Alignment, claim_text: str, source_text: str) -> list[Flag]:
    """A claim denying, by a word of meaning rather than "not", what the passage states
    plainly: "has *yet to* appear" against "makes appearances", "born *outside* of Valparaiso"
    against "born in Valparaiso", "*childless*" against "they have two children"."""
    words = tokenize(claim_text)
    for index, word in enumerate(words):
        if not _denies(word, claim_text):
            continue
        folded = fold(word.text)
        if folded.endswith("less") and folded not in _DENIALS:
            governed: Token | None = Token(word.start, word.end, word.text, normalise(folded[:-4]))
        else:
            governed = next((w for w in words[index + 1 :] if w.is_content), None)
        if governed is None:
            continue
        for theirs in alignment.source:
            if alignment.accepts(governed, theirs) and not _denied(source_text, theirs.start):
                return [
                    Flag(
                        word.start,
                        governed.end,
                        FlagKind.NEGATION,
                        claim_text[word.start : governed.end],
                        source_text[theirs.start : theirs.end],
                        Severity.CONFLICT,
                    )
                ]
    return []


def _denies(word: Token, text: str) -> bool:
    folded = fold(word.text)
    after = text[word.end : word.end + 6].lower()
    if folded == "yet":
        return after.startswith(" to ")
    if folded == "other":
        return after.startswith(" than ")
    return folded in _DENIALS or (folded.endswith("less") and len(folded) > 6)


def _denied(text: str, position: int) -> bool:
    """The passage's word at `position` is itself negated or denied ("barely residential")."""
    if negated_before(text, position) is not None:
        return True
    return any(_denies(word, text) for word in tokenize(text, max(position - 30, 0), position)[-2:])


_DENIALS = word_set(
    """
    incapable unwilling unaware outside disassociated dissociated barely hardly lack lacks
    lacked lacking unrelated
    """
)
"""Words that deny what follows them without a negation ("incapable of", "outside of")."""


def _source_negation(alignment: Alignment, claim_text: str, source_text: str) -> list[Flag]:
    """A negation in the passage over a word the claim states plainly: "the council
    *refused* to fund the tram line" against "agreed to fund the tram line", "did *not*
    approve the budget" against "approved the budget". Claims with a negative word of their
    own are left to the claim-side rules: their scope is not known well enough to compare."""
    claim_words = tokenize(claim_text)
    if any(_negative_word(word, claim_text) for word in claim_words):
        return []
    # Every occurrence counts, not only the one aligned in order: "has never appeared on
    # the cover of a journal" against "was on a journal cover".
    stated = (
        (token, theirs)
        for token in alignment.claim
        if not (token.is_capitalised or token.is_number)  # names: the negation is of a deed
        for theirs in alignment.source
        if alignment.accepts(token, theirs)
    )
    for token, theirs in stated:
        negation = negated_before(source_text, theirs.start)
        if negation is not None:
            return [
                Flag(
                    token.start,
                    token.end,
                    FlagKind.NEGATION,
                    claim_text[token.start : token.end],
                    source_text[negation.start : theirs.end],
                    Severity.CONFLICT,
                )
            ]
    return []


def _negative_word(word: Token, text: str) -> bool:
    """A word that makes a claim negative or limited in meaning, if not in form."""
    return is_negation(word, text) or _denies(word, text) or fold(word.text) in _LIMITING


_LIMITING = word_set(
    """
    only impossible absent away instead other besides except excluding unknown unsuccessful
    unlikely unmarried unreleased unfinished uncredited unsigned unnamed inactive ineligible
    """
)
"""Words that limit or negate a claim without denying the word after them ("only", "unknown")."""


def negated_before(text: str, position: int) -> Token | None:
    """The negation governing the word at `position`: within the few words before it and
    the same clause ("it *refused* to fund the line", "*has yet to* appear", "did *not*
    approve the budget"), unless it only limits the word ("not only"); None when there is none."""
    start = max(text.rfind(mark, 0, position) for mark in _CLAUSE_MARKS) + 1
    words = tokenize(text, max(start, position - _NEGATION_CHARS), position)[-_NEGATION_WORDS:]
    for index, word in enumerate(words):
        if is_negation(word, text) and not _negation_qualified(word, text):
            return word
        if (
            fold(word.text) == "yet"
            and 0 < index < len(words) - 1
            and fold(words[index - 1].text) in _PERFECT
            and fold(words[index + 1].text) == "to"
        ):
            return words[index - 1]
    return None


_CLAUSE_MARKS = (",", ";", ":", ".", "(", ")", "\n", " but ", " while ", " whereas ", " although ")
_NEGATION_WORDS = 5
_NEGATION_CHARS = 60
_PERFECT = word_set("has have had is are was were")


_NEGATION_REACH = 3
"""Passage words before a governed word in which its own negation would stand."""

_QUALIFIERS = re.compile(r"\s+(?:only|just|merely|simply|solely|necessarily|always)\b", re.I)


def _negation_qualified(token: Token, claim_text: str) -> bool:
    """ "not only a singer", "not just a film": the negation limits a word, not the statement."""
    return _QUALIFIERS.match(claim_text, token.end) is not None
