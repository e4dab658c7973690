"""HTML whose footnotes are not linked: "[1]" typed in the text and a "[1] ..." paragraph
below (how many CMS pages are written), or <sup>1</sup> markers and an ordered list under
a "Notes" heading. The page is laid out as plain text, one block per line, and read by the
plain-text extractor; line numbers are mapped back to the HTML source.
"""

from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from verifier.extract.text import extract_text
from verifier.model import Extraction
from verifier.text.html_tags import BLOCK_TAGS, NON_PROSE_TAGS

# Titles, buttons and formulas hold no prose, and a menu's entries laid out as lines would
# pass for paragraphs or notes. (Unlike html.py, a <select>'s options are read as text.)
_SKIPPED = NON_PROSE_TAGS | {"title", "math", "nav", "button"}
# A block with no block inside is laid out as one line of its inline text. The containers
# left out here are not blocks to the layout, so what they hold is joined into one line with
# no space between its blocks: a <dl> reads "TermDefinition", a table whose rows sit in a
# <tbody> reads "cell1cell2". Adding them would split those lines (and move claim lines).
_BLOCKS = BLOCK_TAGS - {"body", "dl", "fieldset", "figure", "hr", "nav", "tbody", "tfoot", "thead"}


def extract_unlinked_notes(root: HtmlElement, article: str) -> Extraction:
    """Claims from the page read as plain text (see the module docstring)."""
    lines: list[str] = []
    source_lines: list[int] = []
    start = root.find("body")
    _layout(start if start is not None else root, lines, source_lines)
    extraction = extract_text("\n".join(lines), article)

    def source_line(text_line: int) -> int:
        index = text_line - 1
        return source_lines[index] if 0 <= index < len(source_lines) else text_line

    return Extraction(
        article=article,
        claims=tuple(
            replace(claim, line=source_line(claim.line), column=1) for claim in extraction.claims
        ),
        warnings=tuple(
            replace(warning, line=source_line(warning.line)) for warning in extraction.warnings
        ),
    )


def _layout(element: HtmlElement, lines: list[str], source_lines: list[int]) -> None:
    """One line per innermost block, blank lines between blocks; list items of an <ol>
    numbered as a reader sees them ("3. ...")."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or tag in _SKIPPED:
            continue
        if tag in _BLOCKS and not _has_block_child(child):
            text = " ".join(_inline_text(child).split())
            if text:
                if tag == "li" and _in_ordered_list(child):
                    text = f"{_ordinal(child)}. {text}"
                lines.extend([text, ""])
                source_lines.extend([child.sourceline or 0] * 2)
            continue
        if tag in _BLOCKS:
            _layout(child, lines, source_lines)
        else:
            text = " ".join(_inline_text(child).split())
            if text:
                lines.extend([text, ""])
                source_lines.extend([child.sourceline or 0] * 2)


def _has_block_child(element: HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _BLOCKS for child in element)


def _inline_text(element: HtmlElement) -> str:
    """The element's text, with <sup>N</sup> written "^N" so it reads as a note marker."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIPPED:
            inner = _inline_text(child)
            if tag == "sup" and inner.strip().isdigit():
                inner = "^" + inner.strip()
            elif tag == "br":
                inner = " "
            elif tag == "a":
                inner = _with_address(child, inner)
            parts.append(inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _with_address(anchor: HtmlElement, text: str) -> str:
    """A link's text followed by its address when the text does not show it, so that a
    note written as <a href="https://...">Title</a> keeps its URL."""
    href = (anchor.get("href") or "").strip()
    if not href.startswith(("http://", "https://")) or href in text:
        return text
    return f"{text} {href} "


def _in_ordered_list(item: HtmlElement) -> bool:
    parent = item.getparent()
    return parent is not None and parent.tag == "ol"


def _ordinal(item: HtmlElement) -> int:
    parent = item.getparent()
    start = 1
    if parent is not None and (parent.get("start") or "").isdigit():
        start = int(parent.get("start") or "1")
    value = item.get("value")
    if value and value.isdigit():
        return int(value)
    position = 0
    if parent is not None:
        for sibling in parent:
            if sibling is item:
                break
            if isinstance(sibling.tag, str) and sibling.tag == "li":
                position += 1
    return start + position
