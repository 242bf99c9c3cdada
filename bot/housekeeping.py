"""Runs `storage.housekeeping` on a timer in every deployment shape.

Started by `bot.app.start_background_jobs`, which both long polling (`_post_init`) and the
webhook server (its lifecycle) call, in every instance. Each instance tries every `tick`
seconds (with jitter, so instances started together do not collide each time); the lease row
lets one of them run the jobs once per `every` (storage/housekeeping.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import secrets
import socket
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.config import Settings
from storage.housekeeping import DEFAULT_EVERY, run_housekeeping

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0


def holder_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


async def run_housekeeping_loop(engine: Engine, settings: Settings, *,
                                tick: float = TICK_SECONDS,
                                every: timedelta = DEFAULT_EVERY) -> None:
    holder = holder_name()
    while True:
        try:
            await asyncio.to_thread(run_housekeeping, engine, retention_days=settings.retention_days,
                                    holder=holder, every=every,
                                    partner_call_days=settings.partner_call_days)
        except Exception as error:  # database away: the next tick tries again
            log.warning("housekeeping failed: %s", type(error).__name__)
        await asyncio.sleep(tick * random.uniform(0.8, 1.2))
