"""Catalogs are part of the product: complete, current, well-formed, within Telegram's limits."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from locales.i18n import LOCALES_DIR, SUPPORTED_LOCALES, get_translator

ROOT = Path(__file__).resolve().parents[2]
MACHINE_TRANSLATOR = "machine translation, not yet reviewed by a native speaker"
TRANSLATED = [locale for locale in SUPPORTED_LOCALES if locale != "en"]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
BUTTON_MAX_CHARS = 32  # what fits a phone screen's inline button


def _read(path: Path) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(LOCALES_DIR / "messages.pot")


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def test_template_is_current(tmp_path: Path, template: Catalog) -> None:
    """A new or changed message must be extracted (scripts/i18n.sh all) before it ships."""
    out = tmp_path / "fresh.pot"
    # review/ is the staff app, in English for the organisation's staff: not in the bot's catalogs.
    paths = ["bot", "handlers", "screening", "storage"]
    # The JSON data files' extractors are the project's own modules, imported from the root.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "pyproject.toml",
                    "--no-location", "-o", str(out), *paths], cwd=ROOT, check=True,
                   capture_output=True, env=env)
    fresh = _ids(_read(out))
    committed = _ids(template)
    assert fresh - committed == set(), "run scripts/i18n.sh all: messages missing from the template"
    assert committed - fresh == set(), "run scripts/i18n.sh all: template has messages no code uses"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_complete_and_well_formed(locale: str, template: Catalog) -> None:
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    by_id = {message.id: message for message in catalog if message.id}
    problems: list[str] = []
    for source in template:
        if not source.id:
            continue
        message = by_id.get(source.id)
        if message is None:
            problems.append(f"missing: {source.id!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {source.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = source.id if isinstance(source.id, tuple) else (source.id,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            if not text:
                problems.append(f"empty: {source.id!r}")
            elif set(PLACEHOLDER.findall(text)) != expected:
                problems.append(f"placeholders differ: {source.id!r} → {text!r}")
    assert not problems, f"{locale}: " + "; ".join(problems[:20])


@pytest.mark.parametrize("locale", TRANSLATED)
def test_machine_translations_say_so(locale: str) -> None:
    """Partners must see which catalogs a native speaker has not reviewed yet."""
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    translator = catalog.last_translator or ""
    assert translator == MACHINE_TRANSLATOR or "FULL NAME" not in translator, translator
    assert translator != "", "Last-Translator must name the reviewer or say machine translation"
    status = (LOCALES_DIR / "STATUS.md").read_text()
    expected = "machine translation" if translator == MACHINE_TRANSLATOR else "reviewed"
    row = next((line for line in status.splitlines() if line.startswith(f"| `{locale}` |")), "")
    assert expected in row, f"locales/STATUS.md must list {locale} as {expected}"


def _button_msgids() -> set[str]:
    """Messages used as inline-button texts: Button(t.gettext("…"), …) in handlers/."""
    found: set[str] = set()
    for path in (ROOT / "handlers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Button" and node.args:
                first = node.args[0]
                if (isinstance(first, ast.Call) and getattr(first.func, "attr", None) == "gettext"
                        and first.args and isinstance(first.args[0], ast.Constant)):
                    found.add(first.args[0].value)
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_button_texts_fit_a_phone(locale: str) -> None:
    t = get_translator(locale)
    too_long = []
    for msgid in _button_msgids():
        text = t.gettext(msgid)
        sample = PLACEHOLDER.sub("Bahasa Indonesia", text)  # the longest language name we show
        if len(sample) > BUTTON_MAX_CHARS:
            too_long.append(sample)
    assert not too_long, f"{locale}: buttons over {BUTTON_MAX_CHARS} characters: {too_long}"


# The explanations of combinations all begin "Together:", and a reply often lists two of them:
# in one language the lead-in reads the same each time (the q-rules round added "Kết hợp lại:"
# beside "Cộng lại:", and six other catalogs likewise).
LEAD_IN_END = re.compile(r"[:：៖-]")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_explanations_of_combinations_share_one_lead_in(locale: str) -> None:
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    lead_ins: dict[str, list[str]] = {}
    for message in catalog:
        string = message.string
        if isinstance(message.id, str) and message.id.startswith("Together:") \
                and isinstance(string, str) and string:
            end = LEAD_IN_END.search(string)
            lead_in = string[:end.start()] if end else string
            lead_ins.setdefault(lead_in, []).append(message.id[:60])
    assert lead_ins, f"{locale}: no combination explained"
    assert len(lead_ins) == 1, f"{locale}: several lead-ins for 'Together:': {lead_ins}"


def test_user_facing_strings_go_through_gettext() -> None:
    """Reply(...) and Button(...) texts in handlers/ are never bare literals or f-strings."""
    offenders = []
    for path in (ROOT / "handlers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"Reply", "Button"}):
                continue
            text = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "text"), None)
            if isinstance(text, ast.JoinedStr) or (
                    isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value.strip()):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"untranslated texts at {offenders}"


def test_status_page_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalog_status", ROOT / "scripts" / "catalog_status.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (LOCALES_DIR / "STATUS.md").read_text() == module.status_table(), \
        "run scripts/catalog_status.py"
