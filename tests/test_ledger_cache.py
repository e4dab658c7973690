"""The ledger's parse cache: a damaged cache file is a miss, decided by its shape, never by
catching whatever reading it raises (which would hide a bug as a silent miss)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from verifier import __version__
from verifier.ledger import Ledger, cache

LEDGER = """\
# kept comment
claims:
  - id: c-1
    text: The ferry sailed twice a day.
    urls: [https://example.org/ferry]
"""


@pytest.mark.parametrize(
    "damage",
    [
        {"layout": "not a mapping"},
        {"claims": [1, 2]},
        {"blocks": None},
        {"layout": {"head_end": 0, "starts": ["x"], "block_end": 3, "indent": [0, 2, 0]}},
    ],
)
def test_a_damaged_cache_with_the_right_key_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: dict[str, object]
) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    path = tmp_path / "claims.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    Ledger.load(path)  # writes the cache
    (cached,) = (tmp_path / "cache").glob("ledger-*.json")
    document = json.loads(cached.read_text(encoding="utf-8"))
    assert cache.well_formed(document)
    document.update(damage)
    assert not cache.well_formed(document)
    cached.write_text(json.dumps(document), encoding="utf-8")

    ledger = Ledger.load(path)

    assert [claim.id for claim in ledger.claims] == ["c-1"]
    assert ledger.claims[0].urls == ("https://example.org/ferry",)


def test_the_cache_is_written_in_pieces_as_one_json_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    path = tmp_path / "claims.yaml"
    path.write_text(LEDGER.replace("claims:\n", "articles: []\nclaims:\n"), encoding="utf-8")
    payload = {"claims": [{"id": "c-1"}, {"id": "c-2", "text": "é"}], "articles": [], "x": None}
    cache.write(path, "key", payload)
    (cached,) = (tmp_path / "cache").glob("ledger-*.json")
    latest = cache.read_latest(path)
    assert latest is not None
    document = {"key": "key", "version": latest["version"], **payload}
    assert cached.read_text(encoding="utf-8") == json.dumps(
        document, ensure_ascii=False, separators=(",", ":")
    )


def test_content_key_hashed_in_slices_is_the_hash_of_the_whole_text() -> None:
    for text in ("", "claims: []\n", "é" * 3_000_000 + "x\r\n" * 10):
        whole = f"{cache.CACHE_FORMAT}\n{__version__}\n{text}".encode()
        assert cache.content_key(text) == hashlib.sha256(whole).hexdigest()
