"""The ledger's text: surgical edits keep every other byte, the emitter, the parse cache."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from verifier.errors import LedgerError
from verifier.ledger import Ledger, cache, parse
from verifier.ledger import text as ledger_text
from verifier.ledger.emit import Indent, entry_lines, scalar
from verifier.model import Citation, ExtractedClaim, Extraction

ARTICLE = "a.md"

ODD = """\
# A ledger formatted by hand, with comments everywhere.
articles:   [a.md, b.md]     # odd spacing stays

claims:
  # about the first claim
  - id: c-000001
    article: a.md
    line: 1
    footnote: '1'
    text: "First claim."
    urls: [ 'https://a.example/1' ]
    extracted: "e927a3a3/289744d4"

  - id: c-000002   # second
    article: a.md
    line: 2
    footnote: "2"
    text: Second claim.
    urls:
      - https://a.example/2
    extracted: 76cd0218/dd652748
    note: "keep me"
  # written by hand
  - {id: c-hand01, text: "Hand-written.", urls: [https://h.example/]}

# settings come last in this file
settings:
  fail_on: [contradicted]
"""


def extracted(line: int, footnote: str, text: str, url: str) -> ExtractedClaim:
    return ExtractedClaim(ARTICLE, line, footnote, text, (Citation(url),))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_an_update_rewrites_only_the_entry_it_changes(tmp_path: Path) -> None:
    path = write(tmp_path, ODD)
    ledger = Ledger.load(path)
    ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(1, "1", "First claim.", "https://a.example/1"),
                extracted(7, "2", "Second claim.", "https://a.example/2"),
            ),
        )
    )
    ledger.save()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(ODD, after) == ["-    line: 2", "+    line: 7"]
    assert Ledger.load(path).claim("c-000002") is not None


def test_new_claims_are_inserted_in_the_files_style_and_parse_back(tmp_path: Path) -> None:
    path = write(tmp_path, ODD)
    ledger = Ledger.load(path)
    tricky = 'Said: "yes" # not a comment, 50% [sic] {x}'
    ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(1, "1", "First claim.", "https://a.example/1"),
                extracted(2, "2", "Second claim.", "https://a.example/2"),
                extracted(3, "3", tricky, "https://a.example/a,b?c=[d]"),
                extracted(4, "10", "2024: a year.", "sources/x y.html"),
            ),
        )
    )
    ledger.save()
    after = path.read_text(encoding="utf-8")
    added = [line[1:] for line in changed_lines(ODD, after) if line.startswith("+")]
    assert all(line.startswith("    ") or line.startswith("  - ") for line in added)
    assert not [line for line in changed_lines(ODD, after) if line.startswith("-")]
    claims = {c.line: c for c in Ledger.load(path).claims if c.article == ARTICLE}
    assert claims[3].text == tricky
    assert claims[3].urls == ("https://a.example/a,b?c=[d]",)
    assert (claims[4].text, claims[4].footnote) == ("2024: a year.", "10")
    assert after.index("line: 4") < after.index("# written by hand")  # grouped by article


def test_removing_a_claim_keeps_the_comments_of_its_neighbours(tmp_path: Path) -> None:
    path = write(tmp_path, ODD)
    ledger = Ledger.load(path)
    summary = ledger.merge(
        Extraction(ARTICLE, (extracted(2, "2", "Second claim.", "https://a.example/2"),))
    )
    assert summary.removed == ("c-000001",)
    ledger.save()
    after = path.read_text(encoding="utf-8")
    assert "c-000001" not in after
    for kept in ("# written by hand", "# settings come last in this file", "# second"):
        assert kept in after
    assert "# about the first claim" not in after  # it belonged to the removed claim


@pytest.mark.parametrize(
    ("text", "indent"),
    [
        ("claims:\n- id: c-1\n  article: a.md\n  line: 1\n  text: x\n  urls: []\n", (0, 2, 0)),
        (
            "claims:\n    - id: c-1\n      article: a.md\n      line: 1\n"
            "      text: x\n      urls: []\n",
            (4, 6, 4),
        ),
    ],
)
def test_other_indentation_styles_are_followed(
    tmp_path: Path, text: str, indent: tuple[int, int, int]
) -> None:
    path = write(tmp_path, text)
    ledger = Ledger.load(path)
    citations = (Citation("https://a.example/", title="A title"),)
    ledger.merge(
        Extraction(
            ARTICLE,
            (
                ExtractedClaim(ARTICLE, 1, "1", "x", ()),
                ExtractedClaim(ARTICLE, 2, "2", "y", citations),
            ),
        )
    )
    ledger.save()
    after = path.read_text(encoding="utf-8")
    dash = " " * indent[0] + "- id:"
    assert after.count(dash) == 2
    reloaded = Ledger.load(path).claims
    assert [c.text for c in reloaded] == ["x", "y"]
    assert reloaded[1].citations == citations


@pytest.mark.parametrize(
    "text",
    [
        "articles: []\n",
        "articles: []\nclaims: []\nfetch:\n  timeout: 5\n",
        "claims:   # nothing yet\nfetch:\n  timeout: 5\n",
        "claims: [{id: c-1, article: a.md, line: 1, text: old, urls: []}]\nfetch: {timeout: 5}\n",
    ],
)
def test_claims_can_be_added_whatever_the_list_looked_like(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    ledger = Ledger.load(path)
    ledger.merge(Extraction(ARTICLE, (extracted(3, "1", "A new claim.", "https://n.example/"),)))
    ledger.save()
    reloaded = Ledger.load(path)
    assert [c.text for c in reloaded.claims] == ["A new claim."]
    if "fetch" in text:
        assert reloaded.settings.fetch.timeout == 5.0


def test_a_ledger_loads_from_the_cache_without_parsing_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, ODD)
    first = Ledger.load(path)
    assert (tmp_path / ".verifier-cache" / ".gitignore").read_text().strip().endswith("*")

    def no_parse(path: Path, text: str) -> object:
        raise AssertionError("parsed although the cache holds this text")

    monkeypatch.setattr(parse, "parse", no_parse)
    second = Ledger.load(path)
    assert second.claims == first.claims
    assert second.settings == first.settings
    assert second.articles == first.articles
    # A save records the new text's parse too, so the next load is still a hit.
    second.merge(Extraction(ARTICLE, (extracted(9, "1", "First claim.", "https://a.example/1"),)))
    second.save()
    assert Ledger.load(path).claim("c-000001") is not None


def test_a_hand_edit_is_a_cache_miss_and_is_validated(tmp_path: Path) -> None:
    path = write(tmp_path, ODD)
    Ledger.load(path)
    path.write_text(ODD.replace("fail_on: [contradicted]", "fail_on: [nonsense]"), "utf-8")
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    assert raised.value.line == ODD.splitlines().index("  fail_on: [contradicted]") + 1


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, ODD)
    expected = Ledger.load(path).claims
    for cached in (tmp_path / ".verifier-cache").glob("ledger-*.json"):
        cached.write_text('{"key": "' + cache.content_key(ODD) + '", "layout": 3}', "utf-8")
    assert Ledger.load(path).claims == expected


def test_caching_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_NO_CACHE", "1")
    Ledger.load(write(tmp_path, ODD))
    assert not (tmp_path / ".verifier-cache").exists()


def test_cache_dir_can_be_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "elsewhere"))
    Ledger.load(write(tmp_path, ODD))
    assert list((tmp_path / "elsewhere").glob("ledger-*.json"))


# -- the emitter ---------------------------------------------------------------------------


def test_scalars_round_trip_through_a_yaml_reader() -> None:
    yaml = YAML(typ="rt")
    rng = random.Random(7)
    alphabet = "aZ09 :#-?,[]{}&*!|>'\"%@`\\\t\n\r\u2028\u0085é😀.+~=^$/_"
    samples = ["", " ", "true", "No", "null", "~", "2024-03-01", "1e3", ".5", "0x1F", "-", "a: b"]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(400)
    ]
    for text in samples:
        for flow in (False, True):
            emitted = scalar(text, flow=flow)
            document = f"key: [{emitted}]\n" if flow else f"key: {emitted}\n"
            loaded = yaml.load(document)["key"]
            assert (loaded[0] if flow else loaded) == text, (text, emitted)


def test_plain_style_is_used_for_ordinary_text() -> None:
    assert scalar("The museum reopened in 2019.") == "The museum reopened in 2019."
    assert scalar("https://a.example/x?y=1#z", flow=True) == "https://a.example/x?y=1#z"
    assert scalar("3") == "'3'"
    assert scalar("It's 5: ok") == "'It''s 5: ok'"
    assert scalar("tab\there") == '"tab\\there"'


def test_entry_lines_parse_back_for_each_indent_style() -> None:
    entry = {
        "id": "c-1",
        "text": "x: y",
        "urls": ["a", "b,c"],
        "citations": [{"url": "a", "title": "T"}, {"title": "Book"}],
        "line": 3,
    }
    for indent in (Indent(2, 4, 2), Indent(0, 2, 0), Indent(4, 6, 4)):
        prefix = "claims:\n"
        lines = entry_lines(entry, indent)
        loaded = YAML(typ="rt").load(prefix + "".join(lines))["claims"][0]
        assert ledger_text.plain(loaded) == entry


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    crlf = "# c\r\nclaims:\r\n  - id: c-2\r\n    article: a.md\r\n    line: 1\r\n    text: x\r\n"
    path.write_bytes((crlf + "    urls: []\r\n").encode("utf-8"))
    ledger = Ledger.load(path)
    ledger.merge(
        Extraction(
            ARTICLE,
            (ExtractedClaim(ARTICLE, 5, "1", "x", ()), extracted(6, "2", "y", "https://y/")),
        )
    )
    ledger.save()
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > 8
    assert [c.line for c in Ledger.load(path).claims] == [5, 6]


def test_unusual_line_separators_inside_a_claim_do_not_shift_entries(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    odd = "Line\u2028separator and\u0085next line\x0bvertical tab."
    ledger.merge(
        Extraction(
            ARTICLE, (extracted(1, "1", odd, "https://a/"), extracted(2, "2", "b", "https://b/"))
        )
    )
    ledger.save()
    reloaded = Ledger.load(path)
    assert [c.text for c in reloaded.claims] == [odd, "b"]
    reloaded.merge(
        Extraction(
            ARTICLE, (extracted(3, "1", odd, "https://a/"), extracted(4, "2", "b", "https://b/"))
        )
    )
    reloaded.save()
    assert [c.line for c in Ledger.load(path).claims] == [3, 4]


def test_line_offsets_are_where_split_lines_starts_each_line() -> None:
    text = "a: 1\r\nb: 2\u2028c: 3\n\n# note\rd: 4"
    lines = ledger_text.split_lines(text)
    numbers = range(len(lines) + 2)  # two past the end: the end of the text
    starts = [len("".join(lines[:number])) for number in numbers]
    assert ledger_text.line_offsets(text, numbers) == starts
    assert ledger_text.line_offsets(text, [1, 3]) == [starts[1], starts[3]]
    assert ledger_text.line_offsets("", [0, 1]) == [0, 0]
