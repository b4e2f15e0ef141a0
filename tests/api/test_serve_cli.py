"""`eventwire serve` builds the app over --db and binds to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from typer.testing import CliRunner

from eventwire.cli import app


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: calls.append({"app": api, **kw}))
    return calls


def test_serve_defaults_to_loopback(runs: list[dict[str, Any]], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_API_TOKEN", raising=False)
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}"])
    assert r.exit_code == 0, r.output
    (call,) = runs
    assert call["host"] == "127.0.0.1" and call["port"] == 8000
    assert "http://127.0.0.1:8000/" in r.output  # the address bound, which is what the README says
    assert isinstance(call["app"], FastAPI) and call["app"].state.token is None
    # no CORS unless --cors names an origin
    assert not any(m.cls is CORSMiddleware for m in call["app"].user_middleware)


def test_serve_options_and_token_from_env(runs: list[dict[str, Any]], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_API_TOKEN", "tok")
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--host", "0.0.0.0",
                                 "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert runs[0]["host"] == "0.0.0.0" and runs[0]["port"] == 8123 and runs[0]["app"].state.token == "tok"


def test_serve_cors_only_for_the_origins_given(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--cors",
                                 "https://desk.invalid"])
    assert r.exit_code == 0, r.output
    (cors,) = [m for m in runs[0]["app"].user_middleware if m.cls is CORSMiddleware]
    assert cors.kwargs["allow_origins"] == ["https://desk.invalid"]


def test_serve_bad_db_is_a_usage_error(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'missing' / 's.db'}"])
    assert r.exit_code == 2 and not runs
