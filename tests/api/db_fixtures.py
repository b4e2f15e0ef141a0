"""Shared by the API, web and stories tests: a scratch database per backend and a served app.

On sys.path through tests/api/conftest.py and tests/web/conftest.py, as api_factory.py is.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import MetaData, create_engine

PG_ENV = "EVENTWIRE_TEST_PG_URL"


def wipe(url: str) -> None:
    """Drop every table of the database at ``url``."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
    finally:
        engine.dispose()


def scratch_url(backend: str, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """A fixture body: a fresh SQLite file, or the throw-away PostgreSQL database of EVENTWIRE_TEST_PG_URL
    wiped before and after (skipped without one, failed when EVENTWIRE_TEST_PG_REQUIRED is set)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp(name) / 'api.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("EVENTWIRE_TEST_PG_REQUIRED"):
            pytest.fail(f"{PG_ENV} not set but EVENTWIRE_TEST_PG_REQUIRED is")
        pytest.skip(f"{PG_ENV} not set (start a server: eval \"$(.ci/start-postgres)\")")
    pytest.importorskip("psycopg")
    wipe(url)
    yield url
    wipe(url)


@contextmanager
def served_app(url: str) -> Iterator[str]:
    """The app over the store at ``url``, served by uvicorn on a free 127.0.0.1 port: its base URL."""
    import uvicorn

    from eventwire.api import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
