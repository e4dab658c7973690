"""Crash safety and concurrent runs, with real processes: SIGKILL mid-fetch, two writers."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from conftest import LoopbackServer
from fixtures.exchanges import exchange
from warcio.archiveiterator import ArchiveIterator

from verifier.archive import Archive
from verifier.archive.integrity import complete_prefix
from verifier.fetch import Fetcher
from verifier.model import Capture
from verifier.settings import FetchSettings

REPO = Path(__file__).resolve().parent.parent
SETTINGS = FetchSettings(
    wayback=None, allow_hosts=("127.0.0.1",), timeout=10.0, retries=0, per_host=8
)
PAGE = (
    "<html><body><article><p>Iwaya met the delegation on {n} March in Seoul.</p>"
    "</article></body></html>"
)

FETCH_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from verifier.archive import Archive
    from verifier.fetch import Fetcher
    from verifier.settings import FetchSettings
    root, urls = Path(sys.argv[1]), json.loads(sys.argv[2])
    settings = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=30.0, retries=0,
                             concurrency=4, per_host=4)
    with Archive(root) as archive, Fetcher(settings, archive) as fetcher:
        results = fetcher.fetch_all(urls)
    print(json.dumps({url: type(r).__name__ for url, r in results.items()}))
    """
)


def run_fetch(root: Path, urls: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", FETCH_SCRIPT, str(root), json.dumps(urls)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def warcio_check(paths: list[Path]) -> int:
    """Exit code of the standard `warcio check` (digests and structure) on `paths`."""
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return checked.returncode


def warc_records_readable(archive: Archive) -> int:
    count = 0
    for path in archive.warc_files():
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                record.content_stream().read()
                assert record.digest_checker.passed is not False
                count += 1
    return count


def test_sigkill_mid_fetch_leaves_a_readable_archive_and_the_next_run_resumes(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    release = threading.Event()

    def stuck(handler: BaseHTTPRequestHandler) -> None:
        release.wait(20)  # the child is killed while waiting here

    fast = [http_server.route(f"/fast{n}", PAGE.format(n=n)) for n in range(6)]
    slow = [http_server.route_handler(f"/slow{n}", stuck) for n in range(2)]
    root = tmp_path / "archive"
    child = run_fetch(root, fast + slow)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = len(Archive(root).entries()) if (root / "index.jsonl").exists() else 0
        if done == len(fast) and all(http_server.hits(f"/slow{n}") for n in range(2)):
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=10)  # also closes its pipes
    release.set()
    assert child.returncode == -signal.SIGKILL

    after_crash = Archive(root)
    assert len(after_crash.entries()) == len(fast)
    for url in fast:
        capture = after_crash.lookup(url)
        assert capture is not None and "Iwaya met the delegation" in capture.text
    assert after_crash.verify().ok
    # The second run repairs, fetches only what is missing, and leaves a clean archive.
    http_server.route("/slow0", PAGE.format(n="slow0"))
    http_server.route("/slow1", PAGE.format(n="slow1"))
    fast_hits = sum(http_server.hits(f"/fast{n}") for n in range(6))
    with Archive(root) as archive, Fetcher(SETTINGS, archive) as fetcher:
        results = fetcher.fetch_all(fast + slow)
    assert all(isinstance(result, Capture) for result in results.values())
    assert [getattr(results[url], "via", None) for url in fast] == ["archive"] * len(fast)
    assert sum(http_server.hits(f"/fast{n}") for n in range(6)) == fast_hits
    final = Archive(root)
    report = final.verify()
    assert report.ok, report.problems
    assert report.records == warc_records_readable(final)


def test_two_runs_at_once_on_one_archive(http_server: LoopbackServer, tmp_path: Path) -> None:
    urls = [http_server.route(f"/page{n}", PAGE.format(n=n)) for n in range(16)]
    root = tmp_path / "archive"
    first, second = run_fetch(root, urls[:12]), run_fetch(root, urls[4:])
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    archive = Archive(root)
    assert len(archive.warc_files()) == 2
    report = archive.verify()
    assert report.ok, report.problems
    assert warcio_check(archive.warc_files()) == 0
    for n, url in enumerate(urls):
        capture = archive.lookup(url)
        assert capture is not None and f"on {n} March" in capture.text


def test_a_torn_tail_is_cut_before_the_next_write(tmp_path: Path) -> None:
    with Archive(tmp_path) as first:
        first.store("https://news.test/a", [exchange(body=b"<p>kept</p>")], text="kept")
    (warc,) = first.warc_files()
    intact = warc.stat().st_size
    with warc.open("ab") as handle:
        handle.write(
            gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(5000))[:1500]
        )
    assert complete_prefix(warc) == intact
    assert warcio_check([warc]) != 0  # standard tools stop at the tear
    with Archive(tmp_path) as second:
        second.store("https://news.test/b", [exchange(body=b"<p>new</p>")], text="new")
    assert warc.stat().st_size == intact
    report = Archive(tmp_path).verify()
    assert report.ok, report.problems
    assert report.files == 2 and report.entries == 2
    assert warcio_check(Archive(tmp_path).warc_files()) == 0


def test_verify_finds_a_changed_record(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        archive.store(
            "https://news.test/a", [exchange(body=b"<p>original body</p>")], text="original"
        )
    (warc,) = archive.warc_files()
    (entry,) = archive.entries()
    data = warc.read_bytes()
    start, end = entry.response_offset, entry.response_offset + entry.response_length
    tampered = gzip.decompress(data[start:end]).replace(b"original body", b"modified body")
    warc.write_bytes(data[:start] + gzip.compress(tampered) + data[end:])
    report = Archive(tmp_path).verify()
    assert not report.ok
    assert any("digest" in problem.lower() for problem in report.problems)
    assert warcio_check([warc]) == 1


def test_verify_finds_a_missing_file(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        archive.store("https://news.test/a", [exchange(body=b"<p>x</p>")], text="x")
    archive.warc_files()[0].unlink()
    report = Archive(tmp_path).verify()
    assert not report.ok and report.entries == 1


KILLED_WRITER = textwrap.dedent(
    """
    import gzip, os, signal, sys
    from pathlib import Path
    from verifier.archive import Archive, HttpExchange
    def exchange(n):
        return HttpExchange(url=f"https://news.test/{n}", method="GET", request_headers=(),
                            status_code=200, reason="OK", http_version="HTTP/1.1",
                            response_headers=(("Content-Type", "text/html"),),
                            body=f"<p>page {n}</p>".encode(),
                            fetched_at="2026-11-21T10:00:00+00:00")
    archive = Archive(Path(sys.argv[1]))
    for n in range(2):
        archive.store(f"https://news.test/{n}", [exchange(n)], text=f"page {n}")
    archive.sync()  # indexed
    archive.store("https://news.test/2", [exchange(2)], text="page 2")  # written, not indexed
    (open_file,) = archive.unfinished_files()
    with open_file.open("ab") as handle:  # a record cut off mid-write
        torn = gzip.compress(b"WARC/1.1\\r\\nWARC-Type: response\\r\\n" + os.urandom(4000))
        handle.write(torn[:900])
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_a_killed_runs_unfinished_file_is_never_taken_as_whole_and_the_next_run_finishes_it(
    tmp_path: Path,
) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    reader = Archive(tmp_path)
    assert reader.warc_files() == []
    (unfinished,) = reader.unfinished_files()
    assert warcio_check([unfinished]) != 0  # the tear: this is why it keeps its open name
    assert reader.verify().ok  # what the index names reads back from the open file
    assert [reader.lookup(f"https://news.test/{n}") is not None for n in range(3)] == [
        True,
        True,
        False,
    ]
    with Archive(tmp_path) as next_run:
        next_run.store("https://news.test/3", [exchange(body=b"<p>page 3</p>")], text="page 3")
    final = Archive(tmp_path)
    assert final.unfinished_files() == [] and len(final.warc_files()) == 2
    assert warcio_check(final.warc_files()) == 0
    report = final.verify()
    assert report.ok, report.problems
    for n in range(4):
        capture = final.lookup(f"https://news.test/{n}")
        assert capture is not None and capture.text == f"page {n}"


def test_an_export_after_a_killed_run_packages_the_file_it_finishes(tmp_path: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(tmp_path / "archive")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    archive = Archive(tmp_path / "archive")
    (unfinished,) = archive.unfinished_files()
    summary = archive.export_wacz(tmp_path / "sources.wacz")
    assert archive.unfinished_files() == []
    (warc,) = archive.warc_files()
    assert warc.name == unfinished.name.removesuffix(".open")
    with zipfile.ZipFile(tmp_path / "sources.wacz") as package:
        assert f"archive/{warc.name}" in package.namelist()
    assert summary.warc_files == 1 and summary.index_lines == 3
