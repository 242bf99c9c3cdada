"""In-process harness for flows: real database, real router, no Telegram.

`harness.send("/start")`, `harness.send("some text")`, `harness.press("go:check")` run
`bot.dispatch.run_step` exactly as the bot does for an update, and return the replies.
Buttons are pressed by action (`press`) or by their visible text (`press_text`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from bot.dispatch import StepResult, run_step
from bot.services import Services
from handlers.types import Button, Event, EventKind, Reply
from storage.alerts import STAFF_ALERT
from storage.conversations import open_conversation_data
from storage.db import create_db_engine, session_scope
from storage.models import StaffAlert
from storage.pseudonym import pseudonymise
from storage.sealing import unseal
from storage.testing import migrated_sqlite_file

TEST_KEY = b"k" * 32


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    settings = Settings(
        telegram_bot_token="123456:TEST-token-for-the-emulator-only",
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        secret_key=TEST_KEY,
        data_dir=tmp_path,
    )
    return settings.with_overrides(**overrides) if overrides else settings


@dataclass
class Person:
    """One simulated person talking to the flows in process."""

    services: Services
    user_id: int
    language_code: str | None
    last: StepResult | None = None
    history: list[Reply] = field(default_factory=list)

    @property
    def user_key(self) -> str:
        return pseudonymise(self.user_id, key=self.services.settings.pseudonym_key)

    def _run(self, event: Event) -> list[Reply]:
        self.last = run_step(self.services, event)
        self.history.extend(self.last.replies)
        return self.last.replies

    def _event(self, kind: EventKind, **fields: object) -> Event:
        return Event(kind=kind, user_key=self.user_key, chat_id=self.user_id,
                     telegram_language=self.language_code, **fields)  # type: ignore[arg-type]

    def send(self, text: str, *, forward_origin: str | None = None, edited: bool = False) -> list[Reply]:
        if text.startswith("/"):
            command, _, rest = text[1:].partition(" ")
            return self._run(self._event(EventKind.COMMAND, command=command.lower(), text=rest))
        return self._run(self._event(EventKind.TEXT, text=text, forward_origin=forward_origin,
                                     edited=edited))

    def send_media(self, kind: str = "sticker") -> list[Reply]:
        return self._run(self._event(EventKind.MEDIA, media_kind=kind))

    def press(self, action: str, *, version: int | None = None) -> list[Reply]:
        """Press a button by action, with the version of the last reply (or an explicit one)."""
        if version is None:
            version = self.last.version if self.last else 0
        return self._run(self._event(EventKind.BUTTON, button=action, button_version=version))

    def buttons(self) -> list[Button]:
        """Every button of the last replies, in order."""
        assert self.last is not None, "nothing was sent yet"
        return [b for reply in self.last.replies for row in reply.buttons for b in row]

    def press_text(self, text: str) -> list[Reply]:
        matches = [b for b in self.buttons() if text in b.text]
        assert matches, f"no button containing {text!r} in {[b.text for b in self.buttons()]}"
        return self.press(matches[0].action)

    def texts(self) -> list[str]:
        assert self.last is not None
        return [reply.text for reply in self.last.replies]


@dataclass
class Harness:
    services: Services

    def person(self, user_id: int = 4242, *, language_code: str | None = "en") -> Person:
        return Person(self.services, user_id, language_code)

    @property
    def engine(self) -> Engine:
        return self.services.engine

    def queued_alerts(self) -> list[tuple[StaffAlert, str]]:
        """The alerts for the staff chat that steps stored (storage/alerts.py), each with its
        text opened from its seal; bot/alerts.py would send them."""
        with session_scope(self.engine, read_only=True) as db:
            rows = list(db.exec(select(StaffAlert).order_by(col(StaffAlert.id))).all())
        return [(row, unseal(row.text_sealed, key=self.services.settings.seal_keys,
                             purpose=STAFF_ALERT).decode()) for row in rows]

    def opened(self, data: dict[str, Any]) -> dict[str, Any]:
        """A conversation's data as stored (sealed at rest), opened."""
        return open_conversation_data(data, seal_key=self.services.settings.seal_keys)


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    settings = make_settings(tmp_path, staff_chat_id=-100777)
    migrated_sqlite_file(tmp_path / "bot.sqlite3")
    engine = create_db_engine(settings.database_url)
    yield Harness(Services(settings=settings, engine=engine))
    engine.dispose()
