"""HTML -> main text: trafilatura tuned for recall, with a whole-page bs4 fallback.

Recall matters more than precision here: a sentence the extractor drops turns into a
false "unsupported" verdict, while a stray menu line only costs the matcher a little time.
"""

from __future__ import annotations

import re

import trafilatura
from bs4 import BeautifulSoup

# Below this many characters trafilatura has probably missed the article (or the page is
# mostly script), so the whole visible text is the safer answer.
_MIN_MAIN_TEXT_CHARS = 200
_NON_CONTENT_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe")
_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "br",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
)
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_SPACE_RUNS = re.compile(r"[ \t\u00a0]+")


def html_main_text(markup: str, url: str | None = None) -> tuple[str, str | None]:
    """Return (main text, title) of an HTML document."""
    extracted = trafilatura.extract(
        markup,
        url=url,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        output_format="txt",
    )
    soup = BeautifulSoup(markup, "lxml")
    title = _title(soup)
    visible = _visible_text(soup)
    if extracted is None or len(extracted.strip()) < min(_MIN_MAIN_TEXT_CHARS, len(visible) // 2):
        return visible, title
    return _normalise(extracted), title


def _title(soup: BeautifulSoup) -> str | None:
    for meta in soup.find_all("meta"):
        if meta.get("property") == "og:title" or meta.get("name") == "twitter:title":
            content = meta.get("content")
            if isinstance(content, str) and content.strip():
                return " ".join(content.split())
    if soup.title is not None and soup.title.string:
        return " ".join(soup.title.string.split())
    return None


def _visible_text(soup: BeautifulSoup) -> str:
    for tag in soup.find_all(_NON_CONTENT_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
    return _normalise(soup.get_text())


def _normalise(text: str) -> str:
    lines = (_SPACE_RUNS.sub(" ", line).strip() for line in text.splitlines())
    joined = "\n".join(lines)
    return _BLANK_RUNS.sub("\n\n", joined).strip()
