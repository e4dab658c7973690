"""Bytes -> str: sniff binary content and pick the charset the bytes really use.

Servers mislabel charsets often (a page labelled ISO-8859-1 that is UTF-8, or no label at
all), and a wrong guess garbles exactly the names and numbers the matcher compares. The
order of trust is: a byte-order mark, then valid multi-byte UTF-8 (which random bytes in
another encoding almost never are), then the declared label if the bytes decode under it,
then statistical detection.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Magic numbers of common binary formats that servers send with a text content type.
_BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x00\x00\x01\x00",  # ico
    b"RIFF",
    b"OggS",
    b"fLaC",
    b"ID3",
    b"\x7fELF",
    b"MZ",
    b"wOFF",
    b"wOF2",
    b"\x00asm",
    b"%!PS",
)
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\f\b\x1b")


def looks_binary(body: bytes) -> bool:
    """True when the first bytes are a known binary format or are not text at all."""
    head = body[:_SNIFF_BYTES]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16 text has NUL bytes by design
    if head.startswith(_BINARY_SIGNATURES):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROL_BYTES)
    return controls / len(head) > 0.05


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return _known_codec(match.group(1)) if match else None


def declared_meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return _known_codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_text(body: bytes, declared: str | None = None) -> str:
    """Decode `body` to str, trusting `declared` only when the bytes agree with it."""
    bom_codec = _codec_from_bom(body)
    if bom_codec is not None:
        return body.decode(bom_codec, errors="replace").lstrip("\ufeff")
    if _is_multibyte_utf8(body):
        return body.decode("utf-8")
    if declared is not None:
        try:
            return body.decode(declared)
        except UnicodeDecodeError:
            pass  # the label lies; detect below
    if body.isascii():
        return body.decode("ascii")
    best = from_bytes(body[:262_144]).best()
    if best is not None and best.encoding:
        return body.decode(best.encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


def _codec_from_bom(body: bytes) -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _known_codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # Browsers read a latin-1 label as windows-1252 (WHATWG); the bytes 0x80-0x9F are then
    # curly quotes and dashes instead of control characters.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name
