"""The settings the staff app reads, as a protocol: the composition root (`bot`) hands its
`Settings` down, so review/ never imports the bot package."""

from __future__ import annotations

from typing import Protocol


class ReviewSettings(Protocol):
    @property
    def database_url(self) -> str: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def session_key(self) -> bytes: ...
    @property
    def csrf_key(self) -> bytes: ...
    @property
    def talk_chat_id(self) -> int | None: ...  # the staff group of "talk to a person", if any
    @property
    def instances(self) -> int: ...  # WEB_CONCURRENCY: the partner API splits its rate budgets
