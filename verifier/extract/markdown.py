"""Markdown articles: [^label] footnotes and ^[inline notes], parsed as markdown-it reads them.

The parser (markdown-it-py with its footnote plugin, the CommonMark reading that pandoc and
most renderers share) decides what is a footnote — indented continuation, lazy lines, code
blocks that merely look like footnotes — so this module only walks its tokens. Inline links
inside a note are the note's citations.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref

from verifier.extract.assemble import Body, Note, assemble
from verifier.extract.notes import NoteText
from verifier.extract.text import extract_text
from verifier.extract.urls import find_urls
from verifier.model import Extraction, ExtractionWarning

_DEFINITION_LINE = re.compile(r"^[ \t]{0,3}(?:>[ \t]*)*\[\^(?P<label>[^\]\s]+)\]:")
_PLAIN_MARKER = re.compile(r"\S\[(?:\d{1,3}|[ivxlcdm]{1,7})\]", re.I)
_LABEL_LIKE = re.compile(r"\d{1,3}|[ivxlcdm]{1,6}", re.I)
_UNRESOLVED_REFERENCE = re.compile(r"\[\^(?P<label>[^\]\s]+)\]")
# Blocks whose text is never a claim.
_SKIPPED_BLOCKS = frozenset({"fence", "code_block", "html_block", "hr"})


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").use(footnote_plugin).enable("table")
    parser.inline.ruler.at("footnote_ref", _footnote_ref)
    return parser


_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]{1,200}\]")


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """The plugin's [^label] rule, for labels of at most 200 characters: the plugin scans
    for the closing bracket from every "[^", which is quadratic on a long run of them."""
    if _FOOTNOTE_REF.match(state.src, state.pos, state.posMax) is None:
        return False
    return footnote_ref(state, silent)


def extract_markdown(source: str, article: str) -> Extraction:
    """Claims of a Markdown article."""
    definition_lines = _definition_lines(source)
    env: dict[str, Any] = {}
    tokens = _parser().parse(_without_redefinitions(source, definition_lines), env)
    footnotes: dict[str, Any] = env.get("footnotes", {})
    listed: dict[int, dict[str, Any]] = footnotes.get("list", {})
    labels = {str(entry["label"]) for entry in listed.values() if entry.get("label") is not None}
    body = Body()
    source_lines = source.split("\n")
    link_notes: list[Note] = []
    warnings: list[ExtractionWarning] = []
    note_tokens: dict[int, list[Token]] = {}
    note_first_line: dict[int, int] = {}
    footnote_id: int | None = None

    for token in tokens:
        if token.type == "footnote_open":
            footnote_id = int(token.meta["id"])
            note_tokens[footnote_id] = []
            continue
        if token.type == "footnote_close":
            footnote_id = None
            continue
        if footnote_id is not None:
            if token.type == "inline":
                note_tokens[footnote_id].extend(token.children or [])
                note_tokens[footnote_id].append(Token("softbreak", "", 0))
            if token.map and footnote_id not in note_first_line:
                note_first_line[footnote_id] = token.map[0] + 1
            continue
        if token.type == "inline" and token.map:
            _add_inline(body, token, listed, labels, warnings, article, link_notes, source_lines)
        elif token.nesting != 0 or token.type in _SKIPPED_BLOCKS:
            body.paragraph_break()

    notes: list[Note] = []
    for footnote_id, entry in sorted(listed.items()):
        label = _label(footnote_id, entry, labels)
        children = note_tokens.get(footnote_id) or list(entry.get("tokens") or [])
        line = definition_lines.get(label, [note_first_line.get(footnote_id, 0)])[0]
        if "tokens" in entry:  # an inline note is defined where it is used
            line = _marker_lines(body, label) or line
        notes.append(Note(label, _note_text(children), line))
    listed_labels = {note.label for note in notes}
    notes.extend(link_notes)
    for label, lines in definition_lines.items():
        if len(lines) > 1:
            for line in lines[1:]:
                warnings.append(
                    ExtractionWarning(article, line, f"note [{label}] is defined more than once")
                )
        if label not in listed_labels:
            warnings.append(
                ExtractionWarning(article, lines[0], f"note [{label}] is never referenced")
            )
    extraction = assemble(article, body, notes, warnings)
    written_as_notes = bool(listed) or any(not n.label.startswith("link-") for n in link_notes)
    if not written_as_notes and _PLAIN_MARKER.search(source):
        # No Markdown footnotes, but "[1]" markers and a "[1] ..." list typed as plain text.
        as_text = extract_text(source, article)
        if as_text.claims:
            return replace(
                as_text,
                claims=tuple(
                    replace(claim, text=_without_inline_markup(claim.text))
                    for claim in as_text.claims
                ),
            )
    return extraction


def _without_inline_markup(text: str) -> str:
    """Claim text from raw Markdown: links to their text, emphasis and code marks dropped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)(\S.*?\S|\S)\1", r"\2", text)
    return text.lstrip("#>*- ").strip()


def _without_redefinitions(source: str, definition_lines: dict[str, list[int]]) -> str:
    """The source with second and later definitions of a label renamed out of the way, so the
    first definition wins (as in pandoc; markdown-it would keep the last)."""
    redefined = {line for lines in definition_lines.values() for line in lines[1:]}
    if not redefined:
        return source
    lines = source.split("\n")
    for number in redefined:
        lines[number - 1] = lines[number - 1].replace("[^", "[^\u2063redefined-", 1)
    return "\n".join(lines)


def _label(footnote_id: int, entry: dict[str, Any], labels: set[str]) -> str:
    label = entry.get("label")
    if label is not None:
        return str(label)
    # Inline notes have no label; readers see them numbered in order, as markdown-it renders.
    number = str(footnote_id + 1)
    return f"inline-{number}" if number in labels else number


def _marker_lines(body: Body, label: str) -> int | None:
    return next((marker.line for marker in body.markers if marker.label == label), None)


def _definition_lines(source: str) -> dict[str, list[int]]:
    """Lines of each `[^label]:` definition, to report duplicates and unreferenced notes.
    Lines inside fenced code are skipped; a definition markdown-it did not accept as one
    is reported as unreferenced only if it looks exactly like a definition."""
    lines: dict[str, list[int]] = {}
    in_fence: str | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        fence = re.match(r"^[ \t]{0,3}(`{3,}|~{3,})", line)
        if fence:
            marker = fence.group(1)[0]
            if in_fence is None:
                in_fence = marker
            elif in_fence == marker:
                in_fence = None
            continue
        if in_fence is not None:
            continue
        definition = _DEFINITION_LINE.match(line)
        if definition:
            lines.setdefault(definition.group("label"), []).append(number)
    return lines


def _add_inline(
    body: Body,
    token: Token,
    listed: dict[int, dict[str, Any]],
    labels: set[str],
    warnings: list[ExtractionWarning],
    article: str,
    link_notes: list[Note],
    source_lines: list[str],
) -> None:
    assert token.map is not None
    line = token.map[0] + 1
    link: tuple[str, list[str]] | None = None
    searched_from: dict[int, int] = {}
    for child in token.children or []:
        if child.type == "footnote_ref":
            footnote_id = int(child.meta["id"])
            entry = listed.get(footnote_id, {})
            written = f"[^{entry['label']}]" if entry.get("label") is not None else "^["
            text_line = source_lines[line - 1] if line <= len(source_lines) else ""
            found = text_line.find(written, searched_from.get(line, 0))
            searched_from[line] = found + 1 if found >= 0 else searched_from.get(line, 0)
            body.add_marker(
                _label(footnote_id, entry, labels), line, found + 1 if found >= 0 else 1
            )
        elif child.type in ("softbreak", "hardbreak"):
            body.append("\n")
            line += 1
        elif child.type == "link_open":
            link = (str(child.attrs.get("href", "")), [])
        elif child.type == "link_close" and link is not None:
            anchor = "".join(link[1])
            if _LABEL_LIKE.fullmatch(anchor):
                # "[1]" resolved by a "[1]: https://..." definition: a footnote in all but name.
                _add_link_citation(body, link[0], anchor, line, link_notes, label=anchor)
            else:
                body.append(anchor)
                _add_link_citation(body, link[0], anchor, line, link_notes)
            link = None
        elif child.type in ("text", "code_inline"):
            content = child.content
            if child.type == "text":
                for unresolved in _UNRESOLVED_REFERENCE.finditer(content):
                    warnings.append(
                        ExtractionWarning(
                            article,
                            line,
                            f"marker [^{unresolved.group('label')}] has no note",
                        )
                    )
                content = _UNRESOLVED_REFERENCE.sub("", content)
            if link is not None:
                link[1].append(content)
            elif child.type == "text":
                _add_text_with_bare_urls(body, content, line, link_notes)
            else:
                body.append(content)
        elif child.type == "image":
            body.append(child.content)
    body.paragraph_break()


def _add_link_citation(
    body: Body,
    href: str,
    anchor: str,
    line: int,
    link_notes: list[Note],
    label: str | None = None,
) -> None:
    """An inline or reference-style link: a citation if it ends its sentence, or wherever
    it stands when it is written like a footnote marker (`label`)."""
    if not href or href.startswith(("#", "mailto:", "javascript:")):
        return
    known = {note.label: note for note in link_notes}
    if label is not None and label in known and known[label].content.links[0][0] != href:
        label = f"{label}-{len(link_notes) + 1}"
    note_label = label or f"link-{len(link_notes) + 1}"
    if note_label not in known:
        content = NoteText(text=f"{anchor} <{href}>".strip(), links=((href, anchor),))
        link_notes.append(Note(note_label, content, line, implicit=True))
    body.add_marker(note_label, line, sentence_end_only=label is None)


def _add_text_with_bare_urls(body: Body, text: str, line: int, link_notes: list[Note]) -> None:
    position = 0
    for url in find_urls(text):
        found = text.find(url, position)
        if found < 0 or not url.lower().startswith(("http://", "https://")):
            continue
        body.append(text[position : found + len(url)])
        _add_link_citation(body, url, "", line, link_notes)
        position = found + len(url)
    body.append(text[position:])


def _note_text(children: list[Token]) -> NoteText:
    parts: list[str] = []
    links: list[tuple[str, str]] = []
    link_target: str | None = None
    link_text: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
            if link_target is not None:
                link_text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            link_target = str(child.attrs.get("href", ""))
            link_text = []
        elif child.type == "link_close" and link_target is not None:
            links.append((link_target, "".join(link_text)))
            anchor = "".join(link_text)
            # Keep a link's target in the note text when its anchor hides it.
            if link_target not in anchor:
                parts.append(f" <{link_target}>")
            link_target = None
    return NoteText(text="".join(parts).strip(), links=tuple(links))
