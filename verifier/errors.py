"""Exceptions the library raises, and the exit code each maps to at the CLI.

    VerifierError                 base; unexpected failures (exit 1)
    └── InputError                the user's input is wrong (exit 3); carries file:line and a hint
        ├── LedgerError           claims.yaml is malformed or invalid
        ├── ArticleError          an article cannot be read or parsed
        └── SettingsError         a setting, flag or environment variable is invalid

Problems with a *source* are not exceptions: they are `model.FetchFailure` values and
become `unavailable` findings, so one dead link never stops a run.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base class for every error the library raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(VerifierError):
    """Bad input from the user: names the file and line, says what to do."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"


class LedgerError(InputError):
    """claims.yaml cannot be parsed or does not validate."""


class ArticleError(InputError):
    """An article cannot be read or parsed."""


class SettingsError(InputError):
    """A setting (claims.yaml, environment or flag) has an invalid value."""
