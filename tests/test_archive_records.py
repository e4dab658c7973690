"""WARC request records state what the client sent, not what the server answered with."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

from conftest import LoopbackServer
from warcio.archiveiterator import ArchiveIterator

from verifier.archive import Archive
from verifier.fetch import Fetcher
from verifier.model import Capture
from verifier.settings import FetchSettings

BODY = b"<html><body><p>An old server answers in HTTP/1.0 and closes.</p></body></html>"


def answer_in_http_1_0(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        + BODY
    )
    handler.close_connection = True


def test_the_request_record_says_http_1_1_when_the_server_answered_in_1_0(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    url = http_server.route_handler("/old-server", answer_in_http_1_0)
    settings = FetchSettings(allow_hosts=("127.0.0.1",), wayback=None)
    with Archive(tmp_path / "archive") as store, Fetcher(settings, store) as fetcher:
        assert isinstance(fetcher.fetch(url), Capture)
    (warc,) = store.warc_files()  # complete once the archive is closed
    first_lines = {}
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type in ("request", "response"):
                head = record.http_headers  # warcio splits the first word off as `protocol`
                first_lines[record.rec_type] = f"{head.protocol} {head.statusline}"
    assert first_lines == {
        "response": "HTTP/1.0 200 OK",
        "request": "GET /old-server HTTP/1.1",
    }
