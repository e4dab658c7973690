"""The pass on a Dask cluster: the same stages, partitioned so every promise still holds.

`--cluster local:N` starts a LocalCluster of N worker processes on this machine;
`--cluster tcp://HOST:PORT` joins an existing scheduler whose workers see the same
filesystem (articles, claims.yaml's folder, archive/). Without it nothing here runs.

Partitioning (each partition runs a function of `stages`, as the single process does):

- fetching by host: every URL of one host goes to one partition, so one Fetcher holds all
  of a host's requests and its per-host concurrency, minimum interval and Retry-After hold
  across the cluster. Each partition writes its own WARC file; the index is appended only
  with records already on disk, and a partition rerun after a lost worker fetches only
  what has no indexed record.
- reading and scoring by batches of claims (`pipeline.claim_batches`), claims citing the
  same source together, so each page is read and prepared once per partition; the last
  round of batches is cut finer (`tapered`), so the workers finish together.

Dask retries a lost worker's tasks on the others; every task is safe to run twice.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from verifier import pipeline, stages
from verifier.errors import InputError
from verifier.fetch.fileurls import is_local
from verifier.model import Claim, FetchFailure, Finding

if TYPE_CHECKING:
    from distributed import Client

FETCH_PARTITIONS_PER_WORKER = 4
"""Host partitions per worker: enough to balance hosts of different sizes."""
LOCAL_CLUSTER_CONFIG = {
    # Dask's statistical profiler samples each worker's task thread every 10 ms for a
    # dashboard this never shows. On a machine whose every core runs a worker the sampling
    # thread competes with the task for the core and the GIL: it cost ~15 % of the scoring
    # time with 2 workers on 2 cores, ~1 % with a core to spare (bench/scale.py).
    "distributed.worker.profile.enabled": False,
    # The event loops' 20 ms tick (a check that no loop is blocked, warned of past 3 s)
    # woke the scheduler, the nannies and each worker 50 times a second: half of what an
    # idle LocalCluster costs, taken from the workers when they have every core.
    "distributed.admin.tick.interval": "100ms",
    # One task at a time per worker thread (Dask's default sends a second ahead): a task
    # waiting on a busy worker while another worker idles is what `tapered` avoids.
    "distributed.scheduler.worker-saturation": 1.0,
}
"""Dask settings for the scheduler and workers a LocalCluster starts (an existing cluster
is configured by whoever starts it)."""
TAIL_PIECES = 4
"""The last round of claim batches (one per worker) is cut in this many pieces."""
_SPEC = re.compile(r"local:(?P<workers>[1-9][0-9]*)|(?P<address>(tcp|tls|inproc|ucx)://\S+)")


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: a LocalCluster of `workers` processes, or the scheduler at `address`."""

    workers: int | None = None
    address: str | None = None

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        match = _SPEC.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not local:N or tcp://HOST:PORT")
        if match.group("workers"):
            return cls(workers=int(match.group("workers")))
        return cls(address=match.group("address"))


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Client]:
    """A Dask client for `spec` (a LocalCluster is started here and stopped after)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "running on a cluster needs Dask, which is not installed",
            hint="pip install 'verifier[cluster]' (dask and distributed)",
        ) from None
    if spec.workers is not None:
        # The scheduler and each worker's nanny take the settings in force when they are
        # made; a nanny gives them to the worker process it starts (and restarts, should
        # that one be lost).
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            local = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=spec.workers,
                threads_per_worker=1,  # the matcher is CPU-bound Python: processes, not threads
                processes=True,
                # Any free port: None still serves on 8787, and warns when that is taken
                # (two runs at once, or a user's own Dask).
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
        with local as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    try:
        client = Client(spec.address, timeout="30s")  # type: ignore[no-untyped-call]
    except OSError as error:
        raise InputError(
            f"cannot reach the Dask scheduler at {spec.address}: {error}",
            hint="start it with `dask scheduler`, or check --cluster / VERIFIER_CLUSTER",
        ) from None
    with client:
        yield client


def host_partitions(urls: Sequence[str], partitions: int) -> list[list[str]]:
    """Network URLs split so that all of one host's are in one partition; the largest
    hosts are placed first, each on the partition with the fewest URLs so far."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append(url)
    bins: list[list[str]] = [[] for _ in range(max(1, min(partitions, len(by_host))))]
    for host_urls in sorted(by_host.values(), key=len, reverse=True):
        min(bins, key=len).extend(host_urls)
    return [part for part in bins if part]


def tapered(
    batches: Sequence[list[int]], workers: int, pieces: int = TAIL_PIECES
) -> list[list[int]]:
    """The batches with the last `workers` of them cut in `pieces` each, in order.

    Workers take batches as they free up, so when the last ones are handed out each worker
    is somewhere inside its own: the first to finish waits for the others, up to a whole
    batch's time (seconds, with a core idle). Smaller pieces at the end let the workers
    finish together; a run of fewer batches than workers is spread over all of them."""
    head = max(0, len(batches) - workers)
    cut = list(batches[:head])
    for batch in batches[head:]:
        bounds = [len(batch) * k // pieces for k in range(pieces + 1)]
        cut.extend(batch[a:b] for a, b in itertools.pairwise(bounds) if b > a)
    return cut


def verify(
    client: Client,
    config: stages.StageConfig,
    claims: Sequence[Claim],
    *,
    batch_size: int = pipeline.BATCH_CLAIMS,
    fetched: Callable[[int], None] | None = None,
    checked: Callable[[int], None] | None = None,
) -> list[Finding]:
    """`pipeline.verify` on the cluster; findings in claim order, as the single process
    gives them. `fetched(n)` / `checked(n)` report progress as partitions finish."""
    from distributed import as_completed

    locate = pipeline.SourceLocator(config.base_dir)
    locations = pipeline.locations(claims, locate)
    accessed = pipeline.access_dates(claims, locate)
    failures: dict[str, FetchFailure] = {}
    workers = max(1, len(client.scheduler_info()["workers"]))
    if not config.offline:
        network = [location for location in locations if not is_local(location)]
        parts = host_partitions(network, workers * FETCH_PARTITIONS_PER_WORKER)
        futures = [
            client.submit(
                stages.archive_partition,
                config,
                part,
                {url: accessed[url] for url in part if url in accessed},
                pure=False,
            )
            for part in parts
        ]
        sizes = {future.key: len(part) for future, part in zip(futures, parts, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            failures.update(future.result())
            future.release()  # the worker lets its copy of the result go
            if fetched is not None:
                fetched(sizes[future.key])
        del futures
        local_count = len(locations) - len(network)
        if fetched is not None and local_count:
            fetched(local_count)  # local files are read where they are scored
    findings: list[Finding | None] = [None] * len(claims)
    batches = tapered(pipeline.claim_batches(claims, locate, batch_size), workers)
    checks = []
    for batch in batches:
        members = [claims[i] for i in batch]
        known = _failures_for(members, failures, locate)
        checks.append(client.submit(stages.check_partition, config, members, known, pure=False))
    positions: dict[Any, list[int]] = {
        future.key: batch for future, batch in zip(checks, batches, strict=True)
    }
    finished = as_completed(checks)  # type: ignore[no-untyped-call]
    del checks  # a worker holds a result while any reference to its future lives
    for future in finished:
        batch = positions.pop(future.key)
        for index, finding in zip(batch, future.result().findings, strict=True):
            findings[index] = finding
        future.release()
        if checked is not None:
            checked(len(batch))
    return [finding for finding in findings if finding is not None]


def ordered_map(
    client: Client, function: Callable[[Any], Any], items: Iterable[Any], in_flight: int
) -> Iterator[Any]:
    """`map(function, items)` on the cluster, results in order, with at most `in_flight`
    tasks submitted at once: `items` may be a stream far larger than memory (a dump)."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(client.submit(function, item, pure=False))
        if len(pending) >= max(1, in_flight):
            yield _taken(pending.popleft())
    while pending:
        yield _taken(pending.popleft())


def _taken(future: Any) -> Any:
    """The future's result, the worker's copy released."""
    result = future.result()
    future.release()
    return result


def _failures_for(
    claims: Sequence[Claim], failures: Mapping[str, FetchFailure], locate: pipeline.SourceLocator
) -> dict[str, FetchFailure]:
    return {
        location: failures[location]
        for location in pipeline.locations(claims, locate)
        if location in failures
    }
