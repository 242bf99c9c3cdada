"""bot.threads.run_in_thread: what asyncio.to_thread does, for the update's hot path."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.threads import run_in_thread


def test_the_result_and_the_exception_come_back_from_another_thread() -> None:
    async def main() -> None:
        def call(a: int, *, b: int) -> tuple[int, int, int]:
            return a, b, threading.get_ident()

        def fails() -> None:
            raise KeyError("gone")

        a, b, thread = await run_in_thread(call, 1, b=2)
        assert (a, b) == (1, 2) and thread != threading.get_ident()
        with pytest.raises(KeyError, match="gone"):
            await run_in_thread(fails)

    asyncio.run(main())


def test_a_slow_call_does_not_hold_up_the_next_one() -> None:
    # The inbox worker's step may wait on a lock (or a slow disk) while the webhook stores the
    # next update: each call gets a free thread, started if none is idle.
    release = threading.Event()

    async def main() -> None:
        slow = asyncio.ensure_future(run_in_thread(release.wait, 10))
        for _ in range(3):  # idle threads are reused meanwhile, the slow one is not
            assert await asyncio.wait_for(run_in_thread(lambda: "quick"), 5) == "quick"
        assert not slow.done()
        release.set()
        assert await slow is True

    asyncio.run(main())


def test_a_cancelled_wait_lets_the_call_finish_and_drops_its_outcome() -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def call() -> str:
        started.set()
        release.wait(10)
        finished.set()
        return "late"

    async def main() -> None:
        task = asyncio.ensure_future(run_in_thread(call))
        await asyncio.to_thread(started.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        release.set()
        await asyncio.to_thread(finished.wait, 10)
        await asyncio.sleep(0.05)  # its answer reaches the loop and is dropped, no error

    asyncio.run(main())
    assert finished.is_set()
