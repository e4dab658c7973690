"""Dates found in text, as intervals of days with the qualifiers that bound them.

"26 June 1980", "June 26th, 1980", "1980-06-26" and "1980.06.26" are one day; "June 1980"
is that month and "the 1990s" ten years; "early 2016" is its first third, "late 2016" its
last. A qualifier opens the interval: "before 27 May 2020" is every day up to 26 May,
"since 2001" every day from 1 January 2001, "by", "until" and "as of" every day up to the
end of the date. Two dates agree when their intervals overlap; one backs another when its
interval lies inside the other's ("26 June 1980" backs "June 1980", not the other way).
A date written without a year ("on May 7") is compared field by field.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from verifier.match.tokens import fold

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
    # 1980-06-26, also as a timestamp: 2018-07-28T22:15:40; 1980.06.26, 1980/06/26
    re.compile(
        r"\b(?P<y>1[0-9]\d\d|20\d\d)(?P<sep>[-./])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)"
        r"(?:\b|(?=T\d))"
    ),
    # 26.06.1980, 26/06/1980, 06/26/1980: the day and month are told apart by their values
    re.compile(r"\b(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)(?P<y>1[0-9]\d\d|20\d\d)\b"),
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

_PART = re.compile(r"\b(?P<part>early|mid|late)(?:\s+in)?(?:\s+the)?[\s-]*$", re.IGNORECASE)
"""'early 2016', 'mid-1990s', 'late in 2016': a third of the period."""

_BOUNDS = (
    (re.compile(r"\b(?:before|prior\s+to|earlier\s+than)\s+(?:the\s+)?$", re.I), "<"),
    (re.compile(r"\b(?:by|until|till|through|as\s+of|up\s+to)\s+(?:the\s+)?$", re.I), "<="),
    (re.compile(r"\b(?:after|later\s+than)\s+(?:the\s+)?$", re.I), ">"),
    (re.compile(r"\b(?:since)\s+(?:the\s+)?$", re.I), ">="),
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
    part: str = ""
    """"early", "mid" or "late": a third of the period written."""
    bound: str = ""
    """"<" (before), "<=" (by, until, as of), ">" (after), ">=" (since): the days before or
    after the date rather than the date itself."""
    swappable: bool = False
    """A numeric date whose day and month could be either way round ("06/11/2003")."""

    def days(self) -> tuple[float, float] | None:
        """The first and last day (proleptic ordinals) the mention covers, with its bound;
        None without a year. Open ends are infinite."""
        if self.year is None:
            return None
        low, high = self._period()
        if self.bound == "<":
            return -_FOREVER, low - 1
        if self.bound == "<=":
            return -_FOREVER, high
        if self.bound == ">":
            return high + 1, _FOREVER
        if self.bound == ">=":
            return low, _FOREVER
        return low, high

    def _period(self) -> tuple[int, int]:
        assert self.year is not None
        year = self.year
        if self.decade:
            first, last = _ordinal(year, 1, 1), _ordinal(year + 9, 12, 31)
        elif self.month is None:
            first, last = _ordinal(year, 1, 1), _ordinal(year, 12, 31)
        elif self.day is None:
            first = _ordinal(year, self.month, 1)
            last = _ordinal(year, self.month, calendar.monthrange(year, self.month)[1])
        else:
            day = min(self.day, calendar.monthrange(year, self.month)[1])
            return _ordinal(year, self.month, day), _ordinal(year, self.month, day)
        if self.part:
            third = (last - first + 1) / 3
            index = ("early", "mid", "late").index(self.part)
            first, last = round(first + index * third), round(first + (index + 1) * third) - 1
        return first, last

    def readings(self) -> tuple[DateMention, ...]:
        """The mention, and with day and month swapped when the writing allows both."""
        if not self.swappable:
            return (self,)
        return self, replace(self, month=self.day, day=self.month, swappable=False)

    def compatible_with(self, other: DateMention) -> bool:
        """True when the two could be the same date: their intervals overlap (or, without a
        year on either side, no field both give differs)."""
        return any(mine._agrees(theirs) for mine in self.readings() for theirs in other.readings())

    def backed_by(self, other: DateMention) -> bool:
        """True when `other` states at least everything this mention states: its interval lies
        inside this one's ("the 1990s" is stated by "1994"; "1994" is not by "the 1990s")."""
        return any(mine._within(theirs) for mine in self.readings() for theirs in other.readings())

    def _agrees(self, other: DateMention) -> bool:
        mine, theirs = self.days(), other.days()
        if mine is not None and theirs is not None:
            return mine[0] <= theirs[1] and theirs[0] <= mine[1]
        return all(
            a is None or b is None or a == b
            for a, b in ((self.month, other.month), (self.day, other.day))
        )

    def _within(self, other: DateMention) -> bool:
        mine, theirs = self.days(), other.days()
        if mine is not None and theirs is not None:
            return mine[0] <= theirs[0] and theirs[1] <= mine[1]
        if self.year is not None and other.year is None:
            return False
        return all(
            a is None or a == b for a, b in ((self.month, other.month), (self.day, other.day))
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


_FOREVER = float(datetime.date.max.toordinal() + 1)


def _ordinal(year: int, month: int, day: int) -> int:
    return datetime.date(year, month, day).toordinal()


def years_of(dates: list[DateMention]) -> frozenset[int]:
    """The years the given mentions state."""
    return frozenset(date.year for date in dates if date.year is not None)


def find_dates(text: str) -> list[DateMention]:
    """Dates in `text`, most specific first where mentions overlap."""
    found: list[DateMention] = []
    taken = bytearray(len(text))  # 1 where an earlier, more specific pattern matched
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if 1 in taken[span[0] : span[1]]:
                continue
            mention = _mention(text, match)
            if mention is None:
                continue
            found.extend(mention)
            taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
    found.sort(key=lambda mention: mention.start)
    return found


def _mention(text: str, match: re.Match[str]) -> list[DateMention] | None:
    """The date(s) one pattern match writes, None when it writes none."""
    groups = match.groupdict()
    start, end = match.span()
    year = int(groups["y"]) if groups.get("y") else None
    if groups.get("a"):
        return _numeric(start, end, int(groups["a"]), int(groups["b"]), year, text)
    month = _month(groups.get("m"), groups.get("mn"))
    day = int(groups["d"]) if groups.get("d") else None
    decade = bool(groups.get("decade") or groups.get("dw"))
    if groups.get("dw"):
        century = 1800 if fold(groups.get("century") or "").startswith("eighteen") else 1900
        year = century + _DECADE_WORDS[fold(groups["dw"])]
    if decade and year is not None and year % 10:
        decade = False  # "1995s" is no decade; read it as the year
    if month is None and year is None:
        return None
    if groups.get("m") and month is None:
        return None  # "2018-13-01" is no date
    if (
        groups.get("mn")
        and fold(groups["mn"]) == "may"
        and day is None
        and year is None
        and not _MONTH_CONTEXT.search(text, 0, start)
    ):
        return None  # the verb "may" ("in May" is the month)
    if day is not None and not 1 <= day <= 31:
        day = None
    if groups.get("y2") and year is not None:
        second = _second_year(year, int(groups["y2"]))
        if second is None:
            return None
        # Two years, each on its own digits, so either can face a page's date.
        return [
            DateMention(start, start + 4, year, None, None),
            DateMention(match.start("y2"), end, second, None, None),
        ]
    part, first = _part_before(text, start, match.group())
    bound, first = _bound_before(text, first)
    return [DateMention(first, end, year, month, day, decade, part, bound)]


def _numeric(
    start: int, end: int, first: int, second: int, year: int | None, text: str
) -> list[DateMention] | None:
    """A day and month written as numbers around a year: told apart when one exceeds 12."""
    if not (1 <= first <= 31 and 1 <= second <= 31) or (first > 12 and second > 12):
        return None
    if first > 12:
        day, month, swappable = first, second, False
    elif second > 12:
        day, month, swappable = second, first, False
    else:
        day, month, swappable = first, second, first != second
    bound, first = _bound_before(text, start)
    return [DateMention(first, end, year, month, day, bound=bound, swappable=swappable)]


def _part_before(text: str, start: int, written: str) -> tuple[str, int]:
    """The third of the period a word before the date names ("early 2016"), and where the
    mention then starts (the qualifier is part of what the text says)."""
    if re.match(r"(?i)(early|mid|late)\b", written):
        return fold(written.split()[0].split("-")[0]), start
    found = _PART.search(text, max(start - 16, 0), start)
    return (fold(found.group("part")), found.start()) if found else ("", start)


def _bound_before(text: str, start: int) -> tuple[str, int]:
    """The bound the words before the date set ("before", "since"), and the mention's start."""
    window = max(start - 16, 0)
    for pattern, bound in _BOUNDS:
        found = pattern.search(text, window, start)
        if found is not None:
            return bound, found.start()
    return "", start


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


def _month(number: str | None, name: str | None) -> int | None:
    if number:
        value = int(number)
        return value if 1 <= value <= 12 else None
    if name:
        return MONTHS.get(fold(name).rstrip("."))
    return None
