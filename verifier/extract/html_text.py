"""HTML whose footnotes are not linked: "[1]" typed in the text and a "[1] ..." paragraph
below (how many CMS pages are written), or <sup>1</sup> markers and an ordered list under
a "Notes" heading. The page is laid out as plain text, one block per line, and read by the
plain-text extractor; line numbers are mapped back to the HTML source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree
from lxml.html import HtmlElement

from verifier.extract.text import extract_text
from verifier.model import Extraction
from verifier.text.html_tags import BLOCK_TAGS, NON_PROSE_TAGS

# Titles, buttons and formulas hold no prose, and a menu's entries laid out as lines would
# pass for paragraphs or notes. (Unlike html.py, a <select>'s options are read as text.)
_SKIPPED = NON_PROSE_TAGS | {"title", "math", "nav", "button"}
# Every element of the shared set is a block: left out, a table's <tbody> or a <dl> would
# join their cells or terms into one line ("ab", "TermDefinition"), and a <figure> or <hr>
# would glue the text on either side of it together.
_BLOCKS = BLOCK_TAGS


def extract_unlinked_notes(root: HtmlElement, article: str) -> Extraction:
    """Claims from the page read as plain text (see the module docstring)."""
    page = _Page()
    start = root.find("body")
    _layout(start if start is not None else root, page)
    extraction = extract_text("\n".join(page.lines), article)

    def source_line(text_line: int) -> int:
        index = text_line - 1
        return page.source_lines[index] if 0 <= index < len(page.source_lines) else text_line

    return Extraction(
        article=article,
        claims=tuple(
            replace(claim, line=source_line(claim.line), column=1) for claim in extraction.claims
        ),
        warnings=tuple(
            replace(warning, line=source_line(warning.line)) for warning in extraction.warnings
        ),
    )


@dataclass
class _Page:
    """The page laid out as text lines, each with the source line its first word is on."""

    lines: list[str] = field(default_factory=list)
    source_lines: list[int] = field(default_factory=list)
    prefix: str = ""
    """Put before the next line: the number a reader sees before a list item ("3. ")."""

    def add(self, text: str, source_line: int) -> None:
        text = " ".join(text.split())
        if text:
            text, self.prefix = self.prefix + text, ""
            self.lines.extend([text, ""])
            self.source_lines.extend([source_line] * 2)


def _layout(container: HtmlElement, page: _Page) -> None:
    """One line per block, blank lines between blocks. A block's own text, its inline
    elements and the text after its inner blocks form lines of their own between those
    blocks, as a browser shows them; an inline element that wraps blocks (a link around
    paragraphs) is laid out like a block. List items of an <ol> are numbered as a reader
    sees them ("3. ...")."""
    run: list[str] = []
    run_line: int | None = None  # the source line of the run's first word

    def extend_run(text: str, source: HtmlElement, is_element_text: bool = False) -> None:
        """Add to the run what inline element `source` reads as (`is_element_text`), or
        the text that follows `source`: its tail, or its own text when it is the container."""
        nonlocal run_line
        if run_line is None and text.strip():
            if is_element_text:
                run_line = int(source.sourceline or 0)
            else:
                run_line = _text_line(text, source, container)
        run.append(text)

    def end_run() -> None:
        nonlocal run_line
        page.add("".join(run), run_line or 0)
        run.clear()
        run_line = None

    extend_run(container.text or "", container)
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIPPED:
            if tag in _BLOCKS or _holds_block(child):
                end_run()
                if tag == "li" and _in_ordered_list(child):
                    page.prefix = f"{_ordinal(child)}. "
                _layout(child, page)
                page.prefix = ""  # an empty item numbers nothing after it
            else:
                extend_run(_inline_child(child), child, is_element_text=True)
        extend_run(child.tail or "", child)
    end_run()


def _text_line(text: str, before: HtmlElement, parent: HtmlElement) -> int:
    """The source line of the first word of `text`: the text of `before` when it is
    `parent`, else its tail. Counted back from the node after the text, where there is
    one; else forward from the start of `before`."""
    words_start = len(text) - len(text.lstrip())
    following = before[0] if before is parent and len(before) else None
    if before is not parent:
        following = before.getnext()
    if following is not None and following.sourceline:
        return int(following.sourceline) - text.count("\n", words_start)
    start = int(before.sourceline or 0)
    if before is not parent:
        start += etree.tostring(before, encoding=str, with_tail=False).count("\n")
    return start + text.count("\n", 0, words_start)


def _holds_block(element: HtmlElement) -> bool:
    return any(
        isinstance(child.tag, str)
        and child.tag not in _SKIPPED
        and (child.tag in _BLOCKS or _holds_block(child))
        for child in element
    )


def _inline_text(element: HtmlElement) -> str:
    """The element's text, with <sup>N</sup> written "^N" so it reads as a note marker."""
    parts: list[str] = [element.text or ""]
    for child in element:
        parts.extend([_inline_child(child), child.tail or ""])
    return "".join(parts)


def _inline_child(child: HtmlElement) -> str:
    """What an inline element reads as, its tail left out."""
    tag = child.tag if isinstance(child.tag, str) else ""
    if not tag or tag in _SKIPPED:
        return ""
    inner = _inline_text(child)
    if tag == "sup" and inner.strip().isdigit():
        return "^" + inner.strip()
    if tag == "br":
        return " "
    if tag == "a":
        return _with_address(child, inner)
    return inner


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
