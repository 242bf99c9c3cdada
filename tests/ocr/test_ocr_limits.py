"""Bad, huge and hostile pictures, slow or missing tools: a clear `error`, never an exception."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from locales.i18n import SUPPORTED_LOCALES
from screening import ocr


def _png(size: tuple[int, int], mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 255).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def no_zbar_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A QR decoder that finds nothing, so these tests run where libzbar0 is absent."""
    monkeypatch.setattr(ocr, "_zbar_decoder", lambda: lambda image: [])


@pytest.fixture
def slow_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   no_zbar_needed: None) -> Path:
    """A stand-in for Tesseract that hangs; returns the file where it writes its process id."""
    pid_file = tmp_path / "tesseract.pid"
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        '    printf "List of available languages (1):\\neng\\n"; exit 0\n'
        "fi\n"
        f'echo $$ > "{pid_file}"\n'
        "exec sleep 60\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(ocr, "TESSERACT_COMMAND", str(script))
    return pid_file


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.usefixtures("reader_installed")
@pytest.mark.parametrize(
    ("make_data", "error"),
    [
        (lambda: b"", ocr.ImageError.UNREADABLE),
        (lambda: b"this is not a picture at all" * 10, ocr.ImageError.UNREADABLE),
        (lambda: b"%PDF-1.7\n1 0 obj << >> endobj\n", ocr.ImageError.UNREADABLE),
        (lambda: _png((400, 300))[:200], ocr.ImageError.UNREADABLE),  # cut off mid-file
        (lambda: b"\x89PNG\r\n\x1a\n" + bytes(ocr.MAX_IMAGE_BYTES), ocr.ImageError.TOO_LARGE),
        # 30 Mpx of white compress to a few kB: refused from the header, before decoding.
        (lambda: _png((6000, 5000), mode="1"), ocr.ImageError.TOO_LARGE),
    ],
    ids=["empty", "garbage", "pdf", "truncated", "too-many-bytes", "too-many-pixels"],
)
def test_bad_input_gives_a_clear_error(make_data: Callable[[], bytes],
                                       error: ocr.ImageError) -> None:
    reading = ocr.read_image(make_data(), locale_hint="en")

    assert reading.error == error
    assert (reading.text, reading.qr_payloads, reading.languages_used) == ("", [], [])


@pytest.mark.usefixtures("reader_installed")
def test_a_blank_picture_reads_as_no_text() -> None:
    reading = ocr.read_image(_png((300, 200)), locale_hint="th")

    assert reading == ocr.ImageReading(text="", qr_payloads=[], languages_used=["tha", "eng"])


def test_tesseract_is_killed_at_the_deadline(slow_tesseract: Path) -> None:
    reading = ocr.read_image(_png((300, 200)), locale_hint="en", timeout_s=0.5)

    assert reading.error == ocr.ImageError.TIMEOUT
    pid = int(slow_tesseract.read_text())
    assert not _is_running(pid)


async def test_async_reading_times_out_and_the_queue_refuses_when_full(
    slow_tesseract: Path,
) -> None:
    pool = ocr._ReaderPool(workers=1, max_waiting=0)
    first = asyncio.create_task(pool.read(_png((300, 200)), "en", 0.5))
    await asyncio.sleep(0.05)  # let the first picture take the only reader

    second = await pool.read(_png((300, 200)), "en", 0.5)

    assert second.error == ocr.ImageError.BUSY
    assert (await first).error == ocr.ImageError.TIMEOUT
    assert pool.in_flight == 0


def test_missing_tesseract_is_reported(monkeypatch: pytest.MonkeyPatch,
                                       no_zbar_needed: None) -> None:
    monkeypatch.setattr(ocr, "TESSERACT_COMMAND", "/nonexistent/tesseract")

    assert not ocr.ocr_available()
    assert "tesseract" in ocr.missing_components()
    assert ocr.read_image(_png((300, 200)), locale_hint="en").error == ocr.ImageError.UNAVAILABLE


@pytest.mark.usefixtures("reader_installed")
def test_missing_zbar_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_zbar_decoder", lambda: None)

    assert ocr.missing_components() == ["libzbar0"]
    assert ocr.read_image(_png((300, 200)), locale_hint="en").error == ocr.ImageError.UNAVAILABLE


def test_every_locale_has_tesseract_language_data() -> None:
    assert set(ocr.LOCALE_TESSERACT_LANGUAGE) == set(SUPPORTED_LOCALES)


@pytest.mark.usefixtures("reader_installed")
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_first_pass_languages_follow_the_locale(locale: str) -> None:
    expected = ocr.LOCALE_TESSERACT_LANGUAGE[locale]
    languages = ocr.languages_for_locale(locale)

    assert languages[0] == expected
    assert languages == ([expected] if expected == "eng" else [expected, "eng"])


def test_unknown_locale_reads_english(no_zbar_needed: None, slow_tesseract: Path) -> None:
    # The stand-in has only English; an unknown or missing locale must not ask for more.
    assert ocr.languages_for_locale(None) == ["eng"]
    assert ocr.languages_for_locale("xx") == ["eng"]
    assert ocr.languages_for_locale("th") == ["eng"]


def test_thai_and_lao_sara_am_are_recomposed() -> None:
    # Tesseract writes ำ as ํ + า; keyword lists and people write the single character.
    assert ocr._normalise_text("ท\u0e4d\u0e32งาน\n\n  ") == "ทำงาน"
    assert ocr._normalise_text("ນ\u0ecd\u0eb2") == "ນຳ"


def test_every_error_has_a_message_for_the_person() -> None:
    assert set(ocr.ERROR_MESSAGES) == set(ocr.ImageError)
