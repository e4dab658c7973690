"""Why a 200 page is not the source: soft 404, paywall, consent wall; and what is kept."""

from __future__ import annotations

import pytest
from conftest import LoopbackServer

from verifier.archive import Archive
from verifier.fetch import Fetcher
from verifier.fetch.walls import wall
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings

SETTINGS = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=5.0, retries=0)
ARTICLE_PARAGRAPH = (
    "<p>Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks with "
    "his South Korean counterpart on trade, security and the 2025 summit.</p>"
)


def html(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" if not p.startswith("<") else p for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def fetch(url: str, archive: Archive) -> Capture | FetchFailure:
    with Fetcher(SETTINGS, archive) as fetcher:
        return fetcher.fetch_all([url])[url]


def reason(result: Capture | FetchFailure) -> UnavailableReason | None:
    return result.reason if isinstance(result, FetchFailure) else None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (html("Page not found | Example News", "Sorry, we couldn't find that page."), "soft 404"),
        (html("Example News", "The article you requested no longer exists."), "soft 404"),
        (
            html(
                "Iwaya in Seoul",
                "Foreign Minister Takeshi Iwaya arrived in Seoul.",
                "Subscribe to continue reading. Already a subscriber? Log in.",
            ),
            "paywall",
        ),
        (
            html("Before you continue", "We use cookies and data to deliver our services."),
            "paywall",
        ),
    ],
)
def test_walls_served_with_200_are_unavailable(
    page: str, expected: str, http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/news/2024/iwaya-visit", page)
    result = fetch(url, archive)
    assert isinstance(result, FetchFailure)
    assert result.reason.value == expected


def test_json_ld_marks_a_teaser_as_paywalled(http_server: LoopbackServer, archive: Archive) -> None:
    page = html(
        "Iwaya in Seoul",
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"isAccessibleForFree": "False"}</script>',
        "Foreign Minister Takeshi Iwaya arrived in Seoul on Monday.",
    )
    url = http_server.route("/news/teaser", page)
    assert reason(fetch(url, archive)) is UnavailableReason.PAYWALL


def test_a_deep_link_redirected_to_the_front_page_is_a_soft_404(
    http_server: LoopbackServer, archive: Archive
) -> None:
    http_server.route("/", html("Example News", ARTICLE_PARAGRAPH))
    url = http_server.route("/news/2019/retired-story", status=301, headers={"Location": "/"})
    assert reason(fetch(url, archive)) is UnavailableReason.SOFT_404


def test_long_articles_mentioning_walls_are_kept(
    http_server: LoopbackServer, archive: Archive
) -> None:
    page = html(
        "Treasure not found after decade-long search",
        *(f"Day {day}: {ARTICLE_PARAGRAPH[3:-4]}" for day in range(12)),
        "Subscribe to continue reading our newsletter. We use cookies.",
        "The page not found error was a running joke among the divers.",
    )
    url = http_server.route("/news/treasure", page)
    result = fetch(url, archive)
    assert isinstance(result, Capture)
    assert "Takeshi Iwaya" in result.text


def test_a_headline_with_not_found_is_not_a_soft_404() -> None:
    text = "Divers searched the wreck for ten years. " * 5
    assert wall("https://n.test/a", "https://n.test/a", text, "Treasure not found") is None
    assert wall("https://n.test/a", "https://n.test/a", text, "404 Not Found") is not None
    assert wall("https://n.test/a", "https://n.test/a", text, "Error 404 | News") is not None
    assert wall("https://n.test/a", "https://n.test/a", text, "Flight 404 lands safely") is None


def test_same_page_and_front_page_urls_are_not_soft_404() -> None:
    text = "Foreign Minister Takeshi Iwaya arrived in Seoul. " * 50
    assert wall("https://n.test/", "https://n.test/", text, "Example") is None
    assert wall("https://n.test/a", "https://other.test/", text, "Example") is None
    assert wall("https://n.test/a", "https://www.n.test/", text, "Example") is not None


@pytest.mark.parametrize(
    ("final", "expected"),
    [
        ("https://n.test/404.html", UnavailableReason.SOFT_404),
        ("https://n.test/errors/not-found", UnavailableReason.SOFT_404),
        ("https://consent.n.test/?continue=https://n.test/a", UnavailableReason.PAYWALL),
        ("https://n.test/a-new-home-for-the-story", None),
    ],
)
def test_where_a_redirect_ends_can_reveal_a_wall(
    final: str, expected: UnavailableReason | None
) -> None:
    text = "Foreign Minister Takeshi Iwaya arrived in Seoul. " * 60
    result = wall("https://n.test/a", final, text, "Example")
    assert (result.reason if result else None) is expected


def test_a_short_brief_that_mentions_not_found_is_kept() -> None:
    brief = "The hiker was not found after a two-day search along Route 404, police said."
    assert wall("https://n.test/a", "https://n.test/a", brief, "Search called off") is None
