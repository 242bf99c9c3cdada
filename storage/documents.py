"""Files relayed in "talk to a person" (storage.talk), cleaned of what could name the sender.

A file carries more than its content: a photo's EXIF (camera, GPS position, owner), a PDF's
document info and XMP metadata (author, the software's registered user, creation paths), the
annotations' author names, and the file's own name ("Sokunthea contract.pdf"). Only kinds
that can be cleaned are relayed, cleaned here both ways (person → staff, staff → person):

- pictures (sent as a photo or as a file): re-encoded as JPEG, nothing but the pixels kept;
- PDF: the pages rewritten into a new file (pypdf) without the document info, the XMP
  metadata (document, pages and images), annotations (their author is a name; links go too),
  attachments, forms' and scripts' catalog entries; an encrypted PDF cannot be read, so it is
  refused;
- plain text: as is (it has no metadata), if it is text (UTF-8 or UTF-16 with its mark).

Anything else (Office files, archives, programs) is refused: it cannot be cleaned reliably.
The other side sees a neutral name ("document-12.pdf"), never the original one.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

# pypdf warns about every irregularity of a damaged PDF; what matters is whether it reads.
logging.getLogger("pypdf").setLevel(logging.ERROR)

PHOTO, PDF, TEXT = "photo", "pdf", "txt"
# The largest file relayed either way (Bot API downloads go up to 20 MB; cleaning a PDF
# holds it in memory a few times over).
MAX_BYTES = 10 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
MAX_PICTURE_SIDE = 2560

CONTENT_TYPES = {PHOTO: "image/jpeg", PDF: "application/pdf", TEXT: "text/plain; charset=utf-8"}
EXTENSIONS = {PHOTO: "jpg", PDF: "pdf", TEXT: "txt"}
_IMAGE_SUFFIXES = ("jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff")
# Entries of a page or an image that can carry names or hidden content.
_PAGE_KEYS = ("/Metadata", "/PieceInfo", "/Annots", "/AA", "/LastModified")


class DocumentRefused(ValueError):
    """The file is not one of the kinds relayed, or not what it claims to be."""


def kind_of(*, mime_type: str | None, file_name: str | None) -> str | None:
    """The kind a file would be relayed as (PHOTO, PDF, TEXT), from what the app says of it;
    None: not relayed. The content is checked when it is cleaned (`clean`)."""
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    suffix = (file_name or "").rsplit(".", 1)[-1].lower() if "." in (file_name or "") else ""
    if mime.startswith("image/") or (not mime and suffix in _IMAGE_SUFFIXES):
        return PHOTO
    if mime == "application/pdf" or (suffix == "pdf" and mime in ("", "application/octet-stream")):
        return PDF
    if mime == "text/plain" or (suffix == "txt" and mime in ("", "application/octet-stream")):
        return TEXT
    return None


def neutral_name(kind: str, number: int | None) -> str:
    """The name the other side sees: nothing of the original name."""
    return f"document-{number or 0}.{EXTENSIONS.get(kind, 'bin')}"


def clean(kind: str, data: bytes) -> bytes:
    """`data` without its metadata (see the module); DocumentRefused when it cannot be."""
    if len(data) > MAX_BYTES:
        raise DocumentRefused("too large")
    if kind == PHOTO:
        return strip_picture(data)
    if kind == PDF:
        return strip_pdf(data)
    if kind == TEXT:
        return check_text(data)
    raise DocumentRefused(f"not a relayed kind: {kind}")


def strip_picture(data: bytes) -> bytes:
    """The picture re-encoded as JPEG: no EXIF, GPS or other metadata survives."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            image = original.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise DocumentRefused(f"not a picture: {type(error).__name__}") from None
    image.thumbnail((MAX_PICTURE_SIDE, MAX_PICTURE_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def strip_pdf(data: bytes) -> bytes:
    """The PDF's pages in a new file without document info, XMP or annotations."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentRefused("encrypted PDF")
        writer = PdfWriter()
        for page in reader.pages:
            # Dropped from the page read, before it is copied: what is copied is what it refers to.
            for key in _PAGE_KEYS:
                page.pop(NameObject(key), None)
            for xobject in _xobjects(page):
                xobject.pop(NameObject("/Metadata"), None)
                xobject.pop(NameObject("/PieceInfo"), None)
            writer.add_page(page)
        # add_page copies pages only: the catalog's XMP, names (attachments, scripts), forms and
        # outlines stay behind. The writer's own document info (its /Producer) goes too, and
        # so does anything left unreferenced.
        writer.metadata = None
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        buffer = io.BytesIO()
        writer.write(buffer)
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError,
            RecursionError) as error:
        raise DocumentRefused(f"not a readable PDF: {type(error).__name__}") from None
    return buffer.getvalue()


def _xobjects(page: DictionaryObject, depth: int = 0) -> Iterator[DictionaryObject]:
    """The page's images and forms, and theirs (a form holds its own resources)."""
    if depth > 8:
        return
    resources = _resolved(page.get("/Resources"))
    if not isinstance(resources, DictionaryObject):
        return
    xobjects = _resolved(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for value in xobjects.values():
        xobject = _resolved(value)
        if isinstance(xobject, StreamObject | DictionaryObject):
            yield xobject
            yield from _xobjects(xobject, depth + 1)


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def check_text(data: bytes) -> bytes:
    """Plain text as is, once it is known to be text (no metadata to strip)."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        decoded = data.decode(encoding)
    except UnicodeDecodeError:
        raise DocumentRefused("not UTF-8 or UTF-16 text") from None
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in decoded):
        raise DocumentRefused("control characters: not plain text")
    return data
