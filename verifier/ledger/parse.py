"""The full parse of claims.yaml: validation with file:line errors, and the text layout."""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from verifier.errors import LedgerError
from verifier.ledger import config
from verifier.ledger.entries import FieldError, claim_from_entry
from verifier.ledger.text import (
    indentation,
    is_filler,
    line_of,
    load_yaml,
    plain,
    round_trip_yaml,
    split_lines,
)
from verifier.settings import Settings

TOP_KEYS = ("articles", "settings", "fetch", "claims")


def parse(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Parse and validate `text`; returns the cache payload and the text it describes.

    The text differs from the input only when a flow-style claims list (`claims: [{...}]`)
    had to be rewritten in block style, where entries can be edited one by one.
    """
    try:
        document = load_yaml(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        raise LedgerError(
            f"invalid YAML: {problem}",
            path=str(path),
            line=mark.line + 1 if mark is not None else None,
            hint="fix the YAML syntax; nothing was changed",
        ) from None
    except YAMLError as error:
        raise LedgerError(f"invalid YAML: {error}", path=str(path)) from None
    if document is None:
        document = CommentedMap()
    if not isinstance(document, CommentedMap):
        raise LedgerError(
            "must be a mapping with articles, settings, fetch and claims", path=str(path), line=1
        )
    validator = Validator(path, document)
    validator.check()
    entries = document.get("claims")
    if isinstance(entries, CommentedSeq) and entries and entries.fa.flow_style():
        entries.fa.set_block_style()
        for entry in entries:
            entry.fa.set_block_style()
        buffer = io.StringIO()
        round_trip_yaml().dump(document, buffer)
        return parse(path, buffer.getvalue())
    where = layout(document, text)
    payload = {
        "articles": list(validator.articles),
        "settings": plain(document.get("settings")),
        "fetch": plain(document.get("fetch")),
        "claims": [plain(entry) for entry in entries or ()],
        "layout": where,
        "blocks": block_hashes(split_lines(text), where["starts"], where["block_end"]),
    }
    return payload, text


def block_hashes(lines: Sequence[str], starts: Sequence[int], block_end: int) -> list[str]:
    """A hash of each claim entry's text (its comments included), to recognise it later."""
    bounds = [*starts, block_end]
    return [
        hashlib.sha1("".join(lines[bounds[i] : bounds[i + 1]]).encode("utf-8")).hexdigest()
        for i in range(len(starts))
    ]


# Text that a block-by-block parse could read differently from a whole-document one:
# document markers, directives, anchors, aliases and tags (they can reach across entries).
_CONTEXTUAL = re.compile(r"^(?:---|\.\.\.|%)|(?:^|[\s\[{,])[&*!][^\s,\]}]", re.MULTILINE)
_CLAIMS_KEY = re.compile(r"claims:[ \t]*(?:#.*)?(?:\r\n|[\n\r\x85\u2028\u2029])?$")


def reparse(path: Path, text: str, previous: Mapping[str, Any]) -> dict[str, Any] | None:
    """The parse of `text`, reusing `previous` for every claim entry whose text is unchanged.

    For a hand edit of a large ledger: only changed entries and the short head and tail
    are parsed. Returns None whenever the shortcut could differ from a full parse (the
    claims list moved or was re-indented, anchors or tags, any validation error): the
    caller then runs `parse`, which also gives exact error lines.
    """
    old_layout = previous["layout"]  # cache.well_formed has checked the shape
    dash_column = int(old_layout["indent"][0])
    old_blocks = list(previous["blocks"])
    old_claims = list(previous["claims"])
    if old_layout.get("claims_line") is None or len(old_blocks) != len(old_claims):
        return None
    if _CONTEXTUAL.search(text):
        return None
    lines = split_lines(text)
    keys = [number for number, line in enumerate(lines) if _CLAIMS_KEY.match(line)]
    if len(keys) != 1:
        return None
    claims_line = keys[0]
    dash_lines, block_end = _scan_claims(lines, claims_line, dash_column)
    if not dash_lines:
        return None
    starts = _entry_starts(lines, claims_line, dash_lines)
    reusable: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
    for block, claim in zip(old_blocks, old_claims, strict=True):
        reusable[block].append(claim)
    hashes = block_hashes(lines, starts, block_end)
    bounds = [*starts, block_end]
    claims: list[dict[str, Any]] = []
    for index, block in enumerate(hashes):
        queue = reusable.get(block)
        if queue:
            claims.append(queue.popleft())
            continue
        parsed = _parse_entry("".join(lines[bounds[index] : bounds[index + 1]]))
        if parsed is None:
            return None
        claims.append(parsed)
    ids = [str(claim["id"]) for claim in claims if claim.get("id")]
    if len(set(ids)) != len(ids):
        return None
    rest = _parse_rest(path, "".join(lines[: starts[0]] + lines[block_end:]))
    if rest is None:
        return None
    document, validator = rest
    return {
        "articles": list(validator.articles),
        "settings": plain(document.get("settings")),
        "fetch": plain(document.get("fetch")),
        "claims": claims,
        "layout": {
            "head_end": starts[0],
            "starts": starts,
            "block_end": block_end,
            "indent": list(old_layout["indent"]),
            "claims_line": claims_line,
        },
        "blocks": hashes,
    }


def _scan_claims(lines: Sequence[str], claims_line: int, dash_column: int) -> tuple[list[int], int]:
    """Dash lines of the entries under a top-level `claims:`, and where the list ends."""
    dash_lines: list[int] = []
    block_end = len(lines)
    for number in range(claims_line + 1, len(lines)):
        line = lines[number]
        if is_filler(line):
            continue
        column = indentation(line)
        if (
            column == dash_column
            and line[column:].startswith("-")
            and line[column + 1 : column + 2] in (" ", "\n", "\r", "")
        ):
            dash_lines.append(number)
            continue
        if not dash_lines:
            return [], block_end  # something other than an entry right after `claims:`
        if column > 0:
            continue
        block_end = number
        break
    while (
        dash_lines
        and block_end - 1 > dash_lines[-1]
        and is_filler(lines[block_end - 1])
        and indentation(lines[block_end - 1]) == 0
    ):
        block_end -= 1
    return dash_lines, block_end


def _entry_starts(lines: Sequence[str], claims_line: int, dash_lines: Sequence[int]) -> list[int]:
    """Each entry starts at its dash, or higher if blank lines and comments lead up to it."""
    starts: list[int] = []
    bound = claims_line
    for dash_line in dash_lines:
        start = dash_line
        while start - 1 > bound and is_filler(lines[start - 1]):
            start -= 1
        starts.append(start)
        bound = dash_line
    return starts


def _parse_entry(block: str) -> dict[str, Any] | None:
    try:
        sequence = load_yaml(block)
    except YAMLError:
        return None
    if not isinstance(sequence, CommentedSeq) or len(sequence) != 1:
        return None
    entry = sequence[0]
    if not isinstance(entry, CommentedMap):
        return None
    try:
        claim_from_entry(entry, validate=True)
    except FieldError:
        return None
    parsed: dict[str, Any] = plain(entry)
    return parsed


def _parse_rest(path: Path, text: str) -> tuple[CommentedMap, Validator] | None:
    """The ledger without its claims (`claims:` left empty), parsed and validated."""
    try:
        document = load_yaml(text)
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap) or document.get("claims") is not None:
        return None
    validator = Validator(path, document)
    try:
        validator.check()
    except LedgerError:
        return None
    return document, validator


def layout(document: CommentedMap, text: str) -> dict[str, Any]:
    """Where the claims sit in `text`: head | entry blocks | tail, and the indentation."""
    lines = split_lines(text)
    if "claims" not in document:
        return {
            "head_end": len(lines),
            "starts": [],
            "block_end": len(lines),
            "indent": [2, 4, 2],
            "claims_line": None,
        }
    claims_line, claims_column = document.lc.key("claims")
    entries = document["claims"]
    if not entries:
        after = claims_line + 1
        return {
            "head_end": after,
            "starts": [],
            "block_end": after,
            "indent": [claims_column + 2, 4, 2],
            "claims_line": claims_line,
        }
    dash_lines: list[int] = []
    dash_column = claims_column + 2
    content_column = dash_column + 2
    for index in range(len(entries)):
        item_line, item_column = entries.lc.item(index)
        dash_line = item_line
        for candidate in range(item_line, max(item_line - 3, claims_line), -1):
            if lines[candidate].lstrip().startswith("-"):
                dash_line = candidate
                break
        dash_lines.append(dash_line)
        if index == 0:
            dash_column = indentation(lines[dash_line])
            content_column = item_column
    starts = _entry_starts(lines, claims_line, dash_lines)
    block_end = len(lines)
    for number in range(dash_lines[-1] + 1, len(lines)):
        line = lines[number]
        if is_filler(line) or indentation(line) > claims_column:
            continue
        if indentation(line) == dash_column and line.lstrip().startswith("-"):
            continue
        block_end = number
        break
    while (
        block_end - 1 > dash_lines[-1]
        and is_filler(lines[block_end - 1])
        and indentation(lines[block_end - 1]) <= claims_column
    ):
        block_end -= 1
    return {
        "head_end": starts[0],
        "starts": starts,
        "block_end": block_end,
        "indent": [
            dash_column,
            content_column - claims_column,
            dash_column - claims_column,
        ],
        "claims_line": claims_line,
    }


class Validator:
    """Checks a round-trip document; every error names the line of the offending key."""

    def __init__(self, path: Path, document: CommentedMap) -> None:
        self.path = path
        self.document = document
        self.articles: tuple[str, ...] = ()

    def error(
        self, message: str, node: object = None, key: object = None, hint: str | None = None
    ) -> LedgerError:
        line = line_of(node, key) if node is not None else None
        return LedgerError(message, path=str(self.path), line=line, hint=hint)

    def check(self) -> None:
        for key in self.document:
            if key not in TOP_KEYS:
                raise self.error(
                    f"unknown key {key!r}",
                    self.document,
                    key,
                    hint=f"top-level keys are: {', '.join(TOP_KEYS)}",
                )
        self.check_settings()
        self.check_articles()
        self.check_claims()

    def check_settings(self) -> None:
        settings = Settings()
        for section in config.sections_of(self.document):
            node = self.document[section]
            if node is None:
                continue
            if not isinstance(node, CommentedMap):
                raise self.error(f"{section} must be a mapping", self.document, section)
            for key, value in node.items():
                try:
                    option = config.find_option(section, key)
                    settings = config.apply_value(settings, option, value)
                except config.InvalidValue as problem:
                    error = self.error(
                        f"{section}.{key}: {problem}",
                        node,
                        key,
                        hint=f"{section} keys are: {config.known_keys(section)}",
                    )
                    error.line = problem.line or error.line
                    raise error from None

    def check_articles(self) -> None:
        patterns = self.document.get("articles")
        if patterns is None:
            return
        if not isinstance(patterns, list) or not all(
            isinstance(p, str) and p.strip() for p in patterns
        ):
            raise self.error(
                "articles must be a list of paths or glob patterns",
                self.document,
                "articles",
                hint="e.g. articles: [articles/*.md]",
            )
        self.articles = tuple(patterns)

    def check_claims(self) -> None:
        entries = self.document.get("claims")
        if entries is None:
            return
        if not isinstance(entries, CommentedSeq):
            raise self.error("claims must be a list", self.document, "claims")
        seen: dict[str, int | None] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, CommentedMap):
                raise LedgerError(
                    "each claim must be a mapping with at least text and urls",
                    path=str(self.path),
                    line=line_of(entries, index),
                )
            try:
                claim = claim_from_entry(entry, validate=True)
            except FieldError as problem:
                raise self.error(
                    f"claim {index + 1}: {problem.field}: {problem.message}",
                    entry if problem.field in entry else entries,
                    problem.field if problem.field in entry else index,
                    hint=problem.hint,
                ) from None
            if claim.id:
                if claim.id in seen:
                    raise self.error(
                        f"duplicate id {claim.id!r} (first used on line {seen[claim.id]})",
                        entry,
                        "id",
                        hint="give each claim its own id, or delete the id to have one assigned",
                    )
                seen[claim.id] = line_of(entry, "id")


def settings_from(sections: Mapping[str, Any], path: Path) -> Settings:
    """Settings from already validated plain sections (a cache hit or a checked document)."""
    settings = Settings()
    for section in ("settings", "fetch"):
        values = sections.get(section)
        if not values:
            continue
        for key, value in values.items():
            try:
                settings = config.apply_value(settings, config.find_option(section, key), value)
            except config.InvalidValue as problem:
                raise LedgerError(f"{section}.{key}: {problem}", path=str(path)) from None
    return settings
