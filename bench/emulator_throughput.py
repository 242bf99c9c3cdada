"""Throughput through the Bot API emulator: raw API calls, and the real bot end to end.

    .venv/bin/python bench/emulator_throughput.py [--calls 1000] [--updates 400] [--users 40]
                                                  [--latency 0.05]

Prints, for each scenario, the wall-clock rate and the CPU milliseconds per call/update of
this process (bot and emulator share it, so CPU figures include the emulator's own work).
The bot runs exactly as in production (`bot.app.build_application`, long polling) on a
temporary SQLite database; `--latency` adds a fixed delay to every Bot API call, like a
real round trip to Telegram (engineering notes §4: benchmark with a round-trip delay);
the last scenario switches on the emulator's Telegram flood limits and counts the 429s the
bot provoked (its AIORateLimiter retries them).

Reading the figures: the bot's own `AIORateLimiter` holds *all* sends to 30 per second
(Telegram's overall limit), so an update rate near 30/s is that limiter, not the CPU; the
CPU milliseconds per update are the figure to compare between versions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings
from emulator import DEFAULT_TOKEN, Emulator


def _report(label: str, count: int, wall: float, cpu: float, unit: str) -> None:
    print(f"{label:<44} {count / wall:8.1f} {unit}/s   {cpu / count * 1000:6.2f} ms CPU/{unit}"
          f"   ({count} in {wall:.2f} s)")


async def raw_calls(calls: int) -> None:
    async with Emulator() as emulator:
        emulator.user(1)
        request = HTTPXRequest(httpx_kwargs={"trust_env": False})
        async with Bot(DEFAULT_TOKEN, base_url=emulator.base_url, request=request) as bot:
            await bot.send_message(1, "warm-up")
            wall, cpu = time.perf_counter(), time.process_time()
            for number in range(calls):
                await bot.send_message(1, f"<b>message</b> {number}", parse_mode="HTML")
            _report("sendMessage, sequential, PTB Bot", calls, time.perf_counter() - wall,
                    time.process_time() - cpu, "call")


async def bot_end_to_end(updates: int, users: int, latency: float, *,
                         flood_limits: bool = False) -> None:
    from bot.app import build_application
    from storage.db import migrate

    with tempfile.TemporaryDirectory() as data_dir:
        database_url = f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}"
        migrate(database_url)
        async with Emulator() as emulator:
            settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url,
                                secret_key=b"bench-key-" * 4, data_dir=Path(data_dir),
                                telegram_api_url=emulator.url)
            application = build_application(settings)
            async with application:
                assert application.updater is not None
                await application.updater.start_polling()
                await application.start()
                people = [emulator.user(1000 + number, language_code="en")
                          for number in range(users)]
                for person in people:  # onboarding out of the way, not measured
                    await person.send_command("/start")
                for person in people:
                    await person.wait_until_settled(quiet=0.05)
                emulator.faults.latency = latency
                emulator.faults.rate_limits = flood_limits
                emulator.calls.clear()
                per_person = updates // users
                wall, cpu = time.perf_counter(), time.process_time()
                for round_number in range(per_person):
                    for person in people:
                        await person.send_command("/menu" if round_number % 2 else "/help")
                await asyncio.gather(*(person.wait_for_replies(per_person, timeout=600)
                                       for person in people))
                elapsed = time.perf_counter() - wall
                limits = ", flood limits" if flood_limits else ""
                _report(f"real bot, {users} users, latency {latency * 1000:.0f} ms{limits}",
                        per_person * users, elapsed, time.process_time() - cpu, "update")
                errors = emulator.api_errors
                if errors:
                    print(f"  refused calls: {len(errors)}, e.g. {errors[0].method}: "
                          f"{errors[0].description}")
                await application.updater.stop()
                await application.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    # The bot's warnings about 429s are expected in the flood-limit scenario; counted below.
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    await raw_calls(args.calls)
    await bot_end_to_end(args.updates, args.users, 0.0)
    if args.latency > 0:
        await bot_end_to_end(args.updates, args.users, args.latency)
    await bot_end_to_end(args.updates, args.users, 0.0, flood_limits=True)


if __name__ == "__main__":
    asyncio.run(main())
