"""Redaction of report narratives before they are stored.

What a narrative keeps and loses:
- contacts the reporter named as the scammer's (`scammer_contacts`) are kept: they are the point
  of the report and become indicators;
- the reporter's own identifiers (`reporter_contacts`: their phone, e-mail, @username, names —
  the dispatcher knows them from the Telegram update — and every contact the narrative itself
  says is theirs: "my number is …", "call me on …", "số của tôi …", "เบอร์ผม …", see
  `own_identifiers`) become `[phone]`, `[email]`, `[username]`, `[name]` wherever they appear,
  in any spelling: a phone number by its last nine digits, with or without country code;
- every other phone, WhatsApp, e-mail, messenger ID or wallet found by
  `screening.contacts.extract_contacts` becomes a typed placeholder too: a contact the reporter
  did not name as the scammer's may be their own, a relative's or another victim's (web links
  are kept: they name sites, not people);
- passport and identity-card numbers become `[passport]` / `[id-number]`, whoever they belong to:
  a scammer's copy of a victim's passport is the victim's identity.

Limits (documented in storage/README.md): a local phone number written without country code is
only recognised when the report's country is known (`default_region`); names other than the
reporter's own are not detected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from screening.contacts import ContactType, extract_contacts


class ContactLike(Protocol):
    @property
    def type(self) -> str: ...

    @property
    def value(self) -> str: ...


PHONE = "[phone]"
EMAIL = "[email]"
USERNAME = "[username]"
NAME = "[name]"
WALLET = "[wallet]"
PASSPORT = "[passport]"
ID_NUMBER = "[id-number]"

_PLACEHOLDER_BY_CONTACT_TYPE: dict[str, str] = {
    ContactType.PHONE: PHONE,
    ContactType.WHATSAPP: PHONE,
    ContactType.EMAIL: EMAIL,
    ContactType.TELEGRAM: USERNAME,
    ContactType.LINE: USERNAME,
    ContactType.WECHAT: USERNAME,
    ContactType.WALLET_BTC: WALLET,
    ContactType.WALLET_ETH: WALLET,
    ContactType.WALLET_TRON: WALLET,
}

# "Passport" in the project's languages (en/ms/id/tl, vi with and without tone marks, th, zh,
# ko, hi, km, lo, my); a document number shortly after one of these words is a passport number.
_PASSPORT_WORDS = (
    r"passport|pasport|paspor|pasaporte|h[ộo]\s*chi[ếe]u|หนังสือเดินทาง|护照|護照|여권|पासपोर्ट"
    r"|លិខិតឆ្លងដែន|ໜັງສືຜ່ານແດນ|နိုင်ငံကူးလက်မှတ်"
)
_ID_WORDS = (
    r"\bID\b|\bI/?C\b|NRIC|MyKad|\bKTP\b|\bNIK\b|CMND|CCCD|c[ăa]n\s*c[ướu][ơo]c|identity\s+card"
    r"|national\s+id|บัตรประชาชน|身份证|身分證|주민등록|आधार|Aadhaar|\bNRC\b|PhilSys"
)
# Up to three short words between the keyword and the number: "passport no.: ", "số hộ chiếu là ".
_GAP = r"[^\w\n]{0,4}(?:[^\W\d]{1,8}[^\w\n]{1,4}){0,3}?"
_DOCUMENT_NUMBER = r"(?P<number>[A-Za-z]{0,2}\d[\dA-Za-z-]{5,17}\d[A-Za-z]?)"
_PASSPORT_AFTER_WORD = re.compile(rf"(?:{_PASSPORT_WORDS}){_GAP}{_DOCUMENT_NUMBER}", re.IGNORECASE)
_ID_AFTER_WORD = re.compile(rf"(?:{_ID_WORDS}){_GAP}{_DOCUMENT_NUMBER}", re.IGNORECASE)
# The core of `_DOCUMENT_NUMBER`, with the same flags: a text where it is nowhere has no number
# after a passport or ID word either. Both patterns above are case-insensitive with a long
# alternation at their start, tried at every position (~55 us for an ad); this is one scan from
# digit to digit.
_DOCUMENT_NUMBER_CORE = re.compile(r"\d[\dA-Za-z-]{5,17}\d", re.IGNORECASE)
# Passport numbers of the region are one or two letters and 6-8 digits (+ check letter in PH).
_PASSPORT_SHAPE = re.compile(r"(?<![\w/.@-])[A-Z]{1,2}\d{6,8}[A-Z]?(?![\w@])")
# ID cards recognisable by shape alone: MyKad 900101-14-5678, Thai 1-2345-67890-12-3,
# Korean RRN 900101-1234567, Myanmar NRC 12/MaYaKa(N)123456, China 17 digits + digit/X,
# and 12-16 digit runs (Indonesian NIK, Vietnamese CCCD, Aadhaar, PhilSys, grouped by 4 or not).
_ID_SHAPES = re.compile(
    r"(?<![\w+/-])(?:"
    r"\d{6}-\d{2}-\d{4}"
    r"|\d-\d{4}-\d{5}-\d{2}-\d"
    r"|\d{6}-[1-8]\d{6}"
    r"|\d{1,2}/[A-Za-z]{3,9}\([A-Za-z]{1,3}\)\d{6}"
    r"|\d{17}[\dXx]"
    r"|\d{4}[ -]\d{4}[ -]\d{4}(?:[ -]\d{4})?"
    r"|\d{12,16}"
    r")(?![\w-])"
)
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_PASSES = 10  # extract_contacts reports each contact once; repeat to catch repetitions


# Words by which a person says a contact is their own (or their family's), in the project's
# languages: "my (phone) number", "call me on", "my e-mail" … The contact written right after
# such words is the reporter's: redacted in every spelling, never kept as a scam contact.
_OWN_WORDS = (
    r"\bmy\b[^.\n\d+@]{0,25}?(?:number|phone|mobile|cell|whats\s?app|telegram|line|viber|"
    r"wechat|e-?mail|contact|no\.)"
    r"|\b(?:call|text|message|reach|contact|ring|whatsapp)\s+me\b(?:\s+(?:on|at))?"
    r"|\bme\s+at\b"
    r"|(?:số|sđt|sdt|zalo|email)[^.\n\d+@]{0,20}?\bcủa\s+(?:tôi|em|mình|anh|chị|con)\b"
    r"|\b(?:gọi|nhắn|liên\s+hệ)\s+(?:cho\s+|với\s+)?(?:tôi|em|mình)\b"
    r"|เบอร์[^\d+@\n]{0,12}?(?:ฉัน|ผม|หนู|ดิฉัน|เรา|กู)|(?:โทร|ติดต่อ)(?:หา|กลับ)?(?:ฉัน|ผม|หนู|ดิฉัน)"
    r"|\b(?:nomor|nombor|no\.?|nmr|hp|wa|telepon|telefon|email)[^.\n\d+@]{0,15}?\b(?:saya|aku|ku)\b"
    r"|\b(?:hubungi|telepon|telefon|call)\s+(?:saya|aku)\b"
    r"|\b(?:numero|number|email|cp)\s+ko\b|\btawagan\s+(?:mo\s+)?ako\b"
    r"|我的[^\d+@\n]{0,6}?(?:电话|電話|手机|手機|号码|號碼|微信|邮箱|郵箱|联系方式|聯絡方式)"
    r"|(?:打给我|打給我|联系我|聯繫我|聯絡我)"
    r"|(?:제|내|저의|나의)\s?(?:전화\s?번호|번호|전화|연락처|휴대폰|이메일)"
    r"|(?:मेरा|मेरी|मेरे)\s+(?:फ़ोन|फोन|मोबाइल|नंबर|नम्बर|ईमेल|व्हाट्सएप)"
    r"|मुझे\s+(?:कॉल|फोन|फ़ोन)"
    r"|លេខ[^\d+@\n]{0,12}?ខ្ញុំ|ទាក់ទង(?:មក)?ខ្ញុំ"
    r"|ເບີ[^\d+@\n]{0,10}?(?:ຂ້ອຍ|ຂ້າພະເຈົ້າ)"
    r"|ကျွန်(?:တော်|မ)[^\d+@\n]{0,6}?(?:ဖုန်း|နံပါတ်)"
)
_OWN_CONTACT = re.compile(
    rf"(?:{_OWN_WORDS})[^\d+@\n\w]{{0,4}}(?:\w+[^\d+@\n\w]{{1,3}}){{0,2}}?"
    r"(?P<own>[\w.+-]+@[\w-]+\.[\w.-]+|@[A-Za-z]\w{4,31}|\+?\d[\d\s().-]{5,18}\d)",
    re.IGNORECASE,
)


# What every `own` of `_OWN_CONTACT` contains: an "@" (e-mail, handle) or a digit (number).
# `_OWN_CONTACT` is case-insensitive with a long alternation at its start, which the regex
# engine tries at every position (~40 us for a short story, ~90 us for an ad); a story without
# an "@" or a digit, the usual one, cannot match, and is answered by one scan for those.
_OWN_NEEDS = re.compile(r"[@\d]")


def own_identifiers(text: str) -> list[str]:
    """The contacts a narrative says are the writer's own ("my number is +66 …", "call me on
    081…"), as written: handed to `redact_narrative` with the Telegram identity, and kept out
    of the report's scam contacts."""
    if _OWN_NEEDS.search(text) is None:
        return []
    return [m.group("own").strip() for m in _OWN_CONTACT.finditer(text)]


def is_reporters(raw: str, identifiers: Iterable[str]) -> bool:
    """Whether a contact as written (`Contact.raw`) is one of these identifiers of the reporter,
    in any spelling (a phone by its last nine digits)."""
    return any(pattern.search(raw) for pattern, placeholder in _reporter_patterns(identifiers)
               if placeholder != NAME)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    placeholder: str


def _reporter_patterns(identifiers: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    patterns: list[tuple[re.Pattern[str], str]] = []
    for raw in identifiers:
        identifier = raw.strip()
        if not identifier:
            continue
        digits = re.sub(r"\D", "", identifier)
        if _EMAIL_SHAPE.fullmatch(identifier):
            patterns.append((re.compile(re.escape(identifier), re.IGNORECASE), EMAIL))
        elif identifier.startswith("@") or re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", identifier):
            handle = re.escape(identifier.lstrip("@"))
            patterns.append(
                (re.compile(rf"(?<![\w@])@?{handle}(?!\w)", re.IGNORECASE), USERNAME)
            )
            if not identifier.startswith("@"):
                # A bare word may also be a name ("Somchai"); redact it either way.
                continue
        elif len(digits) >= 7 and len(digits) >= len(identifier) // 2:
            # Match the last 9 digits (the national number) in any spelling: "+66 81-234 5678",
            # "0812345678"; an optional country/trunk prefix is swallowed with it.
            core = r"[\s().-]*".join(digits[-9:])
            patterns.append(
                (re.compile(rf"(?<!\d)(?:\+?\d{{1,4}}[\s().-]*)?{core}(?!\d)"), PHONE)
            )
        else:
            for word in identifier.split():
                if len(word) >= 2:
                    patterns.append((re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"), NAME))
    return patterns


def _overlaps(span: _Span, others: Iterable[tuple[int, int]]) -> bool:
    return any(span.start < end and start < span.end for start, end in others)


def _apply(text: str, spans: list[_Span]) -> str:
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and span.start < chosen[-1].end:
            continue  # overlaps a longer or earlier redaction
        chosen.append(span)
    for span in reversed(chosen):
        text = text[: span.start] + span.placeholder + text[span.end :]
    return text


def redact_narrative(
    text: str,
    *,
    reporter_contacts: Iterable[str] = (),
    scammer_contacts: Iterable[ContactLike] = (),
    default_region: str | None = None,
) -> str:
    """The narrative with the reporter's identity and identity documents replaced by typed
    placeholders, and the scammer's contacts left in place (see the module docstring)."""
    kept_values = {contact.value for contact in scammer_contacts}
    spans: list[_Span] = []
    for pattern, placeholder in _reporter_patterns([*reporter_contacts, *own_identifiers(text)]):
        spans.extend(_Span(m.start(), m.end(), placeholder) for m in pattern.finditer(text))
    documents = ((_PASSPORT_AFTER_WORD, PASSPORT), (_ID_AFTER_WORD, ID_NUMBER)) \
        if _DOCUMENT_NUMBER_CORE.search(text) is not None else ()
    for pattern, placeholder in documents:
        spans.extend(
            _Span(m.start("number"), m.end("number"), placeholder) for m in pattern.finditer(text)
        )
    text = _apply(text, spans)

    for _ in range(_MAX_PASSES):
        found = extract_contacts(text, default_region=default_region)
        kept = [c.span for c in found if c.value in kept_values]
        spans = [
            _Span(c.span[0], c.span[1], _PLACEHOLDER_BY_CONTACT_TYPE[c.type])
            for c in found
            if c.value not in kept_values and c.type in _PLACEHOLDER_BY_CONTACT_TYPE
        ]
        spans.extend(
            span
            for pattern, placeholder in ((_PASSPORT_SHAPE, PASSPORT), (_ID_SHAPES, ID_NUMBER))
            for span in (_Span(m.start(), m.end(), placeholder) for m in pattern.finditer(text))
            if not _overlaps(span, kept) and not _overlaps(span, [c.span for c in found])
        )
        if not spans:
            break
        text = _apply(text, spans)
    return text
