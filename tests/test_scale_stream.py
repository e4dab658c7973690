"""One machine at scale: batches, prepared pages, SQLite caches, grouped fsyncs, progress."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from fixtures.exchanges import exchange

from verifier import pipeline
from verifier.archive import Archive
from verifier.kvstore import KeyValueStore
from verifier.match import SourcePool, assess
from verifier.model import Assessment, Capture, Claim, SourceResult, Verdict
from verifier.progress import ProgressLine

PAGE_A = "The harbour bridge reopened on 14 March 2025 after repairs. " * 40
PAGE_B = "The museum recorded 12,400 visitors in 2023, a new high. " * 40


def capture(url: str, text: str) -> Capture:
    return Capture(url, url, 200, "2026-01-01T00:00:00Z", "text/html", "sha1:X", text)


def test_the_pool_prepares_each_interleaved_page_once_and_scores_as_assess_does() -> None:
    pool = SourcePool()
    claims = ["The bridge reopened on 14 March 2025.", "The museum had 12,400 visitors."]
    for _ in range(5):
        for claim, page in zip(claims, (PAGE_A, PAGE_B), strict=True):
            assert pool.assess(claim, page) == assess(claim, page)
    assert pool.prepared == 2


def test_the_pool_lets_the_least_recent_page_go_past_its_budget() -> None:
    pool = SourcePool(max_chars=len(PAGE_A) + 10)
    pool.prepare(PAGE_A)
    pool.prepare(PAGE_B)  # A no longer fits beside B
    pool.prepare(PAGE_A)
    assert pool.prepared == 3


def test_verify_reads_in_batches_groups_by_source_and_keeps_claim_order(tmp_path: Path) -> None:
    claims = [
        Claim(id=f"c{n}", text=f"Claim {n}.", urls=(f"https://{'ab'[n % 2]}.test/",))
        for n in range(10)
    ]
    batches: list[list[str]] = []

    def fetch(urls: Sequence[str], accessed: Mapping[str, str]) -> dict[str, SourceResult]:
        batches.append(list(urls))
        return {url: capture(url, f"text of {url}") for url in urls}

    def fake_assess(claim: str, source: str) -> Assessment:
        return Assessment(0.9, Verdict.SUPPORTED, None)

    locate = pipeline.SourceLocator(tmp_path)
    findings = pipeline.verify(claims, fetch=fetch, assess=fake_assess, locate=locate, batch_size=5)
    assert [f.claim.id for f in findings] == [c.id for c in claims]
    # Five claims cite a.test and five b.test: each batch reads one source, once.
    assert sorted(batches) == [["https://a.test/"], ["https://b.test/"]]
    source = findings[0].checks[0].source
    assert isinstance(source, Capture) and source.text == "" and source.url == "https://a.test/"


def test_the_store_survives_a_damaged_file_and_serves_batches(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    store = KeyValueStore(path, ("rows",), "v1")
    assert store.get("rows", "a") is None
    for n in range(3000):  # past the pending limit: written in more than one transaction
        store.put("rows", f"k{n}", f"value {n}")
    store.close()
    assert (tmp_path / "cache.sqlite.damaged").exists()

    again = KeyValueStore(path, ("rows",), "v1")
    again.load("rows", ["k1", "k2999", "missing"])
    assert (again.get("rows", "k1"), again.get("rows", "k2999")) == ("value 1", "value 2999")
    assert again.get("rows", "missing") is None
    assert KeyValueStore(path, ("rows",), "v2").get("rows", "k1") is None  # another stamp
    again.trim("rows", 10)
    assert again.count("rows") == 10
    with sqlite3.connect(path) as connection:  # a standard SQLite file
        assert connection.execute("SELECT count(*) FROM rows").fetchone() == (10,)


def test_a_store_never_opened_creates_no_file(tmp_path: Path) -> None:
    store = KeyValueStore(tmp_path / "sub" / "cache.sqlite", ("rows",), "v1")
    assert store.get("rows", "a") is None
    store.close()
    assert not (tmp_path / "sub").exists()


def test_stored_fetches_are_indexed_in_groups_and_readable_before(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.store("https://news.test/a", [exchange("https://news.test/a")], text="Iwaya spoke.")
    # Readable by this archive at once, but not yet in the index other runs read.
    found = archive.lookup("https://news.test/a")
    assert found is not None and found.text == "Iwaya spoke."
    assert not (tmp_path / "index.jsonl").exists()
    archive.sync()
    assert [e.url for e in Archive(tmp_path).entries()] == ["https://news.test/a"]
    archive.close()
    assert Archive(tmp_path).verify().ok


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_outside_a_terminal_is_a_plain_line_every_interval() -> None:
    lines: list[str] = []
    clock = FakeClock()
    line = ProgressLine(
        "checking", 100, lambda text, newline: lines.append(text), terminal=False, clock=clock
    )
    for _ in range(39):
        clock.now += 0.125
        line.step()
    assert lines == []  # under five seconds: nothing yet
    for _ in range(61):
        clock.now += 0.125
        line.step()
    assert len(lines) == 3  # at five and ten seconds, and a closing line
    assert lines[0].startswith("checking 40/100") and "8.0/s" in lines[0]
    assert "about 8s left" in lines[0]
    assert lines[-1].startswith("checking 100/100")
    assert all("\r" not in text for text in lines)


def test_a_short_stage_outside_a_terminal_prints_nothing() -> None:
    lines: list[str] = []
    line = ProgressLine("fetching", 3, lambda text, newline: lines.append(text), terminal=False)
    for _ in range(3):
        line.step()
    assert lines == []


def test_progress_on_a_terminal_redraws_one_line_with_rate_and_time_left() -> None:
    drawn: list[tuple[str, bool]] = []
    clock = FakeClock()
    line = ProgressLine(
        "fetching",
        4,
        lambda text, newline: drawn.append((text, newline)),
        terminal=True,
        clock=clock,
    )
    clock.now = 1.0
    line.step()
    clock.now = 4.0
    for _ in range(3):
        line.step()
    assert drawn[0][0].startswith("\rfetching [") and "1/4" in drawn[0][0]
    assert "about 3s left" in drawn[0][0] and drawn[0][1] is False
    assert "4/4" in drawn[-1][0] and drawn[-1][1] is True


def test_a_cache_that_is_not_a_regular_file_is_no_cache(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "fifo.sqlite")
    (tmp_path / "elsewhere.sqlite").write_bytes(b"")
    (tmp_path / "link.sqlite").symlink_to(tmp_path / "elsewhere.sqlite")
    for name in ("fifo.sqlite", "link.sqlite"):
        store = KeyValueStore(tmp_path / name, ("rows",), "v1")
        store.put("rows", "k", "v")
        store.close()
        assert KeyValueStore(tmp_path / name, ("rows",), "v1").get("rows", "k") is None
    assert (tmp_path / "elsewhere.sqlite").read_bytes() == b""


def test_fetches_a_killed_run_had_not_indexed_are_indexed_by_the_next(tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        from verifier.archive import Archive, HttpExchange
        exchange = HttpExchange(
            url="https://news.test/a", method="GET", request_headers=(("Host", "news.test"),),
            status_code=200, reason="OK", http_version="HTTP/1.1",
            response_headers=(("Content-Type", "text/html"),), body=b"<p>Iwaya spoke.</p>",
            fetched_at="2026-11-21T10:00:00+00:00",
        )
        archive = Archive(Path(sys.argv[1]))
        archive.store("https://news.test/a", [exchange], text="Iwaya spoke.")
        os._exit(0)  # killed before its group was synced and indexed
        """
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=60)
    assert Archive(tmp_path).entries() == []

    archive = Archive(tmp_path)
    archive.repair()
    found = archive.lookup("https://news.test/a")
    assert found is not None and found.text == "Iwaya spoke."
    report = archive.verify()
    assert report.ok, report.problems
