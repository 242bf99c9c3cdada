"""The emulated Bot API server: its state and the methods the bot calls.

One `Emulator` stands for api.telegram.org and the people on the other side. The HTTP layer
(`emulator.server`) turns requests into `Emulator.call(token, method, params)`; simulated
users (`emulator.users`) put updates into the queue, which the bot takes by `getUpdates`
or receives as webhook POSTs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import logging
import re
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from emulator.errors import ApiError, bad_request
from emulator.faults import Faults
from emulator.formatting import EntityParseError, detect_entities, parse_html
from emulator.markup import validate_reply_markup
from emulator.models import (
    ApiCallRecord,
    CallbackAnswer,
    ChatEvent,
    SentMessage,
    StoredFile,
)
from emulator.params import Params, UploadedFile

if TYPE_CHECKING:
    from aiohttp import web

    from emulator.users import GroupChat, SimulatedUser

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"^(\d{1,20}):[A-Za-z0-9_-]{20,}$")
DEFAULT_TOKEN = "1234567890:EMULATOR-lurecheck-token-0000000000"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
# Bots upload files of up to 50 MB and download up to 20 MB (getFile); the emulator keeps the
# upload limit and reports every size, so a bot's own caps are what tests see.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Update types a bot receives when it never chose (Bot API: "all update types except
# chat_member, message_reaction, and message_reaction_count").
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPE_TYPES = frozenset({
    "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
    "chat_administrators", "chat_member",
})
_SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CALL_LOG_SIZE = 10_000
_DELIVERED_MEMORY = 100_000
PHOTO_SIZE_BOXES = (90, 320, 800, 1280)  # Telegram's photo sizes "s", "m", "x", "y"
PHOTO_JPEG_QUALITY = 87

Method = Callable[["_Call"], Awaitable[Any]]
# `await idle(timeout)`: True once the bot has finished every update it has taken (False when
# `timeout` seconds passed first). Only a harness running the bot in its own process can tell.
IdleCheck = Callable[[float], Awaitable[bool]]


class Signal:
    """Wakes every waiter on each `notify()`; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    def event(self) -> asyncio.Event:
        """The event the next `notify()` sets; take it *before* checking the condition
        from another task, so a notification in between is not lost."""
        if self._event is None:
            self._event = asyncio.Event()
        return self._event

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event().wait(), max(timeout, 0))


@dataclass
class ChatState:
    chat: dict[str, Any]
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # everyone's, by id
    sent: dict[int, SentMessage] = field(default_factory=dict)  # the bot's, by id
    bot_messages: list[SentMessage] = field(default_factory=list)  # the bot's, in order
    events: list[ChatEvent] = field(default_factory=list)
    blocked_bot: bool = False
    reply_keyboard: dict[str, Any] | None = None
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)  # forum topics, by thread id

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    token: str = ""  # the bot that set it: a method in a webhook answer is that bot's call


@dataclass
class _Call:
    token: str
    method: str  # lower case
    params: Params
    bot: dict[str, Any]


@dataclass(frozen=True)
class _Media:
    upload: UploadedFile | None
    reference: str | None
    caption: dict[str, Any]  # caption and caption_entities as the sent message shows them
    source: str


class Emulator:
    """The Bot API and the people on the other side. See the package docstring for use."""

    def __init__(self, *, token: str | None = None, bot_username: str = "lurecheck_test_bot",
                 bot_first_name: str = "LureCheck", host: str = "127.0.0.1",
                 webhook_max_attempts: int = 4, webhook_retry_delay: float = 0.1,
                 webhook_timeout: float = 10.0) -> None:
        if token is not None and not TOKEN_RE.match(token):
            raise ValueError("token must look like a BotFather token, 123456:ABC…")
        self.token = token  # None: accept any token of the right shape
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.faults = Faults()
        self.webhook_max_attempts = webhook_max_attempts
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout
        # A CA the webhook's certificate is checked against, as Telegram checks one uploaded with
        # setWebhook's `certificate` (a proxy's own CA in tests); None: the system's CAs.
        self.webhook_ca_file: str | None = None
        self.calls: deque[ApiCallRecord] = deque(maxlen=_CALL_LOG_SIZE)
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.webhook = WebhookState()
        self.webhook_dropped: list[dict[str, Any]] = []  # updates given up after retries
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.users: dict[int, SimulatedUser] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[StoredFile]] = {}
        self._documents: dict[str, dict[str, Any]] = {}  # file_id → Bot API Document
        self.changed = Signal()  # any chat event, update delivery or confirmation, call's end
        # Set by a harness that sees inside the bot (see `IdleCheck`): then
        # `SimulatedUser.wait_until_settled` knows when the bot is done instead of waiting for a
        # quiet moment. The emulator itself only sees the wire.
        self.bot_idle: IdleCheck | None = None
        self.calls_in_flight = 0  # Bot API calls being answered, getUpdates aside
        self._pending: list[dict[str, Any]] = []
        self._next_update_id = 100_000_001
        self._allowed_updates: frozenset[str] | None = None
        self._delivered: dict[int, float] = {}  # update_id -> when the bot took it
        self._updates_signal = Signal()
        self._poll_generation = 0
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._next_query = 1
        self._next_file = 1
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._methods: dict[str, Method] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "copymessage": self._copy_message,
            "createforumtopic": self._create_forum_topic,
            "closeforumtopic": self._forum_topic_ok,
            "reopenforumtopic": self._forum_topic_ok,
            "deleteforumtopic": self._delete_forum_topic,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "close": self._ok,
            "logout": self._ok,
        }

    # ------------------------------------------------------------------ server lifecycle
    async def start(self, port: int = 0) -> str:
        """Serve on `host:port` (0: a free port); returns the base URL, e.g. http://127.0.0.1:5.."""
        from aiohttp import web

        from emulator.server import create_app

        self._closing = False
        runner = web.AppRunner(create_app(self), handler_cancellation=True,
                               shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self.url

    async def stop(self) -> None:
        self._closing = True
        self._updates_signal.notify()
        await self._stop_webhook_delivery()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the emulator is not serving; call start() first")
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """python-telegram-bot's `base_url` (it appends the token)."""
        return self.url + "/bot"

    @property
    def base_file_url(self) -> str:
        return self.url + "/file/bot"

    @property
    def default_token(self) -> str:
        return self.token or DEFAULT_TOKEN

    # ------------------------------------------------------------------ people and chats
    def user(self, user_id: int, *, first_name: str | None = None, last_name: str | None = None,
             username: str | None = None, language_code: str | None = None,
             is_premium: bool = False) -> SimulatedUser:
        """The simulated person with this id: created on first use (first name "Test" unless
        given), later calls return the same person with the given fields changed."""
        from emulator.users import SimulatedUser

        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = self.users.get(user_id)
        if user is None:
            user = SimulatedUser(self, user_id, first_name=first_name or "Test",
                                 is_premium=is_premium)
            self.users[user_id] = user
            self.chats[user_id] = ChatState({})
        user.update_profile(first_name=first_name, last_name=last_name, username=username,
                            language_code=language_code)
        self.chats[user_id].chat = user.private_chat_json()
        return user

    def group(self, chat_id: int, *, title: str = "Test group", kind: str = "supergroup",
              username: str | None = None, forum: bool = False) -> GroupChat:
        """A group; `forum=True`: a supergroup with topics (createForumTopic, message_thread_id)."""
        from emulator.users import GroupChat

        if chat_id >= 0:
            raise ValueError("group and channel ids are negative")
        if chat_id not in self.chats:
            chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
            if username:
                chat["username"] = username
            if forum:
                chat["is_forum"] = True
            self.chats[chat_id] = ChatState(chat)
        return GroupChat(self, chat_id)

    def chat_state(self, chat_id: int) -> ChatState:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise LookupError(f"no chat {chat_id}") from None

    def reset(self) -> None:
        """Forget people, chats, updates, commands and faults (the webhook stays as set)."""
        self.users.clear()
        self.chats.clear()
        self.files.clear()
        self._photo_sets.clear()
        self._documents.clear()
        self._pending.clear()
        self._delivered.clear()
        self._callback_queries.clear()
        self.callback_answers.clear()
        self.commands.clear()
        self.descriptions.clear()
        self.calls.clear()
        self.webhook_dropped.clear()
        self.faults.reset()
        self.changed.notify()

    @property
    def api_errors(self) -> list[ApiCallRecord]:
        """Calls the emulator refused: the first place to look when a reply never came."""
        return [call for call in self.calls if call.status >= 400]

    def calls_to(self, method: str) -> list[ApiCallRecord]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    # ------------------------------------------------------------------ updates
    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue one update; None when the bot's allowed_updates exclude this kind."""
        allowed = self._allowed_updates
        if allowed is None:
            if kind in _OPT_IN_UPDATE_TYPES:
                return None
        elif kind not in allowed:
            return None
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._pending.append(update)
        self._updates_signal.notify()
        return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def was_delivered(self, update_id: int) -> bool:
        return update_id in self._delivered

    def was_taken(self, update_id: int) -> bool:
        """The bot has the update for good: by long polling, a later getUpdates confirmed it
        (python-telegram-bot queues a batch before asking for the next); by webhook, the post
        was answered with success."""
        return update_id in self._delivered and all(
            update["update_id"] != update_id for update in self._pending)

    def _mark_delivered(self, updates: list[dict[str, Any]]) -> None:
        now = time.monotonic()
        for update in updates:
            self._delivered.setdefault(update["update_id"], now)
        if len(self._delivered) > _DELIVERED_MEMORY:
            # A standalone emulator runs for days; only recent deliveries are ever asked about.
            for update_id in list(self._delivered)[:_DELIVERED_MEMORY // 2]:
                del self._delivered[update_id]
        if updates:
            self.changed.notify()

    def _confirm_below(self, offset: int) -> None:
        kept = [update for update in self._pending if update["update_id"] >= offset]
        if len(kept) != len(self._pending):
            self._pending = kept
            self.changed.notify()

    # ------------------------------------------------------------------ dispatch
    def bot_user(self, token: str) -> dict[str, Any]:
        match = TOKEN_RE.match(token)
        bot_id = int(match.group(1)) if match else 0
        return {"id": bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def check_token(self, token: str) -> None:
        if not TOKEN_RE.match(token):
            raise ApiError(404, "Not Found")
        if self.token is not None and token != self.token:
            raise ApiError(401, "Unauthorized")

    async def call(self, token: str, method: str, params: Params, *,
                   round_trip: bool = True) -> Any:
        """Run one Bot API method; raises ApiError with Telegram's status and wording.

        `round_trip=False` for a method the bot put in its webhook answer: no request of its
        own, so no added latency."""
        name = method.lower()
        status, description = 200, None
        counted = name != "getupdates"  # a long poll waits by design; it is not work in hand
        if counted:
            self.calls_in_flight += 1
        try:
            self.check_token(token)
            implementation = self._methods.get(name)
            if implementation is None:
                log.warning("the emulator does not implement Bot API method %s", method)
                raise ApiError(404, "Not Found: method not found")
            if self.faults.latency > 0 and round_trip:
                await asyncio.sleep(self.faults.latency)
            self.faults.check_server_error(name)
            chat_for_flood: int | str | None = None
            if params.has("chat_id"):
                with contextlib.suppress(ApiError):
                    chat_for_flood = params.chat_id()
            self.faults.check_flood(name, chat_for_flood)
            return await implementation(_Call(token, name, params, self.bot_user(token)))
        except ApiError as error:
            status, description = error.status, error.description
            raise
        finally:
            if name != "getupdates" or status != 200:
                self.calls.append(ApiCallRecord(method, params.summary(), status, description,
                                                time.monotonic()))
            if counted:
                self.calls_in_flight -= 1
                self.changed.notify()

    async def _ok(self, call: _Call) -> bool:
        return True

    async def _get_me(self, call: _Call) -> dict[str, Any]:
        me = dict(call.bot)
        me.update({"can_join_groups": True, "can_read_all_group_messages": False,
                   "supports_inline_queries": False, "can_connect_to_business": False,
                   "has_main_web_app": False})
        return me

    async def _get_updates(self, call: _Call) -> list[dict[str, Any]]:
        params = call.params
        if self.webhook.url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active;"
                                " use deleteWebhook to delete the webhook first")
        offset = params.integer("offset") or 0
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        allowed = params.decoded("allowed_updates", what="allowed_updates")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._confirm_below(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()  # an older long poll now ends with 409
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure"
                                    " that only one bot instance is running")
            if self.webhook.url:
                raise ApiError(409, "Conflict: terminated by setWebhook request")
            batch = self._pending[:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                self._mark_delivered(batch)
                return batch
            await self._updates_signal.wait(remaining)

    def _set_allowed_updates(self, allowed: Any) -> None:
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed_updates JSON object")
        self._allowed_updates = frozenset(allowed) if allowed else None

    # ------------------------------------------------------------------ webhook
    async def _set_webhook(self, call: _Call) -> bool:
        params = call.params
        url = params.string("url") or ""
        if not url:
            await self._remove_webhook(drop_pending=params.flag("drop_pending_updates"))
            return True
        if not re.match(r"^https?://[^/\s]+", url):
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or"
                              " 8443" if "://" in url else "bad webhook: Failed to resolve host")
        secret = params.string("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.integer("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.decoded("allowed_updates", what="allowed_updates")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        if params.flag("drop_pending_updates"):
            self._pending.clear()
        await self._stop_webhook_delivery()
        self.webhook = WebhookState(url=url, secret_token=secret, token=call.token,
                                    max_connections=max_connections,
                                    allowed_updates=allowed or None,
                                    ip_address=params.string("ip_address"))
        self._updates_signal.notify()  # a running long poll ends with 409
        self._webhook_task = asyncio.create_task(self._deliver_webhooks(),
                                                 name="emulator-webhook-delivery")
        return True

    async def _delete_webhook(self, call: _Call) -> bool:
        await self._remove_webhook(drop_pending=call.params.flag("drop_pending_updates"))
        return True

    async def _remove_webhook(self, *, drop_pending: bool) -> None:
        await self._stop_webhook_delivery()
        self.webhook = WebhookState()
        if drop_pending:
            self._pending.clear()

    async def _stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _get_webhook_info(self, call: _Call) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url, "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.ip_address:
                info["ip_address"] = self.webhook.ip_address
            if self.webhook.allowed_updates:
                info["allowed_updates"] = self.webhook.allowed_updates
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    async def _deliver_webhooks(self) -> None:
        """POST pending updates to the webhook, up to max_connections at once, one at a time
        per chat so each person's updates arrive in order (as Telegram does)."""
        busy_chats: set[object] = set()
        in_flight: dict[int, asyncio.Task[None]] = {}
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        tls = ssl.create_default_context(cafile=self.webhook_ca_file)
        async with aiohttp.ClientSession(timeout=timeout,
                                         connector=aiohttp.TCPConnector(ssl=tls)) as session:
            try:
                while True:
                    blocked: set[object] = set()
                    for update in list(self._pending):
                        if len(in_flight) >= self.webhook.max_connections:
                            break
                        key = _update_chat_key(update)
                        if update["update_id"] in in_flight or key in busy_chats \
                                or key in blocked:
                            blocked.add(key)
                            continue
                        blocked.add(key)
                        busy_chats.add(key)
                        in_flight[update["update_id"]] = asyncio.create_task(
                            self._deliver_one(session, update))
                    waiter = asyncio.create_task(self._updates_signal.event().wait())
                    done, _ = await asyncio.wait({waiter, *in_flight.values()},
                                                 return_when=asyncio.FIRST_COMPLETED)
                    waiter.cancel()
                    for update_id, task in list(in_flight.items()):
                        if task in done:
                            del in_flight[update_id]
                    busy_chats = {_update_chat_key(update) for update in self._pending
                                  if update["update_id"] in in_flight}
            finally:
                for task in in_flight.values():
                    task.cancel()
                if in_flight:
                    await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _deliver_one(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        headers = {"Content-Type": "application/json"}
        if self.webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook.secret_token
        body = json.dumps(update)
        for attempt in range(self.webhook_max_attempts):
            try:
                async with session.post(self.webhook.url, data=body, headers=headers) as response:
                    answer = await response.read()
                    if 200 <= response.status < 300:
                        await self._run_webhook_answer(response.content_type, answer)
                        self._finish_delivery(update)
                        return
                    problem = f"Wrong response from the webhook: {response.status} " \
                              f"{response.reason or ''}".rstrip()
            except (aiohttp.ClientError, TimeoutError) as error:
                problem = f"Connection failed: {error.__class__.__name__}"
            self.webhook.last_error_date = int(time.time())
            self.webhook.last_error_message = problem
            log.info("webhook delivery of update %s failed (%s), attempt %d",
                     update["update_id"], problem, attempt + 1)
            if attempt + 1 < self.webhook_max_attempts:
                await asyncio.sleep(min(self.webhook_retry_delay * 2 ** attempt, 5.0))
        log.warning("webhook: giving up update %s after %d attempts", update["update_id"],
                    self.webhook_max_attempts)
        self.webhook_dropped.append(update)
        self._drop_pending(update)

    async def _run_webhook_answer(self, content_type: str, answer: bytes) -> None:
        """A webhook may answer with one Bot API call (`{"method": …, …}`), as Telegram allows.
        As with Telegram, its result and errors never reach the bot."""
        if content_type != "application/json" or not answer:
            return
        try:
            values = json.loads(answer)
        except ValueError:
            return
        if not isinstance(values, dict) or not isinstance(values.get("method"), str):
            return
        method = values.pop("method")
        try:
            await self.call(self.webhook.token, method, Params(values), round_trip=False)
        except ApiError as error:
            log.info("webhook answer %s failed: %s", method, error.description)

    def _finish_delivery(self, update: dict[str, Any]) -> None:
        self._mark_delivered([update])
        self._drop_pending(update)

    def _drop_pending(self, update: dict[str, Any]) -> None:
        self._pending = [item for item in self._pending
                         if item["update_id"] != update["update_id"]]
        self._updates_signal.notify()

    # ------------------------------------------------------------------ messages
    def _resolve_chat(self, chat_ref: int | str) -> ChatState:
        if isinstance(chat_ref, str):
            wanted = chat_ref[1:].lower()
            for state in self.chats.values():
                if state.chat.get("type") != "private" \
                        and str(state.chat.get("username", "")).lower() == wanted:
                    return state
            raise bad_request("chat not found")
        found = self.chats.get(chat_ref)
        if found is None:
            raise bad_request("chat not found")
        if found.blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return found

    def _formatted(self, params: Params, *, text_field: str, entities_field: str,
                   max_length: int, long_problem: str, empty_problem: str | None
                   ) -> tuple[str, list[dict[str, Any]], str]:
        """Plain text, entities and source of a text or caption; `empty_problem` None means
        the field is optional (captions)."""
        source = params.string(text_field) or ""
        if not source:
            if empty_problem is not None:
                raise bad_request(empty_problem)
            return "", [], ""
        parse_mode = (params.string("parse_mode") or "").strip()
        explicit = params.decoded(entities_field, what=entities_field)
        if parse_mode.lower() == "html":
            try:
                text, entities = parse_html(source)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif parse_mode == "":
            text = source
            entities = list(explicit) if isinstance(explicit, list) else []
            for entity in entities:
                if not isinstance(entity, dict) or {"type", "offset", "length"} - entity.keys():
                    raise bad_request(f"can't parse {entities_field} JSON object")
        else:
            # The bot formats with HTML; Markdown parsing is not emulated, and saying so
            # beats silently accepting text Telegram might refuse.
            raise bad_request(f"unsupported parse_mode {parse_mode!r} in the emulator")
        if not text.strip() and empty_problem is not None:
            raise bad_request(empty_problem)
        if len(text) > max_length:
            raise bad_request(long_problem)
        return text, entities, source

    def _reply_markup(self, params: Params) -> dict[str, Any] | None:
        return validate_reply_markup(params.decoded("reply_markup", what="reply keyboard markup"))

    def _reply_to(self, state: ChatState, params: Params) -> dict[str, Any] | None:
        reply_parameters = params.decoded("reply_parameters", what="reply parameters")
        message_id = params.integer("reply_to_message_id")
        allow_without = params.flag("allow_sending_without_reply")
        if isinstance(reply_parameters, dict):
            message_id = reply_parameters.get("message_id", message_id)
            allow_without = bool(reply_parameters.get("allow_sending_without_reply",
                                                      allow_without))
        if message_id is None:
            return None
        original = state.messages.get(int(message_id))
        if original is None:
            if allow_without:
                return None
            raise bad_request("message to be replied not found")
        return {key: value for key, value in original.items() if key != "reply_to_message"}

    def _post(self, call: _Call, state: ChatState, content: dict[str, Any], source: str
              ) -> dict[str, Any]:
        params = call.params
        markup = self._reply_markup(params)
        reply_to = self._reply_to(state, params)
        message: dict[str, Any] = {"message_id": state.take_message_id(), "from": call.bot,
                                   "chat": dict(state.chat), "date": int(time.time())}
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        thread = params.integer("message_thread_id")
        if thread is not None:
            if not state.chat.get("is_forum"):
                raise bad_request("message thread not found")
            if thread not in state.topics:
                raise bad_request("message thread not found")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        message.update(content)
        if markup is not None:
            if "inline_keyboard" in markup:
                if markup["inline_keyboard"]:
                    message["reply_markup"] = markup
            elif "keyboard" in markup:
                state.reply_keyboard = markup
            elif markup.get("remove_keyboard"):
                state.reply_keyboard = None
        state.messages[message["message_id"]] = message
        sent = SentMessage(message["message_id"], state.chat_id, message, source,
                           parse_mode=params.string("parse_mode"))
        state.sent[sent.message_id] = sent
        state.bot_messages.append(sent)
        self._record_event(state, ChatEvent("sent", state.chat_id, message=sent))
        return message

    def _record_event(self, state: ChatState, event: ChatEvent) -> None:
        state.events.append(event)
        self.changed.notify()

    async def _send_message(self, call: _Call) -> dict[str, Any]:
        state = self._resolve_chat(call.params.chat_id())
        text, entities, source = self._formatted(
            call.params, text_field="text", entities_field="entities",
            max_length=MAX_TEXT_LENGTH, empty_problem="message text is empty",
            long_problem="message is too long")
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._post(call, state, content, source)

    async def _copy_message(self, call: _Call) -> dict[str, int]:
        """copyMessage: the content of a message (text, photo, document… and caption) posted
        anew by the bot; unlike forwardMessage, nothing says who wrote the original."""
        params = call.params
        state = self._resolve_chat(params.chat_id())
        source = self._resolve_chat(params.chat_id("from_chat_id"))
        message_id = params.integer("message_id", required=True)
        original = source.messages.get(message_id or 0)
        if original is None:
            raise bad_request("message to copy not found")
        copied_kinds = ("text", "entities", "photo", "document", "caption", "caption_entities",
                        "sticker", "voice", "video", "audio", "animation")
        content = {key: value for key, value in original.items() if key in copied_kinds}
        if not content:
            raise bad_request("message can't be copied")
        if params.has("caption"):
            caption, entities, _ = self._formatted(
                params, text_field="caption", entities_field="caption_entities",
                max_length=MAX_CAPTION_LENGTH, empty_problem=None,
                long_problem="message caption is too long")
            content["caption"] = caption
            content.pop("caption_entities", None)
            if entities:
                content["caption_entities"] = entities
        source_text = str(content.get("text", content.get("caption", "")))
        posted = self._post(call, state, content, source_text)
        return {"message_id": posted["message_id"]}

    async def _create_forum_topic(self, call: _Call) -> dict[str, Any]:
        state = self._resolve_chat(call.params.chat_id())
        if not state.chat.get("is_forum"):
            raise bad_request("the chat is not a forum")
        name = call.params.string("name", required=True) or ""
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "topic name is too long")
        thread = state.take_message_id()  # Telegram: the id of the topic's service message
        topic = {"message_thread_id": thread, "name": name, "icon_color": 7322096}
        state.topics[thread] = topic
        service = {"message_id": thread, "from": call.bot, "chat": dict(state.chat),
                   "date": int(time.time()), "message_thread_id": thread,
                   "is_topic_message": True, "forum_topic_created": {
                       "name": name, "icon_color": topic["icon_color"]}}
        state.messages[thread] = service
        self._record_event(state, ChatEvent("action", state.chat_id, action="topic_created"))
        return dict(topic)

    def _topic(self, call: _Call) -> tuple[ChatState, int]:
        state = self._resolve_chat(call.params.chat_id())
        thread = call.params.integer("message_thread_id", required=True)
        if thread is None or thread not in state.topics:
            raise bad_request("message thread not found")
        return state, thread

    async def _forum_topic_ok(self, call: _Call) -> bool:
        self._topic(call)
        return True

    async def _delete_forum_topic(self, call: _Call) -> bool:
        """The topic and every message in it are gone, for everyone."""
        state, thread = self._topic(call)
        del state.topics[thread]
        for message_id, message in list(state.messages.items()):
            if message.get("message_thread_id") == thread:
                del state.messages[message_id]
                sent = state.sent.get(message_id)
                if sent is not None:
                    sent.deleted = True
        self._record_event(state, ChatEvent("action", state.chat_id, action="topic_deleted"))
        return True

    def _media(self, params: Params, field_name: str) -> _Media:
        """What sendPhoto and sendDocument share: the caption (checked as Telegram checks it),
        and the file as a new upload (directly or as `attach://name`) or a reference."""
        caption, entities, source = self._formatted(
            params, text_field="caption", entities_field="caption_entities",
            max_length=MAX_CAPTION_LENGTH, empty_problem=None,
            long_problem="message caption is too long")
        upload = params.files.get(field_name)
        reference = params.string(field_name)
        if upload is None and reference and reference.startswith("attach://"):
            upload = params.files.get(reference.removeprefix("attach://"))
        shown: dict[str, Any] = {}
        if caption:
            shown["caption"] = caption
            if entities:
                shown["caption_entities"] = entities
        return _Media(upload, reference, shown, source)

    async def _send_photo(self, call: _Call) -> dict[str, Any]:
        params = call.params
        state = self._resolve_chat(params.chat_id())
        media = self._media(params, "photo")
        upload, reference = media.upload, media.reference
        if upload is not None:
            try:
                sizes = self.store_photo(upload.data)
            except ValueError:
                raise bad_request("IMAGE_PROCESS_FAILED") from None
        elif reference and self.photo_sizes(reference):
            sizes = self.photo_sizes(reference) or []
        elif reference and re.match(r"^https?://", reference):
            raise bad_request("wrong file identifier/HTTP URL specified")
        else:
            raise bad_request("there is no photo in the request" if not reference
                              else "wrong file identifier/HTTP URL specified")
        return self._post(call, state, {"photo": [size.as_photo_size() for size in sizes],
                                        **media.caption}, media.source)

    async def _send_document(self, call: _Call) -> dict[str, Any]:
        """sendDocument: a new upload (stored as is, under the file name the upload gives) or a
        stored file's id; the message carries a `document` with that name and MIME type."""
        params = call.params
        state = self._resolve_chat(params.chat_id())
        media = self._media(params, "document")
        upload, reference = media.upload, media.reference
        if upload is not None:
            if not upload.data:
                raise bad_request("file must be non-empty")
            if len(upload.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            name = upload.filename or "document"
            document = self.store_document(upload.data, file_name=name,
                                           mime_type=upload.content_type
                                           or "application/octet-stream")
        elif reference and reference in self._documents:
            document = dict(self._documents[reference])
        else:
            raise bad_request("there is no document in the request" if not reference
                              else "wrong file identifier/HTTP URL specified")
        return self._post(call, state, {"document": document, **media.caption}, media.source)

    def _editable(self, call: _Call) -> tuple[ChatState, SentMessage]:
        params = call.params
        if params.has("inline_message_id"):
            raise bad_request("inline messages are not emulated")
        state = self._resolve_chat(params.chat_id())
        message_id = params.integer("message_id", required=True)
        assert message_id is not None
        sent = state.sent.get(message_id)
        if sent is None or sent.deleted:
            if message_id in state.messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return state, sent

    def _apply_edit(self, state: ChatState, sent: SentMessage, changes: dict[str, Any],
                    markup: dict[str, Any] | None, source: str | None) -> dict[str, Any]:
        new = {key: value for key, value in sent.raw.items()
               if key not in ("reply_markup", "edit_date", *changes)}
        new.update({key: value for key, value in changes.items() if value})
        if markup is not None and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        comparable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(new.get(key) == sent.raw.get(key) for key in comparable):
            raise bad_request("message is not modified: specified new message content and reply"
                              " markup are exactly the same as a current content and reply"
                              " markup of the message")
        new["edit_date"] = int(time.time())
        sent.history.append(sent.raw)
        sent.raw = new
        if source is not None:
            sent.source = source
        sent.edit_count += 1
        state.messages[sent.message_id] = new
        self._record_event(state, ChatEvent("edited", state.chat_id, message=sent))
        return new

    async def _edit_message_text(self, call: _Call) -> dict[str, Any]:
        state, sent = self._editable(call)
        if "text" not in sent.raw:
            raise bad_request("there is no text in the message to edit")
        text, entities, source = self._formatted(
            call.params, text_field="text", entities_field="entities",
            max_length=MAX_TEXT_LENGTH, empty_problem="message text is empty",
            long_problem="MESSAGE_TOO_LONG")
        return self._apply_edit(state, sent, {"text": text, "entities": entities},
                                self._reply_markup(call.params), source)

    async def _edit_message_caption(self, call: _Call) -> dict[str, Any]:
        state, sent = self._editable(call)
        if "photo" not in sent.raw:
            raise bad_request("there is no caption in the message to edit")
        caption, entities, source = self._formatted(
            call.params, text_field="caption", entities_field="caption_entities",
            max_length=MAX_CAPTION_LENGTH, empty_problem=None,
            long_problem="message caption is too long")
        return self._apply_edit(state, sent, {"caption": caption, "caption_entities": entities},
                                self._reply_markup(call.params), source)

    async def _edit_message_reply_markup(self, call: _Call) -> dict[str, Any]:
        state, sent = self._editable(call)
        return self._apply_edit(state, sent, {}, self._reply_markup(call.params), None)

    async def _delete_message(self, call: _Call) -> bool:
        state = self._resolve_chat(call.params.chat_id())
        message_id = call.params.integer("message_id", required=True)
        assert message_id is not None
        if message_id not in state.messages:
            raise bad_request("message to delete not found")
        del state.messages[message_id]
        sent = state.sent.get(message_id)
        if sent is not None:
            sent.deleted = True
            self._record_event(state, ChatEvent("deleted", state.chat_id, message=sent))
        return True

    async def _answer_callback_query(self, call: _Call) -> bool:
        params = call.params
        query_id = params.string("callback_query_id", required=True)
        assert query_id is not None
        query = self._callback_queries.get(query_id)
        if query is None or query_id in self.callback_answers:
            raise bad_request("query is too old and response timeout expired or query ID is"
                              " invalid")
        text = params.string("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        answer = CallbackAnswer(query_id, text or None, params.flag("show_alert"),
                                params.string("url"), params.integer("cache_time") or 0)
        self.callback_answers[query_id] = answer
        state = self.chats.get(int(query["chat_id"]))
        if state is not None:
            self._record_event(state, ChatEvent("answered", state.chat_id, answer=answer))
        else:
            self.changed.notify()
        return True

    @property
    def unanswered_callback_queries(self) -> list[str]:
        """Presses the bot never acknowledged: their button would spin in a real app."""
        return [query_id for query_id in self._callback_queries
                if query_id not in self.callback_answers]

    def register_callback_query(self, chat_id: int) -> str:
        query_id = f"{self._next_query:019d}"
        self._next_query += 1
        self._callback_queries[query_id] = {"chat_id": chat_id}
        return query_id

    async def _send_chat_action(self, call: _Call) -> bool:
        state = self._resolve_chat(call.params.chat_id())
        action = call.params.string("action", required=True)
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._record_event(state, ChatEvent("action", state.chat_id, action=action))
        return True

    async def _get_chat(self, call: _Call) -> dict[str, Any]:
        state = self._resolve_chat(call.params.chat_id())
        return {**state.chat, "accent_color_id": 0, "max_reaction_count": 11}

    # ------------------------------------------------------------------ commands, profile
    def _scope_key(self, params: Params) -> tuple[str, str]:
        scope = params.decoded("scope", what="scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member") \
                and "chat_id" not in scope:
            raise bad_request("chat_id is empty")
        language = params.string("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), language

    async def _set_my_commands(self, call: _Call) -> bool:
        commands = call.params.decoded("commands", what="commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        stored = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", "")).removeprefix("/")
            description = str(command.get("description", ""))
            if not _COMMAND_NAME_RE.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("command description is empty" if not description
                                  else "BOT_COMMAND_DESCRIPTION_INVALID")
            stored.append({"command": name, "description": description})
        key = self._scope_key(call.params)
        if stored:
            self.commands[key] = stored
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, call: _Call) -> list[dict[str, str]]:
        return list(self.commands.get(self._scope_key(call.params), []))

    async def _delete_my_commands(self, call: _Call) -> bool:
        self.commands.pop(self._scope_key(call.params), None)
        return True

    def commands_for(self, *, language_code: str = "",
                     scope: dict[str, Any] | None = None) -> list[dict[str, str]]:
        """The command list set for exactly this scope and language (no fallback)."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return list(self.commands.get(key, []))

    async def _set_text_setting(self, call: _Call, kind: str, limit: int) -> bool:
        language = call.params.string("language_code") or ""
        value = call.params.string(kind) or ""
        if len(value) > limit:
            raise bad_request(f"{kind} is too long")
        self.descriptions[(kind, language)] = value
        return True

    async def _set_my_description(self, call: _Call) -> bool:
        return await self._set_text_setting(call, "description", 512)

    async def _set_my_short_description(self, call: _Call) -> bool:
        return await self._set_text_setting(call, "short_description", 120)

    async def _get_my_description(self, call: _Call) -> dict[str, str]:
        language = call.params.string("language_code") or ""
        return {"description": self.descriptions.get(("description", language), "")}

    async def _get_my_short_description(self, call: _Call) -> dict[str, str]:
        language = call.params.string("language_code") or ""
        return {"short_description":
                self.descriptions.get(("short_description", language), "")}

    # ------------------------------------------------------------------ files
    def store_photo(self, data: bytes) -> list[StoredFile]:
        """Process a picture as Telegram does for photos: re-encoded as JPEG in the sizes
        that fit 90, 320, 800 and 1280 px boxes (never enlarged), smallest first, each with a
        file id and a download path. OCR therefore sees what it would see in production.
        ValueError if the bytes are not an image."""
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as original:
                original.load()
                image = original.convert("RGB")
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
            raise ValueError(f"not an image: {error}") from None
        sizes: list[StoredFile] = []
        seen: set[tuple[int, int]] = set()
        for box in PHOTO_SIZE_BOXES:
            resized = image.copy()
            resized.thumbnail((box, box), Image.Resampling.LANCZOS)
            if resized.size in seen:
                continue
            seen.add(resized.size)
            buffer = io.BytesIO()
            resized.save(buffer, format="JPEG", quality=PHOTO_JPEG_QUALITY)
            sizes.append(self._store_file(buffer.getvalue(), "photos", "jpg",
                                          width=resized.width, height=resized.height))
        for stored in sizes:
            self._photo_sets[stored.file_id] = sizes
        return sizes

    def store_document(self, data: bytes, *, file_name: str, mime_type: str) -> dict[str, Any]:
        """A file kept as sent (Telegram does not touch documents): the Bot API `Document`."""
        stored = self._store_file(data, "documents", _extension(file_name))
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                    "file_name": file_name, "mime_type": mime_type, "file_size": len(data)}
        self._documents[stored.file_id] = document
        return dict(document)

    def photo_sizes(self, file_id: str) -> list[StoredFile] | None:
        """All sizes of the photo one of whose file ids is `file_id`."""
        return self._photo_sets.get(file_id)

    def _store_file(self, data: bytes, folder: str, extension: str, *,
                    width: int | None = None, height: int | None = None) -> StoredFile:
        digest = hashlib.sha256(data).hexdigest()
        number = self._next_file
        self._next_file += 1
        stored = StoredFile(
            file_id=f"AgACAgEmu{number:06d}{digest[:24]}", file_unique_id=f"AQAD{digest[:12]}",
            file_path=f"{folder}/file_{number}.{extension}", data=data, width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        for stored in self.files.values():
            if stored.file_path == path:
                return stored
        return None

    async def _get_file(self, call: _Call) -> dict[str, Any]:
        file_id = call.params.string("file_id", required=True)
        stored = self.files.get(file_id or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.as_file()

    # ------------------------------------------------------------------ used by users.py
    def add_incoming(self, state: ChatState, message: dict[str, Any]) -> None:
        state.messages[message["message_id"]] = message

    def text_and_entities(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        if not text.strip():
            raise ValueError("Telegram does not deliver empty messages")
        if len(text) > MAX_TEXT_LENGTH:
            raise ValueError(f"a message is at most {MAX_TEXT_LENGTH} characters")
        return text, detect_entities(text)


def _extension(file_name: str) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return suffix if suffix.isalnum() and len(suffix) <= 8 else "bin"


def _update_chat_key(update: dict[str, Any]) -> object:
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        if "chat" in payload:
            return payload["chat"].get("id")
        message = payload.get("message")
        if isinstance(message, dict) and "chat" in message:
            return message["chat"].get("id")
        sender = payload.get("from")
        if isinstance(sender, dict):
            return sender.get("id")
    return update["update_id"]

