"""Wikitext syntax the extractor needs: templates and their parameters, and inline markup
(links, emphasis, the few templates that show words) rendered as the text a reader sees."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

BRACES = re.compile(r"\{\{|\}\}")
BRACKETS = re.compile(r"\[\[|\]\]")
_TEMPLATE_TOKENS = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|")
_PARAMETER_NAME = re.compile(r"\s*[\w\s-]+\s*")
# Templates whose text readers see inline; everything else (infoboxes, navboxes, maintenance
# tags, "citation needed") is left out of the running text.
_TEXT_TEMPLATES = {
    "ndash": "\u2013",
    "mdash": "\u2014",
    "snd": " \u2013 ",
    "spaced ndash": " \u2013 ",
    "!": "|",
    "nbsp": " ",
    "'": "'",
}
_FIRST_PARAMETER_TEMPLATES = frozenset(
    {"nowrap", "nobr", "small", "smaller", "big", "abbr", "em", "strong", "sic", "nowrap begin"}
)
_INLINE = re.compile(
    r"\[\[(?P<target>[^\[\]|]*)(?:\|(?P<label>[^\[\]]*))?\]\](?P<trail>[a-z]*)|"
    r"\[(?P<url>(?:https?:)?//[^\s\]]+)(?:\s+(?P<urltext>[^\]]*))?\]|"
    r"'{2,5}|<br\s*/?>|</?[a-zA-Z][^<>]*>|__[A-Z]+__",
)
QUOTE_TEMPLATES = frozenset(
    {"quote", "blockquote", "cquote", "quotation", "quote box", "zitat", "citation bloc"}
)


def balanced_end(source: str, start: int, pattern: re.Pattern[str], opener: str) -> int | None:
    depth = 0
    for match in pattern.finditer(source, start):
        depth += 1 if match.group(0) == opener else -1
        if depth == 0:
            return match.end()
    return None


def template_spans(wikitext: str) -> Iterator[tuple[int, int]]:
    """Where each top-level {{template}} starts and ends, in order. An unclosed one ends the
    scan: it and what follows it are text as written."""
    position = 0
    while (start := wikitext.find("{{", position)) >= 0:
        end = balanced_end(wikitext, start, BRACES, "{{")
        if end is None:
            return
        yield start, end
        position = end


def replace_templates(wikitext: str, render: Callable[[str], str]) -> str:
    """`wikitext` with each top-level template replaced by `render(what stands in its braces)`."""
    parts: list[str] = []
    position = 0
    for start, end in template_spans(wikitext):
        parts.append(wikitext[position:start])
        parts.append(render(wikitext[start + 2 : end - 2]))
        position = end
    parts.append(wikitext[position:])
    return "".join(parts)


def template_parts(inner: str) -> tuple[str, dict[str, str]]:
    """A template's name and parameters (positional ones as "1", "2", ...), split on the
    top-level pipes only (not those inside nested templates or links)."""
    parts: list[str] = []
    depth = 0
    current = 0
    for token in _TEMPLATE_TOKENS.finditer(inner):
        mark = token.group(0)
        if mark in ("{{", "[["):
            depth += 1
        elif mark in ("}}", "]]"):
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(inner[current : token.start()])
            current = token.end()
    parts.append(inner[current:])
    name = parts[0].strip()
    parameters: dict[str, str] = {}
    position = 1
    for part in parts[1:]:
        key, equals, value = part.partition("=")
        if equals and _PARAMETER_NAME.fullmatch(key):
            parameters[key.strip().lower()] = value.strip()
        else:
            parameters[str(position)] = part.strip()
            position += 1
    return name, parameters


def first_parameter(parameters: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = parameters.get(name)
        if value:
            return value
    return None


def text_template(lowered: str, parameters: dict[str, str]) -> str | None:
    """The words a template shows inline ({{convert|40|ha}} -> "40 ha"), or None for a
    template that adds nothing to the running text (infobox, maintenance tag, ...)."""
    if lowered in _TEXT_TEMPLATES:
        return _TEXT_TEMPLATES[lowered]
    if lowered in _FIRST_PARAMETER_TEMPLATES and "1" in parameters:
        return plain_templates(parameters["1"])
    if lowered in ("lang", "langx", "transl") and "2" in parameters:
        return plain_templates(parameters["2"])
    if lowered.startswith("lang-") and "1" in parameters:
        return plain_templates(parameters["1"])
    if lowered in ("ill", "interlanguage link", "interlanguage link multi") and "1" in parameters:
        return plain_templates(parameters.get("lt") or parameters["1"])
    if lowered in ("circa", "c.") and "1" in parameters:
        return f"c. {parameters['1']}"
    if lowered in ("convert", "cvt") and "1" in parameters:
        return f"{parameters['1']} {parameters.get('2', '')}".strip()
    if lowered == "as of" and "1" in parameters:
        date = " ".join(parameters[key] for key in ("1", "2", "3") if parameters.get(key))
        return f"{'as' if parameters.get('lc') else 'As'} of {date}"
    if lowered in ("us$", "usd") and "1" in parameters:
        return f"US${parameters['1']}"
    return None


def plain_templates(wikitext: str) -> str:
    """Inline wikitext with its templates rendered: known text templates as they show,
    an unknown one-parameter wrapper ({{Nastaliq|...}}) as its parameter, others dropped."""
    if "{{" not in wikitext:
        return plain(wikitext)
    return plain(replace_templates(wikitext, _plain_template))


def _plain_template(inner: str) -> str:
    name, parameters = template_parts(inner)
    rendered = text_template(name.lower().replace("_", " ").strip(), parameters)
    if rendered is None and list(parameters) == ["1"]:
        rendered = plain_templates(parameters["1"])
    return rendered or ""


def plain(wikitext: str) -> str:
    """Inline wikitext rendered as text (links to labels, no formatting or tags)."""
    return " ".join(html.unescape(_INLINE.sub(_inline_replacement, wikitext)).split())


def _inline_replacement(match: re.Match[str]) -> str:
    if match.group("target") is not None:
        label = match.group("label")
        target = match.group("target")
        shown = label if label is not None else target.lstrip(":")
        # Labels carry their own markup ([[Moment magnitude|M<sub>w</sub>]]).
        return _INLINE.sub(_inline_replacement, shown) + (match.group("trail") or "")
    if match.group("url") is not None:
        return match.group("urltext") or ""
    token = match.group(0)
    if token.lower().startswith("<br"):
        return " "
    return ""


def plain_keep_space(wikitext: str) -> str:
    return html.unescape(_INLINE.sub(_inline_replacement, wikitext))


def strip_templates(content: str) -> str:
    return replace_templates(content, lambda _inner: " ")
