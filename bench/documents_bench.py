"""Cleaning files relayed in "talk to a person" (storage.documents): time and memory per file.

    .venv/bin/python bench/documents_bench.py [--rounds 5]

The relay cleans every file before staff or the person see it, in a worker thread; this says
what one file costs. Files: PDFs of 1, 30 and 300 pages (text, an embedded picture and an
annotation on every page, document info and XMP naming the author), a 12-megapixel JPEG with
EXIF sent as a file, and a 1 MB text file. Printed per file: its size, the cleaned size, the
median and worst wall-clock time over the rounds, the CPU time of the median round and the
peak of Python allocations (tracemalloc) while cleaning, with the load average; PIL's pixel
buffers are outside tracemalloc (a 12 MP picture holds ~36 MB while it is re-encoded), so the
process's peak resident size is printed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project is not installed
from storage import documents

AUTHOR = "Sokunthea Chanthou"


def pdf(pages: int) -> bytes:
    picture = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(picture, format="PDF")
    stamp = PdfWriter(clone_from=io.BytesIO(picture.getvalue())).pages[0]
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(595, 842)
        page.merge_page(stamp)
        content = DecodedStreamObject()
        content.set_data(("BT /F1 11 Tf 50 800 Td (" + f"Clause {number}: salary 1500 USD " * 4
                          + ") Tj ET").encode())
        note = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                                 NameObject("/Subtype"): NameObject("/Text"),
                                 NameObject("/T"): TextStringObject(AUTHOR),
                                 NameObject("/Rect"): ArrayObject([])})
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    writer.add_metadata({"/Author": AUTHOR, "/Title": "Contract"})
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>".encode())
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg(megapixels: int) -> bytes:
    side = int((megapixels * 1_000_000 / 12) ** 0.5)
    image = Image.effect_noise((4 * side, 3 * side), 40).convert("RGB")
    exif = image.getexif()
    exif[0x013B] = AUTHOR
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def measure(name: str, kind: str, data: bytes, rounds: int) -> None:
    walls: list[float] = []
    cpus: list[float] = []
    cleaned = b""
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        cleaned = documents.clean(kind, data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    documents.clean(kind, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert AUTHOR.encode() not in cleaned or kind == documents.TEXT
    median = statistics.median(walls)
    print(f"{name:<22} {len(data) / 1e6:7.2f} MB -> {len(cleaned) / 1e6:7.2f} MB   "
          f"median {median * 1000:8.1f} ms  worst {max(walls) * 1000:8.1f} ms  "
          f"cpu {statistics.median(cpus) * 1000:8.1f} ms  peak alloc {peak / 1e6:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files: list[tuple[str, str, Callable[[], bytes]]] = [
        ("PDF, 1 page", documents.PDF, lambda: pdf(1)),
        ("PDF, 30 pages", documents.PDF, lambda: pdf(30)),
        ("PDF, 300 pages", documents.PDF, lambda: pdf(300)),
        ("JPEG 12 MP as a file", documents.PHOTO, lambda: jpeg(12)),
        ("text, 1 MB", documents.TEXT, lambda: ("They keep my passport. " * 45_000).encode()),
    ]
    print(f"load average {os.getloadavg()[0]:.1f}, {args.rounds} rounds each")
    for name, kind, make in files:
        data = make()
        if len(data) > documents.MAX_BYTES:
            print(f"{name:<22} {len(data) / 1e6:7.2f} MB: over the {documents.MAX_MEGABYTES} MB "
                  "cap, refused before cleaning")
            continue
        measure(name, kind, data, args.rounds)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average {os.getloadavg()[0]:.1f}; peak resident size {peak_rss:.0f} MB")


if __name__ == "__main__":
    main()
