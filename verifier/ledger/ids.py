"""Claim ids: short, deterministic, and stable once written to claims.yaml."""

from __future__ import annotations

import hashlib
from collections.abc import Container


def normalize_text(text: str) -> str:
    """Collapse whitespace, so re-wrapping a sentence does not make it a different claim."""
    return " ".join(text.split())


def short_hash(text: str) -> str:
    """8 hex digits of a SHA-1: the parts of the fingerprints claims.yaml keeps (acceptances,
    extractions), short enough to read, long enough never to collide by chance in one claim."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def claim_id(article: str | None, text: str) -> str:
    """The id `extract` gives a claim: "c-" and 6 hex digits of a hash of article and text."""
    key = f"{article or ''}\n{normalize_text(text)}"
    return "c-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]


def unique_claim_id(article: str | None, text: str, taken: Container[str]) -> str:
    """`claim_id`, salted deterministically until it is not in `taken`.

    Six hex digits collide by chance once a ledger holds thousands of claims, and the same
    sentence may appear twice in one article; a salt keeps every id unique and still
    reproducible from the same ledger.
    """
    candidate = claim_id(article, text)
    salt = 1
    while candidate in taken:
        candidate = claim_id(article, f"{text}\n#{salt}")
        salt += 1
    return candidate
