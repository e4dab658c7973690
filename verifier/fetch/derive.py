"""What an archived response reads as: its main text, or why it is not the source.

Deriving that (decoding, main-text extraction, wall detection) is most of the CPU a page
costs, and under the GIL it holds back every fetch thread waiting on a socket. So a fetch
pass archives each response as it comes, marked "text not derived yet" (an index entry
with neither text nor failure), and the text is derived here when it is first read: the
same path that re-derives the text of a capture an older extractor wrote.

`classify` is that derivation, shared with the fetch that reads a page at once (`verifier
fetch` and `fetch_all`), so both give the same text, title, reason and detail.
`DerivedTexts` remembers each derivation (keyed by the response record and the extractor
version) so a page is read once, not every run; it is a cache beside the archive, not part
of it: the WARC records stay the truth, and a lost row only costs its derivation again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from verifier.archive import IndexEntry
from verifier.fetch.content import (
    BodyTooLarge,
    CorruptEncoding,
    UnsupportedEncoding,
    decode_content,
)
from verifier.fetch.policy import header
from verifier.fetch.walls import wall
from verifier.kvstore import KeyValueStore
from verifier.model import FetchFailure, UnavailableReason
from verifier.text import EXTRACTOR_VERSION, PageText, UnreadableContent

DERIVED_TEXT_FILE = "derived-text.sqlite"
Extract = Callable[[bytes, str | None, str], PageText]


def classify(
    url: str,
    final_url: str,
    headers: Sequence[tuple[str, str]],
    raw: bytes,
    max_bytes: int,
    extract: Extract,
    *,
    walls: bool = True,
) -> PageText | FetchFailure:
    """The text of a 200 response to `url` (ending at `final_url`), as transferred, or the
    failure it is: too large, undecodable, unreadable, or (with `walls`) a wall (walls.py).
    Without `walls`: the re-reading of a page once archived as readable, which stays so."""
    try:
        body = decode_content(raw, header(headers, "content-encoding"), max_bytes)
        page = extract(body, header(headers, "content-type"), final_url)
    except BodyTooLarge as error:
        return FetchFailure(url, UnavailableReason.TOO_LARGE, str(error))
    except (UnsupportedEncoding, CorruptEncoding) as error:
        return FetchFailure(url, UnavailableReason.UNREADABLE, f"cannot decode body: {error}")
    except UnreadableContent as error:
        return FetchFailure(url, error.reason, error.detail)
    if not walls:
        return page
    # Only a page that mentions the flag is decoded whole for wall() to look for it.
    markup = body.decode("utf-8", "replace") if b"isAccessibleForFree" in body else None
    failure = wall(url, final_url, page.text, page.title, markup)
    return page if failure is None else failure


class DerivedTexts:
    """Each archived response's derivation, by record, for today's extractor only."""

    def __init__(self, path: Path | None, *, writable: bool = True) -> None:
        self._store = KeyValueStore(path, ("derived",), f"derived/1/{EXTRACTOR_VERSION}")
        self._writable = writable
        self._unsaved: dict[str, PageText | FetchFailure] = {}
        """What a read-only instance derived: kept for this object's life only."""

    def get(self, entry: IndexEntry) -> PageText | FetchFailure | None:
        unsaved = self._unsaved.get(_key(entry))
        if unsaved is not None:
            return unsaved
        value = self._store.get("derived", _key(entry))
        if value is None:
            return None
        try:
            kind, first, second = json.loads(value)
            if kind == "text" and isinstance(first, str):
                return PageText(first, second if isinstance(second, str) else None)
            if kind == "failure":
                return FetchFailure(entry.url, UnavailableReason(first), str(second))
        except (ValueError, TypeError):  # a damaged row: derive again
            pass
        return None

    def put(self, entry: IndexEntry, result: PageText | FetchFailure) -> None:
        if not self._writable:
            self._unsaved[_key(entry)] = result
            return
        row: list[str | None]
        if isinstance(result, FetchFailure):
            row = ["failure", result.reason.value, result.detail]
        else:
            row = ["text", result.text, result.title]
        self._store.put("derived", _key(entry), json.dumps(row, ensure_ascii=False))

    def close(self) -> None:
        self._store.close()


def _key(entry: IndexEntry) -> str:
    # A record never moves within its file (files are only appended to, and torn tails cut
    # lie past every indexed record), so file and offset name one response for good.
    return f"{entry.warc_file}@{entry.response_offset}"
