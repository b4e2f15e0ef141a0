"""Watch sources as they publish: RSS/Atom feeds over HTTP and folders, polled on an interval.

Each poll fetches a feed with a conditional GET (ETag / Last-Modified: an unchanged feed costs one 304),
takes the items it has not seen (by guid, else link), fetches each item's page and ingests what is new
(ingest.py: the store dedupes by content, so even a lost state file never stores an article twice).  A
folder is read again for the files that are new or changed (size, modification time).  What was seen is
kept in a small JSON state file, written after each poll's articles are stored: a restart fetches nothing
it fetched before.

Fetching is polite and guarded: a timeout on every request, a size cap (the ``max_bytes`` setting), an
honest user agent, at most one request per host per ``host_interval`` seconds, and every host resolved and
refused when any of its addresses is not public (loopback, private, link-local, reserved, multicast),
redirects included, unless ``allow_private`` — a hostile feed must not make us fetch internal services.
The connection then goes to an address that check accepted, never to a second resolution of the name
(:class:`_PinnedBackend`): a DNS server answering a public address to the check and 127.0.0.1 a moment
later (DNS rebinding) cannot steer the request.  The Host header and TLS SNI/certificate check still use
the name.  (With HTTP(S)_PROXY set, httpx sends the request through the proxy, which resolves the name
itself: there, what the proxy may reach is the proxy's business.)
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpcore
import httpx

from eventwire import __version__, settings
from eventwire.errors import InputError
from eventwire.ingest import IngestHooks, Tally, ingest_items
from eventwire.model import ArticleInput, Skip
from eventwire.readers import input_files, read_bytes, read_paths
from eventwire.readers.decode import decode_bytes
from eventwire.readers.feed import feed_date
from eventwire.readers.html import article_from_html
from eventwire.runners.base import Runner
from eventwire.store import Store

__all__ = ["FetchRefused", "Fetcher", "WatchOptions", "Watcher", "public_address_problem"]

log = logging.getLogger(__name__)

USER_AGENT = f"eventwire/{__version__} (news event extraction; polite feed watcher)"
_REDIRECTS = 5
_SEEN_PER_FEED = 5000  # ~50 days of a feed publishing 100 items a day; older guids fall out


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """How to poll and fetch (the CLI's options)."""

    interval_s: float = 300.0  # 5 minutes: news feeds update every few minutes at most
    timeout_s: float = 20.0  # per connect / read: httpx restarts it with every chunk received
    deadline_s: float = 60.0  # per response, whole: a server dripping a byte a second is cut off
    host_interval_s: float = 1.0  # per host: crawlers' customary politeness floor
    max_bytes: int = 0  # 0 = the max_bytes setting
    allow_private: bool = False
    user_agent: str = USER_AGENT


class FetchRefused(Exception):
    """A URL we will not fetch, with a skip reason ("private-address", "bad-url", ...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def public_address_problem(address: str) -> str | None:
    """Why ``address`` (an IP) is not a public internet address, or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"{address} is a loopback address"
    if ip.is_multicast or not ip.is_global:
        return f"{address} is a private, link-local or reserved address"
    return None


class _PinnedBackend(httpcore.SyncBackend):
    """httpcore's network backend connecting to the addresses :meth:`Fetcher.check` resolved and accepted for
    a host (``pins``), tried in order, instead of resolving the name again.  A host with no pin is refused:
    every request passes check first, so none should reach here unchecked."""

    def __init__(self, pins: dict[tuple[str, int], list[str]]) -> None:
        self.pins = pins

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self.pins.get((host.lower(), port))
        if not addresses:
            raise FetchRefused("private-address", f"{host}: connecting to an address that was not checked")
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:  # the next accepted address
                error = e
        assert error is not None
        raise error


def _pinned_transport(pins: dict[tuple[str, int], list[str]]) -> httpx.HTTPTransport:
    """httpx's own transport over a connection pool whose sockets go to pinned addresses only."""
    transport = httpx.HTTPTransport()
    # HTTPTransport has no argument for httpcore's network backend; its pool is rebuilt with the defaults
    # HTTPTransport gives it (httpx 0.28-0.29: limits 100/20, keep-alive 5 s) plus ours.
    limits = httpx.Limits()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=_PinnedBackend(pins))
    return transport


@dataclass
class _Response:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class Fetcher:
    """HTTP GET with the guards above; ``transport`` and ``resolve`` are seams for tests (httpx's
    MockTransport, a fake resolver).  Without ``transport`` (and unless ``allow_private``), connections go
    only to the addresses the check accepted."""

    def __init__(self, options: WatchOptions, *, transport: httpx.BaseTransport | None = None,
                 resolve: Callable[[str, int], list[str]] = _resolve,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options
        self.max_bytes = options.max_bytes or int(settings.get("max_bytes"))
        self.resolve, self.clock, self.sleep = resolve, clock, sleep
        # (host as httpx connects to it: IDNA-encoded, lower case; port) -> the addresses check accepted
        self._pins: dict[tuple[str, int], list[str]] = {}
        if transport is None and not options.allow_private:
            transport = _pinned_transport(self._pins)
        self.client = httpx.Client(transport=transport, timeout=options.timeout_s, follow_redirects=False,
                                   headers={"User-Agent": options.user_agent})
        self._last: dict[str, float] = {}

    def close(self) -> None:
        self.client.close()

    def check(self, url: str) -> None:
        """Raise FetchRefused unless ``url`` is http(s) to a host whose every address is public; pin the
        host to those addresses for the connection."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            # the name exactly as httpx will connect to it (IDNA 2008, ASCII), resolved once, here
            host = httpx.URL(url).raw_host.decode("ascii").lower() if parts.hostname else ""
        except (ValueError, httpx.InvalidURL, UnicodeError) as e:
            raise FetchRefused("bad-url", f"{url[:200]!r}: {e}") from e
        if parts.scheme not in ("http", "https") or not host:
            raise FetchRefused("bad-url", f"{url[:200]!r} is not an http(s) URL")
        if self.options.allow_private:
            return
        try:
            addresses = self.resolve(host, port)
        except (OSError, UnicodeError) as e:
            raise FetchRefused("fetch-failed", f"cannot resolve {host}: {e}") from e
        for address in addresses or ["0.0.0.0"]:
            if problem := public_address_problem(address):
                raise FetchRefused("private-address", f"{host}: {problem} (--allow-private fetches it)")
        self._pins[(host, port)] = addresses

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None and (wait := last + self.options.host_interval_s - self.clock()) > 0:
            self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str, headers: dict[str, str] | None = None) -> _Response:
        """GET ``url`` following up to 5 redirects, each checked; the body capped at ``max_bytes``."""
        for _ in range(_REDIRECTS + 1):
            self.check(url)
            self._wait_turn(urlsplit(url).hostname or "")
            try:
                with self.client.stream("GET", url, headers=headers) as r:
                    if r.is_redirect and "location" in r.headers:
                        url = urljoin(url, r.headers["location"])
                        continue
                    body = bytearray()
                    deadline = self.clock() + self.options.deadline_s
                    for chunk in r.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchRefused("too-large", f"{url[:200]}: over max_bytes {self.max_bytes}")
                        if self.clock() > deadline:
                            raise FetchRefused("fetch-failed", f"{url[:200]}: still sending after "
                                                               f"{self.options.deadline_s:.0f} s")
                    return _Response(str(r.url), r.status_code, r.headers, bytes(body))
            except httpx.HTTPError as e:
                raise FetchRefused("fetch-failed", f"{url[:200]}: {type(e).__name__}: {e}"[:300]) from e
        raise FetchRefused("fetch-failed", f"{url[:200]}: more than {_REDIRECTS} redirects")


@dataclass
class _FeedState:
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)


@dataclass
class _State:
    feeds: dict[str, _FeedState] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # path -> "size:mtime_ns" when last ingested

    @classmethod
    def load(cls, path: Path) -> _State:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as e:
            log.warning("watch state %s unreadable (%s): starting afresh", path, e)
            return cls()
        feeds = {url: _FeedState(f.get("etag"), f.get("last_modified"), list(f.get("seen", [])))
                 for url, f in raw.get("feeds", {}).items()}
        return cls(feeds, dict(raw.get("files", {})))

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file renamed over it): a kill never leaves half a state file."""
        feeds = {u: {"etag": f.etag, "last_modified": f.last_modified, "seen": f.seen[-_SEEN_PER_FEED:]}
                 for u, f in self.feeds.items()}
        data = {"feeds": feeds, "files": self.files}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


class Watcher:
    """Polls ``sources`` (feed URLs, folders or files) and ingests what is new into ``store``."""

    def __init__(self, sources: Sequence[str], store: Store, *, state_path: Path,
                 options: WatchOptions | None = None, runner: Runner | None = None,
                 hooks: IngestHooks | None = None, fetcher: Fetcher | None = None) -> None:
        self.sources = list(sources)
        self.store, self.runner, self.hooks = store, runner, hooks or IngestHooks()
        self.options = options or WatchOptions()
        self.fetcher = fetcher or Fetcher(self.options)
        self.state_path = state_path
        self.state = _State.load(state_path)
        self.tally = Tally()

    def poll(self) -> Tally:
        """One pass over every source; returns this poll's tally (``self.tally`` sums them)."""
        tally = Tally()
        marks: list[Callable[[], None]] = []
        items = (item for source in self.sources for item in self._source_items(source, marks))
        ingest_items(items, self.store, runner=self.runner, hooks=self.hooks, tally=tally)
        for mark in marks:  # only now that the articles are stored
            mark()
        self.state.save(self.state_path)
        for name in ("read", "stored", "stored_not_analysed", "new_versions", "updated", "unchanged"):
            setattr(self.tally, name, getattr(self.tally, name) + getattr(tally, name))
        self.tally.skipped.update(tally.skipped)
        return tally

    def run(self, *, max_polls: int | None = None, sleep: Callable[[float], None] = time.sleep,
            after_poll: Callable[[Tally], None] | None = None) -> Tally:
        """Poll until ``max_polls`` (None: until interrupted), ``interval_s`` apart."""
        n = 0
        while True:
            started = time.monotonic()
            tally = self.poll()
            if after_poll is not None:
                after_poll(tally)
            n += 1
            if max_polls is not None and n >= max_polls:
                return self.tally
            sleep(max(0.0, self.options.interval_s - (time.monotonic() - started)))

    def close(self) -> None:
        self.fetcher.close()

    # -- sources --

    def _source_items(self, source: str, marks: list[Callable[[], None]]) -> Iterator[ArticleInput | Skip]:
        if _is_url(source):
            yield from self._feed_items(source, marks)
        else:
            yield from self._folder_items(source, marks)

    def _folder_items(self, source: str, marks: list[Callable[[], None]]) -> Iterator[ArticleInput | Skip]:
        for path in input_files([source]):
            if isinstance(path, Skip):
                yield path
                continue
            key = str(path)
            try:
                stamp = _stamp(path)
            except OSError:
                continue  # gone since listed
            if self.state.files.get(key) == stamp:
                continue
            yield from read_paths([path])
            marks.append(partial(self.state.files.__setitem__, key, stamp))

    def _feed_items(self, url: str, marks: list[Callable[[], None]]) -> Iterator[ArticleInput | Skip]:
        feed = self.state.feeds.setdefault(url, _FeedState())
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            r = self.fetcher.get(url, headers)
        except FetchRefused as e:
            yield Skip(url, e.reason, e.detail)
            return
        if r.status == 304:
            return
        if r.status != 200:
            yield Skip(url, "http-error", f"HTTP {r.status} for {url}")
            return
        seen = set(feed.seen)
        new_seen: list[str] = []
        # The feed reader gives each item's metadata (and its text, for an item without a link); feedparser's
        # entries give links and guids, also of items with no text of their own (the page has it).
        by_position: dict[int, ArticleInput | Skip] = {}
        for item in read_bytes(r.body, name="feed.xml"):
            if not item.source.startswith("feed.xml#"):
                yield replace(item, source=url)  # the feed as a whole: not a feed, empty ...
                return
            by_position[int(item.source.rsplit("#", 1)[1])] = item
        parsed = feedparser.parse(io.BytesIO(r.body), sanitize_html=True, resolve_relative_uris=False)
        for n, entry in enumerate(parsed.entries, start=1):
            source = f"{url}#{n}"
            link = str(entry.get("link") or "") or None
            known = by_position.get(n)
            text = known.text[:200] if isinstance(known, ArticleInput) else ""
            ident = str(entry.get("id") or link or text)
            if not ident or ident in seen:
                continue
            seen.add(ident)
            if link is None:
                page: ArticleInput | Skip = (replace(known, source=source) if known
                                             else Skip(source, "no-text"))
            else:
                page = self._page(link, source, known if isinstance(known, ArticleInput) else None, entry)
            if not (isinstance(page, Skip) and page.reason == "fetch-failed"):
                new_seen.append(ident)  # a transient failure is tried again next poll
            yield page

        etag, modified = r.headers.get("etag"), r.headers.get("last-modified")

        def mark() -> None:
            feed.etag, feed.last_modified = etag, modified
            feed.seen.extend(new_seen)

        marks.append(mark)

    def _page(self, link: str, source: str, known: ArticleInput | None, entry: Any) -> ArticleInput | Skip:
        """The item's article from its page, the feed's metadata kept where the page has none."""
        try:
            r = self.fetcher.get(link)
        except FetchRefused as e:
            return Skip(source, e.reason, e.detail)
        if r.status >= 400:
            return Skip(source, "http-error", f"HTTP {r.status} for {link}")
        try:
            markup, encoding = decode_bytes(r.body, declared=_charset(r.headers.get("content-type", "")))
        except InputError as e:
            return Skip(source, e.reason, e.detail)
        title = known.title if known else (str(entry.get("title") or "").strip() or None)
        published = known.published if known else feed_date(entry.get("published"),
                                                             entry.get("published_parsed"))
        extra = {**(known.metadata if known else {}), "encoding": encoding, "format": "watch"}
        page = article_from_html(markup, source=source, url=link, title=title, published=published,
                                 extra=extra)
        if isinstance(page, Skip) or known is None:
            return page
        return replace(page, site=page.site or known.site, authors=page.authors or known.authors)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


@contextlib.contextmanager
def watching(sources: Sequence[str], store: Store, **kwargs: Any) -> Iterator[Watcher]:
    """A Watcher closed on exit."""
    watcher = Watcher(sources, store, **kwargs)
    try:
        yield watcher
    finally:
        watcher.close()
