"""WARC records for one fetch: request/response pairs for every hop, then the text.

Each record is its own gzip member (warcio's default), so a reader can seek straight to
any record by its offset, and a crash can only damage the member being written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that describe how bytes travelled, not what they are: the stored body is
# already de-chunked, so keeping "chunked" would make readers de-chunk it twice.
_HOP_BY_HOP = frozenset({"transfer-encoding", "connection", "keep-alive"})


@dataclass(frozen=True)
class HttpExchange:
    """One HTTP request and its response, as sent and received (one redirect hop)."""

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]
    status_code: int
    reason: str
    http_version: str
    """The response's version: "HTTP/1.1", "HTTP/1.0"..."""
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    """The entity body as transferred: de-chunked but still content-encoded."""
    fetched_at: str
    """ISO 8601 UTC, used as WARC-Date."""
    peer_address: str | None = None
    request_http_version: str = "HTTP/1.1"
    """What the client sent (httpx speaks HTTP/1.1), whatever version the server answered in."""


@dataclass(frozen=True)
class WrittenRecord:
    """Where one record sits in the group's bytes, and its WARC headers."""

    record_type: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None


def warcinfo_bytes(filename: str, software: str) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    info = {
        "software": software,
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "Sources cited by articles, archived by verifier",
    }
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return buffer.getvalue()


FETCH_FIELDS_TYPE = "application/warc-fields"
# What an index entry holds that the HTTP records do not say, as written in each fetch's
# metadata record: with it, the index can be rebuilt from the WARC files alone.
FETCH_FIELD_NAMES = {
    "url": "cited-url",
    "fetched_at": "fetched-at",
    "title": "title",
    "failure_reason": "failure-reason",
    "failure_detail": "failure-detail",
    "via": "via",
    "extractor": "extractor",
}


def fetch_fields_bytes(fields: Mapping[str, str | None]) -> bytes:
    """`name: value` lines (application/warc-fields) for the fields that have a value; line
    breaks inside a value become spaces, since each field is one line."""
    lines = [
        f"{FETCH_FIELD_NAMES[key]}: {' '.join(value.splitlines())}\r\n"
        for key, value in fields.items()
        if value
    ]
    return "".join(lines).encode("utf-8")


def parse_fetch_fields(body: bytes) -> dict[str, str] | None:
    """The fields `fetch_fields_bytes` wrote, keyed as IndexEntry names; None when the body
    is not a fetch's metadata (another tool's record, or damaged)."""
    keys = {name: key for key, name in FETCH_FIELD_NAMES.items()}
    fields: dict[str, str] = {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip() in keys:
            fields[keys[name.strip()]] = value.strip()
    return fields if "url" in fields and "fetched_at" in fields else None


def exchange_records(
    exchanges: Sequence[HttpExchange],
    text: str | None,
    warcinfo_id: str | None,
    fetch_fields: Mapping[str, str | None] | None = None,
) -> tuple[bytes, list[WrittenRecord]]:
    """Serialise request/response records for every hop, a conversion record of `text`,
    and a metadata record of `fetch_fields` (see FETCH_FIELD_NAMES), which ends the group.

    The conversion and metadata records refer to the last response.
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    written: list[WrittenRecord] = []

    def write(record: object) -> None:
        start = buffer.tell()
        writer.write_record(record)
        headers = record.rec_headers  # type: ignore[attr-defined]
        written.append(
            WrittenRecord(
                record_type=headers.get_header("WARC-Type"),
                offset=start,
                length=buffer.tell() - start,
                record_id=headers.get_header("WARC-Record-ID"),
                payload_digest=headers.get_header("WARC-Payload-Digest"),
            )
        )

    last_response_id: str | None = None
    for exchange in exchanges:
        common = {"WARC-Date": _warc_date(exchange.fetched_at)}
        if warcinfo_id:
            common["WARC-Warcinfo-ID"] = warcinfo_id
        response_headers = dict(common)
        if exchange.peer_address:
            response_headers["WARC-IP-Address"] = exchange.peer_address
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=response_headers,
            http_headers=StatusAndHeaders(
                f"{exchange.status_code} {exchange.reason}".strip(),
                [(k, v) for k, v in exchange.response_headers if k.lower() not in _HOP_BY_HOP],
                protocol=exchange.http_version,
            ),
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request_line = (
            f"{exchange.method} {_request_target(exchange.url)} {exchange.request_http_version}"
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            warc_headers_dict={**common, "WARC-Concurrent-To": response_id},
            http_headers=StatusAndHeaders(
                request_line,
                list(exchange.request_headers),
                protocol="",
                is_http_request=True,
            ),
        )
        write(response)
        write(request)
        last_response_id = response_id
    if text is not None and exchanges:
        final = exchanges[-1]
        encoded = text.encode("utf-8")
        conversion_headers = {
            "WARC-Date": _warc_date(final.fetched_at),
            "Content-Type": "text/plain; charset=utf-8",
        }
        if last_response_id:
            conversion_headers["WARC-Refers-To"] = last_response_id
        if warcinfo_id:
            conversion_headers["WARC-Warcinfo-ID"] = warcinfo_id
        write(
            writer.create_warc_record(
                final.url,
                "conversion",
                payload=io.BytesIO(encoded),
                length=len(encoded),
                warc_content_type="text/plain; charset=utf-8",
                warc_headers_dict=conversion_headers,
            )
        )
    if fetch_fields is not None and exchanges and last_response_id:
        body = fetch_fields_bytes(fetch_fields)
        metadata_headers = {
            "WARC-Date": _warc_date(exchanges[-1].fetched_at),
            "WARC-Refers-To": last_response_id,
        }
        if warcinfo_id:
            metadata_headers["WARC-Warcinfo-ID"] = warcinfo_id
        write(
            writer.create_warc_record(
                exchanges[-1].url,
                "metadata",
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type=FETCH_FIELDS_TYPE,
                warc_headers_dict=metadata_headers,
            )
        )
    return buffer.getvalue(), written


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _warc_date(iso_utc: str) -> str:
    """WARC-Date wants "YYYY-MM-DDThh:mm:ss(.frac)Z"."""
    return iso_utc.replace("+00:00", "Z")
