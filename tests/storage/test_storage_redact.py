"""Redaction of narratives, pseudonyms and sealing (pure functions, no database)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.contacts import parse_contact
from storage.pseudonym import pseudonymise
from storage.redact import (
    _DOCUMENT_NUMBER_CORE,
    _ID_AFTER_WORD,
    _OWN_CONTACT,
    _PASSPORT_AFTER_WORD,
    own_identifiers,
    redact_narrative,
)
from storage.sealing import SealError, open_chat_id, seal_chat_id
from tests.storage.helpers import KEY, FakeContact


def test_reporter_identifiers_are_replaced_in_any_spelling() -> None:
    text = ("I am Somchai Jaidee (@somchai_j). Call me at 081-234-5678 or +66 81 234 5678, "
            "mail SOMCHAI.J@GMAIL.COM.")
    redacted = redact_narrative(
        text, reporter_contacts=["Somchai Jaidee", "@somchai_j", "+66812345678",
                                 "somchai.j@gmail.com"],
    )
    assert redacted == ("I am [name] [name] ([username]). Call me at [phone] or [phone], "
                        "mail [email].")


def test_scammer_contacts_stay_and_other_contacts_go() -> None:
    scammer_phone = parse_contact("+855 12 345 678")
    assert scammer_phone is not None
    text = ("The agent @jobs_bkk_hr said call +855 12 345 678 (or 012 345 678). "
            "My sister's number is +66 89 999 1111, her mail sis@example.org. "
            "Apply at https://jobs-thai.example.com/apply")
    redacted = redact_narrative(
        text, scammer_contacts=[FakeContact("telegram", "jobs_bkk_hr"), scammer_phone],
        default_region="KH",
    )
    assert redacted == ("The agent @jobs_bkk_hr said call +855 12 345 678 (or 012 345 678). "
                        "My sister's number is [phone], her mail [email]. "
                        "Apply at https://jobs-thai.example.com/apply")


def test_a_repeated_unnamed_contact_is_redacted_every_time() -> None:
    text = "Text +66 89 999 1111 now. Again: +66899991111. And +66 89 999 1111."
    assert redact_narrative(text) == "Text [phone] now. Again: [phone]. And [phone]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("passport no. AB1234567 kept by boss", "passport no. [passport] kept by boss"),
        ("Số hộ chiếu: C1234567", "Số hộ chiếu: [passport]"),
        ("หนังสือเดินทาง AA1234567", "หนังสือเดินทาง [passport]"),
        ("they took P1234567A from me", "they took [passport] from me"),
        ("MyKad 900101-14-5678", "MyKad [id-number]"),
        ("บัตรประชาชน 1-2345-67890-12-3", "บัตรประชาชน [id-number]"),
        ("NIK 3201234567890001 was copied", "NIK [id-number] was copied"),
        ("CCCD: 001203004567", "CCCD: [id-number]"),
        ("NRC 12/MaYaKa(N)123456", "NRC [id-number]"),
        ("身份证 11010519491231002X", "身份证 [id-number]"),
    ],
)
def test_identity_documents_are_replaced(text: str, expected: str) -> None:
    assert redact_narrative(text) == expected


def test_ordinary_numbers_stay() -> None:
    text = "Salary 15,000,000 VND, 2 years, flight VN123 on 12/03/2026, room 1204."
    assert redact_narrative(text) == text


def test_pseudonyms_are_stable_keyed_and_hex() -> None:
    first = pseudonymise(123456789, key=KEY)
    assert first == pseudonymise(123456789, key=KEY)
    assert first != pseudonymise(123456789, key=b"another-key-of-thirty-two-bytes!")
    assert first != pseudonymise(123456780, key=KEY)
    assert len(first) == 64 and int(first, 16) >= 0
    assert "123456789" not in first
    with pytest.raises(ValueError):
        pseudonymise(1, key=b"short")


def test_sealed_chat_ids_open_only_with_the_key() -> None:
    token = seal_chat_id(-1001234567890, key=KEY)
    assert "1234567890" not in token
    assert token != seal_chat_id(-1001234567890, key=KEY)  # random nonce
    assert open_chat_id(token, key=KEY) == -1001234567890
    with pytest.raises(SealError):
        open_chat_id(token, key=b"another-key-of-thirty-two-bytes!")
    with pytest.raises(SealError):
        open_chat_id(token[:-4] + "AAAA", key=KEY)


_SPELLINGS = (
    "+66 {a} {b} {c}", "+66{a}{b}{c}", "0{a}-{b}-{c}", "0{a} {b} {c}", "(0{a}) {b}{c}",
    "0066 {a} {b} {c}",
)


@settings(max_examples=60, deadline=None)
@given(
    national=st.from_regex(r"[689][0-9]{8}", fullmatch=True),
    spelling=st.sampled_from(_SPELLINGS),
    before=st.sampled_from(["Call me: ", "my number is ", "เบอร์ ", "số tôi "]),
    after=st.sampled_from([".", " ok?", "", "\nThanks"]),
)
def test_the_reporters_own_phone_never_survives_in_any_spelling(
    national: str, spelling: str, before: str, after: str
) -> None:
    written = spelling.format(a=national[:2], b=national[2:5], c=national[5:])
    text = f"{before}{written}{after} The recruiter is @jobs_bkk_hr."
    redacted = redact_narrative(
        text, reporter_contacts=[f"+66{national}"],
        scammer_contacts=[FakeContact("telegram", "jobs_bkk_hr")], default_region="TH",
    )
    assert national not in re.sub(r"\D", "", redacted)
    assert "[phone]" in redacted and "@jobs_bkk_hr" in redacted


def test_own_identifiers_skip_only_texts_that_cannot_name_one() -> None:
    """Without an "@" or a digit `own_identifiers` answers at once; with them, exactly what the
    pattern finds (every real ad and story, and digits of other scripts)."""
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "real"
    texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["My number is +66 81 234 5678", "call me on ๐๘๑๒๓๔๕๖๗๘", "เบอร์ผม ０８１２３４５６７８",
              "my email is somchai@example.com", "contact me @somchai_real", "They took my passport.",
              "my number is secret", "", "我的电话 13800138000"]
    found = 0
    for text in texts:
        expected = [m.group("own").strip() for m in _OWN_CONTACT.finditer(text)]
        assert own_identifiers(text) == expected, text[:60]
        found += bool(expected)
    assert found >= 4


def test_document_words_are_read_only_where_a_document_number_can_follow() -> None:
    """A text without `_DOCUMENT_NUMBER`'s core (a digit, 5-17 digits, letters or hyphens, a
    digit) has no passport or ID number after its word: the skipped patterns would find none.
    And where it has one, the number is still redacted (other scripts' digits, folded letters)."""
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "real"
    texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    crafted = ["passport no. P1234567", "my ID: 9001011234", "NRIC ſ1234567K", "KTP ３２７１０１２３４５６７",
               "หนังสือเดินทาง AA1234567", "護照號碼 E12345678", "passport 12 34 56", "ID 1-23"]
    skipped = 0
    for text in texts + crafted:
        if _DOCUMENT_NUMBER_CORE.search(text) is None:
            skipped += 1
            assert not list(_PASSPORT_AFTER_WORD.finditer(text)), text[:60]
            assert not list(_ID_AFTER_WORD.finditer(text)), text[:60]
    assert skipped >= 10
    assert redact_narrative("passport no. P1234567") == "passport no. [passport]"
    assert "３２７１０１２３４５６７" not in redact_narrative("KTP ３２７１０１２３４５６７")
