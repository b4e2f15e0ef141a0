"""No database password is ever printed: settings.mask_url, and every CLI output a database URL reaches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.errors import StoreError
from eventwire.settings import mask_url
from eventwire.store import SqlStore

SECRET = "hunter2"
PG = f"postgresql+psycopg://ana:{SECRET}@db.invalid:5432/ew"


@pytest.mark.parametrize(("url", "shown"), [
    (PG, "postgresql+psycopg://ana:***@db.invalid:5432/ew"),
    ("postgresql://ana:p@ss:w/rd@db.invalid/ew", "postgresql://ana:***@db.invalid/ew"),  # unencoded @ and /
    ("postgresql://ana:p%40ss@db.invalid/ew", "postgresql://ana:***@db.invalid/ew"),
    ("postgresql://:only@h/ew", "postgresql://:***@h/ew"),
    ("postgresql://ana@h/ew?sslmode=require&password=pw&sslpassword=pw2",
     "postgresql://ana@h/ew?sslmode=require&password=***&sslpassword=***"),
    ("postgresql://ana:pw@[oops/ew", "postgresql://ana:***@[oops/ew"),  # no parser would take it
    ("sqlite:///eventwire.db", "sqlite:///eventwire.db"),
    ("postgresql://ana@h/ew", "postgresql://ana@h/ew"),
    ("en", "en"),
    ("postgresql:/ana:pw@h/ew", "postgresql:***@h/ew"),
])
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


@pytest.fixture
def any_url_opens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every database URL opens a fresh SQLite store: the CLI gets as far as a PostgreSQL URL would."""
    real = SqlStore.from_url.__func__  # type: ignore[attr-defined]
    target = f"sqlite:///{tmp_path / 'any.db'}"
    monkeypatch.setattr(SqlStore, "from_url", classmethod(lambda cls, url, **kw: real(cls, target, **kw)))


@pytest.mark.usefixtures("any_url_opens")
def test_show_and_summary_mask_the_password() -> None:
    r = CliRunner().invoke(app, ["show", "abcdef123456", "--db", PG])
    assert r.exit_code == 1 and "no article" in r.output
    assert SECRET not in r.output and "ana:***@db.invalid" in r.output
    r = CliRunner().invoke(app, ["summary", "--db", PG])
    assert r.exit_code == 0, r.output
    assert SECRET not in r.output and "ana:***@db.invalid" in r.output


@pytest.mark.usefixtures("any_url_opens")
def test_serve_startup_line_masks_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: calls.append(api))
    monkeypatch.delenv("EVENTWIRE_SERVE_CONFIG", raising=False)
    for workers in ("1", "2"):
        r = CliRunner().invoke(app, ["serve", "--db", PG, "--workers", workers])
        assert r.exit_code == 0, r.output
        assert SECRET not in r.output and "serving postgresql+psycopg://ana:***@db.invalid" in r.output
    assert len(calls) == 2


def test_settings_output_masks_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_DB", PG)
    r = CliRunner().invoke(app, ["settings"])
    assert r.exit_code == 0, r.output
    values = "".join(line.split("│")[2].strip() for line in r.output.splitlines() if line.count("│") > 2)
    assert SECRET not in r.output and f"{PG.replace(SECRET, '***')}" in values


def test_store_errors_mask_the_password() -> None:
    with pytest.raises(StoreError) as e:
        SqlStore.from_url(f"postgresql+nodriver://ana:{SECRET}@db.invalid/ew")
    assert SECRET not in str(e.value)
    with pytest.raises(StoreError) as e:
        SqlStore.from_url(f"postgresql+psycopg:/ana:{SECRET}@db.invalid/ew")  # one slash: not a URL
    assert SECRET not in str(e.value)
