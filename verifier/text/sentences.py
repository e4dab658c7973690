"""Split plain text into sentences, as character spans, without breaking on abbreviations.

Shared by extraction (the claim is the sentence carrying a footnote marker) and by the
matcher (source passages are compared sentence by sentence). Spans, not strings, so that
callers can map a sentence back to its line in the article or its offset in the source.

Rules, in order of precedence:
- a blank line (paragraph break) always ends a sentence;
- `.`, `!`, `?` or `…` ends a sentence when followed by whitespace and a plausible sentence
  start (capital, digit, opening quote or bracket), after any closing quotes, brackets and
  footnote markers ("...in 2024."[3] Next" ends after `[3]`);
- inside a double quotation that closes later, sentences belong to the quoting sentence;
- a period does not end a sentence after a known abbreviation (Dr., No. 5, e.g., Jan.),
  an initial (J. R. R. Tolkien), a dotted acronym (U.S.) or inside a number (3.5).
"""

from __future__ import annotations

import re

# Abbreviations that are almost never the last word of a sentence (compared lower-cased,
# without the final period).
_TITLE_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "rev",
        "fr",
        "sr",
        "jr",
        "st",
        "mt",
        "messrs",
        "mme",
        "mlle",
        "hon",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "cmdr",
        "adm",
        "brig",
        "cdr",
        "gov",
        "sen",
        "rep",
        "pres",
        "supt",
        "insp",
        "vs",
        "v",
        "etc",
        "cf",
        "al",
        "approx",
        "ca",
        "viz",
        "resp",
        "dept",
        "univ",
        "assn",
        "inst",
        "fig",
        "figs",
        "eq",
        "eqs",
        "ch",
        "chap",
        "sec",
        "sect",
        "vol",
        "vols",
        "ed",
        "eds",
        "trans",
        "repr",
        "op",
        "cit",
        "ibid",
        "id",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "llc",
        "plc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "ave",
        "blvd",
        "rd",
        "hwy",
        "vgl",
        "bzw",
        "ggf",
        "inkl",
        "bspw",
        "sog",
        "mio",
        "mrd",
        "hr",
        "fa",
    }
)
# Abbreviations that are only abbreviations before a number ("No. 5", "p. 12", "Art. 5").
_NUMBER_ABBREVIATIONS = frozenset(
    {
        "no",
        "nos",
        "nr",
        "p",
        "pp",
        "art",
        "arts",
        "para",
        "paras",
        "pt",
        "pts",
        "n",
        "nn",
        "c",
        "s",
        "abs",
        "bd",
    }
)

_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_OPENERS = "\"'\u201c\u2018\u00ab([{\u00bf\u00a1"
# A footnote marker stuck to the end of a sentence: [3], [iv], [^note], [2-4], ^5, ¹²
_TRAILING_MARKER = re.compile(
    r"(?:\[\^?[\w.,\s\u2013-]{1,20}\]|\^\d+|[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+|<sup>.*?</sup>)",
)
_TERMINATOR = re.compile(r"[.!?…]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_BEFORE_DOT = re.compile(r"([\w.'\u2019-]*)$")


MAX_CLAIM_CHARS = 2000
"""A claim is one sentence, and the longest of the Wikipedia claims in WiCE is under 400
characters. A longer one (an article line with no punctuation, a pasted table) is cut to
this, with a warning, so the work done for one claim stays bounded."""
_WORD_BOUNDARY_SLACK = 200


def cut_to_length(text: str, limit: int = MAX_CLAIM_CHARS, *, keep_end: bool = False) -> str:
    """`text` if it is at most `limit` characters, else its first (or with `keep_end`, last)
    `limit` characters, cut back to a space when there is one near the cut."""
    if len(text) <= limit:
        return text
    if keep_end:
        kept = text[len(text) - limit :]
        space = kept.find(" ", 0, _WORD_BOUNDARY_SLACK)
        return kept[space + 1 :] if space >= 0 else kept
    kept = text[:limit]
    space = kept.rfind(" ", limit - _WORD_BOUNDARY_SLACK)
    return kept[:space] if space >= 0 else kept


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences in `text`, in order.

    Spans exclude surrounding whitespace; empty or whitespace-only text gives [].
    """
    spans: list[tuple[int, int]] = []
    block_start = 0
    for block_break in _PARAGRAPH_BREAK.finditer(text):
        spans.extend(_split_block(text, block_start, block_break.start()))
        block_start = block_break.end()
    spans.extend(_split_block(text, block_start, len(text)))
    return spans


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sentence_start = start
    position = start
    quotes = _QuoteCount(text, start)
    while True:
        terminator = _TERMINATOR.search(text, position, end)
        if terminator is None:
            break
        boundary = _sentence_end(text, terminator.start(), terminator.end(), end)
        position = terminator.end()
        if boundary is None or _inside_quotation(text, quotes, boundary, end):
            continue
        _append_trimmed(text, sentence_start, boundary, spans)
        sentence_start = boundary
        position = boundary
        quotes = _QuoteCount(text, boundary)
    _append_trimmed(text, sentence_start, end, spans)
    return spans


_LONGEST_QUOTATION = 600


class _QuoteCount:
    """Double quotation marks from a sentence's start up to a point, counted incrementally:
    recounting the whole sentence at every full stop would be quadratic in its length."""

    _MARKS = ("\u201c", "\u201d", '"')

    def __init__(self, text: str, start: int) -> None:
        self._text = text
        self._upto = start
        self._counts = [0, 0, 0]

    def at(self, point: int) -> tuple[int, int, int]:
        """(opening curly, closing curly, straight) quotes between the start and `point`."""
        low, high = sorted((self._upto, point))
        sign = 1 if point >= self._upto else -1
        for index, mark in enumerate(self._MARKS):
            self._counts[index] += sign * self._text.count(mark, low, high)
        self._upto = point
        return self._counts[0], self._counts[1], self._counts[2]


def _inside_quotation(text: str, quotes: _QuoteCount, boundary: int, block_end: int) -> bool:
    """True when a double quotation opened in this sentence is still open at `boundary` and
    closes soon after: the quoted sentences belong to the sentence that quotes them
    ('He said: "We will act. Today." Then...' is one sentence, then another)."""
    curly_open, curly_close, straight = quotes.at(boundary)
    opened = curly_open > curly_close
    closer = "\u201d"
    if not opened and straight % 2 == 1:
        opened, closer = True, '"'
    if not opened:
        return False
    return text.find(closer, boundary, min(block_end, boundary + _LONGEST_QUOTATION)) >= 0


def _sentence_end(text: str, term_start: int, term_end: int, block_end: int) -> int | None:
    """Where the sentence ends if the terminator at [term_start, term_end) ends it, else None."""
    cursor = term_end
    # Closing quotes, brackets and footnote markers after the terminator stay with it.
    while cursor < block_end:
        if text[cursor] in _CLOSERS:
            cursor += 1
            continue
        marker = _TRAILING_MARKER.match(text, cursor, block_end)
        if marker is None:
            break
        cursor = marker.end()
    if cursor >= block_end:
        return block_end
    if not text[cursor].isspace():
        return None  # "3.5", "example.com", "U.S.-led"
    following = cursor
    while following < block_end and text[following].isspace():
        following += 1
    if following >= block_end:
        return cursor
    next_char = text[following]
    if not (next_char.isupper() or next_char.isdigit() or next_char in _OPENERS):
        return None
    terminator = text[term_start:term_end]
    if terminator == "." and _is_abbreviation(text, term_start, next_char):
        return None
    return cursor


# Words that almost always start a sentence: after "B." or "U.S." they mean the period
# ended one ("...matrix B. This is...", "...in the U.S. The...").
_SENTENCE_STARTERS = frozenset(
    {
        "The",
        "This",
        "These",
        "That",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "I",
        "In",
        "On",
        "At",
        "But",
        "However",
        "Although",
        "When",
        "While",
        "After",
        "Before",
        "There",
        "Then",
        "Thus",
        "Therefore",
        "A",
        "An",
        "As",
        "If",
        "For",
        "Since",
    }
)


def _is_abbreviation(text: str, dot: int, next_char: str) -> bool:
    # A bounded look-back keeps splitting linear on long texts.
    word_match = _WORD_BEFORE_DOT.search(text[max(0, dot - 40) : dot])
    word = word_match.group(1) if word_match else ""
    word = word.lstrip("'\u2019-")
    if not word:
        return False
    bare = word.lower()
    if bare in _TITLE_ABBREVIATIONS:
        return True
    if len(word) == 1 and re.match(r"\s+[^\W\d_]\.", text[dot + 1 : dot + 5]):
        return True  # one letter of a spaced abbreviation or initials: "z. B.", "P. F. Chang"
    initial = len(word) == 1 and word.isupper()  # "J. Smith"
    if bare in _NUMBER_ABBREVIATIONS and (next_char.isdigit() or not initial):
        return next_char.isdigit()
    # Dotted acronyms and abbreviations ("U.S", "e.g", "i.e", "Ph.D"): letters joined by dots.
    acronym = bool(re.fullmatch(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}", word))
    if not (initial or acronym):
        return False
    if bare in ("e.g", "i.e", "cf", "viz"):
        return True
    return _next_word(text, dot) not in _SENTENCE_STARTERS


def _next_word(text: str, dot: int) -> str:
    match = re.match(r"[^\w]*?\s+[\"'\u201c\u2018(]?(\w+)", text[dot + 1 : dot + 40])
    return match.group(1) if match else ""


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
