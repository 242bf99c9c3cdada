"""Contact extraction and normalisation."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import contacts
from screening.contacts import (
    Contact,
    ContactType,
    bare_word_handle,
    extract_contacts,
    is_valid_telegram_username,
    local_number_candidates,
    normalise_url,
    parse_contact,
    registrable_domain,
)
from screening.identity import identity, identity_of
from screening.textnorm import fold
from screening.wallets import BASE58_ALPHABET


def values(text: str, region: str | None = None) -> list[tuple[str, str]]:
    return [(contact.type.value, contact.value)
            for contact in extract_contacts(text, default_region=region)]


def base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + encoded


# --- phones -----------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [
    "+66 81 234 5678", "+66-81-234-5678", "+66.81.234.5678", "+66 (81) 234 5678",
    "0066812345678", "081 234 5678", "081-234-5678", "(081) 234-5678",
    "๐๘๑-๒๓๔-๕๖๗๘",  # Thai digits
    "０８１２３４５６７８",  # full-width digits
    "+٦٦٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits, for good measure
])
def test_spellings_of_one_thai_number_normalise_alike(spelling: str) -> None:
    assert values(f"โทร {spelling} ค่ะ", "TH") == [("phone", "+66812345678")]


@pytest.mark.parametrize(("text", "region", "expected"), [
    ("ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨", "KH", "+85512345678"),  # Khmer digits
    ("ဖုန်း +၉၅ ၉ ၄၅၀ ၀၀၀ ၀၀၀", None, "+959450000000"),  # Myanmar digits
    ("ໂທ +၈၅၆ 20 5555 1234".replace("၈၅၆", "໘໕໖"), None, "+8562055551234"),  # Lao digits
    ("फ़ोन +९१ ९८७६५ ४३२१०", None, "+919876543210"),  # Devanagari digits
    ("call 0917 123 4567", "PH", "+639171234567"),
    ("gọi 090 123 4567 nhé", "VN", "+84901234567"),
])
def test_digits_of_other_scripts(text: str, region: str | None, expected: str) -> None:
    assert values(text, region) == [("phone", expected)]


def test_north_american_numbers_without_trunk_prefix() -> None:
    assert values("call 415-555-2671 or 1 (415) 555-2672", "US") == [
        ("phone", "+14155552671"), ("phone", "+14155552672"),
    ]


def test_local_numbers_need_a_region_and_international_ones_do_not() -> None:
    assert values("call 081 234 5678") == []
    assert values("call +66 81 234 5678") == [("phone", "+66812345678")]


@pytest.mark.parametrize("text", [
    "Salary 15000 - 25000 baht", "start 2024-01-15", "on 15/01/2024", "ref no. 1234567",
    "pay 35,000 THB", "version 1.2.3.4", "room 12 34 56",
])
def test_amounts_dates_and_ids_are_not_phones(text: str) -> None:
    assert values(text, "TH") == []


def test_numbers_separated_only_by_spaces_are_split() -> None:
    assert values("081 234 5678 089 876 5432", "TH") == [
        ("phone", "+66812345678"), ("phone", "+66898765432"),
    ]


# --- messaging apps -----------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [
    "@HR_Recruit01", "t.me/hr_recruit01", "https://t.me/HR_Recruit01", "telegram.me/hr_recruit01",
    "https://t.me/s/hr_recruit01", "t.me/hr_recruit01/123", "Telegram: hr_recruit01",
    "ＴＥＬＥＧＲＡＭ： hr_recruit01",
])
def test_telegram_spellings(spelling: str) -> None:
    assert values(f"ติดต่อ {spelling} ได้เลย") == [("telegram", "hr_recruit01")]


@pytest.mark.parametrize("name", ["abcd", "1abcde", "abcde_", "a" * 33, "abc-de"])
def test_invalid_telegram_usernames(name: str) -> None:
    assert not is_valid_telegram_username(name)
    assert values(f"contact @{name} now") == []


def test_telegram_handle_directly_after_thai_text() -> None:
    assert values("ติดต่อ@jobs_th99") == [("telegram", "jobs_th99")]


def test_telegram_invite_links_stay_urls() -> None:
    assert values("join https://t.me/+AbCdEf123 or t.me/joinchat/XyZ987") == [
        ("url", "t.me/+AbCdEf123"), ("url", "t.me/joinchat/XyZ987"),
    ]


def test_email_is_not_a_telegram_handle() -> None:
    assert values("mail hr@gmail.com") == [("email", "hr@gmail.com")]


@pytest.mark.parametrize("spelling", [
    "wa.me/85512345678", "https://wa.me/+85512345678", "https://api.whatsapp.com/send?phone=85512345678",
    "WhatsApp: +855 12 345 678", "whatsapp 012 345 678",
])
def test_whatsapp_spellings(spelling: str) -> None:
    assert values(spelling, "KH") == [("whatsapp", "+85512345678")]


@pytest.mark.parametrize(("text", "expected"), [
    ("LINE: ThaiJob88", "thaijob88"), ("Line ID thaijob88", "thaijob88"),
    ("ไลน์ thaijob88", "thaijob88"), ("ไอดีไลน์: thaijob88", "thaijob88"),
    ("https://line.me/ti/p/~ThaiJob88", "thaijob88"), ("line.me/R/ti/p/@jobshop", "@jobshop"),
    ("line.me/R/ti/p/%40jobshop", "@jobshop"), ("LINE: @jobshop", "@jobshop"),
])
def test_line_ids(text: str, expected: str) -> None:
    assert values(text) == [("line", expected)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Add LINE: jenny. Salary 30,000 baht", "jenny"), ("LINE ID: job.thai88.", "job.thai88"),
    ("ไลน์ @shop123.", "@shop123"), ("LINE: a.b.c.d now", "a.b.c.d"),
])
def test_a_line_id_does_not_take_the_sentence_full_stop(text: str, expected: str) -> None:
    # LINE allows dots inside an id; a final one is the sentence's (reported as "jenny." before).
    assert values(text) == [("line", expected)]


def test_the_english_word_line_is_not_a_label() -> None:
    assert values("The bottom line is we pay well, line manager interview") == []


@pytest.mark.parametrize("text", [
    "WeChat: Job_Agent88", "微信：job_agent88", "加微信 job_agent88", "VX: job_agent88",
    "wx job_agent88", "薇信job_agent88", "微信號: job_agent88",
])
def test_wechat_ids_when_labelled(text: str) -> None:
    assert values(text) == [("wechat", "job_agent88")]


def test_unlabelled_words_are_not_wechat_ids() -> None:
    assert values("job_agent88 is hiring") == []


# --- emails and URLs ----------------------------------------------------------------------------

def test_email_lower_case_with_registrable_domain() -> None:
    [contact] = extract_contacts("send CV to HR.Team@Mail.Example.co.th.")
    assert (contact.type, contact.value, contact.domain) == (
        ContactType.EMAIL, "hr.team@mail.example.co.th", "example.co.th",
    )
    assert contact.raw == "HR.Team@Mail.Example.co.th"


@pytest.mark.parametrize("spelling", [
    "https://www.Example.com/jobs/", "http://example.com/jobs", "example.com/jobs",
    "www.example.com/jobs?utm_source=fb&fbclid=123", "HTTPS://EXAMPLE.COM/jobs#apply",
    "https://example.com:443/jobs/", "hxxps://example[.]com/jobs".replace("[.]", "."),
])
def test_url_spellings_normalise_alike(spelling: str) -> None:
    assert values(f"apply at {spelling}.") == [("url", "example.com/jobs")]


def test_url_keeps_meaningful_query_and_path_case() -> None:
    assert normalise_url("https://bit.ly/AbC?id=7&utm_medium=x") == ("bit.ly/AbC?id=7", "bit.ly")


@pytest.mark.parametrize(("host", "domain"), [
    ("a.b.example.co.uk", "example.co.uk"), ("jobs.example.com", "example.com"),
    ("scam-jobs.blogspot.com", "scam-jobs.blogspot.com"), ("203.0.113.5", "203.0.113.5"),
    ("example.notatld", None),
])
def test_registrable_domain(host: str, domain: str | None) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize("text", ["file.txt", "e.g. this", "node.js app", "v1.2 release", "a.b"])
def test_things_that_are_not_links(text: str) -> None:
    assert values(text) == []


def test_url_in_brackets_and_sentences() -> None:
    assert values("(see https://example.com/a_(b))") == [("url", "example.com/a_(b)")]
    assert values("Visit example.com, then call.") == [("url", "example.com")]


# --- wallets -------------------------------------------------------------------------------------

def test_wallets_in_text() -> None:
    text = ("USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t | ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
            " | BTC BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 or 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert values(text) == [
        ("wallet_tron", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        ("wallet_eth", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        ("wallet_btc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        ("wallet_btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ]


def test_eth_display_is_checksummed_and_spellings_match() -> None:
    lower = extract_contacts("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    mixed = extract_contacts("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    assert lower[0].value == mixed[0].value
    assert lower[0].display() == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


@pytest.mark.parametrize("text", [
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u",  # last character changed
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",  # wrong checksum case
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tx 0x" + "ab" * 32,  # a transaction hash, not an address
])
def test_invalid_wallets_are_not_extracted(text: str) -> None:
    assert values(text) == []


# --- spans, dedupe, parse_contact, garbage ------------------------------------------------------

def test_spans_point_into_the_original_text() -> None:
    text = "สนใจติดต่อ ๐๘๑-๒๓๔-๕๖๗๘ หรือ @jobs_th99 / https://t.me/+Inv1te"
    for contact in extract_contacts(text, default_region="TH"):
        start, end = contact.span
        assert text[start:end] == contact.raw


def test_each_contact_once_in_order() -> None:
    text = "@jobs_th99 then t.me/jobs_th99 then +66 81 234 5678 and 081-234-5678"
    assert values(text, "TH") == [("telegram", "jobs_th99"), ("phone", "+66812345678")]


@pytest.mark.parametrize(("raw", "region", "expected"), [
    ("  @Jobs_TH99 ", None, ("telegram", "jobs_th99")),
    ("66812345678", None, ("phone", "+66812345678")),
    ("081 234 5678", "th", ("phone", "+66812345678")),
    ("https://t.me/jobs_th99", None, ("telegram", "jobs_th99")),
    ("LINE: thaijob88", None, ("line", "thaijob88")),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", None,
     ("wallet_tron", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")),
])
def test_parse_contact(raw: str, region: str | None, expected: tuple[str, str]) -> None:
    contact = parse_contact(raw, default_region=region)
    assert contact is not None
    assert (contact.type.value, contact.value) == expected
    assert raw[contact.span[0]:contact.span[1]] == contact.raw


@pytest.mark.parametrize("raw", ["", "   ", "hi", "a long sentence with no contact", "12",
                                 "hello", "jobs_th99"])
def test_parse_contact_rejects_non_contacts(raw: str) -> None:
    assert parse_contact(raw) is None


def test_a_bare_word_is_only_suggested_as_a_handle() -> None:
    assert bare_word_handle(" Hello ") == "@hello"
    assert bare_word_handle("hi") is None and bare_word_handle("@hello") is None


@pytest.mark.parametrize(("text", "region", "channel"), [
    ("WhatsApp +855 97 123 4567", None, None),  # the type says it: whatsapp
    ("wa.me/855971234567", None, None),
    ("Viber: +855 97 123 4567", None, "viber"),
    ("Zalo 0912 345 678", "VN", "zalo"),
    ("zalo.me/0912345678", None, "zalo"),
    ("tel:+855971234567", None, "tel"),
    ("t.me/+855971234567", None, "telegram"),
    ("viber://chat?number=%2B855971234567", None, "viber"),
    ("LINE: +855 97 123 4567", None, "line"),
    ("call +855 97 123 4567", None, None),
])
def test_one_number_whatever_the_channel(text: str, region: str | None, channel: str | None) -> None:
    [contact] = extract_contacts(text, default_region=region)
    expected = "+84912345678" if "0912" in text else "+855971234567"
    assert identity_of(contact) == ("phone", expected)
    assert contact.channel == channel


def test_one_number_given_for_two_apps_is_one_contact() -> None:
    found = extract_contacts("WhatsApp +855 97 123 4567, or call +855971234567")
    assert [(contact.type.value, contact.value) for contact in found] == [
        ("whatsapp", "+855971234567")]


@pytest.mark.parametrize(("pair", "key"), [
    (("whatsapp", "+855971234567"), ("phone", "+855971234567")),
    (("telegram", "@HR_Amy"), ("telegram", "hr_amy")),
    (("wallet_eth", "0xAbC0000000000000000000000000000000000001"),
     ("wallet_eth", "0xabc0000000000000000000000000000000000001")),
    (("url", "HTTPS://WWW.Example.com/Jobs/"), ("url", "example.com/Jobs")),
    (("line", "ThaiJob88"), ("line", "thaijob88")),
])
def test_identity(pair: tuple[str, str], key: tuple[str, str]) -> None:
    assert identity(*pair) == key


def test_local_numbers_are_found_to_ask_about() -> None:
    assert local_number_candidates("Zalo 0912 345 678, lương 1500 USD, 20/11/2026") == [
        "0912 345 678"]
    assert local_number_candidates("call +855 97 123 4567") == []


def test_display() -> None:
    assert Contact(ContactType.PHONE, "+66812345678", "x", (0, 1)).display() == "+66 81 234 5678"
    # Kept once formatted (a report shows its contacts at several steps): the same again, and a
    # WhatsApp number of the same value reads the same; a value that does not parse is shown as is.
    assert Contact(ContactType.PHONE, "+66812345678", "y", (3, 9)).display() == "+66 81 234 5678"
    assert Contact(ContactType.WHATSAPP, "+85512345678", "x", (0, 1)).display() == "+855 12 345 678"
    assert Contact(ContactType.PHONE, "+0", "x", (0, 1)).display() == "+0"
    assert Contact(ContactType.TELEGRAM, "jobs", "x", (0, 1)).display() == "@jobs"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "TH", "KH", "PH", "VN", "MM", "XX"]))
def test_garbage_never_crashes_and_spans_hold(text: str, region: str | None) -> None:
    for contact in extract_contacts(text, default_region=region):
        assert text[contact.span[0]:contact.span[1]] == contact.raw
        assert contact.value


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="+0123456789 ()-./@:_abcxyzT", max_size=60))
def test_phone_like_garbage_never_crashes(text: str) -> None:
    extract_contacts(text, default_region="TH")
    parse_contact(text, default_region="TH")


@given(st.binary(min_size=20, max_size=20), st.sampled_from([0x00, 0x05, 0x41]))
def test_base58_wallet_round_trip(body: bytes, version: int) -> None:
    address = base58check(bytes([version]) + body)
    expected_type = "wallet_tron" if version == 0x41 else "wallet_btc"
    if version == 0x41 and len(address) != 34:
        return
    assert values(f"send to {address} now") == [(expected_type, address)]


@given(st.from_regex(r"[a-z][a-z0-9_]{3,30}[a-z0-9]", fullmatch=True))
def test_telegram_round_trip(name: str) -> None:
    handle = extract_contacts(f"ping @{name.upper()} please")
    link = extract_contacts(f"https://t.me/{name}")
    assert [contact.value for contact in handle] == [name] == [contact.value for contact in link]


def test_label_words_inside_handles_and_words_are_not_labels() -> None:
    assert values("ping @VX00000 please") == [("telegram", "vx00000")]
    assert values("apply online: jobs_th99 today") == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["line", "online", " ", "tele", "tg", "wechat", "we chat", "vx",
                                 "whats", "wasap", "ไลน์", "微信", "ລາຍ", "x", "é", "\n", "İ"]),
                max_size=12).map("".join))
def test_label_words_found_in_one_pass_as_one_by_one(text: str) -> None:
    lowered = text.lower()
    expected = {word for word in contacts._LABEL_WORDS if contacts._has_label(lowered, (word,))}
    assert contacts._labels_present(lowered) == expected


def _assert_gated_labels_find_what_search_finds(text: str, lowered: str) -> None:
    for pattern, starts in ((contacts._TELEGRAM_LABEL_RE, contacts._TELEGRAM_LABEL_STARTS),
                            (contacts._LINE_LABEL_RE, contacts._LINE_LABEL_STARTS),
                            (contacts._WECHAT_LABEL_RE, contacts._WECHAT_LABEL_STARTS),
                            (contacts._WHATSAPP_LABEL_RE, contacts._WHATSAPP_LABEL_STARTS)):
        assert [match.span() for match in contacts._label_matches(pattern, text, lowered, starts)] \
            == [match.span() for match in contacts._label_matches(pattern, text)]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["Telegram", "tele", "TG", "tg:", " : ", ":", "@", "abc_def", "x",
                                 "LINE", "line", "Line ID", "ไอดีไลน์", "ไลน์", "ລາຍ", "電報",
                                 "Телеграм", " ", "\n", "online", "9", "=", "id", "WA", "wa",
                                 "WhatsApp", "whats app", "Wasap", "watsap", "วอทแอป", "0812 345 678",
                                 "+66 81 234 5678", "WeChat", "we chat", "Weixin", "wx", "VX", "V信",
                                 "微信号", "微信號", "威信", "abcdef12"]),
                max_size=14).map("".join))
def test_labels_tried_only_where_a_label_begins_find_what_search_finds(text: str) -> None:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower()[:1] for char in text)
    _assert_gated_labels_find_what_search_finds(text, lowered)


@pytest.mark.parametrize("text", [
    "WA: 0812 345 678", "call WA 0812345678", "Watsap 0812345678", "wasap:+66812345678",
    "WhatsApp 0812 345 678", "whats app: +66 81 234 5678", "วอทแอป 0812345678", "WAJIB WA 0812345678",
    "WeChat: abcdef12", "we chat abcdef12", "Weixin abcdef12", "V信 abcdef12", "微信号 abcdef12",
    "微信號：abcdef12", "vx abcdef12", "WX: 1234567", "薇信 abcdef12", "威信 abcdef12",
    "Line ID: abcd12", "ไอดีไลน์ abcd12", "Telegram: abcde_1", "ТЕЛЕГРАМ: abcde_1",
])
def test_each_label_start_finds_what_search_finds(text: str) -> None:
    lowered = text.lower()
    _assert_gated_labels_find_what_search_finds(text, lowered)


def test_phone_candidates_start_where_the_reference_pattern_starts() -> None:
    # The candidate regex skips to ASCII digits in folded text; digits of every script (those
    # beyond the BMP are not folded), emoji and brackets start candidates as `[+(\d]` does.
    reference = re.compile(r"[+(\d][\d \t().-]{5,39}\d(?!\d)")
    starts = [chr(code) for code in range(0x110000)
              if unicodedata.category(chr(code)) == "Nd"] + ["+", "(", "😀", "𝐀", "a", " "]
    for start in starts:
        folded = fold(f"x{start}81 234 5678 and {start}{start}{start}4567")
        assert [match.span() for match in contacts._PHONE_CANDIDATE_RE.finditer(folded)] == \
            [match.span() for match in reference.finditer(folded)], start


def test_a_text_read_again_gives_the_same_contacts_in_a_list_of_its_own() -> None:
    # The last readings are remembered (one offer is read several times per update): a caller
    # that changes its list must not change what the next caller gets.
    text = "WhatsApp +855 12 345 678 or write to hr@fast-jobs.example.com"
    first = extract_contacts(text, default_region="KH")
    first.clear()
    again = extract_contacts(text, default_region="KH")
    assert [contact.value for contact in again] == ["+85512345678", "hr@fast-jobs.example.com"]
    assert extract_contacts(text, default_region="TH") == again  # international: any region


# What `_chunks` and the wallet search found before they stopped splitting the text: every
# whitespace-separated piece holding "@" or a "." followed by an ASCII letter or digit (with
# `every_dot`, any ".": what `_chunks` took before it skipped sentence ends), and the 26+ runs
# of letters and digits.
_EVERY_WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
_ADDRESS_RUN_RE = re.compile(r"[A-Za-z0-9]{26,}")
_LINK_DOT_RE = re.compile(r"\.[A-Za-z0-9]")


def _pieces_by_splitting(folded: str, *, every_dot: bool = False) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    position = 0
    for piece in folded.split():
        position = folded.find(piece, position)
        if "@" in piece or _LINK_DOT_RE.search(piece) or (every_dot and "." in piece):
            found.append((position, piece))
        position += len(piece)
    return found


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_EVERY_WHITESPACE + "  ..@@ab1T0xไก😀"), max_size=60))
def test_link_pieces_are_those_of_splitting_the_text(text: str) -> None:
    assert contacts._chunks(text) == _pieces_by_splitting(text)


def test_link_pieces_at_the_ends_and_side_by_side() -> None:
    text = ".a b.c\u3000@d\te@f. g .\n x. y..z"
    assert contacts._chunks(text) == _pieces_by_splitting(text) == [
        (0, ".a"), (3, "b.c"), (7, "@d"), (10, "e@f."), (23, "y..z")]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([" ", "\n", ".", "..", "@", "a", "Z", "1", "com", "t.me/", "http://",
                                 "www", "-", "_", "/", "é", "ไก", ".é", ".ไก", "co", "x@y"]),
                max_size=25))
def test_pieces_skipped_hold_no_link_email_or_handle(parts: list[str]) -> None:
    # The readers of pieces find the same in the pieces kept as in every piece with a ".".
    text = "".join(parts)
    every = _pieces_by_splitting(text, every_dot=True)
    kept = contacts._chunks(text)
    assert list(contacts._url_candidates(text, kept, "TH")) == list(
        contacts._url_candidates(text, every, "TH"))
    assert list(contacts._email_candidates(text, kept)) == list(
        contacts._email_candidates(text, every))
    assert list(contacts._telegram_candidates(text, text, text.lower(), kept, frozenset())) == list(
        contacts._telegram_candidates(text, text, text.lower(), every, frozenset()))


@pytest.mark.parametrize("shape", [contacts._BTC_BASE58_RE, contacts._BTC_BECH32_RE,
                                   contacts._EVM_RE, contacts._TRON_RE])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_address_shape_begins_where_the_run_search_looks(shape: re.Pattern[str],
                                                               data: st.DataObject) -> None:
    # _WALLET_RUN_RE looks only at runs beginning with 0, 1, 3, b, B or T.
    address = data.draw(st.from_regex(shape, fullmatch=True))
    assert address[0] in "013BTb"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "0x" + "ab12" * 10, "T" * 34,
                                 "bc1" + "q" * 39, "x", "a1", "b", " ", "\n", "\u3000", ".", "-",
                                 "ไก", "😀", "3", "B", "0"]), max_size=30))
def test_address_runs_are_those_of_the_split_pieces(parts: list[str]) -> None:
    text = "".join(parts)
    expected = []
    position = 0
    for piece in text.split():
        position = text.find(piece, position)
        expected += [(position + run.start(), run.group()) for run in _ADDRESS_RUN_RE.finditer(piece)
                     if run.group()[0] in "013BTb"]
        position += len(piece)
    assert [(run.start(), run.group()) for run in contacts._WALLET_RUN_RE.finditer(text)] == expected
