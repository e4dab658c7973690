"""Prepared sources kept for the next claims that cite them, within a memory budget.

Preparing a page (cutting its units, indexing its words) costs more than scoring one claim
against it: 50 claims citing one 200 KB page rebuilt its index 49 times. A pass scores
the claims of one source together, and `verifier score` input often interleaves a few
pages, so the most recently used pages are kept, up to `max_chars` of text in all (a
prepared page takes several times its text in memory) and `max_pages` pages.
"""

from __future__ import annotations

from collections import OrderedDict

from verifier.match.matcher import analyse
from verifier.match.source import Source
from verifier.model import Assessment

MAX_CHARS = 4_000_000
MAX_PAGES = 64


class SourcePool:
    """Source.prepare with a least-recently-used memory of the pages prepared."""

    def __init__(self, max_chars: int = MAX_CHARS, max_pages: int = MAX_PAGES) -> None:
        self.max_chars = max_chars
        self.max_pages = max_pages
        self.prepared = 0
        """How many pages were prepared (for tests and benchmarks)."""
        self._sources: OrderedDict[str, Source] = OrderedDict()
        self._chars = 0

    def prepare(self, text: str) -> Source:
        source = self._sources.get(text)
        if source is not None:
            self._sources.move_to_end(text)
            return source
        source = Source.prepare(text)
        self.prepared += 1
        self._sources[text] = source
        self._chars += len(text)
        while len(self._sources) > 1 and (
            self._chars > self.max_chars or len(self._sources) > self.max_pages
        ):
            dropped, _ = self._sources.popitem(last=False)
            self._chars -= len(dropped)
        return source

    def assess(self, claim: str, source_text: str) -> Assessment:
        """match.assess, preparing each page once while it stays in the pool."""
        return analyse(claim, self.prepare(source_text)).assessment
