"""The web UI in Debian's Chromium: the four views, filtering, highlights against stored spans, and XSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from api_factory import HOSTILE_ACTOR, HOSTILE_TARGET

from eventwire.model import Article

SEGMENTS_JS = """() => Array.from(document.querySelectorAll('#text > span')).map(s => ({
  s: +s.dataset.s, e: +s.dataset.e, refs: (s.dataset.refs || '').split(' ').filter(Boolean),
  text: s.textContent}))"""


def _shot(page: Any, artifacts: Path, name: str) -> None:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def _article(served: dict[str, Any], n: int) -> Article:
    return next(a for a in served["articles"] if a.source == f"invented/{n}.txt")


def _assert_inert(page: Any, base: str, path: str) -> None:
    """Load ``path``: no payload ran, no element or script came from the data."""
    page.goto(base + path)
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.__pwned") == "undefined", path
    # Only our own script runs: app.js, plus the inert JSON data block on the article page.
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.src || s.type)")
    assert all(s.endswith("/static/app.js") or s == "application/json" for s in scripts), (path, scripts)
    assert page.locator("[onerror], [onload], img[src=x]").count() == 0, path


def test_overview_loads_filters_and_opens_an_article(page: Any, served: dict[str, Any],
                                                     artifacts: Path) -> None:
    page.goto(served["base"] + "/")
    assert page.title().startswith("Overview")
    assert page.locator("table.articles tbody tr").count() == len(served["articles"])
    assert page.locator("svg.chart rect").count() > 0  # the timeline is drawn
    _shot(page, artifacts, "1-overview")

    page.fill("#filters input[name=q]", "Bruno")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/?*q=Bruno*")
    rows = page.locator("table.articles tbody tr")
    assert rows.count() == 3
    # Every part of the page follows the text filter: no event names a Bruno (his events name "Keller"),
    # so the table and the chart are empty; the attributions are his three "said".
    assert page.locator("table.events tbody tr[data-type]").count() == 0
    assert page.locator("svg.chart rect").count() == 0
    sources = page.locator("table.attributions tbody tr td:first-child").all_inner_texts()
    assert sources == ["Bruno Keller"] * 3
    _shot(page, artifacts, "1b-overview-filtered")

    # The event table filters by PLOVER type.
    page.goto(served["base"] + "/")
    page.select_option("#filters select[name=type]", "PROTEST")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=PROTEST*")
    types = page.locator("table.events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.type)")
    assert types and set(types) == {"PROTEST"}
    assert page.locator("svg.chart rect").evaluate_all("rs => [...new Set(rs.map(r => r.dataset.type))]") \
        == ["PROTEST"]
    # A text filter that events match: the chart counts the same events as the table.
    page.goto(served["base"] + "/?q=Ostrand")
    table = page.locator("table.events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.type)")
    drawn = page.locator("svg.chart rect").evaluate_all("rs => rs.map(r => r.dataset.type)")
    assert sorted(set(table)) == sorted(set(drawn)) == ["ASSAULT", "SUPPORT"] and len(table) == 6
    page.goto(served["base"] + "/?type=PROTEST")

    page.locator("table.articles tbody tr").first.locator("a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("#text").count() == 1
    assert not page.js_errors


def test_article_highlights_match_the_stored_spans(page: Any, served: dict[str, Any],
                                                   artifacts: Path) -> None:
    a = _article(served, 1)
    page.goto(f"{served['base']}/articles/{a.id}")
    segs = page.evaluate(SEGMENTS_JS)
    # The segments are the whole text, in order, with their offsets.
    assert "".join(s["text"] for s in segs) == a.text
    assert all(a.text[s["s"]:s["e"]] == s["text"] for s in segs)

    def covered(ref: str) -> list[tuple[int, int]]:
        """Maximal runs of consecutive segments carrying ``ref``."""
        runs: list[tuple[int, int]] = []
        for s in segs:
            if ref in s["refs"]:
                if runs and runs[-1][1] == s["s"]:
                    runs[-1] = (runs[-1][0], s["e"])
                else:
                    runs.append((s["s"], s["e"]))
        return runs

    for e in a.entities:
        want = sorted((m.span.start, m.span.end) for m in e.mentions)
        assert covered(f"ent:{e.id}") == want, e
    for x in a.attributions:
        assert x.source is not None and x.cue is not None
        assert covered(f"att-src:{x.id}") == [(x.source.start, x.source.end)]
        assert covered(f"att-cue:{x.id}") == [(x.cue.start, x.cue.end)]
        assert covered(f"att-con:{x.id}") == [(c.start, c.end) for c in x.content]
    events = page.evaluate("() => JSON.parse(document.getElementById('ew-data').textContent).events")
    for v in events:  # present once the store keeps events
        assert covered(f"evt:{v['id']}") == [(v["trigger"]["start"], v["trigger"]["end"])]

    # Clicking a cue shows that attribution's evidence in the panel; so does its row in the side list.
    cue = a.attributions[0].cue
    assert cue is not None
    page.locator(f'#text span[data-s="{cue.start}"]').first.click()
    detail = page.locator("#detail").inner_text()
    assert "Attribution A1" in detail and "would reopen" in detail
    page.locator('button.ref[data-ref="att:A2"]').click()
    detail = page.locator("#detail").inner_text()
    assert "Attribution A2" in detail and "We will not back down" in detail
    assert page.locator("#text .seg.focus").count() >= 1
    _shot(page, artifacts, "2-article")
    # A layer can be switched off.
    page.uncheck('#layers input[data-layer="att"]')
    assert "show-att" not in (page.get_attribute("#text", "class") or "")
    assert not page.js_errors


def test_entity_view(page: Any, served: dict[str, Any], artifacts: Path) -> None:
    page.goto(f"{served['base']}/entities/{quote('name:PERSON:Bruno Keller', safe=':')}")
    assert page.locator("h1").inner_text().startswith("Bruno Keller")
    quotes = page.locator("table.attributions tbody tr")
    assert quotes.count() == 6
    assert "We will not back down" in page.locator("table.attributions").inner_text()
    # Bruno Keller acts on Ostrand in three articles: one edge of the who-acts-on-whom network.
    assert page.locator("svg.network line.edge").count() == 1
    assert "Ostrand" in (page.locator("svg.network").text_content() or "")
    assert page.locator("table.events").first.locator("tbody tr").count() == 3
    _shot(page, artifacts, "3-entity")
    assert not page.js_errors


def test_search_view(page: Any, served: dict[str, Any], artifacts: Path) -> None:
    page.goto(served["base"] + "/")
    page.fill("header input[name=q]", "Ostrand")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Ostrand")
    assert "Ostrand" in page.locator("ul.entities").inner_text()
    assert page.locator("table.articles tbody tr").count() == 3
    _shot(page, artifacts, "4-search")
    assert not page.js_errors


def test_hostile_article_executes_nothing(page: Any, served: dict[str, Any], artifacts: Path) -> None:
    a = _article(served, 50)
    for path in ("/", f"/articles/{a.id}", "/search?q=" + quote("<script>window.__pwned=5</script>"),
                 "/search?q=Varga", f"/entities/{quote('name:PERSON:Ilse Varga', safe=':')}"):
        _assert_inert(page, served["base"], path)
    page.goto(f"{served['base']}/articles/{a.id}")
    # The payloads are shown as the text they are.
    text = page.locator("#text").inner_text()
    assert '<img src=x onerror="window.__pwned=1">' in text and "<script>window.__pwned=2</script>" in text
    assert page.locator("h1").inner_text() == a.title
    # The stored url is javascript:, so no link to it is rendered.
    assert page.locator('a[href^="javascript:"]').count() == 0
    page.locator("#text .seg.att-cue").first.click()
    assert "is dead" in page.locator("#detail").inner_text()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert not page.dialogs
    _shot(page, artifacts, "5-hostile-article")


def test_markup_in_entity_names_and_filters_executes_nothing(page: Any, served: dict[str, Any]) -> None:
    a = _article(served, 51)
    actor = "/entities/" + quote("name:PERSON:" + HOSTILE_ACTOR, safe=":")
    target = "/entities/" + quote("name:PERSON:" + HOSTILE_TARGET, safe=":")
    reflected = "/?" + urlencode({"actor": HOSTILE_ACTOR, "q": HOSTILE_TARGET, "country": '"><b id=x>',
                                  "type": "<script>window.__pwned=8</script>"})
    for path in ("/", "/?type=ASSAULT", f"/articles/{a.id}", actor, target, "/search?q=" + quote("onerror"),
                 reflected, "/search?q=" + quote(HOSTILE_TARGET)):
        _assert_inert(page, served["base"], path)
    assert page.locator("#x").count() == 0
    # The names are shown as the text they are: the heading, the network (labels and edge titles), the
    # event table of the entity page.
    page.goto(served["base"] + actor)
    assert page.locator("h1").inner_text().startswith(HOSTILE_ACTOR)
    assert page.locator("svg.network line.edge").count() == 1
    net = page.locator("svg.network").text_content() or ""
    assert HOSTILE_ACTOR in net and HOSTILE_TARGET in net
    row = page.locator("table.events").first.locator("tbody tr")
    assert row.count() == 1 and HOSTILE_TARGET in row.inner_text()
    # Clicking the hostile actor's highlight shows its evidence as text.
    page.goto(f"{served['base']}/articles/{a.id}")
    page.locator("#text .seg.att-cue").first.click()
    assert "</script><script>" in page.locator("#detail").inner_text()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert not page.dialogs and not page.js_errors
