"""500 footnotes to one site: how hard the fetcher hits it, and how long the pass takes.

A loopback server that answers each request after a short delay records how many requests
it had in flight at once and the gaps between request starts. Prints, for a few politeness
settings, the wall time, requests per second, peak in-flight requests (must not exceed
per_host) and the smallest gap between starts (must not be under min_interval).

    python bench/fetch_politeness.py [--urls 500] [--delay 0.01]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.archive import Archive  # noqa: E402
from verifier.fetch import Fetcher  # noqa: E402
from verifier.model import Capture  # noqa: E402
from verifier.settings import FetchSettings  # noqa: E402

PAGE = (
    "<html><head><title>Note {n}</title></head><body><article><p>Footnote source {n}: the "
    "ministry confirmed the figure of {n} in its annual report on regional trade.</p>"
    "</article></body></html>"
)


class Site:
    def __init__(self, delay: float) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.starts: list[float] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stall between headers and body

            def do_GET(self) -> None:
                with site.lock:
                    site.in_flight += 1
                    site.peak = max(site.peak, site.in_flight)
                    site.starts.append(time.monotonic())
                time.sleep(delay)
                body = PAGE.format(n=self.path.strip("/")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with site.lock:
                    site.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.peak, self.starts = 0, []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.01, help="server think time, s")
    arguments = parser.parse_args()
    site = Site(arguments.delay)
    port = site.httpd.server_address[1]
    print(
        f"{'per_host':>8} {'interval':>8} {'wall s':>7} {'req/s':>7} {'peak':>5} {'max in 1 s':>10}"
    )
    ok = True
    for per_host, interval in ((2, 0.0), (2, 0.05), (8, 0.0)):
        site.reset()
        urls = [f"http://127.0.0.1:{port}/{per_host}-{interval}-{n}" for n in range(arguments.urls)]
        settings = FetchSettings(
            allow_hosts=("127.0.0.1",),
            concurrency=8,
            per_host=per_host,
            min_interval=interval,
            wayback=None,
        )
        with tempfile.TemporaryDirectory() as folder, Archive(Path(folder)) as archive:
            started = time.monotonic()
            with Fetcher(settings, archive) as fetcher:
                results = fetcher.fetch_all(urls)
            wall = time.monotonic() - started
        captured = sum(isinstance(result, Capture) for result in results.values())
        starts = sorted(site.starts)
        busiest = max((sum(1 for s in starts if t <= s < t + 1.0) for t in starts), default=0)
        print(
            f"{per_host:>8} {interval:>8.3f} {wall:>7.2f} {len(urls) / wall:>7.0f} "
            f"{site.peak:>5} {busiest:>10}   captured {captured}/{len(urls)}"
        )
        rate_cap = 1 / interval + 1 if interval else float("inf")
        ok = ok and site.peak <= per_host and busiest <= rate_cap and captured == len(urls)
        for url, result in results.items():
            if not isinstance(result, Capture):
                print(f"    {url}: {result.describe()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
