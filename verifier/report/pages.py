"""Report file names: one stable, collision-free page per article.

Names keep the article's case ("README.md" -> "README.md"); two names that differ only in
case would be one file on a case-insensitive file system, so such names count as a clash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from verifier.report.markdown import Page

HAND_WRITTEN_STEM = "hand-written"
_RESERVED = frozenset(("index", "results", HAND_WRITTEN_STEM))


def article_slug(article: str) -> str:
    """ "examples/Iwaya.md" -> "examples-Iwaya": readable, safe on every file system."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", article)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")
    return slug or "article"


def _disambiguated(article: str) -> str:
    return f"{article_slug(article)}-{hashlib.sha1(article.encode('utf-8')).hexdigest()[:6]}"


def plan_pages(articles: Iterable[str | None]) -> dict[str | None, Page]:
    """A page per article; when two articles share a slug (ignoring case), both get a hash
    suffix."""
    named = sorted({a for a in articles if a is not None})
    by_slug: dict[str, list[str]] = {}
    for article in named:
        by_slug.setdefault(article_slug(article).casefold(), []).append(article)
    pages: dict[str | None, Page] = {}
    for folded, group in by_slug.items():
        clash = len(group) > 1 or folded in _RESERVED
        for article in group:
            stem = _disambiguated(article) if clash else article_slug(article)
            pages[article] = Page(article, stem)
    pages[None] = Page(None, HAND_WRITTEN_STEM)
    return pages
