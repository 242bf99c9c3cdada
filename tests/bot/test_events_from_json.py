"""bot.dispatch.event_from_payload / is_private: the flow's Event from an update's Bot API JSON,
without Telegram objects; and the same Event as from python-telegram-bot's `Update` (polling)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from telegram import Bot, Update

from bot.dispatch import event_from_payload, event_from_update, is_private
from bot.pictures import picture_in
from handlers.types import EventKind
from storage.pseudonym import pseudonymise

os.environ.setdefault("PTB_TIMEDELTA", "1")

KEY = b"test-pseudonym-key-for-event-json-0123456"
PERSON = {"id": 5001, "is_bot": False, "first_name": "Linh", "last_name": "Tran",
          "username": "linh_t", "language_code": "vi"}
PRIVATE = {"id": 5001, "type": "private", "first_name": "Linh"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Jobs"}


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 7, "date": 1_700_000_000, "chat": PRIVATE, "from": PERSON, **fields}


CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "text": ({"update_id": 11, "message": message(text="Salary 1500 USD, free visa")},
             {"kind": EventKind.TEXT, "text": "Salary 1500 USD, free visa"}),
    "command to a named bot, with arguments": (
        {"update_id": 12, "message": message(text="/Check@LureCheckBot  some words ")},
        {"kind": EventKind.COMMAND, "command": "check", "text": "some words"}),
    "caption of a video": (
        {"update_id": 13, "message": message(caption="job in Mae Sot", video={
            "file_id": "v", "file_unique_id": "v1", "width": 1, "height": 1, "duration": 1})},
        {"kind": EventKind.TEXT, "text": "job in Mae Sot", "media_kind": "video"}),
    "sticker alone": (
        {"update_id": 14, "message": message(sticker={
            "file_id": "s", "file_unique_id": "s1", "type": "regular", "width": 1, "height": 1,
            "is_animated": False, "is_video": False})},
        {"kind": EventKind.MEDIA, "media_kind": "sticker"}),
    "forwarded from a user": (
        {"update_id": 15, "message": message(text="come work", forward_origin={
            "type": "user", "date": 1, "sender_user": {"id": 9, "is_bot": False,
                                                       "first_name": "R", "username": "hr_boss"}})},
        {"kind": EventKind.TEXT, "forward_origin": "@hr_boss"}),
    "forwarded from a channel": (
        {"update_id": 16, "message": message(text="jobs!", forward_origin={
            "type": "channel", "date": 1, "message_id": 3,
            "chat": {"id": -1009, "type": "channel", "title": "J", "username": "jobs_kh"}})},
        {"kind": EventKind.TEXT, "forward_origin": "@jobs_kh"}),
    "forwarded from a hidden user": (
        {"update_id": 17, "message": message(text="hi", forward_origin={
            "type": "hidden_user", "date": 1, "sender_user_name": "Someone"})},
        {"kind": EventKind.TEXT, "forward_origin": None}),
    "edited": ({"update_id": 18, "edited_message": message(text="fixed", edit_date=2)},
               {"kind": EventKind.TEXT, "text": "fixed", "edited": True}),
    "button": (
        {"update_id": 19, "callback_query": {
            "id": "q1", "from": PERSON, "chat_instance": "c", "data": "4|report",
            # The message with the button is the bot's; the person is the query's sender.
            "message": message(text="Result", **{"from": {"id": 42, "is_bot": True,
                                                          "first_name": "LureCheck"}})}},
        {"kind": EventKind.BUTTON, "button": "report", "button_version": 4}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_event_from_json(name: str) -> None:
    payload, expected = CASES[name]
    event = event_from_payload(payload, key=KEY)
    assert event is not None
    assert event.user_key == pseudonymise(5001, key=KEY)
    assert event.chat_id == 5001
    assert event.update_id == payload["update_id"]
    assert event.telegram_language == "vi"
    assert event.reporter_identity == ("@linh_t", "Linh Tran", "Linh")
    for field, value in expected.items():
        assert getattr(event, field) == value, field


@pytest.mark.parametrize("name", list(CASES))
def test_the_same_event_from_ptb_objects(name: str) -> None:
    payload, _ = CASES[name]
    update = Update.de_json(payload, Bot("123:abc"))
    assert event_from_update(update, key=KEY) == event_from_payload(payload, key=KEY)


def test_no_event_without_a_person_or_a_message() -> None:
    assert event_from_payload({"update_id": 1}, key=KEY) is None
    assert event_from_payload({"update_id": 2, "message": {"text": "no sender, no chat"}},
                              key=KEY) is None
    assert event_from_payload({"update_id": 3, "poll": {"id": "p"}}, key=KEY) is None
    assert event_from_payload({"update_id": 4, "message": message(text="x", chat={"id": True})},
                              key=KEY) is None


def test_every_private_update_goes_the_one_path_pictures_included() -> None:
    photo = {"update_id": 21, "message": message(photo=[{"file_id": "p", "file_unique_id": "p1",
                                                         "width": 9, "height": 9}])}
    image_file = {"update_id": 22, "message": message(document={
        "file_id": "d", "file_unique_id": "d1", "mime_type": "image/png"})}
    for payload in (CASES["text"][0], CASES["button"][0], photo, image_file):
        assert is_private(payload)
    group = {"update_id": 20, "message": message(text="/start", chat=GROUP)}
    for payload in (group, {"update_id": 23, "message": True}, {"update_id": 24}):
        assert not is_private(payload)


def test_the_picture_in_a_message_from_its_json() -> None:
    sizes = [{"file_id": "small", "file_unique_id": "s", "width": 9, "height": 9, "file_size": 90},
             {"file_id": "large", "file_unique_id": "l", "width": 99, "height": 99,
              "file_size": 9000}]
    assert picture_in(message(photo=sizes)) == ("large", 9000)
    assert picture_in(message(document={"file_id": "d", "file_unique_id": "d1",
                                        "mime_type": "image/png"})) == ("d", None)
    assert picture_in(message(document={"file_id": "d", "file_unique_id": "d1",
                                        "mime_type": "application/pdf"})) is None
    assert picture_in(message(text="no picture")) is None
    assert picture_in(message(photo=[True])) is None


def test_a_known_pseudonym_is_used_only_for_its_person_and_key() -> None:
    payload = {"update_id": 30, "message": message(text="hi")}
    mine = event_from_payload(payload, key=KEY, known=(KEY, 5001, "the webhook's"))
    assert mine is not None and mine.user_key == "the webhook's"
    # Another id (a group's chat), or another key (stored before a rotation): computed.
    for known in ((KEY, -100123, "a group's"), (b"a former key", 5001, "a former one")):
        event = event_from_payload(payload, key=KEY, known=known)
        assert event is not None and event.user_key == pseudonymise(5001, key=KEY)
