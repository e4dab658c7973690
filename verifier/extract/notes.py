"""A footnote's text -> the citations it makes (URL, title, publisher, author, access date).

Format parsers hand over the note as plain text plus any link targets they found in its
markup; this module reads the bibliographic conventions, which are the same in every format:
"Title", Publisher, URL, (Access Date: 21.03.2024) · Author, Title, Retrieved 5 May 2024 ·
Ibid. / Id. (the previous note's source) · Op. cit. (the same author's earlier note).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, replace

from verifier.extract.urls import (
    archived_original,
    find_urls,
    is_archive_url,
    normalize_url,
    resource_key,
)
from verifier.model import Citation

_IBID = re.compile(r"^\W*(?:ibid(?:em)?\b\.?|id\.)", re.I)
_OP_CIT = re.compile(r"\b(?:op\.?\s*cit\.?|loc\.?\s*cit\.?)", re.I)
_QUOTED_TITLE = re.compile(
    r"\u201c(?P<curly>[^\u201d]{2,}?)[,.]?\u201d|\"(?P<straight>[^\"]{2,}?)[,.]?\"|"
    r"\u00ab(?P<guillemet>[^\u00bb]{2,}?)\u00bb|\u201e(?P<low>[^\u201c\u201d]{2,}?)[,.]?[\u201c\u201d]"
)
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|"
    rf"\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|{_MONTHS}\s+\d{{4}})"
)
_ACCESSED = re.compile(
    r"(?:access(?:ed)?(?:\s+(?:date|on))?|retrieved(?:\s+on)?|viewed(?:\s+on)?|"
    r"last\s+(?:accessed|visited)|consulted(?:\s+on)?|erişim\s+tarihi|abgerufen(?:\s+am)?|"
    r"zugriff(?:\s+am)?|consulté\s+le|consultado\s+(?:el|em)|geraadpleegd(?:\s+op)?)"
    rf"\s*[:\-]?\s*(?:on\s+)?(?P<date>{_DATE})",
    re.I,
)


@dataclass(frozen=True)
class NoteText:
    """A footnote as a format parser found it."""

    text: str
    """The note's visible text, whitespace as in the source."""
    links: tuple[tuple[str, str], ...] = ()
    """(target, anchor text) of the note's hyperlinks, in order, when the markup has them."""
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    accessed: str | None = None
    """Metadata the markup states outright (e.g. {{cite web |title=}}); wins over guessing."""
    from_markup: bool = False
    """The parser has read every link and all metadata from the note's markup: do not look
    for bare URLs or guess a title in `text` (|website=www.x.org is not a citation)."""


def is_ibid(text: str) -> bool:
    """ "Ibid.", "Ibid., p. 4", "Ibidem", "Id." — the same source as the previous note."""
    return bool(_IBID.match(text.strip()))


def op_cit_author(text: str) -> str | None:
    """For "Smith, op. cit., p. 5", the author key "smith"; None when the note is not op. cit."""
    match = _OP_CIT.search(text)
    if match is None:
        return None
    before = text[: match.start()].strip(" ,.;:")
    if not before:
        return None
    return _author_key(before)


def _author_key(text: str) -> str:
    """The surname a note starts with, lower-cased: "Smith, J." and "J. Smith" give "smith"."""
    head = re.split(r"[,(\u201c\"]", text.strip(), maxsplit=1)[0].strip()
    words = [word for word in re.findall(r"[^\W\d_][\w'\u2019-]*", head) if len(word) > 1]
    return words[-1].lower() if words else head.lower()


def note_author_key(text: str) -> str | None:
    """The author key a later "op. cit." note would use to refer to this note."""
    stripped = text.strip()
    if not stripped or is_ibid(stripped):
        return None
    return _author_key(stripped)


def join_split_urls(text: str) -> str:
    """Rejoin a URL broken over two lines (a line ending mid-URL, the rest on the next line)."""
    lines = text.split("\n")
    joined = lines[0]
    for line in lines[1:]:
        continuation = line.strip()
        if _continues_url(joined, continuation):
            joined = joined.rstrip() + continuation
        else:
            joined = joined + "\n" + line
    return joined


def _continues_url(before: str, continuation: str) -> bool:
    tail = before.rstrip().rsplit(None, 1)
    if not tail or not continuation:
        return False
    last_token = tail[-1]
    if not re.match(r"(?:https?://|www\.)", last_token, re.I):
        return False
    first_token = continuation.split(None, 1)[0]
    if re.match(r"(?:https?://|www\.)", first_token, re.I) or first_token[0] in '([\u201c"':
        return False
    if last_token[-1] in "/-_=&?%#.":
        return True
    # The rest of a path or query: no spaces, and URL punctuation a word would not have.
    return (
        bool(re.search(r"[/=&%_?#]|\.[a-z]{2,5}\b", first_token)) and not first_token[0].isupper()
    )


def citations_from_note(note: NoteText) -> tuple[Citation, ...]:
    """The citations one note makes: one per distinct cited URL (an archived copy rides
    along with its original), or a single URL-less citation for a book or a bare note."""
    text = join_split_urls(note.text)
    flat_text = " ".join(text.split())
    targets = [target for target, _ in note.links if target and not target.startswith("#")]
    seen = {resource_key(target) for target in targets}
    for url in [] if note.from_markup else find_urls(text):
        key = resource_key(url)
        if key not in seen:
            seen.add(key)
            targets.append(url)
    title, publisher, accessed = note.title, note.publisher, note.accessed
    author = note.author
    if not note.from_markup:
        title = title or _guess_title(flat_text, note.links)
        publisher = publisher or _guess_publisher(flat_text, title)
        accessed = accessed or _find_accessed(flat_text)
        author = author or _guess_author(flat_text, title)
    if not targets:
        return (
            Citation(
                url=None,
                title=title,
                publisher=publisher,
                accessed=accessed,
                note=flat_text,
                author=author,
            ),
        )
    citations: list[Citation] = []
    for original, archive in _pair_archives(targets):
        citations.append(
            Citation(
                url=original,
                title=title,
                publisher=publisher,
                accessed=accessed,
                note=flat_text,
                author=author,
                archive_url=archive,
                normalized_url=normalize_url(original),
            )
        )
    return tuple(citations)


def _pair_archives(targets: list[str]) -> list[tuple[str, str | None]]:
    """(original, archived copy) pairs in citation order; a lone archive URL stands alone."""
    originals = [url for url in targets if not is_archive_url(url)]
    archives = [url for url in targets if is_archive_url(url)]
    pairs: list[tuple[str, str | None]] = []
    # An original's copy is the first unpaired archive of the same resource: archives are
    # queued by the resource they copy, so pairing costs one lookup per URL, not per pair.
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for position, archive in enumerate(archives):
        copied = archived_original(archive)
        if copied:
            waiting[resource_key(copied)].append(position)
    paired = [False] * len(archives)
    for original in originals:
        queue = waiting.get(resource_key(original))
        match = queue.popleft() if queue else None
        if match is None and len(originals) == 1 and len(archives) == 1:
            match = 0  # "URL ... Archived from the original at <archive>"
        if match is not None:
            paired[match] = True
        pairs.append((original, archives[match] if match is not None else None))
    pairs.extend((archives[i], None) for i, done in enumerate(paired) if not done)
    return pairs


def _guess_title(text: str, links: tuple[tuple[str, str], ...]) -> str | None:
    quoted = _QUOTED_TITLE.search(text)
    if quoted:
        title = (
            quoted.group("curly")
            or quoted.group("straight")
            or quoted.group("guillemet")
            or quoted.group("low")
        )
        return " ".join(title.split())
    for target, anchor in links:
        anchor = " ".join(anchor.split())
        if anchor and not target.startswith("#") and not find_urls(anchor) and len(anchor) > 3:
            return anchor
    return None


def _guess_publisher(text: str, title: str | None) -> str | None:
    """The field right after a title: "Title", SCMP, https://... gives "SCMP"."""
    if title is None:
        return None
    position = text.find(title)
    if position < 0:
        return None
    rest = text[position + len(title) :].lstrip('\u201d"\u00bb,.:; ')
    # A link's target rendered after its anchor ("Title <sources/x.html>, Publisher") is
    # the URL, not the publisher; it can be a relative path that find_urls does not see.
    rest = re.sub(r"^<[^<>\s]*>", "", rest).lstrip(",.:; ")
    field = re.split(r"[,;(]|\s(?:https?://|www\.)|\.\s", rest, maxsplit=1)[0].strip(" .:<[")
    if (
        not re.search(r"[^\W\d_]", field)
        or len(field) > 80
        or find_urls(field)
        or _ACCESSED.search(field)
        or re.match(r"(?:access|retrieved|viewed|archived|accessed)\b", field, re.I)
    ):
        return None
    return field


def _guess_author(text: str, title: str | None) -> str | None:
    """What precedes a quoted title: 'Smith, J., "Title", ...' gives "Smith, J."."""
    if title is None:
        return None
    position = text.find(title)
    if position <= 0:
        return None
    before = text[:position].rstrip(' \u201c\u201e"\u00ab').strip(" ,:;")
    if before.endswith(".") and not re.search(r"\b[A-Z]\.$", before):
        before = before[:-1]  # the sentence's period, unless it ends an initial ("J.")
    if not (2 <= len(before) <= 80) or find_urls(before) or not re.search(r"[^\W\d_]", before):
        return None
    return before


def _find_accessed(text: str) -> str | None:
    match = _ACCESSED.search(text)
    return match.group("date") if match else None


_SUPRA = re.compile(
    r"^\W*(?:see\s+)?(?:supra\s+)?note\s+(?P<label>\w{1,6})\b|\bsupra\s+note\s+(?P<supra>\w{1,6})\b",
    re.I,
)


def resolve_shorthand(
    note_text: str,
    previous: tuple[Citation, ...] | None,
    by_author: dict[str, tuple[Citation, ...]],
    by_label: dict[str, tuple[Citation, ...]] | None = None,
) -> tuple[Citation, ...] | None:
    """Citations for an "Ibid.", "op. cit." or "supra note 3" note from the notes before it;
    None if the note is none of these. An Ibid. with nothing before it has no URL."""
    flat_text = " ".join(note_text.split())
    supra = _SUPRA.search(flat_text)
    if supra and by_label and not find_urls(flat_text):
        label = supra.group("label") or supra.group("supra")
        if label in by_label:
            return tuple(replace(citation, note=flat_text) for citation in by_label[label])
    if is_ibid(flat_text):
        if not previous:
            return (Citation(url=None, note=flat_text),)
        return tuple(replace(citation, note=flat_text) for citation in previous)
    author = op_cit_author(flat_text)
    if author is not None and author in by_author and not find_urls(flat_text):
        return tuple(replace(citation, note=flat_text) for citation in by_author[author])
    return None
