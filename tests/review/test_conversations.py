"""The conversations pages (issue 19): staff-only, CSRF-checked, and never showing who the
person is on Telegram."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from aiohttp import FormData
from aiohttp.test_utils import TestClient
from PIL import Image
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.models import TalkMessage
from storage.pseudonym import pseudonymise
from storage.talk import add_person_message, case_messages, open_case
from tests.review.conftest import ADMIN, Seeded, log_in

PERSON_ID = 88_123_456
KEY = b"r" * 32


def _open(engine: Engine) -> int:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        case, _ = open_case(session, user_key=pseudonymise(PERSON_ID, key=KEY), chat_id=PERSON_ID,
                            seal_key=KEY, locale="km", to_group=False, now=now)
        add_person_message(session, case=case, kind="text", text="ខ្ញុំត្រូវការជំនួយ", file_id=None,
                           source_message_id=7, copyable=True, to_group=False, now=now)
        assert case.id is not None
        return case.id


async def test_anonymous_refused(client: TestClient, engine: Engine, seeded: Seeded) -> None:
    case_id = _open(engine)
    for path in ("/review/conversations", f"/review/conversations/{case_id}"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303
    for action in ("reply", "close", "urgent", "block"):
        response = await client.post(f"/review/conversations/{case_id}/{action}",
                                     data={"csrf": "x", "text": "hi"}, allow_redirects=False)
        assert response.status == 401
    with session_scope(engine, read_only=True) as session:
        assert len(case_messages(session, case_id=case_id)) == 2  # opened note + the message


async def test_thread_reply_picture_close_and_csrf(client: TestClient, engine: Engine,
                                                   seeded: Seeded) -> None:
    case_id = _open(engine)
    csrf = await log_in(client, *ADMIN)
    listing = await (await client.get("/review/conversations")).text()
    assert f"Case {case_id}" in listing
    page = await (await client.get(f"/review/conversations/{case_id}")).text()
    assert "ខ្ញុំត្រូវការជំនួយ" in page
    assert str(PERSON_ID) not in page and pseudonymise(PERSON_ID, key=KEY) not in page

    refused = await client.post(f"/review/conversations/{case_id}/reply",
                                data={"text": "no token"})
    assert refused.status == 403
    foreign = await client.post(f"/review/conversations/{case_id}/reply",
                                data={"csrf": csrf, "text": "cross-site"},
                                headers={"Origin": "https://evil.example"})
    assert foreign.status == 403

    sent = await client.post(f"/review/conversations/{case_id}/reply",
                             data={"csrf": csrf, "text": "Hello from the team"})
    assert sent.status == 200
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "SecretCam"  # Make: metadata that must not go out
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    form = FormData()
    form.add_field("csrf", csrf)
    form.add_field("text", "")
    form.add_field("picture", raw.getvalue(), filename="map.jpg", content_type="image/jpeg")
    assert (await client.post(f"/review/conversations/{case_id}/reply", data=form)).status == 200
    with session_scope(engine, read_only=True) as session:
        outgoing = [m for m in case_messages(session, case_id=case_id) if m.direction == "out"]
    assert [m.text for m in outgoing] == ["Hello from the team", None]
    picture = outgoing[1].file_data
    assert picture is not None and b"SecretCam" not in picture
    assert all(m.person_state == "pending" for m in outgoing)
    shown = await client.get(f"/review/conversations/{case_id}/pictures/{outgoing[1].id}")
    assert shown.status == 200 and shown.content_type == "image/jpeg"

    assert (await client.post(f"/review/conversations/{case_id}/urgent",
                              data={"csrf": csrf, "urgent": "1"})).status == 200
    assert (await client.post(f"/review/conversations/{case_id}/close",
                              data={"csrf": csrf})).status == 200
    late = await client.post(f"/review/conversations/{case_id}/reply",
                             data={"csrf": csrf, "text": "too late"})
    assert late.status == 409
    with session_scope(engine, read_only=True) as session:
        notes = [m.text for m in case_messages(session, case_id=case_id) if m.direction == "note"]
        assert "closed_by_staff" in notes
        assert session.get(TalkMessage, outgoing[0].id) is not None
    audit = await (await client.get("/review/audit")).text()
    assert "talk_reply" in audit or "talk" in audit


async def test_a_topic_made_again_is_shown_to_staff(client: TestClient, engine: Engine,
                                                    seeded: Seeded) -> None:
    from storage.models import TalkCase
    from storage.talk import TOPIC_RECREATED

    case_id = _open(engine)
    await log_in(client, *ADMIN)
    page = await (await client.get(f"/review/conversations/{case_id}")).text()
    assert 'id="topic-again"' not in page
    with session_scope(engine) as session:
        case = session.get_one(TalkCase, case_id)
        case.topic_id, case.topic_state = 41, TOPIC_RECREATED
        session.add(case)
    page = await (await client.get(f"/review/conversations/{case_id}")).text()
    assert 'id="topic-again"' in page and f"Case {case_id}" in page


async def test_files_only_for_staff_and_only_cleanable_uploads(
        client: TestClient, engine: Engine, seeded: Seeded) -> None:
    case_id = _open(engine)
    csrf = await log_in(client, *ADMIN)
    form = FormData()
    form.add_field("csrf", csrf)
    form.add_field("text", "")
    form.add_field("picture", b"hello\n", filename="Ana notes.txt", content_type="text/plain")
    assert (await client.post(f"/review/conversations/{case_id}/reply", data=form)).status == 200
    for name, content_type in (("tool.exe", "application/x-msdownload"),
                               ("fake.pdf", "application/pdf")):
        form = FormData()
        form.add_field("csrf", csrf)
        form.add_field("text", "")
        form.add_field("picture", b"MZ\x90\x00", filename=name, content_type=content_type)
        refused = await client.post(f"/review/conversations/{case_id}/reply", data=form)
        assert refused.status == 400 and "PDF" in await refused.text(), name
    with session_scope(engine, read_only=True) as session:
        sent = [m for m in case_messages(session, case_id=case_id) if m.direction == "out"]
    assert [(m.kind, m.file_data) for m in sent] == [("txt", b"hello\n")]
    served = await client.get(f"/review/conversations/{case_id}/files/{sent[0].id}")
    assert served.status == 200 and await served.read() == b"hello\n"
    assert served.headers["Content-Disposition"] == f'attachment; filename="document-{sent[0].id}.txt"'
    assert served.headers["Content-Security-Policy"] == "sandbox"
    page = await (await client.get(f"/review/conversations/{case_id}")).text()
    assert f"/files/{sent[0].id}" in page and "Ana notes" not in page
    await client.post("/review/logout", data={"csrf": csrf})
    anonymous = await client.get(f"/review/conversations/{case_id}/files/{sent[0].id}",
                                 allow_redirects=False)
    assert anonymous.status in (303, 401)
