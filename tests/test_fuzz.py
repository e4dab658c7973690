"""Every input surface under hypothesis, bounded for the suite (seconds in all); the same
properties run for minutes in bench/fuzz_long.py. See tests/fuzzing.py for the inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import (
    ARTICLE_SEEDS,
    article_bytes,
    articles,
    bodies,
    check_article,
    check_article_bytes,
    check_body,
    check_ledger,
    check_records,
    check_url,
    ledgers,
    offline_fetcher,
    records,
    urls,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.errors import LedgerError
from verifier.files import OverlongLine
from verifier.ledger import Ledger
from verifier.pipeline import SourceLocator


def bounded(examples: int) -> settings:
    """Deterministic and quick: the suite must not flake or grow; the long run explores."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.mark.parametrize("article_format", sorted(ARTICLE_SEEDS))
def test_each_article_reader_gives_claims_or_an_article_error(article_format: str) -> None:
    @bounded(25)
    @given(articles(article_format))
    def property_holds(text: str) -> None:
        check_article(text, article_format)

    property_holds()


@pytest.mark.parametrize("article_format", sorted(ARTICLE_SEEDS))
def test_binary_and_truncated_article_files_are_claims_or_an_article_error(
    article_format: str,
) -> None:
    @bounded(10)
    @given(article_bytes(article_format))
    def property_holds(raw: bytes) -> None:
        check_article_bytes(raw, article_format)

    property_holds()


def test_a_fuzzed_claims_yaml_loads_or_is_an_input_error_and_is_never_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFIER_NO_CACHE", "1")

    @bounded(40)
    @given(ledgers())
    def property_holds(text: str) -> None:
        check_ledger(text, tmp_path / "claims.yaml")

    property_holds()


def test_a_url_of_any_shape_is_that_one_sources_outcome(tmp_path: Path) -> None:
    locate = SourceLocator(tmp_path)
    with offline_fetcher(tmp_path) as fetcher:

        @bounded(60)
        @given(urls())
        def property_holds(url: str) -> None:
            check_url(url, fetcher, locate)

        property_holds()


def test_each_score_line_is_a_result_or_an_error_for_that_record() -> None:
    lines = st.lists(records() | st.just(OverlongLine(40_000_000)) | st.just(b"  \n"), max_size=5)

    @bounded(30)
    @given(lines)
    def property_holds(batch: list[bytes | OverlongLine]) -> None:
        check_records(batch)

    property_holds()


def test_text_of_binary_truncated_or_mislabelled_bodies_is_text_or_unavailable() -> None:
    @bounded(40)
    @given(bodies())
    def property_holds(body: tuple[bytes, str | None]) -> None:
        check_body(*body)

    property_holds()


@pytest.mark.parametrize(
    "text",
    [
        "settings:\n  ? fail_on: [contradicted]\n  min_score: 0.4\n",  # a mapping as a key
        "claims:\n  - text: a\n    urls: []\n    note: 2024-13-45\n",  # not a date
        "fetch:\n  timeout: !!float x\n",
        "claims: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["mapping key", "bad date", "bad tagged float", "deep nesting"],
)
def test_yaml_that_ruamel_cannot_build_is_a_ledger_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Found by the long fuzz run: each used to be TypeError, ValueError or RecursionError."""
    monkeypatch.setenv("VERIFIER_NO_CACHE", "1")
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    assert raised.value.exit_code == 3
    assert path.read_text(encoding="utf-8") == text
