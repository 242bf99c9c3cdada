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
    data_dir, home = tmp_path / "data", tmp_path / "home"
    env = {"LURECHECK_DATA_DIR": str(data_dir), "HOME": str(home)}
    settings = load_settings(env)
    assert settings.database_url == f"sqlite:///{data_dir / 'lurecheck.sqlite3'}"
    assert settings.telegram_bot_token is None
    # Not beside the database (a copied data dir or database file must not carry its key),
    # and readable by its owner only, from the moment it exists.
    assert not (data_dir / "pseudonym.key").exists()
    key_file = home / ".config" / "lurecheck" / "pseudonym.key"
    assert settings.key_file == key_file and key_file.exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o077 == 0
    # The generated key is kept: pseudonyms stay stable across restarts.
    again = load_settings(env)
    assert again.pseudonym_key == settings.pseudonym_key
    assert len(settings.secret_key) >= 32


def test_key_file_location_can_be_chosen_and_an_old_one_beside_the_database_is_kept(
        tmp_path: Path) -> None:
    chosen = tmp_path / "secrets" / "lurecheck.key"
    settings = load_settings({"LURECHECK_DATA_DIR": str(tmp_path / "d"),
                              "LURECHECK_KEY_FILE": str(chosen)})
    assert settings.key_file == chosen and chosen.stat().st_mode & 0o777 == 0o600
    # A key an earlier version generated beside the database keeps working (and is tightened).
    legacy_dir = tmp_path / "old"
    legacy_dir.mkdir()
    (legacy_dir / "pseudonym.key").write_text("y" * 48 + "\n")
    (legacy_dir / "pseudonym.key").chmod(0o644)
    old = load_settings({"LURECHECK_DATA_DIR": str(legacy_dir), "HOME": str(tmp_path / "h")})
    assert old.secret_key == b"y" * 48
    assert (legacy_dir / "pseudonym.key").stat().st_mode & 0o777 == 0o600


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
