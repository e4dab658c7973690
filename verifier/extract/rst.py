"""reStructuredText (docutils / Sphinx): [1]_, [#]_, [#name]_, [*]_ and [Citation]_ references
to `.. [label] text` definitions, whose text runs on over indented lines.

Footnotes are explicit markup blocks, so a line-based reading is exact enough: a block starts
with ".. " and owns every following line that is blank or indented past its start. Literal
blocks (after "::"), comments and directives are left out of the running text, except
admonitions (note, warning, ...), whose content is prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.extract.assemble import Body, Note, assemble
from verifier.extract.notes import NoteText
from verifier.model import Extraction

_DEFINITION = re.compile(
    r"^(?P<indent>[ \t]*)\.\.[ \t]+\[(?P<label>[^\]\s]+)\](?:[ \t]+|$)(?P<text>.*)$"
)
_TARGET = re.compile(r"^[ \t]*\.\.[ \t]+_(?P<name>`[^`]+`|[^:]+):[ \t]*(?P<url>\S*)[ \t]*$")
_EXPLICIT = re.compile(r"^(?P<indent>[ \t]*)\.\.(?:[ \t]|$)")
_ADMONITION = re.compile(
    r"^[ \t]*\.\.[ \t]+(?:note|warning|tip|important|attention|caution|danger|error|hint|"
    r"seealso|admonition|versionadded|versionchanged|deprecated)::",
    re.I,
)
_REFERENCE = re.compile(r"(?<![\w\\])\[(?P<label>#[\w.:+-]*|\*|\d+|[A-Za-z_][\w.:+-]*)\]_(?!\w)")
_SECTION_RULE = re.compile(r"^([=\-`:'\"~^_*+#<>.!$%&(),/;?@\[\\\]{|}])\1{2,}\s*$")
_LIST_ITEM = re.compile(
    r"^[ \t]*(?:[-*+\u2022][ \t]+|(?:\d+|#|[a-zA-Z])[.)][ \t]+|\((?:\d+|[a-zA-Z])\)[ \t]+)"
)
_INLINE = re.compile(
    r"`(?P<linktext>[^`<]*?)\s*<(?P<linkurl>[^>`]+)>`__?|"
    r":[\w:+.-]+:`(?P<roletext>[^`]*)`|"
    r"``(?P<code>[^`]+)``|"
    r"`(?P<interpreted>[^`]+)`_{0,2}|"
    r"\*\*(?P<strong>[^*]+)\*\*|\*(?P<emphasis>[^*\s][^*]*)\*|"
    r"\|(?P<substitution>[^|\s][^|]*)\|_{0,2}|"
    r"(?<=\w)_(?=\W|$)|\\(?P<escaped>.)"
)


@dataclass
class _Definition:
    label: str
    line: int
    lines: list[str]


def extract_rst(source: str, article: str) -> Extraction:
    """Claims of a reStructuredText article."""
    lines = source.split("\n")
    definitions, targets, skipped = _explicit_blocks(lines)
    numbered = _number_auto_footnotes(definitions)
    body = Body()
    anonymous_references = 0
    previous_blank = True
    for index, line in enumerate(lines):
        if index in skipped or not line.strip():
            if not previous_blank:
                body.paragraph_break()
            previous_blank = True
            continue
        if _SECTION_RULE.match(line):
            body.paragraph_break()
            previous_blank = True
            continue
        if index + 1 < len(lines) and _SECTION_RULE.match(lines[index + 1]) and line.strip():
            body.paragraph_break()  # a section title
        elif _LIST_ITEM.match(line):
            body.paragraph_break()
        elif not previous_blank:
            body.append("\n")
        previous_blank = False
        text = _LIST_ITEM.sub("", line, count=1) if _LIST_ITEM.match(line) else line
        if text.rstrip().endswith("::"):
            text = text.rstrip()[:-1]  # "Example::" reads "Example:"
        position = 0
        for reference in _REFERENCE.finditer(text):
            body.append(_plain(text[position : reference.start()]))
            written = reference.group("label")
            if written == "#":
                label = numbered.anonymous_label(anonymous_references)
                anonymous_references += 1
            else:
                label = numbered.label_for(written)
            body.add_marker(label, index + 1, reference.start() + 1)
            position = reference.end()
        body.append(_plain(text[position:]))
    notes = [
        Note(
            numbered.definition_labels[id(definition)],
            _note_text(definition, targets),
            definition.line,
        )
        for definition in definitions
    ]
    return assemble(article, body, notes)


@dataclass
class _Numbering:
    definition_labels: dict[int, str]
    anonymous: list[str]
    named: dict[str, str]

    def anonymous_label(self, index: int) -> str:
        return self.anonymous[index] if index < len(self.anonymous) else f"#{index + 1}"

    def label_for(self, written: str) -> str:
        if written.startswith("#"):
            return self.named.get(written[1:], written[1:])
        return written


def _number_auto_footnotes(definitions: list[_Definition]) -> _Numbering:
    """docutils numbers [#] and [#name] footnotes in definition order, skipping the numbers
    that manually numbered footnotes already use."""
    manual = {definition.label for definition in definitions if definition.label.isdigit()}
    next_number = 1
    labels: dict[int, str] = {}
    anonymous: list[str] = []
    named: dict[str, str] = {}
    for definition in definitions:
        if not definition.label.startswith("#"):
            labels[id(definition)] = definition.label
            continue
        while str(next_number) in manual:
            next_number += 1
        number = str(next_number)
        next_number += 1
        labels[id(definition)] = number
        if definition.label == "#":
            anonymous.append(number)
        else:
            named[definition.label[1:]] = number
    return _Numbering(labels, anonymous, named)


def _explicit_blocks(
    lines: list[str],
) -> tuple[list[_Definition], dict[str, str], set[int]]:
    """Footnote/citation definitions, hyperlink targets, and the line indexes that are not
    running text (explicit markup blocks and literal blocks)."""
    definitions: list[_Definition] = []
    targets: dict[str, str] = {}
    skipped: set[int] = set()
    index = 0
    literal_next = False
    while index < len(lines):
        line = lines[index]
        explicit = _EXPLICIT.match(line)
        if explicit and not _ADMONITION.match(line):
            indent = len(explicit.group("indent"))
            end = _block_end(lines, index, indent)
            skipped.update(range(index, end))
            definition = _DEFINITION.match(line)
            if definition:
                text_lines = [definition.group("text")]
                text_lines.extend(lines[index + 1 : end])
                definitions.append(_Definition(definition.group("label"), index + 1, text_lines))
            target = _TARGET.match(line)
            if target:
                targets[target.group("name").strip("`").lower()] = target.group("url")
            index = end
            continue
        if explicit:  # an admonition: its directive line is markup, its content prose
            skipped.add(index)
        if literal_next and line.strip() and line[: len(line) - len(line.lstrip())]:
            end = _block_end(lines, index - 1, 0)
            skipped.update(range(index, end))
            index = end
            literal_next = False
            continue
        if line.strip():
            literal_next = line.rstrip().endswith("::") and not explicit
        index += 1
    return definitions, targets, skipped


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the last line belonging to the block that starts at `start`."""
    end = start + 1
    last_content = start
    while end < len(lines):
        line = lines[end]
        if line.strip():
            line_indent = len(line) - len(line.lstrip())
            if line_indent <= indent:
                break
            last_content = end
        end += 1
    return last_content + 1


def _plain(text: str) -> str:
    return _INLINE.sub(_inline_replacement, text)


def _inline_replacement(match: re.Match[str]) -> str:
    for group in (
        "linktext",
        "roletext",
        "code",
        "interpreted",
        "strong",
        "emphasis",
        "substitution",
        "escaped",
    ):
        value = match.group(group)
        if value is not None:
            if group == "roletext":
                # :ref:`Title <target>` shows the title; :doc:`path` shows the path.
                return re.sub(r"\s*<[^<>]*>$", "", value)
            return value
    return ""


def _note_text(definition: _Definition, targets: dict[str, str]) -> NoteText:
    raw = "\n".join(line.strip() for line in definition.lines).strip()
    links: list[tuple[str, str]] = []
    for match in re.finditer(r"`(?P<text>[^`<]*?)\s*<(?P<url>[^>`]+)>`__?", raw):
        links.append((match.group("url").strip(), match.group("text").strip()))
    for match in re.finditer(r"`(?P<name>[^`<]+)`_(?!_)|(?<![\w`])(?P<word>\w[\w.-]*)_(?!\w)", raw):
        name = (match.group("name") or match.group("word") or "").lower()
        if targets.get(name):
            links.append((targets[name], match.group("name") or match.group("word") or ""))
    text = _INLINE.sub(_inline_replacement_keep_urls, raw)
    return NoteText(text=text, links=tuple(links))


def _inline_replacement_keep_urls(match: re.Match[str]) -> str:
    if match.group("linkurl") is not None:
        return f"{match.group('linktext')} <{match.group('linkurl')}>"
    return _inline_replacement(match)
