"""Issue 2's promise, end to end through python-telegram-bot's HTTP stack and the emulator:
greeting and menu in the person's Telegram language, /language switches, buttons answered —
with updates delivered by long polling and by webhook."""

from __future__ import annotations

import json

import aiohttp
import pytest

from emulator import Emulator
from locales.i18n import get_translator
from tests.e2e.conftest import E2E_WEBHOOK_SECRET, BotAppFactory, WebhookBotFactory


async def _journey(emulator: Emulator, user_id: int) -> None:
    th = get_translator("th")
    user = emulator.user(user_id, first_name="Mali", language_code="th")
    await user.send_command("/start")
    greeting = await user.wait_for_reply(timeout=10)
    assert th.gettext("Shall we continue in {language}?", language="ไทย") in greeting.text
    assert greeting.flat_buttons[0].text == th.gettext("✓ Yes, {language}", language="ไทย")

    pressed = await user.press_button(greeting, 0)
    answer = await user.wait_for_answer(pressed, timeout=10)
    assert answer is not None  # the callback query was acknowledged
    country = await user.wait_for_reply(timeout=10)
    skip = next(i for i, b in enumerate(country.flat_buttons) if b.text == th.gettext("Skip"))
    await user.press_button(country, skip)
    menu = await user.wait_for_reply(timeout=10)
    assert menu.text == th.gettext("What would you like to do?")
    assert th.gettext("🔎 Check a job offer") in [b.text for b in menu.flat_buttons]

    await user.send_command("/language")
    choices = await user.wait_for_reply(timeout=10)
    khmer = next(i for i, b in enumerate(choices.flat_buttons) if b.text == "ខ្មែរ")
    await user.press_button(choices, khmer)
    replies = await user.wait_for_replies(2, timeout=10)
    km = get_translator("km")
    assert replies[0].text == km.gettext("Done. I will write to you in {language}.", language="ខ្មែរ")
    assert replies[1].text == km.gettext("What would you like to do?")
    assert not emulator.api_errors, emulator.api_errors


async def test_start_and_language_by_polling(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    await _journey(emulator, 7001)


async def test_start_and_language_by_webhook(emulator: Emulator,
                                             webhook_bot: WebhookBotFactory) -> None:
    await webhook_bot()
    await _journey(emulator, 7002)
    # Each of the three buttons acknowledged once, by the webhook's answer (bot/web.py), not
    # again by a request of the bot's own (that second answer would fail: api_errors).
    assert [call.status for call in emulator.calls_to("answerCallbackQuery")] == [200] * 3


async def test_commands_are_published_per_language(emulator: Emulator,
                                                   webhook_bot: WebhookBotFactory) -> None:
    await webhook_bot()
    calls = emulator.calls_to("setMyCommands")
    languages = {call.params.get("language_code") for call in calls}
    assert {None, "th", "km", "my", "zh", "vi"} <= languages


async def test_webhook_refuses_a_wrong_secret_and_junk(webhook_bot: WebhookBotFactory) -> None:
    started = await webhook_bot()
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "hi",
                                         "chat": {"id": 9, "type": "private"},
                                         "from": {"id": 9, "is_bot": False, "first_name": "X"}}}
    async with aiohttp.ClientSession() as http:
        async with http.post(started.url, json=update) as response:
            assert response.status == 401
        async with http.post(started.url, json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
            assert response.status == 401
        async with http.post(started.url, data=b"{not json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": E2E_WEBHOOK_SECRET}
                             ) as response:
            assert response.status == 400


@pytest.mark.parametrize("copies", [3])
async def test_webhook_processes_a_redelivered_update_once(emulator: Emulator,
                                                           webhook_bot: WebhookBotFactory,
                                                           copies: int) -> None:
    started = await webhook_bot()
    user = emulator.user(7003, language_code="en")
    update = {"update_id": 990001, "message": {
        "message_id": 1, "date": 1_700_000_000, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": user.chat_id, "type": "private", "first_name": "T"},
        "from": {"id": 7003, "is_bot": False, "first_name": "T", "language_code": "en"}}}
    async with aiohttp.ClientSession() as http:
        for _ in range(copies):
            async with http.post(started.url, data=json.dumps(update), headers={
                    "X-Telegram-Bot-Api-Secret-Token": E2E_WEBHOOK_SECRET,
                    "Content-Type": "application/json"}) as response:
                assert response.status == 200
    await user.wait_for_reply(timeout=10)
    await user.wait_until_settled(quiet=0.5)
    greetings = [m for m in user.messages if "Shall we continue" in m.text]
    assert len(greetings) == 1
