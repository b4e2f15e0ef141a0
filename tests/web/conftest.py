"""Browser fixtures: the app served by uvicorn on 127.0.0.1 (a free port), Debian's Chromium via Playwright.

The Python ``playwright`` package drives the system Chromium at /usr/bin/chromium; ``playwright install``
(which downloads browsers) is never needed.  Without that binary the tests skip, unless
EVENTWIRE_TEST_BROWSER_REQUIRED is set (``.ci/run`` sets it), where they fail.  Screenshots are written to
``test-artifacts/web/`` (git-ignored) or EVENTWIRE_TEST_ARTIFACTS.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Article
from eventwire.store import SqlStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "api"))

from api_factory import XSS_BODY, XSS_TITLE, hostile_event_article, make_article  # noqa: E402
from db_fixtures import served_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Flags the machine needs: no sandbox as root; no background networking (the network is closed and Chromium
# would retry its update and sync hosts many times a second).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/web/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _need_browser() -> None:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "the playwright Python package is not installed (pip install playwright)"
    if missing:
        if os.environ.get("EVENTWIRE_TEST_BROWSER_REQUIRED"):
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    d = Path(os.environ.get("EVENTWIRE_TEST_ARTIFACTS", ROOT / "test-artifacts" / "web"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def web_corpus() -> list[Article]:
    out = [make_article(i, published=f"2024-0{3 + i % 3}-{5 + 3 * i:02d}T08:00:00+00:00",
                        actor=("Ana Ortiz", "Bruno Keller", "Chiara Bellini")[i % 3],
                        place=("Velmora", "Ostrand", "Lunetta")[i % 3], country=("PRT", "DEU", "ITA")[i % 3],
                        event_type=("PROTEST", "ASSAULT", "CONSULT")[i % 3])
           for i in range(9)]
    out.append(make_article(50, published="2024-05-20T10:00:00+00:00", title=XSS_TITLE, body=XSS_BODY))
    out.append(hostile_event_article(51, published="2024-05-22T10:00:00+00:00"))
    return out


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Base URL of a running server over a store of invented articles (and the articles)."""
    _need_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    articles = web_corpus()
    with SqlStore.from_url(url) as s:
        for a in articles:
            s.put(a)
    with served_app(url) as base:
        yield {"base": base, "articles": articles}


@pytest.fixture(scope="session")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    dialogs: list[str] = []
    errors: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.on("pageerror", lambda e: errors.append(str(e)))
    # The server's CSP forbids inline script and style: anything of ours it blocks is a bug (a style=""
    # attribute left in a template, an inline handler), reported by Chromium on the console.
    blocked: list[str] = []
    p.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
         and blocked.append(m.text))
    p.dialogs = dialogs
    p.js_errors = errors
    yield p
    context.close()
    assert not blocked, blocked
