"""claims.yaml: load and validate (errors name file, line and field), merge, write back.

The file is a document people edit, so it is read and written with ruamel.yaml's
round-trip mode: comments, key order and quoting survive every rewrite, and the tool only
touches the keys it owns (article, line, footnote, text, urls, citations). Validation
happens once, at load, so every later stage can trust `Ledger.claims`.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from verifier.errors import LedgerError
from verifier.ledger import config
from verifier.ledger.ids import normalize_text, unique_claim_id
from verifier.model import Citation, Claim, ExtractedClaim, Extraction, Status
from verifier.settings import DEFAULT_FAIL_ON, Settings

TOP_KEYS = ("articles", "settings", "fetch", "claims")
# The order keys are written in; a person's own order in an existing claim is kept.
CLAIM_KEYS = (
    "id",
    "article",
    "line",
    "footnote",
    "text",
    "urls",
    "citations",
    "status",
    "note",
    "accepted_for",
)
# Keys `extract` owns. Anything else on a claim was written by a person.
MACHINE_KEYS = frozenset(("id", "article", "line", "footnote", "text", "urls", "citations"))
CITATION_KEYS = ("url", "title", "author", "publisher", "accessed", "archive_url")

_HEADER = (
    "claims.yaml: the reviewable ledger of footnoted claims.\n"
    "`verifier extract` adds and updates claims and keeps your comments, `status` and `note`.\n"
    "`status: accepted` with a `note` silences a finding."
)


@dataclass(frozen=True)
class MergeSummary:
    """What merging one article's extraction changed in the ledger (ids of claims)."""

    article: str
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """No longer found in the article, but kept because a person wrote on them."""
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _yaml(mapping_indent: int = 2, sequence_indent: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Never fold a long claim sentence or URL across lines: one claim field, one line.
    yaml.width = 1 << 16
    yaml.indent(mapping=mapping_indent, sequence=sequence_indent, offset=offset)
    return yaml


def _guess_indent(text: str) -> tuple[int, int]:
    """(sequence indent, dash offset) of the first block sequence, so rewrites keep the style."""
    for raw in text.splitlines():
        stripped = raw.lstrip(" ")
        if stripped.startswith("- ") and not raw.lstrip().startswith("#"):
            dash = len(raw) - len(stripped)
            after = len(stripped) - len(stripped[1:].lstrip(" ")) + dash
            if dash == 0:
                return 2, 0
            return max(after - dash, 2) + dash, dash
    return 4, 2


def _line_of(node: object, key: object = None) -> int | None:
    """1-based line of `node` (or of `key` inside it), when ruamel recorded one."""
    try:
        if key is None:
            return int(node.lc.line) + 1  # type: ignore[attr-defined]
        if isinstance(node, CommentedSeq):
            return int(node.lc.item(key)[0]) + 1
        return int(node.lc.key(key)[0]) + 1  # type: ignore[attr-defined]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


class Ledger:
    """claims.yaml in memory: validated values plus the round-trip document they came from."""

    def __init__(self, path: Path, document: CommentedMap, *, original: str | None) -> None:
        self.path = path
        self._document = document
        self._original = original
        self._dirty = original is None
        sequence_indent, offset = _guess_indent(original) if original else (4, 2)
        self._yaml = _yaml(2, sequence_indent, offset)
        self._settings = self._parse_settings()
        self._articles = self._parse_articles()
        self._entries = self._claim_entries()
        self._validate_claims()
        self._assign_missing_ids()
        self._claims_cache: list[Claim] | None = None

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read and validate claims.yaml; LedgerError names file, line and field on any problem."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LedgerError("file not found", path=str(path)) from None
        except UnicodeDecodeError as error:
            raise LedgerError(
                f"not UTF-8 text (byte {error.start})", path=str(path), hint="save it as UTF-8"
            ) from None
        except OSError as error:
            raise LedgerError(f"cannot read: {error.strerror}", path=str(path)) from None
        try:
            document = _yaml().load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "invalid YAML"
            raise LedgerError(
                f"invalid YAML: {problem}",
                path=str(path),
                line=mark.line + 1 if mark is not None else None,
                hint="fix the YAML syntax; nothing was changed",
            ) from None
        except YAMLError as error:
            raise LedgerError(f"invalid YAML: {error}", path=str(path)) from None
        if document is None:
            document = CommentedMap()
        if not isinstance(document, CommentedMap):
            raise LedgerError(
                "must be a mapping with articles, settings, fetch and claims",
                path=str(path),
                line=1,
            )
        return cls(path, document, original=text)

    @classmethod
    def new(cls, path: Path) -> Ledger:
        """An empty ledger for a claims.yaml that does not exist yet (written on `save`)."""
        document = CommentedMap()
        document.yaml_set_start_comment(_HEADER)
        document["articles"] = _flow([])
        settings = CommentedMap()
        settings["fail_on"] = _flow([verdict.value for verdict in DEFAULT_FAIL_ON])
        document["settings"] = settings
        document["claims"] = CommentedSeq()
        return cls(path, document, original=None)

    # -- read access ----------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def articles(self) -> list[str]:
        return list(self._articles)

    @property
    def claims(self) -> list[Claim]:
        if self._claims_cache is None:
            self._claims_cache = [_claim_from_entry(entry) for entry in self._entries]
        return list(self._claims_cache)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    # -- validation -----------------------------------------------------------------------

    def _error(
        self, message: str, node: object = None, key: object = None, hint: str | None = None
    ) -> LedgerError:
        line = _line_of(node, key) if node is not None else None
        return LedgerError(message, path=str(self.path), line=line, hint=hint)

    def _check_top_keys(self) -> None:
        for key in self._document:
            if key not in TOP_KEYS:
                raise self._error(
                    f"unknown key {key!r}",
                    self._document,
                    key,
                    hint=f"top-level keys are: {', '.join(TOP_KEYS)}",
                )

    def _parse_settings(self) -> Settings:
        self._check_top_keys()
        settings = Settings()
        for section in config.sections_of(self._document):
            node = self._document[section]
            if node is None:
                continue
            if not isinstance(node, CommentedMap):
                raise self._error(f"{section} must be a mapping", self._document, section)
            for key, value in node.items():
                try:
                    option = config.find_option(section, key)
                    settings = config.apply_value(settings, option, value)
                except config.InvalidValue as problem:
                    error = self._error(
                        f"{section}.{key}: {problem}",
                        node,
                        key,
                        hint=f"{section} keys are: {config.known_keys(section)}",
                    )
                    error.line = problem.line or error.line
                    raise error from None
        return settings

    def _parse_articles(self) -> tuple[str, ...]:
        patterns = self._document.get("articles")
        if patterns is None:
            return ()
        if not isinstance(patterns, list) or not all(
            isinstance(p, str) and p.strip() for p in patterns
        ):
            raise self._error(
                "articles must be a list of paths or glob patterns",
                self._document,
                "articles",
                hint="e.g. articles: [articles/*.md]",
            )
        return tuple(patterns)

    def _claim_entries(self) -> CommentedSeq:
        if "claims" not in self._document or self._document["claims"] is None:
            self._document["claims"] = CommentedSeq()
        entries = self._document["claims"]
        if not isinstance(entries, CommentedSeq):
            raise self._error("claims must be a list", self._document, "claims")
        return entries

    def _validate_claims(self) -> None:
        seen: dict[str, int | None] = {}
        for index, entry in enumerate(self._entries):
            where = _line_of(self._entries, index)
            if not isinstance(entry, CommentedMap):
                raise LedgerError(
                    "each claim must be a mapping with at least text and urls",
                    path=str(self.path),
                    line=where,
                )
            try:
                claim = _claim_from_entry(entry, validate=True)
            except _FieldError as problem:
                raise self._error(
                    f"claim {index + 1}: {problem.field}: {problem.message}",
                    entry if problem.field in entry else self._entries,
                    problem.field if problem.field in entry else index,
                    hint=problem.hint,
                ) from None
            if claim.id:
                if claim.id in seen:
                    raise self._error(
                        f"duplicate id {claim.id!r} (first used on line {seen[claim.id]})",
                        entry,
                        "id",
                        hint="give each claim its own id, or delete the id to have one assigned",
                    )
                seen[claim.id] = _line_of(entry, "id")

    def _assign_missing_ids(self) -> None:
        taken = {entry["id"] for entry in self._entries if entry.get("id")}
        for entry in self._entries:
            if entry.get("id"):
                continue
            new_id = unique_claim_id(entry.get("article"), entry["text"], taken)
            taken.add(new_id)
            entry.insert(0, "id", new_id)
            self._dirty = True

    # -- merge ----------------------------------------------------------------------------

    def merge(self, extraction: Extraction) -> MergeSummary:
        """Bring one article's claims up to date with what extraction found in it.

        Matching is by (article, text), then by (article, footnote) for sentences that were
        edited; a matched claim keeps its id, status, note and every comment. Claims no longer
        in the article are removed unless a person wrote on them (status, note or another
        field of their own). Hand-written claims (no line or footnote) are never touched.
        """
        article = extraction.article
        entries = self._entries
        candidates = [
            index
            for index, entry in enumerate(entries)
            if entry.get("article") == article and _is_extracted(entry)
        ]
        found = list(extraction.claims)
        matches: list[int | None] = [None] * len(found)

        by_text: dict[str, deque[int]] = defaultdict(deque)
        for index in candidates:
            by_text[normalize_text(entries[index]["text"])].append(index)
        for position, extracted in enumerate(found):
            queue = by_text.get(normalize_text(extracted.text))
            if queue:
                matches[position] = queue.popleft()
        used = {index for index in matches if index is not None}
        by_footnote: dict[str, deque[int]] = defaultdict(deque)
        for index in candidates:
            footnote = entries[index].get("footnote")
            if index not in used and footnote is not None:
                by_footnote[str(footnote)].append(index)
        for position, extracted in enumerate(found):
            if matches[position] is None:
                queue = by_footnote.get(extracted.footnote)
                if queue:
                    footnote_match = queue.popleft()
                    matches[position] = footnote_match
                    used.add(footnote_match)

        updated: list[str] = []
        unchanged = 0
        for position, extracted in enumerate(found):
            matched = matches[position]
            if matched is None:
                continue
            if _update_entry(entries[matched], extracted):
                updated.append(str(entries[matched]["id"]))
            else:
                unchanged += 1

        gone = [index for index in candidates if index not in used]
        kept = [str(entries[index]["id"]) for index in gone if _has_human_fields(entries[index])]
        removed_indices = [index for index in gone if not _has_human_fields(entries[index])]
        removed = [str(entries[index]["id"]) for index in removed_indices]
        for index in sorted(removed_indices, reverse=True):
            del entries[index]
            matches = [_shift_after_delete(m, index) for m in matches]

        taken = {str(entry["id"]) for entry in entries}
        added: list[str] = []
        for position, extracted in enumerate(found):
            if matches[position] is not None:
                continue
            at = self._insertion_point(article, matches, position)
            new_id = unique_claim_id(article, extracted.text, taken)
            taken.add(new_id)
            entries.insert(at, _new_entry(new_id, extracted))
            matches = [m + 1 if m is not None and m >= at else m for m in matches]
            matches[position] = at
            added.append(new_id)

        summary = MergeSummary(
            article=article,
            added=tuple(added),
            updated=tuple(updated),
            removed=tuple(removed),
            kept=tuple(kept),
            unchanged=unchanged,
        )
        if summary.changed:
            self._dirty = True
            self._claims_cache = None
        return summary

    def _insertion_point(self, article: str, matches: Sequence[int | None], position: int) -> int:
        """Right after the previous claim of the same article, so the ledger reads in order."""
        previous = [m for m in matches[:position] if m is not None]
        if previous:
            return previous[-1] + 1
        later = [m for m in matches[position:] if m is not None]
        if later:
            return min(later)
        same_article = [i for i, e in enumerate(self._entries) if e.get("article") == article]
        return same_article[-1] + 1 if same_article else len(self._entries)

    # -- acceptance -----------------------------------------------------------------------

    def accept(self, claim_id: str, note: str, *, accepted_for: str | None = None) -> Claim:
        """Mark a claim accepted with a reviewer's note, pinned to `accepted_for` if given.

        `accepted_for` comes from `acceptance.result_fingerprint` (the last results.json) or
        `acceptance.finding_fingerprint`; without it the acceptance holds whatever changes.
        Only status, note and accepted_for change; comments and key order stay.
        """
        if not note.strip():
            raise LedgerError(
                f"accepting {claim_id} needs a note saying why",
                path=str(self.path),
                hint='verifier accept ID --note "checked against the print edition"',
            )
        entry = next((e for e in self._entries if e.get("id") == claim_id), None)
        if entry is None:
            raise LedgerError(
                f"no claim with id {claim_id!r}",
                path=str(self.path),
                hint="ids are in reports/results.json and on the report pages",
            )
        values: dict[str, object] = {"status": Status.ACCEPTED.value, "note": note}
        if accepted_for is not None:
            values["accepted_for"] = accepted_for
        elif "accepted_for" in entry:
            del entry["accepted_for"]
            self._dirty = True
        for key, value in values.items():
            if entry.get(key) == value:
                continue
            if key in entry:
                entry[key] = value
            else:
                entry.insert(_canonical_position(entry, key), key, value)
            self._dirty = True
        self._claims_cache = None
        return _claim_from_entry(entry)

    # -- write ----------------------------------------------------------------------------

    def dumps(self) -> str:
        buffer = io.StringIO()
        self._yaml.dump(self._document, buffer)
        return buffer.getvalue()

    def save(self) -> None:
        """Write claims.yaml atomically, only if something changed."""
        if not self._dirty:
            return
        text = self.dumps()
        if text != self._original:
            write_atomically(self.path, text)
        self._original = text
        self._dirty = False


def write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and os.replace: never a half-written file.

    `durable` also flushes to disk before the rename, so a power cut leaves the old or the
    new file; files that are regenerated every run can skip that cost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- claims <-> entries --------------------------------------------------------------------


class _FieldError(Exception):
    def __init__(self, field: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.hint = hint


def _optional_str(entry: Mapping[str, Any], key: str, validate: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "footnote":
        return str(value)  # `footnote: 3` is how people write it
    if validate and not isinstance(value, str):
        raise _FieldError(key, f"must be a string, not {value!r}")
    return str(value)


def _claim_from_entry(entry: Mapping[str, Any], validate: bool = False) -> Claim:
    if validate:
        for key in entry:
            if key not in CLAIM_KEYS:
                raise _FieldError(
                    str(key), "unknown field", hint=f"claim fields are: {', '.join(CLAIM_KEYS)}"
                )
        if "text" not in entry:
            raise _FieldError("text", "missing", hint="every claim needs text and urls")
        if "urls" not in entry:
            raise _FieldError("urls", "missing", hint="every claim needs text and urls (may be [])")
    text = entry["text"]
    if validate and (not isinstance(text, str) or not text.strip()):
        raise _FieldError("text", f"must be a non-empty string, not {text!r}")
    urls = entry["urls"]
    if validate and (
        not isinstance(urls, list) or not all(isinstance(u, str) and u.strip() for u in urls)
    ):
        raise _FieldError(
            "urls", "must be a list of URLs or paths", hint="e.g. urls: [https://example.org/a]"
        )
    line = entry.get("line")
    if (
        validate
        and line is not None
        and (isinstance(line, bool) or not isinstance(line, int) or line < 1)
    ):
        raise _FieldError("line", f"must be a line number (1 or more), not {line!r}")
    status_value = entry.get("status")
    try:
        status = Status(status_value) if status_value is not None else Status.OPEN
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise _FieldError("status", f"unknown status {status_value!r} (known: {known})") from None
    claim_id = entry.get("id")
    if validate and claim_id is not None and (not isinstance(claim_id, str) or not claim_id):
        raise _FieldError("id", f"must be a string, not {claim_id!r}")
    return Claim(
        id=str(claim_id) if claim_id is not None else "",
        text=str(text),
        urls=tuple(str(u) for u in urls),
        article=_optional_str(entry, "article", validate),
        line=line,
        footnote=_optional_str(entry, "footnote", validate),
        status=status,
        note=_optional_str(entry, "note", validate),
        citations=_citations(entry.get("citations"), validate),
        accepted_for=_accepted_for(entry, validate),
    )


def _accepted_for(entry: Mapping[str, Any], validate: bool) -> str | None:
    value = _optional_str(entry, "accepted_for", validate)
    if validate and value is not None and not re.fullmatch(r"[0-9a-f]{8}/[0-9a-f]{8}", value):
        raise _FieldError(
            "accepted_for",
            f"not a fingerprint written by `verifier accept`: {value!r}",
            hint="delete the line, then run `verifier accept ID --note ...` to pin it again",
        )
    return value


def _citations(value: object, validate: bool) -> tuple[Citation, ...]:
    if value is None:
        return ()
    if validate and not isinstance(value, list):
        raise _FieldError("citations", "must be a list of {url, title, publisher, accessed}")
    citations: list[Citation] = []
    for item in value:  # type: ignore[attr-defined]
        if validate and not isinstance(item, Mapping):
            raise _FieldError("citations", "each citation must be a mapping")
        if validate:
            for key in item:
                if key not in CITATION_KEYS:
                    raise _FieldError(
                        "citations",
                        f"unknown citation field {key!r}",
                        hint=f"citation fields are: {', '.join(CITATION_KEYS)}",
                    )
        fields = {key: _optional_str(item, key, validate) for key in CITATION_KEYS}
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


def _is_extracted(entry: Mapping[str, Any]) -> bool:
    """Written by `extract` (it records where it found the claim); else written by a person."""
    return entry.get("line") is not None or entry.get("footnote") is not None


def _has_human_fields(entry: Mapping[str, Any]) -> bool:
    if entry.get("status") not in (None, Status.OPEN.value):
        return True
    if entry.get("note"):
        return True
    return any(key not in MACHINE_KEYS and key not in ("status", "note") for key in entry)


def _shift_after_delete(index: int | None, deleted: int) -> int | None:
    if index is None:
        return None
    return index - 1 if index > deleted else index


def _flow(items: Sequence[object]) -> CommentedSeq:
    sequence = CommentedSeq(items)
    sequence.fa.set_flow_style()
    return sequence


def _citation_entries(extracted: ExtractedClaim) -> CommentedSeq | None:
    rows = CommentedSeq()
    for citation in extracted.citations:
        row = CommentedMap()
        for key in CITATION_KEYS:
            value = getattr(citation, key)
            if value:
                row[key] = value
        # A bare URL is already in `urls`; only metadata a report can show is worth a row.
        if any(key != "url" for key in row):
            rows.append(row)
    return rows if rows else None


def _machine_values(extracted: ExtractedClaim) -> dict[str, object]:
    return {
        "article": extracted.article,
        "line": extracted.line,
        "footnote": extracted.footnote,
        "text": extracted.text,
        "urls": _flow(list(extracted.urls)),
        "citations": _citation_entries(extracted),
    }


def _new_entry(claim_id: str, extracted: ExtractedClaim) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = claim_id
    for key, value in _machine_values(extracted).items():
        if value is not None:
            entry[key] = value
    return entry


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _update_entry(entry: CommentedMap, extracted: ExtractedClaim) -> bool:
    """Set the machine-owned fields that differ; True when anything changed."""
    changed = False
    for key, value in _machine_values(extracted).items():
        if value is None:
            if key in entry:
                del entry[key]
                changed = True
            continue
        current = entry.get(key)
        if key == "footnote" and current is not None:
            current = str(current)
        if key in entry and _plain(current) == _plain(value):
            continue
        if key in entry:
            entry[key] = value
        else:
            entry.insert(_canonical_position(entry, key), key, value)
        changed = True
    return changed


def _canonical_position(entry: CommentedMap, key: str) -> int:
    """Where `key` goes: after the last present key that precedes it in CLAIM_KEYS."""
    rank = CLAIM_KEYS.index(key)
    position = 0
    for index, existing in enumerate(entry):
        if existing in CLAIM_KEYS and CLAIM_KEYS.index(existing) < rank:
            position = index + 1
    return position
