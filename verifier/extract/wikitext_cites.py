"""A ref's content -> the note it makes: citation templates ({{cite web}}, {{Internetquelle}},
...) read for URL, title, publisher, author and access date; short citations ({{sfn}},
{{harvnb}}) resolved against the article's bibliography; the note rendered readably."""

from __future__ import annotations

import re

from verifier.extract.notes import NoteText
from verifier.extract.urls import find_urls
from verifier.extract.wikitext_markup import (
    QUOTE_TEMPLATES,
    first_parameter,
    plain,
    replace_templates,
    strip_templates,
    template_parts,
    template_spans,
)

Bibliography = list[tuple[str, str, NoteText]]
"""(surnames, year, note) of each full citation with a URL, for short footnotes."""

CITATION_TEMPLATE = re.compile(
    r"^(?:cite(?:[\s_-]+[\w-]+)*|citation|internetquelle|literatur|cita[\s_]\w+|lien web|article|"
    r"ouvrage|webarchiv|webarchive|harvnb|harv|sfn|sfnp)$",
    re.I,
)
_URL_PARAMETERS = ("url", "chapter-url", "chapterurl", "contribution-url", "section-url")
_ARCHIVE_PARAMETERS = ("archive-url", "archiveurl", "archiv-url", "archivurl")
_TITLE_PARAMETERS = ("title", "titel", "titre", "título", "script-title", "chapter")
_PUBLISHER_PARAMETERS = (
    "website",
    "work",
    "newspaper",
    "journal",
    "magazine",
    "periodical",
    "werk",
    "publisher",
    "hrsg",
    "agency",
    "via",
)
_ACCESSED_PARAMETERS = ("access-date", "accessdate", "zugriff", "abruf", "consulté le")
_AUTHOR_PARAMETERS = ("author", "author1", "last", "last1", "autor", "surname", "editor")
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})[a-z]?\b")


def _citation_templates(content: str) -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []
    for start, end in template_spans(content):
        name, parameters = template_parts(content[start + 2 : end - 2])
        if CITATION_TEMPLATE.match(name.strip()):
            found.append((name.strip().lower(), parameters))
    return found


def ref_note(content: str, bibliography: Bibliography) -> NoteText:
    """A ref's content as a note: links from citation templates, external links and bare
    URLs; metadata from the first citation template."""
    links: list[tuple[str, str]] = []
    title = publisher = author = accessed = None
    outside_templates = content
    for name, parameters in _citation_templates(content):
        if name in ("harvnb", "harv", "sfn", "sfnp"):
            short = resolve_short(short_citation(parameters), parameters, bibliography, content)
            links.extend(short.links)
            title = title or short.title
            continue
        url = _protocol(first_parameter(parameters, _URL_PARAMETERS)) or _identifier_url(parameters)
        template_title = plain(first_parameter(parameters, _TITLE_PARAMETERS) or "") or None
        if name in ("webarchiv", "webarchive"):
            url = url or parameters.get("1")
        if url and find_urls(url):
            links.append((url.strip(), template_title or ""))
        archive = first_parameter(parameters, _ARCHIVE_PARAMETERS)
        if archive and find_urls(archive):
            links.append((archive.strip(), template_title or ""))
        if title is None:
            title = template_title
            publisher = plain(first_parameter(parameters, _PUBLISHER_PARAMETERS) or "") or None
            accessed = first_parameter(parameters, _ACCESSED_PARAMETERS)
            author = _author(parameters)
    outside_templates = strip_templates(content)
    for match in re.finditer(
        r"\[(?P<url>(?:https?:)?//[^\s\]]+)(?:\s+(?P<text>[^\]]*))?\]", outside_templates
    ):
        links.append((_protocol(match.group("url")) or "", plain(match.group("text") or "")))
        title = title or (plain(match.group("text") or "") or None)
    for url in find_urls(re.sub(r"\[(?:https?:)?//[^\s\]]+", " ", outside_templates)):
        links.append((url, ""))
    return NoteText(
        # A ref made only of a template we cannot render still shows what was written.
        text=_readable(content) or " ".join(content.split()),
        links=tuple(links),
        title=title,
        publisher=publisher,
        author=author,
        accessed=accessed,
        from_markup=True,
    )


def _readable(content: str) -> str:
    """A ref's content as a reader sees it: citation templates rendered
    (Author. "Title". Work. Date. URL. Retrieved ...), links reduced to label and address."""
    rendered = replace_templates(content, _rendered_template)
    with_urls = re.sub(
        r"\[(?P<url>(?:https?:)?//[^\s\]]+)(?:\s+(?P<text>[^\]]*))?\]",
        lambda match: f"{match.group('text') or ''} {match.group('url')}",
        rendered,
    )
    return " ".join(plain(re.sub(r"<[^<>]+>", " ", with_urls)).split())


def _rendered_template(inner: str) -> str:
    template, parameters = template_parts(inner)
    name = template.strip().lower()
    if name in ("harvnb", "harv", "sfn", "sfnp", "harvtxt", "harvp"):
        return short_citation(parameters)
    if name == "isbn":
        return f"ISBN {parameters.get('1', '')}"
    if name in QUOTE_TEMPLATES:
        return f'"{parameters.get("1") or parameters.get("text") or parameters.get("quote", "")}"'
    if not CITATION_TEMPLATE.match(name):
        return ""
    title = first_parameter(parameters, _TITLE_PARAMETERS)
    pieces = [
        _author(parameters),
        f'"{title}"' if title else None,
        first_parameter(parameters, _PUBLISHER_PARAMETERS),
        parameters.get("date") or parameters.get("year") or parameters.get("datum"),
        _protocol(first_parameter(parameters, _URL_PARAMETERS)) or _identifier_url(parameters),
    ]
    accessed = first_parameter(parameters, _ACCESSED_PARAMETERS)
    if accessed:
        pieces.append(f"Retrieved {accessed}")
    return " ".join(f"{piece}." for piece in pieces if piece)


def _protocol(url: str | None) -> str | None:
    """A protocol-relative link (//host/path) as MediaWiki renders it, over https."""
    if url and url.strip().startswith("//"):
        return "https:" + url.strip()
    return url


def _identifier_url(parameters: dict[str, str]) -> str | None:
    """The link Wikipedia renders for a citation without |url=: its DOI, else its PubMed id."""
    doi = parameters.get("doi", "").strip()
    if re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        return f"https://doi.org/{doi}"
    pmid = parameters.get("pmid", "").strip()
    if pmid.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    return None


def _author(parameters: dict[str, str]) -> str | None:
    last = first_parameter(parameters, _AUTHOR_PARAMETERS)
    if not last:
        return None
    first = parameters.get("first") or parameters.get("first1")
    return plain(f"{last}, {first}" if first else last)


def read_bibliography(source: str) -> Bibliography:
    """(surnames, year, note) of every citation template with a URL, for short footnotes."""
    entries: Bibliography = []
    for name, parameters in _citation_templates(source):
        if name in ("harvnb", "harv", "sfn", "sfnp"):
            continue
        url = _protocol(first_parameter(parameters, _URL_PARAMETERS))
        if not url or not find_urls(url):
            continue
        surnames = " ".join(
            value
            for key, value in parameters.items()
            if re.fullmatch(r"(?:last|surname|author|editor)\d*", key)
        ).lower()
        year_source = parameters.get("year") or parameters.get("date") or ""
        year = _YEAR.search(year_source)
        if not surnames or year is None:
            continue
        title = plain(first_parameter(parameters, _TITLE_PARAMETERS) or "") or None
        links: list[tuple[str, str]] = [(url.strip(), title or "")]
        archive = first_parameter(parameters, _ARCHIVE_PARAMETERS)
        if archive:
            links.append((archive.strip(), title or ""))
        note = NoteText(
            text="", links=tuple(links), title=title, author=_author(parameters), from_markup=True
        )
        entries.append((surnames, year.group(1), note))
    return entries


def short_citation(parameters: dict[str, str]) -> str:
    positional = [parameters[str(i)] for i in range(1, 6) if parameters.get(str(i))]
    page = parameters.get("p") or parameters.get("page") or parameters.get("pp")
    text = " ".join(positional)
    return f"{text}, p. {page}" if page else text


def resolve_short(
    short: str,
    parameters: dict[str, str],
    bibliography: Bibliography,
    raw: str,
) -> NoteText:
    """{{sfn|Smith|2001|p=4}} -> the bibliography entry by Smith dated 2001, if it has a URL."""
    positional = [parameters[str(i)] for i in range(1, 6) if parameters.get(str(i))]
    names = [value.lower() for value in positional if not _YEAR.fullmatch(value.strip())]
    years = [match.group(1) for value in positional if (match := _YEAR.fullmatch(value.strip()))]
    for surnames, year, entry in bibliography:
        if years and year == years[0] and names and all(name in surnames for name in names):
            return NoteText(
                text=short,
                links=entry.links,
                title=entry.title,
                author=entry.author,
                from_markup=True,
            )
    return NoteText(text=short, from_markup=True)
