"""One source for `verifier text`: a path or URL -> its main text, archive first."""

from __future__ import annotations

from pathlib import Path

from verifier.archive import Archive
from verifier.fetch.client import Fetcher
from verifier.fetch.local import LocalAccess, is_local
from verifier.model import Capture, FetchFailure
from verifier.settings import FetchSettings, Settings
from verifier.text import PageText


def read_text(
    target: str,
    *,
    base_dir: Path,
    settings: Settings | None = None,
    offline: bool = False,
) -> PageText | FetchFailure:
    """`read_source` with the archive and paths of a project rooted at `base_dir`.

    A relative path is taken relative to `base_dir`; the archive is
    `base_dir / settings.archive_dir`. The user typed `target`, so a local file is read
    wherever it is (regular files only, up to fetch.max_bytes).
    """
    settings = settings or Settings()
    if "://" not in target and not is_local(target):
        target = str(base_dir / target)
    anywhere = LocalAccess(boundary=None, max_bytes=settings.fetch.max_bytes)
    with Archive(base_dir / settings.archive_dir) as archive:
        return read_source(target, archive, settings.fetch, offline=offline, local=anywhere)


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
        result = fetcher.fetch(url, offline=offline)
    if isinstance(result, Capture):
        return PageText(result.text, result.title)
    return result
