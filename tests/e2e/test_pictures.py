"""Issue 8 end to end: pictures sent through the emulator are read and screened like text."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest
from PIL import Image

from emulator import Emulator
from locales.i18n import get_translator
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


@pytest.mark.parametrize("name", ["thai_job_ad", "khmer_chat", "myanmar_job_ad", "han_chat",
                                  "latin_chat_with_qr"])
async def test_pictures_in_every_script_are_screened_in_the_senders_language(
        name: str, emulator: Emulator, bot_app: BotAppFactory) -> None:
    """Photos through the emulator (recompressed like Telegram's) → OCR → the same screening as
    pasted text: the sample's red flags are explained in the sender's language."""
    sample = sample_named(name)
    await bot_app()
    t = get_translator(sample.locale)
    user = emulator.user(8200 + len(name), language_code=sample.locale.replace("_", "-").lower())
    await user.send_command("/check")
    await user.wait_for_reply(timeout=10)
    await user.send_photo(render_png(sample))
    first = await user.wait_for_reply(timeout=60)
    await user.wait_until_settled(quiet=0.5)
    text = "\n".join(m.text for m in user.messages[user.messages.index(first):])
    for rule_id in sample.red_flags:
        assert t.gettext(_rule_message(rule_id)) in text, (rule_id, text)
    for payload in sample.qr_payloads:
        handle = payload.rstrip("/").rsplit("/", 1)[-1].lstrip("~")
        shown = handle in text or (handle.isdigit() and handle in re.sub(r"[^0-9\n]", "", text))
        assert shown, (payload, text)
