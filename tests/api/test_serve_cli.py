"""`eventwire serve` builds the app over --db and binds to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from typer.testing import CliRunner
from uvicorn.config import Config

from eventwire.api.serve import CONFIG_ENV, FACTORY, FairAcceptLoop, app_from_env, banner
from eventwire.cli import app


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: calls.append({"app": api, **kw}))
    monkeypatch.delenv(CONFIG_ENV, raising=False)  # serve sets it for its workers; restored after the test
    return calls


def _app(call: dict[str, Any]) -> FastAPI:
    """The app a call to uvicorn.run serves: the object, or what each worker builds from the import string."""
    if isinstance(call["app"], FastAPI):
        return call["app"]
    assert call["app"] == FACTORY and call["factory"] is True
    return app_from_env()


def test_serve_defaults_to_loopback_and_two_processes(runs: list[dict[str, Any]], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_API_TOKEN", raising=False)
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}"])
    assert r.exit_code == 0, r.output
    (call,) = runs
    assert call["host"] == "127.0.0.1" and call["port"] == 8000
    assert "http://127.0.0.1:8000/" in r.output  # the address bound, which is what the README says
    # both cores: uvicorn's workers, each building the app from the import string
    assert call["workers"] == 2 and call["app"] == FACTORY
    api = _app(call)
    assert api.state.token is None
    # no CORS unless --cors names an origin
    assert not any(m.cls is CORSMiddleware for m in api.user_middleware)


def test_serve_options_and_token_from_env(runs: list[dict[str, Any]], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_API_TOKEN", "tok")
    for workers in ("1", "3"):
        r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--host", "0.0.0.0",
                                     "--port", "8123", "--workers", workers])
        assert r.exit_code == 0, r.output
        call = runs.pop()
        assert call["host"] == "0.0.0.0" and call["port"] == 8123 and _app(call).state.token == "tok"
        assert isinstance(call["app"], FastAPI) == (workers == "1")


def test_serve_cors_only_for_the_origins_given(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--cors",
                                 "https://desk.invalid"])
    assert r.exit_code == 0, r.output
    (cors,) = [m for m in _app(runs[0]).user_middleware if m.cls is CORSMiddleware]
    assert cors.kwargs["allow_origins"] == ["https://desk.invalid"]


def test_serve_line_masks_the_database_password() -> None:
    line = banner("postgresql+psycopg://ana:hunter2@db.invalid/ew", host="127.0.0.1", port=8000, token="t",
                  workers=2)
    assert "hunter2" not in line and "postgresql+psycopg://ana:***@db.invalid/ew" in line


def test_serve_never_prints_the_password_of_a_database_it_cannot_open(runs: list[dict[str, Any]]) -> None:
    pytest.importorskip("psycopg")
    for workers in ("1", "2"):
        # port 1 on loopback: refused at once
        r = CliRunner().invoke(app, ["serve", "--db", "postgresql+psycopg://ana:hunter2@127.0.0.1:1/ew",
                                     "--workers", workers])
        assert r.exit_code == 2 and not runs
        assert "hunter2" not in r.output and "ana:***@127.0.0.1" in r.output


def test_serve_bad_db_is_a_usage_error(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'missing' / 's.db'}"])
    assert r.exit_code == 2 and not runs


def test_serve_workers_share_one_cache_file_removed_after(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    seen: list[tuple[str | None, bool]] = []

    def fake_run(api: Any, **kw: Any) -> None:
        shared = _app({"app": api, **kw}).state.store_cache.shared
        path = None if shared is None else shared.path
        seen.append((path, path is not None and Path(path).parent.is_dir()))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    for workers in ("2", "1"):
        r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--workers", workers])
        assert r.exit_code == 0, r.output
    (path, existed), single = seen
    assert path is not None and existed and not Path(path).parent.exists()  # there while serving, then gone
    assert single == (None, False)  # one process: nothing to share


class _SlowAccept(FairAcceptLoop):
    ACCEPT_DELAY = 0.5  # long beside the test's first wait, so that a busy machine does not fail it


@pytest.mark.parametrize(("loop_class", "taken"),
                         [(asyncio.SelectorEventLoop, [4, 4]), (_SlowAccept, [1, 2])])
def test_the_server_loop_takes_queued_connections_one_at_a_time(loop_class: type[asyncio.AbstractEventLoop],
                                                                taken: list[int]) -> None:
    # asyncio's loop takes all 4 at once (a burst of connections all went to one server process); the fair
    # one takes one, then waits (0.5 s here, for the connection it holds), then takes the next
    loop = loop_class()
    made: list[asyncio.BaseTransport] = []

    class Counted(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            made.append(transport)

    listening = socket.create_server(("127.0.0.1", 0))
    server = loop.run_until_complete(loop.create_server(Counted, sock=listening))
    clients = [socket.create_connection(listening.getsockname()) for _ in range(4)]  # queued by the kernel
    try:
        seen = []
        for wait in (0.1, 0.7):  # at 0.1 s; at 0.8 s (past the 0.5 s wait, before the next 1 s)
            loop.run_until_complete(asyncio.sleep(wait))
            seen.append(len(made))
        assert seen == taken
    finally:
        for t in made:
            t.close()
        server.close()
        loop.run_until_complete(server.wait_closed())
        for c in clients:
            c.close()
        loop.close()


def test_serve_runs_its_processes_on_the_fair_loop(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'f.db'}", "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert runs[0]["workers"] == 2
    assert Config(runs[0]["app"], loop=runs[0]["loop"]).get_loop_factory() is FairAcceptLoop
