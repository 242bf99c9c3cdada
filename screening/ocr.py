"""Reading screenshots: text with Tesseract OCR, contacts from QR codes with zbar. Pure: no Telegram.

Recruiters send job ads as pictures and job seekers send screenshots of the chat; the text read
here goes through the same screening as pasted text. The picture itself is never written anywhere:
it is decoded in memory and handed to Tesseract through a pipe; only the text comes back.

Safety: the bytes are validated with Pillow (format, byte size, pixel count read from the header
before any pixel is decoded), then re-encoded by us, so Tesseract and zbar never parse what a
stranger sent. Tesseract runs as a subprocess that is killed at the deadline, and
`read_image_async` keeps all of it off the event loop with a bounded queue, so a huge or hostile
picture cannot stall other users.

Languages: the first pass uses the sender's locale plus English (URLs, handles and phone numbers
are Latin everywhere). Tesseract's own script detection (`--psm 0`) does not know Khmer or
Myanmar and called both "Latin" on our samples, so instead, when much of the first pass is
low-confidence, the worst lines are cropped and OCR'd once per script (most frequent first,
stopping at a clear winner), and the script that reads them best is used for a second pass on
the whole picture.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import os
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from PIL import Image, ImageOps

from locales.i18n import N_

log = logging.getLogger(__name__)

TESSERACT_COMMAND = "tesseract"
DEFAULT_TIMEOUT_S = 15.0
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000
# Pictures are read at no more than this many pixels: a phone screenshot (1080x2400) fits, and
# OCR time grows with the pixel count.
MAX_OCR_PIXELS = 6_000_000
# Thumbnails smaller than this (longest side) are enlarged, up to twice, so letters are big enough.
MIN_OCR_LONG_SIDE = 600
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
MAX_TEXT_CHARS = 20_000
MAX_QR_PAYLOADS = 10
MAX_QR_PAYLOAD_CHARS = 2_000

# One Tesseract language per supported locale (locales.i18n.SUPPORTED_LOCALES). Debian ships
# Tagalog as Filipino ("fil"); there is no "tgl" package.
LOCALE_TESSERACT_LANGUAGE: dict[str, str] = {
    "en": "eng", "zh_Hans": "chi_sim", "zh_Hant": "chi_tra", "vi": "vie", "th": "tha",
    "id": "ind", "ms": "msa", "tl": "fil", "km": "khm", "lo": "lao", "my": "mya", "ko": "kor",
    "hi": "hin",
}
# The scripts of the region, most frequent in recruiters' ads first, tried on the low-confidence
# lines when the locale's language does not read the picture. Languages of one script are tried
# together (simplified and traditional Han read each other's text with fair confidence).
# Vietnamese is there because English drops its diacritics.
PROBE_LANGUAGE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("chi_sim", "chi_tra"), ("tha",), ("mya",), ("khm",), ("vie",), ("lao",), ("kor",),
    ("hin",), ("eng",),
)

# Words below this confidence (0-100) count as misread.
LOW_CONFIDENCE = 60.0
# Probe other scripts when at least this share of the text's area was misread.
PROBE_WHEN_LOW_SHARE = 0.2
# A probed script must beat the first pass by this many confidence points to be used.
PROBE_MIN_GAIN = 10.0
# A script group reading the probe this well ends the probing: the right script scored 88-92 on
# our samples and the wrong ones at most 41 (chi_tra on simplified text: 77).
PROBE_GOOD_ENOUGH = 85.0
PROBE_MAX_LINES = 3

# Tesseract's page segmentation 11 ("sparse text") with Sauvola thresholding read our chat
# screenshots and posters best (text on coloured banners, bubbles) of the settings we measured
# on the rendered samples of tests/ocr (plain grayscale, psm 3, upscaling, polarity flattening).
_TESSERACT_OPTIONS = ("--psm", "11", "-c", "thresholding_method=2")
# OpenMP threads inside one Tesseract only fight the other readers for the same cores.
_TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


class ImageError(StrEnum):
    UNAVAILABLE = "unavailable"  # Tesseract or zbar is not installed on this server
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"  # not a picture we can decode
    TIMEOUT = "timeout"
    BUSY = "busy"  # too many pictures waiting already
    FAILED = "failed"  # Tesseract itself failed


# What to tell the person; English msgids, translated with `t.gettext` where shown.
ERROR_MESSAGES: dict[ImageError, str] = {
    ImageError.UNAVAILABLE: N_(
        "I cannot read pictures on this server. Could you paste the text instead?"
    ),
    ImageError.TOO_LARGE: N_(
        "This picture is too large for me to read. Could you send a screenshot, or paste the text?"
    ),
    ImageError.UNREADABLE: N_("I could not read this picture — could you paste the text?"),
    ImageError.TIMEOUT: N_(
        "Reading this picture took too long. Could you paste the text, or send a smaller picture?"
    ),
    ImageError.BUSY: N_(
        "I am reading many pictures right now. Please send yours again in a minute, or paste the text."
    ),
    ImageError.FAILED: N_("I could not read this picture — could you paste the text?"),
}


@dataclass(frozen=True)
class ImageReading:
    text: str
    qr_payloads: list[str]
    languages_used: list[str]  # Tesseract language codes of the pass whose text is returned
    error: str | None = None  # an `ImageError` value; then text and payloads are empty

    @classmethod
    def failed(cls, error: ImageError) -> ImageReading:
        return cls(text="", qr_payloads=[], languages_used=[], error=error)


class _ReadFailure(Exception):
    def __init__(self, error: ImageError) -> None:
        super().__init__(error.value)
        self.error = error


# --- what is installed ---------------------------------------------------------------------------


@cache
def _tesseract_languages(command: str) -> frozenset[str]:
    """The language data Tesseract has here (empty when Tesseract is missing)."""
    try:
        completed = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, timeout=10, check=True,
            env=_TESSERACT_ENV,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # The first line is a header ("List of available languages in ...").
    return frozenset(line.strip() for line in completed.stdout.splitlines()[1:] if line.strip())


def tesseract_languages() -> frozenset[str]:
    return _tesseract_languages(TESSERACT_COMMAND)


ZbarDecoder = Callable[[Image.Image], list[str]]


@cache
def _zbar_decoder() -> ZbarDecoder | None:
    """pyzbar's QR decoder, or None when the zbar shared library is missing."""
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError):
        return None

    def decode(image: Image.Image) -> list[str]:
        symbols = pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
        return [symbol.data.decode("utf-8", errors="replace") for symbol in symbols]

    return decode


def missing_components() -> list[str]:
    """What this server lacks to read pictures (empty when all is there)."""
    missing = []
    languages = tesseract_languages()
    if not languages:
        missing.append("tesseract")
    elif "eng" not in languages:
        missing.append("tesseract-ocr-eng")
    if _zbar_decoder() is None:
        missing.append("libzbar0")
    return missing


def ocr_available() -> bool:
    return not missing_components()


def languages_for_locale(locale: str | None) -> list[str]:
    """The first-pass languages for a sender: the locale's language, then English."""
    installed = tesseract_languages()
    chosen = [LOCALE_TESSERACT_LANGUAGE.get(locale or "en", "eng"), "eng"]
    return [code for index, code in enumerate(chosen)
            if code in installed and code not in chosen[:index]]


# --- the picture ---------------------------------------------------------------------------------


def _open_image(data: bytes) -> Image.Image:
    """Decode `data` into a grayscale picture at its own size (JPEGs over `MAX_OCR_PIXELS`
    decoded smaller), or raise `_ReadFailure`. `_resize_for_ocr` then sizes it for Tesseract."""
    if not data:
        raise _ReadFailure(ImageError.UNREADABLE)
    if len(data) > MAX_IMAGE_BYTES:
        raise _ReadFailure(ImageError.TOO_LARGE)
    try:
        # `open` reads only the header: the size is checked before a single pixel is decoded.
        image: Image.Image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        width, height = image.size
        if width < 1 or height < 1:
            raise _ReadFailure(ImageError.UNREADABLE)
        if width * height > MAX_IMAGE_PIXELS:
            raise _ReadFailure(ImageError.TOO_LARGE)
        if image.format == "JPEG" and width * height > MAX_OCR_PIXELS:
            # Let libjpeg decode at 1/2, 1/4… straight to gray: a camera photo then never
            # occupies its full-size RGB memory, and the resize below has less to do.
            scale = (MAX_OCR_PIXELS / (width * height)) ** 0.5
            image.draft("L", (round(width * scale), round(height * scale)))
        image.load()  # the first frame only, for animations and multi-page TIFFs
        image = _upright(image)
        if image.mode in ("RGBA", "LA", "PA", "P"):
            # Transparent areas are white on screen; without this they turn black.
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, "white")
            image = Image.alpha_composite(background, image)
        image = image.convert("L")
    except _ReadFailure:
        raise
    except Image.DecompressionBombError:
        raise _ReadFailure(ImageError.TOO_LARGE) from None
    except Exception:  # Pillow raises many types for damaged files (OSError, SyntaxError, …)
        raise _ReadFailure(ImageError.UNREADABLE) from None
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Turned as the camera's EXIF orientation says; a damaged EXIF block is ignored."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # Pillow raises what the damaged tag's parser raised
        return image


def _resize_for_ocr(image: Image.Image) -> Image.Image:
    width, height = image.size
    scale = 1.0
    if width * height > MAX_OCR_PIXELS:
        scale = (MAX_OCR_PIXELS / (width * height)) ** 0.5
    elif max(width, height) < MIN_OCR_LONG_SIDE:
        scale = min(2.0, MIN_OCR_LONG_SIDE / max(width, height))
    if scale == 1.0:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _decode_qr(image: Image.Image, decoder: ZbarDecoder) -> list[str]:
    payloads: list[str] = []
    for payload in decoder(image):
        payload = payload.strip()[:MAX_QR_PAYLOAD_CHARS]
        if payload and payload not in payloads:
            payloads.append(payload)
    return payloads[:MAX_QR_PAYLOADS]


# --- Tesseract -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom
    line: tuple[int, int, int]  # block, paragraph, line numbers

    @property
    def area(self) -> int:
        return (self.box[2] - self.box[0]) * (self.box[3] - self.box[1])


@dataclass(frozen=True)
class _Pass:
    languages: list[str]
    text: str
    words: list[_Word] = field(default_factory=list)

    def confidence(self) -> float:
        """Mean word confidence weighted by the area each word covers (fair across scripts)."""
        total = sum(word.area for word in self.words)
        if total == 0:
            return 0.0
        return sum(word.confidence * word.area for word in self.words) / total

    def low_confidence_share(self) -> float:
        total = sum(word.area for word in self.words)
        if total == 0:
            return 0.0
        return sum(w.area for w in self.words if w.confidence < LOW_CONFIDENCE) / total


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _ReadFailure(ImageError.TIMEOUT)
    return remaining


def _run_tesseract(image: Image.Image, languages: Sequence[str], *, deadline: float) -> _Pass:
    """One Tesseract run over `image`, fed through stdin; killed when the deadline passes."""
    pixels = io.BytesIO()
    image.save(pixels, format="PPM")  # uncompressed: nothing to spend time on
    with tempfile.TemporaryDirectory(prefix="lurecheck-ocr-") as workdir:
        output_base = Path(workdir) / "out"
        command = [TESSERACT_COMMAND, "stdin", str(output_base), "-l", "+".join(languages),
                   *_TESSERACT_OPTIONS, "txt", "tsv"]
        try:
            # `run` kills the child when the timeout expires.
            completed = subprocess.run(
                command, input=pixels.getvalue(), capture_output=True,
                timeout=_remaining(deadline), env=_TESSERACT_ENV,
            )
        except subprocess.TimeoutExpired:
            raise _ReadFailure(ImageError.TIMEOUT) from None
        except OSError:
            raise _ReadFailure(ImageError.UNAVAILABLE) from None
        if completed.returncode != 0:
            log.warning("tesseract failed with exit code %s: %s", completed.returncode,
                        completed.stderr.decode(errors="replace")[-300:])
            raise _ReadFailure(ImageError.FAILED)
        text = output_base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        tsv = output_base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    return _Pass(languages=list(languages), text=_normalise_text(text), words=_parse_tsv(tsv))


def _parse_tsv(tsv: str) -> list[_Word]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text:
            continue
        try:
            confidence = float(row["conf"])
            left, top = int(row["left"]), int(row["top"])
            box = (left, top, left + int(row["width"]), top + int(row["height"]))
            line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        except (KeyError, TypeError, ValueError):
            continue
        if confidence >= 0:
            words.append(_Word(text=text, confidence=confidence, box=box, line=line))
    return words


def _normalise_text(text: str) -> str:
    """NFC, Thai/Lao SARA AM recomposed, blank lines dropped, length capped."""
    text = unicodedata.normalize("NFC", text)
    # Tesseract spells SARA AM as NIKHAHIT + SARA AA, which no keyword list matches.
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def _worst_lines(first: _Pass) -> list[tuple[int, int, int]]:
    """The lines with the most misread area, worst first."""
    low_area_by_line: dict[tuple[int, int, int], int] = {}
    for word in first.words:
        if word.confidence < LOW_CONFIDENCE:
            low_area_by_line[word.line] = low_area_by_line.get(word.line, 0) + word.area
    worst = sorted(low_area_by_line, key=low_area_by_line.__getitem__, reverse=True)
    return worst[:PROBE_MAX_LINES]


def _probe_image(image: Image.Image, words: list[_Word]) -> Image.Image:
    """The lines of `words` cut out of `image` and stacked into one small picture."""
    boxes_by_line: dict[tuple[int, int, int], list[tuple[int, int, int, int]]] = {}
    for word in words:
        boxes_by_line.setdefault(word.line, []).append(word.box)
    crops = []
    for boxes in boxes_by_line.values():
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        margin = max(4, (bottom - top) // 3)
        crops.append(image.crop((max(0, left - margin), max(0, top - margin),
                                 min(image.width, right + margin),
                                 min(image.height, bottom + margin))))
    gap = 20
    probe = Image.new("L", (max(c.width for c in crops) + 2 * gap,
                            sum(c.height + gap for c in crops) + gap), 255)
    y = gap
    for crop in crops:
        probe.paste(crop, (gap, y))
        y += crop.height + gap
    return probe


def _detect_script_language(
    image: Image.Image, first: _Pass, *, deadline: float
) -> str | None:
    """The language that reads the first pass's worst lines clearly better than it did, if any."""
    lines = set(_worst_lines(first))
    words = [word for word in first.words if word.line in lines]
    if not words:
        return None
    probe = _probe_image(image, words)
    installed = tesseract_languages()
    baseline = _Pass(languages=first.languages, text="", words=words).confidence()
    best_language, best_confidence = None, baseline + PROBE_MIN_GAIN
    for group in PROBE_LANGUAGE_GROUPS:
        for language in group:
            if language in first.languages or language not in installed:
                continue
            confidence = _run_tesseract(probe, [language], deadline=deadline).confidence()
            if confidence > best_confidence:
                best_language, best_confidence = language, confidence
        if best_confidence >= PROBE_GOOD_ENOUGH:
            break
    return best_language


# --- the API -------------------------------------------------------------------------------------


def _read_until(data: bytes, locale_hint: str | None, deadline: float) -> ImageReading:
    try:
        if not ocr_available():
            raise _ReadFailure(ImageError.UNAVAILABLE)
        _remaining(deadline)  # a picture that waited in the queue past its deadline is dropped
        opened = _open_image(data)
        image = _resize_for_ocr(opened)
        decoder = _zbar_decoder()
        assert decoder is not None  # checked by ocr_available()
        # zbar sees the picture as sent: the smoothing of an enlarged QR code can hide it.
        qr_payloads = _decode_qr(opened, decoder) or (
            _decode_qr(image, decoder) if image is not opened else [])
        reading = _run_tesseract(image, languages_for_locale(locale_hint), deadline=deadline)
    except _ReadFailure as failure:
        return ImageReading.failed(failure.error)
    if reading.low_confidence_share() >= PROBE_WHEN_LOW_SHARE:
        try:
            reading = _reread_in_detected_script(image, reading, deadline=deadline)
        except _ReadFailure as failure:
            # Out of time (or a language's data is broken): the first reading is still worth
            # screening, and better than asking the person to type it all.
            log.info("kept the first OCR pass: script probe stopped (%s)", failure.error.value)
    return ImageReading(text=reading.text, qr_payloads=qr_payloads,
                        languages_used=reading.languages)


def _reread_in_detected_script(image: Image.Image, first: _Pass, *, deadline: float) -> _Pass:
    language = _detect_script_language(image, first, deadline=deadline)
    if language is None:
        return first
    second = _run_tesseract(image, [language, "eng"] if language != "eng" else ["eng"],
                            deadline=deadline)
    return second if second.confidence() > first.confidence() else first


def read_image(
    data: bytes, *, locale_hint: str | None, timeout_s: float = DEFAULT_TIMEOUT_S
) -> ImageReading:
    """Read the text and QR codes in a picture. Blocking: from async code use `read_image_async`.

    Never raises for bad input: problems come back as `ImageReading.error` (an `ImageError`).
    """
    return _read_until(data, locale_hint, time.monotonic() + timeout_s)


class _ReaderPool:
    """A few reader threads and a bounded queue in front of them.

    Threads suffice: Tesseract is a subprocess, and Pillow and zbar release the GIL while they work.
    """

    def __init__(self, *, workers: int, max_waiting: int) -> None:
        self.workers = workers
        self.max_waiting = max_waiting
        self.in_flight = 0
        self._executor: ThreadPoolExecutor | None = None

    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
        return self._executor

    async def read(self, data: bytes, locale_hint: str | None, timeout_s: float) -> ImageReading:
        if self.in_flight >= self.workers + self.max_waiting:
            return ImageReading.failed(ImageError.BUSY)
        deadline = time.monotonic() + timeout_s
        loop = asyncio.get_running_loop()
        self.in_flight += 1
        try:
            future = loop.run_in_executor(self.executor(), _read_until, data, locale_hint,
                                          deadline)
            # The thread stops itself at the deadline (Tesseract is killed); the extra second
            # only guards against a stuck decoder.
            return await asyncio.wait_for(future, timeout_s + 1.0)
        except TimeoutError:
            return ImageReading.failed(ImageError.TIMEOUT)
        finally:
            self.in_flight -= 1


_POOL = _ReaderPool(workers=max(1, os.cpu_count() or 1), max_waiting=8)


async def read_image_async(
    data: bytes, *, locale_hint: str | None, timeout_s: float = DEFAULT_TIMEOUT_S
) -> ImageReading:
    """`read_image` off the event loop, with a hard time limit that includes waiting in line."""
    return await _POOL.read(data, locale_hint, timeout_s)
