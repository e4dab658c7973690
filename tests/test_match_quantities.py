"""Quantities and dates as intervals: a value, a magnitude, a unit and the qualifier that bounds
them. Each kind of wrong figure is contradicted with both figures in its flag; each near-miss
(a rounding, another way of writing the same figure) stays supported."""

from __future__ import annotations

import pytest

from verifier.match import assess
from verifier.match.dates import find_dates
from verifier.match.quantities import Relation, find_numbers, relate
from verifier.model import Assessment, Flag, FlagKind, Severity, Verdict

PORT = "The port handled 1.5 million containers in 2023."
BRIDGE = "The city paid 42 million dollars for the new bridge."
ROAD = "The new coast road is 100 kilometres long."
TURNOUT = "Turnout in the local election was 64 percent."
FIRE = "The fire forced 3,200 residents to leave their homes."


def flags(assessment: Assessment, kind: FlagKind) -> list[Flag]:
    return [flag for flag in assessment.flags if flag.kind is kind]


@pytest.mark.parametrize(
    ("source", "claim", "figure", "stated"),
    [
        # value
        (PORT, "The port handled 2 million containers in 2023.", "2 million", "1.5 million"),
        (PORT, "The port handled 1 million containers in 2023.", "1 million", "1.5 million"),
        (PORT, "The port handled 1.4 million containers in 2023.", "1.4 million", "1.5 million"),
        # magnitude
        (PORT, "The port handled 15 million containers in 2023.", "15 million", "1.5 million"),
        (PORT, "The port handled 1.5 billion containers in 2023.", "1.5 billion", "1.5 million"),
        # currency
        (
            BRIDGE,
            "The city paid 42 million euros for the new bridge.",
            "42 million euros",
            "42 million dollars",
        ),
        (
            BRIDGE,
            "The city paid €42 million for the new bridge.",
            "€42 million",
            "42 million dollars",
        ),
        # unit
        (ROAD, "The new coast road is 100 miles long.", "100 miles", "100 kilometres"),
        # percent
        (TURNOUT, "Turnout in the local election was 46%.", "46%", "64 percent"),
        # people, and a bound the figure falls outside
        (FIRE, "The fire forced 2,300 residents to leave their homes.", "2,300", "3,200"),
        (
            FIRE,
            "The fire forced fewer than 3,000 residents to leave their homes.",
            "fewer than 3,000",
            "3,200",
        ),
    ],
)
def test_a_wrong_figure_is_contradicted_with_both_figures(
    source: str, claim: str, figure: str, stated: str
) -> None:
    assessment = assess(claim, source)
    assert assessment.verdict is Verdict.CONTRADICTED
    [number] = flags(assessment, FlagKind.NUMBER)
    assert number.claim == figure == claim[number.start : number.end]
    assert number.source == stated
    assert number.severity is Severity.CONFLICT


@pytest.mark.parametrize(
    ("source", "claim"),
    [
        (PORT, "The port handled 1,500,000 containers in 2023."),
        (PORT, "The port handled 1.5m containers in 2023."),
        (PORT, "The port handled about 1.5 million containers in 2023."),
        (
            PORT.replace("1.5 million", "1,512,000"),
            "The port handled 1.5 million containers in 2023.",
        ),
        (BRIDGE, "The city paid $42m for the new bridge."),
        (BRIDGE, "The city paid US$42 million for the new bridge."),
        (ROAD, "The new coast road is 62 miles long."),
        (ROAD, "The new coast road is 100 km long."),
        (TURNOUT, "Turnout in the local election was 64%."),
        (TURNOUT, "Turnout in the local election was about 65 per cent."),
        (FIRE, "The fire forced more than 3,000 residents to leave their homes."),
        (FIRE, "The fire forced about 3,000 residents to leave their homes."),
    ],
)
def test_a_figure_written_another_way_or_rounded_stays_supported(source: str, claim: str) -> None:
    assessment = assess(claim, source)
    assert assessment.verdict is Verdict.SUPPORTED
    assert not assessment.flags


def test_a_figure_just_past_its_rounding_is_drift_for_a_reviewer() -> None:
    assessment = assess("The port handled 1.57 million containers in 2023.", PORT)
    [number] = flags(assessment, FlagKind.NUMBER)
    assert (number.claim, number.source, number.severity) == (
        "1.57 million",
        "1.5 million",
        Severity.DRIFT,
    )
    assert assessment.verdict is not Verdict.CONTRADICTED


@pytest.mark.parametrize(
    ("claim", "source", "relation"),
    [
        ("1.5 million", "1,450,000", Relation.BACKED),
        ("1.5 million", "1,440,000", Relation.DRIFT),
        ("2 million", "1.9 million", Relation.BACKED),
        ("2 million", "1.5 million", Relation.CONFLICT),
        ("about 750,000", "757,000", Relation.BACKED),
        ("more than 4,700", "fewer than 5,000", Relation.OPEN),
        ("fewer than 5,000", "4,800", Relation.BACKED),
        ("more than five", "six", Relation.BACKED),
        ("four other", "five", Relation.BACKED),
        ("10 to 20", "between 10 and 20", Relation.BACKED),
        ("5 to 10 million", "7 million", Relation.BACKED),
        ("18 months", "1.5 years", Relation.BACKED),
        ("15 years", "15 months", Relation.CONFLICT),
        ("42 million pounds", "£42m", Relation.BACKED),
        ("200 pounds", "91 kg", Relation.BACKED),
        ("5%", "5", Relation.OPEN),
        ("100 km", "100 kg", Relation.OPEN),
    ],
)
def test_quantities_relate_as_intervals(claim: str, source: str, relation: Relation) -> None:
    [mine] = find_numbers(claim)
    [theirs] = find_numbers(source)
    assert relate(mine, theirs) is relation


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        (
            "Fewer than 5,000 people died in the earthquake.",
            "More than 4,700 deaths were recorded in the earthquake.",
        ),
        ("The games featured more than five sports.", "The games featured six sports."),
        (
            "Lopez and four other players were suspended.",
            "Lopez was one of five players suspended.",
        ),
        ("The museum closed before 27 May 2020.", "As of 26 May 2020 the museum had closed."),
        ("The museum closed on 15 Jan 2019.", "The museum closed on 15 January 2019."),
        ("The band formed in early 2016.", "The band formed in February 2016."),
        ("The band formed in the 1990s.", "The band formed in 1994."),
    ],
)
def test_a_bound_or_another_writing_is_no_conflict(claim: str, source: str) -> None:
    assessment = assess(claim, source)
    assert assessment.verdict is not Verdict.CONTRADICTED
    assert not [flag for flag in assessment.flags if flag.severity is Severity.CONFLICT]


@pytest.mark.parametrize(
    ("claim", "figure"),
    [
        ("The band formed in late 2016.", "late 2016"),
        ("The band formed after 2010.", "after 2010"),
        ("The band formed before 2016.", "before 2016"),
    ],
)
def test_a_date_interval_that_cannot_overlap_the_sources_is_a_conflict(
    claim: str, figure: str
) -> None:
    source = "The band formed in February 2016." if "2010" not in claim else "It formed in 2008."
    assessment = assess(claim, source)
    [date] = flags(assessment, FlagKind.DATE)
    assert date.claim == figure and date.severity is Severity.CONFLICT


@pytest.mark.parametrize(
    "text", ["on 2003-06-11 in", "on 2003.06.11 in", "on 11 June 2003 in", "on 11.06.2003 in"]
)
def test_one_date_in_any_form(text: str) -> None:
    [date] = find_dates(text)
    [iso] = find_dates("2003-06-11")
    assert date.backed_by(iso) and iso.backed_by(date)


def test_a_numeric_date_that_reads_either_way_round_is_both() -> None:
    [either] = find_dates("signed on 06/11/2003")
    [june] = find_dates("11 June 2003")
    [november] = find_dates("6 November 2003")
    [march] = find_dates("6 March 2003")
    assert either.compatible_with(june) and either.compatible_with(november)
    assert not either.compatible_with(march)


def test_a_score_is_no_quantity() -> None:
    assert find_numbers("their 4\u20131 victory and a 3-2 defeat") == []
    assessment = assess(
        "Lopez scored in a match that produced more than four goals.",
        "Lopez came off the bench to score the third goal in a 4\u20131 victory.",
    )
    assert not [flag for flag in assessment.flags if flag.kind is FlagKind.NUMBER]
