from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from eventwire import watch
from eventwire.runners.local import LocalRunner
from eventwire.store import open_store
from eventwire.testing import EchoStep, invented_article
from eventwire.watch import Fetcher, FetchRefused, Watcher, WatchOptions, public_address_problem


def _rss(base: str, items: list[int]) -> bytes:
    when = format_datetime(datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    entries = "".join(
        f"<item><title>Talks {i}</title><link>{base}/a{i}.html</link><guid>item-{i}</guid>"
        f"<pubDate>{when}</pubDate><description>Summary {i}.</description></item>" for i in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title>'
            f"<link>{base}/</link>{entries}</channel></rss>").encode()


def _page(i: int) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in invented_article(4000 + i).splitlines())
    return (f"<html><head><title>Talks {i}</title></head><body><article>{paragraphs}</article></body>"
            "</html>").encode()


class Site:
    """A tiny news site on 127.0.0.1: a feed with ETags (304 on If-None-Match) and article pages."""

    def __init__(self) -> None:
        self.items = [1, 2]
        self.requests: list[str] = []
        self.hosts: list[str | None] = []  # each request's Host header
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                site.hosts.append(self.headers.get("Host"))
                if self.path == "/feed.xml":
                    etag = f'"v{len(site.items)}"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    body, kind = _rss(site.base, site.items), "application/rss+xml"
                    self.send_response(200)
                    self.send_header("ETag", etag)
                elif self.path.startswith("/a") and self.path.endswith(".html"):
                    body, kind = _page(int(self.path[2:-5])), "text/html; charset=utf-8"
                    self.send_response(200)
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


_ALLOW = WatchOptions(allow_private=True, host_interval_s=0)


def _watcher(sources: list[str], store: object, state: Path, options: WatchOptions = _ALLOW,
             fetcher: Fetcher | None = None) -> Watcher:
    return Watcher(sources, store, state_path=state, options=options,  # type: ignore[arg-type]
                   runner=LocalRunner(step_factory=EchoStep), fetcher=fetcher)


def test_new_items_are_ingested_and_a_restart_fetches_nothing_twice(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "watch.json"
    feed = f"{site.base}/feed.xml"
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        first = _watcher([feed], store, state)
        tally = first.poll()
        first.close()
        assert (tally.read, tally.stored) == (2, 2)
        assert site.requests == ["/feed.xml", "/a1.html", "/a2.html"]
        assert store.counts()["articles"] == 2

        restarted = _watcher([feed], store, state)  # a new process: only the state file carries over
        tally = restarted.poll()
        assert (tally.read, tally.stored) == (0, 0)
        assert site.requests[3:] == ["/feed.xml"]  # answered 304 Not Modified; no page fetched again

        site.items.append(3)
        tally = restarted.poll()
        restarted.close()
        assert (tally.read, tally.stored) == (1, 1)
        assert site.requests[4:] == ["/feed.xml", "/a3.html"]
        article = store.get(store.list_articles(limit=1)[0].id)
        assert article is not None and article.source == f"{feed}#3"  # EchoStep keeps source and date
        assert article.published == "2026-03-02T09:05+00:00"  # the feed's, where the page has none


def test_a_loopback_feed_is_refused_without_allow_private(site: Site, tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        watcher = _watcher([f"{site.base}/feed.xml"], store, tmp_path / "w.json",
                           options=WatchOptions(host_interval_s=0))
        tally = watcher.poll()
        watcher.close()
    assert dict(tally.skipped) == {"private-address": 1}
    assert site.requests == []  # refused before connecting


def _mock_site(requests: list[str]) -> httpx.MockTransport:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
            b"<item><title>Ok</title><link>http://news.example/a1.html</link><guid>1</guid></item>"
            b"<item><title>Lan</title><link>http://10.1.2.3/admin</link><guid>2</guid></item>"
            b"<item><title>Dns</title><link>http://intranet.example/x</link><guid>3</guid></item>"
            b"<item><title>Hop</title><link>http://news.example/redirect</link><guid>4</guid></item>"
            b"</channel></rss>")

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        path = request.url.path
        if path == "/feed.xml":
            return httpx.Response(200, content=feed)
        if path == "/redirect":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/metadata"})
        return httpx.Response(200, content=_page(1), headers={"Content-Type": "text/html"})

    return httpx.MockTransport(handle)


def _resolve(host: str, port: int) -> list[str]:
    return {"news.example": ["93.184.216.34"], "intranet.example": ["93.184.216.35", "192.168.0.7"],
            "127.0.0.1": ["127.0.0.1"], "10.1.2.3": ["10.1.2.3"]}[host]


def test_items_pointing_at_private_addresses_are_refused(tmp_path: Path) -> None:
    requests: list[str] = []
    options = WatchOptions(host_interval_s=0)
    fetcher = Fetcher(options, transport=_mock_site(requests), resolve=_resolve)
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        watcher = _watcher(["http://news.example/feed.xml"], store, tmp_path / "w.json", options, fetcher)
        tally = watcher.poll()
        watcher.close()
    assert tally.stored == 1
    # a private literal, a name with one private address among public ones, a redirect to loopback
    assert dict(tally.skipped) == {"private-address": 3}
    assert requests == ["http://news.example/feed.xml", "http://news.example/a1.html",
                        "http://news.example/redirect"]


def test_allow_private_fetches_them(tmp_path: Path) -> None:
    requests: list[str] = []
    options = WatchOptions(host_interval_s=0, allow_private=True)
    fetcher = Fetcher(options, transport=_mock_site(requests), resolve=_resolve)
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        watcher = _watcher(["http://news.example/feed.xml"], store, tmp_path / "w.json", options, fetcher)
        tally = watcher.poll()
        watcher.close()
    assert "http://10.1.2.3/admin" in requests and "http://127.0.0.1:8080/metadata" in requests
    assert not tally.skipped.get("private-address")


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("127.0.0.1", False), ("10.0.0.1", False), ("169.254.169.254", False),
    ("::1", False), ("::ffff:127.0.0.1", False), ("fd00::1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("100.64.0.1", False), ("2606:4700::1111", True)])
def test_public_address_problem(address: str, public: bool) -> None:
    assert (public_address_problem(address) is None) == public


def test_one_request_per_host_per_interval_and_a_size_cap() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=b"x" * 5000))
    fetcher = Fetcher(WatchOptions(host_interval_s=2.0, max_bytes=10_000), transport=transport,
                      resolve=lambda h, p: ["93.184.216.34"], clock=lambda: now[0], sleep=sleep)
    fetcher.get("http://a.example/1")
    fetcher.get("http://b.example/1")  # another host: no wait
    now[0] += 0.5
    fetcher.get("http://a.example/2")
    assert slept == [1.5]
    assert fetcher.client.headers["User-Agent"].startswith("eventwire/")
    big = Fetcher(WatchOptions(host_interval_s=0, max_bytes=4000), transport=transport,
                  resolve=lambda h, p: ["93.184.216.34"])
    with pytest.raises(FetchRefused) as e:
        big.get("http://a.example/big")
    assert e.value.reason == "too-large"


def test_a_folder_is_read_again_only_for_new_or_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text(invented_article(1), encoding="utf-8")
    state = tmp_path / "w.json"
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        assert _watcher([str(folder)], store, state).poll().stored == 1
        (folder / "b.txt").write_text(invented_article(2), encoding="utf-8")
        tally = _watcher([str(folder)], store, state).poll()  # restarted
        assert (tally.read, tally.stored) == (1, 1)
        (folder / "a.txt").write_text(invented_article(3), encoding="utf-8")
        tally = _watcher([str(folder)], store, state).poll()
        assert (tally.read, tally.new_versions) == (1, 1)


def test_a_response_that_drips_is_cut_off_at_the_deadline() -> None:
    now = [0.0]

    class Drip(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for _ in range(100):
                now[0] += 1.0  # a byte a second
                yield b"x"

    transport = httpx.MockTransport(lambda r: httpx.Response(200, stream=Drip()))
    fetcher = Fetcher(WatchOptions(host_interval_s=0, deadline_s=10), transport=transport,
                      resolve=lambda h, p: ["93.184.216.34"], clock=lambda: now[0])
    with pytest.raises(FetchRefused) as e:
        fetcher.get("http://slow.example/feed")
    assert e.value.reason == "fetch-failed" and now[0] < 20


class Rebinding:
    """A DNS server that answers ``first`` for ``name`` once, then ``then`` (DNS rebinding), as
    ``socket.getaddrinfo``; every other name goes to the real resolver.  ``connects``: the addresses
    ``socket.create_connection`` was asked for; an IP that is not loopback is refused at once (no network
    here), a name is connected as usual (resolving it through this server again)."""

    def __init__(self, name: str, first: str, then: str) -> None:
        self.name, self.answers, self.then = name, [first], then
        self.asked = 0
        self.connects: list[str] = []
        self._getaddrinfo, self._connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(self, host: object, port: object, *args: object, **kw: object) -> list[object]:
        if host != self.name:
            return self._getaddrinfo(host, port, *args, **kw)  # type: ignore[arg-type]
        self.asked += 1
        address = self.answers.pop() if self.answers else self.then
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]  # type: ignore[call-overload]

    def create_connection(self, address: tuple[str, int], *args: object, **kw: object) -> socket.socket:
        self.connects.append(address[0])
        host = address[0]
        if host != self.name and not host.startswith("127."):
            raise ConnectionRefusedError(f"no route to {host} in the test")
        return self._connect(address, *args, **kw)  # type: ignore[arg-type]


def test_dns_rebinding_cannot_steer_a_request_to_loopback(site: Site,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    port = site.server.server_address[1]
    dns = Rebinding("rebind.example", first="93.184.216.34", then="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", dns.create_connection)
    fetcher = Fetcher(WatchOptions(host_interval_s=0, timeout_s=5))
    with pytest.raises(FetchRefused) as e:
        fetcher.get(f"http://rebind.example:{port}/feed.xml")
    fetcher.close()
    assert e.value.reason == "fetch-failed"
    # the connection went to the address the check accepted, and the name was resolved once
    assert dns.connects == ["93.184.216.34"] and dns.asked == 1
    assert site.requests == []  # the second answer (127.0.0.1) was never used


def test_a_pinned_connection_keeps_the_name_in_the_host_header(site: Site,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # 127.0.0.1 counts as public here so the pinned connection can reach the test site; 10.x does not
    monkeypatch.setattr(watch, "public_address_problem",
                        lambda a: None if a == "127.0.0.1" else f"{a} is private")
    port = site.server.server_address[1]
    dns = Rebinding("rebind.example", first="127.0.0.1", then="10.9.9.9")
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", dns.create_connection)
    fetcher = Fetcher(WatchOptions(host_interval_s=0, timeout_s=5))
    first = fetcher.get(f"http://rebind.example:{port}/feed.xml")
    assert first.status == 200 and site.hosts == [f"rebind.example:{port}"]
    # the next request resolves again (10.9.9.9 now): refused before connecting
    with pytest.raises(FetchRefused) as e:
        fetcher.get(f"http://rebind.example:{port}/a1.html")
    fetcher.close()
    assert e.value.reason == "private-address"
    assert dns.connects == ["127.0.0.1"] and len(site.requests) == 1
