"""Quotations: a quoted phrase the source does not contain word for word.

Quote marks are paired in order, so two quoted words ("E" for the elephant and "tun" for
the barrel) are two quotations, not one. A quotation is found verbatim when its words occur
in order on the page as written (accents aside; its first letter may change case); an
ellipsis may skip source text and a [bracketed] insertion is the quoter's own.

A quotation not found verbatim is set against the passage most like it:

- the same words in another case or with contractions spelt out ("don't" for "do not"), or
  the same content words with function words or a few words' order changed: drift, for a
  reviewer;
- most of its content words there, with one replaced by another: a misquotation, a conflict
  ("the cargo terminal" against "the container terminal");
- too few of its words there (a translation, another passage): the page does not contain
  the quotation; the flag names no source words.

A quoted title ("Master of Puppets", mostly capitalised) is a name, not a quotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.utils import default_process

from verifier.match.finders.base import Context
from verifier.match.source import Source, exact_words, lookup_words
from verifier.match.tokens import STOPWORDS
from verifier.model import Flag, FlagKind, Severity

QUOTE_MARKS = ('"', "\u201c", "\u2018")
_OPENERS = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201d", "\u2018": "\u2019"}
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_BRACKETED = re.compile(r"\s*\[[^\]]*\]\s*")
_GAPS = re.compile(_ELLIPSIS.pattern + "|" + _BRACKETED.pattern)

MIN_SHARED = 0.6
"""Share of a quotation's content words the closest passage must hold, in order, for the
passage to be the one quoted (below it, the page does not contain the quotation)."""


def find(context: Context) -> list[Flag]:
    if not any(mark in context.claim for mark in QUOTE_MARKS):
        return []
    return quote_flags(context.claim, context.source)


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted text inside each pair of quote marks, paired left to right: a
    straight quote closes the one before it; an apostrophe (a letter on both sides) is none."""
    spans: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for position, char in enumerate(text):
        if opened is not None and char == _OPENERS[opened[0]]:
            if not (char == "\u2019" and _between_letters(text, position)):
                spans.append((opened[1], position))
                opened = None
        elif (
            opened is None
            and char in _OPENERS
            and not (char == "\u2018" and _between_letters(text, position))
        ):
            opened = (char, position + 1)
    return spans


def _between_letters(text: str, position: int) -> bool:
    return (
        0 < position < len(text) - 1
        and text[position - 1].isalnum()
        and text[position + 1].isalpha()
    )


def quote_flags(claim_text: str, source: Source) -> list[Flag]:
    """Quoted phrases of two or more words that the source does not contain verbatim."""
    flags: list[Flag] = []
    for start, end in quotations(claim_text):
        body = claim_text[start:end]
        words = body.split()
        if len(words) < 2:
            continue
        if sum(word[:1].isupper() for word in words) * 2 > len(words):
            continue  # a quoted title ("Master of Puppets") is a name, not a quotation
        if _found(body, source.exact_string, exact_words):
            continue
        quoted = claim_text[start:end]
        passage = _closest_passage(body, source.text)
        if _found(body, source.word_string, lookup_words):
            severity: Severity | None = Severity.DRIFT  # case or a contraction
        else:
            severity = _difference(body, passage) if passage is not None else None
        if severity is None:
            flags.append(Flag(start, end, FlagKind.QUOTE, quoted))
        else:
            flags.append(Flag(start, end, FlagKind.QUOTE, quoted, passage, severity))
    return flags


def _found(body: str, page_words: str, words: Callable[[str], list[str]]) -> bool:
    """Every part of the quotation (between ellipses and insertions), read into `words` the
    way `page_words` was, occurs in order; the quotation's first letter may change case (a
    quotation opening a sentence, or set inside one)."""
    cursor = 0
    for index, part in enumerate(_GAPS.split(body)):
        found_words = words(part)
        if not found_words:
            continue
        needles = [" " + " ".join(found_words) + " "]
        if index == 0:
            first = found_words[0]
            swapped = first[:1].swapcase() + first[1:]
            needles.append(" " + " ".join([swapped, *found_words[1:]]) + " ")
        hits = [(page_words.find(needle, cursor), needle) for needle in needles]
        hits = [(position, needle) for position, needle in hits if position >= 0]
        if not hits:
            return False
        position, needle = min(hits)
        cursor = position + len(needle) - 1
    return True


def _closest_passage(body: str, page_text: str) -> str | None:
    """The page text most like the quotation, widened to whole words."""
    plain = _GAPS.sub(" ", body)
    alignment = fuzz.partial_ratio_alignment(
        plain, page_text, processor=default_process, score_cutoff=60
    )
    if alignment is None:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and page_text[start - 1].isalnum():
        start -= 1
    while end < len(page_text) and page_text[end].isalnum():
        end += 1
    return page_text[start:end].strip() or None


def _difference(body: str, passage: str) -> Severity | None:
    """How the quotation differs from the passage most like it: CONFLICT when a content word
    is replaced by another, DRIFT when only function words, forms or a few words' presence
    differ, None when the passage holds too few of the quotation's words to be the one
    quoted."""
    mine = lookup_words(_GAPS.sub(" ", body))
    theirs = lookup_words(passage)
    content = [word for word in mine if word not in STOPWORDS]
    if not content:
        return None
    shared = replaced = 0
    for opcode in Levenshtein.opcodes(mine, theirs):
        claim_words = mine[opcode.src_start : opcode.src_end]
        if opcode.tag == "equal":
            shared += sum(word not in STOPWORDS for word in claim_words)
        elif opcode.tag == "replace":
            source_words = theirs[opcode.dest_start : opcode.dest_end]
            if any(word not in STOPWORDS for word in claim_words) and any(
                word not in STOPWORDS for word in source_words
            ):
                replaced += 1
    if shared < MIN_SHARED * len(content):
        return None
    return Severity.CONFLICT if replaced else Severity.DRIFT
