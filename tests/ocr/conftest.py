"""OCR tests need Tesseract, zbar and the test fonts (scripts/system-packages.sh installs them).

Locally they skip with the reason when these are missing; in CI (the `CI` variable is set) a
missing piece is a failure, so reading pictures can never go untested there.
"""

from __future__ import annotations

import os

import pytest

from screening import ocr
from tests.ocr import ocr_samples


def _require(missing: list[str]) -> None:
    if not missing:
        return
    message = f"missing {', '.join(missing)}: run scripts/system-packages.sh as root"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def reader_installed() -> None:
    missing = ocr.missing_components()
    installed = ocr.tesseract_languages()
    missing += [f"tesseract language data {code}" for code in
                sorted(set(ocr.LOCALE_TESSERACT_LANGUAGE.values()))
                if installed and code not in installed]
    _require(missing)


@pytest.fixture
def fonts_installed(reader_installed: None) -> None:
    missing = [f"font {path}" for path in ocr_samples.FONTS.values() if not path.exists()]
    if not ocr_samples.raqm_available():
        # Without raqm, Khmer and Myanmar render unshaped and the test would measure nothing.
        missing.append("Pillow raqm layout (libraqm0)")
    _require(missing)
