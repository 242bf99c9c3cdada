"""The babel extractor finds every rule message and question text, with its line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from screening.babel_extract import extract_rules

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]


def extracted(path: Path) -> list[tuple[int, str, str, list[str]]]:
    with path.open("rb") as fileobj:
        return list(extract_rules(fileobj, ["gettext"], [], {}))


def test_rule_messages_with_line_numbers_and_comments() -> None:
    results = extracted(FIXTURES / "red_flags.json")
    lines = (FIXTURES / "red_flags.json").read_text(encoding="utf-8").splitlines()
    messages = [message for _, _, message, _ in results]
    assert messages[0].startswith("The pay is far above")
    assert len(messages) == 5  # the job_context rule's empty message is skipped
    for lineno, funcname, message, comments in results:
        assert funcname == "gettext"
        assert json.dumps(message, ensure_ascii=False) in lines[lineno - 1]
        assert comments and "Red-flag rule" in comments[0]


def test_question_texts() -> None:
    results = extracted(FIXTURES / "questionnaire.json")
    assert [message for _, _, message, _ in results][1] == "Were you told to travel on a tourist visa?"


def test_non_ascii_messages_escaped_or_not() -> None:
    source = json.dumps({"rules": [{"id": "x", "message": "Café ✓", "sources": ["s"]}]})
    [(lineno, _, message, _)] = list(extract_rules(io.BytesIO(source.encode()), [], [], {}))
    assert (lineno, message) == (1, "Café ✓")


def test_pybabel_extract_with_the_project_config(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "pyproject.toml", "-o", str(pot), "screening"],
                   cwd=REPO, check=True, capture_output=True, timeout=120,
                   env={**os.environ, "PYTHONPATH": str(REPO)})  # the extractors are project modules
    content = pot.read_text(encoding="utf-8")
    assert "screening/data/red_flags.json" in content
    assert "screening/data/questionnaire.json" in content
    assert "#. Red-flag rule" in content
    assert "We found no common warning sign in this offer." in content  # advice.py, N_()
