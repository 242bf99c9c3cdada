"""Documents both ways in "talk to a person" (issue 19): a PDF, a picture sent as a file and a
text file go from the person to the staff group and the web app cleaned of their metadata and
under neutral names; staff send a PDF from the web app and from the group; other kinds are
refused with a reply that says which kinds and why; the staff side never holds the person's
id or name (database, group, HTML)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)
from sqlalchemy import text

from bot.app import start_background_jobs, stop_background_jobs
from bot.config import Settings
from emulator import Emulator
from emulator.models import SentMessage
from review.app import create_standalone_app
from review.auth import LoginGate
from storage.db import create_db_engine, session_scope
from storage.models import StaffRole
from storage.staff import create_staff_user
from storage.talk import list_cases
from tests.review.conftest import ADMIN, log_in, password_hash

from .conftest import BotAppFactory
from .test_talk import all_database_text, wait_until

STAFF_GROUP = -1001911
PERSON_ID = 731_000_919
FIRST, LAST, HANDLE = "Sokunthea", "Chanthou", "sokun_files"
NAMES = (FIRST, LAST, HANDLE, str(PERSON_ID))


def pdf_with_metadata(page_text: str = "Contract: 1500 USD a month") -> bytes:
    """A one-page PDF naming its author in the document info, the XMP and an annotation."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    writer.add_metadata({"/Author": f"{FIRST} {LAST}", "/Title": page_text})
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{FIRST} {LAST}</dc:creator></x:xmpmeta>".encode())
    xmp.update({NameObject("/Type"): NameObject("/Metadata"),
                NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    note = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                             NameObject("/Subtype"): NameObject("/Text"),
                             NameObject("/T"): TextStringObject(f"{FIRST} {LAST}"),
                             NameObject("/Rect"): ArrayObject([])})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (80, 60), (30, 90, 200))
    exif = image.getexif()
    exif[0x013B] = f"{FIRST} {LAST}"  # Artist
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def downloaded(emulator: Emulator, document: dict[str, object]) -> bytes:
    return emulator.files[str(document["file_id"])].data


def assert_clean(data: bytes) -> None:
    for name in (FIRST, LAST, "SecretCam"):
        assert name.encode() not in data, name


@pytest.fixture
async def staff_web(e2e_settings: Settings) -> AsyncIterator[TestClient]:
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    engine = create_db_engine(settings.database_url)
    with session_scope(engine) as session:
        create_staff_user(session, username=ADMIN[0], password_hash=password_hash(ADMIN[1]),
                          role=StaffRole.admin)
    server = TestServer(create_standalone_app(settings, engine=engine,
                                              gate=LoginGate(per_minute=60_000, burst=1_000)),
                        host="127.0.0.1")
    async with TestClient(server) as client:
        yield client
    engine.dispose()


async def test_documents_both_ways_cleaned_and_renamed(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings,
        staff_web: TestClient) -> None:
    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    staff = emulator.user(9011, first_name="Ana", username="ana_staff")
    application = await bot_app(talk_chat_id=STAFF_GROUP)
    start_background_jobs(application)
    try:
        person = emulator.user(PERSON_ID, first_name=FIRST, last_name=LAST, username=HANDLE,
                               language_code="en")
        await person.send_command("/talk")
        await person.wait_for_reply()
        await person.press_newest(lambda data: data.endswith("talk:start"))
        await person.wait_for_reply()

        # Kinds that cannot be cleaned are refused, saying which kinds can go and why.
        await person.send_document(b"PK\x03\x04 word file", file_name=f"{FIRST} CV.docx",
                                   mime_type="application/vnd.openxmlformats-officedocument"
                                             ".wordprocessingml.document")
        refusal = await person.wait_for_reply()
        assert "PDF" in refusal.text and "10 MB" in refusal.text and "name" in refusal.text
        await person.send_document(b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), file_name="big.pdf",
                                   mime_type="application/pdf")
        assert "10 MB" in (await person.wait_for_reply()).text

        # A PDF, a picture sent as a file and a text file, each keeping the person's name.
        await person.send_document(pdf_with_metadata(), file_name=f"{FIRST} contract.pdf",
                                   mime_type="application/pdf", caption="my contract")
        ack = await person.wait_for_reply()
        assert "Sent to our team" in ack.text
        await person.send_document(jpeg_with_exif(), file_name=f"IMG_{FIRST}.jpg",
                                   mime_type="image/jpeg")
        note = b"They keep my passport.\nRoom 12, building C.\n"
        await person.send_document(note, file_name=f"{FIRST}-notes.txt", mime_type="text/plain")
        # A "PDF" that is not one: passed on to no one, and the person is told.
        await person.send_document(b"MZ\x90\x00 not a pdf", file_name="scan.pdf",
                                   mime_type="application/pdf")

        topics = await wait_until(lambda: group.topics)
        thread = next(iter(topics))

        def posted() -> list[SentMessage]:
            return [m for m in group.messages_in(thread) if m.document or m.photo]

        files = await wait_until(lambda: len(posted()) >= 3 and posted(), timeout=15)
        documents = [m.document for m in files if m.document]
        names = sorted(str(d["file_name"]) for d in documents)
        assert len(names) == 2 and all(n.startswith("document-") for n in names), names
        assert {n.rsplit(".", 1)[1] for n in names} == {"pdf", "txt"}
        pdf_doc = next(d for d in documents if str(d["file_name"]).endswith(".pdf"))
        pdf_bytes = downloaded(emulator, pdf_doc)
        assert_clean(pdf_bytes)
        reader = PdfReader(io.BytesIO(pdf_bytes))
        assert len(reader.pages) == 1 and not reader.metadata
        assert "/Metadata" not in reader.trailer["/Root"]
        txt_doc = next(d for d in documents if str(d["file_name"]).endswith(".txt"))
        assert downloaded(emulator, txt_doc) == note  # text goes as it is
        photo = next(m for m in files if m.photo)
        assert_clean(emulator.files[photo.photo[-1]["file_id"]].data)  # type: ignore[index]
        assert any(m.text == "my contract" for m in files)
        # Never the original file: no copy of a document message went to the group.
        copied = {int(call.params["message_id"]) for call in emulator.calls_to("copyMessage")}
        originals = {m["message_id"] for m in emulator.chat_state(PERSON_ID).messages.values()
                     if "document" in m and m.get("from", {}).get("id") == PERSON_ID}
        assert not copied & originals

        refused_notice = await wait_until(lambda: [m for m in person.messages
                                                   if "was not sent to our team" in m.text])
        assert refused_notice

        # The web app: the thread links the cleaned files; only logged-in staff get them.
        engine = create_db_engine(e2e_settings.database_url)
        with session_scope(engine, read_only=True) as db:
            case_id = list_cases(db)[0].case.id
            file_ids = [row[0] for row in db.execute(text(
                "SELECT id FROM talk_message WHERE kind IN ('pdf', 'txt') AND file_data IS NOT NULL"
                " ORDER BY id"))]
        assert len(file_ids) == 2
        anonymous = await staff_web.get(f"/review/conversations/{case_id}/files/{file_ids[0]}",
                                        allow_redirects=False)
        assert anonymous.status == 303
        csrf = await log_in(staff_web, *ADMIN)
        page = await (await staff_web.get(f"/review/conversations/{case_id}")).text()
        assert f"/review/conversations/{case_id}/files/{file_ids[0]}" in page
        assert "could not be cleaned" in page
        served = await staff_web.get(f"/review/conversations/{case_id}/files/{file_ids[0]}")
        assert served.status == 200 and served.content_type == "application/pdf"
        assert "attachment" in served.headers["Content-Disposition"]
        assert f"document-{file_ids[0]}.pdf" in served.headers["Content-Disposition"]
        assert_clean(await served.read())

        # Staff → person from the web app: a PDF with metadata arrives cleaned and renamed.
        person.skip_replies()
        form = FormData()
        form.add_field("csrf", csrf)
        form.add_field("text", "Please sign this form")
        form.add_field("picture", pdf_with_metadata("Consent form"),
                       filename="Ana Staffname form.pdf", content_type="application/pdf")
        assert (await staff_web.post(f"/review/conversations/{case_id}/reply",
                                     data=form)).status == 200
        web_doc = await person.wait_for_reply(timeout=10)
        assert web_doc.document is not None and web_doc.text == "Please sign this form"
        assert str(web_doc.document["file_name"]).startswith("document-")
        assert_clean(downloaded(emulator, web_doc.document))
        assert b"Staffname" not in downloaded(emulator, web_doc.document)
        # Text is read exactly as written, on both sides (escaped and sent as HTML).
        said = "Call 1300 & ask for <Ana> at 5 > 4"
        assert (await staff_web.post(f"/review/conversations/{case_id}/reply",
                                     data={"csrf": csrf, "text": said})).status == 200
        assert (await person.wait_for_reply(timeout=10)).text == said
        await wait_until(lambda: [m for m in group.messages_in(thread)
                                  if m.text == f"↪ {ADMIN[0]} (web): {said}"])
        # A file the app cannot clean is refused with which kinds can go.
        form = FormData()
        form.add_field("csrf", csrf)
        form.add_field("text", "")
        form.add_field("picture", b"PK\x03\x04", filename="form.xlsx",
                       content_type="application/vnd.ms-excel")
        refused = await staff_web.post(f"/review/conversations/{case_id}/reply", data=form)
        assert refused.status == 400 and "PDF" in await refused.text()

        # Staff → person from the group: a PDF sent in the topic is cleaned, never copied.
        await staff.send_document(pdf_with_metadata("Shelter address"),
                                  file_name="Ana shelter.pdf", mime_type="application/pdf",
                                  chat=group, thread=thread)
        group_doc = await person.wait_for_reply(timeout=10)
        assert group_doc.document is not None
        assert str(group_doc.document["file_name"]).startswith("document-")
        assert_clean(downloaded(emulator, group_doc.document))
        staff.skip_replies(chat=group)
        await staff.send_document(b"PK\x03\x04", file_name="list.zip",
                                  mime_type="application/zip", chat=group, thread=thread)
        told = await wait_until(lambda: [m for m in group.messages if "PDFs and .txt" in m.text])
        assert told

        # The staff side holds nothing of who the person is.
        for secret in NAMES:
            assert secret not in all_database_text(e2e_settings), secret
            assert secret not in page, secret
            for message in group.messages:
                assert secret not in repr(message.raw), secret
        engine.dispose()
    finally:
        await stop_background_jobs(application)
