"""Bytes of a source -> the plain main text the matcher sees; sentence splitting.

INTERFACE:

    main_text(body: bytes, content_type: str | None, url: str | None = None) -> PageText
        HTML (main-text extraction tuned for recall), PDF (pypdf), plain text. The content
        type only breaks ties: a body starting with "%PDF-" is a PDF and a PNG served as
        text/html is binary. The charset comes from the bytes when the label is wrong.
        Raises text.UnreadableContent (carrying a model.UnavailableReason and a detail)
        for binary, empty or broken content.

    sentences.split_sentences(text: str) -> list[tuple[int, int]]
        Character spans of sentences in `text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.model import UnavailableReason
from verifier.text.decode import (
    charset_from_content_type,
    declared_meta_charset,
    decode_text,
    looks_binary,
)
from verifier.text.errors import UnreadableContent
from verifier.text.pdf import pdf_text

__all__ = ["PageText", "UnreadableContent", "main_text"]

EXTRACTOR_VERSION = "2"
"""Bumped when main_text changes what it returns, so archived text can be re-derived."""

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_LIKE_APPLICATION_TYPES = frozenset(
    {"application/json", "application/ld+json", "application/xml", "application/javascript"}
)
_HTML_SNIFF = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


@dataclass(frozen=True)
class PageText:
    """The main text of a source and its title (None when the source has none)."""

    text: str
    title: str | None = None


def main_text(body: bytes, content_type: str | None, url: str | None = None) -> PageText:
    """Return the main text of a source's bytes; see the module docstring."""
    media_type = _media_type(content_type)
    if body.lstrip()[:5] == b"%PDF-":
        text, title = pdf_text(body)
        return PageText(text, title)
    if media_type == "application/pdf":
        raise UnreadableContent(UnavailableReason.UNREADABLE, "labelled PDF but not a PDF file")
    if not body.strip():
        raise UnreadableContent(UnavailableReason.UNREADABLE, "empty body")
    if looks_binary(body):
        raise UnreadableContent(
            UnavailableReason.NOT_TEXT, f"binary content served as {media_type or 'unknown type'}"
        )
    is_html = media_type in _HTML_TYPES or bool(_HTML_SNIFF.match(body[:4096]))
    if not is_html and not _is_text_type(media_type):
        raise UnreadableContent(UnavailableReason.NOT_TEXT, f"content type {media_type}")
    if is_html:
        declared = charset_from_content_type(content_type) or declared_meta_charset(body)
        # Imported here: trafilatura takes about a second to import, and most commands
        # (extract, check against archived text) never parse HTML.
        from verifier.text.html import html_main_text

        text, title = html_main_text(decode_text(body, declared), url)
    else:
        text, title = decode_text(body, charset_from_content_type(content_type)).strip(), None
    if not text:
        raise UnreadableContent(UnavailableReason.UNREADABLE, "no text in the page")
    return PageText(text, title)


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _is_text_type(media_type: str | None) -> bool:
    if media_type is None:
        return True  # unlabelled bytes that are not binary: read them as text
    return (
        media_type.startswith("text/")
        or media_type in _TEXT_LIKE_APPLICATION_TYPES
        or media_type.endswith(("+xml", "+json"))
    )
