"""POST /api/articles: its body read with the readers' checks (read_record), then the one ingest of the CLI
and `watch` (ingest.py): stored text not analysed again, versions by url, stories and copies assigned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.model import Article, ArticleInput, Skip
from eventwire.runners.local import LocalRunner
from eventwire.store import SqlStore
from eventwire.testing import EchoStep, invented_article

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class CountingStep(EchoStep):
    """EchoStep that keeps the input's url and title (as the Analyzer does) and counts what it analysed."""

    analysed: int = 0

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        self.analysed += len(inputs)
        return [r if isinstance(r, Skip) else replace(r, url=x.url, title=x.title)
                for x, r in zip(inputs, super().analyze(inputs), strict=True)]


def _client(tmp_path: Path, step: EchoStep | None = None) -> tuple[TestClient, SqlStore]:
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'post.db'}")
    # The real reading and ingest path with the NLP replaced by EchoStep (no spaCy needed).
    the_step = step or CountingStep()
    app = create_app(store=store, token=TOKEN, runner=LocalRunner(step_factory=lambda: the_step))
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


def test_a_text_stored_before_is_not_analysed_again(tmp_path: Path) -> None:
    step = CountingStep()
    client, store = _client(tmp_path, step)
    body = {"text": invented_article(1), "url": "https://news.invalid/a"}
    with client, store:
        first = client.post("/api/articles", headers=AUTH, json=body)
        assert first.status_code == 201 and first.json()["outcome"] == "stored"
        again = client.post("/api/articles", headers=AUTH, json={**body, "url": "https://mirror.invalid/a"})
        assert again.status_code == 201, again.text
        # found in the store by ingest's selection: the same id, and the step never saw it
        assert again.json() == {**first.json(), "outcome": "unchanged"}
        assert step.analysed == 1


def test_new_text_at_a_stored_url_is_a_new_version(tmp_path: Path) -> None:
    client, store = _client(tmp_path)
    with client, store:
        url = "https://news.invalid/story"
        first = client.post("/api/articles", headers=AUTH, json={"text": invented_article(2), "url": url})
        second = client.post("/api/articles", headers=AUTH, json={"text": invented_article(3), "url": url})
        assert second.json()["outcome"] == "new-version"
        assert store.history(second.json()["id"])[0]["article_id"] == first.json()["id"]


def test_a_posted_article_joins_a_story_and_a_copy_is_marked(tmp_path: Path) -> None:
    client, store = _client(tmp_path)
    text = invented_article(4)
    copy = text.replace("officials said", "officials told reporters")  # a syndicated copy, lightly edited
    with client, store:
        first = client.post("/api/articles", headers=AUTH, json={"text": text, "url": "https://a.invalid/1"})
        second = client.post("/api/articles", headers=AUTH, json={"text": copy, "url": "https://b.invalid/9"})
        assert first.json()["outcome"] == second.json()["outcome"] == "stored"
        placed = client.get(first.json()["href"]).json()
        assert placed["story_id"] is not None  # the API's own store.put path never assigned one
        copied = client.get(second.json()["href"]).json()
        assert copied["duplicate_of"] == first.json()["id"]
        assert copied["story_id"] == placed["story_id"]


def test_an_article_the_analysis_skips_is_a_422_and_nothing_is_stored(tmp_path: Path) -> None:
    client, store = _client(tmp_path, CountingStep(fail_marker="POISON"))
    with client, store:
        r = client.post("/api/articles", headers=AUTH, json={"text": "POISON " + invented_article(5)})
        assert r.status_code == 422 and r.json()["error"]["code"] == "not_an_article"
        assert "analysis-error" in r.json()["error"]["message"]
        assert client.get("/api/articles").json()["total"] == 0
