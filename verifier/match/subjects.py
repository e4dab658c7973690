"""How a source refers to the person or thing a claim is about.

Prose names someone in full once and then by surname ("Ines Marlow" ... "Marlow moved"),
and an excerpt often begins with a pronoun whose antecedent is the page's subject ("She
started acting in 1993"). A claim word missing for either reason is not a missing detail.
A surname the source gives with another first name ("Julia Marlow" for the claim's
"Ines Marlow") is a different person: a name discrepancy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verifier.match.tokens import Token, fold, word_set

ANAPHORS = word_set("he she it they his her its their this these")
"""Words that open a sentence about someone named before it."""

_QUOTES = " \"'`\u2018\u2019\u201c\u201d"


@dataclass(frozen=True)
class Subject:
    """Claim words the source refers to without repeating them, and names it contradicts."""

    implied: frozenset[int]
    """Start offsets of claim words backed by reference (a shortened name, a pronoun)."""
    other_first_names: tuple[tuple[Token, Token], ...]
    """(claim first name, source first name) for a surname the two give different names."""


def refer(
    claim_tokens: Sequence[Token],
    claim_text: str,
    window: Sequence[Token],
    source_text: str,
    on_page: Callable[[Token], bool],
) -> Subject:
    """What the evidence `window` (words of `source_text`) says of the claim's names.

    `on_page(token)` says whether the source states a claim word anywhere.
    """
    implied: set[int] = set()
    conflicts: list[tuple[Token, Token]] = []
    for index, token in enumerate(claim_tokens[:-1]):
        surname = claim_tokens[index + 1]
        if not (token.is_capitalised and surname.is_capitalised and token.is_content):
            continue
        if on_page(token) or _inside_name(claim_tokens, index, claim_text):
            continue
        if not _adjacent(claim_text, token, surname) or not on_page(surname):
            continue
        occurrences = [i for i, word in enumerate(window) if word.norm == surname.norm]
        if not occurrences:
            continue
        given = [_given_names(window, i, source_text) for i in occurrences]
        if any(_same_given_name(token, names) for names in given):
            continue
        # A sentence's first word is capitalised anyway ("Later Marlow ..."): it may be a
        # given name to match, but is no evidence of another one.
        given = [
            [n for n in names if not _opens_sentence(window, n, source_text)] for names in given
        ]
        if any(not names for names in given):
            implied.add(token.start)  # "Marlow moved": the surname alone
        else:
            conflicts.append((token, given[0][-1]))
    implied.update(claim_tokens[i].start for i in _pronoun_subject(claim_tokens, window, on_page))
    return Subject(frozenset(implied), tuple(conflicts))


def _given_names(window: Sequence[Token], index: int, text: str) -> list[Token]:
    """The capitalised words written just before window[index] as part of the same name
    ("Julia", "Jules" in "Julia `` Jules `` Marlow")."""
    names: list[Token] = []
    while index > 0:
        before = window[index - 1]
        if not before.is_capitalised or not before.is_content:
            break
        if text[before.end : window[index].start].strip(_QUOTES):
            break
        names.insert(0, before)
        if _opens_sentence(window, before, text):
            break
        index -= 1
    return names


def _opens_sentence(window: Sequence[Token], word: Token, text: str) -> bool:
    index = window.index(word)
    return index == 0 or "." in text[window[index - 1].end : word.start]


def _same_given_name(mine: Token, names: list[Token]) -> bool:
    """ "Tim" for "Timothy James": a short form of one of the names."""
    short = fold(mine.text)
    return any(fold(name.text).startswith(short) for name in names)


def _pronoun_subject(
    claim_tokens: Sequence[Token], window: Sequence[Token], on_page: Callable[[Token], bool]
) -> list[int]:
    """The claim's leading name when the source never gives it and the evidence opens with
    a pronoun or "The <noun>" standing for it ("She started acting ...")."""
    subject: list[int] = []
    if not claim_tokens or not (claim_tokens[0].is_content or fold(claim_tokens[0].text) == "the"):
        return []  # "On March 2, ...": no name leads the claim
    for index, token in enumerate(claim_tokens):
        if not token.is_capitalised:
            break
        if token.is_content:
            subject.append(index)
    if not subject or not window or any(on_page(claim_tokens[i]) for i in subject):
        return []
    opener = fold(window[0].text)
    if opener in ANAPHORS or (opener == "the" and len(window) > 1 and not window[1].is_capitalised):
        return subject
    return []


def _inside_name(tokens: Sequence[Token], index: int, text: str) -> bool:
    """tokens[index] continues a name begun before it ("Pacific" in "Asian Pacific")."""
    if index == 0:
        return False
    before = tokens[index - 1]
    return before.is_capitalised and _adjacent(text, before, tokens[index])


def _adjacent(text: str, left: Token, right: Token) -> bool:
    return not text[left.end : right.start].strip()
