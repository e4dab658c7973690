"""Hostile input through the real command: each listed input gives a clean outcome (claims,
a per-source `unavailable`, an error line, or exit 3 naming the file), never exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.entry_point import clean_environment, verifier

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


SOURCE = "Japan's Foreign Minister Takeshi Iwaya will visit Beijing next week, the ministry said."


def _record(record_id: str) -> bytes:
    line = {"id": record_id, "claim": "Iwaya will visit Beijing.", "source": SOURCE}
    return json.dumps(line).encode("utf-8") + b"\n"


def test_score_reports_each_bad_record_and_scores_the_rest(tmp_path: Path) -> None:
    bad = [
        b'{"id": "deep", "claim": ' + b"[" * 50_000 + b"]" * 50_000 + b', "source": "x"}\n',
        b'{"id": "lone", "claim": "a \\ud800 b", "source": "x"}\n',
        b'{"id": "bytes", "claim": "caf\xe9", "source": "x"}\n',
        b'{"id": "types", "claim": ["a"], "source": 3}\n',
    ]
    long_claim = {"id": "long", "claim": "Iwaya will visit Beijing " * 50_000, "source": SOURCE}
    lines = [_record("first"), *bad, json.dumps(long_claim).encode() + b"\n", _record("last")]
    (tmp_path / "records.jsonl").write_bytes(b"".join(lines))

    completed = verifier("score", "--input", "records.jsonl", cwd=tmp_path)

    assert completed.returncode == 3, completed.stderr
    outputs = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [o["id"] for o in outputs] == ["first", None, "lone", None, "types", "long", "last"]
    assert [o.get("line") for o in outputs if "error" in o] == [2, 3, 4, 5]
    assert outputs[-1]["verdict"] == "supported"
    assert "records.jsonl:6: warning" in completed.stderr  # the long claim, cut
    assert "Traceback" not in completed.stderr


def test_score_reads_stdin(tmp_path: Path) -> None:
    completed = verifier("score", "--input", "-", cwd=tmp_path, stdin=_record("a").decode())
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["id"] == "a"


@pytest.mark.skipif(not Path("/dev/urandom").exists(), reason="needs /dev/urandom and FIFOs")
def test_score_input_and_ledger_that_are_not_regular_files_are_refused_at_once(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "random-link"
    link.symlink_to("/dev/urandom")
    runs = [
        verifier("score", "--input", "/dev/zero", cwd=tmp_path),
        verifier("score", "--input", str(fifo), cwd=tmp_path),
        verifier("--ledger", str(link), "check", "--offline", cwd=tmp_path),
        verifier("--ledger", str(fifo), "run", "--offline", cwd=tmp_path),
    ]
    for completed in runs:
        assert completed.returncode == 3, completed.stderr
        assert "Traceback" not in completed.stderr
        assert completed.stdout == ""


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_score_refuses_a_device_on_stdin(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        completed = subprocess.run(
            [sys.executable, "-m", "verifier", "score", "--input", "-"],
            cwd=tmp_path,
            stdin=zero,
            capture_output=True,
            timeout=60,
            check=False,
            env=clean_environment(),
        )
    assert completed.returncode == 3


@pytest.mark.parametrize("folder", ["reports", "archive"])
def test_reports_or_archive_existing_as_a_file_is_an_input_error_naming_it(
    tmp_path: Path, folder: str
) -> None:
    (tmp_path / "claims.yaml").write_text(
        "claims:\n  - text: The ferry sailed twice a day.\n    urls: [sources/ferry.txt]\n",
        encoding="utf-8",
    )
    (tmp_path / folder).write_text("not a folder\n", encoding="utf-8")
    before = (tmp_path / "claims.yaml").read_bytes()

    commands = (
        [["run", "--offline"]] if folder == "reports" else [["fetch"], ["check", "--offline"]]
    )
    for command in commands:
        completed = verifier(*command, cwd=tmp_path)
        assert completed.returncode == 3, (command, completed.stderr)
        assert f"error: {folder}:" in completed.stderr
    assert (tmp_path / folder).read_text(encoding="utf-8") == "not a folder\n"
    assert (tmp_path / "claims.yaml").read_bytes() == before
