"""The HTML element names every reader of HTML text starts from: those that never hold prose
and those that stand as blocks. Each reader adjusts them to the way it lays text out, and
says why next to its own set.
"""

from __future__ import annotations

NON_PROSE_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
"""Elements whose content no reader sees as prose: code, styling, metadata, drawings."""

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
"""Elements whose text a reader sees apart from the text around them (a line break, <br>,
is not one: each reader decides what it stands for)."""
