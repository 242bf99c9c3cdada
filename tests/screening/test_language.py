"""Language detection: script first, langdetect only for Latin text, hints for the rest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locales.i18n import SUPPORTED_LOCALES
from screening.language import _MALAY_FAMILY, _MALAY_INDONESIAN_LEAN, detect_language

DATA_DIR = Path(__file__).resolve().parents[2] / "screening" / "data"


@pytest.mark.parametrize(("text", "expected"), [
    ("สวัสดีครับ สนใจงานแอดมินค่ะ", "th"),
    ("ສະບາຍດີ ຂ້ອຍສົນໃຈວຽກນີ້", "lo"),
    ("សួស្តី ខ្ញុំចាប់អារម្មណ៍ការងារនេះ", "km"),
    ("မင်္ဂလာပါ ဒီအလုပ်ကို စိတ်ဝင်စားပါတယ်", "my"),
    ("안녕하세요 이 일자리에 관심이 있습니다", "ko"),
    ("नमस्ते, मुझे इस नौकरी में रुचि है", "hi"),
    ("我们公司招聘客服，工资很高，包吃包住", "zh_Hans"),
    ("我們公司招聘客服，薪水很高，包吃包住", "zh_Hant"),
    ("Xin chào, tôi muốn hỏi về công việc này", "vi"),
    ("Tuyen nhan vien lam viec tai Campuchia luong cao", "vi"),
    ("Hello, I would like to ask about this job offer please", "en"),
    ("Magandang araw po, magkano ang sahod sa trabaho na ito?", "tl"),
])
def test_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ติดต่อ @HR_Recruit01 Telegram https://t.me/abc", "th"),  # handles and links are not prose
    ("急招客服 salary 3000 USD telegram @abc_hr", "zh_Hans"),
    ("ការងារ Customer Service នៅភ្នំពេញ ប្រាក់ខែ $1500", "km"),
])
def test_mixed_scripts(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_han_without_distinguishing_characters_follows_hint_then_country() -> None:
    assert detect_language("招聘客服") == "zh_Hans"
    assert detect_language("招聘客服", hint="zh-hant") == "zh_Hant"
    assert detect_language("招聘客服", country="TW") == "zh_Hant"
    # Cantonese, Hong Kong's and Macau's spoken language, is written in Traditional characters.
    assert detect_language("招聘客服", hint="yue-HK") == "zh_Hant"
    # Taiwan's and Hong Kong's corner-bracket quotes, and 妳, break the tie before the hint.
    assert detect_language("「招聘客服」") == "zh_Hant"
    assert detect_language("妳好，招聘客服", hint="en") == "zh_Hant"
    # Zhuyin (Bopomofo), Taiwan's phonetic letters, typed in Taiwanese chat.
    assert detect_language("招聘客服ㄉ工作", hint="en") == "zh_Hant"


def test_characters_of_one_script_from_the_conversion_tables_count() -> None:
    # 伤 and 丢 are in OpenCC's tables only (screening/data/han_script.json), not hand-picked.
    assert detect_language("丢了，受伤了", hint="zh_Hant") == "zh_Hans"
    assert detect_language("丟了，受傷了", hint="zh_Hans") == "zh_Hant"
    # 晒 is written Cantonese ("thanks a lot"), not only Simplified.
    assert detect_language("多謝晒", hint="en") == "zh_Hant"
    # Written Cantonese: 瞓 "sleep", 啫 a final particle.
    assert detect_language("好想瞓", hint="en") == "zh_Hant"
    assert detect_language("好啫", hint="zh_Hans") == "zh_Hant"
    # More of them, each beside characters both scripts write: 噚日 "yesterday", 嬲 "angry",
    # 唞 "rest", 踎 "squat".
    for text in ("噚日去街", "我好嬲", "唞下先", "踎低先"):
        assert detect_language(text, hint="en") == "zh_Hant", text


def test_words_of_one_script_decide_when_no_character_does() -> None:
    # Every character here is written in both scripts; the words are not (data/han_words.json):
    # Traditional writes 看著, 瞭解, 乾杯 where Simplified writes 看着, 了解, 干杯, and Simplified
    # 以后, 哪里, 几乎 where Traditional writes 以後, 哪裡, 幾乎.
    assert detect_language("我看著你", hint="en") == "zh_Hant"
    assert detect_language("瞭解", hint="en") == "zh_Hant"
    assert detect_language("乾杯", hint=None) == "zh_Hant"
    assert detect_language("以后再说", hint="zh_Hant") == "zh_Hans"
    assert detect_language("你在哪里", hint="zh_Hant") == "zh_Hans"
    assert detect_language("几乎", hint="zh-hant") == "zh_Hans"
    # One word each way is a tie: the tie-breakers after it decide as before.
    assert detect_language("以后看著", hint="en") == "zh_Hans"
    assert detect_language("以后看著", hint="zh_Hant") == "zh_Hant"
    # 著 alone stays in Simplified (著名): no word, no decision.
    assert detect_language("著名公司招聘", hint="en") == "zh_Hans"


def test_hong_kong_standard_forms() -> None:
    # Hong Kong writes 温, 脱, 兑 (OpenCC's HKVariants): not Simplified evidence against a hint.
    assert detect_language("温度", hint="zh-hk") == "zh_Hant"
    assert detect_language("脱離", hint="en") == "zh_Hant"
    # Its own forms the mainland never writes (衞 for 卫, 啓 for 启) are Traditional evidence.
    assert detect_language("衞生", hint="en") == "zh_Hant"
    assert detect_language("啓事", hint="en") == "zh_Hant"
    assert detect_language("卫生", hint="zh-hk") == "zh_Hans"


def test_stray_kana_in_chinese_is_chinese_but_japanese_is_none() -> None:
    assert detect_language("我們の店招聘員工，薪水很高") == "zh_Hant"
    assert detect_language("日本語のテキストです、よろしくお願いします") is None


@pytest.mark.parametrize(("text", "hint", "country", "expected"), [
    ("Kerja di luar negeri gaji tinggi", "ms", None, "ms"),
    ("Kerja di luar negeri gaji tinggi", "id", None, "id"),
    ("Kerja di luar negeri gaji tinggi", None, "MY", "ms"),
    ("Kerja di luar negeri gaji tinggi", None, "ID", "id"),
    # No word tells them apart, no hint or country does: Indonesian, the language of far more
    # people, which readers of Malay understand (the greeting offers "Another language").
    ("Kerja di luar negeri gaji tinggi", "en", None, "id"),
    ("Kerja di luar negeri gaji tinggi", None, None, "id"),
    # Words one side writes far more often (screening/data/malay_indonesian.json) decide,
    # before the country.
    ("Apa yang berlaku di sana semalam", "en", None, "ms"),
    ("Kupikir dia butuh kerja di sana", "en", "MY", "id"),
    ("Kerja kosong, boleh mohon sekarang, percuma tiket", None, None, "ms"),
    ("Lowongan kerja, bisa langsung kerja, tiket gratis", None, None, "id"),
    # Subtitles alone lean Malay on "kepada", "kata", "ketua" (dialogue translated from one
    # standard into the other); wordfreq's Wikipedia and Twitter counts, averaged in, do not.
    ("Hal itu disampaikan ketua panitia kepada wartawan", "en", None, "id"),
    ("Kata dia, pihaknya sudah melapor kepada polisi", None, None, "id"),
    # Job ads: each country's funds and benefits by name, and each standard's job words.
    ("Gaji pokok, KWSP dan PERKESO disediakan", "en", None, "ms"),
    ("Gaji pokok, BPJS dan THR disediakan", "en", None, "id"),
    ("Syarat lantikan", "en", None, "ms"),
    ("Dicari satpam", "en", None, "id"),
])
def test_malay_or_indonesian(text: str, hint: str | None, country: str | None,
                             expected: str | None) -> None:
    assert detect_language(text, hint=hint, country=country) == expected


@pytest.mark.parametrize(("text", "hint", "expected"), [
    # English "-ity" loans: Malay -iti after -il, -iv, -ar, -or, -al, -ur, -un; Indonesian -itas.
    ("Populariti dia semakin naik", "en", "ms"),
    ("Kreativiti dia memang tinggi", None, "ms"),
    ("Efektivitas program itu rendah", "en", "id"),
    # Native words ending -iti are no loans: they lean nowhere.
    ("Dia meneliti semua", "en", "id"),
])
def test_loanword_endings_tell_malay_from_indonesian(text: str, hint: str | None,
                                                     expected: str) -> None:
    assert detect_language(text, hint=hint) == expected


def test_malay_indonesian_suffixes_outweigh_english_small_talk() -> None:
    # "dipermudahkan" is in no word list; its -kan says Malay/Indonesian, not English.
    assert detect_language("Good luck, semoga dipermudahkan", hint="en") in ("ms", "id")
    # Tagalog writes -kan and -nya words too: beside a Tagalog word they do not count.
    assert detect_language("Subukan mo lang yung bagong trabaho", hint="en") == "tl"
    assert detect_language("Sa kompanya namin, maganda ang sahod", hint="en") == "tl"


@pytest.mark.parametrize("text", ["Seorang wanita hilang", "Thanks, tuhan memberkati"])
def test_common_words_both_standards_share_say_malay_or_indonesian(text: str) -> None:
    # seorang, wanita, tuhan: in no hand-written list, in data/malay_family_words.json.
    assert detect_language(text, hint="en") in ("ms", "id")
    assert detect_language(text) in ("ms", "id")


def test_malay_family_words_never_override_another_familys_words() -> None:
    words = json.loads((DATA_DIR / "malay_family_words.json").read_text(encoding="utf-8"))["words"]
    assert "seorang" in words and "seorang" in _MALAY_FAMILY
    # "di" is in the file (both standards write it most) but the hand-written grammar weight stands.
    assert "di" in words and _MALAY_FAMILY["di"] == 1.5
    assert "the" not in words and "sa" not in words
    assert detect_language("Thanks for the update, see you at the office tomorrow", hint="en") == "en"


@pytest.mark.parametrize(("text", "expected"), [
    # Every word is in a lean file only (lumayan, gajinya, pokoknya, mendingan; kejap): before,
    # none said "Malay or Indonesian", so the line fell to the English interface or to Tagalog.
    ("Gajinya lumayan", "id"),
    ("Pokoknya lumayan", "id"),
    ("Lumayan mantap", "id"),
    ("Mendingan resign", "id"),
    ("Kejap, otw", "ms"),
])
def test_words_one_standard_writes_more_say_malay_or_indonesian(text: str, expected: str) -> None:
    assert detect_language(text, hint="en") == expected
    assert detect_language(text) == expected


def test_lean_words_english_or_filipino_write_are_no_malay_family_evidence() -> None:
    data = json.loads((DATA_DIR / "malay_family_words.json").read_text(encoding="utf-8"))
    left_out = set(data["leaning_words_left_out"])
    # In the lean files (Malay and Indonesian subtitles write them more than English ones), but
    # English writes them too.
    for word in ("okay", "hospital", "program"):
        assert word in _MALAY_INDONESIAN_LEAN and word in left_out and word not in _MALAY_FAMILY
    assert "lumayan" in _MALAY_INDONESIAN_LEAN and "lumayan" not in left_out
    assert _MALAY_FAMILY["lumayan"] == 1.0
    assert detect_language("Okay, see you at the hospital") == "en"


def test_malay_family_words_were_built_from_the_current_lean_files() -> None:
    # build_malay_family_words.py filters the lean files' words: rebuild it after them.
    data = json.loads((DATA_DIR / "malay_family_words.json").read_text(encoding="utf-8"))
    built_from = data["leaning_words_from"]
    words = sorted(set().union(*(
        json.loads((DATA_DIR / name).read_text(encoding="utf-8"))["lean"]
        for name in built_from["files"])))
    assert hashlib.sha256("\n".join(words).encode()).hexdigest() == built_from["sha256"]
    assert set(data["leaning_words_left_out"]) <= set(words)


def test_malay_indonesian_lean_is_the_mean_of_both_estimates() -> None:
    files = [json.loads((DATA_DIR / name).read_text(encoding="utf-8"))["lean"]
             for name in ("malay_indonesian.json", "malay_indonesian_wordfreq.json")]
    only_one = next(word for word in sorted(files[1]) if word not in files[0])
    assert _MALAY_INDONESIAN_LEAN[only_one] == pytest.approx(files[1][only_one] / 2, abs=1e-3)
    both = next(word for word in sorted(files[0]) if word in files[1])
    assert _MALAY_INDONESIAN_LEAN[both] == pytest.approx((files[0][both] + files[1][both]) / 2,
                                                         abs=1e-3)
    assert set(_MALAY_INDONESIAN_LEAN) == set(files[0]) | set(files[1])


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "12345 678", "!!! ???", "ok", "hi"])
def test_empty_or_too_short_text_returns_the_hint(text: str) -> None:
    assert detect_language(text, hint="th") == "th"
    assert detect_language(text, hint="fil") in ("tl", None)


def test_hint_is_normalised_from_telegram_codes() -> None:
    assert detect_language("", hint="en-US") == "en"
    assert detect_language("", hint="xx") is None


def test_deterministic() -> None:
    text = "Hello po, is this work legit? salamat"
    assert len({detect_language(text) for _ in range(5)}) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from([None, "en", "th", "zh-hant", "ms", "garbage"]))
def test_garbage_returns_a_supported_locale_or_none(text: str, hint: str | None) -> None:
    assert detect_language(text, hint=hint) in (*SUPPORTED_LOCALES, None)


@pytest.mark.parametrize("text", [
    "Trabaho sa Cambodia bilang encoder at call center agent",
    "Next cut-off na!",
])
def test_taglish_under_an_english_interface_is_tagalog(text: str) -> None:
    # English nouns fill Taglish; the Tagalog grammar words say whose sentence it is.
    assert detect_language(text, hint="en") == "tl"
