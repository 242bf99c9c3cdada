"""The sandbox driven from a script: `/start`, pick a button, see the reply."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.sandbox import run_sandbox
from locales.i18n import get_translator
from tests.e2e.conftest import E2E_PSEUDONYM_KEY

REPO = Path(__file__).resolve().parents[2]
THAI = re.compile("[\u0e00-\u0e7f]")
BUTTON = re.compile(r"\[1\] \S")


def _turns(output: str) -> dict[str, str]:
    """What followed each `> input` line, by input."""
    turns: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if line.startswith("> "):
            current = line[2:]
            turns[current] = ""
        elif current is not None:
            turns[current] += line + "\n"
    return turns


def test_scripted_sandbox_subprocess(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "DATABASE_URL")}
    env.update({"LURECHECK_DATA_DIR": str(tmp_path), "PTB_TIMEDELTA": "1",
                "PSEUDONYM_KEY": E2E_PSEUDONYM_KEY.decode(), "PYTHONUNBUFFERED": "1"})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", "--lang", "th", "--user-id", "777"],
        input="/start\n#1\n", capture_output=True, text=True, timeout=60, cwd=REPO, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    turns = _turns(result.stdout)
    assert list(turns) == ["/start", "#1"], result.stdout
    start, after_press = turns["/start"], turns["#1"]
    # The sandbox's own labels follow the simulated user's language too.
    t = get_translator("th")
    bot_labels = (t.gettext("bot:") + " ", t.gettext("bot (edited):") + " ")
    assert start.startswith(bot_labels[0]) and BUTTON.search(start), result.stdout
    assert THAI.search(start), "the greeting should use the user's Telegram language (th)"
    assert after_press.startswith(bot_labels), result.stdout  # a new or edited message


async def test_sandbox_in_process_handles_bad_input(tmp_path: Path) -> None:
    from storage.db import migrate

    database_url = f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"
    migrate(database_url)
    settings = Settings(telegram_bot_token=None, database_url=database_url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path)
    missing = tmp_path / "missing.png"
    long_paste = "x" * 5000  # more than one Telegram message
    stdin = io.StringIO(f"#3\n!photo {missing}\n\n/start\n#99\n!help\n{long_paste}\n")
    stdout = io.StringIO()
    code = await run_sandbox(settings, lang=None, user_id=778, stdin=stdin, stdout=stdout)
    assert code == 0
    turns = _turns(stdout.getvalue())
    assert turns["#3"] == "(there is no button 3)\n"
    assert turns[f"!photo {missing}"].startswith("(cannot read")
    assert BUTTON.search(turns["/start"])
    assert turns["#99"] == "(there is no button 99)\n"
    assert "!photo PATH" in turns["!help"]
    assert turns[long_paste].startswith("bot")


def _read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 20.0) -> None:
    import select
    import time

    deadline = time.monotonic() + timeout
    start = len(seen)
    while marker not in seen[start:]:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} in {bytes(seen[start:])!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, f"terminal closed before {marker!r}: {bytes(seen[start:])!r}"
            seen.extend(chunk)


def test_terminal_sandbox_presses_buttons_by_bare_number(tmp_path: Path) -> None:
    import pty

    env = {key: value for key, value in os.environ.items()
           if key not in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "DATABASE_URL")}
    env.update({"LURECHECK_DATA_DIR": str(tmp_path), "PTB_TIMEDELTA": "1",
                "PSEUDONYM_KEY": E2E_PSEUDONYM_KEY.decode()})
    pid, fd = pty.fork()
    if pid == 0:  # the child: the sandbox on a terminal
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "sandbox"], env)
    seen = bytearray()
    try:
        _read_until(fd, b"you> ", seen)
        os.write(fd, b"/start\n")
        _read_until(fd, b"you> ", seen)
        before_press = len(seen)
        os.write(fd, b"1\n")  # a bare number presses button 1 on a terminal
        _read_until(fd, b"you> ", seen)
        answer = bytes(seen[before_press:]).decode()
        assert "bot" in answer and "(no reply)" not in answer, answer
        os.write(fd, b"\x04")  # Ctrl-D
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, bytes(seen).decode()


async def test_sandbox_waits_for_a_slow_picture(tmp_path: Path, monkeypatch: object) -> None:
    """Reading a Thai or Chinese screenshot takes seconds: the sandbox shows "reading…" and
    then the answer, not "(no reply)"."""
    import asyncio

    import pytest
    from PIL import Image

    import bot.pictures
    from screening.ocr import ImageReading
    from storage.db import migrate

    async def slow_read(data: bytes, *, locale_hint: str | None) -> ImageReading:
        await asyncio.sleep(3.5)  # longer than the sandbox's usual wait for a first reply
        return ImageReading(text="", qr_payloads=["https://t.me/slow_recruiter"],
                            languages_used=["eng"])

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(bot.pictures, "read_image_async", slow_read)
    picture = tmp_path / "chat.png"
    Image.new("RGB", (64, 64), "white").save(picture)
    database_url = f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"
    migrate(database_url)
    settings = Settings(telegram_bot_token=None, database_url=database_url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path)
    stdin = io.StringIO(f"/contact\n!photo {picture}\n")
    stdout = io.StringIO()
    assert await run_sandbox(settings, lang="en", user_id=779, stdin=stdin, stdout=stdout) == 0
    turn = _turns(stdout.getvalue())[f"!photo {picture}"]
    t = get_translator("en")
    assert t.gettext("(no reply)") not in turn
    assert t.gettext("(the bot is reading…)") in turn
    assert t.gettext("I read this from your picture:") in turn
    assert "@slow_recruiter" in turn


async def test_sandbox_plays_both_sides_of_a_talk(tmp_path: Path) -> None:
    """`!as staff` answers the person's /talk from the staff group's topic; `!as person` shows
    the answer as the person got it; a file goes too, under a neutral name."""
    from storage.db import migrate

    database_url = f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"
    migrate(database_url)
    settings = Settings(telegram_bot_token=None, database_url=database_url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path)
    notes = tmp_path / "Dara notes.txt"
    notes.write_text("They took my passport.\n", encoding="utf-8")
    script = ["/talk", "#1", "I need help, they took my passport", "!as staff",
              "We are here. Are you safe right now?", f"!file {notes}", "!as person",
              "Yes, for now", "!as staff", "/close", "!as person"]
    stdin = io.StringIO("".join(line + "\n" for line in script))
    stdout = io.StringIO()
    code = await run_sandbox(settings, lang="en", user_id=780, stdin=stdin, stdout=stdout)
    assert code == 0
    output = stdout.getvalue()
    turns = _turns(output)
    # As staff: the topic of the case, with the person's words copied into it.
    first_staff = output.split("> !as staff\n", 1)[1].split("> We are here", 1)[0]
    assert "Case 1" in first_staff and "I need help, they took my passport" in first_staff
    # As the person again: the staff answer and the file arrived, the file renamed.
    back = turns["!as person"]
    person_view = output.split("> !as person\n", 1)[1].split("> Yes, for now", 1)[0]
    assert "We are here. Are you safe right now?" in person_view
    assert "[file document-" in person_view and "Dara" not in person_view
    assert back  # the last switch: the close notice
    # In the staff group the bot is silent after an answer (it goes to the person): no
    # "(no reply)" there.
    assert "(no reply)" not in turns["We are here. Are you safe right now?"]
    second_staff = output.split("> Yes, for now\n", 1)[1].split("> /close", 1)[0]
    assert "Yes, for now" in second_staff
    assert "Our team closed this conversation" in output.rsplit("> !as person\n", 1)[1]


async def test_sandbox_serves_the_staff_web_app_for_one_run(tmp_path: Path) -> None:
    """`--staff-web`: the staff web app on loopback with a login printed for this run; staff
    answer from the conversation page and the person sees it; afterwards the login is dead."""
    import asyncio

    import aiohttp

    from storage.db import create_db_engine, migrate, session_scope
    from storage.staff import get_staff_user
    from tests.review.conftest import hidden_field

    database_url = f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"
    migrate(database_url)
    settings = Settings(telegram_bot_token=None, database_url=database_url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path)
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r")
    stdout = io.StringIO()
    sandbox = asyncio.create_task(run_sandbox(settings, lang="en", user_id=781, stdin=stdin,
                                              stdout=stdout, staff_web_port=0))

    async def typed(line: str, until: str, timeout: float = 20.0) -> None:
        os.write(write_fd, (line + "\n").encode())
        deadline = asyncio.get_running_loop().time() + timeout
        while until not in stdout.getvalue().split(f"> {line}\n")[-1]:
            assert asyncio.get_running_loop().time() < deadline, stdout.getvalue()
            await asyncio.sleep(0.05)

    try:
        await typed("/talk", "Start the conversation?")
        await typed("#1", "You are connected")
        await typed("They took my passport", "Sent to our team")
        found = re.search(r"Staff web app: (http://127\.0\.0\.1:\d+)/review/conversations "
                          r"\(log in as (\w+), password (\S+);", stdout.getvalue())
        assert found, stdout.getvalue()
        base, username, password = found.groups()
        # unsafe: aiohttp keeps no cookies of an IP address otherwise (the app is on 127.0.0.1).
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as web:
            async with web.get(f"{base}/review/login") as page:
                token = hidden_field(await page.text(), "login_token")
            async with web.post(f"{base}/review/login", data={
                    "login_token": token, "username": username, "password": password}) as done:
                assert done.status == 200
            async with web.get(f"{base}/review/conversations/1") as thread:
                html = await thread.text()
            assert "They took my passport" in html
            async with web.post(f"{base}/review/conversations/1/reply", data={
                    "csrf": hidden_field(html, "csrf"), "text": "We read you. Are you safe?"},
                    headers={"Origin": base}) as sent:
                assert sent.status == 200, await sent.text()
        await asyncio.sleep(1.5)  # the relay's poll
        await typed("!as person", "We read you. Are you safe?")
    finally:
        os.close(write_fd)
        assert await asyncio.wait_for(sandbox, 30) == 0
        stdin.close()
    engine = create_db_engine(database_url)
    with session_scope(engine, read_only=True) as db:
        account = get_staff_user(db, username=username)
        assert account is not None and account.disabled  # the printed login was for that run
    engine.dispose()
