"""Issue 8 end to end: pictures sent through the emulator are read and screened like text."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest
from PIL import Image

from emulator import Emulator, SentMessage, SimulatedUser
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
    # What was read (issue 16: shown so it can be corrected), then the result.
    read, result = await user.wait_for_replies(2, timeout=30)
    assert read.text.startswith(en.gettext("I read this from your picture:"))
    text = result.text
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
    _read, result = await user.wait_for_replies(2, timeout=60)
    text = result.text
    for rule_id in sample.red_flags:
        assert t.gettext(_rule_message(rule_id)) in text, (rule_id, text)
    for payload in sample.qr_payloads:
        handle = payload.rstrip("/").rsplit("/", 1)[-1].lstrip("~")
        shown = handle in text or (handle.isdigit() and handle in re.sub(r"[^0-9\n]", "", text))
        assert shown, (payload, text)


# --- issue 16 item 7 ------------------------------------------------------------------------------

def _qr_only_png(payload: str = "https://t.me/bigspammer_hr", box_size: int = 10) -> bytes:
    """A picture holding nothing but a QR code (290 px: enlarged for OCR, which blurred it)."""
    import qrcode

    code = qrcode.QRCode(box_size=box_size, border=2)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


async def _photo_replies(user: SimulatedUser, png: bytes, replies: int = 2) -> list[SentMessage]:
    await user.send_photo(png)
    return await user.wait_for_replies(replies, timeout=60)


async def test_a_picture_of_only_a_qr_code_is_read_in_contact_and_check(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    t = get_translator("en")
    user = emulator.user(16701, language_code="en")
    await user.send_command("/contact")
    await user.wait_for_reply(timeout=10)
    read, answer = await _photo_replies(user, _qr_only_png())
    # "typing…" while it was read; then what was read, so a misreading can be corrected.
    assert any(event.kind == "action" and event.action == "typing"
               for event in emulator.chat_state(16701).events)
    assert read.text.startswith(t.gettext("I read this from your picture:"))
    assert "https://t.me/bigspammer_hr" in read.text
    assert t.gettext("If I misread something, send the text typed and I will check it again.") \
        in read.text
    assert "@bigspammer_hr" in answer.text

    await user.send_command("/check")
    await user.wait_for_reply(timeout=10)
    read, answer = await _photo_replies(user, _qr_only_png())
    assert "@bigspammer_hr" in answer.text
    assert t.gettext("That is too short for me to check. Paste the whole job ad or the recruiter's "
                     "messages, or answer the questions instead.") not in answer.text
    assert not emulator.api_errors, emulator.api_errors


async def test_the_sixth_picture_in_a_minute_is_refused_kindly(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    from handlers.router import TOO_MANY_PICTURES_MESSAGE

    await bot_app()
    t = get_translator("vi")
    user = emulator.user(16702, language_code="vi")
    await user.send_command("/contact")
    await user.wait_for_reply(timeout=10)
    for index in range(5):
        replies = await _photo_replies(user, _qr_only_png(f"https://t.me/recruiter_{index}x"))
        assert f"@recruiter_{index}x" in replies[-1].text
    refused = await _photo_replies(user, _qr_only_png("https://t.me/recruiter_6x"), replies=1)
    assert refused[0].text == t.gettext(TOO_MANY_PICTURES_MESSAGE)
    assert not emulator.api_errors, emulator.api_errors
