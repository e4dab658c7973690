"""HTML -> main text: trafilatura tuned for recall, dropped article blocks put back, and
the page's whole visible text as the fallback.

Recall matters more than precision here: a sentence the extractor drops turns into a
false "unsupported" verdict, while a stray menu line only costs the matcher a little time.
"""

from __future__ import annotations

import re

import trafilatura
from bs4 import BeautifulSoup
from lxml import etree, html

from verifier.text.html_tags import BLOCK_TAGS, NON_PROSE_TAGS
from verifier.text.recall import parse_html, recover_dropped_text

# Below this many characters trafilatura has probably missed the article (or the page is
# mostly script), so the whole visible text is the safer answer.
_MIN_MAIN_TEXT_CHARS = 200
# For the page's whole visible text every block stands apart from the text around it (a
# <summary> left out glued it to what it discloses), a line break ends a paragraph too, and
# an embedded frame is another page.
_BLOCK_TAGS = BLOCK_TAGS | {"br"}
_NON_CONTENT_TAGS = NON_PROSE_TAGS | {"iframe"}
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_SCRIPTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
MAX_MARKUP_CHARS = 3_000_000
"""Markup (scripts and styles removed) read for text. The largest of the 274 benchmark
pages is 0.5 M chars; extraction time and memory grow faster than linearly with size
(19 M chars took trafilatura 15 s and 550 MB), so a hostile page is cut here."""
_SPACE_RUNS = re.compile(r"[ \t\u00a0]+")


def html_main_text(markup: str, url: str | None = None) -> tuple[str, str | None]:
    """Return (main text, title) of an HTML document."""
    markup = bounded_markup(markup)
    extracted = trafilatura.extract(
        markup,
        url=url,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        output_format="txt",
    )
    tree = parse_html(markup)
    if tree is None:  # lxml gave up; bs4's lenient parser still reads the words
        soup = BeautifulSoup(markup, "html.parser")
        title = _soup_title(soup)
        visible = _soup_visible_text(soup)
    else:
        title = _title(tree)
        visible = _visible_text(tree)
    if extracted is None or len(extracted.strip()) < min(_MIN_MAIN_TEXT_CHARS, len(visible) // 2):
        return visible, title
    if tree is not None:
        extracted = recover_dropped_text(tree, extracted)
    return _normalise(extracted), title


def bounded_markup(markup: str) -> str:
    """`markup` without script and style blocks, cut to MAX_MARKUP_CHARS (the article is
    near the top; what follows a 3 M-character prefix is rarely prose)."""
    stripped = _SCRIPTS.sub("", markup)
    return stripped[:MAX_MARKUP_CHARS]


def _title(tree: html.HtmlElement) -> str | None:
    for query in (
        '//meta[@property="og:title"]/@content',
        '//meta[@name="twitter:title"]/@content',
    ):
        for content in tree.xpath(query):
            if str(content).strip():
                return " ".join(str(content).split())
    for element in tree.iter("title"):
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def _visible_text(tree: html.HtmlElement) -> str:
    """Every visible word of the body, with blank lines between blocks (iterative walk:
    hostile pages nest deep enough to break recursion)."""
    body = tree.find("body")
    pieces: list[str] = []
    skipping: list[etree._Element] = []
    for event, element in etree.iterwalk(body if body is not None else tree, ("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if skipping or tag in _NON_CONTENT_TAGS:
                skipping.append(element)
                continue
            if tag in _BLOCK_TAGS:
                pieces.append("\n\n")
            if element.text and tag:
                pieces.append(element.text)
            continue
        if skipping:
            if skipping[-1] is element:
                skipping.pop()
            if skipping:
                continue
        elif tag in _BLOCK_TAGS:
            pieces.append("\n\n")
        if element.tail:
            pieces.append(element.tail)
    return _normalise("".join(pieces))


def _soup_title(soup: BeautifulSoup) -> str | None:
    if soup.title is not None and soup.title.string:
        return " ".join(soup.title.string.split())
    return None


def _soup_visible_text(soup: BeautifulSoup) -> str:
    for tag in soup.find_all(sorted(_NON_CONTENT_TAGS)):
        tag.decompose()
    for tag in soup.find_all(sorted(_BLOCK_TAGS)):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")  # the text after a block is not part of its last line
    return _normalise(soup.get_text())


def _normalise(text: str) -> str:
    lines = (_SPACE_RUNS.sub(" ", line).strip() for line in text.splitlines())
    joined = "\n".join(lines)
    return _BLANK_RUNS.sub("\n\n", joined).strip()
