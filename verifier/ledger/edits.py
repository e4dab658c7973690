"""What a person changed in an extracted claim, so that `extract` keeps it.

`extract` writes `extracted: <text hash>/<urls hash>` on every claim it finds: a fingerprint
of the sentence and the URLs as the article gave them. On the next extraction, a text or
URL list that no longer matches its half of the fingerprint was edited by hand, and is kept:

- an edited `text` stays as written; the article's sentence goes beside it as
  `article_text`, the mark that the two differ (and a warning names the claim's line);
- a URL added by hand to `urls` stays, after the ones the footnote cites now; a URL the
  article no longer cites goes, unless it was added by hand.

A fingerprint says which URLs extraction wrote only as a whole, so the URLs added by hand
are found as the smallest set whose removal gives the fingerprinted list back (a handful to
try: only URLs the footnote does not cite are candidates).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verifier.ledger.ids import normalize_text, short_hash

_MOST_CANDIDATES = 10
"""Beyond this many URLs the footnote does not cite, they are all kept without a search."""


def text_hash(text: str) -> str:
    return short_hash(normalize_text(text))


def urls_hash(urls: Sequence[str]) -> str:
    """Order does not count: a footnote citing the same pages in another order is the same."""
    return short_hash("\n".join(sorted(set(urls))))


def fingerprint(text: str, urls: Sequence[str]) -> str:
    """The `extracted:` value for a claim as extraction found it."""
    return f"{text_hash(text)}/{urls_hash(urls)}"


@dataclass(frozen=True)
class Reconciled:
    """The text and URLs a claim should have after extraction, and what to tell the user."""

    text: str
    article_text: str | None
    """The article's sentence when `text` is a person's different wording; else None."""
    urls: list[str]
    warning: str | None = None


def edited_by_hand(entry: Mapping[str, Any]) -> bool:
    """Whether a person changed the claim's text or URLs since extraction wrote them."""
    stored = entry.get("extracted")
    if not isinstance(stored, str):
        return False
    return stored != fingerprint(str(entry.get("text", "")), list(entry.get("urls") or ()))


def reconcile(entry: Mapping[str, Any], text: str, urls: Sequence[str]) -> Reconciled:
    """Merge what extraction found now (`text`, `urls`) with a person's edits of `entry`.

    Without an `extracted` fingerprint (a ledger written before there was one) nothing
    can be told apart, and the article's values win, as they always did.
    """
    stored = entry.get("extracted")
    if not isinstance(stored, str) or "/" not in stored:
        return Reconciled(text, None, list(urls))
    stored_text, _, stored_urls = stored.partition("/")
    current_text = str(entry["text"])
    current_urls = [str(url) for url in entry.get("urls") or ()]

    warning = None
    kept_text, article_text = text, None
    if text_hash(current_text) != stored_text and normalize_text(current_text) != normalize_text(
        text
    ):
        kept_text, article_text = current_text, text
        if entry.get("article_text") != text:
            warning = (
                "text kept as edited in claims.yaml; it differs from the article's sentence, "
                "now in article_text (copy that over text to take the article's wording)"
            )

    merged = list(urls)
    if urls_hash(current_urls) != stored_urls:
        added = _added_by_hand(current_urls, urls, stored_urls)
        if added is None:
            added = [url for url in current_urls if url not in urls]
            if added:
                warning = (
                    (warning + "; ") if warning else ""
                ) + f"kept {len(added)} URL(s) the footnote does not cite: {', '.join(added)}"
        merged += [url for url in dict.fromkeys(added) if url not in merged]
    return Reconciled(kept_text, article_text, merged, warning)


def _added_by_hand(
    current: Sequence[str], cited: Sequence[str], stored_hash: str
) -> list[str] | None:
    """The URLs of `current` a person added: the smallest set of those the footnote no
    longer cites whose removal gives back the list extraction last wrote. None when no
    such set is found (a URL removed by hand, or too many to try)."""
    cited_now = set(cited)
    candidates = list(dict.fromkeys(url for url in current if url not in cited_now))
    if len(candidates) > _MOST_CANDIDATES:
        return None
    still_cited = [url for url in current if url in cited_now]
    for size in range(len(candidates) + 1):
        for added in itertools.combinations(candidates, size):
            extracted = [*still_cited, *(url for url in candidates if url not in added)]
            if urls_hash(extracted) == stored_hash:
                return list(added)
    return None
