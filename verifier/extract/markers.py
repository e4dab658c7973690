"""Reading the label(s) inside a footnote marker: "3", "iv", "2-4", "2, 3", "¹²"."""

from __future__ import annotations

import re

_SUPERSCRIPT_DIGITS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789"
)
_SINGLE_LABEL = re.compile(r"\d{1,3}|[ivxlcdm]{1,7}|[a-z]", re.I)
_RANGE = re.compile(r"(\d{1,3})\s*[-\u2013\u2014]\s*(\d{1,3})")
_LONGEST_RANGE = 50


def superscript_to_digits(text: str) -> str:
    return text.translate(_SUPERSCRIPT_DIGITS)


def expand_labels(inside: str) -> list[str]:
    """The labels a marker's inside names, ranges expanded; [] when it is not a marker
    ("[sic]", "[2024]", "[a, b, c, d ...]" prose in brackets)."""
    labels: list[str] = []
    for part in inside.split(","):
        part = part.strip()
        range_match = _RANGE.fullmatch(part)
        if range_match:
            first, last = int(range_match.group(1)), int(range_match.group(2))
            if not 0 < last - first <= _LONGEST_RANGE:
                return []
            labels.extend(str(number) for number in range(first, last + 1))
        elif _SINGLE_LABEL.fullmatch(part):
            labels.append(part)
        else:
            return []
    return labels
