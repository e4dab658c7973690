"""Every exception the library raises on purpose, and what each becomes for the user.

    VerifierError                     base (exit 1 if it ever reaches the CLI: a bug)
    ├── InputError                    the user's input is wrong: exit 3, with file:line and a hint
    │   ├── LedgerError               claims.yaml cannot be read, parsed or validated
    │   │   └── FieldError            (ledger.entries) one claim field is wrong; the parser
    │   │                             adds the file and line
    │   ├── ArticleError              an article cannot be read or parsed
    │   ├── SettingsError             a setting, flag or environment variable is invalid
    │   │   └── InvalidValue          (ledger.config) a value of the wrong type or range; the
    │   │                             caller adds where it came from
    │   ├── RecordError               one `verifier score` input line is malformed: an error
    │   │                             line for that record, and the batch goes on
    │   └── OutputError               reports/ or archive/ cannot be written where configured
    ├── CarriedShort                  (report) the last results.json did not give every claim
    │                                 a re-check carries: the CLI runs the pass in full
    └── SourceError                   one source cannot be read: `unavailable` with `reason`,
        │                             never an exception out of the fetcher
        ├── InvalidURL                (verifier.urls, fetch.urls) not a URL a fetch can be made of
        ├── BlockedDestination        (fetch.guard) the SSRF guard refuses the address
        ├── UnresolvableHost          (fetch.guard) DNS gave no address
        ├── _TooManyRedirects         (fetch.client) a redirect loop
        ├── BodyTooLarge              (fetch.content) over fetch.max_bytes, raw or decoded
        ├── UnsupportedEncoding       (fetch.content) a Content-Encoding never advertised
        ├── CorruptEncoding           (fetch.content) not valid data in its Content-Encoding
        ├── UnreadableContent         (text.errors) binary, empty, a broken PDF; carries its reason
        └── ArchiveError              (archive.store) an archived record is damaged or missing;
                                      exit 3 if it stops a command (`archive export`)

Interrupts are not errors and stay outside the tree: Ctrl-C is KeyboardInterrupt, SIGTERM
is `interrupts.Terminated` (a KeyboardInterrupt), carried past click as `cli._Interrupted`;
`main` exits 130 (143 for SIGTERM) with every file whole.

Only the CLI prints: it shows an InputError as `error: FILE:LINE: message` plus its hint and
exits 3, and anything else (a VerifierError that escaped, or any other exception) with its
traceback and exit 1. A SourceError is caught where one source is read and becomes a
`model.FetchFailure(reason)`, so one bad link never stops a run.
"""

from __future__ import annotations

from verifier.model import FetchFailure, UnavailableReason


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


class RecordError(InputError):
    """One line of `verifier score` input is malformed; `record_id` is its id when readable."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        record_id: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, line=line, hint=hint)
        self.record_id = record_id


class OutputError(InputError):
    """A folder the tool writes to (reports/, archive/) is not a writable folder."""


class SourceError(VerifierError):
    """One source cannot be read. Becomes `unavailable` with `reason`, never a verdict."""

    reason: UnavailableReason = UnavailableReason.UNREADABLE

    def unavailable(self, url: str | None) -> FetchFailure:
        """The finding's value for the source at `url`: `unavailable` with this reason."""
        return FetchFailure(url, self.reason, str(self))


class InvalidURL(SourceError):
    """Not a URL a fetch can be made of: an unclosed IPv6 bracket, a bad IDNA label, a
    control character, a port out of range..."""

    reason = UnavailableReason.INVALID_URL
