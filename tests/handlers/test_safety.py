"""Safety cards, in process, and the extraction of the data files' texts for translation."""

from __future__ import annotations

import html
import io
import json

import pytest

from handlers import safety
from handlers.babel_extract import extract_json
from handlers.content import SAFETY_CARDS_FILE, safety_cards
from locales.i18n import get_translator
from screening.hotlines import HOTLINES_FILE, hotline_directory
from tests.handlers.conftest import Harness


def card_text(locale: str, index: int) -> tuple[str, str]:
    """The translated title and body of a card, escaped as the reply shows them."""
    t = get_translator(locale)
    card = safety_cards()[index]
    return (html.escape(t.gettext(card.title), quote=False),
            html.escape(t.gettext(card.body), quote=False))


@pytest.mark.parametrize("locale", ["en", "vi", "my"])
def test_cards_page_forward_and_back_with_wrap_around(harness: Harness, locale: str) -> None:
    t = get_translator(locale)
    total = len(safety_cards())
    person = harness.person(language_code=locale)
    first = person.send("/safety")[0]
    title, body = card_text(locale, 0)
    assert first.text.startswith(f"<b>{title}</b>")
    assert body in first.text
    assert t.gettext("{current} of {total}", current=t.number(1), total=t.number(total)) in first.text
    assert [b.action for b in person.buttons()] == [safety.PREVIOUS, safety.NEXT, "menu"]

    second = person.press(safety.NEXT)[0]
    assert card_text(locale, 1)[0] in second.text
    person.press(safety.PREVIOUS)
    last = person.press(safety.PREVIOUS)[0]  # from the first card back to the last
    assert card_text(locale, total - 1)[0] in last.text


def test_every_card_shows_its_sources(harness: Harness) -> None:
    person = harness.person()
    person.send("/safety")
    for card in safety_cards():
        shown = person.texts()[0]
        assert card.sources
        assert html.escape(safety.source_names(card.sources), quote=False) in shown
        person.press(safety.NEXT)


def test_text_or_sticker_keeps_the_same_card(harness: Harness) -> None:
    t = get_translator("en")
    person = harness.person()
    person.send("/safety")
    person.press(safety.NEXT)
    replies = person.send("hello?")
    assert replies[0].text == t.gettext("Please choose one of the buttons below.")
    assert card_text("en", 1)[0] in replies[1].text
    replies = person.send_media("sticker")
    assert replies[0].text == t.gettext("I can only read text here.")
    assert card_text("en", 1)[0] in replies[1].text


def test_cards_cover_what_the_issue_asks_for() -> None:
    bodies = " ".join(card.title + " " + card.body for card in safety_cards())
    for topic in ("recruit", "licensed", "interview", "written contract", "tourist visa", "passport",
                  "phone", "someone at home", "already abroad"):
        assert topic in bodies, topic


def test_extractor_yields_every_prose_field_with_its_line() -> None:
    source = HOTLINES_FILE.read_text(encoding="utf-8")
    lines = source.splitlines()
    with HOTLINES_FILE.open("rb") as fileobj:
        extracted = list(extract_json(fileobj, ["gettext"], [], {}))
    messages = [message for _, _, message, _ in extracted]
    directory = hotline_directory()
    expected = {h.description for h in directory.every_entry()}
    expected |= {directory.embassy_advice.text, directory.spoofing_warning.text}
    expected |= {c.label for h in directory.every_entry() for c in h.channels if c.label}
    assert set(messages) == expected
    for lineno, _, message, comments in extracted:
        assert json.dumps(message, ensure_ascii=False) in lines[lineno - 1]
        assert comments and comments[0].startswith("hotlines.json: ")
    # Ids, numbers and sources are not prose for translators.
    assert "th-aoc-1441" not in messages and "1441" not in messages

    with SAFETY_CARDS_FILE.open("rb") as fileobj:
        card_messages = {message for _, _, message, _ in extract_json(fileobj, [], [], {})}
    assert card_messages == {text for card in safety_cards() for text in (card.title, card.body)}


def test_extractor_keys_option_and_escaped_json() -> None:
    data = b'{"a": {"title": "Caf\\u00e9", "note": "skip me"}, "b": [{"note": "take me"}]}'
    extracted = list(extract_json(io.BytesIO(data), [], [], {"keys": "title, note"}))
    assert [message for _, _, message, _ in extracted] == ["Café", "skip me", "take me"]
