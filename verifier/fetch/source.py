"""One source for `verifier text`: a path or URL -> its main text, archive first."""

from __future__ import annotations

from pathlib import Path

from verifier.archive import Archive
from verifier.fetch.client import Fetcher
from verifier.fetch.local import is_local
from verifier.model import Capture, FetchFailure
from verifier.settings import FetchSettings
from verifier.text import PageText


def read_source(
    target: str,
    archive: Archive,
    settings: FetchSettings,
    *,
    offline: bool = False,
) -> PageText | FetchFailure:
    """The main text of `target` exactly as the matcher gets it.

    `target` is a filesystem path, a file: URL or an http(s) URL. A URL's text comes from
    the archive when it is there (the conversion record, not a fresh extraction); otherwise
    it is fetched and archived, unless `offline`, which gives FetchFailure(NOT_ARCHIVED).
    """
    url = target if "://" in target or is_local(target) else Path(target).resolve().as_uri()
    with Fetcher(settings, archive) as fetcher:
        result = fetcher.fetch(url, offline=offline)
    if isinstance(result, Capture):
        return PageText(result.text, result.title)
    return result
