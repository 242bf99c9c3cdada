"""False reads of the contact reader, by class (branch w-contacts): an everyday word after a
platform's name is not a messenger id unless written as one, and a government's own address is an
official one (`official_domain`), not a recruiter's contact to check."""

from __future__ import annotations

import json
import re

import pytest

from screening import contacts
from screening.assess import assess_text
from screening.contacts import ContactType, extract_contacts, official_domain, parse_contact


def values(text: str, region: str | None = None) -> list[tuple[str, str]]:
    return [(contact.type.value, contact.value)
            for contact in extract_contacts(text, default_region=region)]


# --- an everyday word after a platform's name ----------------------------------------------

# An everyday word after a platform's name is dropped only where the clause plainly goes on as
# prose after it (WordAfterLabel); where it stands as an id does, it is kept.

@pytest.mark.parametrize("text", [
    # as a Malaysian news report printed an ad (the last session's walk)
    "Jobs advertised on WhatsApp, Telegram and WeChat: salaries in the range of RM5,000",
    "JOBS ADVERTISED ON WHATSAPP, TELEGRAM AND WECHAT: SALARIES IN THE RANGE OF RM5,000",
    "THE PARTNERSHIP, IN LINE WITH THE GOVERNMENT'S WORK",  # upper case: "LINE" is the app's spelling
    "WeChat: Salaries in the range of RM5,000",
    "Hubungi kami di LINE: sekarang juga",  # id/ms "now also": an adverb of the same clause
    "Mag-message sa WeChat: trabaho agad",  # tl "work right away"
    "Đăng ký qua LINE: nhanh chóng và miễn phí",  # vi "quick and free": "nhanh chóng" is one word
    "ประกาศรับสมัครทาง WeChat: salaries from 30,000 baht",  # th, an English clause in it
    "招聘广告 WeChat: salaries in the range of 8000元",  # zh, likewise
])
def test_a_word_the_sentence_goes_on_after_is_not_an_id(text: str) -> None:
    assert [kind for kind, _value in values(text)
            if kind in ("wechat", "line", "telegram")] == []


# Each of these fails on round one's rule (a common word was dropped wherever it stood).
@pytest.mark.parametrize(("text", "expected"), [
    ("LINE: jenny", ("line", "jenny")),  # end of the text
    ("Add LINE: jenny for details", ("line", "jenny")),  # a purpose clause opens
    ("LINE: jenny call me now", ("line", "jenny")),  # a contact verb opens a new clause
    ("LINE: jenny\nSalary 30,000", ("line", "jenny")),  # end of the line
    ("LINE: jenny. Salary 30,000", ("line", "jenny")),  # end of a sentence: the "." is its full stop
    ("Telegram: happy, WeChat: sunshine", ("telegram", "happy")),  # before a comma
    ("Telegram: anytime; we reply fast", ("telegram", "anytime")),  # before a semicolon
    ("WeChat: sunshine (HR)", ("wechat", "sunshine")),  # before a bracket
    ("Telegram: happy/WA +66 81 234 5678", ("telegram", "happy")),  # before a slash
    ("LINE: jenny or WhatsApp", ("line", "jenny")),  # "or"
    ("line: jenny wechat: sunshine", ("line", "jenny")),  # another platform's name
    ("LINE: jenny 081 234 5678", ("line", "jenny")),  # a phone number
    ("LINE: JENNY CALL NOW", ("line", "jenny")),  # capitals: "CALL" does not go on a clause
    ("LINE: jenny Tel 081 234 5678", ("line", "jenny")),  # a capitalised word: a new label
    # th: Thai text after a Latin id
    ("สนใจติดต่อ ไลน์ jenny สนใจทักมาได้เลย", ("line", "jenny")),
    ("ทักไลน์: lucky ได้ตลอด 24 ชม.", ("line", "lucky")),
    # vi
    ("Liên hệ LINE: jenny để được tư vấn", ("line", "jenny")),
    ("Zalo hoặc Telegram: happy hoặc gọi 0912 345 678", ("telegram", "happy")),
    # id
    ("Hubungi LINE: jenny atau WA 0812 3456 7890", ("line", "jenny")),
    ("Info lowongan Telegram: happy untuk daftar", ("telegram", "happy")),
    # zh: Chinese text after a Latin id
    ("加微信: sunshine 详聊", ("wechat", "sunshine")),
    ("工作介绍，WeChat: summer，月薪三万", ("wechat", "summer")),
])
def test_a_word_that_stands_as_an_id_is_kept(text: str, expected: tuple[str, str]) -> None:
    assert expected in values(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("WeChat ID: salaries", ("wechat", "salaries")),  # written as an id: the person said so
    ("微信号 salaries", ("wechat", "salaries")),
    ("微信號：salaries", ("wechat", "salaries")),
    ("LINE ID: with", ("line", "with")),
    ("ไอดีไลน์ jenny", ("line", "jenny")),
    ("Line ID: jenny", ("line", "jenny")),
    ("Telegram ID: anytime", ("telegram", "anytime")),
    ("Telegram: @anytime", ("telegram", "anytime")),
    ("LINE: @shop", ("line", "@shop")),
])
def test_a_word_written_as_an_id_is_kept(text: str, expected: tuple[str, str]) -> None:
    assert values(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("WeChat: kk_hr88", ("wechat", "kk_hr88")),  # not a word: digits, "_"
    ("WeChat: zhanglei", ("wechat", "zhanglei")),  # letters, but no everyday word
    ("LINE mike_job", ("line", "mike_job")),
    ("Telegram: hr_amy_kk", ("telegram", "hr_amy_kk")),
    ("VX: 13800138000", ("wechat", "13800138000")),
])
def test_ids_that_are_no_word_are_kept(text: str, expected: tuple[str, str]) -> None:
    assert values(text) == [expected]


def test_a_handle_is_an_id_even_when_it_is_a_word() -> None:
    assert values("message @salaries on Telegram") == [("telegram", "salaries")]


def test_the_word_list_is_what_its_file_says() -> None:
    document = json.loads(contacts._CONTACT_WORDS_FILE.read_text(encoding="utf-8"))
    shape = re.compile(document["parameters"]["shape"])
    assert document["sources"] and all(shape.fullmatch(word) for word in document["words"])
    assert document["words"] == sorted(set(document["words"]))
    assert {"salaries", "with", "sekarang", "trabaho"} <= contacts._contact_words()


# --- a government's own address ------------------------------------------------------------

@pytest.mark.parametrize(("raw", "suffix"), [
    ("http://www.lib.doe.go.th", "go.th"), ("doe.go.th/overseas", "go.th"),
    ("www.dmw.gov.ph", "gov.ph"), ("https://www.eps.go.kr", "go.kr"),
    ("www.rojgaarsangam.up.gov.in", "gov.in"), ("https://colab.gov.vn/", "gov.vn"),
    ("g2g.bnp2tki.go.id", "go.id"), ("jobs@dmw.gov.ph", "gov.ph"), ("https://www.gov.sg", "gov.sg"),
])
def test_government_addresses_are_official(raw: str, suffix: str) -> None:
    [contact] = extract_contacts(f"apply on {raw} today")
    found = official_domain(contact)
    assert found is not None and found.suffix == suffix and found.sources


@pytest.mark.parametrize("raw", [
    "dmw.gov.ph.example.com", "dmw-gov.ph", "gov.ph-jobs.com/apply", "mygov.ph",
    "jobs@dmw.gov.ph.example.com", "https://example.com/www.dmw.gov.ph",
    "http://dmw.gov.ph@example.com/",  # a user name before "@": the link opens example.com
])
def test_lookalikes_of_government_addresses_are_not_official(raw: str) -> None:
    found = extract_contacts(f"apply on {raw} today")
    assert found and all(official_domain(contact) is None for contact in found)


def test_numbers_and_handles_are_never_official_domains() -> None:
    for contact in extract_contacts("@gov_ph_jobs or +66 81 234 5678", default_region="TH"):
        assert official_domain(contact) is None


def test_every_suffix_the_task_names_has_sources() -> None:
    suffixes = {official.suffix for official in contacts.official_domains()}
    assert {"go.th", "gov.ph", "gov.my", "go.id", "gov.vn", "gov.in", "go.kr", "gov.cn", "gov.tw",
            "gov.kh", "gov.la", "gov.mm", "gov.sg"} <= suffixes
    assert all(official.sources for official in contacts.official_domains())


def test_a_typed_government_address_is_official_too() -> None:
    contact = parse_contact("dmw.gov.ph")
    assert contact is not None and contact.type is ContactType.URL
    assert official_domain(contact) is not None


def test_naming_a_ministry_does_not_lower_the_level() -> None:
    lure = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no "
            "experience needed. Free flight ticket, free accommodation and food. Travel on a "
            "tourist visa, we arrange the work permit later.")
    plain = assess_text(lure + " Call +855 12 345 678", lang="en")
    official = assess_text(lure + " Verified by www.dmw.gov.ph", lang="en")
    levels = ["low", "medium", "high", "very_high"]
    assert levels.index(official.risk.value) >= levels.index(plain.risk.value) >= levels.index("high")


def test_a_link_with_a_user_name_is_read_as_the_site_it_opens() -> None:
    # What stands before "@" in a link is a user name: the link opens example.com.
    assert values("apply on http://dmw.gov.ph@example.com/ today") == [("url", "example.com")]


def test_a_labelled_word_typed_on_its_own_is_the_id_asked_about() -> None:
    # /contact "WeChat: salaries": the person says it is a contact; in an offer it is prose.
    contact = parse_contact("WeChat: salaries")
    assert contact is not None and (contact.type, contact.value) == (ContactType.WECHAT, "salaries")
    assert values("WeChat: salaries in the range of RM5,000") == []


def test_the_sentence_rule_reads_its_data() -> None:
    rule = contacts.WordAfterLabel.load()
    assert {"or", "atau", "hoặc"} <= rule.separators and {"for", "untuk", "để"} <= rule.openers
    assert {"in", "the", "with"} <= rule.continuers and "zalo" in rule.labels
    document = json.loads(contacts._CONTACT_ID_CONTEXT_FILE.read_text(encoding="utf-8"))
    assert document["sources"]
    # as an id stands / as prose goes on, whatever the word
    assert not rule.goes_on("jenny", "") and not rule.goes_on("jenny", ", we") \
        and not rule.goes_on("jenny", " 0812") and not rule.goes_on("jenny", " สนใจ")
    assert rule.goes_on("salaries", " in the range") and rule.goes_on("SALARIES", " IN THE")
    assert not rule.goes_on("JENNY", " CALL NOW") and not rule.goes_on("jenny", " Tel 081")
