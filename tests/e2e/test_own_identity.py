"""A person's own handle never becomes a 'scam contact', even when they forward their own message."""

from __future__ import annotations

from emulator import Emulator
from tests.e2e.conftest import BotAppFactory

OFFER = ("Hiring customer service in Sihanoukville, salary 1500 USD, free flight and visa, "
         "no experience needed. Contact @hr_recruiter_kh on Telegram.")


async def test_forwarding_my_own_message_does_not_list_me(emulator: Emulator,
                                                          bot_app: BotAppFactory) -> None:
    await bot_app()
    me = emulator.user(8301, first_name="Mali", username="mali_at_home", language_code="en")
    await me.send_command("/check")
    await me.wait_for_reply(timeout=10)
    await me.forward_text(OFFER, from_user=me)
    result = await me.wait_for_reply(timeout=10)
    await me.wait_until_settled(quiet=0.3)
    text = "\n".join(m.text for m in me.messages[me.messages.index(result):])
    assert "hr_recruiter_kh" in text
    assert "mali_at_home" not in text


async def test_a_recruiters_forward_is_listed(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    me = emulator.user(8302, first_name="Mali", username="mali_at_home", language_code="en")
    recruiter = emulator.user(8399, first_name="Jenny", username="jenny_hr_asia")
    await me.send_command("/check")
    await me.wait_for_reply(timeout=10)
    await me.forward_text(OFFER, from_user=recruiter)
    result = await me.wait_for_reply(timeout=10)
    await me.wait_until_settled(quiet=0.3)
    text = "\n".join(m.text for m in me.messages[me.messages.index(result):])
    assert "jenny_hr_asia" in text
