"""Blocking database work off the event loop, for a third of `asyncio.to_thread`'s CPU.

Every update is handed to a thread twice (the webhook stores it, the worker runs its step).
`asyncio.to_thread` pays for generality there: a `concurrent.futures.Future` (with its
condition variable), the chaining of that future to an asyncio one, a copy of the context,
the executor's bookkeeping; ~50 us of CPU per hand-off here against ~15 us for `run_in_thread`
(measured in a loop of 8 concurrent hand-offs; bench/RESULTS.md). The threads take work from
one queue and answer through `call_soon_threadsafe`, as the executor's do in the end.

Same behaviour otherwise: the result or the exception comes back to the awaiting task; if that
task is cancelled the call still runs to its end in its thread (as with `to_thread`), its
outcome is dropped; as many threads as the default executor may start (min(32, CPUs + 4)),
started when no thread is idle. Context variables are not copied (nothing here uses them).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...],
             dict[str, Any]]


class _Threads:
    def __init__(self, max_threads: int) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._started = 0
        self._start_lock = threading.Lock()
        self._max = max_threads

    def submit(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any],
               call: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._jobs.put((loop, future, call, args, kwargs))
        # An idle thread will take it; otherwise start one, up to the maximum (as
        # ThreadPoolExecutor does), so a slow call never holds up the next one.
        if not self._idle.acquire(blocking=False):
            with self._start_lock:
                if self._started < self._max:
                    self._started += 1
                    threading.Thread(target=self._work, name=f"db-{self._started}",
                                     daemon=True).start()

    def _work(self) -> None:
        while True:
            loop, future, call, args, kwargs = self._jobs.get()
            try:
                result = call(*args, **kwargs)
            except BaseException as error:  # handed to the awaiting task, as to_thread does
                _answer(loop, future, None, error)
            else:
                _answer(loop, future, result, None)
            del loop, future, call, args, kwargs  # nothing kept alive while idle
            self._idle.release()


def _answer(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any,
            error: BaseException | None) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(_settle, future, result, error)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


_THREADS = _Threads(min(32, (os.cpu_count() or 1) + 4))


async def run_in_thread(call: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`await asyncio.to_thread(call, *args, **kwargs)`, on lurecheck's database threads."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    _THREADS.submit(loop, future, call, args, kwargs)
    return await future
