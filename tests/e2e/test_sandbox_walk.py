"""The sandbox can walk every flow from a script (what a trainer or an NGO evaluating the bot does)."""

from __future__ import annotations

import io
from pathlib import Path

from bot.config import Settings
from bot.sandbox import run_sandbox
from storage.db import migrate
from tests.e2e.conftest import E2E_PSEUDONYM_KEY

OFFER = ("URGENT hiring customer service in Sihanoukville, salary 1500 USD, free flight and visa, "
         "no experience. Contact @hr_kk_jobs")
# (line typed, a phrase the bot's answer to it must contain)
SCRIPT: list[tuple[str, str]] = [
    ("/start", "Shall we continue in English?"),
    ("#1", "Which country are you in now?"),
    ("#13", "What would you like to do?"),
    ("/check", "Paste or forward the job ad"),
    (OFFER, "Very high risk"),
    ("#1", "Contacts in this report"),          # report this recruiter
    ("#2", "What happened?"),                   # ✓ Done with contacts
    ("They asked for a 500 USD deposit before the flight.", "Add more in another message"),
    ("#1", "When did this happen"),             # ✓ Next
    ("#2", "Which country"),                    # this week
    ("#2", "Please check your report"),         # Cambodia
    ("#1", "when staff have reviewed"),         # looks right → notification question
    ("#2", "I agree"),                          # no, thanks → consent
    ("#1", "receipt code"),                     # agree → stored
    ("/contact", "Send me the phone number"),
    ("@hr_kk_jobs", "reported by 1 person, not yet verified"),
    ("/help_now", "You are not alone"),
    ("#1", "Where are you now?"),
    ("#2", "Help in Cambodia"),
    ("/safety", "(1 of 6)"),
    ("#2", "(2 of 6)"),
    ("/privacy", "What I store, and why"),
    ("/language", "Which language do you prefer?"),
    ("#4", "Tiếng Việt"),
    ("/delete", "Có"),                          # the confirmation, now in Vietnamese
    ("#1", "2"),                                # erased: the count
]


def _turns(output: str) -> list[tuple[str, str]]:
    turns: list[tuple[str, str]] = []
    for line in output.splitlines():
        if line.startswith("> "):
            turns.append((line[2:], ""))
        elif turns:
            turns[-1] = (turns[-1][0], turns[-1][1] + line + "\n")
    return turns


async def test_every_flow_from_a_script(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'walk.sqlite3'}"
    migrate(database_url)
    settings = Settings(telegram_bot_token=None, database_url=database_url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path)
    stdin = io.StringIO("".join(line + "\n" for line, _ in SCRIPT))
    stdout = io.StringIO()
    assert await run_sandbox(settings, lang="en", user_id=4321, stdin=stdin, stdout=stdout) == 0
    turns = _turns(stdout.getvalue())
    assert [line for line, _ in turns] == [line for line, _ in SCRIPT], stdout.getvalue()
    for (line, answer), (_, expected) in zip(turns, SCRIPT, strict=True):
        assert expected in answer, f"after {line!r} expected {expected!r}, got:\n{answer}"
        assert "(no reply)" not in answer
