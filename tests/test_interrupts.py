"""Ctrl-C, SIGTERM, SIGKILL and two runs at once, with real `verifier run` processes.

Whatever stops a run, claims.yaml, archive/ and reports/ stay whole, nothing completed is
lost (the next run fetches only what was not archived), and the next run finishes the job.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import LoopbackServer
from fixtures.entry_point import clean_environment, verifier
from ruamel.yaml import YAML

from verifier.archive import Archive

CLAIMS = 8
PAGE = (
    "<html><body><article><p>The harbour office recorded {n} ships in port on Monday, "
    "more than in any week this year.</p></article></body></html>"
)
COMMENT = "# Reviewed by the desk: keep this comment."


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test: lets every held response go."""
    event = threading.Event()
    yield event
    event.set()


def make_project(root: Path, server: LoopbackServer, release: threading.Event) -> list[str]:
    """An article whose every sentence cites its own page; two pages are held back until
    `release` is set, so a run can be caught mid-fetch. Returns the page paths."""

    def held(handler: BaseHTTPRequestHandler) -> None:
        release.wait(60)
        body = PAGE.format(n=handler.path.strip("/")).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    paths = [f"/page{n}" for n in range(CLAIMS)]
    urls = [
        server.route_handler(path, held)
        if n >= CLAIMS - 2
        else server.route(path, PAGE.format(n=f"page{n}"), delay=0.05)
        for n, path in enumerate(paths)
    ]
    write_harbour_project(root, urls, "  concurrency: 4\n  per_host: 4\n")
    return paths


def write_harbour_project(root: Path, urls: list[str], more_fetch_settings: str = "") -> None:
    """An article whose sentence n ("... recorded page<n> ships ...") cites urls[n], and a
    claims.yaml (with a comment) that may fetch from 127.0.0.1."""
    sentences = [
        f"The harbour office recorded page{n} ships in port on Monday.[^{n}]"
        for n in range(len(urls))
    ]
    notes = [f"[^{n}]: <{url}>" for n, url in enumerate(urls)]
    (root / "article.md").write_text(" ".join(sentences) + "\n\n" + "\n".join(notes) + "\n")
    (root / "claims.yaml").write_text(
        f"{COMMENT}\narticles: [article.md]\n"
        "fetch:\n  allow_hosts: [127.0.0.1]\n  wayback: null\n  retries: 0\n" + more_fetch_settings
    )


def start_run(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "verifier", "run"],
        cwd=root,
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def assert_whole(root: Path, *, killed: bool = False) -> None:
    """Every file the pass writes is whole: the ledger parses with its comment, the index
    and results parse, and no temporary file is left (but by a SIGKILL, which no process
    can clean up after: such a file is never read)."""
    ledger = (root / "claims.yaml").read_text()
    assert ledger.startswith(COMMENT)
    YAML(typ="rt").load(ledger)
    if not killed:
        leftovers = list(root.rglob("*.tmp"))
        assert not leftovers, leftovers
    index = root / "archive" / "index.jsonl"
    if index.exists():
        for line in index.read_text().splitlines():
            json.loads(line)
    results = root / "reports" / "results.json"
    if results.exists():
        json.loads(results.read_text())


def warcio_check(root: Path) -> subprocess.CompletedProcess[str]:
    files = sorted(str(p) for p in (root / "archive" / "warc").glob("*.warc.gz"))
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *files],
        capture_output=True,
        text=True,
        timeout=60,
    )


def finish_and_check(root: Path, server: LoopbackServer, paths: list[str]) -> None:
    """The next run completes, and no page was fetched twice over both runs."""
    completed = verifier("run", cwd=root)
    assert completed.returncode == 0, completed.stderr
    document = json.loads((root / "reports" / "results.json").read_text())
    assert len(document["claims"]) == CLAIMS
    assert {claim["verdict"] for claim in document["claims"]} <= {"supported", "partial"}
    for path in paths:
        assert server.hits(path) <= 2, path  # once, or once more if cut off mid-answer
    assert sum(server.hits(path) for path in paths) <= CLAIMS + 4  # at most 4 in flight
    assert verifier("archive", "verify", cwd=root).returncode == 0
    assert warcio_check(root).returncode == 0
    assert_whole(root)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_mid_fetch_exits_at_once_with_one_line_and_every_file_whole(
    http_server: LoopbackServer, tmp_path: Path, release: threading.Event, signum: int
) -> None:
    paths = make_project(tmp_path, http_server, release)
    child = start_run(tmp_path)
    # Mid-fetch: the quick pages are archived, the held ones are being answered.
    wait_for(lambda: all(http_server.hits(p) for p in paths))
    wait_for(lambda: len(Archive(tmp_path / "archive").entries()) >= CLAIMS - 2)
    started = time.monotonic()
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    elapsed = time.monotonic() - started

    assert child.returncode == (130 if signum == signal.SIGINT else 143)
    assert elapsed < 10  # not the 30 s fetch deadline of the held pages
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted:")
    assert stderr.count("interrupted") == 1
    assert_whole(tmp_path)
    assert warcio_check(tmp_path).returncode == 0  # no torn record: writes finish first

    release.set()
    finish_and_check(tmp_path, http_server, paths)


def test_stopped_at_any_point_the_run_resumes_and_loses_nothing(
    http_server: LoopbackServer, tmp_path: Path, release: threading.Event
) -> None:
    """Ctrl-C and SIGKILL in turn, spread over a whole run (start-up, extraction,
    fetching, scoring, reports)."""
    release.set()  # no held pages: the run goes through every stage
    reference_root = tmp_path / "reference"
    reference_root.mkdir()
    make_project(reference_root, http_server, release)
    started = time.monotonic()
    assert verifier("run", cwd=reference_root).returncode == 0
    duration = time.monotonic() - started

    for step, signum in enumerate([signal.SIGINT, signal.SIGKILL] * 2, start=1):
        root = tmp_path / f"stop{step}"
        root.mkdir()
        paths = make_project(root, http_server, release)
        before = {path: http_server.hits(path) for path in paths}
        child = start_run(root)
        time.sleep(duration * step / 5)
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=30)
        assert child.returncode in (0, 130, -signal.SIGKILL), stderr
        assert "Traceback" not in stderr
        killed = signum == signal.SIGKILL
        assert_whole(root, killed=killed)
        completed = verifier("run", cwd=root)
        assert completed.returncode == 0, completed.stderr
        for path in paths:
            assert http_server.hits(path) - before[path] <= 2, path
        assert verifier("archive", "verify", cwd=root).returncode == 0
        assert warcio_check(root).returncode == 0
        assert_whole(root, killed=killed)
        document = json.loads((root / "reports" / "results.json").read_text())
        assert len(document["claims"]) == CLAIMS


def test_two_runs_at_once_in_one_folder_take_turns(
    http_server: LoopbackServer, tmp_path: Path, release: threading.Event
) -> None:
    paths = make_project(tmp_path, http_server, release)
    first = start_run(tmp_path)
    wait_for(lambda: all(http_server.hits(p) for p in paths))
    second = start_run(tmp_path)
    # Its stderr read as it comes: the first is released only once the second says it waits
    # (a fixed pause was too short for the second to start on a loaded machine).
    said: list[str] = []
    assert second.stderr is not None
    reader = threading.Thread(target=lambda: said.extend(second.stderr), daemon=True)
    reader.start()
    wait_for(lambda: any("waiting for another verifier command" in line for line in said))
    if second.poll() is not None:
        pytest.fail(f"the second run did not wait: {''.join(said)}")
    assert sum(http_server.hits(p) for p in paths) == CLAIMS, http_server.requests
    release.set()
    _, first_err = first.communicate(timeout=60)
    with second:  # closes its pipes once it has ended
        second.wait(timeout=60)
        reader.join(timeout=60)
    second_err = "".join(said)

    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert sum(http_server.hits(p) for p in paths) == CLAIMS  # the second found them archived
    assert_whole(tmp_path)
    assert len(json.loads((tmp_path / "reports" / "results.json").read_text())["claims"]) == CLAIMS
