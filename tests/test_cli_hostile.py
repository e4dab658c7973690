"""Hostile input through the real command: each listed input gives a clean outcome (claims,
a per-source `unavailable`, an error line, or exit 3 naming the file), never exit 1."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import BinaryIO

import pytest
from fixtures.entry_point import verifier
from fuzzing import PDF_SEED
from fuzzing import SEEDS as FUZZ_SEEDS

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


def capped(
    *args: str, cwd: Path, stdin_file: BinaryIO | None = None
) -> subprocess.CompletedProcess[str]:
    """For commands that could read a device to the end: at most 2 GiB, so a regression
    fails fast with MemoryError instead of taking the machine's memory."""
    return verifier(*args, cwd=cwd, stdin_file=stdin_file, max_memory=2 << 30)


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
        capped("score", "--input", "/dev/zero", cwd=tmp_path),
        capped("score", "--input", str(fifo), cwd=tmp_path),
        capped("--ledger", str(link), "check", "--offline", cwd=tmp_path),
        capped("--ledger", str(fifo), "run", "--offline", cwd=tmp_path),
    ]
    for completed in runs:
        assert completed.returncode == 3, completed.stderr
        assert "Traceback" not in completed.stderr
        assert completed.stdout == ""


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_score_refuses_a_device_on_stdin(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        completed = capped("score", "--input", "-", cwd=tmp_path, stdin_file=zero)
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


def test_text_on_binary_and_truncated_files_reports_each_and_goes_on(tmp_path: Path) -> None:
    page = (FUZZ_SEEDS / "page.html").read_bytes()
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "cut.pdf").write_bytes(PDF_SEED[: len(PDF_SEED) // 3])
    (tmp_path / "whole.pdf").write_bytes(PDF_SEED)
    (tmp_path / "cut.html").write_bytes(page[: len(page) // 2])
    inputs = ["noise.bin", "cut.pdf", "whole.pdf", "cut.html"]

    completed = verifier("text", "--format", "json", *inputs, cwd=tmp_path)

    assert completed.returncode == 3, completed.stderr
    lines = {line["input"]: line for line in map(json.loads, completed.stdout.splitlines())}
    assert list(lines) == inputs
    assert lines["noise.bin"]["error"].startswith("not text")
    assert lines["cut.pdf"]["error"].startswith("unreadable")
    assert "Lowmoor Canal reopened" in lines["whole.pdf"]["text"]
    assert "Canal reopens" in (lines["cut.html"]["title"] or "")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("binary.md", b"# Notes\x00\x01\x02 [^1]\n\n[^1]: https://example.org/\n"),
        ("truncated.md", "The caf\u00e9 opened.[^1]\n\n[^1]: https://example.org/\n".encode()[:8]),
        (
            "latin.txt",
            "The caf\u00e9 opened in 1901.[1]\n\n[1] https://example.org/\n".encode("cp1252"),
        ),
    ],
)
def test_an_unreadable_article_is_an_input_error_naming_it(
    tmp_path: Path, name: str, content: bytes
) -> None:
    (tmp_path / name).write_bytes(content)

    completed = verifier("extract", name, cwd=tmp_path)

    assert completed.returncode == 3, completed.stderr
    assert f"error: {name}:1:" in completed.stderr
    assert not (tmp_path / "claims.yaml").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and FIFOs")
def test_state_files_replaced_by_devices_or_fifos_are_never_read(tmp_path: Path) -> None:
    # What a pull request could commit in place of the tool's own files.
    (tmp_path / "source.txt").write_text("The ferry sailed twice a day.\n", encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(
        "claims:\n  - id: c-1\n    text: The ferry sailed twice a day.\n    urls: [source.txt]\n",
        encoding="utf-8",
    )
    first = verifier("check", "--offline", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    caches = sorted((tmp_path / ".verifier-cache").glob("*.json"))
    caches += sorted((tmp_path / ".verifier-cache").glob("*.sqlite"))
    state = [tmp_path / "archive" / "local-text.sqlite", *caches]
    assert (tmp_path / "archive" / "local-text.sqlite").exists() and caches
    for path in state:
        path.unlink()
        path.symlink_to("/dev/zero")

    second = verifier("check", "--offline", cwd=tmp_path)

    assert second.returncode == 0, second.stderr
    assert json.loads((tmp_path / "reports" / "results.json").read_text())["claims"]

    results = tmp_path / "reports" / "results.json"
    results.unlink()
    results.symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "reports" / "notes.md")
    accepted = verifier("accept", "c-1", "--note", "checked", cwd=tmp_path)
    assert accepted.returncode == 3, accepted.stderr  # no report to pin the acceptance to
    checked = verifier("check", "--offline", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert not results.is_symlink() and json.loads(results.read_text())["claims"]
    assert "Traceback" not in accepted.stderr + checked.stderr


def test_claims_yaml_that_yaml_cannot_build_is_exit_3_and_left_as_written(tmp_path: Path) -> None:
    text = "# mine\nsettings:\n  ? fail_on: [contradicted]\n  min_score: 0.4\nclaims: []\n"
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")

    completed = verifier("run", "--offline", cwd=tmp_path)

    assert completed.returncode == 3, completed.stderr
    assert "error: claims.yaml" in completed.stderr
    assert (tmp_path / "claims.yaml").read_text(encoding="utf-8") == text
