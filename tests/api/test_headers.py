"""Security headers on every response, and pages that need nothing inline (so the CSP can forbid it)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from eventwire.model import Article
from eventwire.web.charts import PALETTE

STATIC = Path(__file__).resolve().parents[2] / "src" / "eventwire" / "web" / "static"


def _check(r: object) -> None:
    headers = r.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_headers_on_html_json_static_and_errors(client: TestClient, articles: list[Article]) -> None:
    for path in ("/", "/search?q=Ortiz", f"/articles/{articles[0].id}", "/entities/name:PERSON:Ana Ortiz",
                 "/docs", "/docs/style.css", "/static/style.css", "/static/app.js", "/api/health",
                 "/api/events", "/openapi.json", "/api/nothing-here", "/articles/nothing-here"):
        _check(client.get(path))
    _check(client.post("/api/articles", json={"text": "x"}))  # the write guard's 401


def test_pages_have_no_inline_script_or_style(client: TestClient, articles: list[Article]) -> None:
    for path in ("/", "/search?q=Ortiz", f"/articles/{articles[0].id}", f"/articles/{articles[-1].id}",
                 "/entities/name:PERSON:Ana Ortiz", "/docs"):
        html = client.get(path).text
        # a script element either loads a file or is a JSON data block (not executed, so not under CSP)
        for attrs in re.findall(r"<script\b([^>]*)>", html):
            assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
        assert "<style" not in html, path
        assert not re.search(r"""<[^>]*\sstyle=""", html), path
        # no inline handlers (the hostile article's onerror= is escaped text, not an attribute)
        assert not re.search(r"""<[a-zA-Z][^>]*\son[a-z]+=""", html), path


def test_each_palette_colour_has_its_class() -> None:
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    for i, colour in enumerate(PALETTE):
        assert f".c{i} {{ --c: {colour}; }}" in css
