"""What a defining sentence says its subject is: "Ines Marlow is a *racing driver*".

Encyclopaedic and news prose defines its subjects with a copula and a noun phrase: "X is a
Chilean documentary photographer", "X was a 1998 crime drama film". When a claim of that
shape and its evidence both define the subject, their noun phrases can be compared word for
word: a claim calling X a "racing driver" where the source calls X a "documentary
photographer" is not a missing detail but a different statement, and an "Argentine
photographer" against a "Chilean documentary photographer" differs in a name at the same
place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verifier.match.tokens import Token, fold, word_set

COPULAS = word_set("is are was were became becomes become remains remained")
DETERMINERS = word_set("a an the")
_BETWEEN = word_set("also still now currently once later not never")
"""Adverbs that may stand between the copula and the determiner ("is also a")."""
_NEGATIONS = word_set("not never")

PHRASE_ENDS = word_set(
    """
    of in on at by for from with who whom which that whose where when but to as than
    about after before since during between into through under over against while whereas
    known based located set created founded named called directed written produced born
    """
)
"""Words that close the defining noun phrase ("a city *in* Arizona", "an actress *who*");
"and" does not: "an American actress and model" defines her as both."""

GENERIC_HEADS = word_set(
    """
    place thing things person people individual entity work works product item group
    organisation organization member members someone something example kind type form sort
    part one ones location area figure subject topic
    """
)
"""Heads so general that any more specific definition backs them ("a town" is "a place")."""

MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class Predicate:
    """The noun phrase after a copula and its determiner: `words[-1]` is its head."""

    copula: Token
    words: tuple[Token, ...]
    negated: bool = False
    """ "is not a musician": the definition is denied."""

    @property
    def head(self) -> Token:
        return self.words[-1]

    @property
    def modifiers(self) -> tuple[Token, ...]:
        return self.words[:-1]


def predicates(tokens: Sequence[Token], text: str) -> list[Predicate]:
    """Every "copula determiner noun-phrase" in `tokens` (words of `text`), in order."""
    found: list[Predicate] = []
    for index, token in enumerate(tokens):
        if fold(token.text) not in COPULAS:
            continue
        start = index + 1
        negated = False
        while start < len(tokens) and fold(tokens[start].text) in _BETWEEN:
            negated = negated or fold(tokens[start].text) in _NEGATIONS
            start += 1
        if start >= len(tokens) or fold(tokens[start].text) not in DETERMINERS:
            continue
        if not all(_adjacent(text, tokens[i], tokens[i + 1]) for i in range(index, start)):
            continue
        words: list[Token] = []
        for word in tokens[start + 1 : start + 1 + MAX_PHRASE_WORDS]:
            previous = words[-1] if words else tokens[start]
            if fold(word.text) in PHRASE_ENDS or not _adjacent(text, previous, word):
                break
            words.append(word)
        if words:
            found.append(Predicate(token, tuple(words), negated))
    return found


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Only spaces or a hyphen between two words: no comma, bracket or full stop."""
    return text[left.end : right.start].strip() in ("", "-")


@dataclass(frozen=True)
class PredicateComparison:
    """How the claim's definition of its subject compares with the evidence's."""

    other_head: bool
    """The evidence defines the subject with words that do not include the claim's head noun."""
    name: tuple[Token, Token] | None
    """A claim modifier that is a name ("Argentine") against the evidence's ("Chilean")."""
    other_modifier: bool
    """The same head, but a claim modifier the evidence lacks where it has modifiers of its
    own: "a *romantic* film" against "a 1998 British crime drama film"."""
    denied_other: bool = False
    """The claim denies a definition the evidence replaces with another ("is not a racing
    driver" against "is a documentary photographer"): what the claim says is so. The three
    fields above are then false: they speak of a claim that asserts its definition."""


def compare(
    claim: Predicate,
    claim_subject: Sequence[Token],
    evidence: Sequence[Token],
    evidence_text: str,
    backed: Callable[[Token], bool],
) -> PredicateComparison | None:
    """Compare the claim's definition with the evidence's definition of the same subject.

    `claim_subject` are the claim's words before its copula; an evidence definition counts
    only when one of them occurs before its copula in the same sentence. `backed(word)` says
    whether the evidence backs a claim word. None when the evidence defines nothing.
    """
    subject = {word.norm for word in claim_subject}
    theirs = [
        found
        for found in predicates(evidence, evidence_text)
        if _defines(found, subject, evidence, evidence_text)
    ]
    if not theirs:
        return None
    head = claim.head
    other_head = (
        fold(head.text) not in GENERIC_HEADS
        and not head.is_number
        and all(head.norm not in {word.norm for word in found.words} for found in theirs)
    )
    same_head = [found for found in theirs if head.norm in {word.norm for word in found.words}]
    name = _name_against(claim, same_head, backed)
    other_modifier = _other_modifier(claim, same_head, backed)
    if claim.negated:
        return PredicateComparison(
            False, None, False, denied_other=other_head or name is not None or other_modifier
        )
    return PredicateComparison(other_head, name, other_modifier)


def _defines(
    found: Predicate, subject: set[str], evidence: Sequence[Token], evidence_text: str
) -> bool:
    """A subject word stands before the evidence copula, in the same sentence."""
    position = next(index for index, token in enumerate(evidence) if token is found.copula)
    for token in reversed(evidence[:position]):
        if _sentence_break(evidence_text, token.end, found.copula.start):
            return False
        if token.norm in subject:
            return True
    return False


def _sentence_break(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return ". " in between or "\n" in between


def _name_against(
    claim: Predicate, theirs: list[Predicate], backed: Callable[[Token], bool]
) -> tuple[Token, Token] | None:
    """ "an Argentine photographer" against "a Chilean documentary photographer": a name modifying
    the head in the claim that the evidence (defining it with the same head) replaces."""
    mine = [word for word in claim.modifiers if word.is_capitalised and not backed(word)]
    if not mine:
        return None
    for found in theirs:
        names = [
            word
            for word in found.modifiers
            if word.is_capitalised and word.norm not in {w.norm for w in claim.words}
        ]
        if names:
            return mine[0], names[0]
    return None


def _other_modifier(
    claim: Predicate, theirs: list[Predicate], backed: Callable[[Token], bool]
) -> bool:
    """A common-word modifier of the claim's head the evidence lacks, where the evidence's
    definition with the same head has modifiers of its own."""
    mine = [
        word
        for word in claim.modifiers
        if not word.is_capitalised and not word.is_number and not backed(word)
    ]
    return bool(mine) and any(
        any(word.norm != claim.head.norm and not word.is_number for word in found.modifiers)
        for found in theirs
    )
