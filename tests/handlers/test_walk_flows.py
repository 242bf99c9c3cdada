"""Flows walked as a person would (branch t-walk): the answers found there that read wrong or
contradicted each other, each kept by a test."""

from __future__ import annotations

from tests.handlers.conftest import Harness
from tests.handlers.test_check_contact import report_naming
from tests.handlers.test_report import conversation_of


def test_a_number_and_a_handle_typed_together_are_both_checked(harness: Harness) -> None:
    """"+855 96 555 1234 and @fastjob_hr" answered about the number only (the number was most of
    the text, so it was taken as the one contact typed), while the same two contacts inside a
    longer forwarded message were both answered."""
    report_naming(harness, "@fastjob_hr", reporter="a" * 64)
    person = harness.person()
    person.send("/contact")
    [short] = person.send("+855 96 555 1234 and @fastjob_hr")
    person.press("again")
    [longer] = person.send("Hi, for the job contact Mr Dara on +855 96 555 1234 or Telegram "
                           "@fastjob_hr")
    assert "<b>@fastjob_hr</b>: reported by 1 person" in short.text, short.text
    assert short.text == longer.text


def test_a_report_keeps_both_contacts_of_one_message(harness: Harness) -> None:
    person = harness.person()
    person.send("/report")
    person.press("k:contact")
    [listed] = person.send("+855 96 555 1234 @fastjob_hr")
    assert "+855 96 555 1234" in listed.text and "@fastjob_hr" in listed.text, listed.text
    contacts = conversation_of(harness, person)[2]["draft"]["contacts"]
    assert [(item["type"], item["value"]) for item in contacts] == [
        ("phone", "+855965551234"), ("telegram", "fastjob_hr")]
