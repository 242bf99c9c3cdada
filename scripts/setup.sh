#!/usr/bin/env bash
# Installs everything the project needs: system packages (OCR, QR, fonts), the Python
# virtualenv .venv with the project and its dev tools, and the compiled catalogs.
# Idempotent: a second run only checks.
#   scripts/setup.sh            everything, for development and tests
#   scripts/setup.sh --runtime  what running the bot needs (no test fonts, no browser)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

scripts/system-packages.sh "$@"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
scripts/i18n.sh compile >/dev/null
echo "setup: ready (.venv, catalogs compiled)"
