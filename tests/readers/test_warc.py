"""WARC archives: HTML responses become articles; everything else in a crawl is passed over."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_paths

DATA = Path(__file__).parent / "data"

UNDATED = ("<html><head><title>Market hall to close</title></head><body><article>"
           "<h1>Market hall to close</h1>"
           "<p>The covered market hall in Dorne will close at the end of the year, the owners said on "
           "Tuesday, after a decade of falling visitor numbers and rising heating costs.</p>"
           "<p>Traders will be offered stalls in the new food court near the station, a spokesperson "
           "said.</p></article></body></html>")


def _record(writer: WARCWriter, uri: str, body: bytes, *, content_type: str, status: str = "200 OK",
            date: str = "2024-03-20T10:00:00Z") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)


def _warc(path: Path, *, gzip: bool) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        _record(writer, "https://courier.example/bridge", (DATA / "harbour-bridge.html").read_bytes(),
                content_type="text/html; charset=utf-8")
        _record(writer, "https://courier.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00",
                content_type="image/png")
        _record(writer, "https://courier.example/market", UNDATED.encode("cp1252"),
                content_type="text/html; charset=windows-1252")
        _record(writer, "https://courier.example/gone", b"<html>gone</html>", content_type="text/html",
                status="404 Not Found")
    return path


def test_warc_gz_html_responses(tmp_path: Path) -> None:
    items = list(read_paths([_warc(tmp_path / "crawl.warc.gz", gzip=True)]))
    articles = [i for i in items if isinstance(i, ArticleInput)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert [a.url for a in articles] == ["https://courier.example/bridge", "https://courier.example/market"]
    bridge, market = articles
    assert bridge.published == "2024-03-14T09:05+01:00"  # the page's own date wins
    assert "eight months of repairs" in bridge.text
    assert market.published == "2024-03-20T10:00:00+00:00"  # no date in the page: WARC-Date
    assert market.metadata["published_source"] == "WARC-Date"
    assert [s.reason for s in skips] == ["http-error"]  # the image is not an article that failed


def test_plain_warc_reads_the_same(tmp_path: Path) -> None:
    items = list(read_paths([_warc(tmp_path / "crawl.warc", gzip=False)]))
    assert sum(isinstance(i, ArticleInput) for i in items) == 2


def test_garbage_warc_is_a_skip(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a warc file\r\n\r\n" * 10)
    items = list(read_paths([path]))
    assert [i.reason for i in items if isinstance(i, Skip)] == ["bad-warc"]
