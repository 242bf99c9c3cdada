"""Issue 16: every flow, walked as a person would in each of the 13 languages, leaves no English
in any reply or button (names, numbers, contacts and links aside).

`test_every_language.py` walks check → report; this walk takes the rest of the menu: help, the
guided questions, a contact and an agency name checked, urgent help for oneself and for someone
held, the safety cards, privacy, the language menu, a conversation with the team opened and ended,
and last the erasure. Every text the bot shows is read after each step, edits included (the
questions are edited in place), so a message seen only in passing is checked too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from emulator import Emulator, SimulatedUser
from handlers.types import decode_callback
from locales.i18n import SUPPORTED_LOCALES
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_every_language import ENGLISH, TELEGRAM_LANGUAGE_CODE, quick_chat_limiter

__all__ = ["quick_chat_limiter"]  # the fixture, used here as in the check-and-report walk

CONTACT = "+855 97 123 4567"
AGENCY = "Golden Bridge Manpower Services"


class Walk:
    """A person's session: what they do, and every text and button label they were shown."""

    def __init__(self, user: SimulatedUser) -> None:
        self.user = user
        self.shown: set[str] = set()

    def _read(self) -> None:
        for message in self.user.messages:
            self.shown.add(message.text)
            self.shown.update(button.text for button in message.flat_buttons)

    def _state(self) -> list[tuple[int, int]]:
        return [(int(m.message_id), m.edit_count) for m in self.user.messages]

    async def _settled(self, before: list[tuple[int, int]]) -> None:
        # Until what the person sees has changed (a new message or an edit in place: the next
        # question), then the bot has been quiet. Under load the bot may answer the button
        # press first and edit the question later: settling on the first event alone would
        # press the old question's button again.
        deadline = asyncio.get_running_loop().time() + 15
        await self.user.wait_until_settled(quiet=0.3, first_reply_timeout=5)
        while self._state() == before and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
            await self.user.wait_until_settled(quiet=0.3, first_reply_timeout=0.5)
        self._read()

    async def command(self, command: str) -> None:
        before = self._state()
        await self.user.send_command(command)
        await self._settled(before)

    async def text(self, text: str) -> None:
        before = self._state()
        await self.user.send_text(text)
        await self._settled(before)

    def actions(self) -> list[str]:
        """The actions of the buttons on the newest message that has any."""
        for message in reversed(self.user.messages):
            found = [decode_callback(b.callback_data)[1] for b in message.flat_buttons
                     if b.callback_data is not None]
            if found:
                return found
        return []

    async def press(self, wanted: str | Callable[[str], bool]) -> None:
        matches = wanted if callable(wanted) else (lambda action: action == wanted)
        before = self._state()
        for attempt in range(20):
            try:
                await self.user.press_newest(lambda data: matches(decode_callback(data)[1]))
                break
            except LookupError:
                # The answer may come in two messages, the buttons last; under load the first
                # can settle before the second is sent. A person waits for the button too.
                if attempt == 19:
                    raise
                await asyncio.sleep(0.25)
        await self._settled(before)

    async def press_through(self, preferences: Sequence[str], *, steps: int = 20) -> None:
        """Answer question after question with the first preferred action offered (an exact
        action, or a prefix ending in ':'), until none is offered."""
        for _ in range(steps):
            offered = self.actions()
            choice = next((action for wanted in preferences for action in offered
                           if action == wanted or (wanted.endswith(":") and action.startswith(wanted))),
                          None)
            if choice is None:
                return
            await self.press(choice)
        raise AssertionError(f"still asking after {steps} answers: {self.actions()}")

    def english(self) -> list[str]:
        shown = "\n".join(self.shown)
        return sorted(fragment for fragment in ENGLISH if fragment in shown)


async def _walk_every_flow(locale: str, user: SimulatedUser) -> list[str]:
    """One person's walk through every flow; the English fragments they were shown."""
    walk = Walk(user)
    await walk.command("/start")
    await walk.press("keep")
    await walk.press("skip")
    await walk.command("/help")

    # The guided questions, every one answered "yes": a result with its advice.
    await walk.command("/check")
    await walk.press("quiz")
    await walk.press_through(["a:yes"], steps=30)
    assert "report" in walk.actions(), (locale, walk.actions())

    # A phone number, then an agency's name, checked.
    await walk.command("/contact")
    await walk.text(CONTACT)
    await walk.command("/contact")
    await walk.text(AGENCY)

    # Urgent help for oneself (held in Cambodia), then for someone held.
    await walk.command("/help_now")
    await walk.press("who:self")
    await walk.press_through(["cc:KH", "cc:", "skip", "alert:no"])
    await walk.command("/help_now")
    await walk.press("who:other")
    await walk.press_through(["cc:", "docs:", "last:", "skip", "alert:no"])

    # The safety cards, forwards and back.
    await walk.command("/safety")
    await walk.press("next")
    await walk.press("next")
    await walk.press("prev")

    # What is stored, and the erasure asked then declined.
    await walk.command("/privacy")
    await walk.press("erase")
    await walk.press("erase:no")

    # The language menu, keeping this language.
    await walk.command("/language")
    await walk.press(f"lang:{locale}")

    # A conversation with the team: consent, one message, ended by the person.
    await walk.command("/talk")
    await walk.press("talk:start")
    await walk.text("hello")
    await walk.press("talk:end")

    # Last, everything erased.
    await walk.command("/delete")
    await walk.press("erase:yes")
    return walk.english()


async def test_every_flow_entirely_in_the_language(emulator: Emulator,
                                                   bot_app: BotAppFactory) -> None:
    """The 13 people walk at the same time (one bot, as in production): the suite stays quick."""
    await bot_app()
    users = {locale: emulator.user(9100 + index,
                                   language_code=TELEGRAM_LANGUAGE_CODE.get(locale, locale))
             for index, locale in enumerate(SUPPORTED_LOCALES)}
    shown = await asyncio.gather(*(_walk_every_flow(locale, user) for locale, user in users.items()))
    english_left = dict(zip(users, shown, strict=True))
    assert len(english_left.pop("en")) > 20  # the detector sees English when it is there
    assert {locale: left for locale, left in english_left.items() if left} == {}
