"""Talk to a person, end to end (issue 19): a person writing in Khmer, staff answering from
the staff group (forum topic, copyMessage) and from the web app, a photo each way, close,
reopen, /delete; the staff side never holds the person's id or name."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from typing import Any

from PIL import Image
from sqlalchemy import text

from bot.app import start_background_jobs, stop_background_jobs
from bot.config import Settings
from emulator import Emulator
from emulator.models import SentMessage
from emulator.users import GroupChat, SimulatedUser
from storage.db import create_db_engine, session_scope
from storage.talk import add_staff_message, list_cases

from .conftest import BotAppFactory

STAFF_GROUP = -1001900
PERSON_ID = 731_000_555
PERSON_FIRST, PERSON_LAST, PERSON_HANDLE = "Sokunthea", "Chanthou", "sokun_private"


def picture(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def wait_until(check: Callable[[], Any], timeout: float = 8.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def all_database_text(settings: Settings) -> str:
    engine = create_db_engine(settings.database_url)
    dump: list[str] = []
    with engine.connect() as connection:
        tables = [row[0] for row in connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'"))]
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                dump.append(repr(tuple(row)))
    engine.dispose()
    return "\n".join(dump)


async def test_talk_khmer_person_group_and_web(emulator: Emulator, bot_app: BotAppFactory,
                                               e2e_settings: Settings) -> None:
    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    staff = emulator.user(9001, first_name="Ana", username="ana_staff")
    application = await bot_app(talk_chat_id=STAFF_GROUP)
    # Long polling in tests skips post_init: start the relay as run_polling would.
    start_background_jobs(application)
    try:
        await _conversation(emulator, group, staff, e2e_settings)
    finally:
        await stop_background_jobs(application)


async def _conversation(emulator: Emulator, group: GroupChat, staff: SimulatedUser,
                        e2e_settings: Settings) -> None:
    person = emulator.user(PERSON_ID, first_name=PERSON_FIRST, last_name=PERSON_LAST,
                           username=PERSON_HANDLE, language_code="km")

    await person.send_command("/talk")
    consent = await person.wait_for_reply()
    assert consent.buttons, consent.text
    assert "Telegram" in consent.text  # what staff will not see is said
    await person.press_newest(lambda data: data.endswith("talk:start"))
    connected = await person.wait_for_reply()
    assert connected.buttons

    await person.send_text("ខ្ញុំត្រូវការជំនួយ។ ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ។")
    ack = await person.wait_for_reply()
    assert ack.text
    await person.send_photo(picture((200, 30, 30)), caption="កន្លែងនេះ")

    # The staff group: one topic for the case, the person's words copied into it.
    topics = await wait_until(lambda: group.topics)
    thread = next(iter(topics))
    assert topics[thread]["name"].startswith("Case ")
    copies = await wait_until(lambda: [m for m in group.messages_in(thread)
                                       if "photo" in m.raw] and group.messages_in(thread))
    texts = " ".join(m.text for m in copies)
    assert "ខ្ញុំត្រូវការជំនួយ" in texts
    assert copies and all("forward_origin" not in m.raw for m in copies)
    assert not emulator.calls_to("forwardMessage")
    assert any(call for call in emulator.calls_to("copyMessage"))

    # Staff answer in the topic: a text and a photo, copied to the person.
    person.skip_replies()
    await staff.send_text("Hello, we are here. Are you safe right now?", chat=group, thread=thread)
    answer = await person.wait_for_reply(timeout=8)
    assert answer.text == "Hello, we are here. Are you safe right now?"
    assert "forward_origin" not in answer.raw
    await staff.send_photo(picture((20, 200, 20)), caption="map", chat=group, thread=thread)
    photo_answer = await person.wait_for_reply(timeout=8)
    assert photo_answer.photo

    # Staff answer from the web app (stored by the review pages; the relay delivers it).
    engine = create_db_engine(e2e_settings.database_url)
    with session_scope(engine) as db:
        case = list_cases(db)[0].case
        assert case.id is not None
        case_id = case.id
        add_staff_message(db, case_id=case_id, author="ana", kind="text",
                          text="We will call the hotline with you.", source="web",
                          to_group=True, now=case.last_activity_at)
    web_answer = await person.wait_for_reply(timeout=8)
    assert web_answer.text == "We will call the hotline with you."

    # The person's photo reached the database stripped, for the web app.
    with session_scope(engine) as db:
        row = db.execute(text("SELECT count(*) FROM talk_message WHERE file_data IS NOT NULL "
                              "AND direction = 'in'")).scalar_one()
        assert row == 1

    # Nothing on the staff side holds the person's id, name or username.
    dump = all_database_text(e2e_settings)
    for secret in (str(PERSON_ID), PERSON_FIRST, PERSON_LAST, PERSON_HANDLE):
        assert secret not in dump, secret
    for message in group.messages:
        for secret in (str(PERSON_ID), PERSON_FIRST, PERSON_LAST, PERSON_HANDLE):
            assert secret not in repr(message.raw), secret

    # The person ends it: staff can no longer write; the way back is erased.
    person.skip_replies()
    await person.press_newest(lambda data: data.endswith("talk:end"))
    await person.wait_for_replies(2)
    def sealed() -> bool:
        with session_scope(engine) as db:
            return db.execute(text("SELECT chat_sealed, status FROM talk_case")).one() == (
                None, "closed")
    await wait_until(sealed)
    staff.skip_replies(chat=group)
    await staff.send_text("Still there?", chat=group, thread=thread)
    refused: list[SentMessage] = await wait_until(lambda: [
        m for m in group.messages if "nothing was sent" in m.text])
    assert refused
    await asyncio.sleep(1.5)
    assert all(m.text != "Still there?" for m in person.messages)

    # Reopen: the same case, the same topic.
    await person.send_command("/talk")
    await person.wait_for_reply()
    await person.press_newest(lambda data: data.endswith("talk:start"))
    await person.wait_for_reply()
    with session_scope(engine) as db:
        assert db.execute(text("SELECT count(*) FROM talk_case")).scalar_one() == 1
        assert db.execute(text("SELECT status FROM talk_case")).scalar_one() == "open"

    # /delete erases the conversation, here and in the staff group.
    await person.send_command("/delete")
    await person.wait_for_reply()
    await person.press_newest(lambda data: data.endswith("erase:yes"))
    await person.wait_for_reply()
    await wait_until(lambda: not group.topics)

    def cases_left() -> int:
        # A session of its own each time: one read transaction kept open would see the rows
        # as they were at its first read, and the erasure may commit after the topic is gone.
        with session_scope(engine, read_only=True) as db:
            return int(db.execute(text("SELECT count(*) FROM talk_case")).scalar_one())
    await wait_until(lambda: cases_left() == 0)
    with session_scope(engine, read_only=True) as db:
        assert db.execute(text("SELECT count(*) FROM talk_message")).scalar_one() == 0
    engine.dispose()
