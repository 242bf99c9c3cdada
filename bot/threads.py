"""`in_thread`: run a blocking call in the loop's default thread pool, as `asyncio.to_thread`
does, for less of the event loop's CPU.

`asyncio.to_thread` copies the context, goes through `run_in_executor`, and chains the pool's
`concurrent.futures.Future` to an asyncio future (`wrap_future`: callbacks both ways, the
state copied over). Here the pool's thread hands the result straight to an asyncio future
with one `call_soon_threadsafe`. Used for the two hops of every update (storing it, its step)
and the inbox worker's claims; measured in bench/RESULTS.md (issue 21). Same threads (the
loop's default executor), same exceptions, same cancellation: a caller cancelled before a
thread takes the call up skips it (as `to_thread`'s cancelled pool future does), one
cancelled later stops waiting while the call runs to its end. Unlike `to_thread`, context
variables are not copied: nothing on these hops reads one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`await asyncio.to_thread(func, *args, **kwargs)`, in the same pool, with a cheaper
    hand-back."""
    loop = asyncio.get_running_loop()
    # The loop's own pool, created by its first `run_in_executor`; until then (or on a loop
    # without one) `to_thread` creates and uses it.
    executor = getattr(loop, "_default_executor", None)
    if not isinstance(executor, ThreadPoolExecutor):
        return await asyncio.to_thread(func, *args, **kwargs)
    future: asyncio.Future[T] = loop.create_future()
    executor.submit(_run, loop, future, func, args, kwargs)
    return await future


def _run(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any],
         func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if future.cancelled():  # the caller gave up before a thread was free: skip the call
        return
    try:
        result = func(*args, **kwargs)
    except BaseException as error:  # handed to the awaiting task, as to_thread does
        with suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
            loop.call_soon_threadsafe(_settle, future, None, error)
        return
    with suppress(RuntimeError):
        loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(future: asyncio.Future[Any], result: object, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled: nobody waits for it
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
