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

from verifier.archive import Archive, ArchiveError, HttpExchange
from verifier.errors import InvalidURL, SourceError
from verifier.fetch.content import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    CorruptEncoding,
    UnsupportedEncoding,
    decode_content,
)
from verifier.fetch.guard import AddressPolicy, BlockedDestination
from verifier.fetch.local import (
    LOCAL_TEXT_FILE,
    LocalAccess,
    LocalReader,
    LocalTextCache,
    is_local,
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
from verifier.fetch.walls import wall
from verifier.fetch.wayback import MAX_ANSWER_BYTES, availability_url, snapshot_from_answer
from verifier.model import Capture, FetchFailure, SourceResult, UnavailableReason
from verifier.settings import FetchSettings
from verifier.text import EXTRACTOR_VERSION, PageText, UnreadableContent, main_text
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
        self, settings: FetchSettings, archive: Archive, *, local: LocalAccess | None = None
    ) -> None:
        self.settings = settings
        self.archive = archive
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
    ) -> dict[str, SourceResult]:
        """A result for every URL given (duplicates fetched once), in the order given.

        `accessed` maps a URL to its citation's access date ("2024-11-03", "3 November
        2024"): the Wayback fallback asks for the copy nearest that date.
        """
        unique = list(dict.fromkeys(urls))
        results = dict(
            self.each_result(
                unique, offline=offline, refresh=refresh, progress=progress, accessed=accessed
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
    ) -> dict[str, FetchFailure]:
        """Fetch and archive every URL not archived yet; only the failures are returned.

        The first half of a pass over many sources: nothing read is held (an already
        archived page is not even read back), so memory does not grow with the sources;
        the pass then reads them back a batch at a time, offline. A failure that was not
        archived (a timeout, a refused connection) exists only in what this returns.
        `refresh` fetches archived URLs again. file: URLs are read (their text cached).
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
        results = self.each_result(pending, refresh=refresh, progress=progress, accessed=accessed)
        for url, result in results:
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
    ) -> Iterator[tuple[str, SourceResult]]:
        """(url, result) for each of `urls` (distinct), as each is settled: `fetch_all`
        without holding the results."""
        to_fetch: list[str] = []
        self._local.preload(url for url in urls if is_local(url))
        try:
            for url in urls:
                settled = self._without_network(url, offline=offline, refresh=refresh)
                if settled is None:
                    to_fetch.append(url)
                else:
                    if progress is not None:
                        progress(url, settled)
                    yield url, settled
        finally:
            self._local.release()
        if not to_fetch:
            return
        workers = max(1, min(self.settings.concurrency, len(to_fetch)))
        dates = accessed or {}
        hosts = {url: urlsplit(request_url(url)).hostname or "" for url in to_fetch}
        queue = HostQueue(to_fetch, hosts)
        done: SimpleQueue[tuple[str, SourceResult] | BaseException] = SimpleQueue()
        pool = ThreadPoolExecutor(workers, thread_name_prefix="fetch")
        try:
            for _ in range(workers):
                pool.submit(self._fetch_queued, queue, dates, done)
            for _ in to_fetch:
                item = done.get()
                if isinstance(item, BaseException):
                    raise item
                url, result = item
                if progress is not None:
                    progress(url, result)
                yield url, result
        except BaseException:
            # Ctrl-C (or the caller stopping early): fetch nothing more, and do not wait for
            # the fetches under way (the caller ends the process once no record is
            # half-written).
            self._hosts.close(queue)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        # What this call fetched is on disk and indexed, in a WARC file of its own that now
        # takes its complete name (a partition of a cluster's fetch is one such call).
        self.archive.complete()

    def fetch(
        self,
        url: str,
        *,
        offline: bool = False,
        refresh: bool = False,
        accessed: str | None = None,
    ) -> SourceResult:
        settled = self._without_network(url, offline=offline, refresh=refresh)
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
    ) -> None:
        """A fetch thread: take the next URL whose host is free, until none is left."""
        try:
            while (claimed := self._hosts.claim(queue)) is not None:
                url, host = claimed
                done.put((url, self._fetch_holding(url, request_url(url), host, dates.get(url))))
        except BaseException as error:  # a bug: the caller raises it
            done.put(error)

    def _fetch_holding(
        self, url: str, target: str, host: str, accessed: str | None
    ) -> SourceResult:
        """`fetch_live` once this thread holds a slot on `host`: the slot is given back as
        soon as the host has answered, so the next URL can go out while this page is read
        and archived."""
        with deadline(self.settings.timeout) as until:
            try:
                chain = self._attempt(url, target, until)
            finally:
                self._hosts.release(host)
            result = chain if isinstance(chain, FetchFailure) else self._settle(url, chain, "live")
            if isinstance(result, FetchFailure) and result.reason in _WAYBACK_REASONS:
                return self._from_wayback(result, accessed, until)
            return result

    def close(self) -> None:
        self._client.close()
        self.local_texts.close()
        self.archive.sync()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _archived(self, url: str) -> bool:
        """Whether `url` has a readable archived copy (one an online read would not refetch)."""
        return self.archive.newest_entry(url) is not None

    def _without_network(self, url: str, *, offline: bool, refresh: bool) -> SourceResult | None:
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
        if not refresh or offline:
            try:
                archived = self.archive.lookup(url)
                if archived is not None:
                    return self._current_text(archived)
            except ArchiveError as error:
                if offline:
                    return FetchFailure(
                        url, UnavailableReason.UNREADABLE, f"archived copy is damaged: {error}"
                    )
                # Online, a damaged copy is simply fetched again.
        if offline:
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

    def _current_text(self, archived: Capture) -> Capture:
        """`archived`, its text re-derived from the archived response when an older
        extractor wrote it, so the matcher always reads what today's extractor reads."""
        entry = self.archive.newest_entry(archived.url)
        if entry is None or entry.extractor == EXTRACTOR_VERSION:
            return archived
        try:
            headers, raw = self.archive.read_response(entry)
            body = decode_content(raw, header(headers, "content-encoding"), self.settings.max_bytes)
            page = self._extract(body, header(headers, "content-type"), entry.final_url)
        except SourceError:  # damaged record, bad encoding, unreadable body
            return archived  # the text archived with it is still the best reading
        return replace(archived, text=page.text, title=page.title or archived.title)

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

    def _settle(self, url: str, chain: _Chain, via: str) -> Capture | FetchFailure:
        """Classify the final response, extract its text, archive everything."""
        final = chain.final
        status = final.status_code
        failure = status_failure(url, final.status_code, final.reason)
        if failure is not None:
            return self.archive.store(url, chain.exchanges, text=None, failure=failure, via=via)
        content_type = header(final.response_headers, "content-type")
        try:
            body = decode_content(
                final.body,
                header(final.response_headers, "content-encoding"),
                self.settings.max_bytes,
            )
            page = self._extract(body, content_type, final.url)
        except BodyTooLarge as error:
            failure = FetchFailure(url, UnavailableReason.TOO_LARGE, str(error))
        except (UnsupportedEncoding, CorruptEncoding) as error:
            failure = FetchFailure(
                url, UnavailableReason.UNREADABLE, f"cannot decode body: {error}"
            )
        except UnreadableContent as error:
            failure = FetchFailure(url, error.reason, error.detail)
        if failure is None:
            markup = body.decode("utf-8", "replace") if b"isAccessibleForFree" in body else None
            failure = wall(url, final.url, page.text, page.title, markup)
        if failure is not None:
            return self.archive.store(url, chain.exchanges, text=None, failure=failure, via=via)
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
