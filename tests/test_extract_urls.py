"""URLs in notes: finding them in prose, the de-duplication key, archive pairing."""

from __future__ import annotations

import pytest

from verifier.extract.urls import (
    archived_original,
    find_urls,
    is_archive_url,
    normalize_url,
    same_resource,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://a.example.org/x.", ["https://a.example.org/x"]),
        ("(https://a.example.org/x)", ["https://a.example.org/x"]),
        ("https://en.example.org/wiki/Foo_(bar), next", ["https://en.example.org/wiki/Foo_(bar)"]),
        (
            "<https://a.example.org/y>; www.b.example.org/z!",
            ["https://a.example.org/y", "www.b.example.org/z"],
        ),
        ("\u201chttps://q.example.org/\u201d", ["https://q.example.org/"]),
        ("no links here, e.g. example.org", []),
    ],
)
def test_find_urls_trims_prose_punctuation(text: str, expected: list[str]) -> None:
    assert find_urls(text) == expected


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://www.scmp.com/news/a?module=top_story&pgtype=homepage",
            "https://www.scmp.com/news/a",
        ),
        ("HTTPS://Example.ORG:443/Path?utm_source=x&id=7#top", "https://example.org/Path?id=7"),
        ("http://example.org", "http://example.org/"),
        ("https://example.org/a?b=1&fbclid=abc&c=%2F", "https://example.org/a?b=1&c=%2F"),
        ("www.example.org/a", "http://www.example.org/a"),
        ("sources/local.html#part", "sources/local.html"),
        ("http://[broken/host#x", "http://[broken/host"),
    ],
)
def test_normalized_url_drops_tracking_fragment_and_case(url: str, key: str) -> None:
    assert normalize_url(url) == key


def test_wayback_copy_knows_its_original() -> None:
    archive = "https://web.archive.org/web/20200101000000/https://r.example.org/a"
    assert is_archive_url(archive)
    assert archived_original(archive) == "https://r.example.org/a"
    assert archived_original("https://web.archive.org/web/2020/r.example.org/b") == (
        "http://r.example.org/b"
    )
    assert is_archive_url("https://archive.ph/AbCdE")
    assert not is_archive_url("https://r.example.org/a")
    assert archived_original("https://r.example.org/a") is None


def test_same_resource_ignores_scheme_www_slash_and_tracking() -> None:
    assert same_resource("http://www.a.example.org/p/", "https://a.example.org/p?utm_medium=x")
    assert not same_resource("https://a.example.org/p", "https://a.example.org/q")
