"""Webhook server (aiohttp): persist-then-ack into the durable inbox, then workers process.

    POST /telegram          Telegram's updates; needs X-Telegram-Bot-Api-Secret-Token
    GET  /healthz           200 when the database answers
    GET  /metrics           Prometheus metrics
    /review/…               the staff web app, when the review package is installed

An update is written to the inbox before Telegram gets its 200, so an instance that dies
right after loses nothing; the updates posted while a store is in progress are written
together, in one transaction (`InboxStore`: group commit). Workers (in every instance) claim
updates — never two of one chat at once, and in order — or take the one just stored here
already claimed for them (`InboxWorker.reserve`/`take`, storage.inbox.enqueue_leased: no
claim transaction), process them (bot/dispatch.py: a private chat's straight from the JSON,
pictures included; groups with python-telegram-bot's objects) and mark them done (in the next
step's transaction or claim).
A failure before the step's state was stored hands the update back for a retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import secrets
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from aiohttp.web_log import AccessLogger
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot import metrics
from bot.app import build_application, publish_commands, start_background_jobs, stop_background_jobs
from bot.config import Settings
from bot.dispatch import Delivery, process_inbox_update
from bot.threads import in_thread
from review.api import create_api_app
from review.app import create_review_app
from review.server import GuardedSite, handler_args, install
from storage.db import (
    Database,
    connection_scope,
    create_db_engine,
    session_scope,
    statements_scope,
)
from storage.inbox import (
    ClaimedUpdate,
    claim_updates,
    enqueue_leased,
    enqueue_update,
    mark_all_done,
    mark_failed,
    pending_count,
    release_claims_of,
    release_stale,
    renew_claims_of,
)
from storage.jsoncodec import dumps, dumps_text, loads
from storage.models import InboxStatus
from storage.pseudonym import pseudonymise

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"
MAX_ATTEMPTS = 5
# A claim older than this belongs to a dead or hung worker and goes back to the queue.
STALE_CLAIM = timedelta(minutes=2)
IDLE_POLL_SECONDS = 0.5
# At most this many finished updates are marked done in one step's transaction.
MARK_DONE_BATCH = 64
UNCLAIMED_RETRY_SECONDS = 0.01
MAX_BODY_BYTES = 1_000_000
# At most this many updates stored in one transaction (`InboxStore`); Telegram posts at most
# 40 at once (`max_connections`).
STORE_BATCH = 100

APPLICATION_KEY = web.AppKey("ptb_application", Application)
ENGINE_KEY = web.AppKey("engine", Engine)

# The webhook's answers, bound once: `Counter.labels` takes a lock and checks its labels on
# every call (~3 µs), and `web.json_response` encodes through a JSONEncoder (~10 µs).
_STORED = metrics.WEBHOOK_REQUESTS.labels(status="200")
_OK_BODY = b"ok"
_ANSWER_PREFIX = b'{"method": "answerCallbackQuery", "callback_query_id": '


def _chat_of(payload: dict[str, Any]) -> int | None:
    # Any field may be junk (a bool, a list…): tests/e2e/test_fuzz_updates.py sends such bodies.
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = payload.get(key)
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    for value in (payload.get("callback_query"), *payload.values()):
        sender = value.get("from") if isinstance(value, dict) else None
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


def _callback_query_id(payload: dict[str, Any]) -> str | None:
    query = payload.get("callback_query")
    query_id = query.get("id") if isinstance(query, dict) else None
    return query_id if isinstance(query_id, str) and query_id else None


def _is_update_id(value: object) -> bool:
    """A positive integer that fits the inbox's BIGINT column."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


class InboxWorker:
    """Claims inbox updates and processes them, up to `concurrency` chats at a time."""

    def __init__(self, application: Application, engine: Engine, settings: Settings, *,
                 concurrency: int = 16, worker_id: str | None = None) -> None:
        self.application = application
        self.engine = engine
        self.settings = settings
        self.concurrency = concurrency
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        # Updates finished since the last claim: the next claim marks them done in its own
        # transaction, which saves a transaction per update (~1 ms CPU, bench/RESULTS.md).
        # Until then they stay `processing` under this worker's renewed claim, so a crash
        # meanwhile means "processed again" (the stored step resends its replies), never "lost".
        self._done: list[int] = []
        self._loop_task: asyncio.Task[None] | None = None
        # A claim is a transaction (~0.3-0.5 ms CPU): claim only when something may be
        # claimable, not after every finished update. `_backlog`: the last claim came back full
        # or could not run, so finishing an update should claim again. `_follow_ups`: chats
        # whose next update arrived here while one of theirs was in flight (claims skip such
        # a chat), claimable when it finishes. Updates posted to another instance are found
        # by the idle poll (IDLE_POLL_SECONDS) at the latest.
        self._backlog = False
        self._chat_of_task: dict[asyncio.Task[None], str] = {}
        self._busy_chats: dict[str, int] = {}
        self._follow_ups: set[str] = set()
        # With several instances a chat's consecutive updates land on different ones: an
        # update stored here may wait behind one of its chat's in flight elsewhere. Such chats
        # are re-claimed after a short, growing delay instead of the idle poll; and finished
        # updates are marked done at once, since another instance may be waiting for that mark.
        self._unclaimed: set[str] = set()
        self._retry_delay = UNCLAIMED_RETRY_SECONDS
        self._mark_done_promptly = settings.instances > 1
        # Leases (`reserve`, `take`): the webhook stores an update already claimed by this
        # worker and hands it over in memory, without a claim transaction (~0.3 ms CPU per
        # update), when its chat has nothing else unfinished. On SQLite the store's check is
        # atomic (writers are serialised), whatever the number of instances; on PostgreSQL
        # only with one instance, whose in-memory reservations (`_reserved`) stand in for the
        # concurrent inserts of a chat that a statement cannot see.
        self._leases = engine.dialect.name == "sqlite" or settings.instances == 1
        self._reserved: set[str] = set()

    def wake(self, chat_key: str | None = None) -> None:
        """An update was stored (for `chat_key`): claim it now, or once its chat is free."""
        if chat_key is not None and chat_key in self._busy_chats:
            self._follow_ups.add(chat_key)
            return
        if chat_key is not None:
            self._unclaimed.add(chat_key)
        self._wake.set()

    def reserve(self, chat_key: str) -> bool:
        """May the update of `chat_key` being stored be leased to this worker (`take`)? Then
        the chat is reserved until `take` or `unreserve`."""
        if (not self._leases or self._stopping.is_set() or chat_key in self._busy_chats
                or chat_key in self._reserved
                or len(self._in_flight) + len(self._reserved) >= self.concurrency):
            return False
        self._reserved.add(chat_key)
        return True

    def unreserve(self, chat_key: str) -> None:
        self._reserved.discard(chat_key)

    def finished_unmarked(self) -> list[int]:
        """Updates finished here whose done mark is not written yet (`enqueue_leased`)."""
        return list(self._done)

    def take(self, item: ClaimedUpdate, *,
             pseudonym: tuple[bytes, int, str] | None = None) -> None:
        """Process an update stored leased to this worker (`enqueue_leased`), as if claimed.
        `pseudonym`: the chat's, as the webhook just computed it (`Delivery.pseudonym`)."""
        self._reserved.discard(item.chat_key)
        if self._stopping.is_set():
            return  # stopping: `stop` hands it back to the queue with this worker's claims
        self._start(item, pseudonym)

    async def start(self) -> None:
        await asyncio.to_thread(self._release_stale)
        self._loop_task = asyncio.create_task(self._run(), name="inbox-worker")

    async def stop(self, *, grace_seconds: float = 10.0) -> None:
        """Stop claiming; let in-flight updates finish, hand the rest back to the inbox."""
        self._stopping.set()
        self._wake.set()
        if self._loop_task is not None:
            await self._loop_task
        if self._in_flight:
            _, pending = await asyncio.wait(self._in_flight, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*pending, return_exceptions=True)
        # Finished updates are marked done; whatever else this worker holds goes back to the
        # queue at once.
        done, self._done = self._done, []
        await asyncio.to_thread(self._release_mine, done)

    def _release_stale(self) -> None:
        with session_scope(self.engine) as db:
            # Our own claims are alive, however long they take (a long Telegram retry_after,
            # a slow picture): renew them first, or another worker would process them again
            # once they are STALE_CLAIM old and the person would get every reply twice.
            renew_claims_of(db, worker_id=self.worker_id)
            released = release_stale(db, older_than=STALE_CLAIM)
        if released:
            log.warning("returned stale inbox claims to the queue", extra={"count": released})

    def _release_mine(self, done: list[int]) -> None:
        with session_scope(self.engine) as db:
            mark_all_done(db, update_ids=done)
            release_claims_of(db, worker_id=self.worker_id)

    def _claim(self, limit: int, done: list[int]) -> list[ClaimedUpdate]:
        # Replayable (storage.db): if a power loss undoes this commit, the claim and the done
        # marks are simply undone; the updates are still durably in the inbox.
        # One statement on PostgreSQL (done marks + claim), in autocommit: one round trip.
        with connection_scope(self.engine, replayable=True, single_statement=True) as db:
            return claim_updates(db, worker_id=self.worker_id, limit=limit,
                                 seal_key=self.settings.seal_keys, done=done)

    async def _run(self) -> None:
        last_stale_check = asyncio.get_running_loop().time()
        while not self._stopping.is_set():
            free = self.concurrency - len(self._in_flight)
            # Cleared before claiming: a wake that comes during the claim is kept for the wait.
            self._wake.clear()
            if free > 0:
                done, self._done = self._done, []
                try:
                    claimed = await in_thread(self._claim, free, done)
                except Exception as error:  # the database may be restarting: wait, then retry
                    self._done[:0] = done  # not recorded: mark them done with the next claim
                    log.warning("inbox claim failed: %s", type(error).__name__)
                    await asyncio.sleep(1.0)
                    continue
                for item in claimed:
                    self._start(item)
                # Fewer than asked for: nothing else was claimable at that moment.
                self._backlog = len(claimed) >= free
                if self._backlog:
                    continue
            else:
                self._backlog = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._next_poll())
            now = asyncio.get_running_loop().time()
            if now - last_stale_check > STALE_CLAIM.total_seconds() / 2:
                last_stale_check = now
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self._release_stale)

    def _next_poll(self) -> float:
        """Seconds to wait for a wake-up: short while updates stored here went unclaimed."""
        if not self._unclaimed:
            self._retry_delay = UNCLAIMED_RETRY_SECONDS
            return IDLE_POLL_SECONDS
        delay = self._retry_delay
        self._retry_delay = min(delay * 2, IDLE_POLL_SECONDS)
        if delay >= IDLE_POLL_SECONDS:
            # Long blocked (or claimed by another instance): the idle poll will find them.
            self._unclaimed.clear()
        return delay

    def _start(self, item: ClaimedUpdate,
               pseudonym: tuple[bytes, int, str] | None = None) -> None:
        self._unclaimed.discard(item.chat_key)
        task = asyncio.create_task(self._process(item, pseudonym))
        self._in_flight.add(task)
        self._chat_of_task[task] = item.chat_key
        self._busy_chats[item.chat_key] = self._busy_chats.get(item.chat_key, 0) + 1
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        chat_key = self._chat_of_task.pop(task)
        remaining = self._busy_chats.pop(chat_key) - 1
        if remaining:
            self._busy_chats[chat_key] = remaining
        elif chat_key in self._follow_ups:
            self._follow_ups.discard(chat_key)
            self._wake.set()  # that chat's next update is claimable now
        if self._backlog or self._mark_done_promptly:
            self._wake.set()

    async def _process(self, item: ClaimedUpdate,
                       pseudonym: tuple[bytes, int, str] | None = None) -> None:
        # Every inbox update came through the webhook, whose answer acknowledged its button.
        # Finished updates ride on this step's transaction (marked done with it, or not at all).
        delivery = Delivery(attempt=item.attempts, final_attempt=item.attempts >= MAX_ATTEMPTS,
                            callback_answered=True, mark_done=self._done[:MARK_DONE_BATCH],
                            pseudonym=pseudonym)
        try:
            await process_inbox_update(self.application, item.payload, delivery=delivery)
            if delivery.committed and delivery.mark_done:
                marked = set(delivery.mark_done)
                self._done = [update_id for update_id in self._done if update_id not in marked]
        except Exception as error:  # malformed payload: never block the queue with it
            log.warning("skipped an update that could not be processed: %s",
                        type(error).__name__, extra={"update_id": item.update_id})
            delivery.failed = True
            delivery.error = type(error).__name__
            delivery.final_attempt = True
        await self._settle(item, delivery)

    async def _settle(self, item: ClaimedUpdate, delivery: Delivery) -> None:
        if not (delivery.failed and not delivery.committed):
            self._done.append(item.update_id)  # recorded by the next claim (see __init__)
            return
        for attempt in range(10):
            try:
                await asyncio.to_thread(self._record, item, delivery)
                return
            except Exception as error:  # database briefly away: keep the outcome, retry
                log.warning("could not record inbox outcome: %s", type(error).__name__)
                await asyncio.sleep(min(0.2 * 2 ** attempt, 5))
        log.error("gave up recording an inbox outcome; the claim will go stale and be retried",
                  extra={"update_id": item.update_id})

    def _record(self, item: ClaimedUpdate, delivery: Delivery) -> None:
        with session_scope(self.engine) as db:
            # final_attempt: out of attempts, or an update that can never be processed
            # (retrying a malformed one would only hold up its chat's next updates).
            parked = mark_failed(db, update_id=item.update_id, error=delivery.error or "error",
                                 max_attempts=item.attempts if delivery.final_attempt
                                 else MAX_ATTEMPTS)
            if parked:
                log.error("update parked after repeated failures",
                          extra={"update_id": item.update_id})


WORKER_KEY = web.AppKey("inbox_worker", InboxWorker)


@dataclass(slots=True)
class StoreRequest:
    """One webhook post's update, waiting to be stored (`InboxStore.store`). `finished`: the
    worker's finished, unmarked updates when the update is to be leased to it
    (`enqueue_leased`), None to store it pending (`enqueue_update`)."""

    update_id: int
    chat_key: str
    payload: dict[str, Any]
    finished: list[int] | None
    stored: asyncio.Future[bool]  # leased to the worker?


class InboxStore:
    """The webhook's store with group commit: the updates posted while a store is in progress
    are stored together, in arrival order, in one transaction (one FULL-synced commit, one hop
    to a database thread), by one task draining a queue. Each request is answered only once
    the transaction holding its update has committed (durable before Telegram's 200). If a
    batch fails, each of its updates is stored alone, so only one that cannot be stored fails
    (503: Telegram posts it again).
    A lone update is one statement, its own transaction (`statement_scope`), as before."""

    def __init__(self, engine: Engine, settings: Settings, worker_id: str) -> None:
        self.engine = engine
        self.settings = settings
        self.worker_id = worker_id
        self._queue: asyncio.Queue[StoreRequest] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def store(self, update_id: int, chat_key: str, payload: dict[str, Any], *,
                    finished: list[int] | None) -> bool:
        """Stores the update, durably; True if it was leased to the worker (`finished` given
        and its chat had nothing else unfinished). Raises if it could not be stored."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="inbox-store")
        request = StoreRequest(update_id, chat_key, payload, finished,
                               asyncio.get_running_loop().create_future())
        self._queue.put_nowait(request)
        return await request.stored

    async def stop(self) -> None:
        """After the server stopped taking requests: nothing is waiting to be stored."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        while not self._queue.empty():
            self._fail([self._queue.get_nowait()], ConnectionResetError("the server is stopping"))

    async def _drain(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty() and len(batch) < STORE_BATCH:
                batch.append(self._queue.get_nowait())
            try:
                await self._store_batch(batch)
            except asyncio.CancelledError:  # stopping (`stop`): nobody may wait in vain
                self._fail(batch, ConnectionResetError("the server is stopping"))
                raise

    async def _store_batch(self, batch: list[StoreRequest]) -> None:
        try:
            leased = await in_thread(self._persist, batch)
        except Exception as error:
            if len(batch) == 1:
                self._fail(batch, error)
                return
            # One update that cannot be stored must not fail the others with it, every time
            # Telegram posts them again: each is stored alone, as without group commit.
            for request in batch:
                await self._store_batch([request])
            return
        for request, was_leased in zip(batch, leased, strict=True):
            if not request.stored.done():
                request.stored.set_result(was_leased)

    @staticmethod
    def _fail(batch: list[StoreRequest], error: Exception) -> None:
        for request in batch:
            if not request.stored.done():
                request.stored.set_exception(error)

    def _persist(self, batch: list[StoreRequest]) -> list[bool]:
        # One statement alone: no BEGIN/COMMIT. Several: one transaction, stored or not at all.
        # In arrival order: a chat's leased update must see its earlier pending one.
        with statements_scope(self.engine, len(batch)) as db:
            return [self._insert(db, request) for request in batch]

    def _insert(self, db: Database, request: StoreRequest) -> bool:
        seal_key = self.settings.seal_keys
        if request.finished is None:
            enqueue_update(db, update_id=request.update_id, chat_key=request.chat_key,
                           payload=request.payload, seal_key=seal_key)
            return False
        return enqueue_leased(
            db, update_id=request.update_id, chat_key=request.chat_key, payload=request.payload,
            worker_id=self.worker_id, finished=request.finished,
            seal_key=seal_key) == InboxStatus.processing


class WebhookAccessLogger(AccessLogger):
    """aiohttp's access log without a line for each update Telegram posts that was stored
    (200 on the webhook's route): at INFO that line cost ~45 µs of the event loop per update
    (aiohttp's formatting, then `bot.logs`' privacy filter and JSON; bench/RESULTS.md, issue
    21), a tenth of the loop's share, and said nothing `lurecheck_webhook_requests_total`
    does not count. The webhook's other answers (401, 400, 503) and every other route (staff
    app, health, metrics) are logged as before. `webhook_path` is set by `webhook_runner`."""

    webhook_path = WEBHOOK_PATH

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if response.status == 200 and request.path == self.webhook_path:
            return
        super().log(request, response, time)


def webhook_runner(app: web.Application, settings: Settings) -> web.AppRunner:
    """The production runner of `create_web_app`'s app: review.server's limits, and the
    access log without the stored updates' lines (`WebhookAccessLogger`)."""
    path = webhook_path(settings)

    class AccessLog(WebhookAccessLogger):
        webhook_path = path

    return web.AppRunner(app, access_log_class=AccessLog, **handler_args())


def webhook_path(settings: Settings) -> str:
    """The route Telegram posts to: the path of WEBHOOK_URL, so a proxy can forward it as is."""
    path = urlparse(settings.webhook_url).path if settings.webhook_url else ""
    return path if path and path != "/" else WEBHOOK_PATH


def create_web_app(settings: Settings, application: Application, *, engine: Engine,
                   start_application: bool = True, worker_concurrency: int = 16) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    install(app)  # header, body and idle deadlines for slow clients (review/server.py)
    app[APPLICATION_KEY] = application
    app[ENGINE_KEY] = engine
    worker = InboxWorker(application, engine, settings, concurrency=worker_concurrency)
    app[WORKER_KEY] = worker
    store = InboxStore(engine, settings, worker.worker_id)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        if start_application:
            await application.initialize()
            await application.start()
            await _publish_commands(application)
        await worker.start()
        start_background_jobs(application)
        yield
        await stop_background_jobs(application)
        await store.stop()
        await worker.stop()
        if start_application:
            await application.stop()
            await application.shutdown()

    app.cleanup_ctx.append(lifecycle)

    expected = (settings.webhook_secret or "").encode()

    async def telegram_update(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not hmac.compare_digest(given.encode(), expected):
            metrics.WEBHOOK_REQUESTS.labels(status="401").inc()
            return web.Response(status=401, text="wrong secret token")
        try:
            payload = loads(await request.read())
            update_id = payload["update_id"]
        except (ValueError, KeyError, TypeError):
            metrics.WEBHOOK_REQUESTS.labels(status="400").inc()
            return web.Response(status=400, text="not a Telegram update")
        # An id the database cannot hold (found by tests/e2e/test_fuzz_updates.py) failed the
        # insert with 503, which makes Telegram post the same junk again forever.
        if not isinstance(payload, dict) or not _is_update_id(update_id):
            metrics.WEBHOOK_REQUESTS.labels(status="400").inc()
            return web.Response(status=400, text="not a Telegram update")
        chat_id = _chat_of(payload)
        pseudonym_key = settings.pseudonym_key
        chat_key = pseudonymise(chat_id if chat_id is not None else update_id, key=pseudonym_key)

        lease = worker.reserve(chat_key)
        try:
            # Durable (FULL on SQLite) when this returns, together with the updates posted
            # meanwhile (`InboxStore`: group commit).
            leased = await store.store(update_id, chat_key, payload,
                                       finished=worker.finished_unmarked() if lease else None)
        except Exception as error:
            worker.unreserve(chat_key)
            # Not stored: a non-2xx makes Telegram deliver it again later.
            log.error("could not store update: %s", type(error).__name__)
            metrics.WEBHOOK_REQUESTS.labels(status="503").inc()
            return web.Response(status=503, text="try again")
        if leased:
            # Stored claimed by this worker: processed from memory, no claim transaction.
            # With the pseudonym just computed under the current key (an update claimed from
            # the inbox may have been stored under a former one): the event reuses it.
            worker.take(ClaimedUpdate(update_id=update_id, chat_key=chat_key, payload=payload,
                                      attempts=1),
                        pseudonym=None if chat_id is None else (pseudonym_key, chat_id, chat_key))
        else:
            worker.unreserve(chat_key)
            worker.wake(chat_key)
        _STORED.inc()
        query_id = _callback_query_id(payload)
        if query_id is not None:
            # Stop the button's spinner in the answer itself (a Bot API feature for webhooks):
            # at once, and without a request of our own (~a third of a button's sending CPU).
            # Telegram reports no result; if it fails, the spinner just times out.
            return web.Response(body=_ANSWER_PREFIX + dumps(query_id) + b"}",
                                content_type="application/json", charset="utf-8")
        return web.Response(body=_OK_BODY, content_type="text/plain", charset="utf-8")

    async def healthz(_: web.Request) -> web.Response:
        try:
            # Counting the inbox is the database check: it fails when the database does not answer.
            depth = await asyncio.to_thread(_depth, engine)
        except Exception as error:
            return web.json_response({"ok": False, "database": type(error).__name__}, status=503,
                                     dumps=dumps_text)
        metrics.INBOX_DEPTH.set(depth)
        return web.json_response({"ok": True, "inbox": depth}, dumps=dumps_text)

    async def metrics_page(_: web.Request) -> web.Response:
        with contextlib.suppress(Exception):
            metrics.INBOX_DEPTH.set(await asyncio.to_thread(_depth, engine))
        return web.Response(body=generate_latest(metrics.REGISTRY),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_post(webhook_path(settings), telegram_update)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    _mount_review(app, settings, engine)
    return app


async def _publish_commands(application: Application) -> None:
    try:
        await publish_commands(application)
    except Exception as error:  # a cosmetic menu must not keep the bot from serving
        log.warning("could not publish the command menus: %s", type(error).__name__)


def _depth(engine: Engine) -> int:
    with session_scope(engine) as db:
        return pending_count(db)


def _mount_review(app: web.Application, settings: Settings, engine: Engine) -> None:
    app.add_subapp("/review", create_review_app(settings, engine=engine))
    app.add_subapp("/api/v1", create_api_app(settings, engine=engine))


async def run_webhook_server(settings: Settings) -> None:
    engine = create_db_engine(settings.database_url)
    application = build_application(settings, engine=engine, polling=False)
    app = create_web_app(settings, application, engine=engine)
    runner = webhook_runner(app, settings)
    await runner.setup()
    if settings.webhook_url:
        await application.bot.set_webhook(
            url=settings.webhook_url, secret_token=settings.webhook_secret,
            allowed_updates=["message", "edited_message", "callback_query"], max_connections=40)
    site = GuardedSite(runner, "0.0.0.0", settings.port)
    await site.start()
    log.info("webhook server listening", extra={"port": settings.port})
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
