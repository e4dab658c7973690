"""Caches that grew with the number of claims stay bounded, and answer as before."""

from __future__ import annotations

from pathlib import Path

from verifier import pipeline
from verifier.match import passages, tokens


def test_number_patterns_are_bounded_and_still_find_numbers() -> None:
    search = passages.searchable("In 1991 the museum recorded 16,613 visitors and 26th place.")
    patterns = passages._digits_pattern
    limit = patterns.cache_parameters()["maxsize"]
    for number in range(100_000, 100_000 + limit + 10):
        passages._candidate_positions(search, str(number))
    assert patterns.cache_info().currsize <= limit
    assert search[passages._candidate_positions(search, "16613")[0] :].startswith("16,613")
    assert passages._candidate_positions(search, "1991") == [search.index("1991")]


def test_word_forms_are_bounded_and_still_normalise() -> None:
    before = tokens.normalise("Visitors")
    for number in range(tokens.NORMAL_FORMS_LIMIT + 10):
        tokens.normalise(f"word{number}")
    assert len(tokens.NORMAL_FORMS) <= tokens.NORMAL_FORMS_LIMIT
    assert tokens.normalise("Visitors") == before


def test_a_source_locator_forgets_but_maps_the_same(tmp_path: Path) -> None:
    locate = pipeline.SourceLocator(tmp_path)
    first = locate("sources/a.html")
    for number in range(pipeline._KNOWN_LIMIT + 10):
        locate(f"sources/{number}.html")
    assert len(locate._known) <= pipeline._KNOWN_LIMIT
    assert locate("sources/a.html") == first == (tmp_path / "sources" / "a.html").as_uri()
