"""A fetch pass over 30 sources where every kind of hostile server appears.

Starts loopback servers: 127.0.0.1 plays the web (allowed through the guard) and
127.0.0.2 plays an internal service on the same port (never allowed). Prints, per source,
the outcome and the seconds it took, then the pass's wall time, the slowest URL against
the per-URL deadline, peak memory (ru_maxrss) and how many connections the internal
service received (must be 0).

    python bench/fetch_hostile.py [--timeout 2.0] [--max-bytes 2000000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.archive import Archive  # noqa: E402
from verifier.fetch import Fetcher  # noqa: E402
from verifier.model import Capture, FetchFailure  # noqa: E402
from verifier.settings import FetchSettings  # noqa: E402

Handler = Callable[[BaseHTTPRequestHandler], None]
ARTICLE = (
    "<html><head><title>{title}</title></head><body><nav>Home | World</nav><article>"
    + "".join(
        f"<p>Paragraph {n}: Foreign Minister Takeshi Iwaya met officials in Seoul to discuss "
        f"trade, security and the 2025 summit, according to the ministry's statement {n}.</p>"
        for n in range(12)
    )
    + "</article></body></html>"
)
STOP = threading.Event()


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Handler:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in all_headers.items():
            handler.send_header(name, value)
        if "Content-Length" not in all_headers and "Transfer-Encoding" not in all_headers:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return handle


def never_answers(handler: BaseHTTPRequestHandler) -> None:
    STOP.wait(60)


def trickle(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not STOP.is_set():
        handler.wfile.write(b"<")
        handler.wfile.flush()
        time.sleep(0.5)


def trickle_headers(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    while not STOP.is_set():
        handler.wfile.write(b"X-Slow: 1\r\n")
        handler.wfile.flush()
        time.sleep(0.3)


def endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>" + b"flood " * 10000 + b"</p>"
    while not STOP.is_set():
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def hang_up(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True


def redirect_endless_body(target: str) -> Handler:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"z" * 65536
        while not STOP.is_set():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    return handle


def no_wayback_copy(handler: BaseHTTPRequestHandler) -> None:
    original = parse_qs(urlsplit(handler.path).query).get("url", [""])[0]
    answer(
        200,
        json.dumps({"url": original, "archived_snapshots": {}}).encode(),
        {"Content-Type": "application/json"},
    )(handler)


class Server:
    def __init__(self, host: str, port: int, routes: dict[str, Handler]) -> None:
        self.connections = 0
        outer = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stall between headers and body

            def do_GET(self) -> None:
                route = routes.get(urlsplit(self.path).path)
                (route or answer(404, b"<html><body>missing</body></html>"))(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Threaded(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def get_request(self) -> tuple[socket.socket, object]:
                outer.connections += 1
                return super().get_request()

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients hanging up on hostile handlers is the point

        self.httpd = Threaded((host, port), RequestHandler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def compressed_zeros(size: int, *, gzip_wrapper: bool) -> bytes:
    """A compression bomb built in pieces, so the bench itself never holds `size` bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31 if gzip_wrapper else 15)
    block = b"\0" * (1 << 20)
    pieces = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(pieces) + compressor.flush()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build(public_routes: dict[str, Handler], port: int, internal_port: int) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    internal = f"http://127.0.0.2:{internal_port}/secret"
    bomb = compressed_zeros(200_000_000, gzip_wrapper=True)
    cases: dict[str, Handler] = {
        "/good-html": answer(200, ARTICLE.format(title="Good").encode()),
        "/good-text": answer(
            200, b"Iwaya is the foreign minister.", {"Content-Type": "text/plain"}
        ),
        "/good-gzip": answer(
            200, gzip.compress(ARTICLE.format(title="Gz").encode()), {"Content-Encoding": "gzip"}
        ),
        "/good-latin1-lie": answer(
            200,
            ARTICLE.format(title="Zoë Müller").encode("utf-8"),
            {"Content-Type": "text/html; charset=iso-8859-1"},
        ),
        "/redirected": answer(301, b"", {"Location": "/good-html"}),
        "/never-answers": never_answers,
        "/trickle-body": trickle,
        "/trickle-headers": trickle_headers,
        "/huge-declared": answer(200, b"", {"Content-Length": str(10**10)}),
        "/endless-chunked": endless,
        "/gzip-bomb": answer(200, bomb, {"Content-Encoding": "gzip"}),
        "/stacked-bomb": answer(200, gzip.compress(bomb), {"Content-Encoding": "gzip, gzip"}),
        "/deflate-bomb": answer(
            200, compressed_zeros(200_000_000, gzip_wrapper=False), {"Content-Encoding": "deflate"}
        ),
        "/brotli-unasked": answer(200, b"\x1b\xff\xff\x0f" * 1000, {"Content-Encoding": "br"}),
        "/zstd-unasked": answer(200, b"(\xb5/\xfd\x00", {"Content-Encoding": "zstd"}),
        "/redirect-loop": answer(302, b"", {"Location": "/redirect-loop2"}),
        "/redirect-loop2": answer(302, b"", {"Location": "/redirect-loop"}),
        "/to-internal": answer(302, b"", {"Location": internal}),
        "/to-internal-decimal": answer(
            302, b"", {"Location": f"http://2130706434:{internal_port}/secret"}
        ),
        "/to-internal-mapped": answer(
            302, b"", {"Location": f"http://[::ffff:127.0.0.2]:{internal_port}/secret"}
        ),
        "/to-metadata": answer(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}),
        "/to-file": answer(302, b"", {"Location": "file:///etc/passwd"}),
        "/redirect-endless-body": redirect_endless_body(f"{base}/good-html"),
        "/dead": answer(404, b"<html><body>gone</body></html>"),
        "/rate-limited": answer(429, b"slow down", {"Retry-After": "3600"}),
        "/always-503": answer(503, b"busy", {"Retry-After": "1"}),
        "/hang-up": hang_up,
        "/binary-as-html": answer(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64),
        "/soft-404": answer(
            200, b"<html><head><title>Page not found</title></head><body>Sorry</body></html>"
        ),
        "/paywall": answer(
            200,
            b"<html><head><title>Iwaya</title></head><body><p>Iwaya arrived in Seoul.</p>"
            b"<p>Subscribe to continue reading. Already a subscriber? Log in.</p></body></html>",
        ),
    }
    public_routes.update(cases)
    public_routes["/wayback"] = no_wayback_copy
    urls = [f"{base}{path}" for path in cases if path != "/redirect-loop2"]
    urls.append(internal)  # cited directly
    urls.append(f"http://127.0.0.1:{closed_port()}/refused")
    return urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--max-bytes", type=int, default=2_000_000)
    arguments = parser.parse_args()

    routes: dict[str, Handler] = {}
    public = Server("127.0.0.1", 0, routes)
    internal = Server("127.0.0.2", 0, {"/secret": answer(200, b"<p>internal secrets</p>")})
    urls = build(routes, public.port, internal.port)
    settings = FetchSettings(
        allow_hosts=("127.0.0.1",),
        timeout=arguments.timeout,
        max_bytes=arguments.max_bytes,
        concurrency=8,
        per_host=8,
        retries=2,
        wayback=f"http://127.0.0.1:{public.port}/wayback",
    )
    timings: dict[str, float] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder, Archive(Path(folder)) as archive:
        fetcher = Fetcher(settings, archive)
        original = fetcher.fetch_live

        def timed(url: str, accessed: str | None = None) -> Capture | FetchFailure:
            begin = time.monotonic()
            try:
                return original(url, accessed)
            finally:
                timings[url] = time.monotonic() - begin

        fetcher.fetch_live = timed  # type: ignore[method-assign]
        results = fetcher.fetch_all(urls)
        fetcher.close()
        wall = time.monotonic() - started
        verified = archive.verify()
        warcio_check = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", *map(str, archive.warc_files())],
            capture_output=True,
            text=True,
        )
    STOP.set()
    print(f"{'source':<28} {'seconds':>7}  outcome")
    for url, result in results.items():
        path = urlsplit(url).path if "127.0.0.1" in url else url
        outcome = (
            f"captured ({len(result.text)} chars)"
            if isinstance(result, Capture)
            else result.describe()[:90]
        )
        print(f"{path:<28} {timings.get(url, 0.0):>7.2f}  {outcome}")
    slowest = max(timings.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"sources: {len(urls)}   wall time: {wall:.2f} s")
    print(f"slowest URL: {slowest:.2f} s   per-URL deadline: {settings.timeout:.2f} s")
    print(f"peak memory (ru_maxrss): {peak_mb:.0f} MB   limit 300 MB")
    print(f"internal service connections: {internal.connections}")
    print(f"archive verify: {'ok' if verified.ok else verified.problems}")
    print(f"warcio check exit code: {warcio_check.returncode}")
    within = slowest <= settings.timeout + 0.5 and peak_mb < 300 and internal.connections == 0
    return 0 if within and verified.ok and warcio_check.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
