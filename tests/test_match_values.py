"""Numbers, dates and word forms as the matcher compares them."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from verifier.match import assess
from verifier.match.dates import DateMention, find_dates
from verifier.match.quantities import find_numbers
from verifier.match.scoring import packaged_model
from verifier.match.spans import unsupported_spans
from verifier.match.tokens import STOPWORDS, normalise, tokenize
from verifier.model import Verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 26 June 1980 in", (1980, 6, 26)),
        ("on June 26, 1980 in", (1980, 6, 26)),
        ("on June 26th , 1980 in", (1980, 6, 26)),
        ("on 1980-06-26 in", (1980, 6, 26)),
        ("PUBLISHED DATETIME: 2018-07-28T22:15:40+00:00", (2018, 7, 28)),
        ("in November 2024", (2024, 11, None)),
        ("the 26th of June", (None, 6, 26)),
        ("in 1980", (1980, None, None)),
        ("she was born in May and", (None, 5, None)),
    ],
)
def test_dates_in_any_order_become_the_same_fields(
    text: str, expected: tuple[int | None, ...]
) -> None:
    [date] = find_dates(text)
    assert (date.year, date.month, date.day) == expected


def test_may_the_verb_is_not_a_date() -> None:
    assert find_dates("The board may decide later.") == []


def test_less_specific_date_is_backed_but_not_the_other_way() -> None:
    month = DateMention(0, 0, 2024, 11, None)
    day = DateMention(0, 0, 2024, 11, 1)
    assert month.backed_by(day)
    assert not day.backed_by(month)
    assert day.compatible_with(month)
    assert not day.compatible_with(DateMention(0, 0, 2024, 12, 1))


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("1.5 million", "1,500,000"),
        ("2%", "two per cent"),
        ("12 percent", "12%"),
        ("three", "3"),
        ("1.5 million", "1.52 million"),
    ],
)
def test_numbers_written_differently_match(claim: str, source: str) -> None:
    [claimed] = find_numbers(claim)
    [stated] = find_numbers(source)
    assert claimed.matches(stated)


@pytest.mark.parametrize(
    ("claim", "source"),
    [("12", "13"), ("2%", "20%"), ("1.5 million", "2 million"), ("5%", "5")],
)
def test_different_numbers_do_not_match(claim: str, source: str) -> None:
    [claimed] = find_numbers(claim)
    [stated] = find_numbers(source)
    assert not claimed.matches(stated)


def test_identifiers_and_years_are_not_counts() -> None:
    assert find_numbers("Soyuz MS-06 launched in 2017") == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("elected", "election"),
        ("named", "name"),
        ("companies", "company"),
        ("Penélope", "Penelope"),
        ("taught", "teach"),
        ("movie", "film"),
        ("1,500,000", "1500000"),
        ("26th", "26"),
    ],
)
def test_word_forms_meet(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


def test_a_range_in_the_source_backs_its_ends() -> None:
    source = "Between 10 and 20 people were injured in the blast, police said."
    assessment = assess("Police said 10 to 20 people were injured in the blast.", source)
    assert assessment.verdict is Verdict.SUPPORTED
    assert not assessment.flags


def test_year_only_claim_is_backed_by_a_full_date() -> None:
    source = "The treaty was signed in Lisbon on 13 December 2007 by the member states."
    assessment = assess("The treaty was signed in Lisbon in 2007.", source)
    assert assessment.verdict is Verdict.SUPPORTED


NEWS_PAGE = (
    "May 10, 2018\n"
    "Charlie Russell, a Canadian naturalist who lived among grizzly bears, died on May 7 in "
    "Calgary after complications from surgery. He was 76.\n"
)


def test_day_and_month_take_the_year_the_page_states_elsewhere() -> None:
    backed = assess("Charlie Russell died in Calgary on May 7, 2018.", NEWS_PAGE)
    assert not [flag for flag in backed.flags if "2018" in flag.claim]
    assert backed.verdict is Verdict.SUPPORTED
    # A year the page never states stays unbacked; a different day is still a conflict.
    other_year = assess("Charlie Russell died in Calgary on May 7, 2016.", NEWS_PAGE)
    [unbacked] = other_year.flags
    assert unbacked.kind == "unsupported"
    assert "May 7, 2016" in unbacked.claim
    assert other_year.verdict is not Verdict.SUPPORTED
    other_day = assess("Charlie Russell died in Calgary on May 9, 2018.", NEWS_PAGE)
    [conflict] = other_day.flags
    assert (conflict.kind, conflict.claim) == ("date", "May 9, 2018")
    assert conflict.source in {"May 7", "May 10, 2018"}
    assert other_day.verdict is Verdict.CONTRADICTED


def test_publication_date_does_not_contradict_the_event_date() -> None:
    page = (
        "By Travis Zimpfer on March 2, 2017\n"
        "The commission on Wednesday named Judge Lisa Hardwick, Benjamin Lipman and Brent "
        "Powell as the three applicants for the vacant Supreme Court seat.\n"
    )
    assessment = assess(
        "On March 1, 2017, Brent Powell was named one of three applicants for the vacant "
        "Supreme Court seat.",
        page,
    )
    assert not [flag for flag in assessment.flags if flag.kind == "date"]
    assert assessment.verdict is not Verdict.CONTRADICTED


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        (
            "His grandson, Clive Uhr, became a noted radiologist in Brisbane.",
            "His grandson, Clive Uhr, became a radiologist in Brisbane.",
        ),
        (
            "The single reached No. 12 on the national chart in 1994.",
            "The single reached 12 on the national chart in 1994.",
        ),
    ],
)
def test_words_that_only_look_negative_are_not_negations(claim: str, source: str) -> None:
    assessment = assess(claim, source)
    assert not [flag for flag in assessment.flags if flag.kind == "negation"]
    assert assessment.verdict is not Verdict.CONTRADICTED


SALES = (
    "The album debuted at number one with first-week sales of 258,000 copies and sold 757,000 "
    "copies in the United States by the end of the year."
)


@pytest.mark.parametrize(
    ("claim", "backed"),
    [
        ("The album sold more than 100,000 copies in the United States.", True),
        ("The album sold at least 757,000 copies in the United States.", True),
        ("The album sold about 750,000 copies in the United States.", True),
        ("The album sold more than 900,000 copies in the United States.", False),
        ("The album sold fewer than 100,000 copies in the United States.", False),
    ],
)
def test_bounded_numbers_are_backed_by_values_inside_the_bound(claim: str, backed: bool) -> None:
    numbers = [flag for flag in assess(claim, SALES).flags if flag.kind == "number"]
    assert (not numbers) is backed
    if not backed:
        assert numbers[0].source in {"258,000", "757,000"}


def test_bound_is_read_from_the_words_before_a_number() -> None:
    found = find_numbers("sold more than 100,000 copies, at least 5 singles and about 2%")
    assert [(n.value, n.bound) for n in found] == [(100000.0, ">"), (5.0, ">="), (2.0, "~")]


def test_the_verb_may_is_no_date() -> None:
    assert find_dates("The board may approve the plan.") == []


def test_a_longer_date_facing_the_claims_is_a_conflict() -> None:
    source = (
        "Danielle Cormack (born 26 December 1970) is a stage and screen actress from New Zealand."
    )
    assessment = assess("Danielle Cormack was born in 1971.", source)
    assert [(f.kind, f.claim, f.source) for f in assessment.flags] == [
        ("date", "1971", "26 December 1970")
    ]
    assert assessment.verdict is Verdict.CONTRADICTED


CORMACK = "Danielle Cormack (born 26 December 1970) is a stage and screen actress from New Zealand."


def test_a_month_alone_that_is_also_a_stopword_is_compared() -> None:
    assessment = assess("Danielle Cormack was born in May.", CORMACK)
    assert [(f.kind, f.claim, f.source) for f in assessment.flags] == [
        ("date", "May", "26 December 1970")
    ]
    assert assessment.verdict is Verdict.CONTRADICTED
    backed = assess("Danielle Cormack was born in May.", CORMACK.replace("December", "May"))
    assert backed.verdict is Verdict.SUPPORTED


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("he was born in the fifties and", 1950),
        ("music of the late nineteen-sixties", 1960),
        ("developed in the early 1970 's .", 1970),
        ("bands of the 1990s", 1990),
        ("in the 1980's", 1980),
    ],
)
def test_decades_in_words_and_digits_are_decades(text: str, year: int) -> None:
    [date] = find_dates(text)
    assert (date.year, date.decade) == (year, True)


SANTANA = (
    "Carlos Santana (born July 20, 1947) is a Mexican and American musician who first became "
    "famous in the late 1960s and early 1970s with his band, Santana."
)


@pytest.mark.parametrize(
    ("claim", "verdict", "flag"),
    [
        ("Carlos Santana was born in the forties.", Verdict.SUPPORTED, None),
        ("Carlos Santana was born in the 1940s.", Verdict.SUPPORTED, None),
        ("Carlos Santana was born in the fifties.", Verdict.CONTRADICTED, "the fifties"),
        ("Carlos Santana first became famous in the early 1970s.", Verdict.SUPPORTED, None),
    ],
)
def test_a_decade_is_backed_by_any_of_its_years(
    claim: str, verdict: Verdict, flag: str | None
) -> None:
    assessment = assess(claim, SANTANA)
    assert assessment.verdict is verdict
    dates = [f.claim for f in assessment.flags if f.kind == "date"]
    assert dates == ([flag] if flag else [])


def test_a_year_is_not_backed_by_its_decade_alone() -> None:
    decade, year = find_dates("the 1990s")[0], find_dates("in 1994")[0]
    assert decade.backed_by(year) and not year.backed_by(decade)
    assert decade.compatible_with(year) and year.compatible_with(decade)


def test_a_date_inside_a_span_of_days_is_no_conflict() -> None:
    source = (
        "The jury will be led by George Miller. The Cannes Film Festival runs May 11-22, 2016, "
        "and the film has its world premiere there."
    )
    claim = "The film had its world premiere at the Cannes Film Festival on May 19, 2016."
    assessment = assess(claim, source)
    assert not [f for f in assessment.flags if f.kind == "date"]
    assert assessment.verdict is not Verdict.CONTRADICTED
    ended = "The film had its world premiere at the Cannes Film Festival on May 11, 2016."
    moved = assess(claim, ended)
    assert [(f.kind, f.source) for f in moved.flags] == [("date", "May 11, 2016")]


THATCHER = (
    "In 1975, Thatcher defeated Heath in the Conservative Party leadership election to become "
    "Leader of the Opposition and became the first woman to lead a major political party in "
    "the United Kingdom."
)


def test_a_negation_far_from_the_claims_other_words_is_still_compared() -> None:
    claim = (
        "Thatcher was not the first woman to lead a major political party in the United Kingdom."
    )
    assessment = assess(claim, THATCHER)
    [negation] = [f for f in assessment.flags if f.kind == "negation"]
    assert claim[negation.start : negation.end].startswith("not")
    assert negation.source == "first"
    assert assessment.verdict is Verdict.CONTRADICTED
    plain = assess(claim.replace("was not", "was"), THATCHER)
    assert plain.verdict is Verdict.SUPPORTED


def test_not_only_is_no_negation() -> None:
    assessment = assess(
        "Thatcher was not only the first woman to lead a major political party in the United "
        "Kingdom.",
        THATCHER,
    )
    assert not [f for f in assessment.flags if f.kind == "negation"]
    assert assessment.verdict is not Verdict.CONTRADICTED


def test_a_season_written_with_two_digits_states_both_years() -> None:
    assert [d.year for d in find_dates("during the 2018\u201319 academic year")] == [2018, 2019]
    assert [d.year for d in find_dates("the 1999-00 season")] == [1999, 2000]
    assert [d.year for d in find_dates("in 2018-05 we")] == [2018]  # a month, not a season
    claim = "Full implementation of the name change is taking place during the 2018\u201319 year."
    source = "Full implementation of the name change will take place over the 2018-2019 year."
    backed = assess(claim, source)
    assert backed.verdict is Verdict.SUPPORTED and not backed.flags
    relegated = assess(
        "The club was relegated at the end of the 2018\u201319 season.",
        "The club was relegated at the end of the 2017-18 season.",
    )
    assert [(f.kind, f.claim, f.source) for f in relegated.flags] == [("date", "19", "18")]


CRUZ = "Cruz has modelled for Mango and Ralph Lauren, but declined to model for L'Oreal."


def test_declined_to_is_a_negation_and_declined_by_is_not() -> None:
    refused = assess("Penelope Cruz refused to model for L'Oreal.", CRUZ)
    assert not [f for f in refused.flags if f.kind == "negation"]
    assert refused.verdict is not Verdict.CONTRADICTED
    fell = assess("Sales declined to 5 million in 2019.", "Sales fell to 5 million in 2019.")
    assert not [f for f in fell.flags if f.kind == "negation"]


def test_an_unsupported_phrase_does_not_take_in_a_copula_or_indefinite_article() -> None:
    claim = "Danielle Cormack is a stage and screen actress from New Zealand and was a keen rower."
    assessment = assess(claim, CORMACK)
    assert [(f.kind, f.claim) for f in assessment.flags] == [("unsupported", "keen rower")]
    raised = "Danielle Cormack is a stage and screen actress from New Zealand, raised in the Hutt."
    # A preposition and "the" opening the phrase are taken in.
    assert "in the Hutt" in [f.claim for f in assess(raised, CORMACK).flags][-1]


MISSOURI = "\n".join(
    [
        "# Lipman, Hardwick, Powell selected by commission in first round of court process",
        "By Travis Zimpfer on March 2, 2017",
        "(Featured photo, from left to right: Benjamin Lipman, Lisa Hardwick, W. Brent Powell)",
        "Gov. Eric Greitens will choose one of them to be his final nominee to the seat.",
        "He is required to pick one of the three within the next 60 days.",
        "Lipman is a member of the illustrious Lewis Rice law firm based in St. Louis.",
        "Hardwick has served on the Missouri Court of Appeals Western District since 2001.",
        "Powell has served as a circuit judge in Jackson County since 2009.",
        "The seven-person Appellate Judicial Commission cut the list of applicants for the "
        "Missouri Supreme Court seat from 31 down to three on Wednesday evening.",
    ]
)


def test_the_pages_own_date_backs_a_claim_dated_that_day() -> None:
    claim = (
        "On March 2, 2017, the Appellate Judicial Commission cut the list of applicants for "
        "the Missouri Supreme Court seat down to three."
    )
    dated = assess(claim, MISSOURI)
    assert dated.verdict is Verdict.SUPPORTED and not dated.flags
    undated = assess(claim, MISSOURI.replace(" on March 2, 2017", ""))
    assert [f.claim for f in undated.flags] == ["On March 2, 2017"]
    other_day = assess(claim.replace("March 2", "March 9"), MISSOURI)
    assert other_day.verdict is not Verdict.SUPPORTED


COOPER = (
    "Alice Cooper (born Vincent Damon Furnier; February 4, 1948) is an American singer, "
    "songwriter, and actor whose career spans over five decades."
)


def test_decades_and_centuries_count_years() -> None:
    decades, centuries = find_numbers("spanning over five decades and two centuries of history")
    [over_fifty_years] = find_numbers("over 50 years")
    [two_hundred_years] = find_numbers("200 years")
    assert over_fifty_years.matches(decades) and two_hundred_years.matches(centuries)
    assert not two_hundred_years.matches(decades)
    assert [n.value for n in find_numbers("broke out in the fifteenth century")] == [15.0]
    claim = "Alice Cooper has been a singer, songwriter, and actor for over 50 years."
    fifty = assess(claim, COOPER)
    assert not [f for f in fifty.flags if "50" in f.claim]
    thirty = assess(claim.replace("over 50", "30"), COOPER)
    assert [f for f in thirty.flags if "30" in f.claim]
    assert fifty.score > thirty.score


def test_an_unsupported_phrase_bridges_a_word_the_passage_lacks_but_not_one_it_states() -> None:
    model = replace(packaged_model(), unsupported_gap=1, unsupported_margin=math.inf)
    claim = "Ana Lopez crossed the lake in a hot air balloon."
    tokens = tokenize(claim)
    content = [t for t in tokens if t.norm not in STOPWORDS]
    index = {t.text: i for i, t in enumerate(content)}
    # The model is sure of "hot" and "balloon" only; "air" lies between them.
    unbacked = 1 << index["hot"] | 1 << index["balloon"]
    stated = 1 << index["Ana"] | 1 << index["Lopez"] | 1 << index["crossed"] | 1 << index["lake"]

    def spans(stated_mask: int) -> list[str]:
        odds = [0.0] * len(content)
        flags = unsupported_spans(claim, tokens, content, unbacked, odds, stated_mask, [], model)
        return [flag.claim for flag in flags]

    # A passage saying "Ana Lopez crossed the lake" lacks "air" too: one phrase.
    assert spans(stated) == ["hot air balloon"]
    # A passage that says "air" (crossed the lake by air) breaks the phrase there.
    assert spans(stated | 1 << index["air"]) == ["hot", "balloon"]


def test_an_unsupported_phrase_does_not_take_in_a_personal_pronoun() -> None:
    model = replace(packaged_model(), unsupported_gap=1, unsupported_lead=2)
    claim = "After the flood she rebuilt the mill."
    tokens = tokenize(claim)
    content = [t for t in tokens if t.norm not in STOPWORDS]
    index = {t.text: i for i, t in enumerate(content)}
    # A page on the flood that never says who rebuilt the mill.
    unbacked = 1 << index["rebuilt"] | 1 << index["mill"]
    stated = 1 << index["flood"]
    odds = [0.0] * len(content)
    flags = unsupported_spans(claim, tokens, content, unbacked, odds, stated, [], model)
    assert [flag.claim for flag in flags] == ["rebuilt the mill"]


def test_a_much_weaker_second_unsupported_span_is_dropped() -> None:
    claim = "The museum reopened in Bergen in 2019 after a long renovation."
    tokens = tokenize(claim)
    content = [t for t in tokens if t.norm not in STOPWORDS]
    index = {t.text: i for i, t in enumerate(content)}
    # The page says the museum reopened after a renovation, never where or when: "Bergen" and
    # "2019" are sure; "long" is a shade the page may well word differently.
    odds = [-3.0] * len(content)
    odds[index["Bergen"]], odds[index["2019"]], odds[index["long"]] = 3.0, 2.5, -0.5
    unbacked = 1 << index["Bergen"] | 1 << index["2019"] | 1 << index["long"]
    model = replace(packaged_model(), unsupported_gap=1, unsupported_lead=2)

    def spans(margin: float) -> list[str]:
        trial = replace(model, unsupported_margin=margin)
        found = unsupported_spans(claim, tokens, content, unbacked, odds, 0, [], trial)
        return [flag.claim for flag in found]

    assert spans(2) == ["in Bergen in 2019"]
    # With no margin every span stays.
    assert spans(math.inf) == ["in Bergen in 2019", "long"]
