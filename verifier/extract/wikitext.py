"""MediaWiki wikitext: <ref>...</ref> notes (with {{cite web |url= |title= |access-date=}} or
bare links), named and reused refs (<ref name="x"/>, {{r|x}}), list-defined refs, {{refn}},
and short footnotes ({{sfn}}, {{harvnb}}) resolved against the article's bibliography.

The claim is the sentence a ref follows, so the article is rendered to running text the way
a reader sees it: templates, files, tables' markup and comments dropped, links reduced to
their labels. A single left-to-right scan separates the regions that matter (refs,
templates, comments, file links) from ordinary text, which keeps the whole pass linear.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from verifier.extract.assemble import PARAGRAPH_BREAK, Body, Note, assemble
from verifier.extract.notes import NoteText
from verifier.extract.wikitext_cites import (
    Bibliography,
    read_bibliography,
    ref_note,
    resolve_short,
    short_citation,
)
from verifier.extract.wikitext_markup import (
    BRACES,
    BRACKETS,
    QUOTE_TEMPLATES,
    balanced_end,
    plain_keep_space,
    template_parts,
    text_template,
)
from verifier.model import Extraction, ExtractionWarning

_TOKEN = re.compile(
    r"<!--|<ref\b|<references\b|\{\{|\[\[|"
    r"<(?P<skip>gallery|math|timeline|score|syntaxhighlight|source|pre|chem|ce|graph|"
    r"mapframe|templatedata|imagemap|noinclude)\b",
    re.I,
)
# A ref's content never holds another opening <ref: stopping there keeps a run of unclosed
# <ref> tags linear (scanning each to the end of the page for its </ref> was quadratic).
_REF = re.compile(
    r"<ref\b(?P<attrs>[^>]*?)(?:/>|>(?P<content>(?:[^<]|<(?!ref\b))*?)</ref\s*>)", re.I | re.S
)
_REFERENCES_END = re.compile(r"</references\s*>", re.I)
_REFERENCES_SELF_CLOSING = re.compile(r"<references\b[^>]*/>", re.I)
_ATTRIBUTE = re.compile(r"(?<!\w)(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s/>]+))")
_NON_TEXT_LINK = re.compile(
    r"\[\[\s*:?\s*(?:file|image|category|datei|bild|kategorie|fichier|imagen|archivo|"
    r"categoría|catégorie|media|[a-z]{2,3}(?:-[a-z]+)?)\s*:",
    re.I,
)
_FILE_LINK = re.compile(
    r"\[\[\s*:?\s*(?:file|image|datei|bild|fichier|imagen|archivo|media)\s*:", re.I
)
_IMAGE_OPTION = re.compile(
    r"thumb(?:nail)?(?:=.*)?|frame(?:d|less)?|border|left|right|cent(?:er|re)|none|"
    r"upright(?:\s*=?\s*[\d.]+)?|\d*x?\d+\s*px|(?:alt|link|page|class|lang|thumbtime)\s*=.*|"
    r"baseline|middle|sub|super|text-top|text-bottom|top|bottom",
    re.I | re.S,
)
_LINE_LIST = re.compile(r"^[*#:;]+\s*")
_LINE_TABLE_MARKUP = re.compile(r"^\s*(?:\{\||\|\}|\|-)")
_HEADING_START = re.compile(r"=+\s*")
_HEADING_END = re.compile(r"\s*=+\s*$")
_CELL_SEPARATOR = re.compile(r"\|\||!!")
_CELL_START = re.compile(r"\s*(?:\|\+|\||!)")
_REF_LINE = re.compile(r"\s*(?:<ref\b|\{\{\s*(?:sfn|sfnp|r|refn|#tag:ref)\s*\|)", re.I)
_INLINE_TEMPLATE_LINE = re.compile(
    r"^\{\{\s*(?:sfn|sfnp|r|refn|#tag:ref|nowrap|nobr|lang|langx|convert|circa|c\.|small|abbr)\s*[|}]",
    re.I,
)


@dataclass(frozen=True)
class _Ref:
    name: str | None
    group: str
    content: str | None
    offset: int


@dataclass
class _Scan:
    """The article split into what a reader sees and where its footnote markers stand."""

    pieces: list[tuple[int, int, str | None]] = field(default_factory=list)
    """(start, end, replacement): source text [start, end) to render, or a replacement."""
    markers: list[tuple[int, str]] = field(default_factory=list)
    """(source offset, note key) of each marker, in order."""


def extract_wikitext(source: str, article: str) -> Extraction:
    """Claims of a wikitext article."""
    line_starts = [0, *(match.end() for match in re.finditer("\n", source))]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    without_comments = _mask_comments(source)
    bibliography = read_bibliography(without_comments)
    redefinitions: list[_Ref] = []
    definitions = _named_definitions(without_comments, redefinitions)
    notes_by_key: dict[str, tuple[NoteText, int]] = {}
    warnings = [
        ExtractionWarning(
            article, line_of(ref.offset), f"note [{ref.name}] is defined more than once"
        )
        for ref in redefinitions
    ]
    scan = _Scan()
    _scan(without_comments, scan, notes_by_key, definitions, bibliography)

    labels = _wikipedia_numbers(without_comments)
    counters: dict[str, int] = {}
    for label in labels.values():
        group, _, number = label.rpartition(" ")
        counters[group] = max(counters.get(group, 0), int(number))
    renderer = _Renderer(without_comments)
    marker_index = 0
    for start, end, replacement in scan.pieces:
        while marker_index < len(scan.markers) and scan.markers[marker_index][0] <= start:
            offset, key = scan.markers[marker_index]
            label = labels.get(key) or _new_label(key, labels, counters)
            renderer.marker(
                offset, label, line_of(offset), offset - line_starts[line_of(offset) - 1] + 1
            )
            marker_index += 1
        if replacement is not None:
            renderer.replacement(start, end, replacement)
        else:
            renderer.text(start, end)
    for offset, key in scan.markers[marker_index:]:
        label = labels.get(key) or _new_label(key, labels, counters)
        renderer.marker(
            offset, label, line_of(offset), offset - line_starts[line_of(offset) - 1] + 1
        )
    body = renderer.body

    notes: list[Note] = []
    for key, label in labels.items():
        if key not in notes_by_key:
            continue
        content, offset = notes_by_key[key]
        notes.append(Note(label, content, line_of(offset)))
    warnings.extend(_unreferenced(without_comments, definitions, article, line_of))
    return assemble(article, body, notes, warnings)


def _unreferenced(
    source: str,
    definitions: dict[tuple[str, str], _Ref],
    article: str,
    line_of: Callable[[int], int],
) -> list[ExtractionWarning]:
    """List-defined refs (in <references> or {{reflist|refs=}}) that nothing cites."""
    uses: dict[tuple[str, str], int] = {}
    for match in _REF.finditer(source):
        ref = _ref_of(match)
        if ref.name:
            uses[(ref.group, ref.name)] = uses.get((ref.group, ref.name), 0) + 1
    for match in re.finditer(r"\{\{\s*r\s*\|([^}]*)\}\}", source, re.I):
        for name in match.group(1).split("|"):
            if "=" not in name:
                uses[("", name.strip())] = uses.get(("", name.strip()), 0) + 1
    lists = [
        (match.start(), match.end())
        for match in re.finditer(
            r"<references\b[^/]*?>.*?</references\s*>|\{\{\s*reflist\s*\|\s*refs\s*=.*?\n\}\}",
            source,
            re.I | re.S,
        )
    ]
    warnings: list[ExtractionWarning] = []
    for (group, name), ref in definitions.items():
        listed = any(start <= ref.offset < end for start, end in lists)
        if listed and uses.get((group, name), 0) <= 1:
            warnings.append(
                ExtractionWarning(
                    article, line_of(ref.offset), f"note [{name}] is never referenced"
                )
            )
    return warnings


_NOTE_TEMPLATE = re.compile(r"\{\{\s*(?:sfn|sfnp|sfnm|r|refn|#tag:ref)\s*\|", re.I)
_LIST_DEFINED = re.compile(
    r"<references\b[^/]*?>.*?</references\s*>|\{\{\s*reflist\s*\|\s*refs\s*=.*?\n\}\}",
    re.I | re.S,
)


def _wikipedia_numbers(source: str) -> dict[str, str]:
    """The label MediaWiki shows for each note: refs and short footnotes numbered in order
    of first use over the whole article (infoboxes and captions included), per group.
    Refs inside a <references> list or {{reflist|refs=}} are definitions, not uses."""
    definitions = [(match.start(), match.end()) for match in _LIST_DEFINED.finditer(source)]
    uses: list[tuple[int, str]] = []
    for match in _REF.finditer(source):
        if not any(start <= match.start() < end for start, end in definitions):
            uses.append((match.start(), _ref_key(_ref_of(match))))
    for match in _NOTE_TEMPLATE.finditer(source):
        end = balanced_end(source, match.start(), BRACES, "{{")
        if end is None:
            continue
        name, parameters = template_parts(source[match.start() + 2 : end - 2])
        uses.extend(
            (match.start(), key) for key in _template_note_keys(name, parameters, match.start())
        )
    labels: dict[str, str] = {}
    counters: dict[str, int] = {}
    # By offset alone: the names of one {{r|b|a}} share its offset and keep their order.
    for _, key in sorted(uses, key=lambda use: use[0]):
        if key not in labels:
            _new_label(key, labels, counters)
    return labels


def _template_note_keys(name: str, parameters: dict[str, str], offset: int) -> list[str]:
    lowered = name.lower().replace("_", " ").strip()
    if lowered in ("sfn", "sfnp", "sfnm"):
        return [f"sfn:\x1f{short_citation(parameters)}"]
    if lowered == "r":
        return [_ref_key(ref) for ref in _r_refs(parameters, offset)]
    return [_ref_key(_template_ref(parameters, offset))]


def _r_refs(parameters: dict[str, str], offset: int) -> list[_Ref]:
    """The named refs {{r|a|b|...}} cites, in order. An empty slot ({{r|a||c}}) names no
    ref and is skipped, as the template skips it: the names after it are still cited."""
    names = (parameters.get(str(index), "").strip() for index in range(1, 10))
    group = parameters.get("group", "")
    return [_Ref(name=name, group=group, content=None, offset=offset) for name in names if name]


def _template_ref(parameters: dict[str, str], offset: int) -> _Ref:
    """A note written as a template ({{refn|name=...|text}}, {{#tag:ref|text}})."""
    return _Ref(
        name=parameters.get("name", "").strip("\"' ") or None,
        group=parameters.get("group", "").strip("\"' "),
        content=parameters.get("1"),
        offset=offset,
    )


def _new_label(key: str, labels: dict[str, str], counters: dict[str, int]) -> str:
    """Wikipedia numbers notes in order of first use, per group ("[3]", "[note 2]")."""
    group = key.split("\x1f", 1)[0].removeprefix("name:").removeprefix("anon:")
    group = group.removeprefix("sfn:")
    counters[group] = counters.get(group, 0) + 1
    label = f"{group} {counters[group]}" if group else str(counters[group])
    labels[key] = label
    return label


def _mask_comments(source: str) -> str:
    """Comments replaced by spaces of the same length, so offsets still match the source."""
    return re.sub(r"<!--.*?(?:-->|$)", lambda m: " " * len(m.group(0)), source, flags=re.S)


def _scan(
    source: str,
    scan: _Scan,
    notes: dict[str, tuple[NoteText, int]],
    definitions: dict[tuple[str, str], _Ref],
    bibliography: Bibliography,
    start_at: int = 0,
    stop: int | None = None,
) -> None:
    position = start_at
    length = len(source) if stop is None else stop
    while position < length:
        token = _TOKEN.search(source, position, length)
        if token is None:
            scan.pieces.append((position, length, None))
            return
        start = token.start()
        text = token.group(0).lower()
        end: int | None
        if text == "<!--":
            end = source.find("-->", start)
            end = length if end < 0 else end + 3
        elif text == "<ref":
            match = _REF.match(source, start)
            if match is None:
                end = None
            else:
                end = match.end()
                ref = _ref_of(match)
                key = _ref_key(ref)
                _remember_note(key, ref, notes, definitions, bibliography)
                scan.markers.append((start, key))
        elif text == "<references":
            self_closing = _REFERENCES_SELF_CLOSING.match(source, start)
            if self_closing:
                end = self_closing.end()
            else:
                closing = _REFERENCES_END.search(source, start)
                end = closing.end() if closing else None
        elif text == "{{":
            end = balanced_end(source, start, BRACES, "{{")
            if end is not None:
                if start > position:
                    scan.pieces.append((position, start, None))
                quoted = _quotation_span(source, start, end)
                if quoted is not None:
                    # A quotation is prose the reader sees, refs and all: render it as a block.
                    scan.pieces.append((start, quoted[0], PARAGRAPH_BREAK))
                    _scan(source, scan, notes, definitions, bibliography, *quoted)
                    scan.pieces.append((quoted[1], end, PARAGRAPH_BREAK))
                else:
                    replacement = _template(
                        source, start, end, scan, notes, definitions, bibliography
                    )
                    if replacement:
                        scan.pieces.append((start, end, replacement))
                position = end
                continue
        elif text == "[[":
            if _NON_TEXT_LINK.match(source, start):
                end = balanced_end(source, start, BRACKETS, "[[")
                caption = _caption_span(source, start, end) if end is not None else None
                if end is not None and caption is not None:
                    # A caption is prose readers see; its refs cite it.
                    if start > position:
                        scan.pieces.append((position, start, None))
                    scan.pieces.append((start, caption[0], PARAGRAPH_BREAK))
                    _scan(source, scan, notes, definitions, bibliography, *caption)
                    scan.pieces.append((caption[1], end, PARAGRAPH_BREAK))
                    position = end
                    continue
            else:
                closing_at = source.find("]]", start, length)
                if closing_at < 0:
                    end = None
                else:
                    # An ordinary link is rendered by the inline pass; step over it whole.
                    scan.pieces.append((position, closing_at + 2, None))
                    position = closing_at + 2
                    continue
        else:
            tag = token.group("skip").lower()
            closing = re.compile(rf"</{tag}\s*>", re.I).search(source, token.end())
            end = closing.end() if closing else None
        if end is None:
            scan.pieces.append((position, token.end(), None))
            position = token.end()
            continue
        if start > position:
            scan.pieces.append((position, start, None))
        position = end


def _quotation_span(source: str, start: int, end: int) -> tuple[int, int] | None:
    """For {{quote|text|author}} (or |text= / |quote=), where the quoted text lies."""
    name_match = re.match(r"\{\{\s*([^|{}]+?)\s*\|", source[start:end])
    if name_match is None or name_match.group(1).lower() not in QUOTE_TEMPLATES:
        return None
    separators = _top_level_pipes(source, start + 2, end - 2)[1:]  # after the name
    for first, after in itertools.pairwise(separators):
        parameter = source[first + 1 : after]
        named = re.match(r"\s*(\w+)\s*=", parameter)
        if named is None:
            return first + 1, after
        if named.group(1).lower() in ("text", "quote", "1"):
            return first + 1 + named.end(), after
    return None


def _caption_span(source: str, start: int, end: int) -> tuple[int, int] | None:
    """For [[File:x.jpg|thumb|250px|Caption text]], where the caption lies: the last
    parameter that is not a layout option. Categories and interwiki links have none."""
    if not _FILE_LINK.match(source, start):
        return None
    separators = _top_level_pipes(source, start + 2, end - 2)
    if len(separators) < 3:
        return None
    first, after = separators[-2], separators[-1]
    if _IMAGE_OPTION.fullmatch(source[first + 1 : after].strip()):
        return None
    return first + 1, after


def _top_level_pipes(source: str, start: int, end: int) -> list[int]:
    """Offsets of the "|" that separate a template's or link's parameters in
    source[start:end] (not those inside nested templates, links or refs), with `start - 1`
    first and `end` last so that consecutive pairs bound each parameter."""
    depth = 0
    index = start
    separators: list[int] = [start - 1]
    while index < end:
        pair = source[index : index + 2]
        if pair in ("{{", "[["):
            depth += 1
            index += 2
            continue
        if pair in ("}}", "]]"):
            depth -= 1
            index += 2
            continue
        if source.startswith("<ref", index):
            closing = _REF.match(source, index)
            if closing is not None:
                index = closing.end()
                continue
        if source[index] == "|" and depth == 0:
            separators.append(index)
        index += 1
    separators.append(end)
    return separators


def _ref_of(match: re.Match[str]) -> _Ref:
    attributes = {
        name.lower(): next((value for value in values if value), "")
        for name, *values in _ATTRIBUTE.findall(match.group("attrs") or "")
    }
    content = match.group("content")
    return _Ref(
        name=attributes.get("name") or None,
        group=attributes.get("group", ""),
        content=content if content is not None and content.strip() else None,
        offset=match.start(),
    )


def _ref_key(ref: _Ref) -> str:
    """A note's identity: its name, or for an unnamed ref where it stands."""
    if ref.name:
        return f"name:{ref.group}\x1f{ref.name}"
    return f"anon:{ref.group}\x1f{ref.offset}"


def _remember_note(
    key: str,
    ref: _Ref,
    notes: dict[str, tuple[NoteText, int]],
    definitions: dict[tuple[str, str], _Ref],
    bibliography: Bibliography,
) -> None:
    if key in notes:
        return
    definition = ref if ref.content is not None else None
    if definition is None and ref.name:
        definition = definitions.get((ref.group, ref.name))
    if definition is None or definition.content is None:
        return
    notes[key] = (ref_note(definition.content, bibliography), definition.offset)


def _named_definitions(
    source: str, redefinitions: list[_Ref] | None = None
) -> dict[tuple[str, str], _Ref]:
    """Every named ref with content, wherever it stands (in text, a template, a references
    list). The first definition wins; later ones with different content go to
    `redefinitions` (MediaWiki flags them as an error too)."""
    definitions: dict[tuple[str, str], _Ref] = {}
    for match in _REF.finditer(source):
        ref = _ref_of(match)
        if not ref.name or ref.content is None:
            continue
        first = definitions.setdefault((ref.group, ref.name), ref)
        if (
            first is not ref
            and redefinitions is not None
            and " ".join((first.content or "").split()) != " ".join(ref.content.split())
        ):
            redefinitions.append(ref)
    return definitions


def _template(
    source: str,
    start: int,
    end: int,
    scan: _Scan,
    notes: dict[str, tuple[NoteText, int]],
    definitions: dict[tuple[str, str], _Ref],
    bibliography: Bibliography,
) -> str | None:
    """What a template contributes to the running text; records the markers it makes."""
    inner = source[start + 2 : end - 2]
    name, parameters = template_parts(inner)
    lowered = name.lower().replace("_", " ").strip()
    text = text_template(lowered, parameters)
    if text is not None:
        return text
    if lowered in ("sfn", "sfnp", "sfnm"):
        short = short_citation(parameters)
        key = f"sfn:\x1f{short}"
        if key not in notes:
            notes[key] = (resolve_short(short, parameters, bibliography, inner), start)
        scan.markers.append((start, key))
        return None
    if lowered == "r":
        for ref in _r_refs(parameters, start):
            key = _ref_key(ref)
            _remember_note(key, ref, notes, definitions, bibliography)
            scan.markers.append((start, key))
        return None
    if lowered in ("refn", "#tag:ref"):
        ref = _template_ref(parameters, start)
        key = _ref_key(ref)
        _remember_note(key, ref, notes, definitions, bibliography)
        scan.markers.append((start, key))
        return None
    return None


class _Renderer:
    """Turns the text between regions into running text, line by line, the way MediaWiki
    lays it out: a single newline continues the paragraph; blank lines, headings, list
    items, table cells and template-only lines are blocks of their own."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.body = Body()
        self.current_line = -1
        self.kind = "blank"
        self.rendered_to = 0
        """End of the last text rendered; a gap after it is a region (ref, template)."""

    def _enter_line(self, offset: int) -> int:
        """Start the source line holding `offset` if not yet started; returns where that
        line's content begins when `offset` is the line start (prefix markup skipped)."""
        line_start = self.source.rfind("\n", 0, offset) + 1
        if line_start == self.current_line:
            return offset
        self.current_line = line_start
        if offset > line_start and self.rendered_to < line_start:
            # The line began inside a region that started on an earlier line (a ref whose
            # template runs over several lines): the text after it continues that line.
            self.body.append(" ")
            return offset
        line_end = self.source.find("\n", line_start)
        line = self.source[line_start : len(self.source) if line_end < 0 else line_end]
        kind, content_start = _line_kind(line)
        if kind == "ref-line":
            # A ref alone at the start of a line cites what came just before it.
            self.body.append(" ")
            return offset
        if kind == "table-cells" and self.kind == "table-cells":
            self.body.append(" | ")  # the cells of one table row read as one line
        elif kind != "text" or self.kind != "text":
            self.body.paragraph_break()
        else:
            self.body.append("\n")
        self.kind = kind
        if offset == line_start:
            return line_start + content_start
        return offset

    def marker(self, offset: int, label: str, line: int, column: int) -> None:
        self._enter_line(offset)
        self.body.add_marker(label, line, column)

    def replacement(self, start: int, end: int, text: str) -> None:
        self._enter_line(start)
        self.body.append(text)
        self.rendered_to = end

    def text(self, start: int, end: int) -> None:
        position = start
        while position < end:
            newline = self.source.find("\n", position, end)
            fragment_end = end if newline < 0 else newline
            content_start = self._enter_line(position)
            if content_start <= fragment_end:
                self._fragment(self.source[content_start:fragment_end])
            position = end if newline < 0 else newline + 1
        self.rendered_to = end

    def _fragment(self, fragment: str) -> None:
        if self.kind in ("blank", "table"):
            return
        if self.kind == "heading":
            fragment = _HEADING_END.sub("", fragment)
        if self.kind == "table-cells":
            cells = _CELL_SEPARATOR.split(fragment)
            for index, cell in enumerate(cells):
                if index > 0:
                    self.body.append(" | ")
                self.body.append(plain_keep_space(_cell_text(cell)))
            return
        self.body.append(plain_keep_space(fragment))


def _line_kind(line: str) -> tuple[str, int]:
    """What a source line is, and where its content starts after the line's markup."""
    if not line.strip():
        return "blank", len(line)
    if _REF_LINE.match(line):
        return "ref-line", 0
    heading = _HEADING_START.match(line)
    if heading and _HEADING_END.search(line):
        return "heading", heading.end()
    if _LINE_TABLE_MARKUP.match(line):
        return "table", len(line)
    cells = _CELL_START.match(line)
    if cells:
        return "table-cells", cells.end()
    list_prefix = _LINE_LIST.match(line)
    if list_prefix:
        return "list", list_prefix.end()
    if line.startswith(("{{", "[[File:", "[[Image:", "[[Datei:", "[[Category:")) and not (
        _INLINE_TEMPLATE_LINE.match(line)
    ):
        return "template", 0
    return "text", 0


def _cell_text(cell: str) -> str:
    """A table cell without its attributes ('style="..." | text' -> 'text')."""
    depth = 0
    for index, character in enumerate(cell):
        if cell.startswith("[[", index):
            depth += 1
        elif cell.startswith("]]", index):
            depth -= 1
        elif character == "|" and depth == 0:
            attributes = cell[:index]
            if "=" in attributes or not attributes.strip():
                return cell[index + 1 :]
            return cell
    return cell
