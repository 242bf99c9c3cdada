"""Issue 8 end to end: pictures sent through the emulator are read and screened like text."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from PIL import Image

from bot.emulator import Emulator
from bot.i18n import get_translator
from screening.rules import default_rules
from tests.e2e.conftest import BotAppFactory
from tests.ocr.ocr_samples import render_png, sample_named

if shutil.which("tesseract") is None:
    if os.environ.get("CI"):
        raise RuntimeError("tesseract is missing: scripts/system-packages.sh must install it in CI")
    pytest.skip("tesseract is not installed here (scripts/system-packages.sh)", allow_module_level=True)


def _rule_message(rule_id: str) -> str:
    return next(rule.message for rule in default_rules().rules if rule.id == rule_id)


async def test_a_job_ad_picture_is_screened(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    en = get_translator("en")
    user = emulator.user(8101, language_code="en")
    await user.send_command("/check")
    await user.wait_for_reply(timeout=10)
    await user.send_photo(render_png(sample_named("latin_job_ad_with_qr")))
    first = await user.wait_for_reply(timeout=30)
    await user.wait_until_settled(quiet=0.5)
    later = user.messages[user.messages.index(first):]
    text = "\n".join(message.text for message in later)
    assert en.gettext(_rule_message("employer_pays_flight")) in text
    assert "some_recruiter" in text  # the recruiter's Telegram handle, from the QR code


async def test_an_unreadable_picture_keeps_the_person_in_place(emulator: Emulator,
                                                               bot_app: BotAppFactory) -> None:
    await bot_app()
    th = get_translator("th")
    user = emulator.user(8102, language_code="th")
    await user.send_command("/check")
    invitation = await user.wait_for_reply(timeout=10)
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(blank, format="PNG")
    await user.send_photo(blank.getvalue())  # a picture with nothing to read
    replies = await user.wait_for_replies(2, timeout=30)
    assert replies[0].text == th.gettext("I could not read this picture — could you paste the text?")
    assert replies[1].text == invitation.text  # still waiting for the offer
