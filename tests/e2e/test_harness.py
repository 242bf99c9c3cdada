"""The e2e fixtures themselves: the real bot answers through the emulator by both deliveries."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from emulator import DEFAULT_TOKEN, Emulator
from tests.e2e.conftest import E2E_PSEUDONYM_KEY, BotAppFactory, WebhookBotFactory

REPO = Path(__file__).resolve().parents[2]


async def _start_and_press(emulator: Emulator, user_id: int) -> None:
    user = emulator.user(user_id, first_name="Somchai", language_code="th")
    await user.send_command("/start")
    reply = await user.wait_for_reply(timeout=10)
    assert reply.flat_buttons, f"/start should offer buttons, got {reply.text!r}"
    pressed = await user.press_button(reply, 0)
    await user.wait_for_answer(pressed, timeout=10)  # the spinner stops for the person
    events = await user.wait_until_settled(quiet=0.2)
    assert any(event.kind in ("sent", "edited") for event in events), events


async def test_polling_bot_answers_start_and_buttons(emulator: Emulator,
                                                     bot_app: BotAppFactory) -> None:
    await bot_app()
    await _start_and_press(emulator, 501)
    assert not emulator.api_errors, emulator.api_errors


async def test_webhook_bot_answers_start_and_buttons(emulator: Emulator,
                                                     webhook_bot: WebhookBotFactory) -> None:
    started = await webhook_bot()
    assert emulator.webhook.url == started.url
    await _start_and_press(emulator, 502)
    assert not emulator.api_errors, emulator.api_errors
    assert emulator.webhook.last_error_message is None


async def test_bot_retries_when_telegram_says_slow_down(emulator: Emulator,
                                                        bot_app: BotAppFactory) -> None:
    await bot_app()
    user = emulator.user(503, language_code="en")
    emulator.faults.configure({"retry_after_next": 1, "retry_after_seconds": 1})
    await user.send_command("/start")
    reply = await user.wait_for_reply(timeout=10)
    assert reply.text
    statuses = [call.status for call in emulator.calls_to("sendMessage")]
    assert statuses[:2] == [429, 200], statuses


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post_json(url: str, body: dict[str, object]) -> dict[str, Any]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with opener.open(request, timeout=60) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def test_bot_and_emulator_as_separate_processes(tmp_path: Path) -> None:
    """`python -m bot emulator` and `python -m bot run` against it, driven over HTTP."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "DATABASE_URL",
                          "TELEGRAM_API_URL")}
    env.update({"LURECHECK_DATA_DIR": str(tmp_path), "PTB_TIMEDELTA": "1",
                "PSEUDONYM_KEY": E2E_PSEUDONYM_KEY.decode()})
    emulator_process = subprocess.Popen(
        [sys.executable, "-m", "bot", "emulator", "--port", str(_free_port())],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert emulator_process.stdout is not None
        banner = emulator_process.stdout.readline()
        url = re.search(r"TELEGRAM_API_URL=(\S+?)\)", banner)
        assert url, banner
        bot_process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=REPO, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
            env={**env, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_URL": url.group(1)})
        try:
            # The emulator holds the update until the bot's first getUpdates takes it.
            sent = _post_json(f"{url.group(1)}/_emulator/users/601/send",
                              {"command": "/start", "timeout": 30})
            replies = [event["message"] for event in sent["events"] if event["kind"] == "sent"]
            assert replies and replies[0]["buttons"], sent
            pressed = _post_json(f"{url.group(1)}/_emulator/users/601/press",
                                 {"message_id": replies[0]["message_id"], "button": 0})
            assert {event["kind"] for event in pressed["events"]} & {"sent", "edited"}, pressed
        finally:
            bot_process.send_signal(signal.SIGINT)
            _, errors = bot_process.communicate(timeout=30)
        assert bot_process.returncode == 0, errors
    finally:
        emulator_process.send_signal(signal.SIGTERM)
        emulator_process.communicate(timeout=30)
    assert emulator_process.returncode == 0
