"""Instructions (or CPU) of a flow step alone: `bot.dispatch.run_step` called in one thread.

    .venv/bin/python bench/step_cost_bench.py [--flow offer|report] [--people 20]
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/step_cost_bench.py \
        --callgrind --flow offer

What `update_cost_bench.py` measures minus the webhook's store, the inbox worker, the event
loop and the thread pool: the step's transaction (lock, flow, save) on SQLite in /dev/shm, for
the updates of `e2e_bench.py`'s flows, run one after the other in this thread. With nothing
else running in the process, callgrind's count of the measured steps repeats to within 0.1%
between runs (`update_cost_bench.py`'s moves by 1-3%: its threads interleave), so a change to
a flow, `storage/` or `screening/` of a few per cent is decided by one pair of runs.

Before measuring, one person walks the report flow (rules, language profiles and the report
index load; their report is the one later offers match) and every measured person sends
/start. `--cprofile FILE` writes cProfile's statistics of the measured steps.

`--parts` says where a step's CPU goes without a profiler's overhead per call (cProfile's
inflates code of many small calls: the fingerprint's ~200 hash calls per offer look several
times dearer than they are): each name given, a function as the module that calls it sees it,
is wrapped to add up the thread CPU of its outermost calls (`time.thread_time_ns`, ~1 us a
call), printed per call and per step:

    .venv/bin/python bench/step_cost_bench.py --flow offer --people 200 \
        --parts handlers.check_offer.assess_text,handlers.check_offer.match_offer
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from e2e_bench import BENCH_PSEUDONYM_KEY, BENCH_SECRET, FLOWS, Step  # noqa: E402 (after the sys.path line)

from bot.config import Settings  # noqa: E402 (after the sys.path line)
from bot.dispatch import event_from_payload, run_step  # noqa: E402 (after the sys.path line)
from bot.services import Services  # noqa: E402 (after the sys.path line)
from emulator import DEFAULT_TOKEN  # noqa: E402 (after the sys.path line)
from handlers.types import encode_callback  # noqa: E402 (after the sys.path line)
from storage.db import create_db_engine, migrate  # noqa: E402 (after the sys.path line)


class Walker:
    """Sends people's updates straight to `run_step`, as the inbox worker would."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.update_id = 0

    def _payload(self, person: int, kind: str, content: str, version: int) -> dict[str, Any]:
        self.update_id += 1
        sender = {"id": person, "is_bot": False, "first_name": "P", "language_code": "en"}
        chat = {"id": person, "type": "private", "first_name": "P"}
        if kind == "button":
            return {"update_id": self.update_id, "callback_query": {
                "id": f"q{self.update_id}", "data": encode_callback(version, content),
                "chat_instance": "1", "from": sender,
                "message": {"message_id": 1, "date": 0, "chat": chat}}}
        return {"update_id": self.update_id, "message": {
            "message_id": self.update_id, "date": 0, "chat": chat, "from": sender,
            "text": content}}

    def walk(self, person: int, steps: list[Step]) -> int:
        settings = self.services.settings
        version = 0
        for kind, content, _replies in steps:
            event = event_from_payload(self._payload(person, kind, content, version),
                                       key=settings.pseudonym_key,
                                       former_keys=settings.former_pseudonym_keys)
            assert event is not None
            version = run_step(self.services, event, replayable=True).version
        return len(steps)


def _instrument(callgrind: bool, *, on: bool) -> None:
    if callgrind:
        subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
                       check=True, capture_output=True)


def _timed_parts(names: str) -> tuple[Counter[str], Counter[str]]:
    """Wraps each `module.function` named (comma-separated) in its module: (thread CPU in ns,
    calls) of its outermost calls, counted while `_PARTS_ON` holds."""
    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    for name in filter(None, names.split(",")):
        module_name, _, attribute = name.rpartition(".")
        module = importlib.import_module(module_name)
        setattr(module, attribute, _timed(getattr(module, attribute), name, spent, calls))
    return spent, calls


_PARTS_ON = [False]


def _timed(function: Callable[..., Any], name: str, spent: Counter[str],
           calls: Counter[str]) -> Callable[..., Any]:
    depth = [0]

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.thread_time_ns()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0 and _PARTS_ON[0]:
                spent[name] += time.thread_time_ns() - started
                calls[name] += 1
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flow", default="offer", choices=sorted(FLOWS))
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--callgrind", action="store_true",
                        help="count instructions of the measured steps only (see above)")
    parser.add_argument("--cprofile", type=Path, help="write cProfile's statistics here")
    parser.add_argument("--parts", default="",
                        help="module.function,…: thread CPU of each (see above)")
    args = parser.parse_args()
    spent, calls = _timed_parts(args.parts)
    start: list[Step] = [("command", "/start", 1)]
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None
                                     ) as directory:
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        migrate(database_url)
        settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url,
                            secret_key=BENCH_PSEUDONYM_KEY, data_dir=Path(directory),
                            telegram_api_url="http://127.0.0.1:9", webhook_secret=BENCH_SECRET,
                            webhook_url="http://127.0.0.1/telegram")
        engine = create_db_engine(database_url)
        walker = Walker(Services(settings=settings, engine=engine))
        try:
            walker.walk(9_999, [*start, *FLOWS["report"]])
            people = range(10_000, 10_000 + args.people)
            for person in people:
                walker.walk(person, start)
            profile = cProfile.Profile() if args.cprofile else None
            _instrument(args.callgrind, on=True)
            cpu = time.thread_time()
            if profile is not None:
                profile.enable()
            _PARTS_ON[0] = True
            steps = sum(walker.walk(person, FLOWS[args.flow]) for person in people)
            _PARTS_ON[0] = False
            if profile is not None:
                profile.disable()
            cpu = time.thread_time() - cpu
            _instrument(args.callgrind, on=False)
        finally:
            engine.dispose()
    if profile is not None:
        profile.dump_stats(args.cprofile)
    print(f"{args.flow}: {steps} steps, CPU {cpu / steps * 1e6:.0f} us/step", flush=True)
    for name, total in spent.most_common():
        print(f"  {name:<55} {calls[name]:6} calls {total / calls[name] / 1e3:8.1f} us/call "
              f"{total / steps / 1e3:8.1f} us/step")


if __name__ == "__main__":
    main()
