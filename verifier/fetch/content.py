"""Undo Content-Encoding with a hard cap on the decoded size (gzip and deflate bombs).

Every decoder produces output in bounded steps and stops as soon as the total passes the
limit, so a few kilobytes that would inflate to gigabytes cost at most `limit` bytes.

Brotli is neither asked for nor decoded: a br body sent unasked is `unreadable`, so a
brotli bomb costs nothing. (Decoding it boundedly is easy with brotli >= 1.2, but warcio
1.8's br reader breaks on that package, so archived br responses would fail
`warcio check` wherever it is installed.)
"""

from __future__ import annotations

import zlib

from verifier.errors import SourceError
from verifier.model import UnavailableReason

_CHUNK = 64 * 1024
MAX_STACKED_ENCODINGS = 3


ACCEPT_ENCODING = "gzip, deflate"
"""What the fetcher advertises: only encodings it decodes within a size limit."""


class BodyTooLarge(SourceError):
    """The body (raw or decoded) is over the size limit."""

    reason = UnavailableReason.TOO_LARGE


class UnsupportedEncoding(SourceError):
    """A Content-Encoding this fetcher does not decode (it never advertised it)."""


class CorruptEncoding(SourceError):
    """The body is not valid data in its declared Content-Encoding."""


def decode_content(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Decode `body` per its Content-Encoding header (in reverse order), capped at `limit`."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > MAX_STACKED_ENCODINGS:
        raise UnsupportedEncoding(f"{len(codings)} stacked content encodings")
    try:
        for coding in reversed(codings):
            if coding in {"gzip", "x-gzip"}:
                body = _inflate(body, zlib.MAX_WBITS | 16, limit)
            elif coding == "deflate":
                try:
                    body = _inflate(body, zlib.MAX_WBITS, limit)
                except zlib.error:
                    body = _inflate(body, -zlib.MAX_WBITS, limit)  # raw deflate, as some send
            else:
                raise UnsupportedEncoding(f"content encoding {coding!r}")
    except zlib.error as error:
        raise CorruptEncoding(f"bad compressed data: {error}") from error
    return body


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """Inflate every member of `data` without ever holding more than `limit` bytes."""
    output = bytearray()
    remaining = data
    while remaining:
        decompressor = zlib.decompressobj(wbits)
        pending = remaining
        while pending:
            output += decompressor.decompress(pending, _CHUNK)
            if len(output) > limit:
                raise BodyTooLarge(f"decodes to more than {limit} bytes")
            pending = decompressor.unconsumed_tail
        while not decompressor.eof:
            piece = decompressor.decompress(b"", _CHUNK)
            if not piece:
                break
            output += piece
            if len(output) > limit:
                raise BodyTooLarge(f"decodes to more than {limit} bytes")
        if not decompressor.eof:
            if wbits & 16 and output:
                break  # a truncated last gzip member: keep what inflated
            raise zlib.error("truncated compressed body")
        remaining = decompressor.unused_data
        if not (wbits & 16):
            break  # zlib/deflate streams have one member
    return bytes(output)
