"""Numbers and dates found in text, as comparable values with their character spans.

"1.5 million" and "1,500,000" are both 1500000; "2%" and "two per cent" are both 2 percent;
"26 June 1980", "June 26th, 1980" and "1980-06-26" are the same date, and "June 1980" is a
less specific mention of it (compatible, not conflicting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from verifier.match.tokens import fold, normalise, word_list

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"  # noqa: E501
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>1[0-9]\d\d|20\d\d)"
_DECADE_WORDS = {
    word: tens * 10
    for tens, word in enumerate(
        ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties"),
        start=2,
    )
}
_DECADE_WORDS["nineties"] = 90
_DATE_PATTERNS = [
    # 1980-06-26
    # 1980-06-26, also as a timestamp: 2018-07-28T22:15:40
    re.compile(r"\b(?P<y>1[0-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:\b|(?=T\d))"),
    # 26 June 1980, 26 June, 26th of June 1980
    re.compile(
        r"\b"
        + _DAY.format("d")
        + r"\s+(?:of\s+)?"
        + _MONTH.format("mn")
        + r"(?:\s*,?\s*"
        + _YEAR.format("y")
        + r")?\b",
        re.IGNORECASE,
    ),
    # June 26, 1980; June 26th , 1980; June 1980; June
    re.compile(
        r"\b"
        + _MONTH.format("mn")
        + r"(?:\s+"
        + _DAY.format("d")
        + r"(?![\d,.]*\d{3}))?(?:\s*,?\s*"
        + _YEAR.format("y")
        + r")?\b",
        re.IGNORECASE,
    ),
    # 2018-19, 2018\u201319: a season or academic year, its second year cut to two digits
    re.compile(r"\b" + _YEAR.format("y") + r"[-\u2013/](?P<y2>\d\d)(?![\d\u2013-])"),
    re.compile(r"\b" + _YEAR.format("y") + r"(?P<decade>s|\s?['\u2019]s)?\b"),
    # the fifties, the nineteen-fifties (the twentieth century unless the century is written)
    re.compile(
        r"\b(?:the|early|mid|late)[\s-]+(?P<century>nineteen[\s-]|eighteen[\s-])?(?P<dw>"
        + "|".join(_DECADE_WORDS)
        + r")\b",
        re.IGNORECASE,
    ),
]

_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
    "k": 1e3,
}
_WORD_VALUES = {
    word: float(value)
    for value, word in enumerate(
        word_list(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
_WORD_VALUES.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
)
_WORD_VALUES.update({"ninety": 90, "hundred": 100, "dozen": 12})
_NUMBER = re.compile(
    # Not inside identifiers: "MS-06", "F-16", "B52", "v2.1".
    r"(?<![\w.])(?<![A-Za-z]-)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|dozen))"
    r"(?:st|nd|rd|th)?"
    r"(?:\s*(?P<scale>thousand|millions?|billions?|trillion|bn|m|k)\b)?"
    r"(?:\s*(?P<percent>%|per\s*cent\b|percent\b))?"
    r"(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written; fields the text leaves out are None ("June 1980": day None)."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    decade: bool = False
    """"the 1990s": `year` is the decade's first year and stands for any of its ten."""

    def _same_year(self, other: DateMention) -> bool | None:
        """Whether the years agree (a decade agrees with each of its years); None when
        either mention leaves the year out."""
        if self.year is None or other.year is None:
            return None
        if self.decade or other.decade:
            wide, narrow = (self, other) if self.decade else (other, self)
            assert wide.year is not None and narrow.year is not None
            return wide.year <= narrow.year < wide.year + 10 and (
                not narrow.decade or narrow.year == wide.year
            )
        return self.year == other.year

    def compatible_with(self, other: DateMention) -> bool:
        """True when no field both mentions give differs."""
        return self._same_year(other) is not False and all(
            mine is None or theirs is None or mine == theirs
            for mine, theirs in ((self.month, other.month), (self.day, other.day))
        )

    def backed_by(self, other: DateMention) -> bool:
        """True when `other` states at least everything this mention states, identically
        ("the 1990s" is stated by "1994"; "1994" is not by "the 1990s")."""
        if self.year is not None and other.year is None:
            return False
        if self.year is not None and not self._same_year(other):
            return False
        if self.year is not None and other.decade and not self.decade:
            return False
        return all(
            mine is None or mine == theirs
            for mine, theirs in ((self.month, other.month), (self.day, other.day))
        )

    def backed_in(self, others: list[DateMention], years: frozenset[int]) -> bool:
        """Backed by one of `others`, where a day and month written without a year ("died on
        May 7") take a year the same source states elsewhere (its dateline, "May 10, 2018"):
        news pages rarely repeat the year of recent events."""
        for other in others:
            if self.backed_by(other):
                return True
            if (
                other.year is None
                and other.day is not None
                and self.year in years
                and replace(self, year=None).backed_by(other)
            ):
                return True
        return False


def years_of(dates: list[DateMention]) -> frozenset[int]:
    """The years the given mentions state."""
    return frozenset(date.year for date in dates if date.year is not None)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A quantity as written, with the value it denotes (scale words and percent applied)."""

    start: int
    end: int
    value: float
    percent: bool
    precision: float
    """The rounding the text implies: "1.5 million" -> 100000, "12" -> 1."""
    bound: str = ""
    """How the text bounds the value: "" exact, ">" ("more than"), ">=" ("at least"), "<"
    ("less than"), "<=" ("up to"), "~" ("about")."""

    def matches(self, other: NumberMention) -> bool:
        """True when `other` backs this mention: the same value at this mention's precision,
        or, for a bounded claim ("more than 100,000"), a value inside the bound."""
        if self.percent != other.percent and self.percent:
            return False
        equal = abs(self.value - other.value) < 1e-9 * max(1.0, abs(self.value))
        if self.bound and other.bound == self.bound and equal:
            return True
        if self.bound in (">", ">="):
            above = other.value > self.value or (self.bound == ">=" and equal)
            return above and other.bound in ("", ">", ">=")
        if self.bound in ("<", "<="):
            below = other.value < self.value or (self.bound == "<=" and equal)
            return below and other.bound in ("", "<", "<=")
        if self.bound == "~" and abs(self.value - other.value) <= APPROXIMATION * abs(self.value):
            return True
        if equal:
            return True
        return self.precision > 1 and abs(self.value - other.value) <= self.precision / 2


APPROXIMATION = 0.1
"""How far "about 500" may be from the stated value."""

_BOUNDS = [
    (
        re.compile(
            r"\b(?:more|greater|higher|larger|bigger)\s+than\s+$|\b(?:over|above|exceeding)\s+$"
            r"|\bin\s+excess\s+of\s+$|\bupwards\s+of\s+$",
            re.IGNORECASE,
        ),
        ">",
    ),
    (re.compile(r"\bat\s+least\s+$|\bno\s+(?:fewer|less)\s+than\s+$", re.IGNORECASE), ">="),
    (
        re.compile(r"\b(?:less|fewer|lower)\s+than\s+$|\b(?:under|below)\s+$", re.IGNORECASE),
        "<",
    ),
    (re.compile(r"\bat\s+most\s+$|\bup\s+to\s+$|\bno\s+more\s+than\s+$", re.IGNORECASE), "<="),
    (
        re.compile(
            r"\b(?:about|around|approximately|roughly|nearly|almost|some|circa|approx\.?|c\.)\s+$",
            re.IGNORECASE,
        ),
        "~",
    ),
]


def _bound_before(text: str, start: int) -> str:
    before = text[max(0, start - 24) : start]
    for pattern, bound in _BOUNDS:
        if pattern.search(before):
            return bound
    return ""


def find_dates(text: str) -> list[DateMention]:
    """Dates in `text`, most specific first where mentions overlap."""
    found: list[DateMention] = []
    taken = bytearray(len(text))  # 1 where an earlier, more specific pattern matched
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if 1 in taken[span[0] : span[1]]:
                continue
            groups = match.groupdict()
            month = _month(groups.get("m"), groups.get("mn"))
            day = int(groups["d"]) if groups.get("d") else None
            year = int(groups["y"]) if groups.get("y") else None
            decade = bool(groups.get("decade") or groups.get("dw"))
            if groups.get("dw"):
                century = 1800 if fold(groups.get("century") or "").startswith("eighteen") else 1900
                year = century + _DECADE_WORDS[fold(groups["dw"])]
            if decade and year is not None and year % 10:
                decade = False  # "1995s" is no decade; read it as the year
            if month is None and year is None:
                continue
            if (
                groups.get("mn")
                and fold(groups["mn"]) == "may"
                and day is None
                and year is None
                and not _MONTH_CONTEXT.search(text, 0, span[0])
            ):
                continue  # the verb "may" ("in May" is the month)
            if day is not None and not 1 <= day <= 31:
                day = None
            if groups.get("y2") and year is not None:
                second = _second_year(year, int(groups["y2"]))
                if second is None:
                    continue
                # Two years, each on its own digits, so either can face a page's date.
                found.append(DateMention(span[0], span[0] + 4, year, None, None))
                found.append(DateMention(match.start("y2"), span[1], second, None, None))
                taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
                continue
            found.append(DateMention(span[0], span[1], year, month, day, decade))
            taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
    found.sort(key=lambda mention: mention.start)
    return found


def _second_year(first: int, short: int) -> int | None:
    """The year "19" ends in "2018-19" (the next one, or a few later); None when the digits
    cannot continue the first year ("2018-05" is a month)."""
    second = first - first % 100 + short
    if second <= first:
        second += 100
    return second if second - first <= 3 else None


_MONTH_CONTEXT = re.compile(
    r"\b(?:in|of|since|until|till|by|from|to|through|during|early|late|mid|last|next)[\s-]+$",
    re.IGNORECASE,
)


def find_mentions(
    text: str, start: int = 0, end: int | None = None
) -> tuple[list[DateMention], list[NumberMention]]:
    """Dates and numbers in text[start:end], with offsets into `text`."""
    piece = text[start:end]
    dates = find_dates(piece)
    numbers = find_numbers(piece, dates)
    if start:
        dates = [replace(d, start=d.start + start, end=d.end + start) for d in dates]
        numbers = [replace(n, start=n.start + start, end=n.end + start) for n in numbers]
    return dates, numbers


def index_words(mention: DateMention | NumberMention) -> set[str]:
    """Normal forms of words a page must contain to state `mention` (to find it cheaply)."""
    if isinstance(mention, DateMention):
        if mention.decade and mention.year is not None:
            years = {str(mention.year + offset) for offset in range(10)}
            return years | {normalise(f"{mention.year}s")}
        if mention.year is not None:
            return {str(mention.year)}
        return {normalise(name) for name, number in MONTHS.items() if number == mention.month}
    words = {
        normalise(_plain(mention.value / scale))
        for scale in (1, 1e3, 1e6, 1e9, 1e12)
        if scale == 1 or mention.value >= scale
    }
    if mention.value % 10 == 0 and 10 <= mention.value <= 1000:
        # "50 years" may be written "five decades", "200 years" "two centuries".
        words.update(normalise(_plain(mention.value / 10**power)) for power in (1, 2))
    if mention.precision > 1:
        words.update(("thousand", "million", "billion", "trillion", "bn"))
    return words


def _plain(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _month(number: str | None, name: str | None) -> int | None:
    if number:
        value = int(number)
        return value if 1 <= value <= 12 else None
    if name:
        return MONTHS.get(fold(name).rstrip("."))
    return None


_PERIODS = re.compile(r"\s+(decades?|centuries|century)\b", re.IGNORECASE)


def find_numbers(text: str, dates: list[DateMention] | None = None) -> list[NumberMention]:
    """Quantities in `text` outside the given date spans (years are dates, not counts)."""
    in_date = bytearray(len(text))
    for date in find_dates(text) if dates is None else dates:
        in_date[date.start : date.end] = b"\x01" * (date.end - date.start)
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if 1 in in_date[start:end]:
            continue
        raw = fold(match.group("num"))
        if raw in _WORD_VALUES:
            value, precision = _WORD_VALUES[raw], 1.0
        else:
            digits = raw.replace(",", "")
            value = float(digits)
            decimals = len(digits.partition(".")[2])
            precision = 10.0**-decimals
        scale_word = match.group("scale")
        if scale_word:
            scale = _SCALES[fold(scale_word)]
            if scale_word in ("m", "k") and raw in _WORD_VALUES:
                continue  # "two m" is not a quantity
            value *= scale
            precision *= scale
        unit = _PERIODS.match(text, end)
        if unit is not None and match.end("num") == end:  # not "the 15th century"
            # "five decades" is 50 years, "two centuries" 200: the same span as a count of years.
            years = 10.0 if fold(unit.group(1)).startswith("decade") else 100.0
            value *= years
            precision *= years
        percent = match.group("percent") is not None
        found.append(
            NumberMention(start, end, value, percent, precision, _bound_before(text, start))
        )
    return found
