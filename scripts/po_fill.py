"""Help translators work on a catalog through JSON, which is easier to write than .po.

    .venv/bin/python scripts/po_fill.py missing km > /tmp/km.todo.json
        every message of locales/km/LC_MESSAGES/messages.po without a translation, as
        {"msgid": "", …} (plural messages: {"singular\\u0000plural": ["", …]}, one per plural form)
    .venv/bin/python scripts/po_fill.py apply km /tmp/km.done.json [--translator "…"]
        write those translations into the catalog; mark the catalog as machine-translated
        (Last-Translator) unless --reviewed "Name <email>" is given; check placeholders.

Run `scripts/i18n.sh update` first so the catalog has every message of the template.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
PLURAL_SEPARATOR = "\u0000"
MACHINE_TRANSLATOR = "machine translation, not yet reviewed by a native speaker"


def _path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / "messages.po"


def _load(locale: str) -> Catalog:
    with _path(locale).open("rb") as fp:
        return read_po(fp, locale=locale)


def _key(msgid: str | tuple[str, ...]) -> str:
    return PLURAL_SEPARATOR.join(msgid) if isinstance(msgid, tuple) else msgid


def missing(locale: str) -> dict[str, object]:
    catalog = _load(locale)
    todo: dict[str, object] = {}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            todo[_key(message.id)] = [""] * catalog.num_plurals if isinstance(message.id, tuple) else ""
    return todo


def apply(locale: str, translations: dict[str, object], *, reviewed: bool, translator: str) -> list[str]:
    catalog = _load(locale)
    by_key = {_key(m.id): m for m in catalog if m.id}
    problems: list[str] = []
    for key, value in translations.items():
        message = by_key.get(key)
        if message is None:
            problems.append(f"not in the catalog: {key[:60]!r}")
            continue
        expected = set(PLACEHOLDER.findall(key.replace(PLURAL_SEPARATOR, " ")))
        values = value if isinstance(value, list) else [value]
        if any(not isinstance(v, str) or not v.strip() for v in values):
            problems.append(f"empty translation: {key[:60]!r}")
            continue
        if any(set(PLACEHOLDER.findall(v)) != expected for v in values):  # type: ignore[arg-type]
            problems.append(f"placeholders differ: {key[:60]!r} → {values!r}")
            continue
        if isinstance(message.id, tuple):
            if len(values) != catalog.num_plurals:
                problems.append(f"{catalog.num_plurals} plural forms needed: {key[:60]!r}")
                continue
            message.string = tuple(values)  # type: ignore[assignment]
        else:
            message.string = values[0]  # type: ignore[assignment]
        message.flags.discard("fuzzy")
    catalog.fuzzy = False
    # Babel keeps only standard header fields, so the status lives in Last-Translator.
    catalog.last_translator = translator if reviewed else MACHINE_TRANSLATOR
    with _path(locale).open("wb") as fp:
        write_po(fp, catalog, width=100, omit_header=False)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    todo = sub.add_parser("missing")
    todo.add_argument("locale")
    done = sub.add_parser("apply")
    done.add_argument("locale")
    done.add_argument("json_file")
    done.add_argument("--reviewed", metavar="NAME", default=None,
                      help="the native speaker who reviewed these translations")
    args = parser.parse_args()
    if args.command == "missing":
        json.dump(missing(args.locale), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    translations = json.loads(Path(args.json_file).read_text())
    problems = apply(args.locale, translations, reviewed=args.reviewed is not None,
                     translator=args.reviewed or MACHINE_TRANSLATOR)
    for problem in problems:
        print(problem, file=sys.stderr)
    left = len(missing(args.locale))
    print(f"{args.locale}: applied {len(translations) - len(problems)}, problems {len(problems)}, "
          f"still missing {left}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
