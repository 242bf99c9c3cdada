"""Slow-client limits for the aiohttp servers (the webhook server, bot/web.py, and the staff app
served alone, `python -m bot review`).

aiohttp closes a keep-alive connection after `keepalive_timeout`, but it waits for ever for the
headers of a request and for its body: 200 clients trickling a byte every few seconds, or
connecting and saying nothing, held 200 connections open for as long as they liked (issue 17).
Three deadlines, each enforced by a timer per connection (no polling):

- **idle**: a connection that sends nothing — before its first request or after a response — is
  closed after `idle` seconds (aiohttp's `keepalive_timeout` is set to the same value);
- **headers**: from the first byte of a request, its headers must be complete (the request
  reaches the application) within `headers` seconds;
- **body**: a request's body must have arrived within `body` seconds of its headers.

Body sizes are limited per route by the applications (`client_max_size`, review.app.body_limits).
A reverse proxy in front (deploy/Caddyfile) has its own limits; these are the last line.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

HandlerFn = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ServerLimits:
    idle: float = 15.0  # seconds without a byte between requests
    headers: float = 10.0  # seconds from a request's first byte to its complete headers
    body: float = 30.0  # seconds from complete headers to the end of the body
    max_line_size: int = 8190  # request line and each header line, bytes
    max_field_size: int = 8190
    max_headers: int = 64  # header lines per request


DEFAULT_LIMITS = ServerLimits()


class _Guard(asyncio.Protocol):
    """Wraps aiohttp's protocol for one connection and closes it when a deadline passes."""

    def __init__(self, inner: asyncio.Protocol, limits: ServerLimits, registry: _Registry) -> None:
        self._inner = inner
        self._limits = limits
        self._registry = registry
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._active = 0  # requests being handled (reached the application)
        self._awaiting_headers = False
        self.cut = False

    # --- asyncio.Protocol, delegated ---
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._registry.by_transport[transport] = self
        self._arm(self._limits.idle)
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._active == 0 and not self._awaiting_headers:
            # The first byte of a new request: its headers have `headers` seconds from now.
            self._awaiting_headers = True
            self._arm(self._limits.headers)
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._transport is not None:
            self._registry.by_transport.pop(self._transport, None)
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    # --- called by the middleware ---
    def request_started(self) -> None:
        self._active += 1
        self._awaiting_headers = False
        self._disarm()

    def request_finished(self) -> None:
        self._active -= 1
        if self._active == 0:
            self._arm(self._limits.idle)

    # --- timers ---
    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = asyncio.get_running_loop().call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        if self._active == 0 and self._transport is not None and not self._transport.is_closing():
            if self._transport.get_write_buffer_size() > 0 and not self._awaiting_headers:
                # Still sending a response to a slow reader: not idle yet.
                self._arm(self._limits.idle)
                return
            self.cut = True
            self._registry.cut += 1
            self._transport.abort()


class _Registry:
    def __init__(self, limits: ServerLimits) -> None:
        self.limits = limits  # the serving site's, once it starts
        self.by_transport: dict[Any, _Guard] = {}
        self.cut = 0  # connections closed by a deadline


REGISTRY = web.AppKey("server_limits_registry", _Registry)


def install(app: web.Application, limits: ServerLimits = DEFAULT_LIMITS) -> None:
    """Add the deadline middleware to a root app (before it is frozen)."""
    app[REGISTRY] = _Registry(limits)
    app.middlewares.insert(0, _deadlines)


@web.middleware
async def _deadlines(request: web.Request, handler: HandlerFn) -> web.StreamResponse:
    registry = request.app[REGISTRY]
    guard = registry.by_transport.get(request.transport)
    if guard is None:  # served without a guarded site (tests' TestServer): body deadline only
        return await _with_body_deadline(request, handler, registry)
    guard.request_started()
    try:
        return await _with_body_deadline(request, handler, registry)
    finally:
        guard.request_finished()


async def _with_body_deadline(request: web.Request, handler: HandlerFn,
                              registry: _Registry) -> web.StreamResponse:
    if not request.body_exists or request.content.is_eof():
        return await handler(request)
    cut = False

    def expire() -> None:
        # Still not the whole body: drop the connection (the handler's read fails with it).
        nonlocal cut
        if not request.content.is_eof() and request.transport is not None:
            cut = True
            registry.cut += 1
            request.transport.abort()

    timer = asyncio.get_running_loop().call_later(registry.limits.body, expire)
    try:
        return await handler(request)
    except ConnectionError:
        if not cut and request.content.is_eof():
            raise
        # Cut by us, or the client went away before its body ended: nobody is left to answer,
        # and it is no error of the application's.
        return web.Response(status=408, text="request body too slow" if cut else "client went away")
    finally:
        timer.cancel()


def handler_args(limits: ServerLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """aiohttp's own limits, for `web.AppRunner(app, **handler_args())`."""
    return {"keepalive_timeout": limits.idle, "max_line_size": limits.max_line_size,
            "max_field_size": limits.max_field_size, "max_headers": limits.max_headers}


class GuardedSite(web.TCPSite):
    """A TCPSite whose connections are wrapped in the deadline guard."""

    def __init__(self, runner: web.AppRunner, host: str | None, port: int,
                 limits: ServerLimits = DEFAULT_LIMITS) -> None:
        super().__init__(runner, host, port)
        self._limits = limits

    async def start(self) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        server = self._runner.server
        assert server is not None
        app = self._runner.app if isinstance(self._runner, web.AppRunner) else None
        registry = app.get(REGISTRY) if app is not None else None
        if registry is None:
            raise RuntimeError("call review.server.install(app) before serving it")
        limits = registry.limits = self._limits

        def factory() -> asyncio.Protocol:
            return _Guard(server(), limits, registry)

        self._server = await loop.create_server(factory, self._host, self._port,
                                                reuse_address=True, backlog=self._backlog)


async def start_server(app: web.Application, *, host: str, port: int,
                       limits: ServerLimits = DEFAULT_LIMITS) -> tuple[web.AppRunner, GuardedSite]:
    """Set up and start `app` (which `install` was called on) behind the deadlines."""
    runner = web.AppRunner(app, **handler_args(limits))
    await runner.setup()
    site = GuardedSite(runner, host, port, limits)
    await site.start()
    return runner, site


async def serve_forever(app: web.Application, *, host: str, port: int,
                        limits: ServerLimits = DEFAULT_LIMITS) -> None:
    """Serve until SIGINT or SIGTERM, then close gracefully (`python -m bot review`)."""
    runner, _site = await start_server(app, host=host, port=port, limits=limits)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await stop.wait()
    finally:
        await runner.cleanup()
