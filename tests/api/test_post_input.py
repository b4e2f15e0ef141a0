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


def test_a_posted_article_gets_its_story_copy_and_flags_as_ingest_does(tmp_path: Path) -> None:
    from eventwire.testing import STORY_REPORTS

    client, store = _client(tmp_path)
    (title0, _, url0, text0), (title1, _, url1, text1) = STORY_REPORTS[0], STORY_REPORTS[1]
    copy = STORY_REPORTS[3]
    with client, store:
        first, second, wire = (client.post("/api/articles", headers=AUTH,
                                           json={"text": text, "title": title, "url": url})
                               for title, url, text in ((title0, url0, text0), (title1, url1, text1),
                                                        (copy[0], copy[2], copy[3])))
        assert [r.status_code for r in (first, second, wire)] == [201, 201, 201]
        sid = first.json()["story_id"]
        assert sid and second.json()["story_id"] == sid == wire.json()["story_id"]
        got = client.get(wire.json()["href"]).json()
        assert (got["story_id"], got["duplicate_of"]) == (sid, first.json()["id"])
        story = client.get(f"/api/stories/{sid}").json()
        assert story["articles"] == 3 and story["independent_sources"] == 2
        # the same url with an edited text: the new version takes the old one's place in the story
        edited = client.post("/api/articles", headers=AUTH, json={"text": text1 + " Divers found the log.",
                                                                   "title": title1, "url": url1})
        assert edited.json()["outcome"] == "new-version"
        story = client.get(f"/api/stories/{sid}").json()
        assert story["articles"] == 3
        assert second.json()["id"] not in {a["id"] for a in story["article_refs"]}
