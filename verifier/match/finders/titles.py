"""Titles: a person titled differently in the claim and in the source.

"Defense Minister Takeshi Iwaya" against "Foreign Minister Takeshi Iwaya": the same person
(the same surname) given another title. A less specific title ("Minister") is no conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.match.finders.base import Context, abbreviates
from verifier.match.tokens import Token, fold, word_set
from verifier.model import Flag, FlagKind, Severity

ROLE_HEADS = word_set(
    """
    minister secretary president chancellor premier governor senator mayor ambassador
    chairman chairwoman chair chairperson ceo cfo coo cto director chief commissioner
    general admiral colonel captain commander lieutenant major sergeant marshal
    king queen prince princess emperor empress pope bishop archbishop cardinal
    judge justice attorney prosecutor speaker spokesman spokeswoman spokesperson
    representative deputy editor publisher founder professor dean rector provost
    coach manager captain treasurer chancellor envoy consul leader head
    """
)
"""Words that end a title or role ("Defense *Minister*", "Chief Executive *Officer*")."""

ROLE_MODIFIERS = word_set(
    """
    defense defence foreign finance interior home justice health education trade economy
    economic agriculture energy environment transport labour labor culture prime vice deputy
    assistant associate acting interim former chief executive general managing senior junior
    first second state federal national attorney secretary lord lady grand supreme
    """
)
"""Words that narrow a role ("*Foreign* Minister"); a change in them is a change of title."""


def _is_role_word(token: Token) -> bool:
    word = fold(token.text)
    return word in ROLE_HEADS or word in ROLE_MODIFIERS


@dataclass(frozen=True)
class _Role:
    """A title attached to a person: "Foreign Minister Takeshi Iwaya", "Iwaya, the minister"."""

    surname: str
    words: tuple[str, ...]
    first: Token
    head: Token
    given: str | None = None
    """The given name written with the surname, if any ("takeshi")."""

    def same_person(self, other: _Role) -> bool:
        """No given names that differ ("Tim" is a short form of "Timothy", not another)."""
        if self.given is None or other.given is None:
            return True
        return self.given.startswith(other.given) or other.given.startswith(self.given)


def title_flags(
    claim: list[Token],
    claim_text: str,
    units_with: Callable[[str], list[list[Token]]],
    page_text: str,
) -> list[Flag]:
    """A person titled differently in the claim and in the source ("Defense" vs "Foreign").

    `units_with(norm)` gives the tokens of each source unit containing the word `norm`: the
    units of the passages that back the claim, so a title is compared only with one given in
    the passage the claim comes from, not with a namesake's elsewhere on the page.
    """
    flags: list[Flag] = []
    for role in _person_roles(claim, claim_text):
        source_roles = [
            found
            for unit in units_with(role.surname)
            for found in _person_roles(unit, page_text)
            if found.surname == role.surname and found.same_person(role)
        ]
        if not source_roles or any(_same_role(role.words, found.words) for found in source_roles):
            continue
        other = source_roles[0]
        start, end = role.first.start, role.head.end
        flags.append(
            Flag(
                start,
                end,
                FlagKind.TITLE,
                claim_text[start:end],
                page_text[other.first.start : other.head.end],
                Severity.CONFLICT,
            )
        )
    return flags


def _person_roles(tokens: list[Token], text: str) -> list[_Role]:
    """Titles attached to names in `tokens` (offsets into `text`)."""
    roles: list[_Role] = []
    for index, token in enumerate(tokens):
        if fold(token.text) not in ROLE_HEADS:
            continue
        start = _role_start(tokens, index)
        words = tuple(fold(t.text) for t in tokens[start : index + 1])
        # Title before the name: "Foreign Minister Takeshi Iwaya", "foreign minister, Iwaya".
        name_end = _name_end(tokens, index + 1, text)
        if name_end > index + 1:
            given = fold(tokens[index + 1].text) if name_end > index + 2 else None
            roles.append(_Role(tokens[name_end - 1].norm, words, tokens[start], token, given))
            continue
        # Title after the name: "Takeshi Iwaya, Japan's foreign minister".
        surname = _name_before(tokens, start, text) or _subject_of_title(tokens, start)
        if surname is not None:
            at = tokens.index(surname)
            before = tokens[at - 1] if at else None
            given = (
                fold(before.text)
                if before is not None
                and before.is_capitalised
                and before.is_content
                and not text[before.end : surname.start].strip()
                else None
            )
            roles.append(_Role(surname.norm, words, tokens[start], token, given))
    return roles


_TITLE_VERBS = word_set(
    "became become becomes becoming was is were are been served serves serving named appointed "
    "elected sworn made promoted nominated remained remains"
)
"""Verbs that give a person a title: "Iwaya, who became foreign minister in October"."""
_TITLE_LINKS = _TITLE_VERBS | word_set(
    "who has had have as in the a an then now later also former newly first since"
)
_TITLE_LINK_SPAN = 5


def _subject_of_title(tokens: list[Token], role_start: int) -> Token | None:
    """The surname a title is given to by a verb: "Iwaya became foreign minister", "Takeshi
    Iwaya, who was appointed foreign minister": a name, then linking words with a verb."""
    position = role_start - 1
    has_verb = False
    while (
        position >= 0
        and role_start - position <= _TITLE_LINK_SPAN
        and fold(tokens[position].text) in _TITLE_LINKS
    ):
        has_verb = has_verb or fold(tokens[position].text) in _TITLE_VERBS
        position -= 1
    if not has_verb or position < 0:
        return None
    surname = tokens[position]
    if not surname.is_capitalised or not surname.is_content or _is_role_word(surname):
        return None
    return surname


def _name_end(tokens: list[Token], begin: int, text: str) -> int:
    """End of the run of capitalised words starting at `begin` (a person's name).

    A comma or other separator ends it: in "Judge Lisa White Hardwick, Benjamin A. Lipman and
    Judge W. Brent Powell" the title belongs to Hardwick, not to Lipman."""
    end = begin
    while end < len(tokens) and tokens[end].is_capitalised and not _is_role_word(tokens[end]):
        gap = text[tokens[end - 1].end : tokens[end].start]
        if len(gap) > 2 or (end > begin and _NAME_BREAKS.intersection(gap)):
            break
        end += 1
    return end


_NAME_BREAKS = frozenset(",;:()[]\u2013\u2014")


_APPOSITION_OPENERS = frozenset({"the", "a", "an", "then", "now", "former"})


def _name_before(tokens: list[Token], role_start: int, text: str) -> Token | None:
    """The surname of "Iwaya, [the | Japan's] ..." ending just before an appositive title."""
    position = role_start - 1
    while position >= 0 and (
        fold(tokens[position].text) in _APPOSITION_OPENERS
        or tokens[position].text.endswith(("'s", "\u2019s"))
    ):
        position -= 1
    if position < 0 or position + 1 >= len(tokens):
        return None
    surname = tokens[position]
    if not surname.is_capitalised or _is_role_word(surname):
        return None
    # The apposition is set off by a comma right after the name.
    return surname if "," in text[surname.end : tokens[position + 1].start] else None


def _role_start(tokens: list[Token], head: int) -> int:
    """First word of the title ending at `head`: its modifiers ("Deputy Foreign Minister")."""
    start = head
    while (
        start > 0
        and head - start < 3
        and fold(tokens[start - 1].text) in ROLE_MODIFIERS
        and tokens[start].start - tokens[start - 1].end <= 2
    ):
        start -= 1
    return start


def _same_role(claim_role: tuple[str, ...], source_role: tuple[str, ...]) -> bool:
    # "Minister" in the claim is backed by "Foreign Minister": less specific is not a conflict.
    return claim_role[-1] == source_role[-1] and set(claim_role) <= set(source_role)


def find(context: Context) -> list[Flag]:
    """Person titles that differ, then titles that differ at the same aligned place."""
    page = context.source.page
    passages = context.passage_units
    flags = title_flags(
        list(context.tokens),
        context.claim,
        lambda norm: [page.tokens(unit) for unit in page.units_with(norm) if unit in passages],
        context.source.text,
    )
    claim, source = context.alignment.claim, context.alignment.source
    for slot, claim_words, source_words in context.comparable_slots:
        following = claim[slot.claim_end] if slot.claim_end < len(claim) else None
        if not is_title_slot(claim_words, source_words, following):
            continue
        if abbreviates(claim_words, source_words):
            continue
        last, source_last = claim_words[-1], source_words[-1]
        if following is not None and _is_role_word(following):
            # Show the whole role: "Defense Minister" vs "Foreign Minister".
            last = following
            pair = context.alignment.pairs.get(slot.claim_end)
            if pair is not None:
                source_last = source[pair]
        flags.append(
            context.flag(
                (claim_words[0].start, last.end),
                FlagKind.TITLE,
                (source_words[0].start, source_last.end),
            )
        )
    return flags


def is_title_slot(
    claim_words: list[Token], source_words: list[Token], following: Token | None
) -> bool:
    """Both sides of a slot hold a role word (or the claim's is followed by one): a title.
    Numbers and dates are compared by value, not here."""
    if any(t.is_number for t in (*claim_words, *source_words)):
        return False
    next_is_role = following is not None and fold(following.text) in ROLE_HEADS
    return (next_is_role or any(_is_role_word(t) for t in claim_words)) and any(
        _is_role_word(t) for t in source_words
    )
