"""Quantities found in text: a value, its magnitude and its unit, as an interval.

"1.5 million", "1,500,000" and "1.5m" are the same value; "$42m" is 42 million US dollars;
"100 km" is 62.1 miles; "2%" and "two per cent" are 2 percent. A figure stands for the
interval its writing allows:

- a bare figure covers half a unit of its last significant digit, at most ROUNDING_SHARE
  of its value: "1.5 million" covers 1.45-1.55 million, "2 million" 1.9-2.1 million;
- "about", "around", "nearly" widen that to APPROXIMATION of the value;
- "more than", "at least", "fewer than", "up to" open it on one side; "four other players"
  counts at least four; "10 to 20", "between 10 and 20" is the range.

Two quantities in the same role relate in one of four ways (`relate`): the source's lies
inside the claim's (backed); they cannot overlap (a conflict), unless they are within
DRIFT_SHARE of each other (a rounding a reviewer should see); or they overlap without the
one lying inside the other (open: neither backed nor contradicted). Currencies are never
converted: "42 million dollars" against "42 million euros" is a conflict; lengths, masses,
areas and durations are ("100 km" is backed by "62 miles").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from enum import Enum

from verifier.match.dates import MONTHS, DateMention, find_dates
from verifier.match.tokens import fold, normalise, word_list

ROUNDING_SHARE = 0.05
"""The most a bare figure's rounding may cover, as a share of its value."""
APPROXIMATION = 0.1
"""How far "about 500" may be from the stated value, as a share of it."""
DRIFT_SHARE = 0.05
"""Values outside each other's rounding but this close (as a share of the claim's value) are
a rounding drift, not a conflict: "1.5 million" against "1.57 million"."""


class Relation(Enum):
    """How a source quantity stands to a claim quantity in the same role."""

    BACKED = "backed"
    CONFLICT = "conflict"
    DRIFT = "drift"
    OPEN = "open"


_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
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


@dataclass(frozen=True)
class Unit:
    """A unit of measure: what it measures and its size in that dimension's base unit (None
    for a currency: currencies are not converted)."""

    name: str
    dimension: str
    factor: float | None


_UNIT_GROUPS: tuple[tuple[str, str, float | None, str], ...] = (
    # name, dimension, factor to the base unit, written forms (lower case)
    ("USD", "currency", None, "$ us$ usd dollar dollars us-dollars"),
    ("AUD", "currency", None, "a$ aud"),
    ("CAD", "currency", None, "c$ cad"),
    ("EUR", "currency", None, "€ eur euro euros"),
    ("GBP", "currency", None, "£ gbp sterling"),
    ("JPY", "currency", None, "¥ jpy yen"),
    ("CNY", "currency", None, "cny yuan renminbi rmb"),
    ("INR", "currency", None, "₹ inr rupee rupees"),
    ("CHF", "currency", None, "chf franc francs"),
    ("km", "length", 1000.0, "km kilometre kilometres kilometer kilometers"),
    ("metre", "length", 1.0, "metre metres meter meters"),
    ("cm", "length", 0.01, "cm centimetre centimetres centimeter centimeters"),
    ("mm", "length", 0.001, "mm millimetre millimetres millimeter millimeters"),
    ("mile", "length", 1609.344, "mi mile miles"),
    ("foot", "length", 0.3048, "ft foot feet"),
    ("inch", "length", 0.0254, "in. inch inches"),
    ("yard", "length", 0.9144, "yd yard yards"),
    ("kg", "mass", 1.0, "kg kilogram kilograms kilogramme kilogrammes kilo kilos"),
    ("gram", "mass", 0.001, "g gram grams gramme grammes"),
    ("tonne", "mass", 1000.0, "tonne tonnes ton tons t"),
    ("lb", "mass", 0.45359237, "lb lbs pound pounds"),
    ("ounce", "mass", 0.028349523125, "oz ounce ounces"),
    ("km2", "area", 1e6, "km2 km² sq-km square-kilometres square-kilometers"),
    ("mi2", "area", 2589988.110336, "sq-mi square-miles square-mile"),
    ("hectare", "area", 1e4, "ha hectare hectares"),
    ("acre", "area", 4046.8564224, "acre acres"),
    ("hour", "time", 1 / 24, "hour hours hr hrs"),
    ("day", "time", 1.0, "day days"),
    ("week", "time", 7.0, "week weeks"),
    ("month", "time", 30.436875, "month months"),
    ("year", "time", 365.2425, "year years yr yrs"),
    ("decade", "time", 3652.425, "decade decades"),
    ("century", "time", 36524.25, "century centuries"),
)
UNITS = {
    form: Unit(name, dimension, factor)
    for name, dimension, factor, forms in _UNIT_GROUPS
    for form in forms.split()
}
"""Written form (lower case, spaces as hyphens) -> unit."""

_PREFIX = re.compile(
    r"(?:(?P<prefix>(?:US|A|C)\$|\$|€|£|¥|₹|(?:USD|EUR|GBP|JPY|CNY|INR|CHF|AUD|CAD)\s?)\s?)$"
)
"""A currency written before the figure ("$42m", "US$ 5", "EUR 12"), matched backwards."""
_PREFIX_ENDS = frozenset("$€£¥₹DRPYF")
"""The characters a currency before a figure ends in (a cheap test before the search)."""
_SUFFIX = re.compile(
    r"[\s-]*(?P<unit>"
    + "|".join(
        sorted(
            (form.replace("-", r"[\s-]") for form in UNITS if form[:1].isalpha() and form != "in."),
            key=len,
            reverse=True,
        )
    )
    + r")(?:\s*sterling\b)?(?![\w²])",
    re.IGNORECASE,
)
"""A unit written after the figure ("100 km", "42 million euros"), matched at its end."""
_NUMBER = re.compile(
    # Not inside identifiers: "MS-06", "F-16", "B52", "v2.1".
    r"(?<![\w.])(?<![A-Za-z]-)"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|dozen))"
    r"(?P<ordinal>st|nd|rd|th)?"
    r"(?:\s*(?P<scale>hundred|thousand|millions?|billions?|trillion|bn|mn|m|k)\b)?"
    r"(?:\s*(?P<percent>%|per\s*cent\b|percent(?:age\s+points?)?\b))?"
    r"(?![\w²])",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s+(?:other|more|additional|further)\b", re.IGNORECASE)
"""'four other players': a part of a larger count, which it bounds from below."""
_RANGE_JOIN = re.compile(r"\s*(?:-|\u2013|\u2014|to|and)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A quantity as written: its value (scale words applied), unit and the interval it covers."""

    start: int
    end: int
    value: float
    percent: bool
    precision: float
    """The place of the last significant digit written: "1.5 million" -> 100000, "12" -> 1,
    "1,500,000" -> 100000."""
    bound: str = ""
    """How the text bounds the value: "" exact, ">" ("more than"), ">=" ("at least"), "<"
    ("less than"), "<=" ("up to"), "~" ("about")."""
    unit: str | None = None
    """A written form known to UNITS ("km", "$", "euros"), None for a bare count."""
    upper: float | None = None
    """The upper end of a range ("10 to 20": value 10, upper 20)."""

    @property
    def measure(self) -> Unit | None:
        return UNITS.get(self.unit) if self.unit is not None else None

    def interval(self, factor: float = 1.0) -> tuple[float, float]:
        """The values the writing allows, times `factor` (a unit's size)."""
        value = self.value * factor
        top = (self.upper if self.upper is not None else self.value) * factor
        rounding = self.precision * factor / 2
        if self.bound == "~":
            slack = max(rounding, APPROXIMATION * abs(value))
        else:
            slack = min(rounding, ROUNDING_SHARE * abs(value))
        tiny = 1e-9 * max(abs(value), 1.0)
        if self.bound == ">":
            return value + tiny, math.inf
        if self.bound == ">=":
            return value - tiny, math.inf
        if self.bound == "<":
            return -math.inf, value - tiny
        if self.bound == "<=":
            return -math.inf, value + tiny
        return value - slack - tiny, top + slack + tiny

    def stated(self, factor: float = 1.0) -> tuple[float, float]:
        """What a source stating this figure says: the value itself when written exactly."""
        if not self.bound and self.upper is None:
            return self.value * factor, self.value * factor
        return self.interval(factor)

    def matches(self, other: NumberMention) -> bool:
        """True when `other` backs this mention (see `relate`)."""
        return relate(self, other) is Relation.BACKED

    def near(self, other: NumberMention) -> bool:
        """True when `other` backs this mention or differs from it by a rounding: the claim
        states the source's figure, with a drift flag to show where it differs."""
        return relate(self, other) in (Relation.BACKED, Relation.DRIFT)


def relate(claim: NumberMention, source: NumberMention) -> Relation:
    """How the source quantity stands to the claim's, were they in the same role."""
    if claim.percent != source.percent:
        return Relation.OPEN  # a share and a count measure different things
    factors = _factors(claim.measure, source.measure)
    if factors is None:
        return Relation.OPEN  # a length and a mass: different roles
    if isinstance(factors, Relation):
        return factors
    mine = claim.interval(factors[0])
    theirs = source.stated(factors[1])
    if mine[0] <= theirs[0] and theirs[1] <= mine[1]:
        return Relation.BACKED
    if theirs[1] < mine[0] or mine[1] < theirs[0]:
        exact = claim.bound in ("", "~") and source.bound in ("", "~")
        mine_value, theirs_value = claim.value * factors[0], source.value * factors[1]
        if exact and abs(mine_value - theirs_value) <= DRIFT_SHARE * abs(mine_value):
            return Relation.DRIFT
        return Relation.CONFLICT
    return Relation.OPEN


def _factors(mine: Unit | None, theirs: Unit | None) -> tuple[float, float] | Relation | None:
    """Each side's factor to a common base; a Relation when the units alone decide; None when
    the two measure different things."""
    if mine is None or theirs is None:
        return 1.0, 1.0  # a figure without its unit: compared as written
    if mine.dimension != theirs.dimension:
        return None
    if mine.factor is None or theirs.factor is None:
        # Currencies: the same one compares by value, another is another amount.
        return (1.0, 1.0) if mine.name == theirs.name else Relation.CONFLICT
    return mine.factor, theirs.factor


def find_numbers(text: str, dates: list[DateMention] | None = None) -> list[NumberMention]:
    """Quantities in `text` outside the given date spans (years are dates, not counts)."""
    in_date = bytearray(len(text))
    for date in find_dates(text) if dates is None else dates:
        in_date[date.start : date.end] = b"\x01" * (date.end - date.start)
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text):
        if 1 in in_date[match.start("num") : match.end("num")]:
            continue
        mention = _mention(text, match)
        if mention is not None:
            found.append(mention)
    return _ranges(text, found)


def _mention(text: str, match: re.Match[str]) -> NumberMention | None:
    raw = fold(match.group("num"))
    start, end = match.span()
    before = (
        _PREFIX.search(text, max(start - 6, 0), start)
        if text[max(start - 2, 0) : start].rstrip()[-1:] in _PREFIX_ENDS
        else None
    )
    prefix = before.group("prefix") if before is not None else None
    if before is not None and not text[before.start() - 1 : before.start()].isalnum():
        start = before.start()
    elif before is not None:
        prefix = None  # "A$" inside a word is no currency
    after = _SUFFIX.match(text, end) if text[end : end + 2].lstrip(" -")[:1].isalpha() else None
    unit = after.group("unit") if after is not None else None
    if after is not None:
        end = after.end()
    scale_word = match.group("scale")
    if raw in _WORD_VALUES:
        value, precision = _WORD_VALUES[raw], 1.0
    else:
        digits = raw.replace(",", "")
        value = float(digits)
        whole, _, decimals = digits.partition(".")
        if decimals:
            precision = 10.0 ** -len(decimals)
        else:
            precision = 10.0 ** (len(whole) - len(whole.rstrip("0"))) if value else 1.0
    if scale_word:
        folded = fold(scale_word)
        if folded in ("m", "k") and raw in _WORD_VALUES:
            return None  # "two m" is no quantity
        if folded == "m" and not prefix and _metres(text, match):
            unit, scale_word = "metre", None
        if scale_word:
            scale = _SCALES[fold(scale_word)]
            value *= scale
            precision *= scale
    written_unit = _unit_form(prefix, unit, text[start:end], scale_word)
    if match.group("ordinal"):
        written_unit = None  # "the 15th century" is a time, not fifteen centuries
    percent = match.group("percent") is not None
    bound, start = _bound_before(text, start)
    if not bound and _PARTS.match(text, end):
        bound = ">="  # "four other players": at least four
    return NumberMention(start, end, value, percent, precision, bound, written_unit)


_MEASURED = re.compile(r"\s*(?:tall|high|long|wide|deep|thick|above|below|in\s+\w+)\b", re.I)


def _metres(text: str, match: re.Match[str]) -> bool:
    """ "5 m" and "1.9m tall" are metres; "1.5m containers" is a million (the short form of
    news copy, written against the figure)."""
    spaced = match.start("scale") > match.end("ordinal" if match.group("ordinal") else "num")
    return spaced or _MEASURED.match(text, match.end("scale")) is not None


def _unit_form(
    prefix: str | None, suffix: str | None, written: str, scale_word: str | None
) -> str | None:
    """The written form of the mention's unit as UNITS keys it ("$", "km", "pound")."""
    if suffix:
        form = re.sub(r"[\s-]+", "-", fold(suffix))
        if form in ("pound", "pounds") and (scale_word or "sterling" in fold(written)):
            return "£"  # "42 million pounds", "pounds sterling": money, not weight
        return form if form in UNITS else None
    if prefix:
        form = fold(prefix.strip())
        return form if form in UNITS else None
    return None


def _ranges(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Join "10 to 20", "10-20%", "between 10 and 20" into one range mention; "from 10 to 20"
    is a change, not a range, and stays two. A scale or unit written once serves both ends
    ("5 to 10 million"). Two figures joined by a dash, the second the smaller, are a score
    or a result ("a 4-1 win"): no quantity of anything, and left out."""
    joined: list[NumberMention] = []
    for mention in found:
        previous = joined[-1] if joined else None
        if previous is not None and _joins(text, previous, mention):
            low = previous.value
            if previous.unit is None and not _scaled(text, previous):
                low *= _scale_of(text, mention)
            if low > mention.value and _dashed(text, previous, mention):
                joined.pop()
                continue
            if low <= mention.value:
                joined[-1] = replace(
                    previous,
                    end=mention.end,
                    value=low,
                    upper=mention.value,
                    percent=previous.percent or mention.percent,
                    unit=previous.unit or mention.unit,
                    precision=mention.precision,
                )
                continue
        joined.append(mention)
    return joined


def _joins(text: str, previous: NumberMention, mention: NumberMention) -> bool:
    if previous.upper is not None or previous.bound not in ("", "~") or mention.bound:
        return False
    word = text[previous.end : mention.start].strip().lower()
    before = text[max(previous.start - 9, 0) : previous.start].lower().rstrip()
    if word == "and":
        return before.endswith("between")
    if word in ("-", "\u2013", "\u2014", "to"):
        return not before.endswith("from") and len(text[previous.end : mention.start]) <= 4
    return False


def _dashed(text: str, previous: NumberMention, mention: NumberMention) -> bool:
    return text[previous.end : mention.start].strip() in ("-", "\u2013", "\u2014")


_SCALE_WORD = re.compile(r"(?i)\d\s*(?:hundred|thousand|millions?|billions?|trillion|bn|mn|m|k)\b")


def _scaled(text: str, mention: NumberMention) -> bool:
    return _SCALE_WORD.search(text, mention.start, mention.end) is not None


def _scale_of(text: str, mention: NumberMention) -> float:
    """The scale word's factor in a mention ("10 million" -> 1e6), 1 without one."""
    found = _SCALE_WORD.search(text, mention.start, mention.end)
    if found is None:
        return 1.0
    word = fold(found.group()[1:].strip())
    return _SCALES.get(word, 1.0)


_BOUNDS = re.compile(
    r"(?:(?P<above>\b(?:more|greater|higher|larger|bigger)\s+than|\b(?:over|above|exceeding)"
    r"|\bin\s+excess\s+of|\bupwards\s+of)"
    r"|(?P<least>\bat\s+least|\bno\s+(?:fewer|less)\s+than)"
    r"|(?P<below>\b(?:less|fewer|lower)\s+than|\b(?:under|below))"
    r"|(?P<most>\bat\s+most|\bup\s+to|\bno\s+more\s+than)"
    r"|(?P<about>\b(?:about|around|approximately|roughly|nearly|almost|some|circa|approx\.?|c\.)))"
    r"\s+$",
    re.IGNORECASE,
)
_BOUND_OF = {"above": ">", "least": ">=", "below": "<", "most": "<=", "about": "~"}


def _bound_before(text: str, start: int) -> tuple[str, int]:
    """The bound the words before a figure set ("more than"), and the mention's start (the
    bound is part of what the text says: "more than 4,700")."""
    found = _BOUNDS.search(text, max(0, start - 24), start)
    if found is None or found.lastgroup is None:
        return "", start
    return _BOUND_OF[found.lastgroup], found.start()


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
    if mention.upper is not None:
        words |= index_words(replace(mention, value=mention.upper, upper=None))
    if mention.value % 10 == 0 and 10 <= mention.value <= 1000:
        # "50 years" may be written "five decades", "200 years" "two centuries".
        words.update(normalise(_plain(mention.value / 10**power)) for power in (1, 2))
    if mention.precision > 1:
        words.update(("thousand", "million", "billion", "trillion", "bn"))
    return words


def _plain(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"
