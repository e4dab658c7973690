"""What an HTTP answer means for a cited source: retry it, wait how long, or which failure.

retry_delay(status, headers, attempt) -> seconds | None    (None: do not retry)
status_failure(url, status, reason) -> FetchFailure | None  (None: 2xx, read the body)
"""

from __future__ import annotations

import email.utils
from collections.abc import Sequence
from datetime import UTC, datetime

from verifier.model import FetchFailure, UnavailableReason

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0
"""Seconds: a longer Retry-After is taken as rate limiting, not waited for."""
BACKOFF_BASE = 0.5


def retry_delay(status: int, headers: Sequence[tuple[str, str]], attempt: int) -> float | None:
    """Seconds to wait before retrying `status`, or None when it must not be retried
    (not a transient status, or the server asks for a longer wait than is sensible)."""
    if status not in RETRY_STATUSES:
        return None
    retry_after = header(headers, "retry-after")
    seconds = parse_retry_after(retry_after) if retry_after is not None else None
    if seconds is None:
        return backoff(attempt)
    return seconds if seconds <= MAX_RETRY_AFTER else None


def backoff(attempt: int) -> float:
    """Exponential backoff for retry number `attempt` (0-based) without a Retry-After."""
    return BACKOFF_BASE * float(2 ** min(attempt, 10))


def parse_retry_after(value: str) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if garbled."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, float((when - datetime.now(UTC)).total_seconds()))


def status_failure(url: str, status: int, reason: str) -> FetchFailure | None:
    """The failure a final (non-redirected) status means, or None for 2xx."""
    label = f"HTTP {status} {reason}".strip()
    if 200 <= status < 300:
        return None
    if status in {404, 410}:
        return FetchFailure(url, UnavailableReason.DEAD, label)
    if status == 429:
        return FetchFailure(url, UnavailableReason.RATE_LIMITED, label)
    if status in {401, 402}:
        return FetchFailure(url, UnavailableReason.PAYWALL, f"{label} (login or payment required)")
    if status in REDIRECT_STATUSES:
        return FetchFailure(url, UnavailableReason.HTTP_ERROR, f"{label} without a Location")
    return FetchFailure(url, UnavailableReason.HTTP_ERROR, label)


def header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first value of header `name` (lower-case) in a (name, value) list."""
    return next((value for key, value in headers if key.lower() == name), None)
