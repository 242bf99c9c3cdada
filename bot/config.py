"""The one settings object, read from the environment (12-factor).

Every other module receives a `Settings`; nothing else reads `os.environ`.
A missing or malformed variable raises `ConfigError`, which the CLI prints as
one line naming the variable.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from locales.i18n import SUPPORTED_LOCALES
from storage.keys import KeyRing

log = logging.getLogger(__name__)

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
_SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None
    database_url: str
    # PSEUDONYM_KEY: the one secret; each use has its own key derived from it (`keys`).
    secret_key: bytes = field(repr=False)
    data_dir: Path
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = 8080
    staff_chat_id: int | None = None
    default_locale: str = "en"
    log_level: str = "INFO"
    telegram_api_url: str = TELEGRAM_API_DEFAULT
    retention_days: int | None = None
    # PARTNER_CALL_RETENTION_DAYS: how long the audit of partner API calls is kept.
    partner_call_days: int = 365
    instances: int = 1
    # PSEUDONYM_KEY_PREVIOUS: the secret before a rotation, kept for a transition period.
    previous_secret_key: bytes | None = field(default=None, repr=False)
    key_file: Path | None = None

    # The keys are worked out once per Settings (its fields never change: frozen), not on
    # every read: an update reads them ~6 times (webhook, event, inbox, the step's lock, kept
    # replies and save), each a KeyRing and a tuple built anew.
    @functools.cached_property
    def keys(self) -> KeyRing:
        return KeyRing(self.secret_key, previous=self.previous_secret_key)

    @functools.cached_property
    def pseudonym_key(self) -> bytes:
        """Keys the HMAC of Telegram ids (storage.pseudonym)."""
        return self.keys.pseudonyms

    @functools.cached_property
    def seal_keys(self) -> tuple[bytes, ...]:
        """Seal with the first, open with any (storage.sealing)."""
        return self.keys.opening_keys

    @functools.cached_property
    def former_pseudonym_keys(self) -> tuple[bytes, ...]:
        return self.keys.former_pseudonym_keys

    @property
    def session_key(self) -> bytes:
        return self.keys.sessions

    @property
    def csrf_key(self) -> bytes:
        return self.keys.csrf
    # Talk to a person (issue 19): the staff group with one forum topic per case (unset: the
    # web app only), when an open conversation closes itself, the expected answer time, and
    # opening hours (weekdays 0=Monday…6, local times in `talk_timezone`; no days: always).
    talk_chat_id: int | None = None
    talk_quiet_hours: int = 48
    talk_answer_hours: int = 24
    talk_open_days: tuple[int, ...] = ()
    talk_open_from: time | None = None
    talk_open_until: time | None = None
    talk_timezone: str = "UTC"

    @property
    def bot_api_base_url(self) -> str:
        """Base URL in python-telegram-bot's form (it appends the token)."""
        return self.telegram_api_url.rstrip("/") + "/bot"

    @property
    def public_base_url(self) -> str:
        """Where this service is reached from outside (the origin of WEBHOOK_URL), for links in
        staff alerts; empty when unknown, which makes those links relative."""
        if not self.webhook_url:
            return ""
        scheme, _, rest = self.webhook_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def bot_api_file_url(self) -> str:
        return self.telegram_api_url.rstrip("/") + "/file/bot"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = _optional(env, name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(name, f"must be a whole number, got {raw!r}") from None


def _url(env: Mapping[str, str], name: str, default: str | None) -> str | None:
    raw = _optional(env, name)
    if raw is None:
        return default
    if not re.match(r"^https?://[^/\s]+", raw):
        raise ConfigError(name, "must be an http(s) URL, e.g. https://example.org/telegram")
    return raw


def default_key_file(env: Mapping[str, str], data_dir: Path) -> Path:
    """Where the generated secret lives when PSEUDONYM_KEY is not set: not beside the database,
    so a copied database file or a backup of the data directory does not carry its key.
    LURECHECK_KEY_FILE, else a key file an earlier version made in the data dir, else
    $XDG_CONFIG_HOME/lurecheck or ~/.config/lurecheck, else a `<data dir>.keys` directory."""
    explicit = _optional(env, "LURECHECK_KEY_FILE")
    if explicit is not None:
        return Path(explicit).expanduser().resolve()
    legacy = data_dir / "pseudonym.key"
    if legacy.exists():
        return legacy
    config_home = _optional(env, "XDG_CONFIG_HOME")
    if config_home is None and _optional(env, "HOME") is not None:
        config_home = str(Path(env["HOME"].strip()) / ".config")
    if config_home is not None:
        return Path(config_home) / "lurecheck" / "pseudonym.key"
    return data_dir.with_name(data_dir.name + ".keys") / "pseudonym.key"


def _secret(env: Mapping[str, str], name: str) -> bytes | None:
    raw = _optional(env, name)
    if raw is not None and len(raw) < 32:
        raise ConfigError(name, "must be at least 32 characters of secret")
    return raw.encode() if raw is not None else None


def _pseudonym_key(env: Mapping[str, str], key_file: Path, *, embedded: bool) -> bytes:
    configured = _secret(env, "PSEUDONYM_KEY")
    if configured is not None:
        return configured
    if not embedded:
        raise ConfigError(
            "PSEUDONYM_KEY", "is required when DATABASE_URL points to a shared database"
        )
    if key_file.exists():
        if key_file.stat().st_mode & 0o077:
            key_file.chmod(0o600)
        if key_file.name == "pseudonym.key" and (key_file.parent / "lurecheck.sqlite3").exists():
            log.warning("the key file is beside the database; move it and set LURECHECK_KEY_FILE")
        return key_file.read_text().strip().encode()
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created 0600: never readable by others, not even for an instant.
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    log.warning(
        "PSEUDONYM_KEY not set: generated one in %s; back it up, losing it unlinks all reports",
        key_file,
    )
    return key.encode()


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(r"^(?:(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+)?"
                       r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def parse_talk_hours(raw: str | None) -> tuple[tuple[int, ...], time | None, time | None]:
    """`TALK_HOURS`: "mon-fri 09:00-17:00", "sat 10:00-14:00" or "09:00-17:00" (every day)."""
    if raw is None:
        return (), None, None
    match = _HOURS_RE.match(raw.strip().lower())
    if match is None:
        raise ConfigError("TALK_HOURS", "must look like 'mon-fri 09:00-17:00' or '09:00-17:00'")
    first, last, h1, m1, h2, m2 = match.groups()
    start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    if end <= start:
        raise ConfigError("TALK_HOURS", "the closing time must be after the opening time")
    if first is None:
        return tuple(range(7)), start, end
    a, b = _DAYS.index(first), _DAYS.index(last or first)
    days = tuple(range(a, b + 1)) if a <= b else (*range(a, 7), *range(0, b + 1))
    return days, start, end


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    data_dir = Path(_optional(env, "LURECHECK_DATA_DIR") or "data").resolve()

    database_url = _optional(env, "DATABASE_URL")
    if database_url is None:
        database_url = f"sqlite:///{data_dir / 'lurecheck.sqlite3'}"
    elif database_url.startswith("postgres://"):
        # Heroku still hands out the scheme SQLAlchemy dropped.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", database_url):
        raise ConfigError("DATABASE_URL", "must be a sqlite:/// or postgresql:// URL")
    embedded = database_url.startswith("sqlite")
    if embedded and database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(mode=0o700, parents=True,
                                                                   exist_ok=True)

    token = _optional(env, "TELEGRAM_BOT_TOKEN")
    if token is not None and not re.match(r"^\d+:[A-Za-z0-9_-]{20,}$", token):
        raise ConfigError("TELEGRAM_BOT_TOKEN", "does not look like a BotFather token (123:ABC…)")

    webhook_secret = _optional(env, "WEBHOOK_SECRET")
    if webhook_secret is not None and not _SECRET_TOKEN_RE.match(webhook_secret):
        raise ConfigError("WEBHOOK_SECRET", "must be 1-256 characters of A-Z a-z 0-9 _ -")
    webhook_url = _url(env, "WEBHOOK_URL", None)
    if webhook_url is not None and webhook_secret is None:
        raise ConfigError("WEBHOOK_SECRET", "is required when WEBHOOK_URL is set")

    port = _int(env, "PORT", 8080)
    assert port is not None
    if not 0 < port < 65536:
        raise ConfigError("PORT", f"must be between 1 and 65535, got {port}")

    log_level = (_optional(env, "LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"must be one of {', '.join(_LOG_LEVELS)}")

    default_locale = _optional(env, "DEFAULT_LOCALE") or "en"
    if default_locale not in SUPPORTED_LOCALES:
        raise ConfigError(
            "DEFAULT_LOCALE", f"must be one of {', '.join(SUPPORTED_LOCALES)}, got {default_locale!r}"
        )

    partner_call_days = _int(env, "PARTNER_CALL_RETENTION_DAYS", 365)
    if partner_call_days is None or partner_call_days < 1:
        raise ConfigError("PARTNER_CALL_RETENTION_DAYS", "must be at least 1")
    retention = _int(env, "RETENTION_DAYS", None)
    if retention is not None and retention < 1:
        raise ConfigError("RETENTION_DAYS", "must be at least 1")

    instances = _int(env, "WEB_CONCURRENCY", 1)
    if instances is None or instances < 1:
        raise ConfigError("WEB_CONCURRENCY", "must be at least 1")

    key_file = default_key_file(env, data_dir)
    talk_days, talk_from, talk_until = parse_talk_hours(_optional(env, "TALK_HOURS"))
    talk_timezone = _optional(env, "TALK_TIMEZONE") or "UTC"
    try:
        ZoneInfo(talk_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TALK_TIMEZONE", f"unknown time zone {talk_timezone!r}") from None
    talk_quiet = _int(env, "TALK_QUIET_HOURS", 48)
    if talk_quiet is None or talk_quiet < 1:
        raise ConfigError("TALK_QUIET_HOURS", "must be at least 1")
    talk_answer = _int(env, "TALK_ANSWER_HOURS", 24)
    if talk_answer is None or talk_answer < 1:
        raise ConfigError("TALK_ANSWER_HOURS", "must be at least 1")

    return Settings(
        talk_chat_id=_int(env, "TALK_CHAT_ID", None),
        talk_quiet_hours=talk_quiet,
        talk_answer_hours=talk_answer,
        talk_open_days=talk_days,
        talk_open_from=talk_from,
        talk_open_until=talk_until,
        talk_timezone=talk_timezone,
        instances=instances,
        telegram_bot_token=token,
        database_url=database_url,
        secret_key=_pseudonym_key(env, key_file, embedded=embedded),
        previous_secret_key=_secret(env, "PSEUDONYM_KEY_PREVIOUS"),
        key_file=None if _optional(env, "PSEUDONYM_KEY") else key_file,
        data_dir=data_dir,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        port=port,
        staff_chat_id=_int(env, "STAFF_CHAT_ID", None),
        default_locale=default_locale,
        log_level=log_level,
        telegram_api_url=_url(env, "TELEGRAM_API_URL", TELEGRAM_API_DEFAULT) or TELEGRAM_API_DEFAULT,
        retention_days=retention,
        partner_call_days=partner_call_days,
    )
