"""Can a request be made of a cited URL? Well-formed (verifier.urls) and more: http(s), a
host DNS could resolve, no IPv6 zone id, IDNA labels that decode.

Each failure is that one source `unavailable: invalid URL`, decided here before any
lookup, and never an exception deep in urllib, httpx or the idna codec.
"""

from __future__ import annotations

import functools
from urllib.parse import urlunsplit

import httpx

from verifier.errors import InvalidURL
from verifier.urls import split_url

_MAX_LABEL, _MAX_HOST = 63, 253  # DNS limits (RFC 1035)


# Memoised: a pass asks this of each URL several times (the archive check, the host queue,
# the fetch thread), and httpx's URL parser costs a fetch pass's main thread ~0.1 ms a URL
# before the first request can go out. A pure function of the string; errors are not kept.
@functools.lru_cache(maxsize=4096)
def request_url(url: str) -> str:
    """The URL to request for the cited `url`: http(s) only, with a host, without the
    credentials (they would go to every hop) or fragment.

    InvalidURL for anything a request cannot be made of; the scheme is the caller's policy
    and is checked here only so no other scheme slips through.
    """
    parts = split_url(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise InvalidURL(f"scheme {scheme or '(none)'!r} is not fetched")
    host = parts.hostname
    if not host:
        raise InvalidURL("no host")
    _check_host(host)
    netloc = parts.netloc.rpartition("@")[2]
    cleaned = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    try:
        # httpx refuses some spellings (octal IPv4) that urlsplit takes, and decodes
        # IDNA labels only when the host is read.
        httpx.URL(cleaned).host  # noqa: B018
    except (httpx.InvalidURL, UnicodeError) as error:
        raise InvalidURL(str(error)) from None
    return cleaned


def _check_host(host: str) -> None:
    if " " in host:
        raise InvalidURL("space in the host")
    if "%" in host:
        # An IPv6 zone id names an interface of the machine that fetches: never a source.
        raise InvalidURL("IPv6 zone id in the host" if ":" in host else "% in the host")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as error:
        raise InvalidURL(f"host is not a valid international name: {error}") from None
    if len(ascii_host) > _MAX_HOST or any(
        len(label) > _MAX_LABEL for label in ascii_host.split(".")
    ):
        raise InvalidURL("host name longer than DNS allows")
