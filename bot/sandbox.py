"""`python -m bot sandbox`: chat with the real bot in a terminal, no Telegram token needed.

The Bot API emulator runs on a free loopback port and the bot (the same `Application` as in
production) polls it, both in this process. The person types messages; the bot's replies are
printed as plain text with their buttons numbered::

    bot: Welcome! What would you like to do?
         [1] Check a job offer  [2] Report a scam contact
         [3] Change language

Input lines: see `HELP` and `HELP_MORE` below (also shown by `!help`).

Both sides of "talk to a person" can be played: the sandbox runs a staff group (a forum
supergroup in the emulator, set as `TALK_CHAT_ID`) and the relay; `!as staff` makes the lines
go into the group's topic of the conversation as a staff member, `!as person` goes back, and
each switch shows what arrived on that side meanwhile. With `staff_web_port` (`--staff-web`) the
staff web app is served on loopback too, with a login made for the run (`_staff_web`).

When stdin is not a terminal (a script), each line is read, sent, and the bot's replies are
printed once it has gone quiet, before the next line is read. End of input exits with 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import textwrap
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from bot.app import build_application, start_background_jobs, stop_background_jobs
from bot.config import Settings
from bot.services import services_of
from emulator import DEFAULT_TOKEN, ChatEvent, Emulator, GroupChat, SentMessage, SimulatedUser
from emulator.core import MAX_TEXT_LENGTH
from locales.i18n import N_, Translator, get_translator, resolve_locale
from review.app import create_standalone_app
from review.auth import generate_password, hash_password
from review.server import start_server
from storage.db import session_scope
from storage.models import StaffRole
from storage.staff import create_staff_user, end_sessions, get_staff_user

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
INDENT = "     "
HELP = N_(
    "  text          sent as a message (a leading / makes it a command)\n"
    "  #N            press button N of the last reply that had buttons\n"
    "                (in a terminal a bare N works too)\n"
    "  !photo PATH   send a picture\n"
    "  \\text         send the text as it is, e.g. \\#1\n"
    "  !help         this list; Ctrl-D leaves"
)
HELP_MORE = N_(
    "  !file PATH    send a file (a PDF, a .txt…)\n"
    "  !as staff     play our team: what you type goes into the staff group's topic of the\n"
    "                conversation (/talk) and from there to the person; /close ends it\n"
    "  !as person    be the person again"
)
# `--staff-web`: the staff web app on loopback, with this account; its password is made for
# one run and the account is disabled when the sandbox ends.
STAFF_WEB_USER = "sandbox_staff"
STAFF_WEB_HOST = "127.0.0.1"
# The staff side of the sandbox: a forum supergroup (one topic per conversation) and one member.
STAFF_GROUP_ID = -1000000000777
STAFF_USER_ID = 777
PERSON, STAFF = "person", "staff"
TOPIC_WAIT_S = 3.0


class _Terminal:
    """Writes the chat; all output goes through here so scripted runs stay readable."""

    def __init__(self, stdout: TextIO, t: Translator) -> None:
        self.stdout = stdout
        self.t = t

    def line(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def prompt(self, side: str = PERSON) -> None:
        self.stdout.write(self.t.gettext("you> ") if side == PERSON
                          else self.t.gettext("staff> "))
        self.stdout.flush()

    def message(self, message: SentMessage, *, edited: bool) -> None:
        label = self.t.gettext("bot (edited):") if edited else self.t.gettext("bot:")
        body = message.plain
        if message.document:
            document = self.t.gettext("[file {name}]", name=message.document.get("file_name", ""))
            body = f"{document} {body}".rstrip()
        if message.photo:
            size = message.photo[-1]
            picture = self.t.gettext("[picture {width}×{height}]", width=size["width"],
                                     height=size["height"])
            body = f"{picture} {body}".rstrip()
        first, *rest = body.split("\n") if body else [""]
        self.line(f"{label} {first}")
        for text in rest:
            self.line((INDENT + text).rstrip())
        for row in message.buttons:
            cells = []
            for button in row:
                cell = f"[{button.index + 1}] {button.text}"
                if button.url:
                    cell += f" → {button.url}"
                cells.append(cell)
            self.line(INDENT + "  ".join(cells))

    def events(self, events: list[ChatEvent], *, silence_is_normal: bool = False) -> None:
        """`silence_is_normal`: in the staff group the bot says nothing after an answer (it
        goes to the person), so no "(no reply)" there."""
        shown = False
        for event in events:
            if event.kind in ("sent", "edited") and event.message is not None:
                self.message(event.message, edited=event.kind == "edited")
                shown = True
            elif event.kind == "action" and event.action == "typing":
                self.line(self.t.gettext("(the bot is reading…)"))
            elif event.kind == "deleted" and event.message is not None:
                self.line(self.t.gettext("(the bot deleted: {text})",
                                         text=textwrap.shorten(event.message.plain, 60)))
                shown = True
            elif event.kind == "answered" and event.answer is not None and event.answer.text:
                notice = self.t.gettext("(alert)") if event.answer.show_alert \
                    else self.t.gettext("(notice)")
                self.line(f"{notice} {event.answer.text}")
                shown = True
        if not shown and not silence_is_normal:
            self.line(self.t.gettext("(no reply)"))


def _last_with_buttons(user: SimulatedUser) -> SentMessage | None:
    with_buttons = [message for message in user.messages if message.flat_buttons]
    return with_buttons[-1] if with_buttons else None


@dataclass
class _Sides:
    """Who the input lines speak as: the person in their private chat, or a staff member in
    the staff group's topic of the newest conversation."""

    person: SimulatedUser
    staff: SimulatedUser
    group: GroupChat
    current: str = PERSON

    @property
    def user(self) -> SimulatedUser:
        return self.person if self.current == PERSON else self.staff

    @property
    def chat(self) -> GroupChat | None:
        return None if self.current == PERSON else self.group

    def topic(self) -> int | None:
        """The newest conversation's topic (the sandbox has one person, so one case)."""
        return max(self.group.topics) if self.group.topics else None

    async def replies(self) -> list[ChatEvent]:
        if self.current == PERSON:
            return await _replies(self.person)
        return await self.staff.wait_until_settled(chat=self.group)


async def _switch(line: str, sides: _Sides, terminal: _Terminal) -> None:
    """`!as staff` / `!as person`: change sides and show what arrived there meanwhile."""
    t = terminal.t
    wanted = line.removeprefix("!as").strip().lower()
    if wanted not in (PERSON, STAFF):
        terminal.line(t.gettext(HELP_MORE))
        return
    sides.current = wanted
    if wanted == STAFF:
        # The relay makes the case's topic within a poll (bot.app.RELAY_POLL_SECONDS).
        deadline = asyncio.get_running_loop().time() + TOPIC_WAIT_S
        while sides.topic() is None and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        topic = sides.topic()
        if topic is None:
            terminal.line(t.gettext("(no conversation yet: as the person, type /talk and write "
                                    "first; !as person goes back)"))
            return
        terminal.line(t.gettext("(you are our team now, in the staff group's topic “{topic}”: "
                                "what you type goes to the person; !as person goes back)",
                                topic=sides.group.topics[topic].get("name", "")))
    terminal.events(await sides.replies(), silence_is_normal=wanted == STAFF)


async def _act(line: str, sides: _Sides, terminal: _Terminal, *, interactive: bool
               ) -> bool:
    """Send what one input line asks for; False when nothing went to the bot."""
    t = terminal.t
    user, chat = sides.user, sides.chat
    thread = sides.topic() if chat is not None else None
    if chat is not None and thread is None and line != "!help":
        terminal.line(t.gettext("(no conversation yet: as the person, type /talk and write "
                                "first; !as person goes back)"))
        return False
    target = _last_with_buttons(user)
    number: int | None = None
    if line.startswith("#") and line[1:].strip().isdigit():
        number = int(line[1:].strip())
    elif interactive and line.isdigit() and target is not None \
            and 1 <= int(line) <= len(target.flat_buttons):
        number = int(line)
    if number is not None:
        if target is None or not 1 <= number <= len(target.flat_buttons):
            terminal.line(t.gettext("(there is no button {number})", number=number))
            return False
        button = target.flat_buttons[number - 1]
        if button.url:
            terminal.line(t.gettext("(button {number} opens {url})", number=number,
                                    url=button.url))
            return False
        await user.press_button(target, button.index)
        return True
    if line == "!help":
        terminal.line(t.gettext(HELP))
        terminal.line(t.gettext(HELP_MORE))
        return False
    if line.startswith("!file"):
        path = Path(line.removeprefix("!file").strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as error:
            terminal.line(t.gettext("(cannot read {path}: {problem})", path=str(path),
                                    problem=error.strerror or str(error)))
            return False
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        await user.send_document(data, file_name=path.name, mime_type=mime_type, chat=chat,
                                 thread=thread)
        return True
    if line.startswith("!photo"):
        path = Path(line.removeprefix("!photo").strip()).expanduser()
        try:
            await user.send_photo(path.read_bytes(), chat=chat, thread=thread)
        except OSError as error:
            terminal.line(t.gettext("(cannot read {path}: {problem})", path=str(path),
                                    problem=error.strerror or str(error)))
            return False
        except ValueError:
            terminal.line(t.gettext("({path} is not a picture)", path=str(path)))
            return False
        return True
    text = line[1:] if line.startswith("\\") else line
    if chat is not None and text.startswith("/"):  # /close, /urgent in the topic
        command, _, args = text.partition(" ")
        await user.send_command(command, args, chat=chat, thread=thread)
        return True
    # Telegram apps split an over-long paste into several messages; so does the sandbox.
    for start in range(0, len(text), MAX_TEXT_LENGTH):
        await user.send_text(text[start:start + MAX_TEXT_LENGTH], chat=chat, thread=thread)
    return True


def _read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop
                ) -> asyncio.Queue[str | None]:
    """Lines of stdin from a daemon thread (None at the end), so a blocked read never keeps
    the process alive after Ctrl-C."""
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def forward(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop may be gone at exit
            loop.call_soon_threadsafe(lines.put_nowait, line)

    def read() -> None:
        for raw in iter(stdin.readline, ""):
            forward(raw)
        forward(None)

    threading.Thread(target=read, name="sandbox-stdin", daemon=True).start()
    return lines


# Reading a picture can take several seconds (Thai, Chinese): the bot shows "typing…" meanwhile.
SLOW_REPLY_WAIT_S = 60.0


async def _replies(user: SimulatedUser) -> list[ChatEvent]:
    """What the bot did after one input; while it last said "typing…", wait for the rest."""
    events = await user.wait_until_settled()
    while events and events[-1].kind == "action" and events[-1].action == "typing":
        more = await user.wait_until_settled(first_reply_timeout=SLOW_REPLY_WAIT_S,
                                             max_wait=SLOW_REPLY_WAIT_S)
        if not more:
            break
        events += more
    return events


async def _chat(sides: _Sides, terminal: _Terminal, stdin: TextIO, *,
                interactive: bool) -> None:
    lines = _read_lines(stdin, asyncio.get_running_loop())
    while True:
        if interactive:
            terminal.prompt(sides.current)
        raw = await lines.get()
        if raw is None:
            if interactive:
                terminal.line()
            return
        line = raw.strip()
        if not line:
            continue
        if not interactive:
            terminal.line(f"> {line}")
        if line.startswith("!as"):
            await _switch(line, sides, terminal)
        elif await _act(line, sides, terminal, interactive=interactive):
            terminal.events(await sides.replies(), silence_is_normal=sides.current == STAFF)


def _one_run_account(engine: Engine, *, disable: bool = False) -> str:
    """The sandbox's staff account (an admin) with a new password, returned; `disable`: the run
    is over, the account and its sessions end."""
    password = generate_password()
    with session_scope(engine) as db:
        user = get_staff_user(db, username=STAFF_WEB_USER)
        if user is None:
            user = create_staff_user(db, username=STAFF_WEB_USER,
                                     password_hash=hash_password(password), role=StaffRole.admin)
        else:
            user.password_hash = hash_password(password)
        user.disabled = disable
        db.add(user)
        db.flush()
        assert user.id is not None
        end_sessions(db, staff_id=user.id)
    return password


@contextlib.asynccontextmanager
async def _staff_web(settings: Settings, engine: Engine, port: int, terminal: _Terminal
                     ) -> AsyncIterator[None]:
    """The staff web app on loopback for this run, its address and one-run login printed."""
    password = await asyncio.to_thread(_one_run_account, engine)
    runner, _site = await start_server(create_standalone_app(settings, engine=engine),
                                       host=STAFF_WEB_HOST, port=port)
    try:
        bound = runner.addresses[0][1]
        terminal.line(terminal.t.gettext(
            "Staff web app: {url} (log in as {user}, password {password}; valid while this "
            "sandbox runs)", url=f"http://{STAFF_WEB_HOST}:{bound}/review/conversations",
            user=STAFF_WEB_USER, password=password))
        yield
    finally:
        await runner.cleanup()
        await asyncio.to_thread(_one_run_account, engine, disable=True)


async def run_sandbox(settings: Settings, *, lang: str | None, user_id: int, stdin: TextIO,
                      stdout: TextIO, staff_web_port: int | None = None) -> int:
    """Run the emulator and the bot in this process and chat through stdin/stdout.
    `staff_web_port`: also serve the staff web app there (0: any free port) on loopback."""
    t = get_translator(resolve_locale(chosen=None, telegram_code=lang,
                                      default=settings.default_locale))
    terminal = _Terminal(stdout, t)
    interactive = stdin.isatty()
    emulator = Emulator()
    await emulator.start()
    try:
        # Never hand a real token or webhook to the sandbox: it only ever talks to the emulator.
        # The staff group is the emulator's too: `!as staff` plays our team in it.
        sandbox_settings = settings.with_overrides(
            telegram_bot_token=DEFAULT_TOKEN, telegram_api_url=emulator.url,
            webhook_url=None, webhook_secret=None, talk_chat_id=STAFF_GROUP_ID)
        # No Telegram here to pace for: replies arrive at once, so the transcript stays in step.
        application = build_application(sandbox_settings, chat_per_second=1000.0)
        user = emulator.user(user_id, first_name=t.gettext("Sandbox user"), language_code=lang)
        group = emulator.group(STAFF_GROUP_ID, title="Staff (sandbox)", forum=True)
        staff = emulator.user(STAFF_USER_ID, first_name="Staff", username="sandbox_staff",
                              language_code=lang)
        sides = _Sides(person=user, staff=staff, group=group)
        async with application:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await application.start()
            # Polling here skips post_init: start the relay (and the other jobs) as run does.
            start_background_jobs(application)
            try:
                async with contextlib.AsyncExitStack() as stack:
                    if staff_web_port is not None:
                        await stack.enter_async_context(_staff_web(
                            sandbox_settings, services_of(application).engine, staff_web_port,
                            terminal))
                    if interactive:
                        terminal.line(t.gettext(
                            "Sandbox: you are chatting with the bot through a local Telegram"
                            " emulator. Type /start to begin, a button's number to press it,"
                            " !help for more, Ctrl-D to leave."))
                    await _chat(sides, terminal, stdin, interactive=interactive)
            finally:
                await stop_background_jobs(application)
                await application.updater.stop()
                await application.stop()
    finally:
        with contextlib.suppress(Exception):
            await emulator.stop()
    return 0
