"""Simulated people: they write, forward, press buttons and send photos, and read replies.

Everything a user does becomes a Bot API update in the emulator's queue, exactly as Telegram
would build it; the bot receives it by getUpdates or webhook. Waiting helpers read what the
bot sent back to the chat.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from emulator.formatting import detect_entities, utf16_len
from emulator.models import CallbackAnswer, ChatEvent, InlineButton, SentMessage

if TYPE_CHECKING:
    from emulator.core import ChatState, Emulator


class HasMessageId(Protocol):
    """A SentMessage, or python-telegram-bot's `Message` as the bot got it back."""

    @property
    def message_id(self) -> int: ...


class NoReplyError(AssertionError):
    """The bot did not answer in time; the message lists what it did instead."""


@dataclass(frozen=True)
class PressedButton:
    query_id: str
    button: InlineButton
    message: SentMessage
    update_id: int | None


class GroupChat:
    """A group or supergroup the simulated users write in (negative chat id)."""

    def __init__(self, emulator: Emulator, chat_id: int) -> None:
        self.emulator = emulator
        self.chat_id = chat_id

    @property
    def state(self) -> ChatState:
        return self.emulator.chat_state(self.chat_id)

    @property
    def messages(self) -> list[SentMessage]:
        return [message for message in self.state.bot_messages if not message.deleted]

    @property
    def topics(self) -> dict[int, dict[str, Any]]:
        """Forum topics the bot created, by message_thread_id."""
        return dict(self.state.topics)

    def messages_in(self, thread: int) -> list[SentMessage]:
        """The bot's messages in one forum topic."""
        return [message for message in self.messages
                if message.raw.get("message_thread_id") == thread]

    def as_json(self) -> dict[str, Any]:
        return dict(self.state.chat)


ChatRef = GroupChat | int | None


class SimulatedUser:
    """One person talking to the bot. Create with `emulator.user(user_id, …)`."""

    def __init__(self, emulator: Emulator, user_id: int, *, first_name: str,
                 last_name: str | None = None, username: str | None = None,
                 language_code: str | None = None, is_premium: bool = False) -> None:
        self.emulator = emulator
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.is_premium = is_premium
        self.last_update_id: int | None = None
        self._reply_cursor: dict[int, int] = {}
        self._event_cursor: dict[int, int] = {}

    def update_profile(self, *, first_name: str | None = None, last_name: str | None = None,
                       username: str | None = None, language_code: str | None = None) -> None:
        """Change the given fields (as a person does in Telegram's settings); None keeps one."""
        self.first_name = first_name or self.first_name
        self.last_name = last_name if last_name is not None else self.last_name
        self.username = username if username is not None else self.username
        self.language_code = language_code if language_code is not None \
            else self.language_code

    def as_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        if self.is_premium:
            user["is_premium"] = True
        return user

    def private_chat_json(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    @property
    def chat_id(self) -> int:
        """A private chat's id is the user's id."""
        return self.id

    # ------------------------------------------------------------------ acting
    def _chat(self, chat: ChatRef) -> ChatState:
        if isinstance(chat, GroupChat):
            return chat.state
        return self.emulator.chat_state(self.id if chat is None else chat)

    def _new_message(self, state: ChatState, content: dict[str, Any],
                     reply_to: SentMessage | int | None = None, thread: int | None = None
                     ) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": state.take_message_id(), "from": self.as_json(),
                                   "chat": dict(state.chat), "date": int(time.time())}
        if thread is not None:
            if thread not in state.topics:
                raise LookupError(f"no forum topic {thread} in chat {state.chat_id}")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if reply_to is not None:
            reply_id = reply_to.message_id if isinstance(reply_to, SentMessage) else reply_to
            original = state.messages.get(reply_id)
            if original is None:
                raise LookupError(f"no message {reply_id} to reply to in chat {state.chat_id}")
            message["reply_to_message"] = {key: value for key, value in original.items()
                                           if key != "reply_to_message"}
        message.update(content)
        self.emulator.add_incoming(state, message)
        self._enqueue("message", message)
        return message

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        update = self.emulator.enqueue_update(kind, payload)
        self.last_update_id = update["update_id"] if update is not None else None

    def _text_content(self, text: str) -> dict[str, Any]:
        text, entities = self.emulator.text_and_entities(text)
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return content

    async def send_text(self, text: str, *, chat: ChatRef = None,
                        reply_to: SentMessage | int | None = None,
                        thread: int | None = None) -> dict[str, Any]:
        """Write a message; Telegram's automatic entities (commands, links…) are added.
        `thread`: in that forum topic of a group."""
        return self._new_message(self._chat(chat), self._text_content(text), reply_to, thread)

    async def send_command(self, command: str, args: str = "", *,
                           chat: ChatRef = None, thread: int | None = None) -> dict[str, Any]:
        """`/start`, `/start payload`; in groups the command is addressed `/cmd@botname`."""
        name = command if command.startswith("/") else "/" + command
        state = self._chat(chat)
        if state.chat.get("type") != "private" and "@" not in name:
            name += "@" + self.emulator.bot_username
        text = f"{name} {args}".rstrip()
        content = self._text_content(text)
        # A command is always an entity at offset 0, even if it breaks detection rules.
        entities = [entity for entity in content.get("entities", [])
                    if not (entity["offset"] == 0 and entity["type"] == "bot_command")]
        content["entities"] = [{"offset": 0, "length": utf16_len(name), "type": "bot_command"},
                               *entities]
        return self._new_message(state, content, thread=thread)

    async def forward_text(self, text: str, *, from_user: SimulatedUser | dict[str, Any]
                           | None = None, from_chat: GroupChat | dict[str, Any] | None = None,
                           sender_name: str | None = None, original_date: int | None = None,
                           chat: ChatRef = None) -> dict[str, Any]:
        """Forward someone else's text (Bot API 7+ `forward_origin`). Give exactly one origin:
        a user (`from_user`), a user who hides their account (`sender_name`), or a chat or
        channel (`from_chat`)."""
        if sum(origin is not None for origin in (from_user, from_chat, sender_name)) != 1:
            raise ValueError("give exactly one of from_user, from_chat, sender_name")
        date = original_date or int(time.time()) - 3600
        origin: dict[str, Any]
        if from_user is not None:
            sender = from_user.as_json() if isinstance(from_user, SimulatedUser) else from_user
            origin = {"type": "user", "date": date, "sender_user": sender}
        elif sender_name is not None:
            origin = {"type": "hidden_user", "date": date, "sender_user_name": sender_name}
        else:
            source = from_chat.as_json() if isinstance(from_chat, GroupChat) else dict(
                from_chat or {})
            if source.get("type") == "channel":
                origin = {"type": "channel", "date": date, "chat": source, "message_id": 1}
            else:
                origin = {"type": "chat", "date": date, "sender_chat": source}
        content = self._text_content(text)
        content["forward_origin"] = origin
        return self._new_message(self._chat(chat), content)

    async def send_photo(self, data: bytes, *, caption: str | None = None,
                         chat: ChatRef = None, thread: int | None = None) -> dict[str, Any]:
        """Send a picture; like Telegram, the bot gets JPEG sizes of it up to 1280 px (see
        `Emulator.store_photo`) and fetches them with getFile and the file URL."""
        sizes = self.emulator.store_photo(data)
        content: dict[str, Any] = {"photo": [size.as_photo_size() for size in sizes]}
        if caption:
            if len(caption) > 1024:
                raise ValueError("a caption is at most 1024 characters")
            content["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                content["caption_entities"] = entities
        return self._new_message(self._chat(chat), content, thread=thread)

    async def send_document(self, data: bytes, *, file_name: str, mime_type: str,
                            caption: str | None = None, chat: ChatRef = None,
                            thread: int | None = None) -> dict[str, Any]:
        """Send a file as a document: kept byte for byte (metadata and all), with the name and
        MIME type the app gives; the bot fetches it with getFile and the file URL."""
        document = self.emulator.store_document(data, file_name=file_name, mime_type=mime_type)
        content: dict[str, Any] = {"document": document}
        if caption:
            if len(caption) > 1024:
                raise ValueError("a caption is at most 1024 characters")
            content["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                content["caption_entities"] = entities
        return self._new_message(self._chat(chat), content, thread=thread)

    async def edit_message(self, message: dict[str, Any] | int, text: str, *,
                           chat: ChatRef = None) -> dict[str, Any]:
        """Edit one of this user's own text messages (an `edited_message` update)."""
        state = self._chat(chat)
        message_id = message if isinstance(message, int) else int(message["message_id"])
        original = state.messages.get(message_id)
        if original is None or original.get("from", {}).get("id") != self.id:
            raise LookupError(f"user {self.id} has no message {message_id} to edit")
        edited = {key: value for key, value in original.items() if key != "entities"}
        edited.update(self._text_content(text))
        edited["edit_date"] = int(time.time())
        self.emulator.add_incoming(state, edited)
        self._enqueue("edited_message", edited)
        return edited

    async def press_button(self, message: HasMessageId | int, button: str | int, *,
                           chat: ChatRef = None) -> PressedButton:
        """Press an inline button, by index (from 0, row by row) or text."""
        state = self._chat(chat)
        message_id = message if isinstance(message, int) else int(message.message_id)
        sent = state.sent.get(message_id)
        if sent is None or sent.deleted:
            raise LookupError(f"no message {message_id} from the bot in chat {state.chat_id}")
        chosen = sent.button(button)
        if chosen.callback_data is None:
            raise ValueError(f"button {chosen.text!r} opens {chosen.url!r}; it sends nothing")
        query_id = self.emulator.register_callback_query(state.chat_id)
        query = {"id": query_id, "from": self.as_json(), "message": dict(sent.raw),
                 "chat_instance": str(abs(state.chat_id) * 1_000_003 % 10**19),
                 "data": chosen.callback_data}
        self._enqueue("callback_query", query)
        return PressedButton(query_id, chosen, sent, self.last_update_id)

    async def press_newest(self, matches: Callable[[str], bool], *,
                           chat: ChatRef = None) -> PressedButton:
        """Press the button whose callback data `matches`, on the newest message that has one
        (what a person does: tap the answer on the latest question)."""
        state = self._chat(chat)
        for message in reversed(state.bot_messages):
            if message.deleted:
                continue
            for button in message.flat_buttons:
                if button.callback_data is not None and matches(button.callback_data):
                    return await self.press_button(message, button.index, chat=chat)
        last = state.bot_messages[-1].text[:200] if state.bot_messages else None
        raise LookupError(f"no matching button in chat {state.chat_id}; last message: {last!r}")

    def block_bot(self) -> None:
        """From now on the bot's sends to this user fail with 403 (as after "Stop bot")."""
        self.emulator.chat_state(self.id).blocked_bot = True

    def unblock_bot(self) -> None:
        self.emulator.chat_state(self.id).blocked_bot = False

    # ------------------------------------------------------------------ reading
    @property
    def messages(self) -> list[SentMessage]:
        """Everything the bot sent to this user's private chat, as it stands now."""
        return [message for message in self._chat(None).bot_messages if not message.deleted]

    @property
    def last_message(self) -> SentMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    def _failure(self, what: str, state: ChatState) -> NoReplyError:
        errors = [f"{call.method} -> {call.status} {call.description}"
                  for call in self.emulator.api_errors[-5:]]
        sent = [message.text[:80] for message in state.bot_messages[-3:]]
        return NoReplyError(
            f"{what} in chat {state.chat_id}. Last messages there: {sent}. "
            f"Last refused API calls: {errors or 'none'}. "
            f"Updates still queued: {len(self.emulator.pending_updates)}."
        )

    async def wait_for_reply(self, timeout: float = 5.0, *, chat: ChatRef = None
                             ) -> SentMessage:
        """The next message the bot sends to the chat that this user has not read yet."""
        return (await self.wait_for_replies(1, timeout, chat=chat))[0]

    async def wait_for_replies(self, count: int, timeout: float = 5.0, *,
                               chat: ChatRef = None) -> list[SentMessage]:
        state = self._chat(chat)
        cursor = self._reply_cursor.get(state.chat_id, 0)
        deadline = time.monotonic() + timeout
        while len(state.bot_messages) - cursor < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                got = len(state.bot_messages) - cursor
                raise self._failure(f"expected {count} new bot message(s) within {timeout} s, "
                                    f"got {got}", state)
            await self.emulator.changed.wait(remaining)
        self._reply_cursor[state.chat_id] = cursor + count
        return state.bot_messages[cursor:cursor + count]

    def skip_replies(self, *, chat: ChatRef = None) -> None:
        """Mark everything sent so far as read."""
        state = self._chat(chat)
        self._reply_cursor[state.chat_id] = len(state.bot_messages)
        self._event_cursor[state.chat_id] = len(state.events)

    async def wait_for_edit(self, message: SentMessage, timeout: float = 5.0) -> SentMessage:
        """Wait until the bot edits `message` once more than it had when called."""
        seen = message.edit_count
        state = self.emulator.chat_state(message.chat_id)
        deadline = time.monotonic() + timeout
        while message.edit_count == seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._failure(f"message {message.message_id} was not edited within "
                                    f"{timeout} s", state)
            await self.emulator.changed.wait(remaining)
        return message

    async def wait_for_answer(self, pressed: PressedButton, timeout: float = 5.0
                              ) -> CallbackAnswer:
        """The bot's answerCallbackQuery for a pressed button."""
        deadline = time.monotonic() + timeout
        while pressed.query_id not in self.emulator.callback_answers:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._failure(f"callback query {pressed.query_id} was not answered within"
                                    f" {timeout} s", self.emulator.chat_state(
                                        pressed.message.chat_id))
            await self.emulator.changed.wait(remaining)
        return self.emulator.callback_answers[pressed.query_id]

    async def wait_until_settled(self, *, quiet: float = 0.3, first_reply_timeout: float = 2.0,
                                 max_wait: float = 10.0, chat: ChatRef = None
                                 ) -> list[ChatEvent]:
        """What the bot did in the chat since the last call, once it has stopped, bounded by
        `max_wait`.

        When the harness tells the emulator when the bot is idle (`Emulator.bot_idle`), that
        is exact: the user's last update was taken, the bot finished every update it took, and
        none of its Bot API calls is still being answered. Otherwise the bot is taken to have
        stopped once the user's last update was delivered and then nothing happened for
        `quiet` seconds (or nothing at all for `first_reply_timeout` seconds)."""
        state = self._chat(chat)
        cursor = self._event_cursor.get(state.chat_id, 0)
        if self.emulator.bot_idle is not None:
            await self._until_idle(self.emulator.bot_idle, max_wait)
        else:
            await self._until_quiet(state, cursor, quiet, first_reply_timeout, max_wait)
        self._event_cursor[state.chat_id] = len(state.events)
        self._reply_cursor[state.chat_id] = len(state.bot_messages)
        return state.events[cursor:]

    async def _until_idle(self, bot_idle: Callable[[float], Awaitable[bool]],
                          max_wait: float) -> None:
        emulator = self.emulator
        deadline = time.monotonic() + max_wait
        await asyncio.sleep(0)  # a caller looping until it sees something never blocks the loop
        while self.last_update_id is not None and not emulator.was_taken(self.last_update_id):
            if time.monotonic() >= deadline:
                return
            await emulator.changed.wait(deadline - time.monotonic())
        while True:
            if not await bot_idle(max(deadline - time.monotonic(), 0.0)):
                return
            if emulator.calls_in_flight == 0:
                return
            # A call still being answered (say, a background task's send): its end may set the
            # bot working again.
            while emulator.calls_in_flight and time.monotonic() < deadline:
                await emulator.changed.wait(deadline - time.monotonic())
            if time.monotonic() >= deadline:
                return

    async def _until_quiet(self, state: ChatState, cursor: int, quiet: float,
                           first_reply_timeout: float, max_wait: float) -> None:
        started = time.monotonic()
        delivered_at: float | None = None
        seen = len(state.events)
        last_change = started
        while True:
            now = time.monotonic()
            if len(state.events) != seen:
                seen = len(state.events)
                last_change = now
            if delivered_at is None and (self.last_update_id is None
                                         or self.emulator.was_delivered(self.last_update_id)):
                delivered_at = now
            if now - started >= max_wait:
                break
            if delivered_at is not None:
                reference = max(last_change, delivered_at)
                got_something = seen > cursor
                if got_something and now - reference >= quiet:
                    break
                if not got_something and now - delivered_at >= first_reply_timeout:
                    break
            await self.emulator.changed.wait(0.05)

