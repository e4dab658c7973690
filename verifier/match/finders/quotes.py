"""Quotations: a quoted phrase the source does not contain verbatim.

An ellipsis in the quotation may skip source text; a [bracketed] insertion is the quoter's
own words; a quoted title ("Master of Puppets") is a name, not a quotation.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from verifier.match.finders.base import Context
from verifier.match.source import lookup_words
from verifier.model import Flag, FlagKind, Severity

QUOTE_MARKS = ('"', "\u201c", "\u2018")


def find(context: Context) -> list[Flag]:
    if not any(mark in context.claim for mark in QUOTE_MARKS):
        return []
    return quote_flags(context.claim, context.source.word_string, context.source.text)


_QUOTE = re.compile(
    r"[\"\u201c\u201d\u201e](?P<body>[^\"\u201c\u201d\u201e]{3,}?)[\"\u201c\u201d]"
    r"|\u2018(?P<single>[^\u2018\u2019]{3,}?)\u2019"
)
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_BRACKETED = re.compile(r"\s*\[[^\]]*\]\s*")


def quote_flags(claim_text: str, page_words: str, page_text: str) -> list[Flag]:
    """Quoted phrases of two or more words that the page does not contain verbatim.

    `page_words` is the page as " word word ... " (folded words, single spaces). An ellipsis
    in the quote may skip source text; a [bracketed] insertion is the quoter's own words.
    """
    flags: list[Flag] = []
    for match in _QUOTE.finditer(claim_text):
        group = "body" if match.group("body") is not None else "single"
        body = match.group(group)
        words = body.split()
        if len(words) < 2:
            continue
        if sum(word[:1].isupper() for word in words) * 2 > len(words):
            continue  # a quoted title ("Master of Puppets") is a name, not a quotation
        parts = [p for p in re.split(_ELLIPSIS.pattern + "|" + _BRACKETED.pattern, body) if p]
        cursor = 0
        verbatim = True
        for part in parts:
            needle = " " + " ".join(lookup_words(part)) + " "
            if needle.strip() == "":
                continue
            found = page_words.find(needle, cursor)
            if found < 0 and part is parts[0]:
                found = page_words.find(_abbreviated(part), cursor)
            if found < 0:
                verbatim = False
                break
            cursor = found + len(needle) - 1
        if verbatim:
            continue
        alignment = fuzz.partial_ratio_alignment(body, page_text, score_cutoff=60)
        source = None
        if alignment is not None:
            source = _whole_words(page_text, alignment.dest_start, alignment.dest_end)
        start, end = match.span(group)
        flags.append(
            Flag(start, end, FlagKind.QUOTE, claim_text[start:end], source, Severity.CONFLICT)
            if source is not None
            else Flag(start, end, FlagKind.QUOTE, claim_text[start:end])
        )
    return flags


def _abbreviated(part: str) -> str:
    """The lookup string of a quoted name with its first word cut to the initial, as a source
    writes a genus or a given name it has spelt out before ("A. swainsonii mimetes")."""
    words = lookup_words(part)
    if len(words) < 2 or len(words[0]) < 2 or not part.lstrip()[:1].isupper():
        return "\x00"  # nothing to abbreviate: a string no page contains
    return " " + " ".join([words[0][0], *words[1:]]) + " "


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end] widened to whole words (rapidfuzz aligns by characters)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end].strip()
