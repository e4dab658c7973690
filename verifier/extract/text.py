"""Plain-text articles: [1] / [i] / [2-4] markers, ^1 and superscript digits, and a list of
notes at the end ("[1] "Title", Publisher, https://..., (Access Date: ...)"), with or without
a "Notes" / "References" heading.

Plain text has no markup to say where a note list starts, so a line is a note when it starts
with a bracketed label (`[3] ...`), or — below a notes heading — with a bare number
(`3. ...`, `3 ...`, `^3 ...`, `³ ...`). A note runs on over the following lines until a blank
line or the next note, which is how a URL split over two lines stays in one piece.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from verifier.extract.assemble import Body, Note, assemble
from verifier.extract.markers import expand_labels, superscript_to_digits
from verifier.extract.notes import NoteText
from verifier.extract.urls import find_urls
from verifier.model import Extraction

_BRACKET_DEFINITION = re.compile(
    r"^[ \t]{0,3}(?:[-*\u2022][ \t]+)?\[(?P<label>\d{1,3}|[ivxlcdm]{1,7}|[a-z])\][ \t]*[:.]?[ \t]*"
    r"(?P<text>.*)$",
    re.I,
)
_NUMBERED_DEFINITION = re.compile(
    r"^[ \t]{0,3}(?:\^|\()?(?P<label>\d{1,3}|[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]{1,3})"
    r"(?:[.):\]]|\s)[ \t]*(?P<text>\S.*)$"
)
_NOTES_HEADING = re.compile(
    r"^[ \t#=*_]*(?:(?:foot|end)?notes?|references?|sources?|citations?|works\s+cited|"
    r"bibliography|notes\s+and\s+references|references\s+and\s+notes|kaynak(?:ça|lar)|"
    r"dipnotlar?)[ \t]*:?[ \t#=*_]*$",
    re.I,
)
# Bracketed markers anywhere in running text; which ones count is decided against the notes.
_BRACKET_MARKER = re.compile(r"\[(?P<labels>[0-9ivxlcdmIVXLCDMa-zA-Z,\s\u2013\u2014-]{1,24})\]")
_CARET_MARKER = re.compile(r"\^(?P<labels>\d{1,3})(?!\d)")
_SUPERSCRIPT_MARKER = re.compile(r"(?P<labels>[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]{1,3})")
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d{2}\b")
_TERMINAL = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]\s|\d{1,3}[.)]\s)")
_SHORT_LINE = 60


@dataclass
class _NoteInProgress:
    label: str
    line: int
    lines: list[str]


def extract_text(source: str, article: str) -> Extraction:
    """Claims of a plain-text article."""
    lines = source.split("\n")
    note_line_numbers, notes = _find_notes(lines)
    if not notes:
        # No heading and no bracketed labels: the last numbered list (1., 2., ...) is the
        # notes when the text before it carries markers it could resolve.
        closing = _closing_numbered_list(lines)
        if closing is not None:
            note_line_numbers, notes = _find_notes(lines, notes_from=closing)
    body = _body(lines, note_line_numbers, notes)
    # Plain text has no note syntax: a numbered or bracketed list that nothing cites and
    # that holds no URL is ordinary text (dated lists, steps), not footnotes, and warning
    # about each item would be noise. A cited-by-nothing list of sources still gets its
    # warnings: the article probably lost its markers in a copy and paste.
    if (
        notes
        and not _cites_any(body, notes)
        and not any(find_urls(note.content.text) for note in notes)
    ):
        note_line_numbers, notes = set(), []
        body = _body(lines, note_line_numbers, notes)
    return assemble(article, body, notes, [])


def _cites_any(body: Body, notes: list[Note]) -> bool:
    labels = {note.label for note in notes}
    return any(marker.label in labels for marker in body.markers)


def _body(lines: list[str], note_line_numbers: Collection[int], notes: list[Note]) -> Body:
    """The running text with the note lines taken out and markers of `notes` recognised."""
    defined = {note.label for note in notes}
    roman_notes = any(re.fullmatch(r"[ivxlcdm]+", label, re.I) for label in defined)
    body = Body()
    previous_line: str | None = None
    for index, line in enumerate(lines):
        if index in note_line_numbers:
            if previous_line is not None:
                body.paragraph_break()
            previous_line = None
            continue
        if previous_line is not None:
            body.append(_line_joint(previous_line, line))
        _add_line(body, line, index + 1, defined, roman_notes)
        previous_line = line
    return body


def _line_joint(previous: str, line: str) -> str:
    """How two consecutive lines are joined: a soft wrap, or a block boundary for headings,
    bylines and list items (short lines without a sentence end)."""
    previous = previous.strip()
    if not previous or not line.strip():
        return "\n"
    if _BULLET.match(line):
        return "\n\n"
    if not _TERMINAL.search(previous) and len(previous) < _SHORT_LINE:
        return "\n\n"
    return "\n"


def _add_line(body: Body, line: str, line_number: int, defined: set[str], roman: bool) -> None:
    position = 0
    for match, labels in _markers_in(line, defined, roman):
        body.append(line[position : match.start()])
        for label in labels:
            body.add_marker(label, line_number, match.start() + 1)
        position = match.end()
    body.append(line[position:])


def _markers_in(line: str, defined: set[str], roman: bool) -> list[tuple[re.Match[str], list[str]]]:
    found: list[tuple[re.Match[str], list[str]]] = []
    for match in _BRACKET_MARKER.finditer(line):
        labels = expand_labels(match.group("labels"))
        if not labels:
            continue
        if all(label in defined for label in labels):
            found.append((match, labels))
        elif all(label.isdigit() for label in labels) and (defined or match.start() > 0):
            found.append((match, labels))  # a numbered marker whose note is missing
        elif roman and all(re.fullmatch(r"[ivxlcdm]+", label, re.I) for label in labels):
            found.append((match, labels))
    for pattern in (_CARET_MARKER, _SUPERSCRIPT_MARKER):
        for match in pattern.finditer(line):
            labels = [superscript_to_digits(match.group("labels"))]
            if labels[0] in defined and match.start() > 0 and not line[match.start() - 1].isspace():
                found.append((match, labels))
    found.sort(key=lambda item: item[0].start())
    return found


def _closing_numbered_list(lines: list[str]) -> int | None:
    """Where the article's last run of numbered lines 1, 2, 3, ... starts, provided the text
    before it has markers such as [1], ^1 or a superscript 1 that could point into it."""
    run_start: int | None = None
    expected = 1
    for index, line in enumerate(lines):
        definition = _NUMBERED_DEFINITION.match(line)
        if definition is None:
            continue
        number = superscript_to_digits(definition.group("label"))
        if number == "1":
            run_start, expected = index, 2
        elif run_start is not None and number == str(expected):
            expected += 1
        else:
            run_start = None
    if run_start is None:
        return None
    before = "\n".join(lines[:run_start])
    if not re.search(r"\S(?:\[1\]|\^1(?!\d)|\u00b9)", before):
        return None
    # A list of sources, not of steps or headlines: most items name a URL or a year.
    items = [line for line in lines[run_start:] if _NUMBERED_DEFINITION.match(line)]
    sourced = sum(1 for item in items if find_urls(item) or _YEAR.search(item))
    return run_start if sourced * 2 >= len(items) else None


def _find_notes(lines: list[str], notes_from: int | None = None) -> tuple[set[int], list[Note]]:
    """Indexes of the lines that belong to notes, and the notes in order of appearance.
    Bare numbered lines are notes below a notes heading, or from line `notes_from` on."""
    note_lines: set[int] = set()
    notes: list[Note] = []
    current: _NoteInProgress | None = None
    in_notes_section = False

    def finish() -> None:
        nonlocal current
        if current is not None:
            text = "\n".join(current.lines).strip()
            notes.append(Note(current.label, NoteText(text=text), current.line))
            current = None

    for index, line in enumerate(lines):
        if index == notes_from:
            in_notes_section = True
        if _NOTES_HEADING.match(line):
            finish()
            in_notes_section = True
            note_lines.add(index)
            continue
        definition = _BRACKET_DEFINITION.match(line)
        if definition is None and in_notes_section:
            definition = _NUMBERED_DEFINITION.match(line)
        if definition is not None:
            finish()
            label = superscript_to_digits(definition.group("label"))
            current = _NoteInProgress(label, index + 1, [definition.group("text")])
            note_lines.add(index)
            continue
        if current is not None and line.strip():
            current.lines.append(line)
            note_lines.add(index)
            continue
        finish()
    finish()
    return note_lines, notes
