"""End-to-end benchmarks of the real bot: webhook → durable inbox → flow → Bot API emulator.

    .venv/bin/python bench/e2e_bench.py throughput [--db sqlite,postgres] [--workers 1,2]
                                                   [--latency 0,0.05] [--users 40]
                                                   [--profile DIR]
    .venv/bin/python bench/e2e_bench.py latency    [--rate 50] [--seconds 10] [--db sqlite]
    .venv/bin/python bench/e2e_bench.py burst      [--users 2000] [--window 10] [--latency 0,0.05]
    .venv/bin/python bench/e2e_bench.py memory     [--users 100000]

PostgreSQL: pass `--postgres-url`, or set LURECHECK_TEST_POSTGRES_URL
(`export LURECHECK_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"`); every scenario gets a
fresh schema, dropped afterwards. Without one, PostgreSQL scenarios are skipped with a note.

How it is measured (see bench/README.md for reading the figures):
* The bot runs as 1 or 2 separate processes (`e2e_bench.py worker`, i.e. `bot.web.create_web_app`
  exactly as `python -m bot run` builds it) sharing one database. The emulator runs in this
  process and delivers by webhook; with 2 workers a small round-robin proxy spreads its posts.
* The reference is a bare python-telegram-bot echo bot (bench/echo_bot.py) on the same
  emulator, same users, same number of updates, in the same run: as it comes (httpx), and
  on lurecheck's aiohttp transport, so the transport's share of the difference shows.
* Each simulated person walks a flow step by step, waiting for the bot's reply before the next
  step (as a person does). Latency is from the update entering the emulator's queue to the
  bot's first reply arriving; "own" latency subtracts the emulator's added round trips that
  come before that reply (one per step: buttons are acknowledged in the webhook's answer).
* CPU per update: user+system time of the bot processes only (from /proc/<pid>/stat).
* `--profile DIR`: py-spy (`$PY_SPY`, else `py-spy` on PATH) records each bot worker during the
  measured walk only (`record --gil -f raw -r 250`), one collapsed-stack file per scenario.
* throughput/latency lift the bot's outgoing rate limiter (the echo bot has none): Telegram's
  30 messages/s would otherwise be the figure measured. `burst` keeps the limiter as in
  production and switches on the emulator's Telegram flood limits (30/s overall, 1/s per chat).
* memory runs in-process: the real `Application.process_update` and the real flow steps and
  database, with a Bot API stub that answers without a network (100,000 HTTP round trips
  would measure the emulator). It prints RSS as the number of distinct people grows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import aiohttp  # noqa: E402 (after the sys.path line)
from aiohttp import web  # noqa: E402 (after the sys.path line)

from bot.config import Settings  # noqa: E402 (after the sys.path line)
from emulator import DEFAULT_TOKEN, Emulator  # noqa: E402 (after the sys.path line)
from emulator.core import ChatState  # noqa: E402 (after the sys.path line)
from emulator.models import ChatEvent  # noqa: E402 (after the sys.path line)
from emulator.users import SimulatedUser  # noqa: E402 (after the sys.path line)
from handlers.types import decode_callback  # noqa: E402 (after the sys.path line)

BENCH_PSEUDONYM_KEY = b"bench-pseudonym-key-not-for-production-0123"
BENCH_SECRET = "bench-webhook-secret_0123456789"
WEBHOOK_ROUTE = "/telegram"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STEP_TIMEOUT = 120.0

LURE = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no experience "
        "needed. Free flight ticket, free accommodation and food. Travel on a tourist visa, we "
        "arrange the work permit later. Call +855 12 345 678")
NARRATIVE = "They want me to go to Mae Sot by car after landing in Bangkok."

# (kind, content, replies expected); kinds: command, text, button (content = the action)
Step = tuple[str, str, int]
OFFER_FLOW: list[Step] = [("command", "/check", 1), ("text", LURE, 1)]
REPORT_FLOW: list[Step] = [
    *OFFER_FLOW, ("button", "report", 1), ("button", "done", 1), ("text", NARRATIVE, 1),
    ("button", "done", 1),
    ("button", "w:month", 1), ("button", "cc:KH", 1), ("button", "ok", 1),
    ("button", "notify", 1), ("button", "agree", 3),  # receipt, menu, the offer of a person
]
FLOWS = {"offer": OFFER_FLOW, "report": REPORT_FLOW}


# ---------------------------------------------------------------------------- bot processes
async def _serve_worker(args: argparse.Namespace) -> None:
    """One lurecheck web process (what `python -m bot run` starts with WEBHOOK_URL set)."""
    import bot.app
    import bot.web
    from bot.app import build_application
    from bot.logs import configure_logging
    from bot.ratelimit import TelegramRateLimiter
    from bot.web import create_web_app
    from storage.db import create_db_engine

    configure_logging("WARNING")
    if args.unlimited_sends:
        # Keep the limiter's code in the path (its CPU counts) but let everything through.
        class Unlimited(TelegramRateLimiter):
            def __init__(self, **kwargs: Any) -> None:
                kwargs.update(overall_per_second=1e9, chat_per_second=1e9, chat_burst=1e9)
                super().__init__(**kwargs)

        bot.app.TelegramRateLimiter = Unlimited  # type: ignore[misc]
    if args.stale_claim_seconds is not None:
        bot.web.STALE_CLAIM = timedelta(seconds=args.stale_claim_seconds)
    settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=args.database_url,
                        secret_key=BENCH_PSEUDONYM_KEY, data_dir=Path(args.data_dir),
                        telegram_api_url=args.api_url, webhook_secret=BENCH_SECRET,
                        webhook_url=f"http://127.0.0.1{WEBHOOK_ROUTE}", instances=args.instances,
                        staff_chat_id=args.staff_chat_id)
    engine = create_db_engine(settings.database_url)
    application = build_application(settings, engine=engine, polling=False)
    runner = web.AppRunner(create_web_app(settings, application, engine=engine),
                           access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    print(f"ready {runner.addresses[0][1]}", flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    engine.dispose()


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_ROUTE}"

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)

    def loop_cpu_seconds(self) -> float:
        """The main thread's: the event loop (aiohttp's server and client, dispatch); the rest
        of the process's CPU is its threads' (the database work of `asyncio.to_thread`)."""
        return process_cpu_seconds(self.process.pid, thread=self.process.pid)

    def rss_mb(self) -> float:
        return process_rss_mb(self.process.pid)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def process_cpu_seconds(pid: int, *, thread: int | None = None) -> float:
    """utime + stime of a process (or of one of its threads), from /proc (fields 14 and 15 of
    stat)."""
    stat = Path(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
                ).read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def start_process(command: Sequence[str], log_path: Path) -> BotProcess:
    with log_path.open("ab") as log_file:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=log_file, cwd=ROOT)
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 90)
    except TimeoutError:
        process.kill()
        raise RuntimeError(f"{command[1]} did not start; see {log_path}") from None
    if not line.startswith(b"ready "):
        raise RuntimeError(f"{command[1]} failed to start: {log_path.read_text()[-2000:]}")
    return BotProcess(process, int(line.split()[1]), log_path)


def worker_command(*, database_url: str, api_url: str, data_dir: Path, instances: int = 1,
                   unlimited_sends: bool = False, stale_claim_seconds: float | None = None,
                   ) -> list[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "worker",
               "--database-url", database_url, "--api-url", api_url,
               "--data-dir", str(data_dir), "--instances", str(instances)]
    if unlimited_sends:
        command.append("--unlimited-sends")
    if stale_claim_seconds is not None:
        command += ["--stale-claim-seconds", str(stale_claim_seconds)]
    return command


@contextlib.asynccontextmanager
async def round_robin(targets: Sequence[str]) -> AsyncIterator[str]:
    """A tiny HTTP front spreading webhook posts over several processes, like a platform's
    router in front of `web` dynos."""
    if len(targets) == 1:
        yield targets[0]
        return
    turn = 0
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))

    async def forward(request: web.Request) -> web.Response:
        nonlocal turn
        target = targets[turn % len(targets)]
        turn += 1
        headers = {key: value for key, value in request.headers.items()
                   if key.lower() in ("content-type", "x-telegram-bot-api-secret-token")}
        async with session.post(target, data=await request.read(), headers=headers) as answer:
            return web.Response(status=answer.status, body=await answer.read())

    app = web.Application()
    app.router.add_post(WEBHOOK_ROUTE, forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}{WEBHOOK_ROUTE}"
    finally:
        await runner.cleanup()
        await session.close()


async def set_webhook(emulator: Emulator, url: str, *, secret: str | None) -> None:
    body: dict[str, Any] = {"url": url, "max_connections": 40,
                            "allowed_updates": ["message", "edited_message", "callback_query"]}
    if secret:
        body["secret_token"] = secret
    async with aiohttp.ClientSession() as session, session.post(
            f"{emulator.base_url}{DEFAULT_TOKEN}/setWebhook", json=body) as answer:
        payload = await answer.json()
    if not payload.get("ok"):
        raise RuntimeError(f"setWebhook failed: {payload}")


# ---------------------------------------------------------------------------- databases
@contextlib.asynccontextmanager
async def fresh_database(kind: str, postgres_url: str | None, data_dir: Path
                         ) -> AsyncIterator[str]:
    """A migrated, empty database: a new SQLite file, or a new PostgreSQL schema."""
    from storage.db import create_db_engine, migrate

    if kind == "sqlite":
        url = f"sqlite:///{data_dir / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"
        await asyncio.to_thread(migrate, url)
        yield url
        return
    assert postgres_url is not None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(postgres_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        await asyncio.to_thread(migrate, url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def inbox_counts(database_url: str) -> dict[str, int]:
    from sqlalchemy import text

    from storage.db import create_db_engine

    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT status, count(*) FROM inbound_update GROUP BY status")).all()
        return {str(status): int(count) for status, count in rows}
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------- people
class Arrivals:
    """When each bot message reached each chat, with waiters per chat.

    The emulator's own `wait_for_replies` wakes every waiting person on every event, which
    for thousands of people costs more CPU in this process than the bot under test."""

    def __init__(self, emulator: Emulator) -> None:
        self.times: dict[int, list[float]] = defaultdict(list)
        self._waiters: dict[int, tuple[int, asyncio.Future[None]]] = {}
        original = emulator._record_event

        def record(state: ChatState, event: ChatEvent) -> None:
            original(state, event)
            if event.kind == "sent":
                arrived = self.times[event.chat_id]
                arrived.append(time.perf_counter())
                waiter = self._waiters.get(event.chat_id)
                if waiter is not None and len(arrived) >= waiter[0] and not waiter[1].done():
                    waiter[1].set_result(None)

        emulator._record_event = record  # type: ignore[method-assign]

    @property
    def total(self) -> int:
        return sum(len(times) for times in self.times.values())

    async def wait_for(self, chat_id: int, count: int, timeout: float) -> bool:
        if len(self.times[chat_id]) >= count:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[chat_id] = (count, future)
        try:
            await asyncio.wait_for(future, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.pop(chat_id, None)


@dataclass
class WalkResult:
    updates: int = 0
    lost: int = 0
    latencies: list[float] = field(default_factory=list)
    own: list[float] = field(default_factory=list)


async def walk(user: SimulatedUser, steps: Sequence[Step], arrivals: Arrivals,
               result: WalkResult, *, latency: float, echo: bool) -> None:
    """One person through a flow, waiting for each reply as a person would."""
    for number, (kind, content, replies) in enumerate(steps):
        before = len(arrivals.times[user.chat_id])
        started = time.perf_counter()
        # One Bot API round trip before the first reply: the sendMessage (a button's callback
        # query is answered in the webhook's HTTP answer, which adds none).
        round_trips = 1
        if echo:
            await user.send_text(f"step {number}: {content[:40]}")
            replies = 1
        elif kind == "command":
            await user.send_command(content)
        elif kind == "text":
            await user.send_text(content)
        else:
            await press(user, content)
        result.updates += 1
        if not await arrivals.wait_for(user.chat_id, before + replies, STEP_TIMEOUT):
            result.lost += 1
            return
        first = arrivals.times[user.chat_id][before] - started
        result.latencies.append(first)
        result.own.append(max(0.0, first - round_trips * latency))


async def press(user: SimulatedUser, action: str) -> None:
    await user.press_newest(lambda data: decode_callback(data)[1] == action)


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---------------------------------------------------------------------------- scenarios
@dataclass
class Figures:
    label: str
    updates: int
    wall: float
    cpu: float
    lost: int
    latencies: list[float]
    own: list[float]
    rss_mb: float
    loop_cpu: float = float("nan")  # of it, the bot processes' main threads (event loops)

    @property
    def rate(self) -> float:
        return self.updates / self.wall if self.wall else float("nan")

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.updates * 1000 if self.updates else float("nan")

    def line(self) -> str:
        loop = self.loop_cpu / self.updates * 1000 if self.updates else float("nan")
        return (f"{self.label:<40} {self.rate:7.1f} upd/s  CPU {self.cpu_ms:5.2f} ms/upd  "
                f"(loop {loop:4.2f})  "
                f"p50 {percentile(self.latencies, .5) * 1000:6.1f}  "
                f"p99 {percentile(self.latencies, .99) * 1000:6.1f} ms  "
                f"(own p50 {percentile(self.own, .5) * 1000:5.1f} "
                f"p99 {percentile(self.own, .99) * 1000:6.1f})  "
                f"lost {self.lost}  RSS {self.rss_mb:.0f} MB  [{self.updates} upd]")


@dataclass
class Scenario:
    database: str  # sqlite | postgres | none (echo)
    workers: int
    latency: float
    flow: str
    users: int
    start_rate: float | None = None  # people starting per second; None: all at once


@contextlib.asynccontextmanager
async def py_spy(processes: Sequence[BotProcess], out: Path | None, label: str
                 ) -> AsyncIterator[None]:
    """py-spy on each worker while the block runs (Python CPU only: `--gil`), if out is set."""
    if out is None:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    spies = [await asyncio.create_subprocess_exec(
        os.environ.get("PY_SPY", "py-spy"), "record", "--gil", "-f", "raw", "-r", "250",
        "-p", str(process.process.pid), "-o", str(out / f"{label}-{number}.txt"),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        for number, process in enumerate(processes)]
    await asyncio.sleep(0.5)  # attached before the walk starts
    try:
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        await asyncio.gather(*(spy.wait() for spy in spies))


async def run_scenario(scenario: Scenario, *, echo: bool, postgres_url: str | None,
                       data_dir: Path, user_base: int, echo_transport: str = "httpx",
                       profile: Path | None = None) -> Figures:
    emulator = Emulator(webhook_max_attempts=50, webhook_retry_delay=0.05)
    await emulator.start()
    arrivals = Arrivals(emulator)
    processes: list[BotProcess] = []
    database = "sqlite" if echo else scenario.database
    try:
        async with fresh_database(database, postgres_url, data_dir) as database_url:
            if echo:
                processes.append(await start_process(
                    [sys.executable, str(ROOT / "bench" / "echo_bot.py"), "--api-url",
                     emulator.url, "--transport", echo_transport], data_dir / "echo.log"))
            else:
                processes += await asyncio.gather(*(start_process(worker_command(
                    database_url=database_url, api_url=emulator.url, data_dir=data_dir,
                    instances=scenario.workers, unlimited_sends=True),
                    data_dir / f"worker{number}.log") for number in range(scenario.workers)))
            async with round_robin([process.url for process in processes]) as url:
                await set_webhook(emulator, url, secret=None if echo else BENCH_SECRET)
                people = [emulator.user(user_base + number, first_name="P", language_code="en")
                          for number in range(scenario.users)]
                # Onboarding (and the first language detection's model load) is not measured.
                warm = WalkResult()
                await asyncio.gather(*(walk(person, [("command", "/start", 1)], arrivals, warm,
                                            latency=0, echo=echo) for person in people))
                if not echo:
                    # One person walks the longest flow first: the red-flag rules and language
                    # profiles load on first use, a one-off start-up cost, not a per-update one.
                    warm_up = emulator.user(user_base - 1, first_name="W", language_code="en")
                    await walk(warm_up, [("command", "/start", 1), *REPORT_FLOW], arrivals,
                               warm, latency=0, echo=False)
                await asyncio.sleep(0.3)  # stragglers of multi-message greetings
                emulator.faults.latency = scenario.latency
                steps = FLOWS[scenario.flow]
                result = WalkResult()
                spied = (f"{scenario.flow}-{scenario.database}-{scenario.workers}w-"
                         f"{scenario.latency * 1000:.0f}ms")
                async with py_spy(processes, None if echo else profile, spied):
                    cpu_before = sum(process.cpu_seconds() for process in processes)
                    loop_before = sum(process.loop_cpu_seconds() for process in processes)
                    started = time.perf_counter()

                    async def person_walk(index: int, person: SimulatedUser) -> None:
                        if scenario.start_rate:
                            await asyncio.sleep(max(0.0, started + index / scenario.start_rate
                                                    - time.perf_counter()))
                        await walk(person, steps, arrivals, result, latency=scenario.latency,
                                   echo=echo)

                    await asyncio.gather(*(person_walk(index, person)
                                           for index, person in enumerate(people)))
                    wall = time.perf_counter() - started
                    cpu = sum(process.cpu_seconds() for process in processes) - cpu_before
                    loop_cpu = (sum(process.loop_cpu_seconds() for process in processes)
                                - loop_before)
                rss = sum(process.rss_mb() for process in processes)
    finally:
        for process in processes:
            await process.stop()
        await emulator.stop()
    who = (f"echo bot ({echo_transport})" if echo
           else f"lurecheck {scenario.flow}, {database}, {scenario.workers}w")
    label = f"{who}, {scenario.latency * 1000:.0f} ms"
    return Figures(label, result.updates, wall, cpu, result.lost + len(emulator.webhook_dropped),
                   result.latencies, result.own, rss, loop_cpu)


def postgres_url_from(args: argparse.Namespace) -> str | None:
    url: str | None = args.postgres_url or os.environ.get("LURECHECK_TEST_POSTGRES_URL")
    return url.strip() if url else None


def _databases(args: argparse.Namespace) -> list[str]:
    wanted = [name.strip() for name in args.db.split(",") if name.strip()]
    if "postgres" in wanted and postgres_url_from(args) is None:
        print("PostgreSQL skipped: pass --postgres-url or set LURECHECK_TEST_POSTGRES_URL")
        wanted.remove("postgres")
    return wanted


async def throughput(args: argparse.Namespace) -> None:
    print(f"# throughput: {args.users} people each walk a flow; offer = /check + an offer "
          f"(2 updates), report = offer + the report walk (11 updates)")
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        user_base = 10_001
        for latency in [float(value) for value in args.latency.split(",")]:
            # Two references: python-telegram-bot as it comes (httpx, the reference),
            # and the same echo bot on lurecheck's transport (bot/telegram_http.py). The echo
            # bot's walk has as many updates as each flow's, step for step.
            references: dict[tuple[str, str], Figures] = {}
            for transport in ("httpx", "aiohttp"):
                for flow in ("offer", "report"):
                    references[flow, transport] = await run_scenario(
                        Scenario("sqlite", 1, latency, flow, args.users), echo=True,
                        postgres_url=None, data_dir=data_dir, user_base=user_base,
                        echo_transport=transport)
                    user_base += args.users + 1
                    print(f"{references[flow, transport].line()} ({flow}-sized)", flush=True)
            for database in _databases(args):
                for workers in [int(value) for value in args.workers.split(",")]:
                    for flow in ("offer", "report"):
                        figures = await run_scenario(
                            Scenario(database, workers, latency, flow, args.users), echo=False,
                            postgres_url=postgres_url_from(args), data_dir=data_dir,
                            user_base=user_base, profile=args.profile)
                        user_base += args.users + 1
                        print(figures.line(), flush=True)
                        for transport in ("httpx", "aiohttp"):
                            reference = references[flow, transport]
                            print(f"    vs echo bot ({transport}): throughput "
                                  f"{figures.rate / reference.rate:4.0%}, CPU per update "
                                  f"{figures.cpu_ms / reference.cpu_ms:4.1f}×", flush=True)


async def latency_at_rate(args: argparse.Namespace) -> None:
    people = int(args.rate * args.seconds / len(OFFER_FLOW))
    print(f"# latency at {args.rate:.0f} updates/s for {args.seconds:.0f} s: {people} people "
          f"start the offer flow at {args.rate / len(OFFER_FLOW):.0f}/s")
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        user_base = 20_001
        for latency in [float(value) for value in args.latency.split(",")]:
            for database in _databases(args):
                for workers in [int(value) for value in args.workers.split(",")]:
                    figures = await run_scenario(
                        Scenario(database, workers, latency, "offer", people,
                                 start_rate=args.rate / len(OFFER_FLOW)),
                        echo=False, postgres_url=postgres_url_from(args), data_dir=data_dir,
                        user_base=user_base)
                    user_base += people + 1
                    print(figures.line(), flush=True)


async def burst(args: argparse.Namespace) -> None:
    """Everyone sends /start within the window; Telegram's limits enforced on both sides."""
    print(f"# burst: {args.users} people send /start within {args.window:.0f} s; emulator "
          f"enforces 30/s overall and 1/s per chat; the bot's limiter as in production")
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        for latency in [float(value) for value in args.latency.split(",")]:
            for database in _databases(args):
                await one_burst(args, database, latency, data_dir)


async def one_burst(args: argparse.Namespace, database: str, latency: float,
                    data_dir: Path) -> None:
    emulator = Emulator(webhook_max_attempts=50, webhook_retry_delay=0.05)
    await emulator.start()
    arrivals = Arrivals(emulator)
    processes: list[BotProcess] = []
    try:
        async with fresh_database(database, postgres_url_from(args), data_dir) as database_url:
            processes += await asyncio.gather(*(start_process(worker_command(
                database_url=database_url, api_url=emulator.url, data_dir=data_dir,
                instances=args.workers), data_dir / f"burst{number}.log")
                for number in range(args.workers)))
            async with round_robin([process.url for process in processes]) as url:
                await set_webhook(emulator, url, secret=BENCH_SECRET)
                # How many messages one /start gets (measured, not assumed), before the limits.
                probe = emulator.user(1, language_code="en")
                await probe.send_command("/start")
                await arrivals.wait_for(1, 1, 30)
                await asyncio.sleep(1.5)
                per_start = len(arrivals.times[1])
                emulator.faults.configure({"rate_limits": True, "latency": latency})
                emulator.calls.clear()
                people = [emulator.user(100_000 + number, language_code="en")
                          for number in range(args.users)]
                started = time.perf_counter()
                for index, person in enumerate(people):
                    await asyncio.sleep(max(0.0, started + index * args.window / args.users
                                            - time.perf_counter()))
                    await person.send_command("/start")
                sent_by = time.perf_counter() - started
                deadline = started + args.timeout
                expected = per_start * len(people)
                while time.perf_counter() < deadline:
                    delivered = sum(len(arrivals.times[p.chat_id]) for p in people)
                    if delivered >= expected:
                        break
                    await asyncio.sleep(0.25)
                drained = time.perf_counter() - started
                delivered = sum(len(arrivals.times[p.chat_id]) for p in people)
                unanswered = sum(1 for p in people if len(arrivals.times[p.chat_id]) < per_start)
                refused = sum(1 for call in emulator.api_errors if call.status == 429)
                counts = await asyncio.to_thread(inbox_counts, database_url)
                cpu = sum(process.cpu_seconds() for process in processes)
                rss = sum(process.rss_mb() for process in processes)
    finally:
        for process in processes:
            await process.stop()
        await emulator.stop()
    print(f"burst {database}, {args.workers}w, {latency * 1000:.0f} ms: {len(people)} /start "
          f"sent in {sent_by:.1f} s; replies delivered {delivered}/{expected} "
          f"({per_start} per /start); people without their reply {unanswered}; lost "
          f"{expected - delivered} (webhook gave up on {len(emulator.webhook_dropped)}); "
          f"drained after {drained:.1f} s ({delivered / drained:.1f} msg/s); 429s provoked "
          f"{refused}; inbox {counts}; bot CPU {cpu:.1f} s, RSS {rss:.0f} MB", flush=True)


# ---------------------------------------------------------------------------- memory
def _message_json(chat_id: int, text: str, message_id: int) -> dict[str, Any]:
    return {"message_id": message_id, "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "P"}}


async def memory(args: argparse.Namespace) -> None:
    """RSS as distinct people talk to the real application in this process."""
    from telegram.request import BaseRequest, RequestData

    import bot.app
    from bot.app import build_application
    from bot.ratelimit import TelegramRateLimiter
    from storage.db import create_db_engine, migrate

    class StubRequest(BaseRequest):
        """Answers every Bot API call at once: what is measured is the bot, not a network."""

        def __init__(self) -> None:
            self.next_id = 1

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        @property
        def read_timeout(self) -> float | None:
            return 5.0

        async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                             read_timeout: Any = None, write_timeout: Any = None,
                             connect_timeout: Any = None, pool_timeout: Any = None,
                             ) -> tuple[int, bytes]:
            endpoint = url.rsplit("/", 1)[1]
            params = request_data.parameters if request_data else {}
            result: Any = True
            if endpoint == "getMe":
                result = {"id": 42, "is_bot": True, "first_name": "LureCheck",
                          "username": "lurecheck_test_bot"}
            elif endpoint == "sendMessage":
                self.next_id += 1
                result = _message_json(int(str(params["chat_id"])), str(params["text"]),
                                       self.next_id)
            return 200, json.dumps({"ok": True, "result": result}).encode()

    class Unlimited(TelegramRateLimiter):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.update(overall_per_second=1e9, chat_per_second=1e9, chat_burst=1e9)
            super().__init__(**kwargs)

    bot.app.TelegramRateLimiter = Unlimited  # type: ignore[misc]
    # The database file lives in RAM when possible: fsync per commit would make this a disk
    # benchmark taking half an hour. The file is outside this process, so not in its RSS.
    ram = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=ram) as directory:
        database_url = f"sqlite:///{Path(directory) / 'memory.sqlite3'}"
        migrate(database_url)
        settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url,
                            secret_key=BENCH_PSEUDONYM_KEY, data_dir=Path(directory),
                            telegram_api_url="http://127.0.0.1:9")
        engine = create_db_engine(database_url)
        application = build_application(settings, engine=engine, polling=False)
        application.bot._request = (StubRequest(), StubRequest())  # type: ignore[attr-defined]
        rss_start = process_rss_mb(os.getpid())
        print(f"# memory: {args.users} distinct people send /start, every tenth then an offer, "
              f"through Application.process_update (in-process, Bot API stubbed); "
              f"RSS before start-up {rss_start:.0f} MB")
        async with application:
            await application.start()
            update_id = 1

            def update_for(user_id: int, text: str) -> dict[str, Any]:
                nonlocal update_id
                update_id += 1
                entities = [{"type": "bot_command", "offset": 0, "length": len(text)}] \
                    if text.startswith("/") else []
                return {"update_id": update_id, "message": {
                    "message_id": update_id, "date": int(time.time()), "text": text,
                    "entities": entities,
                    "from": {"id": user_id, "is_bot": False, "first_name": "P",
                             "language_code": "en"},
                    "chat": {"id": user_id, "type": "private", "first_name": "P"}}}

            from telegram import Update

            async def talk(user_id: int) -> None:
                # Everyone says /start; every tenth person then has an offer checked.
                for text in ("/start", LURE) if user_id % 10 == 0 else ("/start",):
                    update = Update.de_json(update_for(user_id, text), application.bot)
                    await application.process_update(update)

            await talk(10**9)  # rules and language profiles load on first use
            gc.collect()
            rss_ready = process_rss_mb(os.getpid())
            print(f"after start-up and one person: {rss_ready:.0f} MB")
            started = time.perf_counter()
            checkpoint = max(1, args.users // 5)
            batch = 16
            for first in range(2, args.users + 2, batch):
                await asyncio.gather(*(talk(user_id) for user_id in
                                       range(first, min(first + batch, args.users + 2))))
                done = first + batch - 2
                if done % checkpoint < batch:
                    print(f"{min(done, args.users):>7} people: RSS "
                          f"{process_rss_mb(os.getpid()):.0f} MB "
                          f"({time.perf_counter() - started:.0f} s)", flush=True)
            gc.collect()
            rss_end = process_rss_mb(os.getpid())
            print(f"after {args.users} people (gc): RSS {rss_end:.0f} MB, "
                  f"{(rss_end - rss_ready) * 1024 * 1024 / args.users:.0f} bytes per person; "
                  f"{args.users * 1.1 / (time.perf_counter() - started):.0f} updates/s in-process")
            await application.stop()
        engine.dispose()


# ---------------------------------------------------------------------------- CLI
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser, *, db: str, latency: str = "0,0.05") -> None:
        command.add_argument("--db", default=db, help="sqlite,postgres")
        command.add_argument("--latency", default=latency,
                             help="emulator round trips to add, seconds, comma-separated")
        command.add_argument("--postgres-url", default=None)

    run = sub.add_parser("throughput")
    common(run, db="sqlite")
    run.add_argument("--workers", default="1,2")
    run.add_argument("--users", type=int, default=40)
    run.add_argument("--profile", type=Path, default=None,
                     help="py-spy each bot worker during the measured walk; files to this dir")
    run = sub.add_parser("latency")
    common(run, db="sqlite")
    run.add_argument("--workers", default="1")
    run.add_argument("--rate", type=float, default=50.0)
    run.add_argument("--seconds", type=float, default=10.0)
    run = sub.add_parser("burst")
    common(run, db="sqlite")
    run.add_argument("--users", type=int, default=2000)
    run.add_argument("--window", type=float, default=10.0)
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--timeout", type=float, default=240.0)
    run = sub.add_parser("memory")
    run.add_argument("--users", type=int, default=100_000)
    worker = sub.add_parser("worker", help="(internal) one bot web process")
    worker.add_argument("--database-url", required=True)
    worker.add_argument("--api-url", required=True)
    worker.add_argument("--data-dir", required=True)
    worker.add_argument("--port", type=int, default=0)
    worker.add_argument("--instances", type=int, default=1)
    worker.add_argument("--unlimited-sends", action="store_true")
    worker.add_argument("--stale-claim-seconds", type=float, default=None)
    worker.add_argument("--staff-chat-id", type=int, default=None)
    args = parser.parse_args(argv)

    if args.command != "worker":
        logging.basicConfig(level=logging.ERROR)
    commands: dict[str, Callable[[argparse.Namespace], Any]] = {
        "throughput": throughput, "latency": latency_at_rate, "burst": burst, "memory": memory,
        "worker": _serve_worker,
    }
    if args.command != "worker":
        print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
              f"Python {sys.version.split()[0]}")
    asyncio.run(commands[args.command](args))
    if args.command == "worker":
        return
    print(f"# load average (1 min) at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
