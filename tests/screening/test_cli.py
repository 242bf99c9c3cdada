"""`python -m screening check`."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from screening.__main__ import main

OFFER = ("URGENT hiring customer service in Sihanoukville, salary $1,800/month, no experience "
         "needed, visa on arrival. Telegram @kk_hr_team, call 081 234 5678")


def run(argv: list[str], stdin: str) -> str:
    out = io.StringIO()
    assert main(argv, stdin=io.StringIO(stdin), stdout=out) == 0
    return out.getvalue()


def test_human_readable_output() -> None:
    output = run(["check", "--country", "th"], OFFER)
    assert "language: en" in output
    assert "risk: " in output and "compound_destination" in output
    assert "telegram: kk_hr_team" in output and "phone: +66812345678" in output


def test_json_output_is_one_object() -> None:
    data = json.loads(run(["check", "--json", "--country", "TH"], OFFER))
    assert data["risk"] in ("high", "very_high")
    assert {"type": "phone", "value": "+66812345678"}.items() <= data["contacts"][1].items()


def test_lines_gives_one_object_per_non_empty_line() -> None:
    output = run(["check", "--lines"], OFFER + "\n\nBest beaches in Sihanoukville?\n")
    rows = [json.loads(line) for line in output.splitlines()]
    assert [row["risk"] for row in rows][1] == "low"
    assert len(rows) == 2


def test_module_entry_point() -> None:
    result = subprocess.run([sys.executable, "-m", "screening", "check", "--json"], input="hello",
                            capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout)["risk"] == "low"
