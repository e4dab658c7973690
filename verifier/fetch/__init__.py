"""URL -> Capture | FetchFailure: the only package that touches the network.

INTERFACE:

    class Fetcher:                                   (also a context manager; close())
        def __init__(self, settings: FetchSettings, archive: Archive, *,
                     local: LocalAccess | None = None) -> None
        def fetch_all(self, urls: Sequence[str], *, offline: bool = False,
                      refresh: bool = False,
                      progress: Callable[[str, SourceResult], None] | None = None,
                      accessed: Mapping[str, str] | None = None,
                      ) -> dict[str, SourceResult]
            A result for every URL given, in the order given (duplicates fetched once).
            Archived URLs come from the archive (via="archive") with no network unless
            `refresh`. `offline`: never the network; not archived -> NOT_ARCHIVED (or the
            archived failure, e.g. a 404, when one was recorded). file: URLs are read from
            disk (via="local", never archived; missing -> DEAD), only regular files
            within `local` (default: the repository holding archive.root's folder, plus
            settings.allow_paths; else OUTSIDE_REPOSITORY), up to settings.max_bytes.
            http(s) is fetched concurrently through the SSRF guard, each response
            archived with its text.
            Per-URL problems are FetchFailure values, never exceptions.
            A dead, soft-404, blocked or unreachable source falls back to its Wayback
            Machine copy nearest `accessed[url]` (the citation's access date) unless
            settings.wayback is None: Capture(via="wayback", final_url=the snapshot URL),
            archived under the cited URL (a later lookup gives via="archive" with that
            final_url). Without a copy the original failure stays, its detail extended.
        def fetch(self, url, *, offline=False, refresh=False, accessed=None) -> SourceResult
        def each_result(self, urls, *, offline=False, refresh=False, progress=None,
                        accessed=None) -> Iterator[tuple[str, SourceResult]]
            fetch_all's results as each is settled, none held.
        def archive_all(self, urls, *, refresh=False, progress=None, accessed=None,
                        settle=False) -> dict[str, FetchFailure]
            Fetch and archive what is not archived yet (a killed run's unindexed whole
            fetches are indexed first); only the failures come back, no text is held.
            A page that answered is archived unread: its text and wall check (soft 404,
            paywall) are derived when it is first read (derive.py), and remembered in
            archive_dir/derived-text.sqlite. `settle`: derive them after the fetches, so
            the failures include walls (`verifier fetch`). Reading such a page in the
            same pass: fetch_all(urls, offline=True, settle_unread=True) gives the failure
            the fetch would have given (Wayback fallback included).

    read_text(target: str, *, project_dir: Path, settings: Settings | None = None,
              offline: bool = False) -> PageText | FetchFailure
        For `verifier text PATH_OR_URL`: a path (relative to the working directory), file:
        URL or http(s) URL -> main text, read from the project's archive
        (project_dir/settings.archive_dir) first, as the matcher does; when not there and
        not offline, fetched into a scratch archive that is thrown away. Writes nothing.
    read_source(target, archive, settings: FetchSettings, *, offline=False)
            -> PageText | FetchFailure
        The same with an Archive and FetchSettings in hand.

Reasons (model.UnavailableReason) a fetch gives: DEAD (404/410, missing file), BLOCKED
(SSRF guard, non-http scheme), TIMEOUT (settings.timeout is a total deadline per URL:
hops, retries, body and Wayback lookup), TOO_LARGE (settings.max_bytes, raw or decoded),
NOT_TEXT (binary), PAYWALL (401/402, paywall or consent wall), SOFT_404 (a 200 that says
"not found", a deep link sent to the front page), RATE_LIMITED (429 after retries),
NOT_ARCHIVED (offline), OUTSIDE_REPOSITORY (a local path resolving outside the project),
HTTP_ERROR (other statuses, redirect loops), NETWORK_ERROR (DNS, refused, dropped),
UNREADABLE (bad encoding, broken PDF, damaged archive copy).

Safety: every TCP connection goes through transport.GuardedBackend (resolve once, check
every address with guard.AddressPolicy, connect to the checked address), on every redirect
hop; no proxies or cookies, no credentials from URLs. settings.allow_hosts (host names, or
addresses in any spelling) is the only way to loopback/private addresses.

Modules: client (Fetcher), guard (address policy), transport (guarded httpx transport and
deadline), policy (retries and what a status means), content (bounded Content-Encoding),
politeness (per-host slots), walls (soft 404/paywall), wayback (availability API), local
(file: sources), source (`text` command).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.fetch.client import Fetcher, Progress
    from verifier.fetch.guard import AddressPolicy, BlockedDestination
    from verifier.fetch.local import LocalAccess
    from verifier.fetch.source import read_source, read_text

# Each name is imported from its module on first use (PEP 562): a re-check that reads only
# local files (verifier.fetch.local) then never loads httpx and the WARC writer with it.
_HOMES = {
    "AddressPolicy": "guard",
    "BlockedDestination": "guard",
    "Fetcher": "client",
    "LocalAccess": "local",
    "Progress": "client",
    "read_source": "source",
    "read_text": "source",
}

__all__ = [
    "AddressPolicy",
    "BlockedDestination",
    "Fetcher",
    "LocalAccess",
    "Progress",
    "read_source",
    "read_text",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
