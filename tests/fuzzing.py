"""Hostile inputs for every input surface, and the property each must keep.

Shared by the suite (tests/test_fuzz.py, a few dozen examples per surface) and the long
run (bench/fuzz_long.py, minutes per surface). Each `check_*` function takes one input and
raises AssertionError, or lets the unexpected exception through, when the outcome is not
one of the allowed ones: claims, a clean InputError (exit 3), or a per-source
`unavailable`. Seeds are the articles and files in tests/fixtures/fuzz/, written for this.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from verifier.archive import Archive
from verifier.errors import ArticleError, InputError, InvalidURL, RecordError, SourceError
from verifier.extract import FORMATS, decode_article, extract_source
from verifier.extract.urls import find_urls, normalize_url
from verifier.fetch import Fetcher
from verifier.fetch.urls import request_url
from verifier.files import OverlongLine
from verifier.ledger import Ledger
from verifier.match import score_records
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.pipeline import SourceLocator
from verifier.settings import FetchSettings
from verifier.text import PageText, main_text

SEEDS = Path(__file__).parent / "fixtures" / "fuzz"
ARTICLE_SEEDS = {
    "text": "article.txt",
    "markdown": "article.md",
    "html": "article.html",
    "wikitext": "article.wiki",
    "rst": "article.rst",
}
assert set(ARTICLE_SEEDS) == set(FORMATS)


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# -- URLs -----------------------------------------------------------------------------

HOSTILE_URLS = (
    "http://[::1",
    "http://[fe80::1%25eth0]/",
    "http://xn--/",
    "http://]/",
    "http://[::1]:80x/",
    "http://example.org:99999999999/",
    "http://exa mple.org/",
    "http://example.org/a\x00b",
    "http:///",
    "https://" + "a" * 64 + ".org/",
    "http://example.org/" + "p" * 70_000,
    "http://\u00fc.xn--ab/",
    "http://%zz/",
    "file:///dev/zero",
    "ftp://example.org/",
)

_HOSTS = st.one_of(
    st.sampled_from(
        [
            "example.org",
            "[::1]",
            "[::1",
            "::1]",
            "[fe80::1%25eth0]",
            "[fe80::1%eth0]",
            "xn--",
            "xn--zz.example",
            "b\u00fccher.example",
            "\u00fc.xn--ab",
            "0x7f.1",
            "2130706433",
            "a" * 64,
            ".".join(["label"] * 60),
            "",
            "user:pw@example.org",
            "@",
            "%41.org",
        ]
    ),
    st.text(min_size=0, max_size=20),
)
_PORTS = st.one_of(
    st.just(""),
    st.integers(min_value=-5, max_value=10**12).map(lambda port: f":{port}"),
    st.text(max_size=6).map(lambda port: f":{port}"),
)
_PATHS = st.one_of(
    st.text(max_size=40).map(lambda path: "/" + path),
    st.integers(min_value=0, max_value=80_000).map(lambda length: "/" + "p" * length),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    """URLs of every shape: brackets, zone ids, IDNA, spaces and control characters, huge
    ports, 70 KB paths; now and then entirely random text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))
    scheme = draw(st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "file://", ""]))
    return scheme + draw(_HOSTS) + draw(_PORTS) + draw(_PATHS)


def check_url(url: str, fetcher: Fetcher, locate: SourceLocator) -> None:
    """A cited URL is that one source's outcome (a Capture or a FetchFailure), never an
    exception; normalising and locating it never raise either."""
    with contextlib.suppress(InvalidURL):
        request_url(url)
    normalize_url(url)
    find_urls(url)
    location = locate(url)
    result = fetcher.fetch(location, offline=True)
    assert isinstance(result, Capture | FetchFailure)
    if isinstance(result, FetchFailure):
        assert isinstance(result.reason, UnavailableReason)


def offline_fetcher(root: Path) -> Fetcher:
    return Fetcher(FetchSettings(wayback=None), Archive(root / "archive"))


# -- articles -------------------------------------------------------------------------

_MARKUP = (
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "{{",
    "}}",
    "[[",
    "]]",
    "|",
    "^",
    "[^",
    "]:",
    "_",
    "*",
    "#",
    "=",
    '"',
    "'",
    "`",
    "\n",
    "\n\n",
    "\t",
    "&",
    ";",
    ".",
    ". ",
    "<ref>",
    "</ref>",
    '<ref name="a"',
    "/>",
    "<sup>",
    "</sup>",
    '<a href="',
    "</a>",
    "<li id=",
    "<!--",
    "-->",
    ".. [",
    "]_",
    "`_",
    "[1]",
    "[#",
    "^1",
    "\u00b9",
    "Ibid.",
    "op. cit.",
    "\x00",
    "\ud800",
    "\u2028",
    "\u200b",
    "\u0301",
    "\ufeff",
    "\r\n",
    "\r",
)


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> str:
    """`seed` after a few edits: markup inserted, slices cut or repeated, URLs swapped for
    hostile ones, random characters added."""
    text = seed
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        until = min(len(text), at + draw(st.integers(0, 80)))
        operation = draw(st.integers(0, 5))
        if operation == 0:
            text = text[:at] + draw(st.sampled_from(_MARKUP)) + text[at:]
        elif operation == 1:
            text = text[:at] + text[until:]
        elif operation == 2:
            text = text[:at] + text[at:until] * draw(st.integers(2, 30)) + text[at:]
        elif operation == 3:
            text = text[:at] + draw(st.sampled_from(HOSTILE_URLS)) + text[at:]
        elif operation == 4:
            text = text[:at] + draw(st.text(max_size=12)) + text[at:]
        else:
            found = re.search(r"(?:https?|ftp)://[^\s<>\"'\])|}]+", text[at:])
            if found is not None:
                start, end = at + found.start(), at + found.end()
                text = text[:start] + draw(urls()) + text[end:]
    return text


@st.composite
def articles(draw: st.DrawFn, article_format: str) -> str:
    """Mostly mutated seed articles, sometimes random text in the format's alphabet."""
    if draw(st.integers(0, 4)) == 0:
        pieces = st.lists(st.sampled_from((*_MARKUP, "a", "b", "1", " ", ".")), max_size=60)
        return "".join(draw(pieces))
    return draw(mutated(seed_text(ARTICLE_SEEDS[article_format])))


def check_article(text: str, article_format: str) -> None:
    """Claims, or an ArticleError (exit 3); never another exception."""
    try:
        extraction = extract_source(text, "article", article_format)
    except ArticleError:
        return
    for claim in extraction.claims:
        assert claim.text
        assert claim.line >= 1


def check_article_bytes(raw: bytes, article_format: str) -> None:
    """Undecodable, binary or truncated bytes: an ArticleError naming the file, or claims."""
    try:
        text = decode_article(raw, "article")
    except ArticleError as error:
        assert error.path == "article"
        return
    check_article(text, article_format)


@st.composite
def article_bytes(draw: st.DrawFn, article_format: str) -> bytes:
    raw = seed_text(ARTICLE_SEEDS[article_format]).encode("utf-8")
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return raw[: draw(st.integers(0, len(raw)))]  # truncated, maybe mid-character
    if choice == 1:
        return draw(st.binary(max_size=300))
    if choice == 2:
        encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "latin-1", "cp1252"]))
        return seed_text(ARTICLE_SEEDS[article_format]).encode(encoding, "replace")
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]


# -- claims.yaml ----------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_URLS[:8]),
    st.sampled_from(["contradicted", "supported", "accepted", "2024-01-02", "~", "yes", "0x1F"]),
)
_KEYS = st.sampled_from(
    [
        "articles",
        "settings",
        "fetch",
        "claims",
        "id",
        "text",
        "urls",
        "status",
        "note",
        "line",
        "footnote",
        "article",
        "citations",
        "fail_on",
        "min_score",
        "overrides",
        "timeout",
        "allow_hosts",
        "max_bytes",
        "url",
        "accepted_for",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)

_YAML_MARKUP = (
    ":",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "  ",
    "\t",
    "#",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/object ",
    "!!binary ",
    "|",
    ">",
    "'",
    '"',
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "? ",
    ",",
    "<<: *a\n",
    "!!int ",
    "!!float ",
    "!!timestamp ",
    "2024-13-45",
    "? [a]\n  : ",
    "[" * 3000,
    "\x00",
    "\ud800",
    "\ufeff",
    "\r\n",
)


def _yaml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML (nearly: hence fuzzing)


@st.composite
def ledgers(draw: st.DrawFn) -> str:
    """claims.yaml texts: the seed with YAML markup and scalars edited in, or a document
    of random structure under the known keys."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        document = draw(st.dictionaries(_KEYS, _VALUES, max_size=5))
        return "\n".join(f"{key}: {_yaml_value(value)}" for key, value in document.items())
    text = seed_text("claims.yaml")
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        if choice == 1:
            text = text[:at] + draw(st.sampled_from(_YAML_MARKUP)) + text[at:]
        else:
            # Replace one scalar after a key with a random one.
            scalar = re.compile(r"(?m)(:\s)([^\n#]*)$")
            found = scalar.search(text, at) or scalar.search(text)
            if found is not None:
                replacement = _yaml_value(draw(_VALUES))
                text = text[: found.start(2)] + replacement + text[found.end(2) :]
    return text


def check_ledger(text: str | bytes, path: Path) -> None:
    """claims.yaml loads, or is a LedgerError/InputError (exit 3); either way the file's
    bytes are unchanged: loading never rewrites what a person wrote."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    path.write_bytes(raw)
    try:
        ledger = Ledger.load(path)
        for claim in ledger.claims:
            assert isinstance(claim.text, str)
        assert ledger.settings is not None
    except InputError:
        pass
    assert path.read_bytes() == raw


# -- score JSONL ----------------------------------------------------------------------

_TEXTS = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
    st.sampled_from(["The canal reopened on 2 June 2022.", "", " ", "\u0000"]),
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@st.composite
def records(draw: st.DrawFn) -> bytes:
    """One `verifier score` input line: a good record, wrong types, surrogates, deep
    nesting, bytes that are not UTF-8, huge numbers, truncated JSON."""
    choice = draw(st.integers(0, 6))
    if choice == 0:
        record = {"id": draw(_JSON), "claim": draw(_TEXTS), "source": draw(_TEXTS)}
        text = json.dumps(record, ensure_ascii=draw(st.booleans()))
        return text.encode("utf-8", "surrogatepass")
    if choice == 1:
        fields = draw(st.dictionaries(st.sampled_from(["id", "claim", "source"]), _JSON))
        return json.dumps(fields).encode("utf-8", "surrogatepass")
    if choice == 2:
        depth = draw(st.integers(1, 200_000))
        return b'{"id": 1, "claim": ' + b"[" * depth + b"]" * depth + b', "source": "s"}'
    if choice == 3:
        return draw(st.binary(max_size=120))
    if choice == 4:
        digits = draw(st.integers(1, 6000))
        return b'{"id": ' + b"9" * digits + b', "claim": "c", "source": "s"}'
    line = seed_text("records.jsonl").splitlines()[0].encode("utf-8")
    return line[: draw(st.integers(0, len(line)))]


def check_records(lines: list[bytes | OverlongLine]) -> None:
    """One outcome per non-blank line, in order: a contract dict written back as strict
    UTF-8 JSON, or a RecordError for that line (exit 3 at the end)."""
    outcomes = list(score_records(lines))
    blank = sum(1 for line in lines if isinstance(line, bytes) and not line.strip())
    assert len(outcomes) == len(lines) - blank
    for outcome in outcomes:
        if isinstance(outcome, RecordError):
            assert outcome.line is not None and outcome.exit_code == 3
            continue
        assert set(outcome) == {"id", "score", "verdict", "evidence", "flags"}
        assert 0.0 <= outcome["score"] <= 1.0
        json.dumps(outcome, ensure_ascii=False, allow_nan=False).encode("utf-8")


# -- `verifier text` ------------------------------------------------------------------


def _pdf(text: str) -> bytes:
    """A one-page PDF whose text layer says `text` (hand-built, with a correct xref)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


PDF_SEED = _pdf("The Lowmoor Canal reopened to boats on 2 June 2022.")
_CONTENT_TYPES = st.sampled_from(
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=bogus-9",
        "text/plain",
        "application/pdf",
        "application/octet-stream",
        "image/png",
        ";;;",
        "text/html; charset=",
    ]
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """What `verifier text` reads: binary, truncated pages and PDFs, wrong labels."""
    seed = draw(st.sampled_from([seed_text("page.html").encode("utf-8"), PDF_SEED]))
    choice = draw(st.integers(0, 3))
    if choice == 0:
        body = draw(st.binary(max_size=400))
    elif choice == 1:
        body = seed[: draw(st.integers(0, len(seed)))]
    elif choice == 2:
        at = draw(st.integers(0, len(seed)))
        body = seed[:at] + draw(st.binary(min_size=1, max_size=16)) + seed[at:]
    else:
        body = seed
    return body, draw(_CONTENT_TYPES)


def check_body(body: bytes, content_type: str | None) -> None:
    """Main text, or a SourceError that becomes `unavailable` with its reason."""
    try:
        page = main_text(body, content_type, "https://example.org/page")
    except SourceError as error:
        assert isinstance(error.reason, UnavailableReason)
        return
    assert isinstance(page, PageText)


SURFACES: dict[str, Callable[..., None]] = {
    "article": check_article,
    "article bytes": check_article_bytes,
    "claims.yaml": check_ledger,
    "url": check_url,
    "score jsonl": check_records,
    "text": check_body,
}
