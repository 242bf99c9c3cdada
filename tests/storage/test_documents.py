"""storage.documents: what is relayed in a conversation keeps nothing that names the sender."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from storage import documents
from tests.e2e.test_talk_documents import FIRST, jpeg_with_exif, pdf_with_metadata


def test_kinds_from_what_the_app_says() -> None:
    assert documents.kind_of(mime_type="application/pdf", file_name="x.pdf") == documents.PDF
    assert documents.kind_of(mime_type=None, file_name="Scan.PDF") == documents.PDF
    assert documents.kind_of(mime_type="text/plain", file_name="notes") == documents.TEXT
    assert documents.kind_of(mime_type="image/heic", file_name="a.heic") == documents.PHOTO
    for mime, name in (("application/msword", "cv.doc"), ("application/zip", "a.zip"),
                       ("application/x-msdownload", "setup.exe"),
                       ("application/octet-stream", "setup.exe"),
                       ("text/html", "page.html")):
        assert documents.kind_of(mime_type=mime, file_name=name) is None, name
    # A Word file named .pdf is still a Word file to the app: refused.
    assert documents.kind_of(mime_type="application/msword", file_name="cv.pdf") is None


def test_pdf_rewritten_without_info_xmp_or_annotations() -> None:
    original = pdf_with_metadata()
    assert original.count(FIRST.encode()) >= 3
    cleaned = documents.clean(documents.PDF, original)
    assert FIRST.encode() not in cleaned
    reader = PdfReader(io.BytesIO(cleaned))
    assert len(reader.pages) == 1 and not reader.metadata
    assert "/Annots" not in reader.pages[0]


def test_picture_re_encoded_without_exif() -> None:
    cleaned = documents.clean(documents.PHOTO, jpeg_with_exif())
    assert FIRST.encode() not in cleaned and b"SecretCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_text_as_is_and_what_is_refused() -> None:
    note = "ខ្ញុំត្រូវការជំនួយ\n".encode()
    assert documents.clean(documents.TEXT, note) == note
    assert documents.clean(documents.TEXT, "hi".encode("utf-16")) == "hi".encode("utf-16")
    writer = PdfWriter()
    writer.add_blank_page(10, 10)
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    for kind, data in ((documents.TEXT, b"MZ\x90\x00\x03\x00"), (documents.TEXT, b"\xff\xd8\xff"),
                       (documents.PDF, b"MZ\x90\x00 not a pdf"), (documents.PDF, locked.getvalue()),
                       (documents.PHOTO, b"GIF89 broken"),
                       (documents.PDF, b"%PDF" + b"0" * documents.MAX_BYTES), ("docx", b"PK")):
        with pytest.raises(documents.DocumentRefused):
            documents.clean(kind, data)


def test_neutral_names() -> None:
    assert documents.neutral_name(documents.PDF, 12) == "document-12.pdf"
    assert documents.neutral_name(documents.TEXT, 3) == "document-3.txt"
