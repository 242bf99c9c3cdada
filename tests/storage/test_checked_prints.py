"""A report filed from a check reuses the fingerprint the check computed
(`storage.matching.checked_print`): always the very one `fingerprint` gives for that text, and
none for a text not checked, or checked too long ago."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from screening.similarity import fingerprint
from storage import matching
from storage.db import session_scope
from storage.matching import checked_print, match_offer, text_index

AD = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no "
      "experience needed. Free flight ticket, free accommodation and food. Call +855 12 345 678")
THAI = "รับสมัครพนักงานบริการลูกค้าที่กรุงเทพ เงินเดือน 45,000 บาท ไม่ต้องมีประสบการณ์ บินฟรี ที่พักฟรี"


def test_a_checked_text_keeps_its_fingerprint_for_the_report(engine: Engine) -> None:
    redacted = AD.replace("+855 12 345 678", "[phone]")
    assert checked_print(AD + " (never checked)") is None
    with session_scope(engine) as session:
        for text in (AD, THAI, "too short"):
            match_offer(session, text=text, reporter_key="someone")
    for text in (AD, THAI, "too short"):
        kept = checked_print(text)
        assert kept is not None and kept == fingerprint(text)
    # A redacted ad is another text: fingerprinted afresh, not given the check's.
    assert checked_print(redacted) is None
    assert text_index(redacted) == (fingerprint(redacted).encoded(),
                                    sorted(set(fingerprint(redacted).bands())))
    signature, bands = text_index(AD)
    assert signature == fingerprint(AD).encoded() and bands == sorted(set(fingerprint(AD).bands()))
    assert text_index("") == (None, []) and text_index("ok") == (None, [])


def test_only_the_latest_checks_are_kept(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching, "CHECKED_PRINTS_KEPT", 3)
    texts = [f"{AD} Office number {n} in the tower." for n in range(5)]
    with session_scope(engine) as session:
        for text in texts:
            match_offer(session, text=text)
        match_offer(session, text=texts[2])  # checked again: the newest now
        match_offer(session, text=AD)
    assert [checked_print(text) is not None for text in texts] == [
        False, False, True, False, True]
    assert checked_print(AD) == fingerprint(AD)
