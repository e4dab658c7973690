"""Negation: the source denies what the claim states, or the claim denies what it states.

"The council refused to fund the line" against "agreed to fund the line"; "has never
appeared" against "appeared"; a denial by meaning ("has *yet to* appear", "*childless*")
against a plain statement. A word under "afraid to", "planned to", "expected to" is not
asserted as done, so no negation contradicts it; "desisted from", "refrained from" negate
like "did not".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

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
    passage = _Passage(alignment, source_text)
    if not flags:
        flags.extend(_claim_denial(context.tokens, claim_text, passage))
    if not flags:
        flags.extend(_source_negation(context.tokens, claim_text, passage))
    return flags


class _Passage:
    """The passage's words by normal form, and which of them a negation governs (each
    looked up once: the finder's cost stays linear in claim and passage length)."""

    def __init__(self, alignment: Alignment, text: str) -> None:
        self.alignment = alignment
        self.text = text
        self.words = alignment.source
        self.by_norm: dict[str, list[int]] = {}
        for index, word in enumerate(self.words):
            self.by_norm.setdefault(word.norm, []).append(index)
        self._negations: dict[int, Token | None] = {}
        self._denied: dict[int, bool] = {}

    def accepted(self, claim_word: Token) -> list[int]:
        """Indices of passage words that state `claim_word`, in passage order."""
        norms = self.alignment.equivalents.get(claim_word.norm, frozenset({claim_word.norm}))
        return sorted(index for norm in norms for index in self.by_norm.get(norm, ()))

    def negation(self, index: int) -> Token | None:
        if index not in self._negations:
            self._negations[index] = negated_before(self.text, self.words[index].start)
        return self._negations[index]

    def denied(self, index: int) -> bool:
        """The word is itself negated or denied ("barely residential")."""
        if index not in self._denied:
            position = self.words[index].start
            self._denied[index] = self.negation(index) is not None or any(
                _denies(word, self.text)
                for word in tokenize(self.text, max(position - 30, 0), position)[-2:]
            )
        return self._denied[index]


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


def _claim_denial(tokens: Sequence[Token], claim_text: str, passage: _Passage) -> list[Flag]:
    """A claim denying, by a word of meaning rather than "not", what the passage states
    plainly: "has *yet to* appear" against "makes appearances", "born *outside* of Valparaiso"
    against "born in Valparaiso", "*childless*" against "they have two children"."""
    for index, word in enumerate(tokens):
        if not _denies(word, claim_text):
            continue
        folded = fold(word.text)
        governed: Token | None
        if folded.endswith("less") and folded not in _DENIALS:
            governed = Token(word.start, word.end, word.text, normalise(folded[:-4]))
        else:
            governed = next(
                (tokens[i] for i in range(index + 1, len(tokens)) if tokens[i].is_content), None
            )
        if governed is None:
            continue
        for theirs in passage.accepted(governed):
            if not passage.denied(theirs):
                stated = passage.words[theirs]
                return [
                    Flag(
                        word.start,
                        governed.end,
                        FlagKind.NEGATION,
                        claim_text[word.start : governed.end],
                        passage.text[stated.start : stated.end],
                        Severity.CONFLICT,
                    )
                ]
    return []


def _denies(word: Token, text: str) -> bool:
    folded = fold(word.text)
    after = text[word.end : word.end + 6].lower()
    if folded == "yet":
        return after.startswith(" to ")
    return folded in _DENIALS or (folded.endswith("less") and len(folded) > 6)


_DENIALS = word_set(
    """
    incapable unwilling unaware outside disassociated dissociated barely hardly lack lacks
    lacked lacking unrelated
    """
)
"""Words that deny what follows them without a negation ("incapable of", "outside of")."""


def _source_negation(tokens: Sequence[Token], claim_text: str, passage: _Passage) -> list[Flag]:
    """A negation in the passage over a word the claim states plainly: "the council
    *refused* to fund the tram line" against "agreed to fund the tram line", "did *not*
    approve the budget" against "approved the budget". Claims with a negative word of their
    own are left to the claim-side rules: their scope is not known well enough to compare."""
    if any(_negative_word(word, claim_text) for word in tokens):
        return []
    # Every occurrence counts, not only the one aligned in order: "has never appeared on
    # the cover of a journal" against "was on a journal cover".
    for token in passage.alignment.claim:
        if token.is_capitalised or token.is_number:
            continue  # names: the negation is of a deed
        for theirs in passage.accepted(token):
            negation = passage.negation(theirs)
            if negation is None:
                continue
            stated = passage.words[theirs]
            if unasserted(claim_text, token.start) or unasserted(passage.text, stated.start):
                continue  # "was afraid to attend" says nothing of whether they attended
            return [
                Flag(
                    token.start,
                    token.end,
                    FlagKind.NEGATION,
                    claim_text[token.start : token.end],
                    passage.text[negation.start : stated.end],
                    Severity.CONFLICT,
                )
            ]
    return []


UNASSERTING = word_set(
    """
    afraid hoped hope hopes hoping planned plan plans planning expected expect expects
    expecting wanted want wants wanting tried try tries trying intended intend intends
    intending attempted attempt attempts attempting sought seek seeks seeking aimed aim aims
    aiming proposed propose proposes promised promise promises threatened threaten threatens
    wished wish wishes reluctant eager likely unlikely supposed scheduled
    """
)
"""Words after which "to" and a verb are not asserted as done: "was *afraid to* attend",
"*planned to* open", "was *expected to* win"."""


def unasserted(text: str, position: int) -> bool:
    """The word at `position` stands under an UNASSERTING word and "to" in the same clause."""
    words = _clause_before(text, position)
    return any(
        fold(word.text) in UNASSERTING and fold(after.text) == "to"
        for word, after in itertools.pairwise(words)
    )


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
    words = _clause_before(text, position)
    for index, word in enumerate(words):
        if is_negation(word, text) and not _negation_qualified(word, text):
            if fold(word.text) in NOUN_NEGATIONS and len(words) - index - 1 > NOUN_PHRASE_WORDS:
                continue  # "no travellers from these countries" denies travellers, not countries
            return word
        if (
            fold(word.text) == "yet"
            and 0 < index < len(words) - 1
            and fold(words[index - 1].text) in _PERFECT
            and fold(words[index + 1].text) == "to"
        ):
            return words[index - 1]
    return None


NOUN_NEGATIONS = word_set("no none without")
"""Negations of a noun phrase rather than a verb's: they govern only the words just after."""
NOUN_PHRASE_WORDS = 2
"""Words a noun negation may stand before the word it governs ("no *new* taxes")."""


def _clause_before(text: str, position: int) -> list[Token]:
    """The last few words before `position` in its clause (looked for only so far back)."""
    floor = max(position - _NEGATION_CHARS, 0)
    start = max(text.rfind(mark, floor, position) for mark in _CLAUSE_MARKS) + 1
    return tokenize(text, max(start, floor), position)[-_NEGATION_WORDS:]


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
