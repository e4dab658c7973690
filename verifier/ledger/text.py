"""Text-level helpers for claims.yaml: lines as ruamel counts them, round-trip settings."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from verifier.ledger.emit import Indent

DEFAULT_INDENT = Indent()


def round_trip_yaml(indent: Indent = DEFAULT_INDENT) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Never fold a long claim sentence or URL across lines: one claim field, one line.
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=indent.sequence, offset=indent.offset)
    return yaml


def load_yaml(text: str) -> Any:
    """The round-trip document of `text`; every way the YAML can be wrong is a YAMLError.

    ruamel raises other exceptions for some well-formed but unbuildable documents: a
    mapping used as a key inside a mapping (TypeError), a date or a tagged number that is
    not one (`2024-13-45`, `!!int x`: ValueError), nesting thousands deep (RecursionError).
    """
    try:
        return round_trip_yaml().load(text)
    except (TypeError, ValueError, RecursionError) as error:
        if isinstance(error, RecursionError):
            raise YAMLError("nested too deeply") from None
        raise YAMLError(f"a value YAML cannot build ({error})") from None


def line_of(node: object, key: object = None) -> int | None:
    """1-based line of `node` (or of `key` inside it), when ruamel recorded one."""
    try:
        if key is None:
            return int(node.lc.line) + 1  # type: ignore[attr-defined]
        if isinstance(node, CommentedSeq):
            return int(node.lc.item(key)[0]) + 1
        return int(node.lc.key(key)[0]) + 1  # type: ignore[attr-defined]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def plain(value: object) -> Any:
    """ruamel values -> JSON-compatible values (dates as ISO strings)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


_LINE = re.compile(
    r"[^\n\r\x85\u2028\u2029]*(?:\r\n|[\n\r\x85\u2028\u2029])|[^\n\r\x85\u2028\u2029]+$"
)


def split_lines(text: str) -> list[str]:
    """Lines as ruamel.yaml counts them (it also breaks at U+0085, U+2028, U+2029), with ends."""
    return _LINE.findall(text)


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _newline_offsets(text: str, numbers: Sequence[int]) -> list[int]:
    offsets: list[int] = []
    find, end = text.find, len(text)
    position = line = 0
    for number in numbers:
        while line < number and position < end:
            found = find("\n", position)
            position = end if found < 0 else found + 1
            line += 1
        offsets.append(position)
    return offsets


def line_offsets(text: str, numbers: Sequence[int]) -> list[int]:
    """Where each of the lines `numbers` (0-based, ascending) starts in `text`, as a character
    offset; a number past the last line gives len(text). Lines as `split_lines` counts them,
    found without keeping them."""
    if not _OTHER_BREAKS.search(text):
        # Only "\n" ends lines (nearly every ledger): stepping from newline to newline is
        # five times faster than matching each line, and keeps no list of the lines (at
        # 30,000 claims that list was a third of a run's peak memory).
        return _newline_offsets(text, numbers)
    offsets: list[int] = []
    wanted = iter(numbers)
    number = next(wanted, None)
    for index, found in enumerate(_LINE.finditer(text)):
        while number is not None and number == index:
            offsets.append(found.start())
            number = next(wanted, None)
        if number is None:
            return offsets
    while number is not None:
        offsets.append(len(text))
        number = next(wanted, None)
    return offsets


def is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def shift_dash(lines: list[str], indent: Indent) -> list[str]:
    """Move a dumped entry so its dash sits in the ledger's dash column (comments stay)."""
    dash_line = next((line for line in lines if line.lstrip().startswith("-")), None)
    if dash_line is None:
        return lines
    delta = indent.dash_column - indentation(dash_line)
    if delta == 0:
        return lines
    shifted: list[str] = []
    for line in lines:
        if is_filler(line):
            shifted.append(line)
        elif delta > 0:
            shifted.append(" " * delta + line)
        else:
            shifted.append(line[min(-delta, indentation(line)) :])
    return shifted
