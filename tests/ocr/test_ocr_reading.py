"""Reading rendered job ads and chat screenshots in five scripts, and the QR codes in them."""

from __future__ import annotations

import asyncio
import re
import unicodedata

import pytest
from PIL import Image, ImageDraw

from screening import ocr
from tests.ocr.ocr_samples import (
    LINE_QR,
    MISMATCHED_LOCALE_SAMPLES,
    SAMPLES,
    TELEGRAM_QR,
    WHATSAPP_QR,
    Sample,
    render,
    render_png,
    sample_named,
    to_bytes,
)

pytestmark = pytest.mark.usefixtures("fonts_installed")


def _comparable(text: str) -> str:
    # Tesseract puts spaces between Han words, and scripts without word spaces get odd ones.
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _missing_key_words(sample: Sample, text: str) -> list[str]:
    found = _comparable(text)
    return [word for word in sample.key_words if _comparable(word) not in found]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.name)
def test_reads_the_key_words_and_qr_codes(sample: Sample) -> None:
    reading = ocr.read_image(render_png(sample), locale_hint=sample.locale)

    assert reading.error is None
    assert _missing_key_words(sample, reading.text) == [], reading.text
    assert sorted(reading.qr_payloads) == sorted(sample.qr_payloads)
    assert ocr.LOCALE_TESSERACT_LANGUAGE[sample.locale] in reading.languages_used


@pytest.mark.parametrize(
    ("sample", "locale"), MISMATCHED_LOCALE_SAMPLES,
    ids=[f"{sample.name}-from-{locale}" for sample, locale in MISMATCHED_LOCALE_SAMPLES],
)
def test_detects_the_script_when_the_senders_locale_is_another(sample: Sample, locale: str) -> None:
    reading = ocr.read_image(render_png(sample), locale_hint=locale)

    assert reading.error is None
    assert ocr.LOCALE_TESSERACT_LANGUAGE[sample.locale] in reading.languages_used
    assert _missing_key_words(sample, reading.text) == [], reading.text


def test_keeps_the_first_reading_when_the_script_probe_runs_out_of_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    probes = []

    def out_of_time(*args: object, **kwargs: object) -> str | None:
        probes.append(args)
        raise ocr._ReadFailure(ocr.ImageError.TIMEOUT)

    monkeypatch.setattr(ocr, "_detect_script_language", out_of_time)
    # Thai read with English only: mostly misread, so the probe runs (and here fails).
    reading = ocr.read_image(render_png(sample_named("thai_job_ad")), locale_hint="en")

    assert len(probes) == 1
    assert reading.error is None
    assert reading.languages_used == ["eng"]
    assert "50,000" in reading.text


@pytest.mark.parametrize(
    "sample", [sample for sample in SAMPLES if sample.red_flags], ids=lambda sample: sample.name
)
def test_the_text_read_raises_the_same_red_flags_as_the_typed_text(sample: Sample) -> None:
    assess = pytest.importorskip("screening.assess")
    typed = assess.assess_text("\n".join(sample.lines + sample.reply_lines))
    assert set(sample.red_flags) <= {hit.rule_id for hit in typed.flags}, "the sample itself"

    reading = ocr.read_image(render_png(sample), locale_hint=sample.locale)
    read = assess.assess_text(reading.text)

    assert set(sample.red_flags) <= {hit.rule_id for hit in read.flags}, reading.text


def test_qr_payloads_become_contacts() -> None:
    contacts_module = pytest.importorskip("screening.contacts")
    payloads = [
        payload
        for sample in SAMPLES if sample.qr_payloads
        for payload in ocr.read_image(render_png(sample), locale_hint="en").qr_payloads
    ]
    assert sorted(payloads) == sorted([TELEGRAM_QR, LINE_QR, WHATSAPP_QR])

    found = {
        (contact.type.value, contact.value)
        for payload in payloads
        for contact in contacts_module.extract_contacts(payload)
    }
    assert ("telegram", "some_recruiter") in found
    assert ("line", "thai_jobs_hr") in found
    assert ("whatsapp", "+85512345678") in found


def test_reads_a_large_camera_jpeg() -> None:
    # Telegram sends photos as JPEG; this one is over MAX_OCR_PIXELS, so it is decoded reduced.
    sample = sample_named("latin_job_ad_with_qr")
    photo = Image.new("RGB", (3200, 2400), "#8a8f7a")
    photo.paste(render(sample, width=1400, font_size=56), (900, 700))
    assert photo.width * photo.height > ocr.MAX_OCR_PIXELS

    reading = ocr.read_image(to_bytes(photo, image_format="JPEG"), locale_hint="en")

    assert reading.error is None
    assert _missing_key_words(sample, reading.text) == [], reading.text
    assert reading.qr_payloads == [TELEGRAM_QR]


def test_transparent_background_reads_as_white() -> None:
    # Screenshots cut out of an app are often PNGs with a transparent background: converted
    # naively to grayscale they become black text on black.
    image = Image.new("RGBA", (640, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((20, 30), "Salary 2000 USD", fill=(0, 0, 0, 255),
                               font_size=40)
    reading = ocr.read_image(to_bytes(image), locale_hint="en")

    assert reading.error is None
    assert "Salary" in reading.text


async def test_async_reading_leaves_the_event_loop_free() -> None:
    sample = SAMPLES[0]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    try:
        reading = await ocr.read_image_async(render_png(sample), locale_hint=sample.locale)
    finally:
        ticking.cancel()

    assert reading.error is None
    assert _missing_key_words(sample, reading.text) == []
    assert reading.qr_payloads == [TELEGRAM_QR]
    assert ticks > 0  # the loop ran other work while the picture was read
