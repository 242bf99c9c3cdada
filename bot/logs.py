"""Structured JSON logs, and the filter that keeps personal data and secrets out of them.

Our own modules log ids of updates and reports, counts and error types, never texts, names,
usernames or Telegram ids. Libraries do not keep that promise at DEBUG: python-telegram-bot
logs every Bot API call with its parameters (chat ids, texts) and every update (names,
usernames), httpx logs request URLs (which hold the bot token), aiohttp's access log holds
client addresses and query strings, SQLAlchemy's echo holds statement parameters (narratives).

`PrivacyFilter`, on the root handler (so every record of every logger passes it, at any level):
- a library's record keeps its format string, never its arguments (`[arguments withheld]`); a
  library message without arguments (already formatted) has long digit runs, @handles and
  e-mail addresses masked;
- an exception's traceback keeps its frames, but each exception's message is withheld (an
  error text may quote a value: a name, a URL with the token);
- everywhere, our records included: the bot token, the webhook secret and the key secrets
  (registered by `configure_logging`) and anything shaped like a bot token become `[secret]`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Loggers of this project: they log no personal data by design (only secrets are masked).
OWN_LOGGERS = ("bot", "handlers", "storage", "review", "screening", "locales", "__main__")
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_LONG_NUMBER = re.compile(r"(?<![\w.])\+?\d[\d ()-]{4,}\d(?![\w.])")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(: .*)$")
_NOT_EXCEPTIONS = ("Traceback ", "During handling", "The above exception")
WITHHELD = "[arguments withheld]"


def _is_own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


def mask_free_text(text: str) -> str:
    """A library's already-formatted message: numbers, handles and e-mail addresses masked."""
    text = _EMAIL.sub("[email]", text)
    text = _HANDLE.sub("@[handle]", text)
    return _LONG_NUMBER.sub("[number]", text)


def withhold_exception_messages(trace: str) -> str:
    lines = []
    for line in trace.splitlines():
        match = _EXCEPTION_LINE.match(line)
        if match and not line.startswith(_NOT_EXCEPTIONS):
            line = f"{match.group(1)}: [message withheld]"
        lines.append(line)
    return "\n".join(lines)


class PrivacyFilter(logging.Filter):
    """Rewrites every record it sees (see the module doc); never drops one."""

    def __init__(self, secrets: Iterable[str | bytes | None] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str | bytes | None]) -> None:
        for secret in secrets:
            if isinstance(secret, bytes):
                secret = secret.decode(errors="ignore")
            if secret and len(secret) >= 8 and secret not in self._secrets:
                self._secrets.append(secret)
        self._secrets.sort(key=len, reverse=True)

    def _mask_secrets(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "[secret]")
        return _TOKEN_SHAPE.sub("[secret]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        own = _is_own(record.name)
        if own:
            message = self._mask_secrets(record.getMessage())
        elif record.args:
            message = self._mask_secrets(f"{record.msg} {WITHHELD}")
        else:
            message = mask_free_text(self._mask_secrets(str(record.msg)))
        record.msg, record.args = message, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask_secrets(withhold_exception_messages(record.exc_text))
        if record.stack_info:
            record.stack_info = self._mask_secrets(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                masked = self._mask_secrets(value)
                masked = masked if own else mask_free_text(masked)
                setattr(record, key, masked)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["trace"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str, *, json_lines: bool = True,
                      secrets: Iterable[str | bytes | None] = (),
                      stream: TextIO | None = None) -> PrivacyFilter:
    """One handler on the root logger, with the privacy filter; returns the filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(
        "%(levelname)s %(name)s: %(message)s"))
    privacy = PrivacyFilter(secrets)
    handler.addFilter(privacy)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and a URL holds the bot token (masked anyway): not worth
    # a line per request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return privacy
