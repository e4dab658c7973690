"""Extraction grows linearly with the URLs one footnote cites, in every format.

Measured by counting function calls (cProfile), not by timing: the count is the same on a
quiet machine and a busy one. Four times the URLs must cost about four times the calls; a
comparison of every URL with every other (what made 3,000 URLs take most of a minute)
costs sixteen times.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

from verifier.extract import FORMATS, extract_source


def _cited(count: int) -> list[str]:
    """Originals and their Wayback copies, so archive pairing is exercised too."""
    urls: list[str] = []
    for number in range(count // 2):
        page = f"https://news.example.org/story/{number}?utm_source=feed"
        urls += [page, f"https://web.archive.org/web/2020/{page}"]
    return urls


def _article(article_format: str, urls: list[str]) -> str:
    sentence = "The harbour bridge opened in 1932."
    spaced = " ".join(urls)
    if article_format == "text":
        return f"{sentence}[1]\n\nNotes\n\n1. {spaced}\n"
    if article_format == "markdown":
        return f"{sentence}[^1]\n\n[^1]: {spaced}\n"
    if article_format == "html":
        links = " ".join(f'<a href="{url}">{url}</a>' for url in urls)
        return f'<p>{sentence}<sup><a href="#n1">1</a></sup></p><ol><li id="n1">{links}</li></ol>'
    if article_format == "wikitext":
        return sentence + "<ref>" + " ".join(f"[{url} copy]" for url in urls) + "</ref>\n"
    assert article_format == "rst"
    return f"{sentence} [1]_\n\n.. [1] {spaced}\n"


def _calls(article_format: str, count: int) -> int:
    source = _article(article_format, _cited(count))
    profile = cProfile.Profile()
    profile.enable()
    extraction = extract_source(source, "article", article_format)
    profile.disable()
    (claim,) = extraction.claims
    assert len(claim.citations) == count // 2  # each copy rides with its original
    assert all(citation.archive_url for citation in claim.citations)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("article_format", FORMATS)
def test_one_footnote_with_many_urls_costs_linear_work(article_format: str) -> None:
    small = _calls(article_format, 250)
    large = _calls(article_format, 1000)
    assert large / small < 6, (small, large)  # linear gives about 4, pairwise about 16
