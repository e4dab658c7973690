"""The exception tree: every exception the library defines joins it, and each maps to an
exit code or an `unavailable` reason."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import verifier
from verifier import errors
from verifier.errors import InputError, SourceError, VerifierError
from verifier.model import FetchFailure, UnavailableReason


def _library_exceptions() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(verifier.__path__, "verifier."):
        if module_info.name == "verifier.__main__":
            continue  # runs the CLI when imported
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


LIBRARY_EXCEPTIONS = _library_exceptions()


def test_the_library_defines_the_exceptions_the_tree_names() -> None:
    names = {exception.__name__ for exception in LIBRARY_EXCEPTIONS}
    assert {"ArchiveError", "BlockedDestination", "FieldError", "InvalidValue"} <= names


@pytest.mark.parametrize("exception", LIBRARY_EXCEPTIONS, ids=lambda e: e.__name__)
def test_every_library_exception_joins_the_tree_and_is_drawn_in_its_docstring(
    exception: type[BaseException],
) -> None:
    assert issubclass(exception, VerifierError) or _is_interrupt(exception)
    assert exception.__name__ in (errors.__doc__ or "")


def _is_interrupt(exception: type[BaseException]) -> bool:
    """Ctrl-C and SIGTERM, and the CLI's carrier for them past click: signals, not errors."""
    return issubclass(exception, KeyboardInterrupt) or exception.__qualname__ == "_Interrupted"


@pytest.mark.parametrize(
    "exception",
    [e for e in LIBRARY_EXCEPTIONS if issubclass(e, SourceError)],
    ids=lambda e: e.__name__,
)
def test_a_source_error_becomes_unavailable_with_a_reason(exception: type[SourceError]) -> None:
    assert isinstance(exception.reason, UnavailableReason)
    assert exception.reason is not UnavailableReason.NO_URL


def test_input_errors_exit_3_and_others_exit_1_unless_they_say_so() -> None:
    for exception in LIBRARY_EXCEPTIONS:
        if issubclass(exception, InputError):
            assert exception.exit_code == 3
    assert VerifierError.exit_code == 1
    assert SourceError.exit_code == 1  # escaping the fetcher would be a bug


def test_unavailable_carries_the_reason_and_the_message() -> None:
    failure = errors.InvalidURL("no host").unavailable("http:///")
    assert failure == FetchFailure("http:///", UnavailableReason.INVALID_URL, "no host")


def test_input_error_names_file_and_line() -> None:
    error = errors.LedgerError("urls must be a list", path="claims.yaml", line=14)
    assert (error.path, error.line, str(error)) == (
        "claims.yaml",
        14,
        "claims.yaml:14: urls must be a list",
    )
