"""Long polling keeps nothing per person in python-telegram-bot's Application: PTB marks every
handled update's chat and user for a persistence the bot does not have, in sets only a
persistence run empties (`bot.app.LurecheckApplication` skips that without a persistence)."""

from __future__ import annotations

from emulator import Emulator
from tests.e2e.conftest import BotAppFactory


async def test_handled_updates_leave_no_ids_behind(emulator: Emulator,
                                                   bot_app: BotAppFactory) -> None:
    application = await bot_app()
    assert application.persistence is None
    for user_id in (101, 102, 103):
        user = emulator.user(user_id, language_code="en")
        await user.send_command("/start")
        await user.wait_for_reply(timeout=10)
    # The private names are PTB 22's; if a later version renames them, this fails loudly
    # rather than passing without checking anything.
    assert application._chat_ids_to_be_updated_in_persistence == set()
    assert application._user_ids_to_be_updated_in_persistence == set()
