"""Article -> footnoted claims. One module per input format; `extract_article` dispatches.

INTERFACE (owned by the extraction stage):

    extract_article(path: Path, display_path: str) -> Extraction
        Reads the file (raises errors.ArticleError with path/line on unreadable or
        undecodable input), picks the format from the suffix (.txt/.text -> text,
        .md/.markdown/.mdown -> markdown, .html/.htm/.xhtml -> html,
        .wiki/.wikitext/.mediawiki -> wikitext, .rst/.rest -> rst; unknown suffix -> sniff),
        and returns the claims with `article=display_path`. A .txt file whose content is
        clearly wikitext, HTML, Markdown footnotes or reST is read as that (saved copies
        often are .txt).
        No footnotes -> no claims, no error.
        Relative-path links in footnotes ([t](sources/x.html)) are returned as written;
        the pipeline resolves them against the article's folder.

    extract_source(source: str, display_path: str, article_format: str) -> Extraction
        The same for text already in memory, in one of FORMATS.

Every format parser builds an `assemble.Body` (running text, markers taken out) and a list
of `assemble.Note`s; `assemble.assemble` pairs them into claims the same way for all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from verifier.errors import ArticleError
from verifier.model import Extraction

__all__ = ["FORMATS", "extract_article", "extract_source", "sniff_format"]

FORMATS = ("text", "markdown", "html", "wikitext", "rst")
_SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".wiki": "wikitext",
    ".wikitext": "wikitext",
    ".mediawiki": "wikitext",
    ".rst": "rst",
    ".rest": "rst",
}


def extract_article(path: Path, display_path: str) -> Extraction:
    """The footnoted claims of the article at `path`, labelled with `display_path`."""
    source = read_article(path, display_path)
    article_format = _SUFFIX_FORMATS.get(path.suffix.lower()) or sniff_format(source)
    if article_format == "text":
        article_format = sniff_format(source)
    return extract_source(source, display_path, article_format)


def extract_source(source: str, display_path: str, article_format: str) -> Extraction:
    """The footnoted claims of an article already in memory, in the named format."""
    return _parser(article_format)(source, display_path)


def _parser(article_format: str) -> Callable[[str, str], Extraction]:
    # Imported on demand: the HTML and Markdown parsers pull in lxml and markdown-it.
    if article_format == "text":
        from verifier.extract.text import extract_text

        return extract_text
    if article_format == "markdown":
        from verifier.extract.markdown import extract_markdown

        return extract_markdown
    if article_format == "html":
        from verifier.extract.html import extract_html

        return extract_html
    if article_format == "wikitext":
        from verifier.extract.wikitext import extract_wikitext

        return extract_wikitext
    if article_format == "rst":
        from verifier.extract.rst import extract_rst

        return extract_rst
    raise ValueError(f"unknown article format {article_format!r}; expected one of {FORMATS}")


def sniff_format(source: str) -> str:
    """Guess an article's format from its content, for files without a telling suffix."""
    head = source[:20000]
    if re.search(r"<ref[\s>/]|\{\{\s*(?:cite|sfn|reflist)", head, re.I):
        return "wikitext"
    if re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<p[\s>]|<sup[\s>]", head, re.I):
        return "html"
    if re.search(r"^[ \t]{0,3}\[\^[^\]\s]+\]:", source, re.M) or "^[" in head:
        return "markdown"
    if re.search(r"^\.\. \[[^\]\s]+\]\s", source, re.M) and re.search(r"\[[^\]\s]+\]_", source):
        return "rst"
    return "text"


def read_article(path: Path, display_path: str) -> str:
    """The article's text; ArticleError (with the line of the bad bytes) when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ArticleError(
            f"cannot read article: {error.strerror or error}", path=display_path
        ) from error
    return decode_article(raw, display_path)


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode_article(raw: bytes, display_path: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or the charset an HTML file declares
    (Word and older CMS exports are often windows-1252). Anything else is an input error,
    because guessing a legacy encoding would silently garble the claims."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise_newlines(raw.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise ArticleError("not valid UTF-16 text", path=display_path) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        declared = _decode_declared(raw)
        if declared is not None:
            return _normalise_newlines(declared)
        line = raw[: error.start].count(b"\n") + 1
        raise ArticleError(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            path=display_path,
            line=line,
            hint="save the article as UTF-8",
        ) from error
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ArticleError(
            "binary content (NUL byte), not an article", path=display_path, line=line
        )
    return _normalise_newlines(text)


def _decode_declared(raw: bytes) -> str | None:
    declaration = _DECLARED_CHARSET.search(raw[:8192])
    if declaration is None:
        return None
    try:
        return raw.decode(declaration.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
