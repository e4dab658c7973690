"""Reusing matcher results when claim text, source text and matcher version are unchanged."""

from __future__ import annotations

from pathlib import Path

from verifier.ledger.reuse import RESULTS_FILE, ResultCache, last_run_stats, matcher_version
from verifier.model import Assessment, Evidence, Flag, Verdict

ASSESSMENT = Assessment(
    0.62,
    Verdict.CONTRADICTED,
    Evidence("Foreign Minister Iwaya", 10, 32),
    (Flag(8, 24, "title", "Defense Minister", "Foreign Minister"), Flag(0, 3, "name", "Abe")),
)


class CountingMatcher:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, claim: str, source: str) -> Assessment:
        self.calls.append((claim, source))
        return ASSESSMENT


def test_wrapped_assess_computes_each_key_once(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "results.json", version="v1")
    matcher = CountingMatcher()
    assess = cache.wrap(matcher)
    assert assess("A claim.", "source one") == ASSESSMENT
    assert assess("A  claim.\n", "source one") == ASSESSMENT  # same words: same claim
    assert assess("A claim.", "source two") == ASSESSMENT
    assert len(matcher.calls) == 2
    assert (cache.hits, cache.misses) == (1, 2)


def test_a_source_hashed_once_still_keys_each_text_by_its_words(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "results.sqlite", version="v1")
    page = "The harbour handled 200 ships. " * 1000
    same_words = "".join(list(page))  # equal text, another object
    other = page.replace("200", "300")
    first = cache.key("A claim.", page)
    assert cache.key("A claim.", other) != first
    assert cache.key("A claim.", page) == first
    assert cache.key("A claim.", same_words) == first
    assert cache.key("Another claim.", page) != first
    assert cache.key("A claim.", other) == ResultCache(None, version="v1").key("A claim.", other)


def test_results_survive_a_restart_and_round_trip_exactly(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    first = ResultCache(path, version="v1")
    first.wrap(CountingMatcher())("A claim.", "source")
    first.save()

    matcher = CountingMatcher()
    second = ResultCache(path, version="v1")
    assert second.wrap(matcher)("A claim.", "source") == ASSESSMENT
    assert matcher.calls == []


def test_a_new_matcher_version_invalidates_everything(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    first = ResultCache(path, version="v1")
    first.put("A claim.", "source", ASSESSMENT)
    first.save()
    assert ResultCache(path, version="v2").get("A claim.", "source") is None
    assert ResultCache(path, version="v1").get("A claim.", "source") == ASSESSMENT


def test_saving_with_nothing_new_does_not_rewrite_results(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    first = ResultCache(path, version="v1")
    first.put("A claim.", "source", ASSESSMENT)
    first.save()
    before = path.stat().st_mtime_ns
    second = ResultCache(path, version="v1")
    second.wrap(CountingMatcher())("A claim.", "source")
    second.save()
    assert path.stat().st_mtime_ns == before
    stats = (tmp_path / "last-run.json").read_text(encoding="utf-8")
    assert '"hits": 1' in stats and '"misses": 0' in stats


def test_a_damaged_cache_file_is_an_empty_cache(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("{broken", encoding="utf-8")
    cache = ResultCache(path, version="v1")
    assert cache.get("A claim.", "source") is None
    cache.put("A claim.", "source", ASSESSMENT)
    cache.save()
    assert ResultCache(path, version="v1").get("A claim.", "source") == ASSESSMENT


def test_the_cache_beside_a_ledger_reports_last_run_stats(tmp_path: Path) -> None:
    ledger = tmp_path / "claims.yaml"
    cache = ResultCache.for_ledger(ledger)
    assert cache.path == tmp_path / ".verifier-cache" / RESULTS_FILE
    cache.wrap(CountingMatcher())("A claim.", "source")
    cache.save()
    assert last_run_stats(ledger) == {"hits": 0, "misses": 1, "matcher": matcher_version()}


def test_matcher_version_is_stable_within_a_process() -> None:
    assert matcher_version() == matcher_version()
    assert len(matcher_version()) == 16


def test_garbage_collection_is_restored_after_a_batch_even_on_error() -> None:
    import gc

    import pytest

    from verifier.batch import paused_garbage_collection

    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_garbage_collection():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_garbage_collection():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()
