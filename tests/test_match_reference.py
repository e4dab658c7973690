"""Definitions, references and polarity: what a claim says its subject is, how the source
refers to that subject, and a negation on the source's side only."""

from __future__ import annotations

from verifier.match import Source, analyse, assess
from verifier.match.predicates import predicates
from verifier.match.tokens import tokenize
from verifier.model import Verdict

MARLOW = (
    "Ines Marlow (born 3 March 1979) is a Chilean documentary photographer and curator who "
    "has worked for several European magazines."
)


def _kinds(claim: str, source: str) -> list[tuple[str, str, str | None]]:
    return [(f.kind, f.claim, f.source) for f in assess(claim, source).flags]


def test_the_noun_phrase_after_a_copula_is_read_up_to_its_end() -> None:
    text = "The Larkspur is a 1998 British crime drama film set in Glasgow."
    [found] = predicates(tokenize(text), text)
    assert [word.text for word in found.words] == ["1998", "British", "crime", "drama", "film"]
    assert found.head.text == "film"


def test_a_claim_defining_its_subject_as_something_else_scores_lower() -> None:
    same = analyse("Ines Marlow is a photographer.", Source.prepare(MARLOW))
    other = analyse("Ines Marlow is a racing driver.", Source.prepare(MARLOW))
    assert same.features.other_definition == 0.0
    assert other.features.other_definition == 1.0
    assert same.assessment.verdict is Verdict.SUPPORTED
    assert other.assessment.verdict is not Verdict.SUPPORTED
    assert other.assessment.score < same.assessment.score


def test_a_general_definition_is_no_other_definition() -> None:
    general = analyse("Ines Marlow is a person.", Source.prepare(MARLOW))
    assert general.features.other_definition == 0.0


def test_a_name_modifying_the_same_head_differently_is_a_name_conflict() -> None:
    claim = "Ines Marlow is an Argentine documentary photographer."
    assessment = assess(claim, MARLOW)
    assert assessment.verdict is Verdict.CONTRADICTED
    assert ("name", "Argentine", "Chilean") in _kinds(claim, MARLOW)


def test_a_negation_over_the_sources_words_contradicts_a_plain_claim() -> None:
    source = (
        "The council approved the budget in May, but it refused to fund the new tram line "
        "across the river."
    )
    claim = "The council agreed to fund the new tram line."
    assessment = assess(claim, source)
    assert assessment.verdict is Verdict.CONTRADICTED
    [negation] = [f for f in assessment.flags if f.kind == "negation"]
    assert negation.source is not None and negation.source.startswith("refused")


def test_a_negation_in_another_clause_or_before_a_name_is_left_alone() -> None:
    source = (
        "Although the mayor did not attend, the council approved the tram line in May. "
        "Reyes would not start the Harbour Cup race."
    )
    assert not [
        k for k in _kinds("The council approved the tram line.", source) if k[0] == "negation"
    ]
    assert not [k for k in _kinds("Reyes won the Harbour Cup.", source) if k[0] == "negation"]


def test_a_negative_claim_is_left_to_the_claim_side_rules() -> None:
    source = "She turned down the offer to coach the national team."
    claim = "She was unwilling to coach the national team."
    assert not [k for k in _kinds(claim, source) if k[0] == "negation"]


def test_a_surname_alone_backs_the_full_name_for_the_verdict() -> None:
    source = "In 2004, Marlow moved to Lisbon, where she opened a small gallery."
    assessment = assess("In 2004, Ines Marlow moved to Lisbon.", source)
    assert assessment.verdict is Verdict.SUPPORTED
    # The source never writes the given name: it may be flagged, but nothing else is.
    assert {f.claim for f in assessment.flags} <= {"Ines"}


def test_a_surname_with_another_given_name_is_a_name_conflict() -> None:
    source = "The gallery was opened in 2004 by Julia Marlow and her brother."
    claim = "The gallery was opened in 2004 by Ines Marlow."
    assert ("name", "Ines", "Julia") in _kinds(claim, source)


def test_a_short_form_or_a_middle_name_is_no_conflict() -> None:
    source = "Timothy James Hale (born 1961) is an English actor."
    assert not [k for k in _kinds("Tim Hale is an English actor.", source) if k[0] == "name"]


def test_an_excerpt_opening_with_a_pronoun_backs_the_claims_subject() -> None:
    source = "She has curated exhibitions of documentary photography since 2010."
    assessment = assess("Ines Marlow has curated exhibitions since 2010.", source)
    assert assessment.verdict is Verdict.SUPPORTED
    assert {f.claim for f in assessment.flags} <= {"Ines Marlow"}


def test_a_negation_anywhere_before_the_word_counts_not_only_the_aligned_one() -> None:
    source = "She has never appeared on the cover of a fashion magazine."
    claim = "Ines Marlow was on a magazine cover."
    assert assess(claim, source).verdict is Verdict.CONTRADICTED


def test_a_claim_denying_by_meaning_what_the_source_states_is_contradicted() -> None:
    source = "Born in Valparaiso, Marlow studied photography in Santiago."
    claim = "Ines Marlow was born outside of Valparaiso."
    assert ("negation", "outside of Valparaiso", "Valparaiso") in _kinds(claim, source)
    elsewhere = "Born in Antofagasta, Marlow studied photography in Santiago."
    assert not [k for k in _kinds(claim, elsewhere) if k[0] == "negation"]


def test_a_word_ending_in_less_denies_its_root() -> None:
    source = "Marlow married the painter Tomas Reyes in 2006; they have two children."
    assert ("negation", "childless", "children") in _kinds("Ines Marlow is childless.", source)
    denied = "Marlow married the painter Tomas Reyes in 2006; they have no children."
    assert not [k for k in _kinds("Ines Marlow is childless.", denied) if k[0] == "negation"]


def test_a_number_word_facing_another_is_a_number_conflict() -> None:
    source = "The Larkspur was the second film directed by Ines Marlow, released in 1998."
    claim = "The Larkspur was the first film directed by Ines Marlow."
    assert ("number", "first", "second") in _kinds(claim, source)


def test_a_modifier_the_definition_replaces_is_a_feature() -> None:
    source = "The Larkspur is a 1998 British crime drama film set in Glasgow."
    other = analyse("The Larkspur is a romantic film.", Source.prepare(source))
    same = analyse("The Larkspur is a crime film.", Source.prepare(source))
    assert other.features.other_modifier == 1.0
    assert same.features.other_modifier == 0.0


def test_denying_a_definition_the_source_replaces_backs_the_claim() -> None:
    denied = analyse("Ines Marlow is not a racing driver.", Source.prepare(MARLOW))
    assert denied.features.denied_other_definition == 1.0
    assert denied.features.other_definition == 0.0
    assert not [f for f in denied.assessment.flags if f.kind in ("name", "negation")]
    asserted = analyse("Ines Marlow is not a photographer.", Source.prepare(MARLOW))
    assert asserted.features.denied_other_definition == 0.0
