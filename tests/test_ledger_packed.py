"""The ledger keeps the values of the entries it makes packed, and reads them back equal."""

from __future__ import annotations

from pathlib import Path

from verifier.ledger import Ledger
from verifier.ledger.cache import _json_pieces
from verifier.ledger.store import _Entry, _packed
from verifier.model import Citation, ExtractedClaim, Extraction


def extraction(article: str, count: int) -> Extraction:
    claims = tuple(
        ExtractedClaim(
            article,
            line,
            str(line),
            f"Claim number {line} of {article}.",
            (Citation(f"sources/{line}.html", title=f"Source {line}", accessed="1 May 2024"),),
        )
        for line in range(1, count + 1)
    )
    return Extraction(article, claims)


def test_new_entries_are_packed_and_read_back_equal(tmp_path: Path) -> None:
    ledger = Ledger.new(tmp_path / "claims.yaml")
    ledger.merge(extraction("a.md", 3))
    ledger.merge(extraction("b.md", 2))
    assert all(isinstance(entry._plain, bytes) for entry in ledger._entries)
    claims = ledger.claims
    assert [c.text for c in claims][:2] == ["Claim number 1 of a.md.", "Claim number 2 of a.md."]
    assert claims[0].citations[0].title == "Source 1"

    ledger.save()
    again = Ledger.load(tmp_path / "claims.yaml")  # from the cache the save wrote
    assert again.claims == claims
    (tmp_path / ".verifier-cache").rename(tmp_path / "moved")
    assert Ledger.load(tmp_path / "claims.yaml").claims == claims  # parsed from the text


def test_a_merge_again_finds_packed_entries_unchanged(tmp_path: Path) -> None:
    ledger = Ledger.new(tmp_path / "claims.yaml")
    ledger.merge(extraction("a.md", 3))
    summary = ledger.merge(extraction("a.md", 3))
    assert summary.unchanged == 3
    assert not summary.changed


def test_values_marshal_cannot_pack_stay_a_dict() -> None:
    """ruamel hands back subclasses of str and int; they stay as they are."""

    class Quoted(str):
        pass

    values = {"id": "c-1", "footnote": Quoted("1")}
    assert _packed(values) is values
    entry = _Entry({"id": "c-2"})
    entry.plain = values
    assert entry.plain is values
    entry.plain = {"id": "c-3", "urls": ["x"]}
    assert entry.plain == {"id": "c-3", "urls": ["x"]}
    assert entry.plain is not entry.plain  # unpacked afresh: edits go through the setter


def test_cache_pieces_are_the_compact_json_of_any_sequence() -> None:
    class Lazy(tuple[int, ...]):
        pass

    document = {"a": [], "b": Lazy((1, 2)), "c": "text", "d": {"e": [1]}}
    assert "".join(_json_pieces(document)) == '{"a":[],"b":[1,2],"c":"text","d":{"e":[1]}}'
