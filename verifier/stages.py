"""The pass's stages as one process runs them: archive, fetcher, result cache, matcher pool.

`StageConfig` says everything a process needs to build them (it pickles, so a cluster
worker builds the same stages as the single-process run), `Stages` opens them, and the
two partition functions are what a worker runs: the single-process path calls the same
`Stages` methods and the same `pipeline.check_batch`, so no stage exists twice.

    with Stages(config) as stages:
        failures = stages.archive_sources(locations, accessed)   # network, nothing held
        findings = pipeline.verify(claims, fetch=stages.read, assess=stages.assess, ...)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from verifier import pipeline
from verifier.fetch.fileurls import is_local
from verifier.ledger import cache as ledger_cache
from verifier.ledger.reuse import RESULTS_FILE, ResultCache
from verifier.model import Assessment, Capture, Claim, FetchFailure, Finding, SourceResult
from verifier.settings import Settings

if TYPE_CHECKING:
    from verifier.archive import Archive
    from verifier.fetch import Fetcher
    from verifier.fetch.client import Progress
    from verifier.match import SourcePool


@dataclass(frozen=True)
class StageConfig:
    """What building the stages needs; plain values, so it can travel to a worker."""

    base_dir: Path
    """The ledger's folder: local paths and archive_dir are relative to it."""
    settings: Settings
    results_path: Path | None
    """The result cache's file (None: no cache); resolved where the run started, so workers
    share it whatever their environment."""
    offline: bool = False

    @classmethod
    def for_ledger(cls, ledger_path: Path, settings: Settings, *, offline: bool) -> StageConfig:
        directory = ledger_cache.cache_dir(ledger_path)
        return cls(
            base_dir=ledger_path.parent.resolve(),
            settings=settings,
            results_path=directory / RESULTS_FILE if directory is not None else None,
            offline=offline,
        )

    @property
    def archive_dir(self) -> Path:
        return self.base_dir / self.settings.archive_dir


class Stages:
    """The stages opened for one process; close them (or use `with`) to write what is new."""

    def __init__(
        self, config: StageConfig, failures: Mapping[str, FetchFailure] | None = None
    ) -> None:
        # Imported here, not with the module: the CLI imports this module for every command,
        # and the HTTP client and WARC writer take a third of a second to load.
        from verifier.archive import Archive
        from verifier.fetch import Fetcher, LocalAccess

        self.config = config
        self.archive: Archive = Archive(config.archive_dir)
        local = LocalAccess.for_project(config.base_dir, config.settings.fetch)
        self.fetcher: Fetcher = Fetcher(config.settings.fetch, self.archive, local=local)
        self.results = ResultCache(config.results_path)
        self.locate = pipeline.SourceLocator(config.base_dir)
        self.failures: dict[str, FetchFailure] = dict(failures or {})
        """Sources the archive phase could not fetch (by location): read as these failures."""
        self.progress: Progress | None = None
        """Called per source read: for the sources `archive_sources` did not already report
        (local ones; all of them offline)."""
        self._pool: SourcePool | None = None
        self._assess = self.results.wrap(self._score)

    def archive_sources(
        self,
        locations: Sequence[str],
        accessed: Mapping[str, str] | None = None,
        progress: Progress | None = None,
    ) -> dict[str, FetchFailure]:
        """Fetch and archive every network source not archived yet (nothing when offline);
        returns, and remembers for `read`, those that could not be fetched."""
        if self.config.offline:
            return {}
        network = [location for location in locations if not is_local(location)]
        failures = self.fetcher.archive_all(network, accessed=accessed, progress=progress)
        self.failures.update(failures)
        return failures

    def read(
        self, locations: Sequence[str], accessed: Mapping[str, str]
    ) -> dict[str, SourceResult]:
        """The pipeline's fetch stage after the archive phase: archived and local sources
        only (every network source is archived or failed by now). A page the archive phase
        archived unread is read here, in whichever process reads its claims' batch (a
        cluster's workers share that work); when it turns out to be a wall, its Wayback
        copy is the only network this reaches, as the fetch would have tried it."""
        known = {url: self.failures[url] for url in locations if url in self.failures}
        rest = [url for url in locations if url not in known]
        read = self.fetcher.fetch_all(
            rest, offline=True, accessed=accessed, settle_unread=not self.config.offline
        )
        if self.progress is not None:
            for url, result in read.items():
                if self.config.offline or is_local(url):
                    self.progress(url, result)
        return {url: known[url] if url in known else read[url] for url in locations}

    def captured_text(self, capture: Capture) -> str:
        """The text the pass read of `capture` (whose text the pass dropped after scoring),
        read again from the archive; "" when the archive no longer has that capture."""
        if capture.text:
            return capture.text
        archived = self.fetcher.fetch(capture.url, offline=True)
        if isinstance(archived, Capture) and archived.payload_digest == capture.payload_digest:
            return archived.text
        return ""

    def assess(self, claim: str, source: str) -> Assessment:
        """The matcher, results reused from the cache, each page prepared once per batch."""
        return self._assess(claim, source)

    def check(self, claims: Sequence[Claim]) -> list[Finding]:
        """One batch of claims through the pipeline's read-and-score stage."""
        return pipeline.check_batch(claims, fetch=self.read, assess=self.assess, locate=self.locate)

    def close(self) -> None:
        self.results.close()
        self.fetcher.close()
        self.archive.close()

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _score(self, claim: str, source: str) -> Assessment:
        # Imported on first use: a re-check that reuses every result never loads the matcher.
        if self._pool is None:
            from verifier.match import SourcePool

            self._pool = SourcePool()
        return self._pool.assess(claim, source)


# -- what a cluster worker runs (module-level functions pickle by name) ---------------------


def archive_partition(
    config: StageConfig, locations: Sequence[str], accessed: Mapping[str, str]
) -> dict[str, FetchFailure]:
    """Archive one partition of network sources (all of a host's URLs: see cluster.py)."""
    with Stages(config) as stages:
        stages.fetcher.handoff.stop()  # the claim batches read these pages, elsewhere
        return stages.archive_sources(locations, accessed)


@dataclass(frozen=True)
class CheckedBatch:
    """One partition's findings, in the order of its claims, as one value: Dask ships a
    list a task returns element by element (a pickle and a frame per finding), which cost
    the worker and the client each about three times what pickling the batch whole does."""

    findings: tuple[Finding, ...]


def check_partition(
    config: StageConfig, claims: Sequence[Claim], failures: Mapping[str, FetchFailure]
) -> CheckedBatch:
    """Read and score one batch of claims; `failures` are the archive phase's."""
    with Stages(config, failures) as stages:
        return CheckedBatch(tuple(stages.check(claims)))


class CapturedTexts:
    """`Stages.captured_text`, the stages opened on the first text wanted: the reports of
    a re-check that carries every finding read none, and need not load the HTTP client and
    WARC code for it.

    with CapturedTexts(config) as page_text:
        report.write_reports(..., page_text=page_text)
    """

    def __init__(self, config: StageConfig) -> None:
        self._config = config
        self._stages: Stages | None = None

    def __call__(self, capture: Capture) -> str:
        if capture.text:
            return capture.text
        if self._stages is None:
            self._stages = Stages(self._config)
        return self._stages.captured_text(capture)

    def close(self) -> None:
        if self._stages is not None:
            self._stages.close()

    def __enter__(self) -> CapturedTexts:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
