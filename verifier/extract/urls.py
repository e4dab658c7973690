"""URLs in footnotes: find them in free text, normalise them for de-duplication, pair archives.

A URL is always kept as cited (that is what the reader sees and what a reviewer searches
for); the normalised form only serves as a key, so two notes citing the same page with
different tracking parameters are fetched and archived once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# Schemes people cite, or a bare "www." host. Stops at whitespace, angle brackets and quotes,
# which never occur unescaped inside a URL in prose.
_URL = re.compile(
    r"""(?:https?://|ftp://|www\.)[^\s<>"'\u201c\u201d\u2018\u2019\u00ab\u00bb|]+""", re.I
)
_TRAILING_PUNCTUATION = ".,;:!?*"
_BRACKET_PAIRS = {")": "(", "]": "[", "}": "{"}

# Query parameters that track the visitor rather than select content.
_TRACKING_PARAMETERS = frozenset(
    {
        "module",
        "pgtype",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "cmpid",
        "ocid",
        "smid",
        "_ga",
        "_gl",
        "yclid",
        "ref_src",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "hsa_", "pk_")

_WAYBACK = re.compile(
    r"^https?://(?:[\w-]+\.)?archive\.org/web/(?P<stamp>\d{1,14})[a-z_]*/(?P<original>.+)$", re.I
)
_ARCHIVE_TODAY = re.compile(
    r"^https?://(?:archive\.(?:today|ph|is|li|md|vn|fo)|webcitation\.org)/", re.I
)


def find_urls(text: str) -> list[str]:
    """URLs in `text`, in order, with prose punctuation around them removed."""
    found: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if len(url) > len("https://"):
            found[url] = None
    return list(found)


def _trim(url: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, keeping balanced brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION or (
            last in _BRACKET_PAIRS and url.count(last) > url.count(_BRACKET_PAIRS[last])
        ):
            url = url[:-1]
        else:
            break
    return url


def normalize_url(url: str) -> str:
    """The de-duplication key: lower-case scheme and host, no default port, no fragment,
    no tracking parameters. Paths and remaining parameters keep their case and order."""
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the host part raises on "[..." or a bad port
    except ValueError:
        # Not a well-formed URL (a stray "[" reads as a broken IPv6 host): the key is the
        # URL without its fragment, so de-duplication still works on exact repeats.
        return url.strip().split("#", 1)[0]
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc = f"{netloc}:{port}"
    # Filter the raw "name=value" segments so the kept ones stay byte-for-byte as cited.
    kept = [
        segment
        for segment in parts.query.split("&")
        if segment and not _is_tracking(segment.split("=", 1)[0])
    ]
    query = "&".join(kept)
    path = parts.path or ("/" if host else "")
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMETERS or lowered.startswith(_TRACKING_PREFIXES)


def archived_original(url: str) -> str | None:
    """For a Wayback Machine URL, the URL it is a copy of; None for any other URL."""
    wayback = _WAYBACK.match(url)
    if wayback:
        original = wayback.group("original")
        if not re.match(r"^[a-z]+:", original, re.I):
            original = "http://" + original
        return original
    return None


def is_archive_url(url: str) -> bool:
    """True for copies in a web archive (Wayback, archive.today, WebCite)."""
    return bool(_WAYBACK.match(url) or _ARCHIVE_TODAY.match(url))


def same_resource(first: str, second: str) -> bool:
    """True when two URLs differ only in scheme, "www.", trailing slash or tracking noise."""
    return resource_key(first) == resource_key(second)


def resource_key(url: str) -> str:
    """What `same_resource` compares: equal keys name the same resource. A key to look URLs
    up by, so that pairing many URLs costs one key each rather than one comparison per pair."""
    normalised = normalize_url(url)
    normalised = re.sub(r"^[a-z]+://(?:www\.)?", "", normalised)
    return normalised.rstrip("/")
