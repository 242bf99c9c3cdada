#!/usr/bin/env bash
# Recompiles the dependency lock from pyproject.toml with pip-tools (pip-compile), with hashes:
#   requirements.txt      what the bot needs (the Dockerfile and `scripts/setup.sh --runtime`)
#   requirements-dev.txt      that plus the test and lint tools, the same versions (scripts/setup.sh, CI)
#   scripts/lock.sh             after editing pyproject.toml: keeps every pin that still fits
#   scripts/lock.sh --upgrade   moves every pin to the newest release pyproject.toml allows
# Then run scripts/test.sh: setup installs exactly the new lock.
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=()
case "${1:-}" in
    "") ;;
    --upgrade) upgrade=(--upgrade) ;;
    *) echo "usage: $0 [--upgrade]" >&2; exit 2 ;;
esac
# pip-tools comes from the dev lock; on a machine without .venv, set it up first.
[ -x .venv/bin/pip-compile ] || scripts/setup.sh >/dev/null
export CUSTOM_COMPILE_COMMAND="scripts/lock.sh"
common=(--quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links "${upgrade[@]}")
.venv/bin/pip-compile "${common[@]}" --output-file requirements.txt pyproject.toml
# Dev tools on top of the runtime pins, never other versions of them.
# --allow-unsafe: pip itself is pinned too, since pip-tools needs a newer pip than a fresh venv has.
.venv/bin/pip-compile "${common[@]}" --allow-unsafe --extra dev --constraint requirements.txt \
    --output-file requirements-dev.txt pyproject.toml
python3 scripts/lock.py stamp
echo "lock: requirements.txt and requirements-dev.txt updated"
