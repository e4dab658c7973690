"""Hostile input through the real command: each listed input gives a clean outcome (claims,
a per-source `unavailable`, an error line, or exit 3 naming the file), never exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.entry_point import verifier

MALFORMED_URLS = [
    "http://[::1",
    "http://[fe80::1%25eth0]/",
    "http://xn--/",
    "http://]/",
    "http://example.org:99999999999/",
    "http://[::1]:80x/",
    "http://example.org/" + "a" * 70_000,
]
"""In prose a URL ends at whitespace, so a space or control character inside one can
only come from claims.yaml or the command line."""
UNSPLIT_URLS = ["http://exa mple.org/", "http://example.org/a\x01b"]


def _results(root: Path) -> list[dict[str, object]]:
    document = json.loads((root / "reports" / "results.json").read_text(encoding="utf-8"))
    claims: list[dict[str, object]] = document["claims"]
    return claims


def _html_article(urls: list[str]) -> str:
    paragraphs = [
        f'<p>The bridge carried {n} thousand cars a day.<sup><a href="#n{n}">{n}</a></sup></p>'
        for n in range(1, len(urls) + 1)
    ]
    notes = [
        f'<li id="n{n}"><a href="{url}">Traffic count</a></li>' for n, url in enumerate(urls, 1)
    ]
    return (
        "<html><body>\n"
        + "\n".join(paragraphs)
        + "\n<ol>"
        + "".join(notes)
        + "</ol></body></html>\n"
    )


def _rst_article(urls: list[str]) -> str:
    sentences = [
        f"The tunnel carried {n} thousand cars a day. [#t{n}]_\n" for n in range(1, len(urls) + 1)
    ]
    targets = [f".. [#t{n}] `Traffic count <{url}>`_" for n, url in enumerate(urls, 1)]
    return "\n".join(sentences) + "\n" + "\n".join(targets) + "\n"


def test_malformed_urls_anywhere_are_each_unavailable_invalid_url(tmp_path: Path) -> None:
    # claims.yaml, an HTML footnote link and an rST target, all in one run.
    hand_written = "".join(
        f"  - text: The ferry sailed {n} times a day.\n    urls: [{json.dumps(url)}]\n"
        for n, url in enumerate([*MALFORMED_URLS, *UNSPLIT_URLS], 1)
    )
    (tmp_path / "claims.yaml").write_text(f"claims:\n{hand_written}", encoding="utf-8")
    (tmp_path / "article.html").write_text(_html_article(MALFORMED_URLS), encoding="utf-8")
    (tmp_path / "article.rst").write_text(_rst_article(MALFORMED_URLS), encoding="utf-8")

    completed = verifier("run", "--offline", "article.html", "article.rst", cwd=tmp_path)

    assert completed.returncode == 0, completed.stderr
    claims = _results(tmp_path)
    assert len(claims) == 3 * len(MALFORMED_URLS) + len(UNSPLIT_URLS)
    for claim in claims:
        assert claim["verdict"] == "unavailable"
        assert str(claim["reason"]).startswith("invalid URL"), claim["reason"]
    cited = {url for claim in claims for url in claim["urls"]}  # type: ignore[attr-defined]
    assert cited == {*MALFORMED_URLS, *UNSPLIT_URLS}


def test_text_reports_each_malformed_url_and_goes_on(tmp_path: Path) -> None:
    inputs = [*MALFORMED_URLS, *UNSPLIT_URLS]

    completed = verifier("text", "--offline", "--format", "json", *inputs, cwd=tmp_path)

    assert completed.returncode == 3, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [line["input"] for line in lines] == inputs
    assert all(line["error"].startswith("invalid URL") for line in lines)
