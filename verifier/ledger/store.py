"""claims.yaml: load and validate (errors name file, line and field), merge, write back.

The file is a document people edit, so the tool changes it surgically: the text is kept as
a head (everything before the claims), one text block per claim entry, and a tail. Only
entries the tool changes are rewritten, each through ruamel.yaml's round-trip mode on its
own small block, so comments, key order and quoting survive; new entries are emitted in
the file's own indentation; every other byte stays as it was.

Loading validates everything, so later stages can trust `Ledger.claims`; the result is
cached per file content (`cache`), so an unchanged ledger of 10,000 claims loads in a
fraction of a second, and after a hand edit only the changed entries are parsed again
(`parse.reparse`), with a full parse (`parse.parse`) whenever that shortcut is not safe.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import re
from collections import defaultdict, deque
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from verifier.batch import paused_garbage_collection
from verifier.errors import LedgerError
from verifier.files import open_regular_file, read_regular, write_atomically
from verifier.ledger import cache
from verifier.ledger import parse as parsing
from verifier.ledger.emit import Indent, entry_lines
from verifier.ledger.entries import (
    REMOVE,
    canonical_position,
    claim_from_plain,
    has_human_fields,
    is_extracted,
    machine_changes,
    machine_values,
    ruamel_value,
)
from verifier.ledger.ids import normalize_text, unique_claim_id
from verifier.ledger.text import (
    is_filler,
    line_offsets,
    plain,
    round_trip_yaml,
    shift_dash,
    split_lines,
)
from verifier.model import Claim, Extraction, ExtractionWarning, Status
from verifier.settings import DEFAULT_FAIL_ON, Settings

__all__ = ["Ledger", "MergeSummary"]

_HEADER = """\
# claims.yaml: the reviewable ledger of footnoted claims.
# `verifier extract` adds and updates claims, keeping your comments, `status`, `note`,
# the URLs you add and the text you reword.
# `verifier accept ID --note ...` silences a finding until the claim or its source changes.
"""
_EMPTY_CLAIMS = re.compile(r"^(?P<key>\s*claims:)[ \t]*(?:\[[ \t]*\]|null|~)?(?P<rest>[ \t]*#.*)?$")


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
    warnings: tuple[ExtractionWarning, ...] = ()
    """Claims whose text a person edited differ from the article (claims.yaml lines)."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class _Entry:
    """One claim: its plain values and the exact text it occupies in the file.

    The text stays a span of the file's text until something reads or edits its lines: a
    ledger of 30,000 claims held as a list of lines per claim cost several times the file's
    size, and a check only reads the values.

    The values of an entry the ledger made or edited (every entry, after a first run over
    30,000 claims) are kept packed (`marshal`: a fifth of the size of the dict) and
    unpacked on each read of `plain`; a merge reads only its own article's entries. Values
    loaded from the file stay a dict, so reading an unchanged ledger costs nothing more.
    """

    __slots__ = ("_lines", "_plain", "_span", "_text")

    def __init__(
        self,
        plain: dict[str, Any],
        lines: list[str] | None = None,
        *,
        text: str = "",
        span: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        self._plain: dict[str, Any] | bytes = plain
        self._lines = lines
        self._text = text
        self._span = span
        """(first character, end character, number of lines) in `_text`."""

    @property
    def plain(self) -> dict[str, Any]:
        """The entry's values (a new dict on each read when they are packed: edit an entry
        by assigning `plain`, never by changing the dict read)."""
        if isinstance(self._plain, bytes):
            values: dict[str, Any] = marshal.loads(self._plain)
            return values
        return self._plain

    @plain.setter
    def plain(self, values: dict[str, Any]) -> None:
        self._plain = _packed(values)

    @property
    def lines(self) -> list[str]:
        """The entry's lines, with their ends; the ledger edits this list in place."""
        if self._lines is None:
            start, end, _ = self._span
            self._lines = split_lines(self._text[start:end])
            self._text = ""
        return self._lines

    @lines.setter
    def lines(self, lines: list[str]) -> None:
        self._lines = lines
        self._text = ""

    @classmethod
    def of_lines(cls, plain: dict[str, Any], lines: list[str]) -> _Entry:
        """A new entry, held as one string (far smaller than a list of its lines) when its
        lines split back into the same lines."""
        text = "".join(lines)
        if len(split_lines(text)) != len(lines):
            entry = cls(plain, lines)
        else:
            entry = cls(plain, text=text, span=(0, len(text), len(lines)))
        entry.plain = plain  # packed
        return entry

    def hold(self, text: str, span: tuple[int, int, int]) -> None:
        """Let the lines go: the entry is `span` of `text` (which holds them unchanged)."""
        self._lines = None
        self._text = text
        self._span = span

    @property
    def line_count(self) -> int:
        return len(self._lines) if self._lines is not None else self._span[2]

    def text(self) -> str:
        if self._lines is not None:
            return "".join(self._lines)
        start, end, _ = self._span
        return self._text[start:end]

    def each_line(self) -> list[str]:
        """The lines, without keeping them split when they were not already."""
        if self._lines is not None:
            return self._lines
        start, end, _ = self._span
        return split_lines(self._text[start:end])


class _Values(Sequence[dict[str, Any]]):
    """The entries' values, each unpacked when it is read."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [entry.plain for entry in self._entries[index]]
        return self._entries[index].plain

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (entry.plain for entry in self._entries)


def _packed(values: dict[str, Any]) -> dict[str, Any] | bytes:
    """`values` packed, when they pack back into equal values of the same types (values
    from ruamel can be subclasses of str or int that marshal refuses): else as they are."""
    try:
        return marshal.dumps(values)
    except ValueError:
        return values


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
        self._settings = parsing.settings_from(sections, path)
        self._articles = articles
        self._dirty = original is None
        self._claims_cache: list[Claim] | None = None
        self._article_index: dict[str | None, list[_Entry]] | None = None
        self._id_set: set[str] | None = None
        self._assign_missing_ids()

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read and validate claims.yaml; LedgerError names file, line and field on any problem."""
        with paused_garbage_collection():
            return cls._load(path)

    @classmethod
    def _load(cls, path: Path) -> Ledger:
        try:
            # Bytes decoded by hand: read_text would turn CRLF into LF and the rewrite
            # would change every line of a file saved on Windows.
            with open_regular_file(path, error=LedgerError) as handle:
                text = handle.read().decode("utf-8")
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
        if cached is not None and cache.well_formed(cached):
            return cls._from_payload(path, text, cached)
        previous = cache.read_latest(path)
        reparsed = (
            parsing.reparse(path, text, previous)
            if previous is not None and cache.well_formed(previous)
            else None
        )
        if reparsed is not None:
            cache.write(path, key, reparsed)
            return cls._from_payload(path, text, reparsed)
        payload, text_used = parsing.parse(path, text)
        if text_used == text:
            cache.write(path, key, payload)
        ledger = cls._from_payload(path, text_used, payload)
        if text_used != text:
            ledger._original = text
            ledger._dirty = True  # the claims list was rewritten in block style
        return ledger

    @classmethod
    def _from_payload(cls, path: Path, text: str, payload: Mapping[str, Any]) -> Ledger:
        layout = payload["layout"]
        starts: list[int] = list(layout["starts"])
        block_end = int(layout["block_end"])
        head_end = int(layout["head_end"])
        bounds = [*starts, block_end]
        claims = payload["claims"]
        if len(claims) != len(starts):
            raise ValueError("cache does not match its layout")
        offsets = line_offsets(text, [head_end, *bounds])
        block_start, block_stop = offsets[0], offsets[-1]
        entries = [
            _Entry(
                dict(plain),
                text=text,
                span=(offsets[i + 1], offsets[i + 2], bounds[i + 1] - bounds[i]),
            )
            for i, plain in enumerate(claims)
        ]
        return cls(
            path,
            original=text,
            head=split_lines(text[:block_start]),
            entries=entries,
            tail=split_lines(text[block_stop:]),
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
            with paused_garbage_collection():
                self._claims_cache = [claim_from_plain(entry.plain) for entry in self._entries]
        return list(self._claims_cache)

    def each_claim(self) -> Iterator[Claim]:
        """The claims one at a time, made as they are read and not kept (`claims` keeps them
        all, which at 30,000 claims is tens of megabytes)."""
        if self._claims_cache is not None:
            yield from self._claims_cache
            return
        for entry in self._entries:
            yield claim_from_plain(entry.plain)

    @property
    def content_key(self) -> str:
        """`cache.content_key` of the text the claims and settings come from: the file as
        loaded or last saved, or what `save` would write when changed since."""
        text = self._original if not self._dirty and self._original is not None else None
        return cache.content_key(text if text is not None else self.dumps())

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def field_lines(self, key: str, claim_ids: Collection[str] | None = None) -> dict[str, int]:
        """Each claim's line (1-based) holding `key`, by id: where a warning points. A claim
        without the key on a line of its own gives the line its entry starts on. With
        `claim_ids`, only those claims' lines (the others' text is not read)."""
        found: dict[str, int] = {}
        pattern = re.compile(rf"^[ \t]*(?:-[ \t]+)?{re.escape(key)}[ \t]*:")
        line = len(self._head) + 1
        for entry in self._entries:
            claim_id = str(entry.plain["id"])
            if claim_ids is None or claim_id in claim_ids:
                lines = entry.each_line()
                start = next((i for i, text in enumerate(lines) if not is_filler(text)), 0)
                at = next((i for i, text in enumerate(lines) if pattern.match(text)), start)
                found[claim_id] = line + at
            line += entry.line_count
        return found

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
        while lead < len(entry.lines) and is_filler(entry.lines[lead]):
            lead += 1
        yaml = round_trip_yaml(self._indent)
        document = yaml.load("".join(entry.lines[lead:]))
        node = document[0]
        for key, value in changes.items():
            if value is REMOVE:
                if key in node:
                    del node[key]
                continue
            node_value = ruamel_value(key, value)
            if key in node:
                node[key] = node_value
            else:
                node.insert(canonical_position(node, key), key, node_value)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        body = shift_dash(split_lines(buffer.getvalue()), self._indent)
        entry.lines = entry.lines[:lead] + self._with_newlines(body)
        entry.plain = plain(node)
        self._dirty = True
        self._claims_cache = None

    def _insert(self, position: int, plain: dict[str, Any]) -> _Entry:
        if not self._entries:
            self._open_claims_list()
        if position == len(self._entries) and self._entries:
            last = self._entries[-1]
            if last.text() and not last.text().endswith("\n"):
                last.lines[-1] += self._newline
        entry = _Entry.of_lines(plain, self._with_newlines(entry_lines(plain, self._indent)))
        self._ids().add(str(plain["id"]))
        appended = position == len(self._entries)
        self._entries.insert(position, entry)
        if appended and self._article_index is not None:
            self._article_index[plain.get("article")].append(entry)
        else:
            self._article_index = None  # positions inside an article moved: rebuild on use
        self._dirty = True
        self._claims_cache = None
        return entry

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
        candidates = [e for e in self._by_article().get(article, ()) if is_extracted(e.plain)]
        found = list(extraction.claims)
        matches: list[_Entry | None] = [None] * len(found)

        by_text: dict[str, deque[_Entry]] = defaultdict(deque)
        for entry in candidates:
            # A claim whose text a person reworded is found by the article's sentence.
            as_in_article = entry.plain.get("article_text") or entry.plain["text"]
            by_text[normalize_text(as_in_article)].append(entry)
        for position, extracted in enumerate(found):
            queue = by_text.get(normalize_text(extracted.text))
            if queue:
                matches[position] = queue.popleft()
        used = {id(entry) for entry in matches if entry is not None}
        by_footnote: dict[str, deque[_Entry]] = defaultdict(deque)
        for entry in candidates:
            footnote = entry.plain.get("footnote")
            if id(entry) not in used and footnote is not None:
                by_footnote[str(footnote)].append(entry)
        for position, extracted in enumerate(found):
            if matches[position] is None:
                queue = by_footnote.get(extracted.footnote)
                if queue:
                    footnote_match = queue.popleft()
                    matches[position] = footnote_match
                    used.add(id(footnote_match))

        updated: list[str] = []
        notes: dict[str, str] = {}
        unchanged = 0
        for position, extracted in enumerate(found):
            matched = matches[position]
            if matched is None:
                continue
            changes, note = machine_changes(matched.plain, extracted)
            if changes:
                self._rewrite(matched, changes)
                updated.append(str(matched.plain["id"]))
            else:
                unchanged += 1
            if note is not None:
                notes[str(matched.plain["id"])] = note

        gone = [entry for entry in candidates if id(entry) not in used]
        kept = [str(entry.plain["id"]) for entry in gone if has_human_fields(entry.plain)]
        removed_entries = [entry for entry in gone if not has_human_fields(entry.plain)]
        removed = [str(entry.plain["id"]) for entry in removed_entries]
        if removed_entries:
            dropped = {id(entry) for entry in removed_entries}
            self._entries = [entry for entry in self._entries if id(entry) not in dropped]
            self._article_index = None
            self._id_set = None

        added: list[str] = []
        if any(match is None for match in matches):
            taken = self._ids()
            for position, extracted in enumerate(found):
                if matches[position] is not None:
                    continue
                new_id = unique_claim_id(article, extracted.text, taken)
                at = self._insertion_point(article, matches, position)
                matches[position] = self._insert(at, {"id": new_id, **machine_values(extracted)})
                added.append(new_id)

        lines = self.field_lines("text") if notes else {}
        summary = MergeSummary(
            article=article,
            added=tuple(added),
            updated=tuple(updated),
            removed=tuple(removed),
            kept=tuple(kept),
            unchanged=unchanged,
            warnings=tuple(
                ExtractionWarning(self.path.name, lines[claim_id], f"claim {claim_id}: {note}")
                for claim_id, note in notes.items()
            ),
        )
        if summary.changed:
            self._dirty = True
            self._claims_cache = None
        return summary

    def _by_article(self) -> dict[str | None, list[_Entry]]:
        """Entries per article, in file order; rebuilt only after entries move."""
        if self._article_index is None:
            index: dict[str | None, list[_Entry]] = defaultdict(list)
            for entry in self._entries:
                index[entry.plain.get("article")].append(entry)
            self._article_index = index
        return self._article_index

    def _ids(self) -> set[str]:
        """Every claim id in the ledger (kept up to date as claims are added)."""
        if self._id_set is None:
            self._id_set = {str(entry.plain["id"]) for entry in self._entries}
        return self._id_set

    def _position(self, entry: _Entry) -> int:
        """Index of `entry`, searched from the end, where new and recent claims are."""
        entries = self._entries
        for index in range(len(entries) - 1, -1, -1):
            if entries[index] is entry:
                return index
        raise ValueError("entry is not in the ledger")

    def _insertion_point(
        self, article: str, matches: Sequence[_Entry | None], position: int
    ) -> int:
        """Right after the previous claim of the same article, so the ledger reads in order."""
        previous = [entry for entry in matches[:position] if entry is not None]
        if previous:
            return self._position(previous[-1]) + 1
        later = [entry for entry in matches[position:] if entry is not None]
        if later:
            return min(self._position(entry) for entry in later)
        same_article = self._by_article().get(article)
        if same_article:
            return self._position(same_article[-1]) + 1
        return len(self._entries)

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
            "accepted_for": accepted_for if accepted_for is not None else REMOVE,
        }
        changes = {
            key: value
            for key, value in wanted.items()
            if (key in entry.plain if value is REMOVE else entry.plain.get(key) != value)
        }
        if changes:
            self._rewrite(entry, changes)
        return claim_from_plain(entry.plain)

    # -- write ----------------------------------------------------------------------------

    def dumps(self) -> str:
        pieces = list(self._head)
        if pieces and self._entries and not pieces[-1].endswith("\n"):
            pieces[-1] += self._newline
        for entry in self._entries:
            text = entry.text()
            if text:
                pieces.append(text)
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
            self._check_unchanged_on_disk()
            # A claims.yaml that is a symbolic link (to a shared ledger, say) stays one: the
            # file it points to is replaced atomically, never the link.
            write_atomically(Path(os.path.realpath(self.path)), _pieces(text))
            payload = self._payload()
            cache.write(self.path, cache.content_key(text), payload)
            self._hold_as_text(text, payload["layout"])
        self._original = text
        self._dirty = False

    def _hold_as_text(self, text: str, layout: Mapping[str, Any]) -> None:
        """Keep the entries as spans of the text just written, as a load of it would: after
        a run added 30,000 claims, their lines would otherwise stay split for the rest of
        the run."""
        bounds = [*layout["starts"], layout["block_end"]]
        offsets = line_offsets(text, [layout["head_end"], *bounds])
        self._head = split_lines(text[: offsets[0]])
        self._tail = split_lines(text[offsets[-1] :])
        for i, entry in enumerate(self._entries):
            span = (offsets[i + 1], offsets[i + 2], bounds[i + 1] - bounds[i])
            entry.hold(text, span)

    def _check_unchanged_on_disk(self) -> None:
        """Refuse to overwrite edits someone saved while this run was working."""
        try:
            on_disk: str | None = read_regular(self.path).decode("utf-8")
        except FileNotFoundError:
            on_disk = None
        except (OSError, UnicodeDecodeError):
            on_disk = ""  # unreadable now: certainly not what was loaded
        if on_disk != self._original:
            raise LedgerError(
                "changed on disk since it was read; nothing was written",
                path=str(self.path),
                hint="run the command again to merge with the new version",
            )

    def _payload(self) -> dict[str, Any]:
        """The parse of `dumps()`, as the cache stores it: known without parsing again."""
        head_end = len(self._head)
        starts: list[int] = []
        line = head_end
        for entry in self._entries:
            starts.append(line)
            line += entry.line_count
        return {
            "articles": list(self._articles),
            "settings": self._sections.get("settings"),
            "fetch": self._sections.get("fetch"),
            # Read an entry at a time as the cache is written: every entry's values unpacked
            # at once would be the largest thing in memory.
            "claims": _Values(self._entries),
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
            "blocks": [
                hashlib.sha1(entry.text().encode("utf-8")).hexdigest() for entry in self._entries
            ],
        }


_PIECE = 1 << 20


def _pieces(text: str) -> Iterator[str]:
    """The text a megabyte at a time: written whole, its UTF-8 bytes (as large as the text:
    tens of megabytes at 30,000 claims) would be made at once beside it."""
    for start in range(0, len(text), _PIECE):
        yield text[start : start + _PIECE]
