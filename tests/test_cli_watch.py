"""`eventwire watch` end to end: a feed on a local HTTP server, the real pipeline, two runs."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.testing import invented_article

pytestmark = [pytest.mark.model, pytest.mark.slow]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_url(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    items = ""
    for i in range(3):
        body = "".join(f"<p>{line}</p>" for line in invented_article(7000 + i).splitlines())
        (site / f"a{i}.html").write_text(f"<html><head><title>Story {i}</title></head><body><article>{body}"
                                         f"</article></body></html>", encoding="utf-8")
        items += f"<item><title>Story {i}</title><link>{base}/a{i}.html</link><guid>s{i}</guid></item>"
    (site / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                                   f"{items}</channel></rss>", encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/feed.xml"
    server.shutdown()
    server.server_close()


def test_watch_once_ingests_the_feed_and_a_rerun_fetches_nothing(tmp_path: Path, feed_url: str) -> None:
    args = ["watch", feed_url, "--once", "--allow-private", "--db", f"sqlite:///{tmp_path / 'w.db'}",
            "--state", str(tmp_path / "w.json")]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "read 3" in first.stderr and "stored 3" in first.stderr
    again = CliRunner().invoke(app, [*args[:2], "--max-polls", "2", "--interval", "1", *args[3:]])
    assert again.exit_code == 0, again.output
    assert again.stderr.count("read 0") == 2  # two polls, a tally each, nothing fetched again


def test_watch_refuses_a_loopback_feed_by_default(tmp_path: Path, feed_url: str) -> None:
    result = CliRunner().invoke(app, ["watch", feed_url, "--once", "--db", f"sqlite:///{tmp_path / 'w.db'}",
                                      "--state", str(tmp_path / "w.json")])
    assert result.exit_code == 1  # every input failed
    assert "private-address" in result.stderr and "--allow-private" in result.stderr
