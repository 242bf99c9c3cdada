#!/usr/bin/env bash
# Installs everything the project needs into .venv and compiles the catalogs.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
.venv/bin/pybabel compile --use-fuzzy -d locales -D messages --statistics 2>&1 | tail -n 20 || true
