"""WARC archives: HTML responses become articles; everything else in a crawl is passed over."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
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


def _pages(path: Path, uris: list[str], *, gzip: bool = True) -> list[int]:
    """A WARC of one HTML response per URI (distinct pages); the offset where each record ends."""
    ends = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for n, uri in enumerate(uris):
            _record(writer, uri, UNDATED.replace("Dorne", f"Dorne-{n}").encode(),
                    content_type="text/html; charset=utf-8")
            ends.append(fh.tell())
    return ends


def test_a_record_with_a_bad_uri_is_one_skip_and_later_records_are_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _pages(path, ["https://courier.example/1", "http://[oops/x", "https://courier.example/3"])
    items = list(read_paths([path]))
    assert [getattr(i, "url", None) or i.reason for i in items] == [  # type: ignore[union-attr]
        "https://courier.example/1", "bad-url", "https://courier.example/3"]
    assert items[1].source.endswith("crawl.warc.gz#2")


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_truncated_warc_keeps_its_complete_records(tmp_path: Path, gzip: bool, where: float) -> None:
    # Cut inside the last of ten records, a point `where` into it: the nine complete ones are read (a cut
    # .warc.gz once lost all ten: "no HTML response among 0 records").
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    ends = _pages(path, [f"https://courier.example/{n}" for n in range(10)], gzip=gzip)
    path.write_bytes(path.read_bytes()[:ends[-2] + int((ends[-1] - ends[-2]) * where)])
    items = list(read_paths([path]))
    assert all(isinstance(i, ArticleInput) for i in items[:9])
    assert len(items) == 10
    last = items[-1]
    assert isinstance(last, Skip) and last.reason == "truncated"
    assert last.source.endswith("#10")
    assert "ends inside" in last.detail


def test_truncated_warc_with_no_complete_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    ends = _pages(path, ["https://courier.example/1"])
    path.write_bytes(path.read_bytes()[:ends[0] // 2])
    [item] = list(read_paths([path]))
    assert isinstance(item, Skip) and item.reason == "truncated"


def test_a_warc_date_that_is_not_a_date_is_not_the_published_date(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        _record(writer, "https://courier.example/a", UNDATED.encode(), content_type="text/html",
                date="yesterday-ish")
    [item] = list(read_paths([path]))
    assert isinstance(item, ArticleInput)
    assert item.published is None
