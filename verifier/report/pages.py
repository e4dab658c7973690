"""Report file names: one stable, collision-free page per article."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from verifier.report.markdown import Page

HAND_WRITTEN_STEM = "hand-written"
_RESERVED = frozenset(("index", "results", HAND_WRITTEN_STEM))


def article_slug(article: str) -> str:
    """ "examples/iwaya.md" -> "examples-iwaya": readable, safe on every file system."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", article)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "article"


def _disambiguated(article: str) -> str:
    return f"{article_slug(article)}-{hashlib.sha1(article.encode('utf-8')).hexdigest()[:6]}"


def plan_pages(articles: Iterable[str | None]) -> dict[str | None, Page]:
    """A page per article; when two articles share a slug, both get a hash suffix."""
    named = sorted({a for a in articles if a is not None})
    by_slug: dict[str, list[str]] = {}
    for article in named:
        by_slug.setdefault(article_slug(article), []).append(article)
    pages: dict[str | None, Page] = {}
    for slug, group in by_slug.items():
        clash = len(group) > 1 or slug in _RESERVED
        for article in group:
            pages[article] = Page(article, _disambiguated(article) if clash else slug)
    pages[None] = Page(None, HAND_WRITTEN_STEM)
    return pages
