"""The story page, incident cards and copy/flag badges in Debian's Chromium, with hostile words in a
conflict's source and in a story's title."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from db_fixtures import served_app

from eventwire.aggregate.online import StoryKeeper
from eventwire.model import Article, CharSpan, Flag
from eventwire.store import SqlStore
from eventwire.store.stories import replace_flags
from eventwire.testing import incident_report, incident_reports, story_reports

HOSTILE_SOURCE = "Dr <img src=x onerror=\"window.__pwned=21\"> Vale"
HOSTILE_TITLE = "<script>window.__pwned=22</script>Brennock market bombing"


def _collection() -> list[Article]:
    arts = incident_reports()
    arts[0] = replace(arts[0], title=HOSTILE_TITLE)
    # a fourth outlet whose figure comes from a hostile-looking source
    arts.append(incident_report(f"{HOSTILE_SOURCE} said 31 people died when militants bombed the market in "
                                "Brennock.", "https://quayside.example/q1", "2031-03-05", trigger="bombed",
                                toll="31 people", low=31, day="2031-03-04", source=HOSTILE_SOURCE))
    return story_reports() + arts


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory, served: dict[str, Any]) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('stories-web') / 'web.db'}"
    arts = _collection()
    with SqlStore.from_url(url) as store:
        keeper = StoryKeeper(store)
        for a in arts:
            store.put(a)
            keeper.add(a)
        keeper.finish()
        # one article flagged as contradicting itself (the flag logic is tested in tests/aggregate)
        flagged = arts[8]  # the first Brennock report
        span = CharSpan.of(flagged.text, 0, 13)
        with store.transaction() as conn:
            replace_flags(conn, flagged.id, [Flag(article_id=flagged.id, kind="role-conflict", span=span,
                                                  message="<b>not</b> what the rest says")])
    with served_app(url) as base:
        yield {"base": base, "articles": arts}


def _inert(page: Any) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.src || s.type)")
    assert all(s.endswith("/static/app.js") or s == "application/json" for s in scripts), scripts
    assert page.locator("[onerror], [onload], img[src=x]").count() == 0


def test_story_page_shows_reports_incidents_and_conflicts(page: Any, story_site: dict[str, Any],
                                                          artifacts: Path) -> None:
    base = story_site["base"]
    page.goto(base + "/")
    cards = page.locator("section.incidents article.incident")
    assert cards.count() >= 2
    first_card = cards.first
    # harbourpost (two pages), tidewire, coastalherald, quayside; the reprint is a copy
    assert "4 independent sources" in first_card.inner_text()
    _inert(page)
    first_card.locator("a", has_text="story").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE  # the title as the text it is
    assert "5 independent sources" not in page.locator("p.counts").inner_text()  # two pages of one outlet
    assert "4 independent sources" in page.locator("p.counts").inner_text()
    _inert(page)
    conflict = page.locator("li.conflict", has_text="fatalities").inner_text()
    assert "34 people" in conflict and "31 people" in conflict and HOSTILE_SOURCE in conflict
    assert "Hospital staff" in conflict
    denial = page.locator("li.conflict", has_text="factuality").inner_text()
    assert "denied" in denial and "Brennock Front" in denial
    rows = page.locator("table.story-articles tbody tr")
    assert rows.count() == 6  # the Esker Bay shelling is a story of its own
    assert page.locator("table.story-articles .badge.copy").count() == 1
    assert page.locator("table.story-articles .badge.flag").count() == 1
    assert page.locator("svg.chart rect").count() > 0  # reports over time
    page.screenshot(path=str(artifacts / "6-story.png"), full_page=True)
    assert not page.dialogs and not page.js_errors


def test_article_badges_copy_and_flags(page: Any, story_site: dict[str, Any], artifacts: Path) -> None:
    base = story_site["base"]
    first, copy = story_site["articles"][8], story_site["articles"][9]
    page.goto(f"{base}/articles/{copy.id}")
    badge = page.locator("header.meta a.badge.copy")
    assert badge.count() == 1 and first.id in badge.inner_text()
    page.goto(f"{base}/articles/{first.id}")
    flags = page.locator("ul.flags li")
    assert flags.count() == 1 and "<b>not</b> what the rest says" in flags.inner_text()
    _inert(page)
    page.screenshot(path=str(artifacts / "7-article-flags.png"), full_page=True)
    page.goto(f"{base}/stories")
    assert page.locator("table.stories tbody tr").count() >= 4
    assert page.goto(f"{base}/stories/nosuch").status == 404
