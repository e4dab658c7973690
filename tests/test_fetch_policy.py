"""Retry and status policy: which answers are retried, how long to wait, what they mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from verifier.fetch.policy import (
    MAX_RETRY_AFTER,
    backoff,
    parse_retry_after,
    retry_delay,
    status_failure,
)
from verifier.model import UnavailableReason


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_with_backoff(status: int) -> None:
    assert retry_delay(status, [], 0) == backoff(0)
    assert retry_delay(status, [], 2) == backoff(2) > backoff(1) > backoff(0)


@pytest.mark.parametrize("status", [200, 301, 400, 401, 403, 404, 410, 501])
def test_other_statuses_are_not_retried(status: int) -> None:
    assert retry_delay(status, [("Retry-After", "1")], 0) is None


def test_retry_after_seconds_and_dates_are_honoured_up_to_a_cap() -> None:
    assert retry_delay(503, [("Retry-After", "3")], 0) == 3.0
    assert retry_delay(503, [("retry-after", str(int(MAX_RETRY_AFTER) + 1))], 0) is None
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    delay = parse_retry_after(soon)
    assert delay is not None and 8.0 <= delay <= 10.0
    past = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    assert parse_retry_after(past) == 0.0
    assert parse_retry_after("soon-ish") is None
    assert retry_delay(503, [("Retry-After", "soon-ish")], 1) == backoff(1)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, None),
        (204, None),
        (404, UnavailableReason.DEAD),
        (410, UnavailableReason.DEAD),
        (429, UnavailableReason.RATE_LIMITED),
        (401, UnavailableReason.PAYWALL),
        (402, UnavailableReason.PAYWALL),
        (403, UnavailableReason.HTTP_ERROR),
        (302, UnavailableReason.HTTP_ERROR),
        (500, UnavailableReason.HTTP_ERROR),
    ],
)
def test_final_statuses_map_to_reasons(status: int, expected: UnavailableReason | None) -> None:
    failure = status_failure("https://n.test/a", status, "Reason")
    assert (failure.reason if failure else None) is expected
