"""Captured-text pages: what each archived source said, readable where the reports are.

An article page links every source read from the web to `sources/<key>.md` beside it: the
main text the matcher read, with where and when it was captured. A reviewer reads it on
the forge or in an editor; the WARC it came from sits in archive/, which git ignores.
The key depends on the URL and the payload digest, so a page never describes another
capture, and a source cited by many claims gets one page.
"""

from __future__ import annotations

import hashlib

from verifier.model import Capture
from verifier.report.markdown import (
    GENERATED_MARKER,
    code,
    escape,
    is_web_url,
    link,
    safe_block_start,
)

SOURCES_DIR = "sources"


def source_page(capture: Capture) -> str:
    """The page's path relative to the reports folder, e.g. "sources/3f9a1e0b7c2d4e5f.md"."""
    key = hashlib.sha1(f"{capture.url}\n{capture.payload_digest}".encode()).hexdigest()[:16]
    return f"{SOURCES_DIR}/{key}.md"


def render_source(capture: Capture, text: str) -> str:
    """The page of `capture`, showing `text`: what the matcher read of it."""
    title = capture.title or capture.url
    facts = [
        link(capture.url, capture.url) if is_web_url(capture.url) else code(capture.url),
        f"captured {escape(capture.fetched_at)}",
        code(capture.payload_digest),
        f"via {capture.via}",
    ]
    if capture.final_url != capture.url:
        facts.append(f"final URL {code(capture.final_url)}")
    if capture.warc_file:
        facts.append(f"archived in {code(capture.warc_file)}")
    lines = [
        GENERATED_MARKER,
        f"# Captured text: {escape(title)}",
        "",
        "[Index](../index.md) · " + " · ".join(facts),
        "",
        "The main text as the matcher read it:",
        "",
    ]
    if not text:
        lines += ["*The archived text could not be read: run `verifier archive verify`.*", ""]
    for paragraph in text.split("\n"):
        if paragraph.strip():
            lines += [safe_block_start(escape(paragraph)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
