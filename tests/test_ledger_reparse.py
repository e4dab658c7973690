"""After a hand edit only changed entries are parsed again, with the result of a full parse."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from verifier.errors import LedgerError
from verifier.ledger import Ledger, cache, parse
from verifier.model import Citation, ExtractedClaim, Extraction


def build_ledger(tmp_path: Path, count: int = 30) -> Path:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    claims = tuple(
        ExtractedClaim(
            f"articles/a{i % 3}.md",
            i + 1,
            str(i + 1),
            f"Claim number {i}: it says something.",
            (Citation(f"https://example.org/{i}", title=f"Source {i}"),),
        )
        for i in range(count)
    )
    for article in sorted({claim.article for claim in claims}):
        ledger.merge(Extraction(article, tuple(c for c in claims if c.article == article)))
    ledger.save()
    return path


def edit(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    dash_lines = [i for i, line in enumerate(lines) if line.startswith("  - id:")]
    choice = rng.randrange(7)
    target = rng.choice(dash_lines)
    if choice == 0:  # reword a claim
        for i in range(target, len(lines)):
            if lines[i].startswith("    text:"):
                lines[i] = f"    text: Reworded claim {rng.randrange(10**6)}.\n"
                break
    elif choice == 1:  # delete an entry
        end = next((i for i in dash_lines if i > target), len(lines))
        del lines[target:end]
    elif choice == 2:  # a comment above an entry
        lines.insert(target, "  # checked by hand\n")
    elif choice == 3:  # a reviewer's acceptance
        lines.insert(target + 1, "    status: accepted\n    note: fine\n")
    elif choice == 4:  # change a setting
        text = "".join(lines).replace(
            "fail_on: [contradicted, unsupported]", "fail_on: [contradicted]"
        )
        return text
    elif choice == 5:  # a hand-written claim at the end
        lines.append(f"  - text: Hand-written {rng.randrange(10**6)}.\n    urls: [a.html]\n")
    else:  # blank line between entries
        lines.insert(target, "\n")
    return "".join(lines)


@pytest.mark.parametrize("seed", range(8))
def test_reparse_equals_a_full_parse_after_random_hand_edits(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = build_ledger(tmp_path)
    text = path.read_text(encoding="utf-8")
    for _ in range(4):
        Ledger.load(path)  # caches the parse of the current text
        previous = cache.read_latest(path)
        assert previous is not None
        text = edit(text, rng)
        path.write_text(text, encoding="utf-8")
        full, _ = parse.parse(path, text)
        shortcut = parse.reparse(path, text, previous)
        assert shortcut is not None
        assert shortcut == full


def test_a_hand_edit_parses_only_the_changed_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_ledger(tmp_path)
    Ledger.load(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Claim number 7:", "Claim number seven:"), encoding="utf-8")
    parsed_entries: list[str] = []
    original = parse._parse_entry

    def counting(block: str) -> object:
        parsed_entries.append(block)
        return original(block)

    def no_full_parse(path: Path, text: str) -> object:
        raise AssertionError("a full parse was not needed")

    monkeypatch.setattr(parse, "_parse_entry", counting)
    monkeypatch.setattr(parse, "parse", no_full_parse)
    ledger = Ledger.load(path)
    assert len(parsed_entries) == 1
    assert any(c.text == "Claim number seven: it says something." for c in ledger.claims)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("fail_on: [contradicted, unsupported]", "fail_on: [contradicted, wrong]"),
        ("    line: 5\n", "    line: five\n"),
        ("    line: 5\n", "    line: 5\n    colour: red\n"),
    ],
)
def test_errors_after_a_hand_edit_still_name_the_line(tmp_path: Path, old: str, new: str) -> None:
    path = build_ledger(tmp_path)
    Ledger.load(path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    expected_line = edited[: edited.index(new)].count("\n") + 1
    assert raised.value.line in (expected_line, expected_line + 1)


def test_duplicate_ids_from_a_hand_edit_are_caught(tmp_path: Path) -> None:
    path = build_ledger(tmp_path)
    ledger = Ledger.load(path)
    first, second = ledger.claims[0].id, ledger.claims[1].id
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"id: {second}", f"id: {first}"), encoding="utf-8")
    with pytest.raises(LedgerError):
        Ledger.load(path)


def test_anchors_fall_back_to_a_full_parse(tmp_path: Path) -> None:
    path = build_ledger(tmp_path)
    Ledger.load(path)
    previous = cache.read_latest(path)
    assert previous is not None
    text = path.read_text(encoding="utf-8").replace("urls: [", "urls: &shared [", 1)
    assert parse.reparse(path, text, previous) is None
