"""Screenshots to read: job ads and recruiter chats rendered with real fonts (Debian packages
installed by `scripts/system-packages.sh`), plus QR codes carrying recruiters' contacts.

Shared by the tests and `bench/ocr_bench.py`. Rendering uses Pillow's raqm layout, without which
Khmer and Myanmar come out as unshaped glyph soup that no OCR can read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, features

FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS: dict[str, Path] = {
    "Latin": FONT_DIR / "dejavu" / "DejaVuSans.ttf",
    "Thai": FONT_DIR / "tlwg" / "Garuda.ttf",
    "Khmer": FONT_DIR / "khmeros" / "KhmerOS.ttf",
    "Myanmar": FONT_DIR / "padauk" / "Padauk-Regular.ttf",
    "Han": FONT_DIR / "wqy" / "wqy-microhei.ttc",
    "Lao": FONT_DIR / "lao" / "Phetsarath_OT.ttf",
    "Devanagari": FONT_DIR / "lohit-devanagari" / "Lohit-Devanagari.ttf",
    "Hangul": FONT_DIR / "wqy" / "wqy-microhei.ttc",
}

TELEGRAM_QR = "https://t.me/some_recruiter"
LINE_QR = "https://line.me/ti/p/~thai_jobs_hr"
WHATSAPP_QR = "https://wa.me/85512345678"


@dataclass(frozen=True)
class Sample:
    """One rendered picture and what reading it must find."""

    name: str
    script: str
    locale: str  # the locale of the person who sends it
    kind: str  # "job_ad" or "chat"
    lines: tuple[str, ...]
    key_words: tuple[str, ...]  # must appear in the OCR text (whitespace ignored)
    qr_payloads: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()  # rule ids the screening must find in the text read
    reply_lines: tuple[str, ...] = field(default=())  # chat only: the job seeker's own bubbles


SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="latin_job_ad_with_qr",
        script="Latin",
        locale="en",
        kind="job_ad",
        lines=(
            "URGENT HIRING - CUSTOMER SERVICE",
            "Work in Sihanoukville, Cambodia",
            "Salary 1500 USD per month",
            "No experience needed, free flight and visa",
            "Scan to contact our HR on Telegram",
        ),
        key_words=("Cambodia", "Salary", "1500", "experience", "flight"),
        red_flags=("pay_far_above_market", "employer_pays_flight", "compound_destination"),
        qr_payloads=(TELEGRAM_QR,),
    ),
    Sample(
        name="thai_job_ad",
        script="Thai",
        locale="th",
        kind="job_ad",
        lines=(
            "รับสมัครด่วน งานแอดมิน",
            "ทำงานที่กัมพูชา",
            "เงินเดือน 50,000 บาท",
            "ฟรีตั๋วเครื่องบิน ที่พักฟรี",
            "ไม่ต้องมีประสบการณ์",
        ),
        key_words=("รับสมัคร", "กัมพูชา", "เงินเดือน", "ตั๋วเครื่องบิน", "ประสบการณ์"),
        red_flags=("employer_pays_flight", "perks_bundle"),
    ),
    Sample(
        name="khmer_chat",
        script="Khmer",
        locale="km",
        kind="chat",
        lines=(
            "ការងារនៅប្រទេសថៃ",
            "ប្រាក់ខែខ្ពស់ ១០០០ ដុល្លារ",
            "សំបុត្រយន្តហោះឥតគិតថ្លៃ",
            "មិនត្រូវការបទពិសោធន៍",
        ),
        reply_lines=("តើធ្វើការអ្វី?",),
        key_words=("ការងារ", "ប្រាក់ខែ", "ដុល្លារ", "សំបុត្រយន្តហោះ"),
        red_flags=("pay_far_above_market", "employer_pays_flight"),
    ),
    Sample(
        name="myanmar_job_ad",
        script="Myanmar",
        locale="my",
        kind="job_ad",
        lines=(
            "ထိုင်းနိုင်ငံတွင် အလုပ်ခေါ်နေသည်",
            "လစာကောင်း ဒေါ်လာ ၁၅၀၀",
            "လေယာဉ်လက်မှတ် အခမဲ့",
            "အတွေ့အကြုံ မလိုပါ",
        ),
        # Not the headline: white Myanmar text on the red banner is misread (docs/images.md).
        key_words=("လစာ", "ဒေါ်လာ", "လေယာဉ်လက်မှတ်", "အခမဲ့"),
        red_flags=("pay_far_above_market", "employer_pays_flight"),
    ),
    Sample(
        name="han_chat",
        script="Han",
        locale="zh_Hans",
        kind="chat",
        lines=(
            "高薪招聘 柬埔寨 客服",
            "月薪1500美元 包机票",
            "无需经验 联系微信",
        ),
        reply_lines=("需要护照吗?",),
        key_words=("高薪", "柬埔寨", "月薪", "机票", "经验"),
        red_flags=("pay_far_above_market", "employer_pays_flight"),
    ),
    Sample(
        name="latin_chat_with_qr",
        script="Latin",
        locale="en",
        kind="chat",
        lines=(
            "Hi dear, the job in Shwe Kokko is still open",
            "Add our manager on LINE or WhatsApp",
        ),
        reply_lines=("Is the visa included?",),
        key_words=("Shwe Kokko", "manager", "WhatsApp"),
        red_flags=("compound_destination",),
        qr_payloads=(LINE_QR, WHATSAPP_QR),
    ),
)


def sample_named(name: str) -> Sample:
    return next(sample for sample in SAMPLES if sample.name == name)


# A sender whose locale does not match the picture's script: the reader must detect the script
# (Tesseract's own detection, --psm 0, calls Khmer and Myanmar "Latin").
MISMATCHED_LOCALE_SAMPLES: tuple[tuple[Sample, str], ...] = (
    (sample_named("thai_job_ad"), "en"),
    (sample_named("han_chat"), "vi"),
    (sample_named("khmer_chat"), "en"),
    (sample_named("myanmar_job_ad"), "th"),
    (sample_named("latin_job_ad_with_qr"), "th"),  # English read with Thai + English: no switch
)


def raqm_available() -> bool:
    return bool(features.check("raqm"))


def _font(script: str, size: int) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if raqm_available() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS[script]), size, layout_engine=layout)


def _qr_image(payload: str, *, box_size: int = 5) -> Image.Image:
    code = qrcode.QRCode(box_size=box_size, border=2)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def _render_job_ad(sample: Sample, *, width: int, font_size: int) -> Image.Image:
    title_font = _font(sample.script, int(font_size * 1.2))
    body_font = _font(sample.script, font_size)
    line_height = int(font_size * 2.0)
    qr_images = [_qr_image(payload) for payload in sample.qr_payloads]
    qr_height = max((image.height for image in qr_images), default=0)
    height = 40 + line_height * (len(sample.lines) + 1) + (qr_height + 30 if qr_images else 0)
    canvas = Image.new("RGB", (width, height), "#fffbe6")
    draw = ImageDraw.Draw(canvas)
    # A coloured banner behind the headline, as on the posters recruiters share.
    draw.rectangle((0, 0, width, 30 + line_height), fill="#c0392b")
    draw.text((30, 25), sample.lines[0], font=title_font, fill="white")
    y = 40 + line_height
    for line in sample.lines[1:]:
        draw.text((30, y), line, font=body_font, fill="#222222")
        y += line_height
    x = 30
    for image in qr_images:
        canvas.paste(image, (x, y + 10))
        x += image.width + 30
    return canvas


def _render_chat(sample: Sample, *, width: int, font_size: int) -> Image.Image:
    font = _font(sample.script, font_size)
    header_font = _font("Latin", font_size)
    bubble_gap = int(font_size * 0.8)
    padding = int(font_size * 0.6)
    qr_images = [_qr_image(payload) for payload in sample.qr_payloads]
    # (text or QR image, sent by the recruiter?) in the order shown on screen.
    bubbles: list[tuple[str | Image.Image, bool]] = [(line, True) for line in sample.lines]
    bubbles += [(image, True) for image in qr_images]
    bubbles += [(line, False) for line in sample.reply_lines]

    def bubble_size(content: str | Image.Image) -> tuple[int, int]:
        if isinstance(content, Image.Image):
            return content.width + 2 * padding, content.height + 2 * padding
        text_width = font.getlength(content)
        return round(text_width) + 2 * padding, int(font_size * 1.6) + 2 * padding

    header_height = int(font_size * 2.4)
    height = header_height + bubble_gap + sum(
        bubble_size(content)[1] + bubble_gap for content, _ in bubbles
    )
    canvas = Image.new("RGB", (width, height), "#dfe7ee")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, header_height), fill="#517da2")
    draw.text((30, int(font_size * 0.6)), "HR Manager", font=header_font, fill="white")
    y = header_height + bubble_gap
    for content, from_recruiter in bubbles:
        bubble_width, bubble_height = bubble_size(content)
        x = 20 if from_recruiter else width - 20 - bubble_width
        fill = "#ffffff" if from_recruiter else "#effdde"
        draw.rounded_rectangle((x, y, x + bubble_width, y + bubble_height), radius=14, fill=fill)
        if isinstance(content, Image.Image):
            canvas.paste(content, (x + padding, y + padding))
        else:
            draw.text((x + padding, y + padding), content, font=font, fill="#000000")
        y += bubble_height + bubble_gap
    return canvas


def render(sample: Sample, *, width: int = 720, font_size: int = 30) -> Image.Image:
    if sample.kind == "chat":
        return _render_chat(sample, width=width, font_size=font_size)
    return _render_job_ad(sample, width=width, font_size=font_size)


def to_bytes(image: Image.Image, *, image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def render_png(sample: Sample, *, width: int = 720, font_size: int = 30) -> bytes:
    return to_bytes(render(sample, width=width, font_size=font_size))
