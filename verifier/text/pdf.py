"""PDF -> text with pypdf, page by page."""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from verifier.model import UnavailableReason
from verifier.text.errors import UnreadableContent

_MAX_PAGES = 2000
# "na-\ntions" at a line end: a word the layout broke, not a hyphenated compound.
_BROKEN_WORD = re.compile(r"(\w)-\n([a-z\u00df-\u00ff])")


def pdf_text(body: bytes) -> tuple[str, str | None]:
    """Return (text, title) of a PDF; raises UnreadableContent for a broken or empty one."""
    # Imported here: pypdf takes a tenth of a second to import, and most runs read no PDF.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs every malformed object it repairs; that is noise for a citation checker.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages[:_MAX_PAGES]]
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError) as error:
        raise UnreadableContent(UnavailableReason.UNREADABLE, f"broken PDF: {error}") from error
    text = "\n\n".join(_tidy(page) for page in pages if page.strip())
    if not text:
        raise UnreadableContent(UnavailableReason.NOT_TEXT, "PDF has no text layer (scanned?)")
    return text, title.strip() if isinstance(title, str) and title.strip() else None


def _tidy(page: str) -> str:
    """Ligatures and compatibility forms folded (NFKC: "ﬁ" -> "fi"), line-end hyphens
    of broken words removed, so the matcher sees the words the reader sees."""
    page = unicodedata.normalize("NFKC", page).replace("\x00", "")
    return _BROKEN_WORD.sub(r"\1\2", page).strip()
