"""A Telegram Bot API emulator for tests, the sandbox and local runs without a token.

It speaks the part of the Bot API lurecheck uses, on the wire like api.telegram.org (see
`emulator.server`), so python-telegram-bot talks to it through its normal HTTP stack with
`base_url=emulator.base_url`. Simulated users act in-process::

    async with Emulator() as emu:
        user = emu.user(42, first_name="Mali", language_code="th")
        await user.send_command("/start")
        reply = await user.wait_for_reply()
        pressed = await user.press_button(reply, 0)
        answer = await user.wait_for_answer(pressed)

or, from another process, through the `/_emulator/...` control endpoints (`serve()`).
Fault injection (flood limits, 5xx, latency) lives in `emu.faults` (`emulator.faults`).
"""

from emulator.core import DEFAULT_TOKEN, Emulator
from emulator.errors import ApiError
from emulator.faults import Faults
from emulator.models import CallbackAnswer, ChatEvent, InlineButton, SentMessage
from emulator.server import serve
from emulator.users import GroupChat, NoReplyError, PressedButton, SimulatedUser

__all__ = [
    "DEFAULT_TOKEN", "ApiError", "CallbackAnswer", "ChatEvent", "Emulator", "Faults",
    "GroupChat", "InlineButton", "NoReplyError", "PressedButton", "SentMessage",
    "SimulatedUser", "serve",
]
