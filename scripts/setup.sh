#!/usr/bin/env bash
# Installs everything the project needs: system packages (OCR, QR, fonts, browser), the Python
# virtualenv .venv with exactly the locked dependencies, and the compiled catalogs.
# Idempotent: a second run only checks.
#   scripts/setup.sh            everything, for development and tests: .venv = requirements-dev.txt
#   scripts/setup.sh --runtime  what running the bot needs: requirements.txt (no test fonts,
#                               no browser); an existing development .venv is kept as it is
# The project itself is not installed into .venv: every command runs from the repository root
# (`.venv/bin/python -m bot …`), so the virtualenv holds the lock and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

# pyproject.toml changed without the lock being recompiled: say which command mends it.
"$PYTHON" scripts/lock.py check

scripts/system-packages.sh "$@"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
pip_install() {
    # --no-deps: the lock is complete; --require-hashes: nothing but the locked files.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes "$@"
}
if [ "${1:-}" = "--runtime" ]; then
    pip_install -r requirements.txt
    .venv/bin/python scripts/lock.py venv .venv/bin/python requirements.txt
else
    pip_install -r requirements-dev.txt
    # Removes what an earlier setup left that the lock no longer has.
    .venv/bin/pip-sync --quiet --pip-args "--no-deps --require-hashes --disable-pip-version-check" \
        requirements-dev.txt
    .venv/bin/python scripts/lock.py venv .venv/bin/python requirements-dev.txt --exact
fi
scripts/i18n.sh compile >/dev/null
echo "setup: ready (.venv = the lock, catalogs compiled)"
