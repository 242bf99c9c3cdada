"""How long reading a screenshot takes, and how much memory it needs.

    .venv/bin/python bench/ocr_bench.py [--rounds 3] [--concurrency 2]

Prints, over the rendered job ads and chats of tests/ocr (Latin, Thai, Khmer, Myanmar, Han):
- time per picture (p50/p99) when the sender's locale matches the script, when it does not (the
  script probe runs), and for a 12 Mpx camera photo (downscaled first);
- throughput with several pictures read at once through `read_image_async`;
- peak memory: of one Tesseract process per language and for the downscaled photo (RSS high-water
  mark), of this Python process, and Python allocations while reading (tracemalloc).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from screening import ocr
from tests.ocr.ocr_samples import (
    MISMATCHED_LOCALE_SAMPLES,
    SAMPLES,
    render,
    to_bytes,
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed_reads(pictures: list[tuple[bytes, str]]) -> list[float]:
    """Seconds taken by `read_image` for each (picture, sender's locale)."""
    seconds = []
    for data, locale in pictures:
        started = time.perf_counter()
        reading = ocr.read_image(data, locale_hint=locale, timeout_s=60)
        seconds.append(time.perf_counter() - started)
        if reading.error is not None:
            raise SystemExit(f"reading failed: {reading.error}")
    return seconds


def report(label: str, seconds: list[float]) -> None:
    print(f"{label:<44} n={len(seconds):>3}  p50 {percentile(seconds, 0.5) * 1000:7.0f} ms"
          f"  p99 {percentile(seconds, 0.99) * 1000:7.0f} ms  max {max(seconds) * 1000:7.0f} ms")


def camera_photo() -> bytes:
    """A 4000x3000 JPEG with a job ad in the middle, as a phone camera would send it."""
    photo = Image.new("RGB", (4000, 3000), "#8a8f7a")
    ad = render(SAMPLES[0], width=1600, font_size=64)
    photo.paste(ad, (1200, 1000))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _high_water_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def tesseract_peak_rss_mib(picture: bytes, language: str) -> float:
    """Peak resident memory of one Tesseract process reading `picture` with `language`.

    Sampled from /proc/PID/status VmHWM (the process's own high-water mark) every few ms until
    it exits: wait4's ru_maxrss would include the Python process it was forked from.
    """
    image = Image.open(io.BytesIO(picture)).convert("L")
    pixels = io.BytesIO()
    image.save(pixels, format="PPM")
    process = subprocess.Popen(
        [ocr.TESSERACT_COMMAND, "stdin", "stdout", "-l", language, "--psm", "11"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    assert process.stdin is not None
    process.stdin.write(pixels.getvalue())
    process.stdin.close()
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _high_water_mib(process.pid) or 0.0)
        time.sleep(0.002)
    return peak


async def throughput(pictures: list[tuple[bytes, str]], concurrency: int) -> float:
    semaphore = asyncio.Semaphore(concurrency)

    async def one(data: bytes, locale: str) -> None:
        async with semaphore:
            reading = await ocr.read_image_async(data, locale_hint=locale, timeout_s=60)
            if reading.error is not None:
                raise SystemExit(f"reading failed: {reading.error}")

    started = time.perf_counter()
    await asyncio.gather(*(one(data, locale) for data, locale in pictures))
    return len(pictures) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each picture is read")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    missing = ocr.missing_components()
    if missing:
        raise SystemExit(f"cannot benchmark, missing: {', '.join(missing)}")

    screenshots = [(sample, to_bytes(render(sample, width=width, font_size=font_size)))
                   for sample in SAMPLES for width, font_size in ((720, 30), (1080, 42))]
    mismatched = [(sample, locale, to_bytes(render(sample, width=1080, font_size=42)))
                  for sample, locale in MISMATCHED_LOCALE_SAMPLES]
    photo = camera_photo()
    print(f"{len(screenshots)} screenshots (720 and 1080 px wide, "
          f"{', '.join(sorted({sample.script for sample in SAMPLES}))}), "
          f"{args.rounds} rounds, {os.cpu_count()} cores, {ocr.TESSERACT_COMMAND}")

    matched_pictures = [(data, sample.locale) for sample, data in screenshots] * args.rounds
    tracemalloc.start()
    matched = timed_reads(matched_pictures)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("screenshot, locale matches the script", matched)
    scripts = [sample.script for sample, _ in screenshots] * args.rounds
    for script in sorted(set(scripts)):
        report(f"  {script}", [seconds for seconds, of_script in zip(matched, scripts, strict=True)
                               if of_script == script])
    report("screenshot, other locale (script probe)",
           timed_reads([(data, locale) for _sample, locale, data in mismatched] * args.rounds))
    report("camera photo 4000x3000 JPEG", timed_reads([(photo, "en")] * args.rounds))

    pictures = [(data, sample.locale) for sample, data in screenshots] * args.rounds
    rate = asyncio.run(throughput(pictures, args.concurrency))
    print(f"{'throughput, ' + str(args.concurrency) + ' at once (read_image_async)':<44}"
          f" {rate:5.1f} pictures/s")

    print("peak memory")
    biggest = {sample.script: data for sample, data in screenshots}  # the 1080 px renderings
    for script, data in sorted(biggest.items()):
        language = ocr.LOCALE_TESSERACT_LANGUAGE[
            next(sample.locale for sample in SAMPLES if sample.script == script)]
        print(f"  tesseract -l {language:<8} 1080 px    "
              f"{tesseract_peak_rss_mib(data, language):7.0f} MiB RSS")
    downscaled = ocr._resize_for_ocr(Image.open(io.BytesIO(photo)).convert("L"))
    print(f"  tesseract -l eng, photo at {downscaled.width}x{downscaled.height} "
          f"{tesseract_peak_rss_mib(to_bytes(downscaled), 'eng'):5.0f} MiB RSS")
    this_process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this Python process            {this_process:7.0f} MiB RSS")
    print(f"  Python allocations, reading    {python_peak / 2**20:7.1f} MiB (tracemalloc peak)")


if __name__ == "__main__":
    main()
