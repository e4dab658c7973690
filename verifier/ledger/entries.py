"""Claim entries: validation, conversion to `model.Claim`, and what `extract` may change.

An entry is one item of the `claims:` list, either as ruamel.yaml nodes (when validating,
so errors can name lines) or as plain JSON-compatible values (everywhere else).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from verifier.errors import LedgerError
from verifier.ledger.edits import edited_by_hand, fingerprint, reconcile
from verifier.model import Citation, Claim, ExtractedClaim, Status

# The order keys are written in; a person's own order in an existing claim is kept.
CLAIM_KEYS = (
    "id",
    "article",
    "line",
    "footnote",
    "text",
    "article_text",
    "urls",
    "citations",
    "extracted",
    "status",
    "note",
    "accepted_for",
)
# Keys `extract` writes. Anything else on a claim was written by a person, and so are the
# text and urls once they no longer match the `extracted` fingerprint (see edits.py).
MACHINE_KEYS = frozenset(
    ("id", "article", "line", "footnote", "text", "article_text", "urls", "citations", "extracted")
)
_UPDATED_KEYS = ("article", "line", "footnote", "text", "article_text", "urls", "citations")
CITATION_KEYS = ("url", "title", "author", "publisher", "accessed", "archive_url")
REMOVE = object()
"""A change that deletes the key."""


class FieldError(LedgerError):
    """One field of one claim is wrong; the parser adds the file and line."""

    def __init__(self, field: str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


def optional_str(entry: Mapping[str, Any], key: str, validate: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "footnote":
        return str(value)  # `footnote: 3` is how people write it
    if validate and not isinstance(value, str):
        raise FieldError(key, f"must be a string, not {value!r}")
    return str(value)


def claim_from_entry(entry: Mapping[str, Any], validate: bool = False) -> Claim:
    if validate:
        for key in entry:
            if key not in CLAIM_KEYS:
                raise FieldError(
                    str(key), "unknown field", hint=f"claim fields are: {', '.join(CLAIM_KEYS)}"
                )
        if "text" not in entry:
            raise FieldError("text", "missing", hint="every claim needs text and urls")
        if "urls" not in entry:
            raise FieldError("urls", "missing", hint="every claim needs text and urls (may be [])")
    text = entry["text"]
    if validate and (not isinstance(text, str) or not text.strip()):
        raise FieldError("text", f"must be a non-empty string, not {text!r}")
    urls = entry["urls"]
    if validate and (
        not isinstance(urls, list) or not all(isinstance(u, str) and u.strip() for u in urls)
    ):
        raise FieldError(
            "urls", "must be a list of URLs or paths", hint="e.g. urls: [https://example.org/a]"
        )
    line = entry.get("line")
    if (
        validate
        and line is not None
        and (isinstance(line, bool) or not isinstance(line, int) or line < 1)
    ):
        raise FieldError("line", f"must be a line number (1 or more), not {line!r}")
    status_value = entry.get("status")
    try:
        status = Status(status_value) if status_value is not None else Status.OPEN
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise FieldError("status", f"unknown status {status_value!r} (known: {known})") from None
    claim_id = entry.get("id")
    if validate and claim_id is not None and (not isinstance(claim_id, str) or not claim_id):
        raise FieldError("id", f"must be a string, not {claim_id!r}")
    if validate:
        _check_extraction_fields(entry)
    return Claim(
        id=str(claim_id) if claim_id is not None else "",
        text=str(text),
        urls=tuple(str(u) for u in urls),
        article=optional_str(entry, "article", validate),
        line=line,
        footnote=optional_str(entry, "footnote", validate),
        status=status,
        note=optional_str(entry, "note", validate),
        citations=_citations(entry.get("citations"), validate),
        accepted_for=_accepted_for(entry, validate),
    )


_STATUSES = {status.value: status for status in Status}


def claim_from_plain(entry: Mapping[str, Any]) -> Claim:
    """A Claim from an entry already validated and made plain: the per-run hot path.

    Same result as `claim_from_entry` without its checks, which cost a third of a second
    per 10,000 claims on every run.
    """
    footnote = entry.get("footnote")
    status = entry.get("status")
    citations = entry.get("citations")
    return Claim(
        id=entry.get("id") or "",
        text=entry["text"],
        urls=tuple(entry["urls"]),
        article=entry.get("article"),
        line=entry.get("line"),
        footnote=str(footnote) if footnote is not None else None,
        status=_STATUSES[status] if status is not None else Status.OPEN,
        note=entry.get("note"),
        citations=tuple(
            Citation(
                url=row.get("url"),
                title=row.get("title"),
                author=row.get("author"),
                publisher=row.get("publisher"),
                accessed=row.get("accessed"),
                archive_url=row.get("archive_url"),
            )
            for row in citations
        )
        if citations
        else (),
        accepted_for=entry.get("accepted_for"),
    )


def _check_extraction_fields(entry: Mapping[str, Any]) -> None:
    value = entry.get("extracted")
    if value is not None and not (
        isinstance(value, str) and re.fullmatch(r"[0-9a-f]{8}/[0-9a-f]{8}", value)
    ):
        raise FieldError(
            "extracted",
            f"not a fingerprint written by `verifier extract`: {value!r}",
            hint="delete the line; `verifier extract` writes it again",
        )
    article_text = entry.get("article_text")
    if article_text is not None and not isinstance(article_text, str):
        raise FieldError("article_text", f"must be a string, not {article_text!r}")


def _accepted_for(entry: Mapping[str, Any], validate: bool) -> str | None:
    value = optional_str(entry, "accepted_for", validate)
    if validate and value is not None and not re.fullmatch(r"[0-9a-f]{8}/[0-9a-f]{8}", value):
        raise FieldError(
            "accepted_for",
            f"not a fingerprint written by `verifier accept`: {value!r}",
            hint="delete the line, then run `verifier accept ID --note ...` to pin it again",
        )
    return value


def _citations(value: object, validate: bool) -> tuple[Citation, ...]:
    if value is None:
        return ()
    if validate and not isinstance(value, list):
        raise FieldError("citations", "must be a list of {url, title, publisher, accessed}")
    citations: list[Citation] = []
    for item in value:  # type: ignore[attr-defined]
        if validate and not isinstance(item, Mapping):
            raise FieldError("citations", "each citation must be a mapping")
        if validate:
            for key in item:
                if key not in CITATION_KEYS:
                    raise FieldError(
                        "citations",
                        f"unknown citation field {key!r}",
                        hint=f"citation fields are: {', '.join(CITATION_KEYS)}",
                    )
        fields = {key: optional_str(item, key, validate) for key in CITATION_KEYS}
        citations.append(
            Citation(
                url=fields["url"],
                title=fields["title"],
                author=fields["author"],
                publisher=fields["publisher"],
                accessed=fields["accessed"],
                archive_url=fields["archive_url"],
            )
        )
    return tuple(citations)


def is_extracted(entry: Mapping[str, Any]) -> bool:
    """Written by `extract` (it records where it found the claim); else written by a person."""
    return entry.get("line") is not None or entry.get("footnote") is not None


def has_human_fields(entry: Mapping[str, Any]) -> bool:
    if entry.get("status") not in (None, Status.OPEN.value):
        return True
    if edited_by_hand(entry):
        return True
    if entry.get("note"):
        return True
    return any(key not in MACHINE_KEYS and key not in ("status", "note") for key in entry)


def _citation_rows(extracted: ExtractedClaim) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for citation in extracted.citations:
        row = {key: getattr(citation, key) for key in CITATION_KEYS if getattr(citation, key)}
        # A bare URL is already in `urls`; only metadata a report can show is worth a row.
        if any(key != "url" for key in row):
            rows.append(row)
    return rows


def machine_values(extracted: ExtractedClaim) -> dict[str, Any]:
    values: dict[str, Any] = {
        "article": extracted.article,
        "line": extracted.line,
        "footnote": extracted.footnote,
        "text": extracted.text,
        "urls": list(extracted.urls),
    }
    rows = _citation_rows(extracted)
    if rows:
        values["citations"] = rows
    values["extracted"] = fingerprint(extracted.text, extracted.urls)
    return values


def machine_changes(
    plain: Mapping[str, Any], extracted: ExtractedClaim
) -> tuple[dict[str, object], str | None]:
    """The fields of an entry to change for what extraction found, keeping a person's edits
    of text and URLs (edits.py), and a warning when the kept text differs from the article."""
    wanted = machine_values(extracted)
    reconciled = reconcile(plain, extracted.text, extracted.urls)
    wanted["text"], wanted["urls"] = reconciled.text, reconciled.urls
    if reconciled.article_text is not None:
        wanted["article_text"] = reconciled.article_text
    changes: dict[str, object] = {}
    for key in (*_UPDATED_KEYS, "extracted"):
        current = plain.get(key)
        if key == "footnote" and current is not None:
            current = str(current)
        if key not in wanted:
            if key in plain:
                changes[key] = REMOVE
        elif key not in plain or current != wanted[key]:
            changes[key] = wanted[key]
    return changes, reconciled.warning


def ruamel_value(key: str, value: object) -> object:
    if key == "urls" and isinstance(value, list):
        sequence = CommentedSeq(value)
        sequence.fa.set_flow_style()
        return sequence
    if key == "citations" and isinstance(value, list):
        rows = CommentedSeq()
        for row in value:
            mapping = CommentedMap()
            mapping.update(row)
            rows.append(mapping)
        return rows
    return value


def canonical_position(entry: CommentedMap, key: str) -> int:
    """Where `key` goes: after the last present key that precedes it in CLAIM_KEYS."""
    rank = CLAIM_KEYS.index(key)
    position = 0
    for index, existing in enumerate(entry):
        if existing in CLAIM_KEYS and CLAIM_KEYS.index(existing) < rank:
            position = index + 1
    return position
