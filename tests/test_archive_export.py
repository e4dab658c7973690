"""`verifier archive export` makes a WACZ that pywb, the web archive replay server, imports
and replays: every page fetched from a loopback server comes back byte for byte. The pages
cover what broke before: an IP host, a path with a trailing slash, a query string (in
another order than the index keys), and a redirect."""

from __future__ import annotations

import gzip
import http.client
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import LoopbackServer

from verifier import cli
from verifier.archive import Archive
from verifier.errors import InputError
from verifier.fetch import Fetcher
from verifier.model import Capture
from verifier.settings import FetchSettings

BIN = Path(sys.executable).parent
PAGES = {
    "/guide/": b"<html><head><title>Guide</title></head><body><p>The trailing-slash page "
    b"says the harbour opened in 1931.</p></body></html>",
    "/search": b"<html><body><p>The query page lists 4,000 ships a year.</p></body></html>",
    "/final": b"<html><body><p>The page a redirect leads to, about the lighthouse.</p>"
    b"</body></html>",
}
CITED = ["/guide/", "/search?b=2&a=1", "/moved"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def exported(http_server: LoopbackServer, tmp_path: Path) -> tuple[Path, LoopbackServer]:
    """A WACZ exported from an archive of the pages fetched from a loopback server."""
    for path, body in PAGES.items():
        http_server.route(path, body)
    http_server.route("/moved", b"", status=301, headers={"Location": "/final"})
    settings = FetchSettings(allow_hosts=("127.0.0.1",), wayback=None, min_interval=0)
    with Archive(tmp_path / "archive") as store:
        with Fetcher(settings, store) as fetcher:
            results = fetcher.fetch_all([http_server.url(path) for path in CITED])
        assert all(isinstance(result, Capture) for result in results.values()), results
        store.export_wacz(tmp_path / "sources.wacz")
    return tmp_path / "sources.wacz", http_server


@pytest.fixture
def pywb(exported: tuple[Path, LoopbackServer], tmp_path: Path) -> Iterator[int]:
    """pywb with the WACZ imported into collection "sources", serving on a loopback port."""
    if not (BIN / "wayback").exists():
        pytest.skip("pywb is not installed: pip install '.[test]'")
    wacz, _ = exported
    manager = str(BIN / "wb-manager")
    subprocess.run([manager, "init", "sources"], cwd=tmp_path, check=True, capture_output=True)
    added = subprocess.run(
        [manager, "add", "--unpack-wacz", "sources", str(wacz)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "does not contain" not in added.stderr, added.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "wayback"), "--bind", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "pywb exited at start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def replay(port: int, url: str) -> tuple[int, bytes]:
    """pywb's identity mode (id_): the archived response as it was, never rewritten."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", f"/sources/id_/{quote(url, safe=':/?&=')}")
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.unguarded_network  # talks to the pywb process the test started on 127.0.0.1
def test_pywb_replays_every_exported_page_byte_for_byte(
    pywb: int, exported: tuple[Path, LoopbackServer]
) -> None:
    _, origin = exported
    for cited, path in zip(CITED, ["/guide/", "/search", "/final"], strict=True):
        if cited == "/moved":
            assert replay(pywb, origin.url(cited))[0] == 301
        assert replay(pywb, origin.url(path if cited == "/moved" else cited)) == (200, PAGES[path])


def test_the_index_uses_the_surt_keys_replay_tools_compute(
    exported: tuple[Path, LoopbackServer],
) -> None:
    import surt

    wacz, origin = exported
    with zipfile.ZipFile(wacz) as package:
        names = set(package.namelist())
        lines = gzip.decompress(package.read("indexes/index.cdx.gz")).decode().splitlines()
        block_index = package.read("indexes/index.idx").decode()
    assert {"indexes/index.cdx.gz", "indexes/index.idx"} <= names
    assert block_index.startswith("!meta 0 ")
    keys = {line.split(" ", 1)[0] for line in lines}
    urls = [origin.url(path) for path in (*CITED, "/final")]
    assert keys == {surt.surt(url) for url in urls}
    assert f"1,0,0,127:{origin.port})/guide" in keys  # IP reversed, trailing slash dropped


def test_export_refuses_the_ledger_an_existing_file_and_other_suffixes(
    exported: tuple[Path, LoopbackServer], tmp_path: Path
) -> None:
    wacz, _ = exported
    ledger = tmp_path / "claims.yaml"
    ledger.write_text("claims: []\n", encoding="utf-8")
    before = wacz.read_bytes()
    with Archive(tmp_path / "archive") as store:
        for destination, protected in [
            (ledger, [ledger]),
            (tmp_path / "copy.zip", []),
            (wacz, []),
            (tmp_path / "no-such-folder" / "x.wacz", []),
        ]:
            with pytest.raises(InputError):
                store.export_wacz(destination, protected=protected)
        link = tmp_path / "link.wacz"
        link.symlink_to(ledger)
        with pytest.raises(InputError):
            store.export_wacz(link, force=True, protected=[ledger])
        summary = store.export_wacz(wacz, force=True)
    assert ledger.read_text(encoding="utf-8") == "claims: []\n"
    assert not (tmp_path / "copy.zip").exists()
    assert not (tmp_path / "no-such-folder").exists()
    assert summary.size == wacz.stat().st_size and wacz.read_bytes() != b""
    assert len(before) > 0


def test_the_export_command_says_what_it_wrote_and_refuses_the_ledger(
    exported: tuple[Path, LoopbackServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = tmp_path / "claims.yaml"
    ledger.write_text("claims: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("VERIFIER_LEDGER", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)

    def export(*args: str) -> int:
        with pytest.raises(SystemExit) as exited:
            cli.main(["archive", "export", *args])
        return int(exited.value.code or 0)

    assert export("claims.yaml") == 3
    assert export("--force", "claims.yaml") == 3
    assert ledger.read_text(encoding="utf-8") == "claims: []\n"
    capsys.readouterr()
    assert export("review.wacz") == 0
    said = capsys.readouterr().err
    assert said.startswith("wrote review.wacz (") and "3 readable sources" in said
    assert "WaczSummary" not in said
    assert export("review.wacz") == 3
    assert export("--force", "review.wacz") == 0
