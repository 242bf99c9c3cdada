"""Telegram HTML parsing and automatic entities, as TDLib does them."""

from __future__ import annotations

import pytest

from emulator.formatting import (
    EntityParseError,
    detect_entities,
    entity_text,
    parse_html,
    render_plain,
)


def test_tags_become_entities_and_references_are_decoded() -> None:
    text, entities = parse_html('<b>Stop</b> &amp; <a href="https://x.org/?a=1&amp;b=2">check</a>')
    assert text == "Stop & check"
    assert entities == [
        {"offset": 0, "length": 4, "type": "bold"},
        {"offset": 7, "length": 5, "type": "text_link", "url": "https://x.org/?a=1&b=2"},
    ]


def test_offsets_are_utf16_code_units() -> None:
    text, entities = parse_html("😀 <i>ไทย</i>")
    assert text == "😀 ไทย"
    assert entities == [{"offset": 3, "length": 3, "type": "italic"}]  # 😀 is 2 units
    assert entity_text(text, entities[0]) == "ไทย"


def test_unknown_entity_stays_literal_and_numeric_references_decode() -> None:
    assert parse_html("a &nbsp; b &#65;&#x42;")[0] == "a &nbsp; b AB"


def test_pre_with_language_and_nested_tags() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><b>a<i>b</i></b>')
    assert text == "x = 1ab"
    assert {"offset": 0, "length": 5, "type": "pre", "language": "python"} in entities
    assert {"offset": 5, "length": 2, "type": "bold"} in entities
    assert {"offset": 6, "length": 1, "type": "italic"} in entities


def test_spoiler_and_expandable_blockquote() -> None:
    _, entities = parse_html(
        '<span class="tg-spoiler">s</span><blockquote expandable>q</blockquote>')
    assert [entity["type"] for entity in entities] == ["spoiler", "expandable_blockquote"]


@pytest.mark.parametrize(("source", "problem"), [
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("é<div>", 'Unsupported start tag "div" at byte offset 2'),  # bytes, not characters
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ("<b", "Unclosed start tag at byte offset 0"),
])
def test_malformed_html_is_refused_with_telegrams_wording(source: str, problem: str) -> None:
    with pytest.raises(EntityParseError) as error:
        parse_html(source)
    assert str(error.value) == problem


def test_detect_entities_finds_commands_mentions_links_and_emails() -> None:
    text = "/start@lurecheck_bot ask @recruiter_jobs or hr@jobs.example.com, see jobs.example.com."
    found = {(entity["type"], entity_text(text, entity)) for entity in detect_entities(text)}
    assert found == {
        ("bot_command", "/start@lurecheck_bot"),
        ("mention", "@recruiter_jobs"),
        ("email", "hr@jobs.example.com"),
        ("url", "jobs.example.com"),
    }


def test_no_command_inside_a_path() -> None:
    assert detect_entities("a/b and 1/2") == []


def test_render_plain_shows_link_targets() -> None:
    text, entities = parse_html('Call <a href="tel:1199">the hotline</a> or <a href="https://a.org">https://a.org</a>')
    assert render_plain(text, entities) == "Call the hotline (tel:1199) or https://a.org"
