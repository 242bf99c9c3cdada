"""Build `screening/data/malay_family_words.json`: everyday words Malay and Indonesian share.

Usage (wordfreq is a build-time dependency only; keep it out of the shared venv):

    .venv/bin/python -m pip install --target /tmp/wordfreq-deps wordfreq==3.1.1
    PYTHONPATH=/tmp/wordfreq-deps .venv/bin/python scripts/build_malay_family_words.py

`screening/language.py` first asks which family a Latin-script text belongs to (English,
Malay/Indonesian, Tagalog...) by the words it knows of each. Its hand-written Malay/Indonesian list
holds function words and job words; common words such as satu, bukan, adalah, kau, seorang,
dunia were in none, so a short Malay line under an English interface ("Hambik kau") carried no
evidence of its language. This list adds the words both standards write most, from wordfreq's
counts (R. Speer, https://github.com/rspeer/wordfreq; lists CC BY-SA 4.0; for Malay and Indonesian
they count Wikipedia, OPUS OpenSubtitles 2018 and Twitter).

Kept: ASCII words of two letters or more in both lists, ranked by the lower of their two
frequencies (a word both standards write often), the first COUNT of them, leaving out any word
that English or Filipino (wordfreq's `fil`, nearest to Tagalog) writes at a tenth of that rate
or more (the, ok, para, sa are not evidence of Malay). Which of the two standards a text is stays
the business of the leans (`malay_indonesian*.json`); these words only say "Malay or Indonesian".
`language.py` adds them at weight 1 where no hand-written list of any family holds them.

The words one of the two standards writes far more often (`malay_indonesian.json`,
`malay_indonesian_wordfreq.json`: their leans say which) say "Malay or Indonesian" too, except those
English or Filipino write: `leaning_words_left_out` lists the lean words that are in neither of
wordfreq's Malay and Indonesian lists (film subtitles' names and possessive forms) or that English
or Filipino writes at a tenth or more of the higher of their two rates (okay, hospital, program,
target). A lean said which of the two a Malay/Indonesian text is, but not that the text is one: an
Indonesian line of such words only ("Gajinya lumayan") fell to the interface language.
`language.py` adds the others at weight 1 too, where no hand-written list of any family holds them.
`leaning_words_from` names the lean files and the sha256 of their sorted words, so that a test
says when the lean files were rebuilt without this one.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import wordfreq  # build-time only (see above)

DATA = Path(__file__).resolve().parent.parent / "screening" / "data"
OUT = DATA / "malay_family_words.json"
LEAN_FILES = ("malay_indonesian.json", "malay_indonesian_wordfreq.json")
WORDLIST = "small"
COUNT = 1500
OTHER_SHARE = 0.1  # English or Filipino at a tenth of the lower Malay/Indonesian rate: left out


def lean_words_digest(words: list[str]) -> str:
    """sha256 of the lean files' words, sorted, one a line."""
    return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()


def main() -> None:
    if version("wordfreq") != "3.1.1":
        raise SystemExit(f"wordfreq 3.1.1 expected (the version the file names), not {version('wordfreq')}")
    malay, indonesian, english, filipino = (wordfreq.get_frequency_dict(lang, WORDLIST)
                                            for lang in ("ms", "id", "en", "fil"))
    ranked = []
    for word in set(malay) & set(indonesian):
        if len(word) < 2 or not (word.isascii() and word.isalpha()):
            continue
        shared = min(malay[word], indonesian[word])
        if max(english.get(word, 0.0), filipino.get(word, 0.0)) >= OTHER_SHARE * shared:
            continue
        ranked.append((-shared, word))
    words = [word for _, word in sorted(ranked)[:COUNT]]
    lean_words = sorted(set().union(*(json.loads((DATA / name).read_text(encoding="utf-8"))["lean"]
                                       for name in LEAN_FILES)))
    left_out = [word for word in lean_words
                if not (own := max(malay.get(word, 0.0), indonesian.get(word, 0.0)))
                or max(english.get(word, 0.0), filipino.get(word, 0.0)) >= OTHER_SHARE * own]
    document = {
        "comment": (
            "Words Malay and Indonesian both write often and English and Filipino rarely "
            "('words'), and words one of them writes far more often than the other (the "
            "malay_indonesian*.json leans) that English and Filipino rarely write "
            "(the lean words less 'leaning_words_left_out'): evidence that a Latin-script "
            "text is Malay or Indonesian (not which of the two). "
            "Built by scripts/build_malay_family_words.py; do not edit by hand."
        ),
        "sources": [
            "wordfreq 3.1.1 "
            "(R. Speer, https://github.com/rspeer/wordfreq; code Apache-2.0, word lists CC BY-SA "
            "4.0), lists 'small' for ms, id, en and fil. Its Malay and Indonesian lists count "
            "Wikipedia, OPUS OpenSubtitles 2018 (https://opus.nlpl.eu/OpenSubtitles2018.php) and "
            "Twitter. This derived list is shared under CC BY-SA 4.0."
        ],
        "parameters": {"wordlist": WORDLIST, "count": COUNT, "other_share": OTHER_SHARE},
        "leaning_words_from": {"files": list(LEAN_FILES), "sha256": lean_words_digest(lean_words)},
        "words": words,
        "leaning_words_left_out": left_out,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words, {len(lean_words) - len(left_out)} of {len(lean_words)} "
          "lean words kept")


if __name__ == "__main__":
    main()
