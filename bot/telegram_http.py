"""How lurecheck talks to the Bot API: python-telegram-bot's HTTP layer on aiohttp instead of
httpx, and a bot class that sends replies without parsing Telegram's answer.

Sending is the largest share of the worker's CPU: a py-spy profile of the report flow put
~35% of it inside httpx/httpcore (`bench/RESULTS.md`), which on every request builds a
`Request`, scans the pool with anyio (`get_extra_info` per idle connection), and streams the
body through several async generators. aiohttp, already here for the webhook server, does the
same request in roughly a third of the CPU (figures in bench/RESULTS.md). PTB supports this
through its `BaseRequest` interface; everything above it (retries, `RetryAfter`, the rate
limiter, error classes) is unchanged.

`LurecheckBot.send_html_message` sends a reply and keeps nothing of the answer: PTB's
`send_message` builds a `Message` (with its chat, sender and keyboard objects) from every
answer, which was ~11% of the worker's CPU and nothing here reads it. Errors still arrive as
PTB's exceptions (`RetryAfter`, `Forbidden`, …), through the same rate limiter.

Plain calls go as JSON bodies (the Bot API accepts `application/json`); calls that upload a
file go as multipart, as PTB's own request class does.

`trust_env` (proxy variables, `.netrc`) is read once per Bot API origin, not per call: aiohttp's
own `trust_env` re-reads the environment and `.netrc` on every request, in two thread hops
(`run_in_executor` for the netrc auth, `to_thread` for the proxy), which more than doubled a
reply's CPU on the event loop (bench/RESULTS.md, issue 21).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import Any

import aiohttp
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from telegram import InlineKeyboardMarkup, LinkPreviewOptions
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData
from yarl import URL

from storage.jsoncodec import dumps

_JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}
_PLAIN_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}

# What `trust_env` means for one origin: (proxy, proxy's auth, the Authorization header of the
# host's `.netrc` entry).
_Env = tuple[URL | None, aiohttp.BasicAuth | None, str | None]
_NO_ENV: _Env = (None, None, None)


def _env_for(url: URL) -> _Env:
    """The proxy and `.netrc` credentials aiohttp's `trust_env` would use for `url` (blocking:
    reads the environment and `~/.netrc`)."""
    proxy: URL | None = None
    proxy_auth: aiohttp.BasicAuth | None = None
    with suppress(LookupError):
        proxy, proxy_auth = get_env_proxy_for_url(url)
    authorization = None
    if url.host is not None and url.user is None:
        with suppress(LookupError):
            authorization = basicauth_from_netrc(netrc_from_env(), url.host).encode()
    return proxy, proxy_auth, authorization


def _with_auth(headers: dict[str, str], authorization: str | None) -> dict[str, str]:
    return headers if authorization is None else {**headers, "Authorization": authorization}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` over one `aiohttp.ClientSession` with a bounded connection pool.

    The pool is small on purpose (shared/engineering-notes.md §4: with many concurrent
    updates a large pool cost more than it gave); `pool_timeout` bounds the wait for a free
    connection, as in PTB's `HTTPXRequest`."""

    __slots__ = ("_connect_timeout", "_default_timeout", "_envs", "_media_write_timeout",
                 "_pool_size", "_pool_timeout", "_posts", "_read_timeout", "_session",
                 "_trust_env", "_write_timeout")

    def __init__(self, *, connection_pool_size: int = 16, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0,
                 trust_env: bool = True) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._trust_env = trust_env
        self._session: aiohttp.ClientSession | None = None
        self._default_timeout: aiohttp.ClientTimeout | None = None
        # trust_env, read once per origin (scheme, host, port): see the module's docstring.
        self._envs: dict[tuple[str, str | None, int | None], _Env] = {}
        # post_json's URLs, parsed once, with their origin's proxy and headers.
        self._posts: dict[str, tuple[URL, URL | None, aiohttp.BasicAuth | None,
                                     dict[str, str]]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # The session belongs to the running loop: created here, not in __init__. Its own
            # trust_env stays off: this class applies the environment (`_env`).
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                trust_env=False, auto_decompress=True)

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def _env(self, url: str | URL) -> _Env:
        """Proxy and `.netrc` auth for `url` when `trust_env`, read once per origin."""
        if not self._trust_env:
            return _NO_ENV
        if isinstance(url, str):
            try:
                url = URL(url)
            except ValueError:
                return _NO_ENV  # aiohttp's request fails on it as it did
        origin = (url.scheme, url.host, url.port)
        env = self._envs.get(origin)
        if env is None:
            env = self._envs[origin] = await asyncio.to_thread(_env_for, url)
        return env

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout,
                                uploads=uploads)
        data: Any = None
        headers = _PLAIN_HEADERS
        if request_data is not None:
            if uploads:
                data = _multipart(request_data)
            else:
                data = request_data.json_payload
                headers = _JSON_HEADERS
        proxy, proxy_auth, authorization = await self._env(url)
        try:
            async with session.request(method, url, data=data,
                                       headers=_with_auth(headers, authorization),
                                       timeout=timeout, proxy=proxy,
                                       proxy_auth=proxy_auth) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts subclass it
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    async def post_json(self, url: str, body: bytes) -> tuple[int, bytes]:
        """POST a JSON body already encoded (`LurecheckBot.send_html_message`), with this
        request's default timeouts and errors (`TimedOut`, `NetworkError`) as `do_request`'s."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._default_timeout
        if timeout is None:
            timeout = self._default_timeout = self._timeout(
                BaseRequest.DEFAULT_NONE, BaseRequest.DEFAULT_NONE, BaseRequest.DEFAULT_NONE,
                BaseRequest.DEFAULT_NONE, uploads=False)
        post = self._posts.get(url)
        if post is None:
            target = URL(url)  # parsed once per URL: replies all go to one
            proxy, proxy_auth, authorization = await self._env(target)
            post = self._posts[url] = (target, proxy, proxy_auth,
                                       _with_auth(_JSON_HEADERS, authorization))
        target, proxy, proxy_auth, headers = post
        try:
            async with session.post(target, data=body, headers=headers, timeout=timeout,
                                    proxy=proxy, proxy_auth=proxy_auth) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(self, read: ODVInput[float], write: ODVInput[float], connect: ODVInput[float],
                 pool: ODVInput[float], *, uploads: bool) -> aiohttp.ClientTimeout:
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        write_default = self._media_write_timeout if uploads else self._write_timeout
        write_s = write_default if isinstance(write, DefaultValue) else write
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        # aiohttp has no separate pool or write timeout: `connect` covers waiting for a pooled
        # connection plus opening one, and the body write is bounded by the socket's read
        # timeout on the answer, with `total` as the overall cap.
        waiting = None if pool_s is None or connect_s is None else pool_s + connect_s
        parts = [value for value in (waiting, write_s, read_s) if value is not None]
        total = sum(parts) if len(parts) == 3 else None
        return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect_s,
                                     sock_read=read_s)


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, mime_type = upload[0], upload[1], upload[2] if len(upload) > 2 else None
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NO_PREVIEW_JSON = {"is_disabled": True}


class _Answered(BaseRequest):
    """An answer already received, handed to PTB's own error mapping (`_request_wrapper`:
    `RetryAfter`, `Forbidden`, `BadRequest`, `ChatMigrated`…), so a reply sent without PTB's
    request path fails exactly as one sent through it."""

    __slots__ = ("_answer",)

    def __init__(self, status: int, payload: bytes) -> None:
        self._answer = (status, payload)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         ) -> tuple[int, bytes]:
        return self._answer


class LurecheckBot(ExtBot[int]):
    """PTB's `ExtBot` (rate limiter and all) plus a reply call that skips the answer's parse."""

    async def send_html_message(self, chat_id: int, text: str, *,
                                reply_markup: InlineKeyboardMarkup | dict[str, Any] | None = None
                                ) -> None:
        """`sendMessage` with HTML and no link previews, as every lurecheck reply is sent.
        `reply_markup` may be PTB's object or its Bot API JSON (bot.dispatch.keyboard).

        On `AiohttpRequest` (always, outside tests that bring their own request) the body is
        encoded once and posted as is, through the rate limiter like every call
        (`_send_json`): PTB's path (`_post` → `RequestData` → `RequestParameter` per field →
        JSON, then the answer parsed into a dict) was ~0.1 ms of CPU per reply
        (bench/RESULTS.md). Errors are PTB's classes either way."""
        request = self._request[1]
        if not isinstance(request, AiohttpRequest):
            data: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML",
                                    "link_preview_options": _NO_PREVIEW}
            if reply_markup is not None:
                data["reply_markup"] = reply_markup
            # `_post` is Bot's own path for every method (defaults, rate limiter, error
            # classes); this calls it like Bot.send_message does, minus the Message.de_json.
            await self._post("sendMessage", data)
            return
        body: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML",
                                "link_preview_options": _NO_PREVIEW_JSON}
        if reply_markup is not None:
            body["reply_markup"] = (reply_markup.to_dict()
                                    if isinstance(reply_markup, InlineKeyboardMarkup)
                                    else reply_markup)
        if self.rate_limiter is None:
            await self._send_json(request, body)
            return
        await self.rate_limiter.process_request(
            callback=self._send_json, args=(request, body), kwargs={}, endpoint="sendMessage",
            data=body, rate_limit_args=None)

    async def _send_json(self, request: AiohttpRequest, body: dict[str, Any]) -> bool:
        status, payload = await request.post_json(
            # Compact UTF-8 (storage.jsoncodec; json.dumps wrote \u escapes: the same text for
            # Telegram): a ~1 KB reply with emoji and Thai in 0.6 µs instead of 6.8.
            f"{self.base_url}/sendMessage", dumps(body))
        if not 200 <= status <= 299:
            # Raises what PTB raises for this answer.
            await _Answered(status, payload).post(f"{self.base_url}/sendMessage")
        return True
