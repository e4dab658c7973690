"""The pass on a real Dask LocalCluster of 2 worker processes, against loopback hosts.

Dask talks to its own scheduler and workers over loopback sockets in this process, which
the fetcher's guard never sees: these tests are marked `unguarded_network`. The workers'
fetches go through the guard as always (`fetch.allow_hosts` names the loopback hosts).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from conftest import LoopbackServer, ServerFactory

from verifier import cluster, pipeline
from verifier.archive import Archive
from verifier.model import Claim, Finding
from verifier.settings import FetchSettings, Settings
from verifier.stages import StageConfig, Stages

distributed = pytest.importorskip(
    "distributed", reason="the cluster extra (dask, distributed) is not installed"
)

pytestmark = pytest.mark.unguarded_network

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")
PER_HOST = 2
PAGE = (
    "<html><head><title>Annual report {n}</title></head><body><article>"
    "<p>The figures were published in the annual review of the port.</p>"
    "<p>In {year}, the harbour of Port Ellery recorded {count:,} ships.</p>"
    "<p>A spokesperson declined to comment on the details.</p></article></body></html>"
)


class CountingHost:
    """A loopback host whose pages answer after `delay`, counting requests in flight."""

    def __init__(self, server: LoopbackServer, delay: float) -> None:
        self.server = server
        self.delay = delay
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def page(self, path: str, body: str) -> str:
        encoded = body.encode("utf-8")

        def answer(handler: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                time.sleep(self.delay)
                handler.send_response(200)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(encoded)))
                handler.end_headers()
                handler.wfile.write(encoded)
            finally:
                with self._lock:
                    self.in_flight -= 1

        return self.server.route_handler(path, answer)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # Dask's usual dashboard port is held, as when a user's own Dask runs beside ours: the
    # cluster must start without a warning (the suite turns warnings into errors).
    with socket.socket() as dashboard_port:
        try:
            dashboard_port.bind(("127.0.0.1", 8787))
            dashboard_port.listen()
        except OSError:
            pass  # already held by another process: the same situation
        with cluster.connect(cluster.ClusterSpec(workers=2)) as dask_client:
            yield dask_client


def build_claims(
    hosts: list[CountingHost], root: Path, per_host: int
) -> tuple[list[Claim], Settings]:
    claims = []
    for h, host in enumerate(hosts):
        for n in range(per_host):
            count = 1_000 + 97 * (h * per_host + n)
            year = 1990 + n
            url = host.page(f"/report{n}", PAGE.format(n=n, year=year, count=count))
            stated = count if n % 3 else count * 3  # every third claim gives another number
            text = f"In {year}, the harbour of Port Ellery recorded {stated:,} ships."
            claims.append(Claim(id=f"h{h}-{n}", text=text, urls=(url,)))
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for n in range(6):
        page = root / "sources" / f"local{n}.html"
        page.write_text(PAGE.format(n=n, year=2000 + n, count=500 + n), encoding="utf-8")
        text = f"In {2000 + n}, the harbour of Port Ellery recorded {500 + n:,} ships."
        claims.append(Claim(id=f"local-{n}", text=text, urls=(f"sources/local{n}.html",)))
    settings = Settings(
        fetch=FetchSettings(
            allow_hosts=HOSTS, wayback=None, per_host=PER_HOST, concurrency=8, retries=1
        )
    )
    return claims, settings


def single_process(config: StageConfig, claims: list[Claim]) -> list[Finding]:
    locate = pipeline.SourceLocator(config.base_dir)
    with Stages(config) as stages:
        stages.archive_sources(
            pipeline.locations(claims, locate), pipeline.access_dates(claims, locate)
        )
        return pipeline.verify(claims, fetch=stages.read, assess=stages.assess, locate=locate)


def judged(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.claim.id, f.verdict, f.score, f.flags, f.evidence, f.reason) for f in findings]


def test_host_partitions_keep_each_host_whole() -> None:
    urls = [f"http://h{n % 5}.test/{n}" for n in range(40)] + ["http://big.test/x"] * 1
    parts = cluster.host_partitions(urls, 3)
    assert len(parts) == 3 and sorted(u for p in parts for u in p) == sorted(urls)
    for part in parts:
        hosts = {url.split("/")[2] for url in part}
        assert all(
            all(url.split("/")[2] != host for other in parts if other is not part for url in other)
            for host in hosts
        )


def test_the_last_round_of_batches_is_cut_finer() -> None:
    batches = [list(range(start, start + 10)) for start in range(0, 50, 10)]
    cut = cluster.tapered(batches, workers=2, pieces=4)
    assert [index for batch in cut for index in batch] == list(range(50))
    assert cut[:3] == batches[:3]
    assert [len(batch) for batch in cut[3:]] == [2, 3, 2, 3] * 2
    one = cluster.tapered([[0, 1, 2]], workers=2, pieces=4)  # fewer claims than pieces
    assert one == [[0], [1], [2]]


def test_cluster_spec_is_local_n_or_a_scheduler_address() -> None:
    assert cluster.ClusterSpec.parse("local:2") == cluster.ClusterSpec(workers=2)
    address = "tcp://10.0.0.5:8786"
    assert cluster.ClusterSpec.parse(address) == cluster.ClusterSpec(address=address)
    for bad in ("local:0", "local", "10.0.0.5:8786", "http://x:1"):
        with pytest.raises(ValueError):
            cluster.ClusterSpec.parse(bad)


def test_local_workers_run_without_the_dask_profiler(client: Any) -> None:
    # Its sampling thread competes with the scoring for the core (cluster.LOCAL_CLUSTER_CONFIG).
    sampling = client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
    assert len(sampling) == 2 and not any(sampling.values())


def test_two_workers_give_the_single_process_results_and_keep_per_host_limits(
    client: Any, loopback_server_factory: ServerFactory, tmp_path: Path
) -> None:
    hosts = [CountingHost(loopback_server_factory(h), delay=0.05) for h in HOSTS]
    claims, settings = build_claims(hosts, tmp_path / "one", per_host=6)
    build_claims(hosts, tmp_path / "two", per_host=6)  # the same local files there
    one = StageConfig(tmp_path / "one", settings, results_path=None)
    two = StageConfig(tmp_path / "two", settings, results_path=tmp_path / "two" / "r.sqlite")

    alone = single_process(one, claims)
    on_cluster = cluster.verify(client, two, claims, batch_size=7)

    assert judged(on_cluster) == judged(alone)
    assert {f.verdict.value for f in alone} >= {"supported", "contradicted"}
    assert all(0 < host.most_in_flight <= PER_HOST for host in hosts)
    archive = Archive(two.archive_dir)
    assert archive.verify().ok
    assert {entry.url for entry in archive.entries()} == {
        url for claim in claims for url in claim.urls if url.startswith("http")
    }


def test_a_worker_killed_mid_run_loses_nothing(
    client: Any, loopback_server_factory: ServerFactory, tmp_path: Path
) -> None:
    hosts = [CountingHost(loopback_server_factory(h), delay=0.3) for h in HOSTS]
    claims, settings = build_claims(hosts, tmp_path, per_host=8)
    config = StageConfig(tmp_path, settings, results_path=None)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["findings"] = cluster.verify(client, config, claims, batch_size=8)
        except BaseException as error:  # reported below, on the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 60
    while sum(len(h.server.requests) for h in hosts) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim = next(iter(client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")

    findings: list[Finding] = outcome["findings"]
    assert [f.claim.id for f in findings] == [c.id for c in claims]
    assert all(f.verdict.value != "unavailable" for f in findings)
    offline = StageConfig(tmp_path, settings, results_path=None, offline=True)
    assert judged(single_process(offline, claims)) == judged(findings)
    archive = Archive(tmp_path / "archive")
    assert archive.verify().ok
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, archive.warc_files())],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout


def test_the_cli_on_a_local_cluster_writes_the_single_process_reports(
    loopback_server_factory: ServerFactory, tmp_path: Path
) -> None:
    host = CountingHost(loopback_server_factory(HOSTS[0]), delay=0.0)
    lines = ["fetch:", f"  allow_hosts: [{HOSTS[0]}]", "  wayback: null", "claims:"]
    for n in range(4):
        url = host.page(f"/p{n}", PAGE.format(n=n, year=2001, count=700 + n))
        stated = 700 + n if n else 799
        lines += [
            f"  - id: c{n}",
            f'    text: "In 2001, the harbour of Port Ellery recorded {stated:,} ships."',
            f"    urls: [{url}]",
        ]
    for folder in ("single", "dask"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "claims.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def check(folder: str, *extra: str) -> dict[str, Any]:
        environment = {**os.environ, "CI": "true", "VERIFIER_NO_CACHE": "1"}
        environment.pop("GITHUB_ACTIONS", None)
        completed = subprocess.run(
            [sys.executable, "-m", "verifier", "check", *extra],
            cwd=tmp_path / folder,
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert completed.returncode == 2, completed.stderr
        results: dict[str, Any] = json.loads(
            (tmp_path / folder / "reports" / "results.json").read_text(encoding="utf-8")
        )
        results.pop("generated_at", None)
        for claim in results["claims"]:
            for source in claim["sources"]:  # when and into which WARC file it was fetched
                source.pop("fetched_at")
                source.pop("warc_file")
        return results

    assert check("dask", "--cluster", "local:2") == check("single")
    single_index = (tmp_path / "single" / "reports" / "index.md").read_text(encoding="utf-8")
    dask_index = (tmp_path / "dask" / "reports" / "index.md").read_text(encoding="utf-8")
    assert _without_times(dask_index) == _without_times(single_index)


def _without_times(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?", "TIME", text)


def test_dump_pages_extracted_on_the_cluster_give_the_same_shards(
    client: Any, tmp_path: Path
) -> None:
    from test_dump import make_dump, pages_for

    from verifier.dump import passes, shards

    pages = pages_for("https://harbour.example.org") * 3
    pages = [(f"{title} {n}", ns, text) for n, (title, ns, text) in enumerate(pages)]
    dump = make_dump(pages, tmp_path / "wiki.xml.bz2")

    def on_cluster(function: Any, items: Any) -> Any:
        return cluster.ordered_map(client, function, items, in_flight=2)

    here = passes.extract_dump(dump, tmp_path / "here", per_shard=4)
    there = passes.extract_dump(
        dump, tmp_path / "there", per_shard=4, map_batches=on_cluster, pages_per_batch=2
    )
    assert (here.claims, here.warnings) == (there.claims, there.warnings) and here.claims > 10

    def records(folder: Path) -> list[dict[str, Any]]:
        manifest = shards.read_manifest(folder)
        return [r for s in manifest["claim_shards"] for r in shards.read_records(folder, s)]

    assert records(tmp_path / "there") == records(tmp_path / "here")
