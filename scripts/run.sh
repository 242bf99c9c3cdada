#!/usr/bin/env bash
# Sets everything up and runs the bot. With TELEGRAM_BOT_TOKEN set: the real bot (long
# polling, or the webhook server when WEBHOOK_URL is set). Without it: the local sandbox,
# a chat in this terminal against the built-in Telegram Bot API emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --runtime >&2
exec .venv/bin/python -m bot run "$@"
