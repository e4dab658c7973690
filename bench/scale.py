"""Scale benchmark (issue 13): one command, every figure side by side, measured in one run.

    python bench/scale.py [--quick] [--only single,page,cluster,dump,fetch]

1. single: generated corpora of 1k, 10k and 30k claims (N articles x 10 claims, each citing
   its own local HTML source, every tenth with another number), the real CLI in a
   subprocess: a cold `verifier run` (wall time, claims/s, peak RSS) and an unchanged
   `verifier check` (median of 3), which carries the last pass's findings when nothing
   changed (verifier/recheck.py). Targets: RSS at 30k within 1.5x of 1k; the re-check of
   10k claims <= 1 s. Every command runs with its bytecode cached, as an installed package
   has it (pip compiles it at install), whatever PYTHONDONTWRITEBYTECODE says here.
2. page: 50 claims citing one 200 KB page through the pass's read-and-score stage, against
   preparing the page once and scoring each claim (target <= 1.3x); and `verifier score`
   with two pages interleaved against the same records sorted by page.
3. cluster: 2,000 articles x 10 claims on a Dask LocalCluster of 1 worker and of 2 workers
   (and 2 workers on half the corpus): claims/s, speed-up, peak RSS per worker. Targets:
   >= 1.7x with 2 workers on a 2-core machine; per-worker RSS flat as the corpus doubles.
4. dump: a MediaWiki export built from ../shared/corpus/footnotes/wikitext repeated to
   5,000 pages (and to 500): `verifier extract --dump` wall time and peak RSS (target:
   within 10% of the 500-page dump), and the claims compared with extracting each page as
   a file on its own.
5. fetch: 20 loopback hosts (127.0.0.2-21), each answer 100 ms late, 20 URLs each: the
   archive phase's requests per second as a share of the bound the politeness settings
   allow (min(concurrency, hosts x per_host) / latency; target >= 0.9), then the time the
   pass's read takes (pages are archived unread, their text derived on first read); and
   one slow host among fast ones, with fewer fetch threads than hosts.

Timings on a shared machine are noisy: re-run on a quiet one. `--quick` shrinks every
corpus (for trying the script, not for the figures).
"""

from __future__ import annotations

import argparse
import bz2
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from incremental_check import generate  # noqa: E402

from verifier import cluster, pipeline, recheck  # noqa: E402
from verifier.archive import Archive  # noqa: E402
from verifier.fetch import Fetcher  # noqa: E402
from verifier.ledger import Ledger  # noqa: E402
from verifier.match import SourcePool  # noqa: E402
from verifier.match.matcher import analyse  # noqa: E402
from verifier.match.records import score_records  # noqa: E402
from verifier.match.source import Source  # noqa: E402
from verifier.model import Claim, FetchFailure  # noqa: E402
from verifier.settings import FetchSettings, Settings  # noqa: E402
from verifier.stages import StageConfig, Stages  # noqa: E402
from verifier.text import main_text  # noqa: E402

WIKITEXT = ROOT.parent / "shared" / "corpus" / "footnotes" / "wikitext" / "wikitext"


# -- measuring ---------------------------------------------------------------------------------


def peak_rss_mb(pid: int | str = "self") -> int:
    """VmHWM of a live process: the peak of its own memory since exec. (The rusage maxima
    are no use here: Linux counts the memory of the parent a child was forked from.)"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def verifier(root: Path, *args: str) -> tuple[float, int, int]:
    """Run the CLI in `root`: (wall seconds, exit code, peak RSS in MB of that process,
    read from /proc every 20 ms until it exits)."""
    environment = {**os.environ, "CI": "true"}
    environment.pop("GITHUB_ACTIONS", None)
    # An installed package has its bytecode (pip compiles it); an editable one run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every command.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier", *args],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak = 0

    def watch() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, peak_rss_mb(process.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    process.wait()
    watcher.join()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 2):
        sys.exit(f"verifier {' '.join(args)} exited {process.returncode}:\n{errors.decode()}")
    return elapsed, process.returncode, peak


def median_of(repeat: int, action: Callable[[], float]) -> float:
    return statistics.median(action() for _ in range(repeat))


def corpus(root: Path, articles: int, claims: int = 10) -> Path:
    generate(root, articles, claims)
    return root


# -- 1. one machine ----------------------------------------------------------------------------


def single_section(sizes: Sequence[int], repeat: int) -> None:
    print("1. one machine: cold `verifier run`, then an unchanged `verifier check`")
    print(
        f"{'claims':>8} {'cold run s':>11} {'claims/s':>9} {'peak MB':>8} {'re-check s':>11} "
        f"{'uncarried s':>12}"
    )
    peaks: dict[int, int] = {}
    rechecks: dict[int, tuple[float, float]] = {}
    for claims in sizes:
        root = Path(tempfile.mkdtemp(prefix="verifier-scale-"))
        try:
            corpus(root, claims // 10)
            seconds, _, peak = verifier(root, "run")
            recheck = median_of(repeat, lambda root=root: verifier(root, "check")[0])
            # The baseline: the same check without the last pass's memo, so it reads every
            # source and looks up every result (from the caches a pass keeps).
            uncarried = median_of(repeat, lambda root=root: uncarried_check(root))
            peaks[claims], rechecks[claims] = peak, (recheck, uncarried)
            print(
                f"{claims:>8,} {seconds:>11.1f} {claims / seconds:>9.0f} {peak:>8} "
                f"{recheck:>11.2f} {uncarried:>12.2f}"
            )
        finally:
            shutil.rmtree(root)
    low, high = min(peaks), max(peaks)
    print(f"   peak RSS {high:,} claims / {low:,} claims: {peaks[high] / peaks[low]:.2f}x (<= 1.5)")
    if 10_000 in rechecks:
        carried, uncarried = rechecks[10_000]
        print(
            f"   unchanged re-check of 10,000 claims: {carried:.2f} s (<= 1 s); "
            f"{uncarried / carried:.1f}x faster than reading and looking up every claim"
        )


def uncarried_check(root: Path) -> float:
    memos = list((root / ".verifier-cache").glob(f"{recheck.MEMO_PREFIX}*.json"))
    assert memos, "the pass before left no memo"
    for memo in memos:
        memo.unlink()
    return verifier(root, "check")[0]


# -- 2. one page, many claims ------------------------------------------------------------------


def big_page(target: int = 200_000) -> str:
    paragraphs = []
    n = 0
    while sum(len(p) for p in paragraphs) < target:
        paragraphs.append(
            f"<p>In {1900 + n % 120}, the council of district {n} recorded {1000 + 37 * n:,} "
            f"visitors at its museum, and the harbour of ward {n} handled {200 + n} ships.</p>"
        )
        n += 1
    return "<html><body><article>" + "".join(paragraphs) + "</article></body></html>"


def page_section(repeat: int) -> None:
    print("2. one 200 KB page cited by 50 claims")
    root = Path(tempfile.mkdtemp(prefix="verifier-page-"))
    try:
        html = big_page()
        (root / "page.html").write_text(html, encoding="utf-8")
        claims = [
            Claim(
                id=f"c{n}",
                text=f"In {1900 + n % 120}, the council of district {n} recorded "
                f"{1000 + 37 * n:,} visitors at its museum.",
                urls=("page.html",),
            )
            for n in range(0, 500, 10)
        ]
        config = StageConfig(root, Settings(), results_path=None, offline=True)
        with Stages(config) as stages:  # reads the page once, so both sides score one text
            text = stages.read([pipeline.SourceLocator(root)("page.html")], {}).popitem()[1]
            assert not isinstance(text, type(None))

        def through_the_pass() -> float:
            with Stages(config) as stages:  # opening the archive and cache is not per claim
                started = time.perf_counter()
                stages.check(claims)
                return time.perf_counter() - started

        def ideal() -> float:
            page_text = getattr(text, "text", "")
            started = time.perf_counter()
            source = Source.prepare(page_text)
            for claim in claims:
                analyse(claim.text, source)
            return time.perf_counter() - started

        ideal()  # the process's first scoring (imports, caches) is timed on neither side
        # Alternated, so a change in the machine's load weighs on both sides alike.
        pairs = [(through_the_pass(), ideal()) for _ in range(max(repeat, 5))]
        pass_seconds = statistics.median(seconds for seconds, _ in pairs)
        ideal_seconds = statistics.median(seconds for _, seconds in pairs)
        ratio = statistics.median(one / other for one, other in pairs)
        print(
            f"   the pass {pass_seconds:.2f} s; prepare once + score each {ideal_seconds:.2f} s: "
            f"{ratio:.2f}x (<= 1.3; median of {len(pairs)} alternated pairs)"
        )
        page_text = getattr(text, "text", "")
        other = page_text.replace("visitors", "guests")
        import json

        records = [
            json.dumps({"id": n, "claim": claims[n % 50].text, "source": (page_text, other)[n % 2]})
            for n in range(100)
        ]
        by_page = sorted(records, key=lambda line: "guests" in line)

        def score(lines: list[str]) -> float:
            started = time.perf_counter()
            for _ in score_records(lines):
                pass
            return time.perf_counter() - started

        interleaved, grouped = (
            median_of(repeat, lambda: score(records)),
            median_of(repeat, lambda: score(by_page)),
        )
        print(
            f"   `verifier score`, 2 pages interleaved {interleaved:.2f} s, grouped "
            f"{grouped:.2f} s: {interleaved / grouped:.2f}x"
        )
        pool = SourcePool()
        for claim in claims:
            pool.assess(claim.text, page_text)
        print(f"   pages prepared for 50 claims: {pool.prepared}")
    finally:
        shutil.rmtree(root)


# -- 3. one worker against two -----------------------------------------------------------------


def cluster_run(root: Path, workers: int) -> tuple[float, int, list[int]]:
    """(seconds, claims, peak RSS MB per worker) scoring every claim on `workers` workers."""
    shutil.rmtree(root / "archive", ignore_errors=True)  # no cached texts from another run
    claims = Ledger.load(root / "claims.yaml").claims
    config = StageConfig(root, Settings(), results_path=None, offline=True)
    with cluster.connect(cluster.ClusterSpec(workers=workers)) as client:
        client.run(lambda: None)  # workers up before the clock starts
        started = time.perf_counter()
        findings = cluster.verify(client, config, claims)
        seconds = time.perf_counter() - started
        peaks = client.run(peak_rss_mb)
    assert len(findings) == len(claims)
    return seconds, len(claims), sorted(peaks.values())


def cluster_section(articles: int) -> None:
    print(f"3. Dask LocalCluster, {articles:,} articles x 10 claims with local sources")
    half = Path(tempfile.mkdtemp(prefix="verifier-half-"))
    full = Path(tempfile.mkdtemp(prefix="verifier-full-"))
    try:
        corpus(half, articles // 2)
        corpus(full, articles)
        for root in (half, full):
            verifier(root, "extract")
        rows = [
            ("1 worker", *cluster_run(full, 1)),
            ("2 workers", *cluster_run(full, 2)),
            ("2 workers, half", *cluster_run(half, 2)),
        ]
        base = rows[0][2] / rows[0][1]
        print(f"   {'':<16} {'claims':>7} {'s':>7} {'claims/s':>9} {'speed-up':>9}  peak MB/worker")
        for name, seconds, claims, peaks in rows:
            rate = claims / seconds
            print(
                f"   {name:<16} {claims:>7,} {seconds:>7.1f} {rate:>9.0f} {rate / base:>8.2f}x  "
                f"{peaks}"
            )
        print(
            f"   per-worker peak RSS, full / half corpus: "
            f"{max(rows[1][3]) / max(rows[2][3]):.2f}x (flat: ~1.0)"
        )
    finally:
        shutil.rmtree(half)
        shutil.rmtree(full)


# -- 4. a dump -----------------------------------------------------------------------------------


def build_dump(path: Path, pages: int) -> list[tuple[str, str]]:
    """A MediaWiki export (schema 0.11, bz2) of the shared wikitext articles repeated."""
    articles = sorted(WIKITEXT.glob("*.txt"))
    written: list[tuple[str, str]] = []
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n')
        for n in range(pages):
            source = articles[n % len(articles)]
            title = f"{source.stem} ({n // len(articles)})"
            text = source.read_text(encoding="utf-8", errors="replace")
            if n < len(articles):
                written.append((title, text))
            out.write(
                f"<page><title>{escape(title)}</title><ns>0</ns><id>{n + 1}</id><revision>"
                f'<id>{n + 1}</id><text xml:space="preserve">{escape(text)}</text>'
                "</revision></page>\n"
            )
        out.write("</mediawiki>\n")
    return written


def dump_section(pages: int) -> None:
    if not WIKITEXT.is_dir():
        print(f"4. dump: skipped ({WIKITEXT} is not here)")
        return
    from verifier.dump import shards
    from verifier.extract import extract_article

    print(f"4. `verifier extract --dump`, the shared wikitext repeated to {pages:,} pages")
    root = Path(tempfile.mkdtemp(prefix="verifier-dump-"))
    try:
        figures = {}
        for count in (pages // 10, pages):
            folder = root / str(count)
            folder.mkdir()
            originals = build_dump(folder / "wiki.xml.bz2", count)
            seconds, _, peak = verifier(folder, "extract", "--dump", "wiki.xml.bz2")
            manifest = shards.read_manifest(folder / "dump")
            figures[count] = peak
            print(
                f"   {count:>6,} pages: {manifest['claims']:>8,} claims in {seconds:6.1f} s "
                f"({count / seconds:.0f} pages/s), peak {peak} MB"
            )
        ratio = figures[pages] / figures[pages // 10]
        print(f"   peak RSS {pages:,} / {pages // 10:,} pages: {ratio:.2f}x (within 1.10)")
        from_dump = {}
        for shard in manifest["claim_shards"]:
            for record in shards.read_records(root / str(pages) / "dump", shard):
                from_dump.setdefault(record["article"], []).append(
                    (record["line"], record["text"], tuple(record["urls"]))
                )
        same = 0
        for title, text in originals:
            single = root / "page.wiki"
            single.write_text(text, encoding="utf-8")
            claims = extract_article(single, title).claims
            one_by_one = [
                (c.line, c.text, tuple(x.url for x in c.citations if x.url)) for c in claims
            ]
            same += one_by_one == from_dump.get(title, [])
        print(f"   pages whose claims equal extracting the page as a file: {same}/{len(originals)}")
    finally:
        shutil.rmtree(root)


# -- 5. fetch throughput -----------------------------------------------------------------------


SERVER_SCRIPT = """
import sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
delay, hosts, body = float(sys.argv[1]), sys.argv[2].split(","), sys.stdin.buffer.read()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    def do_GET(self):
        time.sleep(delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True

ports = []
for host in hosts:
    server = Server((host, 0), Handler)
    ports.append(str(server.server_address[1]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(",".join(ports), flush=True)
sys.stdin.close()
threading.Event().wait()
"""


def fetch_section(hosts: int, per_host_urls: int, delay: float, page_bytes: int) -> None:
    """The servers run in their own process: in this one they would take the GIL from the
    fetcher being measured."""
    print(f"5. fetching: {hosts} loopback hosts, {delay * 1000:.0f} ms per answer")
    addresses = [f"127.0.0.{n + 2}" for n in range(hosts)]
    body = big_page(page_bytes).encode("utf-8")
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(delay), ",".join(addresses)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(body)
    server.stdin.close()
    ports = server.stdout.readline().decode().strip().split(",")
    settings = FetchSettings(
        allow_hosts=tuple(addresses), wayback=None, concurrency=20, per_host=1, retries=0
    )
    urls = [
        f"http://{address}:{port}/page{k}"
        for k in range(per_host_urls)
        for address, port in zip(addresses, ports, strict=True)
    ]
    bound = min(settings.concurrency, hosts * settings.per_host) / delay
    root = Path(tempfile.mkdtemp(prefix="verifier-fetch-"))
    try:
        # The extractor's imports are paid once per process, not per URL: outside the rate.
        started = time.perf_counter()
        main_text(body, "text/html; charset=utf-8", urls[0])
        print(f"   first page read in {time.perf_counter() - started:.2f} s (imports, once)")
        with Archive(root) as archive, Fetcher(settings, archive) as fetcher:
            used = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            failures = fetcher.archive_all(urls)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_SELF)
            # Then the read the pass does next: each page's text is derived on first read.
            started = time.perf_counter()
            read = fetcher.fetch_all(urls, offline=True, settle_unread=True)
            reading = time.perf_counter() - started
        rate = len(urls) / seconds
        cpu = (after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime) / len(urls)
        print(
            f"   {len(urls)} URLs of {len(body):,} bytes in {seconds:.2f} s: {rate:.0f}/s; "
            f"bound {bound:.0f}/s (concurrency {settings.concurrency}, per_host "
            f"{settings.per_host}): {rate / bound:.2f} of the bound (>= 0.9); "
            f"{len(failures)} failed"
        )
        # The fetch, the page's reading and its archiving share this process's GIL: past
        # 1 / (CPU per URL) the pass is bound by the CPU, not by the politeness settings.
        print(
            f"   CPU of this process: {cpu * 1000:.1f} ms per URL, so at most "
            f"{1 / cpu:.0f} URLs/s on one core"
        )
        unread = sum(1 for result in read.values() if isinstance(result, FetchFailure))
        print(
            f"   then the pass's read of the {len(read)} pages (texts derived on first read): "
            f"{reading:.2f} s, {unread} unavailable; {seconds + reading:.2f} s fetch and read"
        )
    finally:
        shutil.rmtree(root)
        server.kill()
        server.wait()
    mixed_hosts(body)


def serve(
    delay: float, addresses: list[str], body: bytes
) -> tuple[subprocess.Popen[bytes], list[str]]:
    """SERVER_SCRIPT on `addresses`, answering `delay` late; the process and its ports."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(delay), ",".join(addresses)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(body)
    server.stdin.close()
    return server, server.stdout.readline().decode().strip().split(",")


def mixed_hosts(body: bytes) -> None:
    """One slow host among fast ones, one slot each, fewer threads than hosts need: a
    thread that waits on the slow host's slot leaves the fast hosts short of threads."""
    slow, slow_ports = serve(0.5, ["127.0.0.2"], body)
    fast_hosts = ["127.0.0.3", "127.0.0.4", "127.0.0.5"]
    fast, fast_ports = serve(0.05, fast_hosts, body)
    urls = [f"http://127.0.0.2:{slow_ports[0]}/slow{k}" for k in range(8)]
    urls += [
        f"http://{host}:{port}/fast{k}"
        for k in range(40)
        for host, port in zip(fast_hosts, fast_ports, strict=True)
    ]
    settings = FetchSettings(
        allow_hosts=("127.0.0.2", *fast_hosts), wayback=None, concurrency=4, per_host=1, retries=0
    )
    bound = max(8 * 0.5, 120 * 0.05 / 3)  # the slow host's 8 answers one after another
    root = Path(tempfile.mkdtemp(prefix="verifier-fetch-"))
    try:
        with Archive(root) as archive, Fetcher(settings, archive) as fetcher:
            started = time.perf_counter()
            failures = fetcher.archive_all(urls)
            seconds = time.perf_counter() - started
        print(
            f"   one 500 ms host (8 URLs) among three 50 ms hosts (40 each), concurrency 4, "
            f"per_host 1: {seconds:.2f} s against {bound:.1f} s the settings allow: "
            f"{bound / seconds:.2f} of the bound; {len(failures)} failed"
        )
    finally:
        shutil.rmtree(root)
        for server in (slow, fast):
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, to try the script")
    parser.add_argument("--only", default="single,page,cluster,dump,fetch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sizes", default="1000,10000,30000", help="claims per one-machine corpus (section 1)"
    )
    parser.add_argument(
        "--page-bytes", type=int, default=5_000, help="size of each page the fetch bench serves"
    )
    options = parser.parse_args()
    sections = set(options.only.split(","))
    quick = options.quick
    started = time.perf_counter()
    if "single" in sections:
        sizes = [int(size) for size in options.sizes.split(",")]
        single_section((100, 500, 1_000) if quick else sizes, options.repeat)
    if "page" in sections:
        page_section(options.repeat)
    if "cluster" in sections:
        cluster_section(100 if quick else 2_000)
    if "dump" in sections:
        dump_section(500 if quick else 5_000)
    if "fetch" in sections:
        fetch_section(20, 5 if quick else 20, 0.1, options.page_bytes)
    print(f"(all figures measured in this run, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
