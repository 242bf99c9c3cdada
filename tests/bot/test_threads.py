"""bot.threads.in_thread: asyncio.to_thread's behaviour, in the loop's own pool."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.threads import in_thread


def _where(value: int) -> tuple[int, str]:
    return value + 1, threading.current_thread().name


async def test_runs_in_the_loops_default_pool_and_returns_the_result() -> None:
    # The first call (no pool yet) goes through to_thread, which creates the pool.
    first = await in_thread(_where, 1)
    main = threading.current_thread().name
    second = await in_thread(_where, 2)
    assert first[0] == 2 and second[0] == 3
    assert first[1] != main and second[1] != main
    pool = asyncio.get_running_loop()._default_executor  # type: ignore[attr-defined]
    assert pool is not None and second[1].startswith("asyncio")
    assert await asyncio.to_thread(lambda: threading.current_thread().name.startswith("asyncio"))


class _Boom(Exception):
    pass


def _fail() -> None:
    raise _Boom("no")


async def test_the_calls_exception_reaches_the_caller() -> None:
    await in_thread(_where, 0)  # the pool exists: the lean path
    with pytest.raises(_Boom, match="no") as raised:
        await in_thread(_fail)
    assert raised.value.__traceback__ is not None


async def test_a_cancelled_caller_leaves_the_call_to_finish() -> None:
    await in_thread(_where, 0)
    loop = asyncio.get_running_loop()
    errors: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _, context: errors.append(context))
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow() -> int:
        started.set()
        release.wait(5)
        finished.set()
        return 1

    task = asyncio.create_task(in_thread(slow))
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    await asyncio.to_thread(finished.wait, 5)
    await asyncio.sleep(0.05)  # the late result reaches the loop: dropped, no error
    assert finished.is_set()
    assert errors == []
    assert (await in_thread(_where, 5))[0] == 6


async def test_a_call_cancelled_before_a_thread_takes_it_up_is_skipped() -> None:
    """As with to_thread, whose cancelled pool future never runs: here the pool's one
    thread is busy, the second call's caller is cancelled while it waits, and it never runs."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
    await asyncio.to_thread(lambda: None)  # the loop's pool is that one
    release = threading.Event()
    ran: list[str] = []
    busy = asyncio.create_task(in_thread(release.wait, 5))
    waiting = asyncio.create_task(in_thread(ran.append, "ran"))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await busy
    await in_thread(lambda: None)  # the pool has taken up everything queued before
    assert ran == []
