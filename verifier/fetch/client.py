"""The Fetcher: cited URLs -> Capture | FetchFailure, archived, bounded, through the guard."""

from __future__ import annotations

import http.cookiejar
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from queue import SimpleQueue
from urllib.parse import urljoin, urlsplit

import httpx

from verifier.archive import Archive, ArchiveError, HttpExchange, IndexEntry
from verifier.archive.store import archived_failure
from verifier.errors import InvalidURL, SourceError
from verifier.fetch.content import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    CorruptEncoding,
    UnsupportedEncoding,
    decode_content,
)
from verifier.fetch.derive import DERIVED_TEXT_FILE, DerivedTexts, classify
from verifier.fetch.fileurls import is_local
from verifier.fetch.guard import AddressPolicy, BlockedDestination
from verifier.fetch.handoff import Handoff
from verifier.fetch.local import (
    LOCAL_TEXT_FILE,
    LocalAccess,
    LocalReader,
    LocalTextCache,
)
from verifier.fetch.policy import (
    REDIRECT_STATUSES,
    backoff,
    header,
    retry_delay,
    status_failure,
)
from verifier.fetch.politeness import HostGate, HostQueue
from verifier.fetch.transport import GuardedTransport, deadline
from verifier.fetch.urls import request_url
from verifier.fetch.wayback import MAX_ANSWER_BYTES, availability_url, snapshot_from_answer
from verifier.model import Capture, FetchFailure, SourceResult, UnavailableReason
from verifier.settings import FetchSettings
from verifier.text import EXTRACTOR_VERSION, PageText, main_text
from verifier.urls import split_url

Progress = Callable[[str, SourceResult], None]
_ALREADY_ARCHIVED = Capture(
    url="",
    final_url="",
    status_code=200,
    fetched_at="",
    content_type="",
    payload_digest="",
    text="",
    via="archive",
)
"""What `archive_all` reports to `progress` for a URL already archived, which it does not
read back (the text is left empty: only `via` is shown)."""

MAX_REDIRECTS = 10
MAX_REDIRECT_BODY = 64 * 1024
"""A redirect's body is archived but never read past this."""
_WAYBACK_REASONS = frozenset(
    {
        UnavailableReason.DEAD,
        UnavailableReason.SOFT_404,
        UnavailableReason.BLOCKED,
        UnavailableReason.NETWORK_ERROR,
    }
)
"""Failures a Wayback copy can stand in for (a timeout or paywall is not retried there)."""
LARGE_BODY_BYTES = 1_000_000
_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"


class _TooManyRedirects(SourceError):
    reason = UnavailableReason.HTTP_ERROR


@dataclass(frozen=True)
class _Chain:
    """Every hop of one attempt; the last is the final response."""

    exchanges: tuple[HttpExchange, ...]

    @property
    def final(self) -> HttpExchange:
        return self.exchanges[-1]


class Fetcher:
    """Fetches cited URLs concurrently, archives each response, and never raises per URL.

    Archived URLs come from the archive without touching the network (unless `refresh`);
    `offline=True` never touches it at all. file: URLs are read from disk under `local`
    (by default: inside the project the archive belongs to, the folder holding it).
    """

    def __init__(
        self,
        settings: FetchSettings,
        archive: Archive,
        *,
        local: LocalAccess | None = None,
        keep_derived: bool = True,
    ) -> None:
        self.settings = settings
        self.archive = archive
        # Texts derived from archived responses, remembered (unless `keep_derived` is False:
        # a reader that must leave the archive's folder as it found it) so each is derived
        # once (derive.py).
        self.derived = DerivedTexts(archive.root / DERIVED_TEXT_FILE, writable=keep_derived)
        self.handoff = Handoff()
        """Bodies this pass archived unread, for the read that follows (handoff.py)."""
        self.local_texts = LocalTextCache(archive.root / LOCAL_TEXT_FILE)
        self._local = LocalReader(
            local or LocalAccess.for_project(archive.root.parent, settings), self.local_texts
        )
        self.transport = GuardedTransport(
            AddressPolicy(settings.allow_hosts), max_connections=max(4, settings.concurrency * 2)
        )
        no_cookies = http.cookiejar.CookieJar(
            http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
        )
        self._client = httpx.Client(
            transport=self.transport,
            trust_env=False,  # no proxies or .netrc from the environment
            follow_redirects=False,  # each hop is checked and archived here
            cookies=no_cookies,  # cookies never cross from one source to another
            headers={
                "User-Agent": settings.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Accept-Language": "en;q=1.0, *;q=0.5",
            },
        )
        self._hosts = HostGate(settings.per_host, settings.min_interval)
        self._extracting = threading.BoundedSemaphore(2)
        self._extracting_large = threading.Lock()

    # -- public ----------------------------------------------------------------------

    def fetch_all(
        self,
        urls: Sequence[str],
        *,
        offline: bool = False,
        refresh: bool = False,
        progress: Progress | None = None,
        accessed: Mapping[str, str] | None = None,
        settle_unread: bool = False,
    ) -> dict[str, SourceResult]:
        """A result for every URL given (duplicates fetched once), in the order given.

        `accessed` maps a URL to its citation's access date ("2024-11-03", "3 November
        2024"): the Wayback fallback asks for the copy nearest that date. `settle_unread`:
        see `each_result`.
        """
        unique = list(dict.fromkeys(urls))
        results = dict(
            self.each_result(
                unique,
                offline=offline,
                refresh=refresh,
                progress=progress,
                accessed=accessed,
                settle_unread=settle_unread,
            )
        )
        return {url: results[url] for url in unique}

    def archive_all(
        self,
        urls: Sequence[str],
        *,
        refresh: bool = False,
        progress: Progress | None = None,
        accessed: Mapping[str, str] | None = None,
        settle: bool = False,
    ) -> dict[str, FetchFailure]:
        """Fetch and archive every URL not archived yet; only the failures are returned.

        The first half of a pass over many sources: nothing read is held (an already
        archived page is not even read back), so memory does not grow with the sources;
        the pass then reads them back a batch at a time, offline. A failure that was not
        archived (a timeout, a refused connection) exists only in what this returns.
        `refresh` fetches archived URLs again. file: URLs are read (their text cached).

        A page that answered is archived unread (`pending`): its text, and whether it is a
        wall, are derived when the pass reads it (`fetch_all(..., settle_unread=True)`),
        so the fetch threads only wait on the network. `settle`: read the pages fetched
        here once every fetch is done, so the failures returned include walls and
        unreadable pages (for `verifier fetch`, which reads nothing after).
        """
        failures: dict[str, FetchFailure] = {}
        pending: list[str] = []
        self.archive.repair()  # a killed run's whole fetches count as archived
        for url in dict.fromkeys(urls):
            if not refresh and not is_local(url) and self._archived(url):
                if progress is not None:
                    progress(url, _ALREADY_ARCHIVED)
            else:
                pending.append(url)
        results = self.each_result(
            pending, refresh=refresh, progress=progress, accessed=accessed, derive=False
        )
        unread: list[str] = []
        for url, result in results:
            if isinstance(result, FetchFailure):
                failures[url] = result
            elif result.via == "live" and not result.text:
                unread.append(url)
        if settle:
            for url, result in self.each_result(
                unread, offline=True, accessed=accessed, settle_unread=True
            ):
                if isinstance(result, FetchFailure):
                    failures[url] = result
        return failures

    def each_result(
        self,
        urls: Sequence[str],
        *,
        offline: bool = False,
        refresh: bool = False,
        progress: Progress | None = None,
        accessed: Mapping[str, str] | None = None,
        derive: bool = True,
        settle_unread: bool = False,
    ) -> Iterator[tuple[str, SourceResult]]:
        """(url, result) for each of `urls` (distinct), as each is settled: `fetch_all`
        without holding the results.

        `derive=False`: a page that answered is archived unread (see `archive_all`) and
        comes back as a Capture without text. `settle_unread` (with `offline`): the read
        that follows such a fetch in the same pass, so a page archived unread that turns
        out to be a wall or unreadable gives the failure its fetch would have given, after
        trying its Wayback copy as the fetch would have (the only network this reaches).
        """
        dates = accessed or {}
        queue = HostQueue([], {}, open=True)
        done: SimpleQueue[tuple[str, SourceResult] | BaseException] = SimpleQueue()
        pool: ThreadPoolExecutor | None = None
        fetching = 0
        self._local.preload(url for url in urls if is_local(url))
        try:
            for url in urls:
                settled = self._without_network(
                    url,
                    offline=offline,
                    refresh=refresh,
                    settle_unread=settle_unread,
                    accessed=dates.get(url),
                )
                if settled is not None:
                    if progress is not None:
                        progress(url, settled)
                    yield url, settled
                    continue
                if pool is None:
                    # Started on the first URL to fetch, so requests go out while the rest
                    # are checked against the archive.
                    pool = self._start_fetching(len(urls), queue, dates, done, derive)
                self._hosts.add(queue, url, urlsplit(request_url(url)).hostname or "")
                fetching += 1
        except BaseException:
            self._stop_fetching(pool, queue)
            raise
        finally:
            self._hosts.seal(queue)
            self._local.release()
        if pool is None:
            return
        try:
            for _ in range(fetching):
                item = done.get()
                if isinstance(item, BaseException):
                    raise item
                url, result = item
                if progress is not None:
                    progress(url, result)
                yield url, result
        except BaseException:
            self._stop_fetching(pool, queue)
            raise
        pool.shutdown()
        # What this call fetched is on disk and indexed, in a WARC file of its own that now
        # takes its complete name (a partition of a cluster's fetch is one such call).
        self.archive.complete()

    def _start_fetching(
        self,
        most: int,
        queue: HostQueue,
        dates: Mapping[str, str],
        done: SimpleQueue[tuple[str, SourceResult] | BaseException],
        derive: bool,
    ) -> ThreadPoolExecutor:
        """Fetch threads taking URLs from `queue` (up to `most` of them) until it is sealed
        and empty, each result put on `done`."""
        workers = max(1, min(self.settings.concurrency, most))
        # Twice as many threads as requests in flight: a thread gives its network slot back
        # as soon as its host has answered, and a spare thread sends the next request while
        # this one archives the answer (concurrency bounds the requests, not the threads).
        network = threading.BoundedSemaphore(workers)
        threads = min(2 * workers, most)
        pool = ThreadPoolExecutor(threads, thread_name_prefix="fetch")
        for _ in range(threads):
            pool.submit(self._fetch_queued, queue, dates, done, derive, network)
        return pool

    def _stop_fetching(self, pool: ThreadPoolExecutor | None, queue: HostQueue) -> None:
        """Ctrl-C (or the caller stopping early): fetch nothing more, and do not wait for
        the fetches under way (the caller ends the process once no record is half-written)."""
        self._hosts.close(queue)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def fetch(
        self,
        url: str,
        *,
        offline: bool = False,
        refresh: bool = False,
        accessed: str | None = None,
    ) -> SourceResult:
        settled = self._without_network(
            url, offline=offline, refresh=refresh, settle_unread=False, accessed=accessed
        )
        return settled if settled is not None else self.fetch_live(url, accessed)

    def fetch_live(self, url: str, accessed: str | None = None) -> SourceResult:
        """Fetch `url` from the network now and archive the response; a dead or blocked
        source falls back to its Wayback copy (nearest `accessed`) when that is enabled.

        Everything for one URL (hops, retries, the Wayback lookup) shares one deadline of
        settings.timeout, which starts once the URL has a slot on its host.
        """
        try:
            target = request_url(url)
        except InvalidURL as error:
            return error.unavailable(url)
        host = urlsplit(target).hostname or ""
        self._hosts.acquire(host)
        return self._fetch_holding(url, target, host, accessed)

    def _fetch_queued(
        self,
        queue: HostQueue,
        dates: Mapping[str, str],
        done: SimpleQueue[tuple[str, SourceResult] | BaseException],
        derive: bool,
        network: threading.BoundedSemaphore,
    ) -> None:
        """A fetch thread: take a network slot, then the next URL whose host is free, until
        none is left."""
        try:
            while True:
                network.acquire()
                claimed = self._hosts.claim(queue)
                if claimed is None:
                    network.release()
                    return
                url, host = claimed
                target = request_url(url)
                result = self._fetch_holding(url, target, host, dates.get(url), derive, network)
                done.put((url, result))
        except BaseException as error:  # a bug: the caller raises it
            done.put(error)

    def _fetch_holding(
        self,
        url: str,
        target: str,
        host: str,
        accessed: str | None,
        derive: bool = True,
        network: threading.BoundedSemaphore | None = None,
    ) -> SourceResult:
        """`fetch_live` once this thread holds a slot on `host` (and `network`, a slot among
        the requests in flight): both are given back as soon as the host has answered, so
        the next URL can go out while this page is read and archived."""
        with deadline(self.settings.timeout) as until:
            try:
                chain = self._attempt(url, target, until)
            finally:
                self._hosts.release(host)
                if network is not None:
                    network.release()
            if isinstance(chain, FetchFailure):
                result: SourceResult = chain
            else:
                result = self._settle(url, chain, "live", derive=derive)
            if isinstance(result, FetchFailure) and result.reason in _WAYBACK_REASONS:
                if network is None:
                    return self._from_wayback(result, accessed, until)
                with network:  # the Wayback lookup is a request in flight too
                    return self._from_wayback(result, accessed, until)
            return result

    def close(self) -> None:
        self._client.close()
        self.local_texts.close()
        self.derived.close()
        self.handoff.clear()
        self.archive.sync()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _archived(self, url: str) -> bool:
        """Whether `url` has a readable archived copy (one an online read would not refetch):
        a page archived unread counts unless its text, once derived, was found not to be."""
        for entry in self.archive.newest_first(url):
            if entry.readable:
                return True
            if entry.pending and not isinstance(self.derived.get(entry), FetchFailure):
                return True
        return False

    def _without_network(
        self,
        url: str,
        *,
        offline: bool,
        refresh: bool,
        settle_unread: bool,
        accessed: str | None,
    ) -> SourceResult | None:
        if is_local(url):
            return self._local.read(url)
        try:
            scheme = split_url(url.strip()).scheme.lower()
            if scheme in {"http", "https"}:
                request_url(url)
        except InvalidURL as error:
            return error.unavailable(url)
        if scheme not in {"http", "https"}:
            return FetchFailure(url, UnavailableReason.BLOCKED, f"scheme {scheme!r} is not fetched")
        unread: tuple[IndexEntry, FetchFailure] | None = None
        if not refresh or offline:
            try:
                archived = self._read_archived(url)
                if isinstance(archived, Capture):
                    return archived
                unread = archived
            except ArchiveError as error:
                if offline:
                    return FetchFailure(
                        url, UnavailableReason.UNREADABLE, f"archived copy is damaged: {error}"
                    )
                # Online, a damaged copy is simply fetched again.
        if offline:
            if unread is not None:
                entry, failure = unread
                if settle_unread:
                    return self._settled_later(entry, failure, accessed)
                return archived_failure(entry, failure.reason, failure.detail)
            recorded = self.archive.lookup_failure(url)
            if recorded is not None:
                return recorded
            return FetchFailure(
                url, UnavailableReason.NOT_ARCHIVED, "offline and not in the archive"
            )
        return None

    def _from_wayback(
        self, failure: FetchFailure, accessed: str | None, until: float
    ) -> SourceResult:
        """The Wayback copy of a failed source, or `failure` saying why there is none."""
        api = self.settings.wayback
        if not api or failure.url is None:
            return failure
        url = failure.url
        query = availability_url(api, url, accessed)
        answer = self._attempt(query, query, until)
        snapshot = None
        if isinstance(answer, _Chain) and answer.final.status_code == 200:
            final = answer.final
            try:
                body = decode_content(
                    final.body,
                    header(final.response_headers, "content-encoding"),
                    MAX_ANSWER_BYTES,
                )
            except (BodyTooLarge, UnsupportedEncoding, CorruptEncoding):
                body = b""
            snapshot = snapshot_from_answer(body)
        if snapshot is None:
            why = answer.describe() if isinstance(answer, FetchFailure) else "no copy"
            return replace(failure, detail=f"{failure.detail}; Wayback Machine: {why}")
        try:
            target = request_url(snapshot)
        except InvalidURL:
            return replace(failure, detail=f"{failure.detail}; Wayback Machine: bad snapshot URL")
        copy = self._fetch_with_retries(url, target, until, via="wayback")
        if isinstance(copy, FetchFailure):
            return replace(
                failure, detail=f"{failure.detail}; Wayback copy {snapshot}: {copy.describe()}"
            )
        return copy

    def _read_archived(self, url: str) -> Capture | tuple[IndexEntry, FetchFailure] | None:
        """The newest readable archived capture of `url`, its text as today's extractor
        reads it; else the newest page archived unread whose derived text showed it is not
        the source (a wall, an unreadable body), with that failure; else None.

        One path derives the text of both kinds of record that need it: a page archived
        unread (text and walls derived on first read) and a capture an older extractor
        wrote (its text re-derived; its archived text stands if that fails).
        """
        unread: tuple[IndexEntry, FetchFailure] | None = None
        newer_failure = False
        for entry in self.archive.newest_first(url):
            if entry.failure_reason is not None:
                newer_failure = True
                continue
            if entry.pending:
                derived = self._derive(entry, walls=True)
                if isinstance(derived, PageText):
                    return self.archive.capture(entry, derived.text, derived.title)
                if unread is None and not newer_failure:
                    unread = entry, derived
                continue
            text = self.archive.read_text(entry)
            if entry.extractor == EXTRACTOR_VERSION:
                return self.archive.capture(entry, text, entry.title)
            try:
                page = self._derive(entry, walls=False)
            except SourceError:  # a damaged response record
                page = None
            if isinstance(page, PageText):
                return self.archive.capture(entry, page.text, page.title or entry.title)
            return self.archive.capture(entry, text, entry.title)  # still the best reading
        return unread

    def page_of(self, entry: IndexEntry) -> tuple[str, str | None] | None:
        """The text and title of a capture archived unread (derived, and remembered, if
        not yet), or None when it is not a page (a wall, unreadable, a damaged record):
        for the WACZ export's pages.jsonl."""
        try:
            derived = self._derive(entry, walls=True)
        except SourceError:
            return None
        return (derived.text, derived.title) if isinstance(derived, PageText) else None

    def _derive(self, entry: IndexEntry, *, walls: bool) -> PageText | FetchFailure:
        """What `entry`'s archived response reads as today, derived once and remembered.
        Raises ArchiveError when the response record cannot be read."""
        known = self.derived.get(entry)
        if known is not None:
            return known
        kept = self.handoff.take((entry.url, entry.fetched_at, entry.payload_digest))
        headers, raw = kept if kept is not None else self.archive.read_response(entry)
        derived = classify(
            entry.url,
            entry.final_url,
            headers,
            raw,
            self.settings.max_bytes,
            self._extract,
            walls=walls,
        )
        self.derived.put(entry, derived)
        return derived

    def _settled_later(
        self, entry: IndexEntry, failure: FetchFailure, accessed: str | None
    ) -> SourceResult:
        """A page archived unread in this pass that is not the source: the failure its
        fetch would have given, after the Wayback fallback that fetch would have tried."""
        if entry.via != "live" or failure.reason not in _WAYBACK_REASONS:
            return failure
        with deadline(self.settings.timeout) as until:
            return self._from_wayback(failure, accessed, until)

    def _fetch_with_retries(
        self, url: str, target: str, until: float, *, via: str = "live"
    ) -> SourceResult:
        """Fetch `target` for the cited `url`, then classify and archive the answer."""
        chain = self._attempt(url, target, until)
        return chain if isinstance(chain, FetchFailure) else self._settle(url, chain, via)

    def _attempt(self, url: str, target: str, until: float) -> _Chain | FetchFailure:
        """Every hop of `target`, retried on transient faults; nothing archived yet."""
        attempt = 0
        while True:
            try:
                chain = self._follow(target, until)
            except httpx.TimeoutException:
                return FetchFailure(url, UnavailableReason.TIMEOUT, _timeout_detail(self.settings))
            except TimeoutError as error:
                return FetchFailure(url, UnavailableReason.TIMEOUT, str(error))
            except SourceError as error:  # blocked, unresolvable, too large, a redirect loop
                return error.unavailable(url)
            except httpx.ConnectError as error:
                return FetchFailure(
                    url, UnavailableReason.NETWORK_ERROR, f"cannot connect: {error}"
                )
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                # A dropped connection is worth another try.
                if self._may_retry(attempt, backoff(attempt), until):
                    attempt += 1
                    continue
                return FetchFailure(
                    url, UnavailableReason.NETWORK_ERROR, f"connection lost: {error}"
                )
            except httpx.HTTPError as error:
                return FetchFailure(url, UnavailableReason.NETWORK_ERROR, str(error))
            final = chain.final
            delay = retry_delay(final.status_code, final.response_headers, attempt)
            if delay is not None and self._may_retry(attempt, delay, until):
                attempt += 1
                continue
            return chain

    def _may_retry(self, attempt: int, delay: float, until: float) -> bool:
        if attempt >= self.settings.retries or time.monotonic() + delay >= until:
            return False
        time.sleep(delay)
        return True

    def _follow(self, target: str, until: float) -> _Chain:
        exchanges: list[HttpExchange] = []
        hop_url = target
        while True:
            exchange = self._request(hop_url, until)
            exchanges.append(exchange)
            location = header(exchange.response_headers, "location")
            if exchange.status_code not in REDIRECT_STATUSES or not location:
                return _Chain(tuple(exchanges))
            if len(exchanges) > MAX_REDIRECTS:
                raise _TooManyRedirects(f"more than {MAX_REDIRECTS} redirects (a loop?)")
            try:
                hop_url = request_url(urljoin(hop_url, location))
            except (ValueError, InvalidURL) as error:
                raise BlockedDestination(location, f"redirect to {error}") from error

    def _request(self, url: str, until: float) -> HttpExchange:
        host = urlsplit(url).hostname or ""
        with self._hosts.hold(host, give_up_at=until):
            self._hosts.pace(host, give_up_at=until)
            # The transport clamps every socket operation to the deadline; the pool wait
            # happens before any socket exists, so it gets the time left here.
            left = until - time.monotonic()
            if left <= 0:
                raise httpx.PoolTimeout("total deadline for this URL passed")
            return self._exchange(url, httpx.Timeout(left))

    def _exchange(self, url: str, timeout: httpx.Timeout) -> HttpExchange:
        with self._client.stream("GET", url, timeout=timeout) as response:
            fetched_at = datetime.now(UTC).isoformat(timespec="milliseconds")
            limit = (
                MAX_REDIRECT_BODY
                if response.status_code in REDIRECT_STATUSES
                else self.settings.max_bytes
            )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                if response.status_code in REDIRECT_STATUSES:
                    body = b""
                else:
                    raise BodyTooLarge(f"Content-Length {declared} is over {limit} bytes")
            else:
                body = _read_capped(response, limit, truncate=response.is_redirect)
            network_stream = response.extensions.get("network_stream")
            peer = (
                network_stream.get_extra_info("verifier_peer_address") if network_stream else None
            )
            return HttpExchange(
                url=url,
                method="GET",
                request_headers=_decode_headers(response.request.headers.raw),
                status_code=response.status_code,
                reason=response.reason_phrase,
                http_version=response.http_version,
                response_headers=_decode_headers(response.headers.raw),
                body=body,
                fetched_at=fetched_at,
                peer_address=peer,
            )

    def _settle(
        self, url: str, chain: _Chain, via: str, *, derive: bool = True
    ) -> Capture | FetchFailure:
        """Classify the final response, extract its text, archive everything; without
        `derive`, a 200 is archived unread (`pending`) and its text derived when read."""
        final = chain.final
        status = final.status_code
        failure = status_failure(url, final.status_code, final.reason)
        if failure is not None:
            return self.archive.store(url, chain.exchanges, text=None, failure=failure, via=via)
        if not derive:
            stored = self.archive.store(url, chain.exchanges, text=None, via=via, pending=True)
            if isinstance(stored, Capture):
                key = (url, stored.fetched_at, stored.payload_digest)
                self.handoff.put(key, final.response_headers, final.body)
            return stored
        page = classify(
            url,
            final.url,
            final.response_headers,
            final.body,
            self.settings.max_bytes,
            self._extract,
        )
        if isinstance(page, FetchFailure):
            return self.archive.store(url, chain.exchanges, text=None, failure=page, via=via)
        assert status < 300
        return self.archive.store(
            url,
            chain.exchanges,
            text=page.text,
            title=page.title,
            via=via,
            extractor=EXTRACTOR_VERSION,
        )

    def _extract(self, body: bytes, content_type: str | None, url: str) -> PageText:
        """main_text with bounded parallelism: extraction is CPU-bound (no gain from more
        threads under the GIL) and a large page's parse trees take 50x its size in memory,
        so one large page at a time, two pages at most."""
        with self._extracting:
            if len(body) < LARGE_BODY_BYTES:
                return main_text(body, content_type, url)
            with self._extracting_large:
                return main_text(body, content_type, url)


def _read_capped(response: httpx.Response, limit: int, *, truncate: bool) -> bytes:
    """Read the raw (still content-encoded) body; over `limit` raises or truncates."""
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise BodyTooLarge(f"body is over {limit} bytes")
    return bytes(body)


def _decode_headers(raw: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in raw)


def _timeout_detail(settings: FetchSettings) -> str:
    return f"no complete answer within {settings.timeout:g} s"
