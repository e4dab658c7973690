"""MediaWiki XML export -> article pages, streamed in constant memory.

A dump of English Wikipedia is tens of gigabytes of XML (`pages-articles.xml.bz2`); it is
read as a stream (lxml iterparse over the bz2 stream), one <page> at a time, and each page
element is cleared, with the siblings before it, once read, so memory does not grow with
the dump. Elements are matched by local name: every export schema version (0.3 to 0.11)
puts them in its own namespace. Redirects (<redirect/>) and pages outside the article
namespace (<ns> other than 0: talk pages, templates, user pages) are skipped.
"""

from __future__ import annotations

import bz2
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from verifier.errors import InputError

ARTICLE_NAMESPACE = "0"


@dataclass(frozen=True)
class DumpPage:
    title: str
    text: str
    """The latest revision's wikitext."""


@dataclass
class DumpStats:
    """What a pass over a dump saw (filled in as pages are read)."""

    pages: int = 0
    articles: int = 0
    redirects: int = 0
    other_namespaces: int = 0


def open_dump(path: Path) -> IO[bytes]:
    """The dump's XML bytes: decompressed on the fly when it is .bz2."""
    try:
        if path.suffix.lower() == ".bz2":
            return bz2.open(path, "rb")
        return path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read the dump: {error.strerror}", path=str(path)) from None


def article_pages(path: Path, stats: DumpStats | None = None) -> Iterator[DumpPage]:
    """Every article page of the dump at `path`, in dump order."""
    stats = stats if stats is not None else DumpStats()
    with open_dump(path) as stream:
        try:
            for _, page in etree.iterparse(stream, events=("end",), tag="{*}page"):
                found = _article(page, stats)
                _release(page)
                if found is not None:
                    yield found
        except (etree.XMLSyntaxError, EOFError, OSError) as error:
            raise InputError(
                f"not a readable MediaWiki XML export: {error}",
                path=str(path),
                hint="pass a pages-articles XML dump (.xml or .xml.bz2)",
            ) from None


def _article(page: Any, stats: DumpStats) -> DumpPage | None:
    stats.pages += 1
    title = _child(page, "title")
    revisions = [child for child in page if etree.QName(child).localname == "revision"]
    text = _child(revisions[-1], "text") if revisions else None
    wikitext = (text.text or "") if text is not None else ""
    # Older schemas have no <redirect/>: the text itself says so.
    if _child(page, "redirect") is not None or wikitext.lstrip()[:9].upper() == "#REDIRECT":
        stats.redirects += 1
        return None
    namespace = _child(page, "ns")
    if namespace is not None and (namespace.text or "").strip() != ARTICLE_NAMESPACE:
        stats.other_namespaces += 1
        return None
    if title is None or text is None:
        return None
    stats.articles += 1
    return DumpPage(title=(title.text or "").strip(), text=wikitext)


def _child(element: Any, name: str) -> Any:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return None


def _release(page: Any) -> None:
    """Free the page and everything parsed before it (iterparse keeps the tree)."""
    page.clear()
    parent = page.getparent()
    if parent is not None:
        while page.getprevious() is not None:
            del parent[0]
