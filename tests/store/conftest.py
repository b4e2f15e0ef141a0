"""Store fixtures: every ``db_url`` test runs on SQLite, and on PostgreSQL when EVENTWIRE_TEST_PG_URL is set.

EVENTWIRE_TEST_PG_URL (e.g. ``postgresql+psycopg://me@localhost/eventwire_test``) must name a throw-away
database: every table in it is dropped before and after each test.  ``eval "$(.ci/start-postgres)"`` starts
one on 127.0.0.1 and sets it (``.ci/run`` does so).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine

from eventwire.store import SqlStore

PG_ENV = "EVENTWIRE_TEST_PG_URL"

# --import-mode=importlib (pyproject) puts no test folder on sys.path; the test modules here and the kill
# test's writer subprocess both import the article factory next to this file as `store_factory`.
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _wipe(url: str) -> None:
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        # .ci/run sets EVENTWIRE_TEST_PG_REQUIRED: there a missing server is a failure, never a skip.
        if os.environ.get("EVENTWIRE_TEST_PG_REQUIRED"):
            pytest.fail(f"{PG_ENV} not set but EVENTWIRE_TEST_PG_REQUIRED is (start one: .ci/start-postgres)")
        pytest.skip(f"{PG_ENV} not set (start a server: eval \"$(.ci/start-postgres)\")")
    pytest.importorskip("psycopg")
    _wipe(url)
    yield url
    _wipe(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    with SqlStore.from_url(db_url) as s:
        yield s
