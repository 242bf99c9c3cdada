"""The e2e fixtures themselves: the real bot answers through the emulator by both deliveries."""

from __future__ import annotations

from bot.emulator import Emulator
from tests.e2e.conftest import BotAppFactory, WebhookBotFactory


async def _start_and_press(emulator: Emulator, user_id: int) -> None:
    user = emulator.user(user_id, first_name="Somchai", language_code="th")
    await user.send_command("/start")
    reply = await user.wait_for_reply(timeout=10)
    assert reply.flat_buttons, f"/start should offer buttons, got {reply.text!r}"
    pressed = await user.press_button(reply, 0)
    await user.wait_for_answer(pressed, timeout=10)  # the spinner stops for the person
    events = await user.wait_until_settled(quiet=0.2)
    assert any(event.kind in ("sent", "edited") for event in events), events


async def test_polling_bot_answers_start_and_buttons(emulator: Emulator,
                                                     bot_app: BotAppFactory) -> None:
    await bot_app()
    await _start_and_press(emulator, 501)
    assert not emulator.api_errors, emulator.api_errors


async def test_webhook_bot_answers_start_and_buttons(emulator: Emulator,
                                                     webhook_bot: WebhookBotFactory) -> None:
    started = await webhook_bot()
    assert emulator.webhook.url == started.url
    await _start_and_press(emulator, 502)
    assert not emulator.api_errors, emulator.api_errors
    assert emulator.webhook.last_error_message is None


async def test_bot_retries_when_telegram_says_slow_down(emulator: Emulator,
                                                        bot_app: BotAppFactory) -> None:
    await bot_app()
    user = emulator.user(503, language_code="en")
    emulator.faults.configure({"retry_after_next": 1, "retry_after_seconds": 1})
    await user.send_command("/start")
    reply = await user.wait_for_reply(timeout=10)
    assert reply.text
    statuses = [call.status for call in emulator.calls_to("sendMessage")]
    assert statuses[:2] == [429, 200], statuses
