"""API fixtures: a store of invented articles on SQLite, and on PostgreSQL with EVENTWIRE_TEST_PG_URL."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.model import Article, ArticleInput, Skip
from eventwire.runners.local import LocalRunner
from eventwire.store import SqlStore

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from api_factory import TOKEN, XSS_BODY, XSS_TITLE, make_article  # noqa: E402
from db_fixtures import scratch_url  # noqa: E402


class FactoryStep:
    """A BatchStep without spaCy: a posted text becomes api_factory's article number 100 + its length."""

    def setup(self) -> None:
        return None

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        return [make_article(100 + len(x.text), published=x.published) for x in inputs]


def corpus() -> list[Article]:
    """Six dated articles over two months, two countries, two actors; one undated; one hostile."""
    out = [make_article(i, published=f"2024-0{3 + i % 2}-{10 + i:02d}T08:00:00+00:00",
                        actor=("Ana Ortiz", "Bruno Keller")[i % 2], place=("Velmora", "Ostrand")[i % 2],
                        country=("PRT", "DEU")[i % 2], event_type=("PROTEST", "ASSAULT")[i % 2])
           for i in range(6)]
    out.append(make_article(6, published=None))
    out.append(make_article(7, published="2024-05-01", title=XSS_TITLE, body=XSS_BODY))
    return out


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from scratch_url(request.param, tmp_path_factory, "api")


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of one test's own on db_url's backend (a fresh SQLite file; db_url's PostgreSQL
    database, shared by a module's tests, wiped first)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'own.db'}"
        return
    from db_fixtures import wipe

    wipe(db_url)
    yield db_url


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return corpus()


@pytest.fixture(scope="module")
def store(db_url: str, articles: list[Article]) -> Iterator[SqlStore]:
    with SqlStore.from_url(db_url) as s:
        for a in articles:
            assert s.put(a) == "stored"
        yield s


@pytest.fixture(scope="module")
def client(store: SqlStore) -> Iterator[TestClient]:
    app = create_app(store=store, token=TOKEN, runner=LocalRunner(step_factory=FactoryStep))
    with TestClient(app) as c:
        yield c
