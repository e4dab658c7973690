"""Write new claim entries as YAML text directly, in the ledger's own indentation.

A round-trip dump of a whole 10,000-claim ledger takes seconds; a new claim is a small,
known shape (strings, an int, a list of strings, a list of small mappings), so it is
emitted here. Scalars are left plain only when a YAML 1.2 (or 1.1) reader cannot take
them for anything but a string; other printable text is single-quoted, and the rest is
double-quoted with JSON escapes, which YAML's double-quoted style reads the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Words YAML 1.1 or 1.2 readers resolve to booleans, null, the value key or the merge key.
_KEYWORDS = frozenset(["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "=", "<<"])
_NUMBER_LIKE = re.compile(r"[-+]?(?:\.?\d|\.(?:inf|nan))|0[xob]|\d{4}-\d\d?-\d\d?", re.I)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = frozenset(",[]{}")
# Line breaks and separators some YAML readers treat as line breaks, and the BOM.
_NEEDS_ESCAPE = frozenset("\u0085\u2028\u2029\ufeff")


@dataclass(frozen=True)
class Indent:
    """A ledger's block-sequence style: "claims:\\n  - id:" is offset 2, sequence 4."""

    dash_column: int = 2
    """Column of the "-" of each claim entry."""
    sequence: int = 4
    """Indent of a sequence item's content relative to its parent key."""
    offset: int = 2
    """Indent of a sequence item's dash relative to its parent key."""

    @property
    def gap(self) -> int:
        """Columns from a dash to its item's content (at least "- ")."""
        return max(2, self.sequence - self.offset)

    @property
    def content_column(self) -> int:
        return self.dash_column + self.gap


def _is_plain_safe(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or not text.isprintable():
        return False
    if text[0] in _INDICATORS or not _NEEDS_ESCAPE.isdisjoint(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and not _FLOW_SPECIAL.isdisjoint(text):
        return False
    return text.lower() not in _KEYWORDS and _NUMBER_LIKE.match(text) is None


def scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar: ints as is, strings plain when unambiguous, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _is_plain_safe(text, flow=flow):
        return text
    if text.isprintable() and _NEEDS_ESCAPE.isdisjoint(text):
        # Single quotes need no escapes but doubling "'"; ruamel writes them this way too.
        return "'" + text.replace("'", "''") + "'"
    quoted = json.dumps(text, ensure_ascii=False)
    for char in _NEEDS_ESCAPE:
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def _mapping_lines(
    mapping: Mapping[str, object], first_prefix: str, column: int, indent: Indent
) -> list[str]:
    lines: list[str] = []
    for position, (key, value) in enumerate(mapping.items()):
        prefix = first_prefix if position == 0 else " " * column
        if isinstance(value, Sequence) and not isinstance(value, str):
            if all(not isinstance(item, Mapping) for item in value):
                items = ", ".join(scalar(item, flow=True) for item in value)
                lines.append(f"{prefix}{key}: [{items}]\n")
                continue
            lines.append(f"{prefix}{key}:\n")
            for item in value:
                assert isinstance(item, Mapping)
                dash = " " * (column + indent.offset) + "-" + " " * (indent.gap - 1)
                item_column = column + indent.offset + indent.gap
                lines.extend(_mapping_lines(item, dash, item_column, indent))
            continue
        lines.append(f"{prefix}{key}: {scalar(value)}\n")
    return lines


def entry_lines(entry: Mapping[str, object], indent: Indent) -> list[str]:
    """The text of one claim entry ("- id: ..." and its keys), each line ending in "\\n"."""
    first = " " * indent.dash_column + "-" + " " * (indent.gap - 1)
    return _mapping_lines(entry, first, indent.content_column, indent)
