"""Settings from the environment: defaults, validation, and the one-line error of the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ_012345"


def test_defaults_use_embedded_sqlite_and_generate_a_key(tmp_path: Path) -> None:
    settings = load_settings({"LURECHECK_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'lurecheck.sqlite3'}"
    assert settings.telegram_bot_token is None
    assert (tmp_path / "pseudonym.key").exists()
    # The generated key is kept: pseudonyms stay stable across restarts.
    again = load_settings({"LURECHECK_DATA_DIR": str(tmp_path)})
    assert again.pseudonym_key == settings.pseudonym_key
    assert len(settings.pseudonym_key) >= 32


def test_heroku_postgres_url_is_accepted(tmp_path: Path) -> None:
    settings = load_settings({"LURECHECK_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@h/db",
                              "PSEUDONYM_KEY": "x" * 40})
    assert settings.database_url == "postgresql+psycopg://u:p@h/db"


@pytest.mark.parametrize(("env", "variable"), [
    ({"TELEGRAM_BOT_TOKEN": "nonsense"}, "TELEGRAM_BOT_TOKEN"),
    ({"PORT": "eighty"}, "PORT"),
    ({"PORT": "70000"}, "PORT"),
    ({"WEBHOOK_URL": "https://example.org/telegram"}, "WEBHOOK_SECRET"),
    ({"WEBHOOK_URL": "ftp://example.org"}, "WEBHOOK_URL"),
    ({"WEBHOOK_URL": "https://e.org/t", "WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"DATABASE_URL": "postgresql://u@h/db"}, "PSEUDONYM_KEY"),
    ({"PSEUDONYM_KEY": "short"}, "PSEUDONYM_KEY"),
    ({"STAFF_CHAT_ID": "-100abc"}, "STAFF_CHAT_ID"),
    ({"DEFAULT_LOCALE": "xx"}, "DEFAULT_LOCALE"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
])
def test_bad_values_name_the_variable(tmp_path: Path, env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"LURECHECK_DATA_DIR": str(tmp_path), **env})
    assert raised.value.variable == variable


def test_cli_prints_one_line_and_exits_non_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "DATABASE", "PORT"))}
    env.update(LURECHECK_DATA_DIR=str(tmp_path), PORT="not-a-port")
    done = subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == ["lurecheck: configuration error: PORT: must be a whole number, got 'not-a-port'"]
    assert "Traceback" not in done.stdout + done.stderr


def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "DATABASE"))}
    env.update(LURECHECK_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "lurecheck.sqlite3").exists()


def test_telegram_language_codes_map_to_supported_locales() -> None:
    from locales.i18n import normalise_locale

    cases = {"en-GB": "en", "zh-hans": "zh_Hans", "zh-TW": "zh_Hant", "zh-Hant-HK": "zh_Hant",
             "fil": "tl", "in": "id", "ms": "ms", "km": "km", "pt-br": None, "xx": None,
             "xx-YY": None, "": None, None: None}
    assert {code: normalise_locale(code) for code in cases} == cases
