"""Pages that answer 200 but are not the source: soft 404s, paywalls and consent walls.

Precision matters more than recall here: calling a real article a wall hides it from
the matcher (the claim becomes `unavailable`), while missing a wall only yields an honest
`unsupported`. So every rule needs a strong phrase *and* a page too short to be the
article, except a redirect from a deep link to the site's front page, which is how many
sites retire an article.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from verifier.model import FetchFailure, UnavailableReason

SHORT_PAGE_CHARS = 2000
"""Main text shorter than this can be a wall; a longer page is taken as the article."""
TINY_PAGE_CHARS = 600

_NOT_FOUND = re.compile(
    r"\b(?:error 404|404 (?:error|not found|page)|page not found|"
    r"(?:page|article|story|content|file|url) (?:you (?:requested|are looking for) )?"
    r"(?:does not|doesn't|no longer) exists?|"
    r"(?:page|article|story|content|file) (?:was not|could not be|cannot be|can't be) found|"
    r"no longer (?:available|exists?)|has been (?:removed|deleted)|"
    r"we (?:couldn't|could not|can't|cannot) find (?:that|the|this) page)\b",
    re.IGNORECASE,
)
# Titles are held to a stricter pattern: "Treasure not found" is a headline, not an error.
_TITLE_NOT_FOUND = re.compile(
    r"^\s*(?:error\s*)?404\b|\b404\s*(?:error|not found|page)\b|\berror\s*404\b|"
    r"page not found|^\s*not found\b|[|:\u2013\u2014-]\s*not found\s*$|"
    r"(?:page|article|story) (?:does not|doesn't|no longer) exists?|"
    r"(?:page|article|story) (?:could not|cannot|can't) be found",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|keep reading|unlock)|subscribers? only|"
    r"(?:available|reserved|exclusive) (?:only )?(?:to|for) (?:paying )?subscribers|"
    r"to continue reading|continue reading with a subscription|already a subscriber|"
    r"(?:sign|log) in to (?:continue|read)|create a free account to|"
    r"you(?:'ve| have) reached your (?:free )?(?:article |monthly )?limit|"
    r"unlock this article|become a (?:member|subscriber) to read)\b",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"\b(?:we use cookies|this (?:site|website) uses cookies|accept all cookies|"
    r"(?:manage|cookie) (?:your )?(?:cookie )?(?:preferences|settings)|before you continue|"
    r"consent to (?:the use of )?cookies|your privacy choices)\b",
    re.IGNORECASE,
)
_ERROR_PATH = re.compile(
    r"/(?:404|410|not[-_]?found|page[-_]?not[-_]?found|error)(?:\.\w+)?/?$", re.I
)
_CONSENT_HOST = re.compile(r"^(?:consent|cmp|privacy|gdpr)\.", re.IGNORECASE)
_NOT_FREE = re.compile(r"[\"']isAccessibleForFree[\"']\s*:\s*[\"']?false", re.IGNORECASE)
_FRONT_PAGE_PATHS = frozenset({"", "/", "/index.html", "/index.php", "/home", "/en", "/en/"})


def wall(
    url: str,
    final_url: str,
    text: str,
    title: str | None,
    markup: str | None = None,
) -> FetchFailure | None:
    """The failure a 200 page really is, or None when it looks like the source."""
    if _sent_to_front_page(url, final_url):
        return FetchFailure(
            url, UnavailableReason.SOFT_404, f"redirected to the front page {final_url}"
        )
    if final_url != url and _ERROR_PATH.search(urlsplit(final_url).path):
        return FetchFailure(url, UnavailableReason.SOFT_404, f"redirected to {final_url}")
    if final_url != url and _CONSENT_HOST.match(urlsplit(final_url).hostname or ""):
        return FetchFailure(url, UnavailableReason.PAYWALL, f"consent wall at {final_url}")
    length = len(text)
    if length < SHORT_PAGE_CHARS and _TITLE_NOT_FOUND.search(title or ""):
        return FetchFailure(url, UnavailableReason.SOFT_404, f"page titled {title!r}")
    if length < TINY_PAGE_CHARS and _NOT_FOUND.search(text[:300]):
        return FetchFailure(url, UnavailableReason.SOFT_404, "page says it was not found")
    if length < SHORT_PAGE_CHARS:
        paywall = _PAYWALL.search(text)
        if paywall is not None:
            return FetchFailure(url, UnavailableReason.PAYWALL, f"page says {paywall.group(0)!r}")
        if markup is not None and _NOT_FREE.search(markup):
            return FetchFailure(url, UnavailableReason.PAYWALL, "marked isAccessibleForFree: false")
    if length < TINY_PAGE_CHARS:
        consent = _CONSENT.search(text)
        if consent is not None:
            return FetchFailure(
                url, UnavailableReason.PAYWALL, f"consent wall: page says {consent.group(0)!r}"
            )
    return None


def _sent_to_front_page(url: str, final_url: str) -> bool:
    start, end = urlsplit(url), urlsplit(final_url)
    return (
        start.path not in _FRONT_PAGE_PATHS
        and end.path in _FRONT_PAGE_PATHS
        and not end.query
        and _site(start.hostname) == _site(end.hostname)
    )


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host
