"""An exported WACZ opened in ReplayWeb.page, in headless Chromium, page by page.

Fetches four pages from a loopback server into an archive (an IP host, a path with a
trailing slash, a query string, a redirect), exports the WACZ, serves it beside
ReplayWeb.page (the npm package's built app) on localhost, and asks Chromium, over the
DevTools protocol, to replay each cited URL. Prints, per page, whether the replay frame
shows the page's text, then the versions used and a verdict; exits 1 when a page fails.

    pip install '.[bench]' && python bench/replaywebpage.py [--wait 30]

ReplayWeb.page is fetched once with `npm pack replaywebpage` into bench/.tools; Chromium
comes from the system's packages (`apt-get install chromium`).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import websocket  # websocket-client, from the bench extra

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.archive import Archive  # noqa: E402
from verifier.fetch import Fetcher  # noqa: E402
from verifier.settings import FetchSettings  # noqa: E402

TOOLS = ROOT / "bench" / ".tools"
PAGES = {
    "/guide/": "The trailing-slash page says the harbour opened in 1931.",
    "/search": "The query page lists 4,000 ships a year.",
    "/final": "The page a redirect leads to, about the lighthouse.",
}
CITED = {"/guide/": "/guide/", "/search?b=2&a=1": "/search", "/moved": "/final"}
"""Cited path -> the page whose text its replay must show."""


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/final")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"<html><body><p>{PAGES[path]}</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Ranged(SimpleHTTPRequestHandler):
    """Static files with byte ranges, as ReplayWeb.page reads a WACZ."""

    def send_head(self) -> Any:
        wanted = self.headers.get("Range")
        path = self.translate_path(self.path)
        match = re.match(r"bytes=(\d+)-(\d*)", wanted or "")
        if match is None or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        start = int(match.group(1))
        end = min(int(match.group(2) or size - 1), size - 1)
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def replaywebpage() -> Path:
    """The ReplayWeb.page app (index.html, ui.js, sw.js), packed from npm once."""
    app = TOOLS / "replaywebpage" / "package"
    if not (app / "sw.js").exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        packed = subprocess.run(
            ["npm", "pack", "--silent", "replaywebpage", "--pack-destination", str(TOOLS)],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout.split()[-1]
        with tarfile.open(TOOLS / packed) as archive:
            archive.extractall(TOOLS / "replaywebpage", filter="data")
    return app


def export(folder: Path) -> tuple[Path, dict[str, str]]:
    """The WACZ of the four pages; returns it and each cited URL's expected text."""
    with serving(Origin) as port:
        urls = {f"http://127.0.0.1:{port}{cited}": PAGES[page] for cited, page in CITED.items()}
        settings = FetchSettings(allow_hosts=("127.0.0.1",), wayback=None)
        with Archive(folder / "archive") as store, Fetcher(settings, store) as fetcher:
            fetcher.fetch_all(list(urls))
            store.export_wacz(folder / "sources.wacz")
    return folder / "sources.wacz", urls


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            raise SystemExit("chromium not found (apt-get install chromium)")
        self.version = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = self._wait_for_targets()
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.calls = 0
        self.call("Page.enable")

    def _wait_for_targets(self) -> list[dict[str, Any]]:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json") as answer:
                    targets: list[dict[str, Any]] = json.load(answer)
                    return targets
            except OSError:
                time.sleep(0.2)
        raise SystemExit("chromium did not start")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                result: dict[str, Any] = message.get("result", {})
                return result

    def frame_texts(self) -> list[str]:
        """The text of every frame on the page (the replay is one of them)."""
        texts: list[str] = []
        pending = [self.call("Page.getFrameTree")["frameTree"]]
        while pending:
            node = pending.pop()
            pending.extend(node.get("childFrames", []))
            world = self.call("Page.createIsolatedWorld", frameId=node["frame"]["id"])
            value = self.call(
                "Runtime.evaluate",
                expression="document.body ? document.body.innerText : ''",
                contextId=world["executionContextId"],
            )
            texts.append(str(value.get("result", {}).get("value", "")))
        return texts

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot")["data"]))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait per page")
    options = parser.parse_args()
    app = replaywebpage()
    version = json.loads((app / "package.json").read_text(encoding="utf-8"))["version"]
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        wacz, expected = export(folder)
        shutil.copy(wacz, app / "sources.wacz")
        browser = Browser(folder / "profile")
        try:
            with serving(lambda *a: Ranged(*a, directory=str(app))) as port:  # type: ignore[arg-type]
                source = f"http://localhost:{port}/sources.wacz"
                for url, text in expected.items():
                    target = f"http://localhost:{port}/?source={quote(source, safe='')}"
                    browser.call("Page.navigate", url=f"{target}#view=replay&url={quote(url)}")
                    deadline = time.monotonic() + options.wait
                    shown = False
                    while not shown and time.monotonic() < deadline:
                        time.sleep(1)
                        shown = any(text in frame for frame in browser.frame_texts())
                    failed += not shown
                    print(f"{url}: {'replayed' if shown else 'NOT replayed'}")
                    if not shown:
                        browser.screenshot(Path(tempfile.gettempdir()) / "replaywebpage.png")
        finally:
            browser.close()
            (app / "sources.wacz").unlink(missing_ok=True)
    print(f"tools: ReplayWeb.page {version}; {browser.version}")
    print("verdict: " + ("every page replayed" if not failed else f"{failed} page(s) failed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
