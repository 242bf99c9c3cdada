"""Build `screening/data/contact_words.json`: everyday words a messenger label is followed by in
prose, which are not a messenger id unless written as one.

Usage (wordfreq is a build-time dependency only; keep it out of the shared venv):

    .venv/bin/python -m pip install --target /tmp/wordfreq-deps wordfreq==3.1.1
    PYTHONPATH=/tmp/wordfreq-deps .venv/bin/python scripts/build_contact_words.py

`screening.contacts` reads a messenger id after a platform's name: "WeChat: kk_hr88",
"LINE mike_job". Prose puts ordinary words there too: "Jobs advertised on WhatsApp, Telegram and
WeChat: salaries in the range of RM5,000" read "salaries" as a WeChat id, and upper-case text
"IN LINE WITH THE GOVERNMENT'S WORK" read "WITH" as a LINE id. An id made of letters only that is
one of these words is left out unless it is written as an id ("WeChat ID:", "微信号", "@"...).

Kept: the words of wordfreq's `small` lists (R. Speer, https://github.com/rspeer/wordfreq; lists
CC BY-SA 4.0) for the languages of the bot written in Latin script (en, ms, id, fil for Tagalog,
vi), of ASCII letters only (ids are ASCII: the ids the platforms allow), 4 to 20 letters (the
shortest LINE id has 4, the longest WeChat and LINE ids 20), used at least 10^ZIPF per billion
words (Zipf 3.5, about 3 per million) in one of the languages: "salaries" (3.9 in English)
is in, rare words and names made up for an id are not.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import wordfreq  # build-time only (see above)

OUT = Path(__file__).resolve().parent.parent / "screening" / "data" / "contact_words.json"
LANGUAGES = ("en", "ms", "id", "fil", "vi")
WORDLIST = "small"
ZIPF = 3.5
SHAPE = re.compile(r"[a-z]{4,20}")


def main() -> None:
    if version("wordfreq") != "3.1.1":
        raise SystemExit(f"wordfreq 3.1.1 expected (the version the file names), not {version('wordfreq')}")
    words: set[str] = set()
    for language in LANGUAGES:
        for word in wordfreq.get_frequency_dict(language, WORDLIST):
            if SHAPE.fullmatch(word) and wordfreq.zipf_frequency(word, language, WORDLIST) >= ZIPF:
                words.add(word)
    document = {
        "comment": ("Everyday words (ASCII letters, 4-20) that a platform's name can be followed by "
                    "in prose; screening/contacts.py does not read one as a messenger id unless it "
                    "is written as an id. Built by scripts/build_contact_words.py; do not edit by hand."),
        "sources": [f"wordfreq {version('wordfreq')} (R. Speer, github.com/rspeer/wordfreq; word lists "
                    "CC BY-SA 4.0), lists 'small' for " + ", ".join(LANGUAGES)],
        "parameters": {"languages": list(LANGUAGES), "wordlist": WORDLIST, "min_zipf": ZIPF,
                       "shape": SHAPE.pattern},
        "words": sorted(words),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
