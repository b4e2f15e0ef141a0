"""A server process answers `serve_threads` read requests at once, and a POST's analysis takes none of
their turns (api/app.py)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.model import Article, ArticleInput, Skip
from eventwire.runners.local import LocalRunner
from eventwire.store import SqlStore
from eventwire.testing import EchoStep

TOKEN = "test-token"


@dataclass
class HeldStep(EchoStep):
    """EchoStep that waits, inside the analysis, until the test lets it go."""

    entered: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        self.entered.set()
        assert self.go.wait(30)
        return super().analyze(inputs)


async def _tokens() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


def test_reads_are_answered_while_a_post_is_analysed(tmp_path: Path) -> None:
    step = HeldStep()
    with SqlStore.from_url(f"sqlite:///{tmp_path / 't.db'}") as store, \
            TestClient(create_app(store=store, token=TOKEN, threads=1,
                                  runner=LocalRunner(step_factory=lambda: step))) as client:
        assert client.portal is not None and client.portal.call(_tokens) == 1
        posted: list[int] = []
        post = threading.Thread(target=lambda: posted.append(client.post(
            "/api/articles", headers={"Authorization": f"Bearer {TOKEN}"},
            json={"text": "The minister said on Monday that talks with the unions resume."}).status_code))
        post.start()
        try:
            assert step.entered.wait(30)
            # the one read thread is free: the analysis runs in the POSTs' own
            read: list[int] = []
            get = threading.Thread(target=lambda: read.append(client.get("/api/health").status_code))
            get.start()
            get.join(10)
            assert read == [200] and not posted
        finally:
            step.go.set()
            post.join(30)
        assert posted == [201]


def test_the_setting_gives_the_read_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_SERVE_THREADS", "3")
    with SqlStore.from_url(f"sqlite:///{tmp_path / 's.db'}") as store, \
            TestClient(create_app(store=store)) as client:
        assert client.portal is not None and client.portal.call(_tokens) == 3
