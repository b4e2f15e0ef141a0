"""Every setting in the table: its default, overrides it accepts, overrides it refuses with a fix."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from eventwire import settings
from eventwire.cli import app
from eventwire.errors import ConfigError

# name -> (overrides accepted with the value read, overrides refused).  A setting added to the table without
# a line here fails test_every_setting_has_cases.
CASES: dict[str, tuple[list[tuple[str, Any]], list[str]]] = {
    "db": ([("sqlite:///x.db", "sqlite:///x.db"),
            (" postgresql+psycopg://me@host/db ", "postgresql+psycopg://me@host/db")],
           ["", "eventwire.db", "://x", "sqlite:/x.db"]),
    "max_bytes": ([("50", 50), (" 10_000 ", 10_000)], ["", "ten", "1.5", "0", "-3"]),
    "max_chars": ([("1", 1), ("300000", 300_000)], ["", "2e5", "0"]),
    "max_lines": ([("1000", 1000), ("2_000_000", 2_000_000)], ["", "many", "0", "-1"]),
    "model": ([("", ""), ("en_core_web_md", "en_core_web_md")], []),
    "languages": ([("en", "en"), (" EN , de,", "en,de")], ["", " , ", "english", "en,d3", "e"]),
    "batch_size": ([("1", 1), ("256", 256)], ["0", "big", "32.0"]),
    "disable": ([("", ""), (" eventwire_events ,", "eventwire_events"),
                 ("eventwire_events,eventwire_times", "eventwire_events,eventwire_times")],
                ["eventwire_event", "eventwire_events,nope"]),
    "event_vetting": ([(w, True) for w in ("1", "true", "yes")] + [(w, False) for w in ("0", "false", "off")],
                      ["", "2", "maybe"]),
    "api_max_body": ([("1", 1), ("20_000_000", 20_000_000)], ["", "10MB", "0", "-1"]),
    "serve_workers": ([("1", 1), (" 4 ", 4)], ["", "two", "0", "1.5"]),
    "serve_threads": ([("1", 1), (" 40 ", 40)], ["", "two", "0", "-2", "1.5"]),
    "profile": ([("fast", "fast"), (" Accurate ", "accurate"), ("accurate", "accurate")],
                ["", "slow", "fast,accurate", "accurat"]),
    "attribution_rerank": ([(w, True) for w in ("1", "true", "TRUE", "yes", "on", " True ")]
                           + [(w, False) for w in ("0", "false", "False", "no", "off")],
                           ["", "2", "maybe", "y"]),
}


def test_every_setting_has_cases() -> None:
    assert set(CASES) == {s.name for s in settings.SETTINGS}


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_default_when_unset(setting: settings.Setting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.env_name(setting.name), raising=False)
    assert settings.get(setting.name) == setting.default
    # the default itself is a value the setting accepts
    monkeypatch.setenv(settings.env_name(setting.name), settings.shown(setting.default))
    assert settings.get(setting.name) == setting.default


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_overrides(setting: settings.Setting, monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = CASES[setting.name]
    var = settings.env_name(setting.name)
    for raw, value in good:
        monkeypatch.setenv(var, raw)
        assert settings.get(setting.name) == value, raw
    for raw in bad:
        monkeypatch.setenv(var, raw)
        with pytest.raises(ConfigError) as info:
            settings.get(setting.name)
        message = str(info.value)
        # names the variable, says what it takes and how to get the default back
        assert message.startswith(f"{var}: ") and settings.allowed(setting) in message, message
        assert "unset it for the default" in message


def test_flag_false_is_false_not_a_value_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 9: EVENTWIRE_ATTRIBUTION_RERANK=false raised int()'s bare ValueError.
    monkeypatch.setenv("EVENTWIRE_ATTRIBUTION_RERANK", "false")
    assert settings.get("attribution_rerank") is False


def test_check_names_every_wrong_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_BATCH_SIZE", "0")
    monkeypatch.setenv("EVENTWIRE_LANGUAGES", "english")
    with pytest.raises(ConfigError, match=r"EVENTWIRE_LANGUAGES.*; EVENTWIRE_BATCH_SIZE"):
        settings.check()
    monkeypatch.delenv("EVENTWIRE_BATCH_SIZE")
    monkeypatch.delenv("EVENTWIRE_LANGUAGES")
    settings.check()


def test_cli_refuses_a_wrong_override_with_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    runner = CliRunner()
    monkeypatch.setenv("EVENTWIRE_MAX_BYTES", "lots")
    result = runner.invoke(app, ["summary", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2, result.output
    assert "EVENTWIRE_MAX_BYTES: 'lots' is not a whole number" in result.stderr.replace("\n", " ")
    listed = runner.invoke(app, ["settings"])
    assert listed.exit_code == 2
    assert "invalid: 'lots'" in listed.stdout and "EVENTWIRE_MAX_BYTES" in listed.stderr
    monkeypatch.setenv("EVENTWIRE_MAX_BYTES", "50")
    monkeypatch.setenv("EVENTWIRE_ATTRIBUTION_RERANK", "no")
    listed = runner.invoke(app, ["settings"])
    assert listed.exit_code == 0, listed.output
    assert "│ 50 " in listed.stdout and "false" in listed.stdout


def test_a_wrong_url_override_is_reported_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_DB", "postgresql:/ana:s3cret@db/news")  # one slash short
    with pytest.raises(ConfigError) as info:
        settings.get("db")
    assert "s3cret" not in str(info.value) and "***@db/news" in str(info.value)
