"""POST /api/articles reads its body with the readers' checks (eventwire.pipeline.analyze -> read_record)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.pipeline import analyze
from eventwire.store import SqlStore
from eventwire.testing import EchoStep

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _client(tmp_path: Path) -> tuple[TestClient, SqlStore]:
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'post.db'}")
    # The real reading path with the NLP replaced by EchoStep (no spaCy needed).
    app = create_app(store=store, token=TOKEN, analyze=partial(analyze, analyzer=EchoStep()))
    return TestClient(app), store


def test_lone_surrogate_in_a_post_is_stored_not_a_500(tmp_path: Path) -> None:
    client, store = _client(tmp_path)
    # The raw JSON escape: what a client sends; json= would refuse to encode it.
    body = b'{"text": "The minister said \\ud800 talks resume on Monday in the capital."}'
    with client, store:
        r = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        article = client.get(r.json()["href"]).json()
        assert article["text"] == "The minister said \ufffd talks resume on Monday in the capital."


def test_unparseable_url_in_a_post_is_a_422(tmp_path: Path) -> None:
    client, store = _client(tmp_path)
    with client, store:
        r = client.post("/api/articles", headers=AUTH,
                        json={"text": "The minister said talks resume on Monday.", "url": "http://[oops/x"})
        assert r.status_code == 422, r.text
        assert "bad-url" in r.text or "does not parse" in r.text
