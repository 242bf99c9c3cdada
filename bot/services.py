"""What the dispatcher needs beyond the update, kept in `application.bot_data`.

Its own module so that `bot/app.py` (which builds it) and `bot/dispatch.py` (which reads
it) both import it, and neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from telegram.ext import Application, ContextTypes

from bot.config import Settings

SERVICES_KEY = "services"


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return services_of(context.application)


def services_of(application: Application) -> Services:  # type: ignore[type-arg]
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services
