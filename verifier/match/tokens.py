"""Words with their offsets and a normal form that lets paraphrase-level variants meet.

The normal form folds case and accents, strips possessives and common inflections, turns
number words and digit groupings into plain digits ("two" -> "2", "1,500,000" -> "1500000"),
so that set lookups do most of the matching and rapidfuzz is only needed for what is left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words joined by inner apostrophes, periods or digit commas stay one token ("don't", "U.S",
# "1,500,000", "3.5"); hyphens split ("English-language" -> "English", "language").
WORD = re.compile(r"[^\W_]+(?:[.,'\u2019][^\W_]+)*")
_DIGIT_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def word_list(text: str) -> list[str]:
    """Whitespace-separated words of a lexicon written as prose-like text."""
    return text.split()


def word_set(text: str) -> frozenset[str]:
    return frozenset(word_list(text))


STOPWORDS = word_set(
    """
    a an the and or but if then than so as of at by for from in into on onto to with within
    over under about above below between through during before after up down out off
    is are was were be been being am do does did done doing has have had having
    he she it they them their theirs his her hers its we us our ours you your yours i me my
    this that these those there here which who whom whose what when where why how
    also too very just only such some any each both all most more other another own same
    can could may might must shall should will would s t d ll m re ve o y
    itself himself herself themselves one's him while since because although though however
    whether yet upon onto via per among amongst until unless whose whom thus
    lrb rrb lsb rsb lcb rcb
    """
)
"""Function words: they carry no evidence on their own. Negations are deliberately absent."""

LIGHT_WORDS = word_set(
    """
    later again eventually currently recently formerly previously originally initially finally
    exclusively solely mainly mostly primarily largely generally widely particularly especially
    several various many numerous certain main major notable noted famous popular successful
    new first well still already often usually
    """
)
"""Words that shade a claim rather than carry it: their absence weighs little."""

NEGATIONS = word_set(
    "not no never none nobody nothing neither nor without cannot n't refused refuse refuses "
    "refusing failed fail fails failing unable denied deny denies denying"
)
"""Words that reverse what a sentence asserts ("agreed" vs "did not agree"), as written."""


def is_negation(token: Token, text: str) -> bool:
    """`token` (a word of `text`) reverses its sentence: "not", "never", "didn't", "refused".

    Judged on the written word, not the normal form: "noted" stems to "not". "No." before a
    number is the abbreviation of "number" ("No. 12").
    """
    word = fold(token.text).replace("\u2019", "'")
    if word.endswith("n't"):
        return True
    if word == "no" and text[token.end : token.end + 1] == ".":
        return False
    if word in _TURNS:
        return text[token.end : token.end + 5].lower() == " down"  # "turned down the offer"
    if word in _REFUSALS:
        # "declined to model" refuses; "sales declined by 5%" only fell.
        after = text[token.end : token.end + 5].lower()
        return after.startswith(" to ") and after[4:].isalpha()
    if word in _DESISTS:
        # "refrained from signing him" did not sign him.
        return text[token.end : token.end + 6].lower() == " from "
    return word in NEGATIONS


_REFUSALS = word_set("declined decline declines declining")
_DESISTS = word_set(
    "desisted desist desists desisting refrained refrain refrains refraining abstained abstain "
    "abstains abstaining"
)
_TURNS = word_set("turned turn turns turning")


_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        word_list(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
_NUMBER_WORDS.update(
    {
        "thirty": "30",
        "forty": "40",
        "fifty": "50",
        "sixty": "60",
        "seventy": "70",
        "eighty": "80",
        "ninety": "90",
        "hundred": "100",
        "first": "1",
        "second": "2",
        "third": "3",
        "fourth": "4",
        "fifth": "5",
        "sixth": "6",
        "seventh": "7",
        "eighth": "8",
        "ninth": "9",
        "tenth": "10",
    }
)
# "one" is usually a pronoun ("one of the best"), not a count; keep it a word.
del _NUMBER_WORDS["one"]

_IRREGULAR = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "won": "win",
    "wrote": "write",
    "written": "write",
    "began": "begin",
    "begun": "begin",
    "became": "become",
    "born": "bear",
    "died": "die",
    "dies": "die",
    "taught": "teach",
    "led": "lead",
    "held": "hold",
    "made": "make",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "left": "leave",
    "sold": "sell",
    "bought": "buy",
    "built": "build",
    "founded": "found",
    "founder": "found",
    "co": "co",
    "death": "die",
    "dead": "die",
    "birth": "bear",
    "grew": "grow",
    "grown": "grow",
    "met": "meet",
    "saw": "see",
    "seen": "see",
    "went": "go",
    "gone": "go",
    "fell": "fall",
    "fallen": "fall",
    "knew": "know",
    "known": "know",
    "chose": "choose",
    "chosen": "choose",
    "spoke": "speak",
    "spoken": "speak",
    "sang": "sing",
    "sung": "sing",
    "told": "tell",
    "said": "say",
    "paid": "pay",
    "lost": "lose",
    "brought": "bring",
    "thought": "think",
    "caught": "catch",
    "fought": "fight",
    "sent": "send",
    "spent": "spend",
    "stood": "stand",
    "struck": "strike",
    "rose": "rise",
    "risen": "rise",
    "kept": "keep",
    "felt": "feel",
    "drew": "draw",
    "drawn": "draw",
    "ran": "run",
}

SYNONYMS = (
    "film movie",
    "begin start commence",
    "end finish conclude",
    "win victory",
    "found establish create form",
    "company firm corporation",
    "buy acquire purchase",
    "large big",
    "award prize honour honor",
    "help assist",
    "require need",
    "receive obtain",
    "country nation",
    "physician doctor",
    "attorney lawyer",
    "show series programme program",
)
"""Words used interchangeably in encyclopaedic and news prose; each group meets at its first."""


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: where it is, how it is written, and its normal form."""

    start: int
    end: int
    text: str
    norm: str

    @property
    def is_content(self) -> bool:
        return self.norm not in STOPWORDS

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.norm[:1].isdigit()


def tokenize(text: str, offset: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[offset:end]`, with offsets into `text`."""
    stop = len(text) if end is None else end
    return [
        Token(match.start(), match.end(), match.group(), normalise(match.group()))
        for match in WORD.finditer(text, offset, stop)
    ]


NORMAL_FORMS: dict[str, str] = {}
"""Cache of `normalise` (read directly by the page indexer, its hottest loop)."""
NORMAL_FORMS_LIMIT = 25_000
"""Words kept (about 100 bytes each). Each claim brings its own figures and names, so the
cache grows with the claims: 30,000 claims made over 100,000 entries. Common words come back
within a page or two after a clear."""


def normalise(word: str) -> str:
    """The form two words share when a reader would take them as the same word."""
    known = NORMAL_FORMS.get(word)
    if known is None:
        if len(NORMAL_FORMS) >= NORMAL_FORMS_LIMIT:
            NORMAL_FORMS.clear()  # bound memory on long runs; the cache refills quickly
        known = NORMAL_FORMS[word] = _normalise(word)
    return known


def _normalise(word: str) -> str:
    folded = fold(word)
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)]
            break
    folded = folded.replace("\u2019", "'")
    if folded in STOPWORDS:
        return folded  # "during" must stay a function word, not become "dur"
    if folded in _NUMBER_WORDS:
        return _NUMBER_WORDS[folded]
    if folded[:1].isdigit():
        return _normalise_number(folded)
    if "." in folded:
        folded = folded.replace(".", "")  # "U.S" -> "us" would collide; keep letters only
        return folded if len(folded) > 2 else folded + "."
    stemmed = stem(folded)
    return SYNONYM_OF.get(stemmed, stemmed)


def fold(text: str) -> str:
    """Case- and accent-folded text (é -> e, ß -> ss)."""
    if text.isascii():
        return text.lower()
    return without_accents(text).casefold()


def without_accents(text: str) -> str:
    """`text` with its accents dropped (é -> e), case kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _normalise_number(word: str) -> str:
    if _DIGIT_GROUPS.match(word):
        word = word.replace(",", "")
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1)
    if "." in word:
        whole, _, fraction = word.partition(".")
        fraction = fraction.rstrip("0")
        return f"{whole}.{fraction}" if fraction else whole
    return word


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "elected"/"elects", not a linguistic stemmer."""
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        base = word[:-2]
        word = base if base.endswith("e") else _undouble(base)  # "agreed" -> "agree"
    elif word.endswith("es") and len(word) > 4 and word[-3] in "sxz":
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # Derived nouns and adverbs meet their verb or adjective: "election"/"elected",
    # "appointment"/"appointed", "performance"/"performed", "officially"/"official".
    for suffix, minimum in DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= minimum:
            word = word[: -len(suffix)]
            break
    # Final e and y vary with inflection: "name"/"named", "movie"/"movies", "play"/"plays".
    while word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    if word.endswith("y") and len(word) >= 4:
        word = word[:-1] + "i"
    return word


DERIVATIONS: tuple[tuple[str, int], ...] = (
    ("ment", 4),
    ("ion", 4),
    ("ance", 4),
    ("ence", 4),
    ("ness", 4),
    ("ly", 5),
)
"""Suffixes stripped after inflections, each with the shortest stem it may leave."""


def _synonym_of() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for group in SYNONYMS:
        stems = [stem(word) for word in group.split()]
        for one in stems[1:]:
            mapping[one] = stems[0]
    return mapping


def _undouble(base: str) -> str:
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
        return base[:-1]
    return base


def _surfaces_of() -> dict[str, tuple[str, ...]]:
    """Normal form -> words that reach it without sharing its first letters ("taught" for
    "teach", "two" for "2", "movie" for "film"), so a search by first letters finds them."""
    surfaces: dict[str, list[str]] = {}
    synonyms = [stem(word) for group in SYNONYMS for word in group.split()]
    for word in [*_IRREGULAR, *_NUMBER_WORDS, *synonyms]:
        norm = normalise(word)
        if not word.startswith(norm[:4]):
            surfaces.setdefault(norm, []).append(word)
    return {norm: tuple(words) for norm, words in surfaces.items()}


SYNONYM_OF = _synonym_of()
SURFACES_OF = _surfaces_of()
