"""Undo Content-Encoding with a hard cap on the decoded size (gzip/deflate bombs)."""

from __future__ import annotations

import zlib

_CHUNK = 64 * 1024
MAX_STACKED_ENCODINGS = 3


class BodyTooLarge(Exception):
    """The body (raw or decoded) is over the size limit."""


class UnsupportedEncoding(Exception):
    """A Content-Encoding this fetcher does not decode (it never advertised it)."""


def decode_content(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Decode `body` per its Content-Encoding header (in reverse order), capped at `limit`."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > MAX_STACKED_ENCODINGS:
        raise UnsupportedEncoding(f"{len(codings)} stacked content encodings")
    for coding in reversed(codings):
        if coding in {"gzip", "x-gzip"}:
            body = _inflate(body, zlib.MAX_WBITS | 16, limit)
        elif coding == "deflate":
            try:
                body = _inflate(body, zlib.MAX_WBITS, limit)
            except zlib.error:
                body = _inflate(body, -zlib.MAX_WBITS, limit)  # raw deflate, as some servers send
        else:
            raise UnsupportedEncoding(f"content encoding {coding!r}")
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
