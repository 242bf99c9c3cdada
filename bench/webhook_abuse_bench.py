"""The webhook's latency under abuse (issue 17): quiet, during a login flood, and with 200 slow
clients. Prints figures; never run by CI, asserts nothing.

    .venv/bin/python bench/webhook_abuse_bench.py [--rate 25] [--seconds 8] [--flooders 32]

The webhook server runs in its own process exactly as `python -m bot run` serves it
(`bot.web.create_web_app` behind `review.server`'s deadlines, SQLite, the staff app mounted under
/review), its replies going to the Bot API emulator in this process. Everything is on 127.0.0.1
and bounded in time and connections. Phases, each `--seconds` long (slow clients: at least 40 s,
so the deadlines have time to act):

- quiet: updates POSTed to /telegram at `--rate` per second, each timed until its 200;
- login flood: the same, while `--flooders` clients post logins with sprayed usernames and
  wrong passwords as fast as they are answered;
- slow clients: the same, while 200 connections misbehave — a third idle, a third trickling
  headers, a third trickling a body, one byte a second — reconnecting when cut (40 s, so the
  30 s body deadline acts too);
- quiet again, to show the machine's own noise.

`--rounds N` repeats quiet → flood → quiet → slow clients N times and judges each abuse phase
against the quiet phase next to it (the machine's noise drifts over a minute), then prints the
median ratio over the rounds. `--pin` (on by default with two or more CPUs) runs the server on
CPU 0 and everything that attacks or measures it on the other CPUs: in production the
attackers' own CPU is not the server's, and on a 2-core test machine their work would
otherwise be counted as the server's slowness.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import aiohttp  # noqa: E402 (after the sys.path line)

from emulator import DEFAULT_TOKEN, Emulator  # noqa: E402 (after the sys.path line)

SECRET = "bench-webhook-secret_0123456789"
KEY = b"bench-pseudonym-key-not-for-production-0123"


# ------------------------------------------------------------------------------ server process
async def _serve(database_url: str, api_url: str, data_dir: str) -> None:
    from bot.app import build_application
    from bot.config import Settings
    from bot.logs import configure_logging
    from bot.web import create_web_app
    from review import server as server_limits
    from review.auth import hash_password
    from storage.db import create_db_engine, migrate, session_scope
    from storage.models import StaffRole
    from storage.staff import create_staff_user

    configure_logging("ERROR")
    settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url, secret_key=KEY,
                        data_dir=Path(data_dir), telegram_api_url=api_url, webhook_secret=SECRET,
                        webhook_url="http://127.0.0.1/telegram")
    engine = create_db_engine(database_url)
    migrate(engine)
    with session_scope(engine) as session:
        create_staff_user(session, username="ana", password_hash=hash_password("a long passphrase 1"),
                          role=StaffRole.admin)
    application = build_application(settings, engine=engine, polling=False)
    app = create_web_app(settings, application, engine=engine)
    runner, _site = await server_limits.start_server(app, host="127.0.0.1", port=0)
    print(f"ready {runner.addresses[0][1]}", flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    engine.dispose()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ------------------------------------------------------------------------------ load
_update_ids = itertools.count(1)


async def _webhook_load(session: aiohttp.ClientSession, url: str, *, rate: float,
                        seconds: float) -> list[float]:
    """Updates at a fixed rate (open loop), each timed until its answer; seconds per update."""
    latencies: list[float] = []
    errors = 0

    async def one(update_id: int) -> None:
        nonlocal errors
        chat = 100_000 + update_id
        body = {"update_id": update_id, "message": {
            "message_id": 1, "date": int(time.time()), "text": "/start",
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "B"}}}
        started = time.perf_counter()
        try:
            async with session.post(url, data=json.dumps(body), headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}) as answer:
                await answer.read()
                if answer.status != 200:
                    errors += 1
        except aiohttp.ClientError:
            errors += 1
        latencies.append(time.perf_counter() - started)

    tasks = []
    start = time.perf_counter()
    for index in range(int(rate * seconds)):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(next(_update_ids))))
    await asyncio.gather(*tasks)
    if errors:
        print(f"    ({errors} webhook errors)")
    return latencies


async def _login_flood(base: str, stop: asyncio.Event, outcomes: Counter[Any], flooders: int) -> None:
    names = itertools.count()

    async def flooder() -> None:
        async with aiohttp.ClientSession() as session:
            while not stop.is_set():
                name = f"sprayed{next(names)}"
                try:
                    async with session.post(f"{base}/review/login", data={
                            "login_token": "t" * 32, "username": name, "password": "guess"},
                            headers={"Cookie": "lurecheck_review_login=" + "t" * 32}) as answer:
                        await answer.read()
                        outcomes[answer.status] += 1
                except aiohttp.ClientError:
                    outcomes[0] += 1

    await asyncio.gather(*(flooder() for _ in range(flooders)))


async def _slow_clients(port: int, stop: asyncio.Event, stats: Counter[Any], count: int = 200) -> None:
    async def one(kind: str) -> None:
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                stats["connect failed"] += 1
                await asyncio.sleep(1)
                continue
            opened = time.monotonic()
            if kind == "body":
                writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
                             + SECRET.encode() + b"\r\nContent-Length: 100000\r\n\r\n{")
            elif kind == "headers":
                writer.write(b"POST /review/login HTTP/1.1\r\n")
            try:
                while not stop.is_set():
                    if kind != "idle":
                        writer.write(b"X" if kind == "body" else b"X-A: b\r\n"[:1])
                        await writer.drain()
                    try:
                        data = await asyncio.wait_for(reader.read(1024), 1.0)
                        if not data:
                            break  # closed by the server
                    except TimeoutError:
                        continue
            except (ConnectionError, OSError):
                pass
            if not stop.is_set():
                stats[f"{kind} cut"] += 1
                stats[f"{kind} seconds"] += int(time.monotonic() - opened)
            writer.close()

    kinds = ["idle", "headers", "body"]
    await asyncio.gather(*(one(kinds[index % 3]) for index in range(count)))


async def _abuse(kind: str, port: int, count: int) -> None:
    """An abuser process (so its own work does not slow the measuring loop): until SIGTERM, then
    its counts as one JSON line."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    stats: Counter[Any] = Counter()
    print("ready", flush=True)
    if kind == "login":
        await _login_flood(f"http://127.0.0.1:{port}", stop, stats, count)
    else:
        await _slow_clients(port, stop, stats, count)
    print(json.dumps({str(key): value for key, value in stats.items()}), flush=True)


async def _start_abuser(kind: str, port: int, count: int, *, pin: bool) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), "abuse", kind, str(port), str(count),
        stdout=asyncio.subprocess.PIPE, cwd=ROOT)
    if pin:
        _pin(process.pid, _other_cpus())
    assert process.stdout is not None
    await asyncio.wait_for(process.stdout.readline(), 60)
    await asyncio.sleep(1)  # under way before the measuring starts
    return process


async def _stop_abuser(process: asyncio.subprocess.Process) -> dict[str, int]:
    process.send_signal(signal.SIGTERM)
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    await process.wait()
    return dict(json.loads(line))


SERVER_CPUS = {0}


def _pin(pid: int, cpus: set[int]) -> None:
    """Keep a process on these CPUs (Linux); a no-op where affinity is not available."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(pid, cpus)


def _other_cpus() -> set[int]:
    return set(range(os.cpu_count() or 1)) - SERVER_CPUS or SERVER_CPUS


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


# ------------------------------------------------------------------------------ main
async def _main(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]
    emulator = Emulator()
    await emulator.start()
    workdir = Path(tempfile.mkdtemp(prefix="lurecheck-abuse-"))
    database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), "serve", database_url, emulator.url, str(workdir),
        stdout=asyncio.subprocess.PIPE, stderr=(workdir / "server.log").open("ab"), cwd=ROOT)
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 120)
    port = int(line.split()[1])
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/telegram"
    pin = args.pin and (os.cpu_count() or 1) >= 2
    if pin:
        _pin(process.pid, SERVER_CPUS)
        _pin(os.getpid(), _other_cpus())
    rows: list[tuple[str, list[float], str]] = []
    ratios: dict[str, list[float]] = {"login flood": [], "200 slow clients": []}
    try:
        async with aiohttp.ClientSession() as session:
            await _webhook_load(session, url, rate=args.rate, seconds=2)  # warm up
            for round_number in range(1, args.rounds + 1):
                quiet = await _webhook_load(session, url, rate=args.rate, seconds=args.seconds)
                rows.append((f"{round_number}. quiet", quiet, f"server RSS {_rss_mb(process.pid):.0f} MB"))
                flood = await _start_abuser("login", port, args.flooders, pin=pin)
                flooded = await _webhook_load(session, url, rate=args.rate, seconds=args.seconds)
                rss = _rss_mb(process.pid)
                outcomes = await _stop_abuser(flood)
                rows.append((f"{round_number}. login flood", flooded,
                             f"logins answered {outcomes} · server RSS {rss:.0f} MB"))
                ratios["login flood"].append(_p(flooded, 0.99) / _p(quiet, 0.99))

                await asyncio.sleep(2)
                quiet = await _webhook_load(session, url, rate=args.rate, seconds=args.seconds)
                rows.append((f"{round_number}. quiet", quiet, "(next to the slow clients)"))
                slow = await _start_abuser("slow", port, 200, pin=pin)
                slowed = await _webhook_load(session, url, rate=args.rate,
                                             seconds=max(args.seconds, 40))
                stats = await _stop_abuser(slow)
                cut = {kind: (stats.get(f"{kind} cut", 0),
                              stats.get(f"{kind} seconds", 0) / max(1, stats.get(f"{kind} cut", 0)))
                       for kind in ("idle", "headers", "body")}
                rows.append((f"{round_number}. 200 slow clients", slowed, "cut by the server: " + ", ".join(
                    f"{kind} {n} (after {mean:.0f} s)" for kind, (n, mean) in cut.items())))
                ratios["200 slow clients"].append(_p(slowed, 0.99) / _p(quiet, 0.99))
                await asyncio.sleep(2)
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()
        await emulator.stop()
    print(f"webhook POST /telegram at {args.rate}/s, {os.cpu_count()} CPUs, SQLite, loopback, "
          f"{'server pinned to CPU 0, load and abusers on the others' if pin else 'not pinned'}, "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"{'phase':22} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, values, note in rows:
        print(f"{name:22} {len(values):5d} {_p(values, 0.5):8.1f} {_p(values, 0.99):8.1f} "
              f"{max(values) * 1000:8.1f}")
        print(f"{'':22} {note}")
    for name, values in ratios.items():
        shown = ", ".join(f"{ratio:.2f}" for ratio in values)
        print(f"p99 {name} / p99 of the quiet phase before it: {shown}; "
              f"median {statistics.median(values):.2f} (target ≤ 2)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        asyncio.run(_serve(*sys.argv[2:5]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "abuse":
        asyncio.run(_abuse(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=25.0, help="webhook updates per second")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--flooders", type=int, default=32, help="concurrent login flooders")
    parser.add_argument("--rounds", type=int, default=3, help="quiet/abuse rounds (median reported)")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                        help="server on CPU 0, load and abusers on the other CPUs")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
