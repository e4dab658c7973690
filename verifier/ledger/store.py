"""claims.yaml: load and validate (errors name file, line and field), merge, write back.

The file is a document people edit, so the tool changes it surgically: the text is kept as
a head (everything before the claims), one text block per claim entry, and a tail. Only
entries the tool changes are rewritten, each through ruamel.yaml's round-trip mode on its
own small block, so comments, key order and quoting survive; new entries are emitted in
the file's own indentation; every other byte stays as it was. Validation happens on a full
parse, once per distinct file content (see `cache`), so every later stage can trust
`Ledger.claims` and a large unchanged ledger loads in milliseconds.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from verifier.errors import LedgerError
from verifier.ledger import cache, config
from verifier.ledger.emit import Indent, entry_lines
from verifier.ledger.files import write_atomically
from verifier.ledger.ids import normalize_text, unique_claim_id
from verifier.model import Citation, Claim, ExtractedClaim, Extraction, Status
from verifier.settings import DEFAULT_FAIL_ON, Settings

__all__ = ["Ledger", "MergeSummary", "write_atomically"]

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

_HEADER = """\
# claims.yaml: the reviewable ledger of footnoted claims.
# `verifier extract` adds and updates claims and keeps your comments, `status` and `note`.
# `status: accepted` with a `note` silences a finding.
"""
_EMPTY_CLAIMS = re.compile(r"^(?P<key>\s*claims:)[ \t]*(?:\[[ \t]*\]|null|~)?(?P<rest>[ \t]*#.*)?$")
_REMOVE = object()
"""A change that deletes the key."""


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


class _Entry:
    """One claim: its plain values and the exact text it occupies in the file."""

    __slots__ = ("lines", "plain")

    def __init__(self, plain: dict[str, Any], lines: list[str]) -> None:
        self.plain = plain
        self.lines = lines


_DEFAULT_INDENT = Indent()


def _round_trip_yaml(indent: Indent = _DEFAULT_INDENT) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Never fold a long claim sentence or URL across lines: one claim field, one line.
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=indent.sequence, offset=indent.offset)
    return yaml


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


def _plain(value: object) -> Any:
    """ruamel values -> JSON-compatible values (dates as ISO strings)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


_LINE = re.compile(
    r"[^\n\r\x85\u2028\u2029]*(?:\r\n|[\n\r\x85\u2028\u2029])|[^\n\r\x85\u2028\u2029]+$"
)


def _split_lines(text: str) -> list[str]:
    """Lines as ruamel.yaml counts them (it also breaks at U+0085, U+2028, U+2029), with ends."""
    return _LINE.findall(text)


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class Ledger:
    """claims.yaml in memory: validated values plus the text they came from."""

    def __init__(
        self,
        path: Path,
        *,
        original: str | None,
        head: list[str],
        entries: list[_Entry],
        tail: list[str],
        indent: Indent,
        claims_line: int | None,
        sections: Mapping[str, Any],
        articles: tuple[str, ...],
    ) -> None:
        self.path = path
        self._original = original
        self._head = head
        self._entries = entries
        self._tail = tail
        self._indent = indent
        self._claims_line = claims_line
        self._newline = "\r\n" if original is not None and "\r\n" in original else "\n"
        self._sections = dict(sections)
        self._settings = _settings_from(sections, path)
        self._articles = articles
        self._dirty = original is None
        self._claims_cache: list[Claim] | None = None
        self._assign_missing_ids()

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read and validate claims.yaml; LedgerError names file, line and field on any problem."""
        try:
            # Bytes decoded by hand: read_text would turn CRLF into LF and the rewrite
            # would change every line of a file saved on Windows.
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise LedgerError("file not found", path=str(path)) from None
        except UnicodeDecodeError as error:
            raise LedgerError(
                f"not UTF-8 text (byte {error.start})", path=str(path), hint="save it as UTF-8"
            ) from None
        except OSError as error:
            raise LedgerError(f"cannot read: {error.strerror}", path=str(path)) from None
        key = cache.content_key(text)
        cached = cache.read(path, key)
        if cached is not None:
            try:
                return cls._from_payload(path, text, cached)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                pass  # written by another version of the layout: parse afresh below
        payload, text_used = _parse(path, text)
        if text_used == text:
            cache.write(path, key, payload)
        ledger = cls._from_payload(path, text_used, payload)
        if text_used != text:
            ledger._original = text
            ledger._dirty = True  # the claims list was rewritten in block style
        return ledger

    @classmethod
    def _from_payload(cls, path: Path, text: str, payload: Mapping[str, Any]) -> Ledger:
        lines = _split_lines(text)
        layout = payload["layout"]
        starts: list[int] = list(layout["starts"])
        bounds = [*starts, int(layout["block_end"])]
        claims = payload["claims"]
        if len(claims) != len(starts):
            raise ValueError("cache does not match its layout")
        entries = [
            _Entry(dict(plain), lines[bounds[i] : bounds[i + 1]]) for i, plain in enumerate(claims)
        ]
        return cls(
            path,
            original=text,
            head=lines[: int(layout["head_end"])],
            entries=entries,
            tail=lines[int(layout["block_end"]) :],
            indent=Indent(*layout["indent"]),
            claims_line=layout["claims_line"],
            sections={"settings": payload["settings"], "fetch": payload["fetch"]},
            articles=tuple(payload["articles"]),
        )

    @classmethod
    def new(cls, path: Path) -> Ledger:
        """An empty ledger for a claims.yaml that does not exist yet (written on `save`)."""
        fail_on = ", ".join(verdict.value for verdict in DEFAULT_FAIL_ON)
        head = [
            *_HEADER.splitlines(keepends=True),
            "articles: []\n",
            "settings:\n",
            f"  fail_on: [{fail_on}]\n",
            "claims:\n",
        ]
        return cls(
            path,
            original=None,
            head=head,
            entries=[],
            tail=[],
            indent=Indent(),
            claims_line=len(head) - 1,
            sections={"settings": {"fail_on": [v.value for v in DEFAULT_FAIL_ON]}, "fetch": None},
            articles=(),
        )

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
            self._claims_cache = [_claim_from_plain(entry.plain) for entry in self._entries]
        return list(self._claims_cache)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    # -- editing --------------------------------------------------------------------------

    def _assign_missing_ids(self) -> None:
        if all(entry.plain.get("id") for entry in self._entries):
            return
        taken = {str(entry.plain["id"]) for entry in self._entries if entry.plain.get("id")}
        for entry in self._entries:
            if entry.plain.get("id"):
                continue
            new_id = unique_claim_id(entry.plain.get("article"), entry.plain["text"], taken)
            taken.add(new_id)
            self._rewrite(entry, {"id": new_id})

    def _rewrite(self, entry: _Entry, changes: Mapping[str, object]) -> None:
        """Apply `changes` to one entry through a round trip of its own text only."""
        # Blank lines and comments above the dash are kept byte for byte: ruamel would
        # drop a leading blank line.
        lead = 0
        while lead < len(entry.lines) and _is_filler(entry.lines[lead]):
            lead += 1
        yaml = _round_trip_yaml(self._indent)
        document = yaml.load("".join(entry.lines[lead:]))
        node = document[0]
        for key, value in changes.items():
            if value is _REMOVE:
                if key in node:
                    del node[key]
                continue
            ruamel_value = _ruamel_value(key, value)
            if key in node:
                node[key] = ruamel_value
            else:
                node.insert(_canonical_position(node, key), key, ruamel_value)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        body = _shift_dash(_split_lines(buffer.getvalue()), self._indent)
        entry.lines = entry.lines[:lead] + self._with_newlines(body)
        entry.plain = _plain(node)
        self._dirty = True
        self._claims_cache = None

    def _insert(self, position: int, plain: dict[str, Any]) -> None:
        if not self._entries:
            self._open_claims_list()
        if position == len(self._entries) and self._entries:
            last = self._entries[-1].lines
            if last and not last[-1].endswith("\n"):
                last[-1] += self._newline
        lines = self._with_newlines(entry_lines(plain, self._indent))
        self._entries.insert(position, _Entry(plain, lines))
        self._dirty = True
        self._claims_cache = None

    def _with_newlines(self, lines: list[str]) -> list[str]:
        """Generated lines end in the file's own line break (CRLF stays CRLF)."""
        if self._newline == "\n":
            return lines
        return [line[:-1] + self._newline if line.endswith("\n") else line for line in lines]

    def _open_claims_list(self) -> None:
        """Make the head end in a bare `claims:` line that block entries can follow."""
        if self._head and not self._head[-1].endswith("\n"):
            self._head[-1] += self._newline
        if self._claims_line is None:
            self._head.append("claims:" + self._newline)
            self._claims_line = len(self._head) - 1
            return
        line = self._head[self._claims_line].rstrip("\r\n")
        match = _EMPTY_CLAIMS.match(line)
        if match is not None:
            rest = match.group("rest") or ""
            self._head[self._claims_line] = match.group("key") + rest + self._newline

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
            if entry.plain.get("article") == article and _is_extracted(entry.plain)
        ]
        found = list(extraction.claims)
        matches: list[int | None] = [None] * len(found)

        by_text: dict[str, deque[int]] = defaultdict(deque)
        for index in candidates:
            by_text[normalize_text(entries[index].plain["text"])].append(index)
        for position, extracted in enumerate(found):
            queue = by_text.get(normalize_text(extracted.text))
            if queue:
                matches[position] = queue.popleft()
        used = {index for index in matches if index is not None}
        by_footnote: dict[str, deque[int]] = defaultdict(deque)
        for index in candidates:
            footnote = entries[index].plain.get("footnote")
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
            changes = _machine_changes(entries[matched].plain, extracted)
            if changes:
                self._rewrite(entries[matched], changes)
                updated.append(str(entries[matched].plain["id"]))
            else:
                unchanged += 1

        gone = [index for index in candidates if index not in used]
        kept = [str(entries[i].plain["id"]) for i in gone if _has_human_fields(entries[i].plain)]
        removed_indices = [i for i in gone if not _has_human_fields(entries[i].plain)]
        removed = [str(entries[index].plain["id"]) for index in removed_indices]
        for index in sorted(removed_indices, reverse=True):
            del entries[index]
            matches = [_shift_after_delete(m, index) for m in matches]

        added: list[str] = []
        if any(m is None for m in matches):
            taken = {str(entry.plain["id"]) for entry in entries}
            for position, extracted in enumerate(found):
                if matches[position] is not None:
                    continue
                at = self._insertion_point(article, matches, position)
                new_id = unique_claim_id(article, extracted.text, taken)
                taken.add(new_id)
                self._insert(at, {"id": new_id, **_machine_values(extracted)})
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
        same_article = [
            i for i, entry in enumerate(self._entries) if entry.plain.get("article") == article
        ]
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
        entry = next((e for e in self._entries if e.plain.get("id") == claim_id), None)
        if entry is None:
            raise LedgerError(
                f"no claim with id {claim_id!r}",
                path=str(self.path),
                hint="ids are in reports/results.json and on the report pages",
            )
        wanted: dict[str, object] = {
            "status": Status.ACCEPTED.value,
            "note": note,
            "accepted_for": accepted_for if accepted_for is not None else _REMOVE,
        }
        changes = {
            key: value
            for key, value in wanted.items()
            if (key in entry.plain if value is _REMOVE else entry.plain.get(key) != value)
        }
        if changes:
            self._rewrite(entry, changes)
        return _claim_from_plain(entry.plain)

    # -- write ----------------------------------------------------------------------------

    def dumps(self) -> str:
        pieces = list(self._head)
        if pieces and self._entries and not pieces[-1].endswith("\n"):
            pieces[-1] += self._newline
        for entry in self._entries:
            pieces.extend(entry.lines)
        if self._tail and pieces and not pieces[-1].endswith("\n"):
            pieces[-1] += self._newline
        pieces.extend(self._tail)
        return "".join(pieces)

    def save(self) -> None:
        """Write claims.yaml atomically, only if something changed; refresh the parse cache."""
        if not self._dirty:
            return
        text = self.dumps()
        if text != self._original:
            write_atomically(self.path, text)
            cache.write(self.path, cache.content_key(text), self._payload())
        self._original = text
        self._dirty = False

    def _payload(self) -> dict[str, Any]:
        """The parse of `dumps()`, as the cache stores it: known without parsing again."""
        head_end = len(self._head)
        starts: list[int] = []
        line = head_end
        for entry in self._entries:
            starts.append(line)
            line += len(entry.lines)
        return {
            "articles": list(self._articles),
            "settings": self._sections.get("settings"),
            "fetch": self._sections.get("fetch"),
            "claims": [entry.plain for entry in self._entries],
            "layout": {
                "head_end": head_end,
                "starts": starts,
                "block_end": line,
                "indent": [
                    self._indent.dash_column,
                    self._indent.sequence,
                    self._indent.offset,
                ],
                "claims_line": self._claims_line,
            },
        }


# -- full parse and validation -------------------------------------------------------------


def _parse(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Parse and validate `text`; returns the cache payload and the text it describes.

    The text differs from the input only when a flow-style claims list (`claims: [{...}]`)
    had to be rewritten in block style, where entries can be edited one by one.
    """
    try:
        document = _round_trip_yaml().load(text)
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
            "must be a mapping with articles, settings, fetch and claims", path=str(path), line=1
        )
    validator = _Validator(path, document)
    validator.check()
    entries = document.get("claims")
    if isinstance(entries, CommentedSeq) and entries and entries.fa.flow_style():
        entries.fa.set_block_style()
        for entry in entries:
            entry.fa.set_block_style()
        buffer = io.StringIO()
        _round_trip_yaml().dump(document, buffer)
        return _parse(path, buffer.getvalue())
    payload = {
        "articles": list(validator.articles),
        "settings": _plain(document.get("settings")),
        "fetch": _plain(document.get("fetch")),
        "claims": [_plain(entry) for entry in entries or ()],
        "layout": _layout(document, text),
    }
    return payload, text


def _layout(document: CommentedMap, text: str) -> dict[str, Any]:
    """Where the claims sit in `text`: head | entry blocks | tail, and the indentation."""
    lines = _split_lines(text)
    if "claims" not in document:
        return {
            "head_end": len(lines),
            "starts": [],
            "block_end": len(lines),
            "indent": [2, 4, 2],
            "claims_line": None,
        }
    claims_line, claims_column = document.lc.key("claims")
    entries = document["claims"]
    if not entries:
        after = claims_line + 1
        return {
            "head_end": after,
            "starts": [],
            "block_end": after,
            "indent": [claims_column + 2, 4, 2],
            "claims_line": claims_line,
        }
    dash_lines: list[int] = []
    dash_column = claims_column + 2
    content_column = dash_column + 2
    for index in range(len(entries)):
        item_line, item_column = entries.lc.item(index)
        dash_line = item_line
        for candidate in range(item_line, max(item_line - 3, claims_line), -1):
            if lines[candidate].lstrip().startswith("-"):
                dash_line = candidate
                break
        dash_lines.append(dash_line)
        if index == 0:
            dash_column = _indentation(lines[dash_line])
            content_column = item_column
    starts: list[int] = []
    bound = claims_line
    for dash_line in dash_lines:
        start = dash_line
        while start - 1 > bound and _is_filler(lines[start - 1]):
            start -= 1
        starts.append(start)
        bound = dash_line
    block_end = len(lines)
    for number in range(dash_lines[-1] + 1, len(lines)):
        line = lines[number]
        if _is_filler(line) or _indentation(line) > claims_column:
            continue
        if _indentation(line) == dash_column and line.lstrip().startswith("-"):
            continue
        block_end = number
        break
    while (
        block_end - 1 > dash_lines[-1]
        and _is_filler(lines[block_end - 1])
        and _indentation(lines[block_end - 1]) <= claims_column
    ):
        block_end -= 1
    return {
        "head_end": starts[0],
        "starts": starts,
        "block_end": block_end,
        "indent": [
            dash_column,
            content_column - claims_column,
            dash_column - claims_column,
        ],
        "claims_line": claims_line,
    }


class _Validator:
    """Checks a round-trip document; every error names the line of the offending key."""

    def __init__(self, path: Path, document: CommentedMap) -> None:
        self.path = path
        self.document = document
        self.articles: tuple[str, ...] = ()

    def error(
        self, message: str, node: object = None, key: object = None, hint: str | None = None
    ) -> LedgerError:
        line = _line_of(node, key) if node is not None else None
        return LedgerError(message, path=str(self.path), line=line, hint=hint)

    def check(self) -> None:
        for key in self.document:
            if key not in TOP_KEYS:
                raise self.error(
                    f"unknown key {key!r}",
                    self.document,
                    key,
                    hint=f"top-level keys are: {', '.join(TOP_KEYS)}",
                )
        self.check_settings()
        self.check_articles()
        self.check_claims()

    def check_settings(self) -> None:
        settings = Settings()
        for section in config.sections_of(self.document):
            node = self.document[section]
            if node is None:
                continue
            if not isinstance(node, CommentedMap):
                raise self.error(f"{section} must be a mapping", self.document, section)
            for key, value in node.items():
                try:
                    option = config.find_option(section, key)
                    settings = config.apply_value(settings, option, value)
                except config.InvalidValue as problem:
                    error = self.error(
                        f"{section}.{key}: {problem}",
                        node,
                        key,
                        hint=f"{section} keys are: {config.known_keys(section)}",
                    )
                    error.line = problem.line or error.line
                    raise error from None

    def check_articles(self) -> None:
        patterns = self.document.get("articles")
        if patterns is None:
            return
        if not isinstance(patterns, list) or not all(
            isinstance(p, str) and p.strip() for p in patterns
        ):
            raise self.error(
                "articles must be a list of paths or glob patterns",
                self.document,
                "articles",
                hint="e.g. articles: [articles/*.md]",
            )
        self.articles = tuple(patterns)

    def check_claims(self) -> None:
        entries = self.document.get("claims")
        if entries is None:
            return
        if not isinstance(entries, CommentedSeq):
            raise self.error("claims must be a list", self.document, "claims")
        seen: dict[str, int | None] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, CommentedMap):
                raise LedgerError(
                    "each claim must be a mapping with at least text and urls",
                    path=str(self.path),
                    line=_line_of(entries, index),
                )
            try:
                claim = _claim_from_entry(entry, validate=True)
            except _FieldError as problem:
                raise self.error(
                    f"claim {index + 1}: {problem.field}: {problem.message}",
                    entry if problem.field in entry else entries,
                    problem.field if problem.field in entry else index,
                    hint=problem.hint,
                ) from None
            if claim.id:
                if claim.id in seen:
                    raise self.error(
                        f"duplicate id {claim.id!r} (first used on line {seen[claim.id]})",
                        entry,
                        "id",
                        hint="give each claim its own id, or delete the id to have one assigned",
                    )
                seen[claim.id] = _line_of(entry, "id")


def _settings_from(sections: Mapping[str, Any], path: Path) -> Settings:
    """Settings from already validated plain sections (a cache hit or a checked document)."""
    settings = Settings()
    for section in ("settings", "fetch"):
        values = sections.get(section)
        if not values:
            continue
        for key, value in values.items():
            try:
                settings = config.apply_value(settings, config.find_option(section, key), value)
            except config.InvalidValue as problem:
                raise LedgerError(f"{section}.{key}: {problem}", path=str(path)) from None
    return settings


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


_STATUSES = {status.value: status for status in Status}


def _claim_from_plain(entry: Mapping[str, Any]) -> Claim:
    """A Claim from an entry already validated and made plain: the per-run hot path.

    Same result as `_claim_from_entry` without its checks, which cost a third of a second
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


def _citation_rows(extracted: ExtractedClaim) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for citation in extracted.citations:
        row = {key: getattr(citation, key) for key in CITATION_KEYS if getattr(citation, key)}
        # A bare URL is already in `urls`; only metadata a report can show is worth a row.
        if any(key != "url" for key in row):
            rows.append(row)
    return rows


def _machine_values(extracted: ExtractedClaim) -> dict[str, Any]:
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
    return values


def _machine_changes(plain: Mapping[str, Any], extracted: ExtractedClaim) -> dict[str, object]:
    """The machine-owned fields of an entry that differ from what extraction found."""
    wanted = _machine_values(extracted)
    changes: dict[str, object] = {}
    for key in ("article", "line", "footnote", "text", "urls", "citations"):
        current = plain.get(key)
        if key == "footnote" and current is not None:
            current = str(current)
        if key not in wanted:
            if key in plain:
                changes[key] = _REMOVE
        elif key not in plain or current != wanted[key]:
            changes[key] = wanted[key]
    return changes


def _ruamel_value(key: str, value: object) -> object:
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


def _canonical_position(entry: CommentedMap, key: str) -> int:
    """Where `key` goes: after the last present key that precedes it in CLAIM_KEYS."""
    rank = CLAIM_KEYS.index(key)
    position = 0
    for index, existing in enumerate(entry):
        if existing in CLAIM_KEYS and CLAIM_KEYS.index(existing) < rank:
            position = index + 1
    return position


def _shift_dash(lines: list[str], indent: Indent) -> list[str]:
    """Move a dumped entry so its dash sits in the ledger's dash column (comments stay)."""
    dash_line = next((line for line in lines if line.lstrip().startswith("-")), None)
    if dash_line is None:
        return lines
    delta = indent.dash_column - _indentation(dash_line)
    if delta == 0:
        return lines
    shifted: list[str] = []
    for line in lines:
        if _is_filler(line):
            shifted.append(line)
        elif delta > 0:
            shifted.append(" " * delta + line)
        else:
            shifted.append(line[min(-delta, _indentation(line)) :])
    return shifted
