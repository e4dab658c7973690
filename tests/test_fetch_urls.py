"""fetch.urls: which cited URLs a request can be made of."""

from __future__ import annotations

import pytest

from verifier.errors import InvalidURL
from verifier.fetch.urls import request_url
from verifier.urls import MAX_URL_LENGTH

INVALID = {
    "unclosed IPv6 bracket": "http://[::1",
    "closing bracket only": "http://]/",
    "IPv6 zone id": "http://[fe80::1%25eth0]/",
    "malformed IDNA label": "http://xn--/",
    "invalid IDNA mix": "http://\u00fc.xn--ab/",
    "space in the host": "http://exa mple.org/",
    "control character": "http://example.org/a\x01b",
    "C1 control character": "http://example.org/a\x85b",
    "port out of range": "http://example.org:99999999999/",
    "port not a number": "http://[::1]:80x/",
    "no host": "http:///path",
    "label over 63": "http://" + "a" * 64 + ".org/",
    "host over 253": "http://" + ".".join(["abcdefgh"] * 30) + "/",
    "70 KB long": "http://example.org/" + "a" * 70_000,
    "not http": "ftp://example.org/file",
    "percent in host": "http://%zz/",
}

VALID = {
    "plain": ("https://example.org/a?b=1#frag", "https://example.org/a?b=1"),
    "IPv6 with port": ("http://[2001:db8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
    "international name": ("https://b\u00fccher.example/", "https://b\u00fccher.example/"),
    "credentials dropped": ("https://user:pw@example.org/", "https://example.org/"),
    "space in the path": ("https://example.org/a b.pdf", "https://example.org/a b.pdf"),
    "no path": ("https://example.org", "https://example.org/"),
}


@pytest.mark.parametrize("url", INVALID.values(), ids=INVALID.keys())
def test_malformed_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidURL):
        request_url(url)


@pytest.mark.parametrize(("url", "expected"), VALID.values(), ids=VALID.keys())
def test_well_formed_urls_are_requested_without_credentials_or_fragment(
    url: str, expected: str
) -> None:
    assert request_url(url) == expected


def test_the_length_limit_is_inclusive() -> None:
    prefix = "https://example.org/"
    assert request_url(prefix + "a" * (MAX_URL_LENGTH - len(prefix)))
