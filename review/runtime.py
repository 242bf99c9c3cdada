"""Process-wide start-up work shared by the staff app and the partner API (both servers mount
both, and `bench/` starts each alone)."""

from __future__ import annotations

import functools
import gc

from aiohttp import web


@functools.cache
def freeze_startup_objects() -> None:
    """Once per process, at server start: the ~1M objects of the imports (phone metadata,
    Telegram, SQLAlchemy, templates) go to the permanent generation, so a full collection no
    longer walks them. Each one took 60–90 ms in the middle of some request (the slowest 1 in
    30 page loads at 100,000 reports; a batch look-up of 1,000 contacts makes enough objects to
    set one off); after, ~6 ms. Once only: freezing again and again (a test process makes many
    apps) would keep every later garbage object alive."""
    gc.freeze()


async def freeze_on_startup(_app: web.Application) -> None:
    freeze_startup_objects()
