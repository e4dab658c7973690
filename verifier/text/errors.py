"""The one exception of the text stage."""

from __future__ import annotations

from verifier.errors import SourceError
from verifier.model import UnavailableReason


class UnreadableContent(SourceError):
    """The bytes are not text the matcher can read (binary, empty, broken PDF).

    Carries the `UnavailableReason` the finding should show, so callers turn it into a
    `FetchFailure` without guessing.
    """

    def __init__(self, reason: UnavailableReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
