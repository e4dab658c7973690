"""Is a cited URL well-formed? One check, so every way in (claims.yaml, footnotes, the
command line, an HTML page's base URL) agrees.

A URL comes from someone else's article, so it may be anything: an unclosed IPv6 bracket,
a control character, a port past 65535, 70 KB of path. Each of those is found here,
before anything else parses it, instead of an exception deep in urllib.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from verifier.errors import InvalidURL

MAX_URL_LENGTH = 8192
"""What HTTP servers are asked to accept (RFC 9110 section 4.1); a longer one is not a citation."""
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def split_url(url: str) -> SplitResult:
    """`url` split into its parts; InvalidURL when it is not well-formed.

    Spaces are allowed in the path and query (people paste them; they are sent
    percent-encoded) but not in the host; no other control character is allowed anywhere.
    """
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"longer than {MAX_URL_LENGTH} characters")
    control = _CONTROL.search(url.replace(" ", ""))
    if control is not None:
        raise InvalidURL(f"control character U+{ord(control.group()):04X}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port raises on "99999" or ":80x"
    except ValueError as error:
        raise InvalidURL(str(error)) from None
    return parts
