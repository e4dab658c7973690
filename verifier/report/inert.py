"""Output that the GitHub Actions runner never takes for a workflow command.

The runner reads a command from any line of a step's output that opens with "::" (after
blanks) and, in the legacy syntax, from "##[" anywhere in a line; it splits lines at CR as
well as LF. A claim's text saying "X.\\n::add-mask::..." or "##[stop-commands]..." would be
obeyed if printed as is. `inert` breaks both forms by writing one character another way: a
JSON or XML character reference keeps a document's data unchanged, and a console line shows
an escape. `one_line` keeps a claim's own line breaks out of a one-line-per-finding list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LINE_BREAK = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_COMMAND_START = re.compile(r"(?:^|(?<=\r))([^\S\r\n]*):(?=:)|#(?=#\[)", re.MULTILINE)
"""The first character of "::" opening a line, and of every "##["."""


def one_line(text: str) -> str:
    """`text` with every line break (CR, LF, and the Unicode separators) turned into a space."""
    return _LINE_BREAK.sub(" ", text)


def console_reference(character: str) -> str:
    """A visible escape for a console: "\\x3a" for ":"."""
    return f"\\x{ord(character):02x}"


def json_reference(character: str) -> str:
    """A JSON string escape (only "##[" can need it: a JSON line never opens with "::")."""
    return f"\\u{ord(character):04x}"


def xml_reference(character: str) -> str:
    """An XML character reference: parses back to the same character."""
    return f"&#{ord(character)};"


def inert(text: str, reference: Callable[[str], str] = console_reference) -> str:
    """`text` with the ":" opening each line's "::" and the "#" opening each "##[" written
    as `reference(character)`; everything else unchanged."""
    return _COMMAND_START.sub(
        lambda match: (match.group(1) or "") + reference(match.group(0)[-1]), text
    )
