"""Command line: `python -m screening check [--lang CODE] [--country CC] [--json] [--lines]`.

Reads an offer or message from stdin and prints its assessment. Staff screen ads
in bulk with `--lines`: one input line per ad, one JSON object per output line.
Explanations are printed in English (the msgids); the bot translates them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from screening.assess import Assessment, assess_text


def _format_text(assessment: Assessment) -> str:
    lines = [
        f"language: {assessment.language or 'unknown'}",
        f"risk: {assessment.risk.value} (score {assessment.score}"
        f"{', reads as a job offer' if assessment.job_context else ''})",
    ]
    if assessment.flags:
        lines.append("red flags:")
        lines.extend(f"  - {flag.rule_id} (+{flag.weight}): {flag.message}"
                     for flag in assessment.flags)
    else:
        lines.append("red flags: none found")
    if assessment.contacts:
        lines.append("contacts:")
        lines.extend(f"  - {contact.type.value}: {contact.value}"
                     + (f" (domain {contact.domain})" if contact.domain else "")
                     for contact in assessment.contacts)
    lines.append("advice:")
    lines.extend(f"  - {item}" for item in assessment.advice)
    return "\n".join(lines)


def _check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.lines:
        for line in stdin:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            assessment = assess_text(text, lang=args.lang, country=args.country)
            stdout.write(json.dumps(assessment.to_dict(), ensure_ascii=False) + "\n")
        return 0
    text = stdin.read()
    assessment = assess_text(text, lang=args.lang, country=args.country)
    if args.json:
        stdout.write(json.dumps(assessment.to_dict(), ensure_ascii=False) + "\n")
    else:
        stdout.write(_format_text(assessment) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m screening",
                                     description="Screen job offers for scam-centre red flags.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="assess the text read from stdin")
    check.add_argument("--lang", help="the reader's locale, a hint for language detection")
    check.add_argument("--country", type=lambda value: value.upper(),
                       help="ISO country code (TH, KH, PH…): reads local phone numbers")
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--lines", action="store_true",
                        help="assess each input line separately; one JSON object per line")
    return parser


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return _check(args, stdin or sys.stdin, stdout or sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
