"""The Wayback Machine fallback: which archived copy of a dead or blocked source to read.

Uses the availability API (`GET <api>?url=<url>&timestamp=<YYYYMMDDhhmmss>`, answer
`{"archived_snapshots": {"closest": {"available": true, "status": "200", "url": ...,
"timestamp": ...}}}`), asking for the capture nearest the citation's access date. The
snapshot is then fetched like any source, through the same guard, in its raw form (`id_`)
so the page is the publisher's bytes without the Wayback toolbar.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlencode

_SNAPSHOT_PATH = re.compile(r"(/web/\d{4,14})(?:[a-z]{2}_)?/")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%B %Y",
    "%Y-%m",
    "%Y",
)
MAX_ANSWER_BYTES = 256 * 1024


def availability_url(api: str, url: str, accessed: str | None) -> str:
    query = {"url": url}
    timestamp = wayback_timestamp(accessed)
    if timestamp:
        query["timestamp"] = timestamp
    separator = "&" if "?" in api else "?"
    return f"{api}{separator}{urlencode(query)}"


def wayback_timestamp(accessed: str | None) -> str | None:
    """ "Retrieved 3 November 2024" and similar -> "20241103", or None when unparseable."""
    if not accessed:
        return None
    cleaned = re.sub(
        r"^(?:retrieved|accessed|archived)(?: on)?[:\s]+", "", accessed.strip(), flags=re.I
    )
    cleaned = cleaned.strip(" .")
    for date_format in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, date_format)
        except ValueError:
            continue
        return parsed.strftime("%Y%m%d%H%M%S" if "%H" in date_format else "%Y%m%d")
    return None


def snapshot_from_answer(body: bytes) -> str | None:
    """The closest available snapshot's URL (raw form) from an availability answer."""
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    snapshots = answer.get("archived_snapshots") if isinstance(answer, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    status = str(closest.get("status", "200"))
    url = closest.get("url")
    # A 3xx capture (often the site's http -> https redirect) replays as a redirect to the
    # capture of its target, which the fetcher follows like any other hop.
    if not status.startswith(("2", "3")) or not isinstance(url, str) or not url:
        return None
    return raw_snapshot(url)


def raw_snapshot(url: str) -> str:
    """http://web.archive.org/web/2019.../http://x -> .../web/2019...id_/http://x."""
    return _SNAPSHOT_PATH.sub(r"\1id_/", url, count=1)
