"""`normalise_agency_name` (one `translate` over distinct characters) is its definition: each
character kept when alphanumeric after case folding, else a space; runs of spaces collapsed."""

from __future__ import annotations

import pytest

from storage.agencies import normalise_agency_name


def _definition(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in name.casefold())
    return " ".join(cleaned.split())


@pytest.mark.parametrize("name", [
    "", " ", "PT. Maju-Jaya  (Agensi)", "ABC Manpower Services, Inc.", "İstanbul ǅ ß ﬁ ΣΑΣ",
    "中介 劳务公司（深圳）", "ក្រុមហ៊ុន ១២៣", "บริษัท จัดหางาน ๑๒๓ จำกัด", "a\u0301b\u200bc\u00ad",
    "Công ty Xuất khẩu Lao động", "٣٤ وكالة", "\t\nnew\r\nlines\x00",
])
def test_the_definition_on_names_and_offers(name: str) -> None:
    assert normalise_agency_name(name) == _definition(name)
    assert normalise_agency_name(name * 3) == _definition(name * 3)


def test_the_definition_on_every_character() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert normalise_agency_name(every) == _definition(every)
