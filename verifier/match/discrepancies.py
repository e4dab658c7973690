"""Typed discrepancies: where the source says something *different* about the same thing.

Each finder returns flags with the claim's words (offsets into the claim) and the source's
conflicting words. A difference needs an anchor: the same person for a title, the same place in
an aligned passage for a number, date or name. Without an anchor a missing detail is only
unsupported, never contradicted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from verifier.match.alignment import Alignment
from verifier.match.quantities import DateMention, NumberMention, years_of
from verifier.match.tokens import Token, fold, is_negation, normalise, tokenize, word_set
from verifier.model import Flag

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

_QUOTE = re.compile(
    r"[\"\u201c\u201d\u201e](?P<body>[^\"\u201c\u201d\u201e]{3,}?)[\"\u201c\u201d]"
    r"|\u2018(?P<single>[^\u2018\u2019]{3,}?)\u2019"
)
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_BRACKETED = re.compile(r"\s*\[[^\]]*\]\s*")


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


def title_flags(
    claim: list[Token],
    claim_text: str,
    units_with: Callable[[str], list[list[Token]]],
    page_text: str,
) -> list[Flag]:
    """A person titled differently in the claim and in the source ("Defense" vs "Foreign").

    `units_with(norm)` gives the tokens of each source unit containing the word `norm`.
    """
    flags: list[Flag] = []
    for role in _person_roles(claim, claim_text):
        source_roles = [
            found
            for unit in units_with(role.surname)
            for found in _person_roles(unit, page_text)
            if found.surname == role.surname
        ]
        if not source_roles or any(
            _same_role(role.words, found.words) or _heads_body(role, found, page_text)
            for found in source_roles
        ):
            continue
        other = source_roles[0]
        start, end = role.first.start, role.head.end
        flags.append(
            Flag(
                start,
                end,
                "title",
                claim_text[start:end],
                page_text[other.first.start : other.head.end],
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
            roles.append(_Role(tokens[name_end - 1].norm, words, tokens[start], token))
            continue
        # Title after the name: "Takeshi Iwaya, Japan's foreign minister".
        surname = _name_before(tokens, start, text) or _subject_of_title(tokens, start)
        if surname is not None:
            roles.append(_Role(surname.norm, words, tokens[start], token))
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


_WORD_BEFORE = re.compile(r"(\w+)[ \t]?$")


def _heads_body(claim_role: _Role, source_role: _Role, page_text: str) -> bool:
    """ "state senator" and "Senate President": the source's title is a post held among the
    body the claim's title names, so both can be true of one person."""
    before = _WORD_BEFORE.search(
        page_text, max(source_role.first.start - 30, 0), source_role.first.start
    )
    if before is None or not before.group(1)[:1].isupper():
        return False
    stem = claim_role.words[-1][:5]
    return len(stem) == 5 and fold(before.group(1)).startswith(stem)


def _same_role(claim_role: tuple[str, ...], source_role: tuple[str, ...]) -> bool:
    # "Minister" in the claim is backed by "Foreign Minister": less specific is not a conflict.
    return claim_role[-1] == source_role[-1] and set(claim_role) <= set(source_role)


def slot_flags(
    alignment: Alignment,
    claim_text: str,
    source_text: str,
    on_page: Callable[[Token], bool],
) -> list[Flag]:
    """Titles, names and negations that differ at the same aligned place.

    `on_page(token)` says whether the page states a claim word anywhere: a name the page
    does give elsewhere is not contradicted by a different one in this passage.
    """
    flags: list[Flag] = []
    claim, source = alignment.claim, alignment.source
    for slot in alignment.slots():
        claim_words = claim[slot.claim_start : slot.claim_end]
        source_words = source[slot.source_start : slot.source_end]
        negation = _negated_match(alignment, slot.claim_start, slot.claim_end, claim_text)
        source_negated = any(is_negation(t, source_text) for t in source_words)
        if negation is not None and not source_negated:
            flags.append(_negation_flag(alignment, negation, claim_text, source_text))
            continue
        if source_negated or any(is_negation(t, claim_text) for t in claim_words):
            continue  # a negation facing other words: not the same statement
        if all(on_page(t) for t in claim_words):
            continue
        if not source_words or not slot.bounded:
            continue
        ordinals = _other_ordinal(claim_words, source_words)
        if ordinals is not None:
            mine, theirs = ordinals
            flags.append(Flag(mine.start, mine.end, "number", mine.text, theirs.text))
            continue
        kind = _slot_kind(claim, slot.claim_start, slot.claim_end, source_words)
        opposed = _opposed(claim_words, source_words) if kind is None else None
        if opposed is not None:
            # "worst-selling" where the source says "best-selling": the reverse statement.
            mine, theirs = opposed
            flags.append(
                Flag(
                    mine.start,
                    mine.end,
                    "negation",
                    claim_text[mine.start : mine.end],
                    source_text[theirs.start : theirs.end],
                )
            )
            continue
        if kind is None or _abbreviates(claim_words, source_words):
            continue
        first, last = claim_words[0], claim_words[-1]
        source_first, source_last = source_words[0], source_words[-1]
        if kind == "title" and slot.claim_end < len(claim) and _is_role_word(claim[slot.claim_end]):
            # Show the whole role: "Defense Minister" vs "Foreign Minister".
            last = claim[slot.claim_end]
            pair = alignment.pairs.get(slot.claim_end)
            if pair is not None:
                source_last = source[pair]
        flags.append(
            Flag(
                first.start,
                last.end,
                kind,
                claim_text[first.start : last.end],
                source_text[source_first.start : source_last.end],
            )
        )
    # A claim negation whose governed word the passage states far from the claim's other words
    # (a slot too long to compare): "not the first woman" against "became the first woman".
    flagged = {(flag.start, flag.end) for flag in flags}
    for index, token in enumerate(claim):
        if not is_negation(token, claim_text) or index + 1 not in alignment.pairs:
            continue
        if _negation_qualified(token, claim_text):
            continue
        governed = alignment.pairs[index + 1]
        before = source[max(governed - _NEGATION_REACH, 0) : governed]
        if any(is_negation(t, source_text) for t in before):
            continue
        flag = _negation_flag(alignment, index, claim_text, source_text)
        if (flag.start, flag.end) not in flagged and index not in alignment.pairs:
            flags.append(flag)
            flagged.add((flag.start, flag.end))
    if not any(flag.kind == "negation" for flag in flags):
        flags.extend(_claim_denial(alignment, claim_text, source_text))
    if not any(flag.kind == "negation" for flag in flags):
        flags.extend(_source_negation(alignment, claim_text, source_text))
    return flags


def _claim_denial(alignment: Alignment, claim_text: str, source_text: str) -> list[Flag]:
    """A claim denying, by a word of meaning rather than "not", what the passage states
    plainly: "has *yet to* appear" against "makes appearances", "born *outside* of Valparaiso"
    against "born in Valparaiso", "*childless*" against "they have two children"."""
    words = tokenize(claim_text)
    for index, word in enumerate(words):
        if not _denies(word, claim_text):
            continue
        folded = fold(word.text)
        if folded.endswith("less") and folded not in _DENIALS:
            governed: Token | None = Token(word.start, word.end, word.text, normalise(folded[:-4]))
        else:
            governed = next((w for w in words[index + 1 :] if w.is_content), None)
        if governed is None:
            continue
        for theirs in alignment.source:
            if alignment.accepts(governed, theirs) and not _denied(source_text, theirs.start):
                return [
                    Flag(
                        word.start,
                        governed.end,
                        "negation",
                        claim_text[word.start : governed.end],
                        source_text[theirs.start : theirs.end],
                    )
                ]
    return []


def _denies(word: Token, text: str) -> bool:
    folded = fold(word.text)
    after = text[word.end : word.end + 6].lower()
    if folded == "yet":
        return after.startswith(" to ")
    if folded == "other":
        return after.startswith(" than ")
    return folded in _DENIALS or (folded.endswith("less") and len(folded) > 6)


def _denied(text: str, position: int) -> bool:
    """The passage's word at `position` is itself negated or denied ("barely residential")."""
    if negated_before(text, position) is not None:
        return True
    return any(_denies(word, text) for word in tokenize(text, max(position - 30, 0), position)[-2:])


_DENIALS = word_set(
    """
    incapable unwilling unaware outside disassociated dissociated barely hardly lack lacks
    lacked lacking unrelated
    """
)
"""Words that deny what follows them without a negation ("incapable of", "outside of")."""


def _source_negation(alignment: Alignment, claim_text: str, source_text: str) -> list[Flag]:
    """A negation in the passage over a word the claim states plainly: "the council
    *refused* to fund the tram line" against "agreed to fund the tram line", "did *not*
    approve the budget" against "approved the budget". Claims with a negative word of their
    own are left to the claim-side rules: their scope is not known well enough to compare."""
    claim_words = tokenize(claim_text)
    if any(_negative_word(word, claim_text) for word in claim_words):
        return []
    # Every occurrence counts, not only the one aligned in order: "has never appeared on
    # the cover of a journal" against "was on a journal cover".
    stated = (
        (token, theirs)
        for token in alignment.claim
        if not (token.is_capitalised or token.is_number)  # names: the negation is of a deed
        for theirs in alignment.source
        if alignment.accepts(token, theirs)
    )
    for token, theirs in stated:
        negation = negated_before(source_text, theirs.start)
        if negation is not None:
            return [
                Flag(
                    token.start,
                    token.end,
                    "negation",
                    claim_text[token.start : token.end],
                    source_text[negation.start : theirs.end],
                )
            ]
    return []


def _negative_word(word: Token, text: str) -> bool:
    """A word that makes a claim negative or limited in meaning, if not in form."""
    return is_negation(word, text) or _denies(word, text) or fold(word.text) in _LIMITING


_LIMITING = word_set(
    """
    only impossible absent away instead other besides except excluding unknown unsuccessful
    unlikely unmarried unreleased unfinished uncredited unsigned unnamed inactive ineligible
    """
)
"""Words that limit or negate a claim without denying the word after them ("only", "unknown")."""


def negated_before(text: str, position: int) -> Token | None:
    """The negation governing the word at `position`: within the few words before it and
    the same clause ("it *refused* to fund the line", "*has yet to* appear", "did *not*
    approve the budget"), unless it only limits the word ("not only"); None when there is none."""
    start = max(text.rfind(mark, 0, position) for mark in _CLAUSE_MARKS) + 1
    words = tokenize(text, max(start, position - _NEGATION_CHARS), position)[-_NEGATION_WORDS:]
    for index, word in enumerate(words):
        if is_negation(word, text) and not _negation_qualified(word, text):
            return word
        if (
            fold(word.text) == "yet"
            and 0 < index < len(words) - 1
            and fold(words[index - 1].text) in _PERFECT
            and fold(words[index + 1].text) == "to"
        ):
            return words[index - 1]
    return None


_CLAUSE_MARKS = (",", ";", ":", ".", "(", ")", "\n", " but ", " while ", " whereas ", " although ")
_NEGATION_WORDS = 5
_NEGATION_CHARS = 60
_PERFECT = word_set("has have had is are was were")


_NEGATION_REACH = 3
"""Passage words before a governed word in which its own negation would stand."""

_QUALIFIERS = re.compile(r"\s+(?:only|just|merely|simply|solely|necessarily|always)\b", re.I)


def _negation_qualified(token: Token, claim_text: str) -> bool:
    """ "not only a singer", "not just a film": the negation limits a word, not the statement."""
    return _QUALIFIERS.match(claim_text, token.end) is not None


_OPPOSITES = [
    ("best", "worst"),
    ("greatest", "worst"),
    ("most", "least"),
    ("first", "last"),
    ("began", "ended"),
    ("begin", "end"),
    ("started", "ended"),
    ("start", "end"),
    ("formed", "disbanded"),
    ("won", "lost"),
    ("win", "lose"),
    ("increased", "decreased"),
    ("rose", "fell"),
    ("success", "failure"),
    ("successful", "unsuccessful"),
    ("male", "female"),
    ("largest", "smallest"),
    ("highest", "lowest"),
    ("older", "younger"),
    ("oldest", "youngest"),
    ("north", "south"),
    ("east", "west"),
    ("northern", "southern"),
    ("eastern", "western"),
    ("living", "dead"),
    ("alive", "dead"),
    ("public", "private"),
    ("legal", "illegal"),
    ("positive", "negative"),
    ("acclaimed", "panned"),
]
_OPPOSITE = {pair for one, other in _OPPOSITES for pair in ((one, other), (other, one))}
"""Words that state the reverse of each other in the same place of a sentence."""


def _opposed(claim_words: list[Token], source_words: list[Token]) -> tuple[Token, Token] | None:
    """A claim word and its opposite among the source's words at the same place."""
    for mine in claim_words:
        for theirs in source_words:
            if (fold(mine.text), fold(theirs.text)) in _OPPOSITE:
                return mine, theirs
    return None


def _other_ordinal(
    claim_words: list[Token], source_words: list[Token]
) -> tuple[Token, Token] | None:
    """A number written as a word ("first", "three") facing another at the same place:
    "her first studio album" against "her second studio album"."""
    mine = [t for t in claim_words if t.is_number and t.text.isalpha()]
    theirs = [t for t in source_words if t.is_number and t.text.isalpha()]
    if len(mine) == 1 and len(theirs) == 1 and mine[0].norm != theirs[0].norm:
        return mine[0], theirs[0]
    return None


def _abbreviates(one: list[Token], other: list[Token]) -> bool:
    """One side is the other's initials: "ASSR" and "Autonomous Soviet Socialist Republic"."""
    for short, long in ((one, other), (other, one)):
        if len(short) == 1 and len(long) >= 2 and short[0].text.isupper():
            initials = "".join(token.text[:1] for token in long).upper()
            if short[0].text.rstrip("s") == initials:
                return True
    return False


def _negated_match(
    alignment: Alignment, claim_start: int, claim_end: int, claim_text: str
) -> int | None:
    """Index of a claim negation in the slot whose governed word the source states plainly.

    "never abdicated" against "he abdicated": the source says the opposite. "not a musician"
    against "a football player" is no contradiction: the source does not mention musicians.
    """
    claim = alignment.claim
    for index in range(claim_start, claim_end):
        if is_negation(claim[index], claim_text):
            if _negation_qualified(claim[index], claim_text):
                return None
            governed = index + 1
            if governed < len(claim) and governed in alignment.pairs:
                return index
            return None
    return None


def _negation_flag(alignment: Alignment, negation: int, claim_text: str, source_text: str) -> Flag:
    """Flag "not agree" (the negation and the word it governs) against the source's "agreed"."""
    first, last = alignment.claim[negation], alignment.claim[negation + 1]
    verb = alignment.source[alignment.pairs[negation + 1]]
    phrase = claim_text[first.start : last.end]
    return Flag(first.start, last.end, "negation", phrase, source_text[verb.start : verb.end])


def _slot_kind(
    claim: list[Token], claim_start: int, claim_end: int, source_words: list[Token]
) -> str | None:
    claim_words = claim[claim_start:claim_end]
    if any(t.is_number for t in claim_words) or any(t.is_number for t in source_words):
        return None  # numbers and dates are compared by value elsewhere
    next_is_role = claim_end < len(claim) and fold(claim[claim_end].text) in ROLE_HEADS
    if (next_is_role or any(_is_role_word(t) for t in claim_words)) and any(
        _is_role_word(t) for t in source_words
    ):
        return "title"
    short = len(claim_words) <= 3 and len(source_words) <= 4
    if short and all(t.is_capitalised for t in (*claim_words, *source_words)):
        return "name"
    return None


def number_flags(
    claim_numbers: list[NumberMention],
    page_numbers: list[NumberMention],
    passage_numbers: list[NumberMention],
    claim_text: str,
    page_text: str,
    slot_of: dict[int, tuple[int, int]],
    prefer_last: frozenset[int] = frozenset(),
) -> list[Flag]:
    """Claim quantities the page never states, with the passage's quantity in the same place.

    `slot_of` maps a claim number's start offset to the source character range facing it;
    `prefer_last` holds the starts of numbers that end their slot (anchored on the right).
    """
    flags: list[Flag] = []
    for number in claim_numbers:
        if any(number.matches(other) for other in page_numbers):
            continue
        slot = slot_of.get(number.start)
        facing = [
            other
            for other in passage_numbers
            if slot is not None and slot[0] <= other.start and other.end <= slot[1]
        ]
        # The source number nearest the claim number's own anchor word: the one just before
        # "years" when the claim says "twelve years".
        chosen = (facing[-1] if number.start in prefer_last else facing[0]) if facing else None
        source = page_text[chosen.start : chosen.end] if chosen is not None else None
        flags.append(
            Flag(
                number.start,
                number.end,
                "number" if source else "unsupported",
                claim_text[number.start : number.end],
                source,
            )
        )
    return flags


def date_flags(
    claim_dates: list[DateMention],
    page_dates: list[DateMention],
    passage_dates: list[DateMention],
    claim_text: str,
    page_text: str,
    slot_of: dict[int, tuple[int, int]],
) -> list[Flag]:
    """Claim dates no page date backs; conflicting when the passage gives another date there."""
    flags: list[Flag] = []
    years = years_of(page_dates)
    for date in claim_dates:
        if date.backed_in(page_dates, years):
            continue
        slot = slot_of.get(date.start)
        facing = [
            other
            for other in passage_dates
            if slot is not None
            # A date written in more words than the claim's may run past the slot.
            and other.start < slot[1]
            and slot[0] < other.end
            and not date.compatible_with(other)
            and not is_dateline(page_text, other)
            and not _in_range(page_text, other)
        ]
        if not facing:
            # No aligned slot: a passage date agreeing on some field but not all is the same
            # event dated differently ("4 March 2025" vs "3 March 2025") -- unless it dates the
            # page itself ("By Travis Zimpfer on March 2, 2017"), which no event contradicts.
            facing = [
                other
                for other in passage_dates
                if not date.compatible_with(other)
                and _shares_field(date, other)
                and not is_dateline(page_text, other)
                and not _in_range(page_text, other)
            ]
        source = page_text[facing[0].start : facing[0].end] if facing else None
        flags.append(
            Flag(
                date.start,
                date.end,
                "date" if source else "unsupported",
                claim_text[date.start : date.end],
                source,
            )
        )
    return flags


_BYLINE = re.compile(
    r"\b(?:by|published|updated|posted|modified|last|copyright|captures|meta data|datetime)\b",
    re.IGNORECASE,
)
_DATELINE_WORDS = 14


def is_dateline(page_text: str, date: DateMention) -> bool:
    """The date stands in a short line that dates the page (a byline, a publication or update
    stamp, or the date alone) or in an address, rather than in a sentence about an event."""
    before = page_text[date.start - 1 : date.start] if date.start else ""
    if before == "/" or page_text[date.end : date.end + 1] == "/":
        return True
    line_start = page_text.rfind("\n", 0, date.start) + 1
    line_end = page_text.find("\n", date.end)
    line = page_text[line_start : line_end if line_end >= 0 else len(page_text)]
    words = len(line.split())
    if words > _DATELINE_WORDS:
        return False
    rest = page_text[line_start : date.start] + page_text[date.end : line_start + len(line)]
    return len(rest.split()) <= 2 or _BYLINE.search(line) is not None


# Spans of days ("May 11-22", "1-4 March"); a span between two full dates ("from September
# 1994 to August 1995") dates its ends, and a claim date facing an end does conflict.
_RANGE_AFTER = re.compile(r"\s*[-\u2013\u2014]\s*[0-3]?\d(?!\d)")
_RANGE_BEFORE = re.compile(r"(?<!\d)[0-3]?\d\s*[-\u2013\u2014]\s*$")


def _in_range(page_text: str, date: DateMention) -> bool:
    """The date opens or closes a span of days ("runs May 11-22", "1-4 March"): a date inside
    the span is no contradiction, and the parsed end point alone cannot tell."""
    before = page_text[max(date.start - 12, 0) : date.start]
    return bool(_RANGE_AFTER.match(page_text, date.end) or _RANGE_BEFORE.search(before))


def _shares_field(one: DateMention, other: DateMention) -> bool:
    return any(
        mine is not None and mine == theirs
        for mine, theirs in ((one.year, other.year), (one.month, other.month), (one.day, other.day))
    )


def quote_flags(claim_text: str, page_words: str, page_text: str) -> list[Flag]:
    """Quoted phrases of two or more words that the page does not contain verbatim.

    `page_words` is the page as " word word ... " (folded words, single spaces). An ellipsis
    in the quote may skip source text; a [bracketed] insertion is the quoter's own words.
    """
    flags: list[Flag] = []
    for match in _QUOTE.finditer(claim_text):
        group = "body" if match.group("body") is not None else "single"
        body = match.group(group)
        words = body.split()
        if len(words) < 2:
            continue
        if sum(word[:1].isupper() for word in words) * 2 > len(words):
            continue  # a quoted title ("Master of Puppets") is a name, not a quotation
        parts = [p for p in re.split(_ELLIPSIS.pattern + "|" + _BRACKETED.pattern, body) if p]
        cursor = 0
        verbatim = True
        for part in parts:
            needle = " " + " ".join(_words(part)) + " "
            if needle.strip() == "":
                continue
            found = page_words.find(needle, cursor)
            if found < 0 and part is parts[0]:
                found = page_words.find(_abbreviated(part), cursor)
            if found < 0:
                verbatim = False
                break
            cursor = found + len(needle) - 1
        if verbatim:
            continue
        alignment = fuzz.partial_ratio_alignment(body, page_text, score_cutoff=60)
        source = None
        if alignment is not None:
            source = _whole_words(page_text, alignment.dest_start, alignment.dest_end)
        start, end = match.span(group)
        flags.append(Flag(start, end, "quote", claim_text[start:end], source))
    return flags


_WORD = re.compile(r"[^\W_]+")


def _abbreviated(part: str) -> str:
    """The lookup string of a quoted name with its first word cut to the initial, as a source
    writes a genus or a given name it has spelt out before ("A. swainsonii mimetes")."""
    words = _words(part)
    if len(words) < 2 or len(words[0]) < 2 or not part.lstrip()[:1].isupper():
        return "\x00"  # nothing to abbreviate: a string no page contains
    return " " + " ".join([words[0][0], *words[1:]]) + " "


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end] widened to whole words (rapidfuzz aligns by characters)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end].strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text.replace("&", " and ")))


def page_word_string(page_text: str) -> str:
    """The page as " word word ... " for verbatim quote lookups (give it folded text)."""
    return " " + " ".join(_WORD.findall(page_text.replace("&", " and "))) + " "
