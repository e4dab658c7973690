"""HTML articles: <sup>/<a href="#note"> markers into a list or section of notes.

Covers the common producers: markdown-it / pandoc footnotes (`footnote-ref` -> `<li id="fn1">`),
DPUB-ARIA (`doc-noteref` -> `doc-endnote`), Wikipedia (`<sup class="reference">` ->
`<ol class="references"><li id="cite_note-...">`) and hand-written `<sup><a href="#n1">`.
A link is a marker when it points into the page at a note-like element (a list item, or an
element marked as a note by role, class or id) and looks like a marker (inside <sup>,
marked as a note reference, or a short label such as "[3]").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from verifier.errors import InvalidURL
from verifier.extract.assemble import Body, Note, assemble
from verifier.extract.html_text import extract_unlinked_notes
from verifier.extract.notes import NoteText
from verifier.model import Extraction, ExtractionWarning
from verifier.text.html_tags import BLOCK_TAGS, NON_PROSE_TAGS
from verifier.urls import split_url

# Titles, form controls and formulas hold no prose a claim could cite.
_SKIPPED_TAGS = NON_PROSE_TAGS | {"title", "math", "button", "select"}
# Table cells are not blocks here: the cells of a row read as one line, joined by " | ".
_BLOCK_TAGS = BLOCK_TAGS - {"td", "th"}
# In a note's text every block, table cells included, only keeps the words on either side
# of it apart (a note reads as one line).
_NOTE_WORD_BREAKS = BLOCK_TAGS | {"br"}
_NOTE_HINT = re.compile(r"foot|endnote|\bnotes?\b|note-|fn|cite_note|reference|reflist", re.I)
_NOTE_ROLES = frozenset({"doc-endnote", "doc-footnote", "doc-biblioentry", "note"})
_MARKER_HINT = re.compile(r"footnote-ref|fnref|noteref|reference|cite_ref|footnote", re.I)
_MARKER_TEXT = re.compile(
    r"^\s*[\[(]?\s*(?P<label>[\w*\u2020\u2021]{1,6}(?:[ \u00a0]\w{1,4})?(?::\d+)?)\s*[\])]?\s*$"
)
_BACKLINK_TEXT = re.compile(
    r"^\s*[\u21a9\u2191^\u2934\ufe0e\ufe0f]+\s*$|^\s*(?:back|return)\b", re.I
)
_BACKLINK_HINT = re.compile(r"backref|backlink|cite-backlink|footnote-back|fnref", re.I)
_HIDDEN_CLASS = re.compile(
    r"\bmw-editsection\b|\bsr-only\b|\bvisually-hidden\b|\bnoprint\b|\binfobox\b|\bnavbox\b"
)


@dataclass
class _Notes:
    """Note elements found through markers, in the order markers first reach them."""

    labels: dict[HtmlElement, str] = field(default_factory=dict)
    marker_notes: dict[HtmlElement, HtmlElement] = field(default_factory=dict)
    ids: dict[str, HtmlElement] = field(default_factory=dict)
    """Elements by id, to follow short citations ("King 2003" -> #CITEREFKing2003)."""
    nested: set[HtmlElement] = field(default_factory=set)
    """Markers that stand inside a note (a note citing a source of its own)."""

    def cited_from_text(self) -> set[HtmlElement]:
        return {note for anchor, note in self.marker_notes.items() if anchor not in self.nested}


def extract_html(source: str, article: str) -> Extraction:
    """Claims of an HTML article."""
    if not source.strip():
        return Extraction(article=article, claims=())
    try:
        root = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return Extraction(article=article, claims=())
    warnings: list[ExtractionWarning] = []
    base_url = _base_url(root)
    mediawiki = bool(
        root.xpath(
            "//meta[@name='generator'][starts-with(@content, 'MediaWiki')]"
            " | //*[contains(concat(' ', @class, ' '), ' mw-parser-output ')]"
        )
    )
    notes = _find_markers(root, article, warnings)
    if not notes.labels:
        unlinked = extract_unlinked_notes(root, article)
        return replace(unlinked, warnings=(*warnings, *unlinked.warnings))
    note_elements = set(notes.labels)
    body = Body()
    start = root.find("body")
    _walk(start if start is not None else root, body, notes, note_elements)
    cited = notes.cited_from_text()
    note_values = [
        Note(label, _note_text(element, base_url, mediawiki, notes.ids), element.sourceline or 0)
        for element, label in sorted(notes.labels.items(), key=lambda item: _order(item[0]))
        if element in cited
    ]
    warnings.extend(_unreferenced_siblings(note_elements, article))
    return assemble(article, body, note_values, warnings)


def _order(element: HtmlElement) -> int:
    return element.sourceline or 0


def _find_markers(root: HtmlElement, article: str, warnings: list[ExtractionWarning]) -> _Notes:
    ids: dict[str, HtmlElement] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("id", "name"):
            value = element.get(attribute)
            if value and value not in ids:
                ids[value] = element
    found: list[tuple[HtmlElement, HtmlElement, HtmlElement]] = []
    for anchor in root.iter("a"):
        fragment = _in_page_fragment(anchor.get("href") or "")
        if not fragment:
            continue
        if _is_backlink_anchor(anchor) or not _looks_like_marker(anchor):
            continue
        target = ids.get(fragment)
        if target is None:
            if _is_in_sup(anchor) and _marker_label(anchor):
                warnings.append(
                    ExtractionWarning(
                        article,
                        anchor.sourceline or 0,
                        f"marker [{_marker_label(anchor)}] has no note",
                    )
                )
            continue
        if _links_back_to(target, anchor, ids):
            continue  # a link back from a note to its marker
        note = _note_element(target, _is_in_sup(anchor) and _is_numbered(anchor))
        if note is None or _is_inside(anchor, note):
            continue
        found.append((anchor, note, target))
    candidates = _split_containers(found)
    note_set = {note for _, note in candidates}
    notes = _Notes(ids=ids)
    used_labels: set[str] = set()
    for anchor, note in candidates:
        if note not in notes.labels:
            label = _marker_label(anchor)
            if label is None or label in used_labels:
                label = note.get("id") or f"note-{len(notes.labels) + 1}"
            used_labels.add(label)
            notes.labels[note] = label
        notes.marker_notes[anchor] = note
        # A marker inside another note cites that note's text, and one in a hidden part (an
        # infobox) cites nothing the article asserts in prose: neither makes a claim.
        if any(ancestor in note_set or _is_hidden(ancestor) for ancestor in anchor.iterancestors()):
            notes.nested.add(anchor)
    return notes


def _in_page_fragment(href: str) -> str | None:
    """The id an in-page link points at: "#fn1", or "./Title#cite_note-1" as Parsoid
    (Wikipedia's API HTML) writes links to the same page."""
    if href.startswith("#"):
        return unquote(href[1:]) or None
    if href.startswith("./") and "#" in href and "/" not in href[2:].split("#", 1)[0]:
        return unquote(href.split("#", 1)[1]) or None
    return None


def _links_back_to(target: HtmlElement, anchor: HtmlElement, ids: dict[str, HtmlElement]) -> bool:
    """True when `target` is a marker that points at the note holding `anchor`: then
    `anchor` is the note's link back to its marker, not a marker itself. (A note's own
    number linking back to the marker, as Substack writes it, is a valid target.)"""
    if target.tag == "a":
        links = [target]
    elif target.tag in ("sup", "span"):  # a marker wrapper: <sup id="ref-1"><a href=...>
        links = list(target.iter("a"))
    else:
        return False
    for link in links:
        href = link.get("href") or ""
        pointed = ids.get(unquote(href[1:])) if href.startswith("#") else None
        if pointed is not None and pointed is not anchor and _is_inside(anchor, pointed):
            return True
    return False


def _split_containers(
    candidates: list[tuple[HtmlElement, HtmlElement, HtmlElement]],
) -> list[tuple[HtmlElement, HtmlElement]]:
    """(marker, note) pairs. When markers pointing at different targets climbed to the same
    element, that element is the notes list, not a note: each target is its own note."""
    targets_by_note: dict[HtmlElement, set[HtmlElement]] = {}
    for _, note, target in candidates:
        targets_by_note.setdefault(note, set()).add(target)
    pairs: list[tuple[HtmlElement, HtmlElement]] = []
    for anchor, note, target in candidates:
        if len(targets_by_note[note]) > 1 and target is not note:
            parent = target.getparent()
            inline = target.tag in ("a", "span", "sup") and parent is not None
            note = parent if inline else target
        pairs.append((anchor, note))
    return pairs


def _is_backlink_anchor(anchor: HtmlElement) -> bool:
    if anchor.get("role") == "doc-backlink" or _BACKLINK_TEXT.match(anchor.text_content()):
        return True
    element: HtmlElement | None = anchor
    for _ in range(4):
        if element is None:
            return False
        if _BACKLINK_HINT.search(element.get("class") or ""):
            return True
        element = element.getparent()
    return False


def _looks_like_marker(anchor: HtmlElement) -> bool:
    if "noteref" in (anchor.get("role"), anchor.get("epub:type"), anchor.get("data-type")):
        return True
    if anchor.get("role") == "doc-noteref":
        return True
    if _is_in_sup(anchor):
        return True
    hints = " ".join(filter(None, [anchor.get("class"), anchor.get("id"), _parent_class(anchor)]))
    if _MARKER_HINT.search(hints):
        return True
    return bool(_MARKER_TEXT.match(anchor.text_content())) and bool(
        re.search(r"\[|\d", anchor.text_content())
    )


def _parent_class(element: HtmlElement) -> str | None:
    parent = element.getparent()
    return parent.get("class") if parent is not None else None


def _is_in_sup(anchor: HtmlElement) -> bool:
    parent = anchor.getparent()
    for _ in range(2):
        if parent is None:
            return False
        if parent.tag == "sup":
            return True
        parent = parent.getparent()
    return False


def _marker_label(anchor: HtmlElement) -> str | None:
    match = _MARKER_TEXT.match(anchor.text_content())
    if match is None:
        return None
    return match.group("label").split(":")[0]  # markdown-it writes a repeat as "1:1"


def _note_element(target: HtmlElement, clear_marker: bool = False) -> HtmlElement | None:
    """The element holding the note's text, or None if the link target is not a note.
    For a `clear_marker` (a numbered link in <sup>), the paragraph it points into is the
    note even without a telling class or id (<p id="n3">3. Source...</p>)."""
    element: HtmlElement | None = target
    first_block: HtmlElement | None = None
    for _ in range(4):
        if element is None:
            break
        if element.tag in ("li", "dd", "aside", "tr") or element.get("role") in _NOTE_ROLES:
            return element
        if element.tag in ("p", "div", "section") and _has_note_hint(element):
            return element
        if element.tag in ("body", "html", "main", "article"):
            break
        if first_block is None and element.tag in ("p", "div"):
            first_block = element
        element = element.getparent()
    return first_block if clear_marker else None


def _is_numbered(anchor: HtmlElement) -> bool:
    label = _marker_label(anchor)
    return label is not None and bool(re.fullmatch(r"\d{1,3}|[ivxlcdm]{1,6}", label, re.I))


def _has_note_hint(element: HtmlElement) -> bool:
    hints = " ".join(
        filter(
            None,
            [
                element.get("class"),
                element.get("id"),
                element.get("role"),
                element.get("data-type"),
                element.get("epub:type"),
            ],
        )
    )
    return bool(_NOTE_HINT.search(hints))


def _is_inside(element: HtmlElement, container: HtmlElement) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or bool(_HIDDEN_CLASS.search(element.get("class") or ""))


_RP_PAGES = re.compile(r"^\s*:\s*(?:pp?\.|pages?|at|§)?\s*[\w\u2013,-]+\s*$")
_MAX_DEPTH = 400


def _walk(
    element: HtmlElement,
    body: Body,
    notes: _Notes,
    note_elements: set[HtmlElement],
    depth: int = 0,
) -> None:
    """Append the element's running text to `body`, markers as markers, notes left out."""
    tag = element.tag if isinstance(element.tag, str) else ""
    skip = not tag or tag in _SKIPPED_TAGS or element in note_elements or _is_hidden(element)
    if not skip:
        block = tag in _BLOCK_TAGS
        if block:
            body.paragraph_break()
        if tag in ("td", "th") and _previous_cell(element):
            body.append(" | ")  # the cells of a table row read as one line
        if element in notes.marker_notes:
            body.add_marker(notes.labels[notes.marker_notes[element]], element.sourceline or 0)
        elif tag == "sup" and _is_marker_sup(element):
            # A <sup> of markers ("[1][2]", "1, 3"): its brackets and commas are not prose.
            for anchor in _marker_anchors(element, notes):
                body.add_marker(notes.labels[notes.marker_notes[anchor]], anchor.sourceline or 0)
        elif tag == "sup" and _RP_PAGES.match(element.text_content()):
            pass  # a page number after a marker (":p. 234"), not prose
        elif depth > _MAX_DEPTH:
            body.append(element.text_content())  # pathological nesting: keep the text only
        else:
            if tag == "br":
                body.append("\n")
            body.append(element.text or "")
            for child in element:
                _walk(child, body, notes, note_elements, depth + 1)
        if block:
            body.paragraph_break()
    body.append(element.tail or "")


def _previous_cell(cell: HtmlElement) -> bool:
    previous = cell.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous is not None and previous.tag in ("td", "th")


def _is_marker_sup(sup: HtmlElement) -> bool:
    """A <sup> holding only in-page links with marker labels (known notes or not)."""
    anchors = list(sup.iter("a"))
    return bool(anchors) and all(
        _in_page_fragment(anchor.get("href") or "") and _marker_label(anchor) for anchor in anchors
    )


def _marker_anchors(sup: HtmlElement, notes: _Notes) -> list[HtmlElement]:
    return [anchor for anchor in sup.iter("a") if anchor in notes.marker_notes]


def _note_text(
    note: HtmlElement, base_url: str | None, mediawiki: bool, ids: dict[str, HtmlElement]
) -> NoteText:
    parts: list[str] = []
    links: list[tuple[str, str, bool]] = []
    _collect_note(note, parts, links, top=True)
    # A short citation ("King 2003, p. 41") links to its full entry in the bibliography:
    # what that entry links to is what the note cites.
    for anchor in note.iter("a"):
        href = anchor.get("href") or ""
        target = ids.get(unquote(href[1:])) if href.startswith("#") else None
        if target is not None and not _is_inside(target, note) and target.tag == "cite":
            cited = (_cited_link(link) for link in target.iter("a"))
            links.extend(link for link in cited if link is not None)
    # MediaWiki marks every off-site link "external"; the rest are wiki pages (authors, ISBN
    # lookups), not what the note cites.
    if mediawiki or any(external for _, _, external in links):
        links = [link for link in links if link[2]]
    return NoteText(
        text=" ".join("".join(parts).split()),
        links=tuple((_absolute(href, base_url), anchor) for href, anchor, _ in links),
    )


def _absolute(href: str, base_url: str | None) -> str:
    """Protocol- and root-relative links made absolute; other relative links stay as
    written (the pipeline resolves them against the article's folder)."""
    if href.startswith("//"):
        scheme = urlsplit(base_url).scheme if base_url else ""
        return f"{scheme or 'https'}:{href}"
    if href.startswith("/") and base_url:
        return urljoin(base_url, href)
    return href


def _base_url(root: HtmlElement) -> str | None:
    """Where the page says it lives (<base href>, canonical link, og:url), if absolute."""
    for xpath in (
        "//base/@href",
        "//link[@rel='canonical']/@href",
        "//meta[@property='og:url']/@content",
    ):
        for value in root.xpath(xpath):
            if str(value).startswith(("http://", "https://")) and _well_formed(str(value)):
                return str(value)
    return None


def _well_formed(url: str) -> bool:
    """A base URL links can be joined to (a malformed one, say an unclosed IPv6 bracket,
    would make every relative link an error instead of leaving it as written)."""
    try:
        split_url(url)
    except InvalidURL:
        return False
    return True


def _collect_note(
    element: HtmlElement, parts: list[str], links: list[tuple[str, str, bool]], top: bool
) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not top and (not tag or tag in _SKIPPED_TAGS or _is_backlink(element)):
        parts.append(element.tail or "")
        return
    breaks_words = tag in _NOTE_WORD_BREAKS
    if breaks_words:
        parts.append(" ")
    parts.append(element.text or "")
    for child in element:
        _collect_note(child, parts, links, top=False)
    if breaks_words:
        parts.append(" ")
    if tag == "a":
        link = _cited_link(element)
        if link is not None:
            links.append(link)
    if not top:
        parts.append(element.tail or "")


def _cited_link(anchor: HtmlElement) -> tuple[str, str, bool] | None:
    """(address, anchor text, marked external) of a link to another page, else None."""
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    external = "external" in (anchor.get("class") or "").split()
    return href, " ".join(anchor.text_content().split()), external


def _is_backlink(element: HtmlElement) -> bool:
    if element.get("role") == "doc-backlink":
        return True
    hints = element.get("class") or ""
    if _BACKLINK_HINT.search(hints):
        return True
    if element.tag == "a" and (element.get("href") or "").startswith("#"):
        return bool(
            _BACKLINK_TEXT.match(element.text_content())
            or _MARKER_TEXT.match(element.text_content())
        )
    return False


def _unreferenced_siblings(
    note_elements: set[HtmlElement], article: str
) -> list[ExtractionWarning]:
    """Items of a notes list that no marker points to."""
    warnings: list[ExtractionWarning] = []
    parents = {element.getparent() for element in note_elements}
    for parent in parents:
        if parent is None:
            continue
        for sibling in parent:
            if (
                sibling not in note_elements
                and sibling.tag in ("li", "aside")
                and sibling.get("id")
                and sibling.text_content().strip()
            ):
                warnings.append(
                    ExtractionWarning(
                        article,
                        sibling.sourceline or 0,
                        f"note [{sibling.get('id')}] is never referenced",
                    )
                )
    return warnings
