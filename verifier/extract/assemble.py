"""What every format parser produces, and how it becomes claims.

A parser turns its article into a `Body` — the running text with footnote markers taken out,
each marker remembered at its offset and source line — and a list of `Note`s. `assemble`
then does the format-independent work: split the body into sentences, give each marker its
sentence, resolve "Ibid." and "op. cit.", pair notes with markers, and warn about markers
without notes, notes never cited, notes without URLs and duplicated labels.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from verifier.extract.notes import (
    NoteText,
    citations_from_note,
    note_author_key,
    resolve_shorthand,
)
from verifier.model import Citation, ExtractedClaim, Extraction, ExtractionWarning
from verifier.text.sentences import MAX_CLAIM_CHARS, cut_to_length, split_sentences

PARAGRAPH_BREAK = "\n\n"
_BLOCK_BOUNDARY = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Marker:
    """A footnote reference in the running text."""

    label: str
    offset: int
    """Where the marker stood in `Body.text` (the marker itself is not in the text)."""
    line: int
    column: int = 1
    sentence_end_only: bool = False
    """An inline link or bare URL: it cites its sentence only when nothing but punctuation
    follows it there ("... in 2023 ([report](https://...))."); mid-sentence it is a link."""


@dataclass(frozen=True)
class Note:
    """A footnote (or reference) definition."""

    label: str
    content: NoteText
    line: int
    implicit: bool = False
    """Made from an inline link, not written as a note: never warned about."""


@dataclass
class Body:
    """Running text being built by a parser, with markers removed and remembered."""

    parts: list[str] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    length: int = 0

    def append(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def paragraph_break(self) -> None:
        """End the current block: no sentence runs across it."""
        self.append(PARAGRAPH_BREAK)

    def add_marker(
        self, label: str, line: int, column: int = 1, *, sentence_end_only: bool = False
    ) -> None:
        self.markers.append(
            Marker(
                label=label,
                offset=self.length,
                line=line,
                column=column,
                sentence_end_only=sentence_end_only,
            )
        )

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int


def assemble(
    article: str,
    body: Body,
    notes: list[Note],
    extra_warnings: list[ExtractionWarning] | None = None,
) -> Extraction:
    """Pair the body's markers with the notes and return the article's claims and warnings."""
    warnings = list(extra_warnings or [])
    text = body.text
    citations_by_label, note_lines = _resolve_notes(article, notes, warnings)
    sentences = [_Sentence(start, end) for start, end in split_sentences(text)]
    starts = [sentence.start for sentence in sentences]

    grouped: dict[int, list[Marker]] = {}
    referenced: set[str] = set()
    for marker in body.markers:
        if marker.label not in citations_by_label:
            warnings.append(
                ExtractionWarning(article, marker.line, f"marker [{marker.label}] has no note")
            )
            continue
        index = _sentence_of(marker.offset, sentences, starts, text)
        if marker.sentence_end_only and (
            index is None or not _ends_sentence(text, marker.offset, sentences[index].end)
        ):
            continue
        referenced.add(marker.label)
        if index is None:
            warnings.append(
                ExtractionWarning(
                    article, marker.line, f"marker [{marker.label}] is not in any sentence"
                )
            )
            continue
        grouped.setdefault(index, []).append(marker)

    implicit = {note.label for note in notes if note.implicit}
    for label, line in note_lines.items():
        if label not in referenced and label not in implicit:
            warnings.append(ExtractionWarning(article, line, f"note [{label}] is never referenced"))

    claims: list[ExtractedClaim] = []
    for index in sorted(grouped):
        markers = grouped[index]
        labels = list(dict.fromkeys(marker.label for marker in markers))
        citations: list[Citation] = []
        cited: set[str] = set()
        for label in labels:
            for citation in citations_by_label[label]:
                if citation.url is not None:
                    if citation.url in cited:
                        continue
                    cited.add(citation.url)
                citations.append(citation)
        sentence = sentences[index]
        claim_text = clean_claim_text(text[sentence.start : sentence.end])
        if len(claim_text) > MAX_CLAIM_CHARS:
            warnings.append(
                ExtractionWarning(
                    article,
                    markers[0].line,
                    f"the sentence of marker [{labels[0]}] is {len(claim_text):,} characters "
                    f"long: the claim is cut to its last {MAX_CLAIM_CHARS:,}",
                )
            )
            claim_text = cut_to_length(claim_text, keep_end=True)
        if not claim_text:
            warnings.append(
                ExtractionWarning(article, markers[0].line, f"marker [{labels[0]}] cites no text")
            )
            continue
        claims.append(
            ExtractedClaim(
                article=article,
                line=markers[0].line,
                footnote=",".join(labels),
                text=claim_text,
                citations=tuple(citations),
                column=markers[0].column,
            )
        )
    warnings.sort(key=lambda warning: warning.line)
    return Extraction(article=article, claims=tuple(claims), warnings=tuple(warnings))


def _resolve_notes(
    article: str, notes: list[Note], warnings: list[ExtractionWarning]
) -> tuple[dict[str, tuple[Citation, ...]], dict[str, int]]:
    """Citations per label (first definition wins), resolving Ibid./op. cit. in note order."""
    citations_by_label: dict[str, tuple[Citation, ...]] = {}
    note_lines: dict[str, int] = {}
    previous: tuple[Citation, ...] | None = None
    by_author: dict[str, tuple[Citation, ...]] = {}
    for note in notes:
        if note.label in citations_by_label:
            warnings.append(
                ExtractionWarning(
                    article,
                    note.line,
                    f"note [{note.label}] is defined again (first definition at line "
                    f"{note_lines[note.label]} is used)",
                )
            )
            continue
        if note.implicit:
            # A link in the text: not part of the note sequence "Ibid." refers back to.
            citations_by_label[note.label] = citations_from_note(note.content)
            note_lines[note.label] = note.line
            continue
        citations = resolve_shorthand(note.content.text, previous, by_author, citations_by_label)
        if citations is None:
            citations = citations_from_note(note.content)
            author = note_author_key(note.content.author or note.content.text)
            if author and any(citation.url for citation in citations):
                by_author.setdefault(author, citations)
        if not any(citation.url for citation in citations):
            warnings.append(
                ExtractionWarning(article, note.line, f"note [{note.label}] has no URL")
            )
        citations_by_label[note.label] = citations
        note_lines[note.label] = note.line
        previous = citations
    return citations_by_label, note_lines


_TRAILING_PUNCTUATION = re.compile(r"[\s.,;:!?)\]}\"'\u201d\u2019\u2026-]*")


def _ends_sentence(text: str, offset: int, sentence_end: int) -> bool:
    """Nothing but closing punctuation between `offset` and the end of its sentence."""
    return _TRAILING_PUNCTUATION.fullmatch(text, offset, max(offset, sentence_end)) is not None


def _sentence_of(
    offset: int, sentences: list[_Sentence], starts: list[int], text: str
) -> int | None:
    """The sentence a marker at `offset` cites: the one it stands in, else the one it follows
    in the same block ("...end." [3]), else the one it precedes in the same block."""
    index = bisect.bisect_left(starts, offset) - 1
    if index >= 0:
        sentence = sentences[index]
        if offset <= sentence.end or not _BLOCK_BOUNDARY.search(text, sentence.end, offset):
            return index
    following = index + 1
    if following < len(sentences) and not _BLOCK_BOUNDARY.search(
        text, offset, sentences[following].start
    ):
        return following
    return None


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)\]])")


def clean_claim_text(sentence: str) -> str:
    """Whitespace normalised, and no gap left where a marker stood before punctuation."""
    flat = " ".join(sentence.split())
    # Table cells are joined with " | "; a claim starting or ending on a cell edge drops it,
    # and one left starting with the ": " of a dropped label ("{{flag}}: 3.5 inch") too.
    flat = flat.strip(" |").lstrip(":;, ")
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", flat)
