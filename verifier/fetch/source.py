"""One source for `verifier text`: a path or URL -> its main text, archive first."""

from __future__ import annotations

import tempfile
from pathlib import Path

from verifier.archive import Archive
from verifier.fetch.client import Fetcher
from verifier.fetch.fileurls import is_local
from verifier.fetch.local import LocalAccess
from verifier.model import Capture, FetchFailure, SourceResult
from verifier.settings import FetchSettings, Settings
from verifier.text import PageText


def read_text(
    target: str,
    *,
    project_dir: Path,
    settings: Settings | None = None,
    offline: bool = False,
) -> PageText | FetchFailure:
    """For `verifier text`: a path, file: URL or http(s) URL -> its main text as the matcher
    sees it, with nothing written anywhere (an inspection command never writes).

    A relative path is taken from the working directory, where the user typed it, and read
    wherever it is (regular files only, up to fetch.max_bytes). A URL's text comes from the
    project's archive (`project_dir / settings.archive_dir`, the ledger's folder) when it
    is there; otherwise, unless `offline`, it is fetched into a scratch archive that is
    thrown away, so neither the project's archive nor its local-text cache changes.
    """
    settings = settings or Settings()
    url = target if "://" in target or is_local(target) else Path(target).resolve().as_uri()
    anywhere = LocalAccess(boundary=None, max_bytes=settings.fetch.max_bytes)
    if not is_local(url):
        # Offline, the Fetcher only reads the archive: no record, no index line, no cache.
        with (
            Archive(project_dir / settings.archive_dir) as archive,
            Fetcher(settings.fetch, archive, local=anywhere, keep_derived=False) as reader,
        ):
            archived = reader.fetch(url, offline=True)
        if isinstance(archived, Capture) or offline:
            return _page(archived)
    with (
        tempfile.TemporaryDirectory(prefix="verifier-text-") as scratch,
        Archive(Path(scratch)) as throwaway,
    ):
        return read_source(url, throwaway, settings.fetch, offline=offline, local=anywhere)


def _page(result: SourceResult) -> PageText | FetchFailure:
    return PageText(result.text, result.title) if isinstance(result, Capture) else result


def read_source(
    target: str,
    archive: Archive,
    settings: FetchSettings,
    *,
    offline: bool = False,
    local: LocalAccess | None = None,
) -> PageText | FetchFailure:
    """The main text of `target` exactly as the matcher gets it.

    `target` is a filesystem path, a file: URL or an http(s) URL. A URL's text comes from
    the archive when it is there (the conversion record, not a fresh extraction); otherwise
    it is fetched and archived, unless `offline`, which gives FetchFailure(NOT_ARCHIVED).
    """
    url = target if "://" in target or is_local(target) else Path(target).resolve().as_uri()
    with Fetcher(settings, archive, local=local) as fetcher:
        return _page(fetcher.fetch(url, offline=offline))
