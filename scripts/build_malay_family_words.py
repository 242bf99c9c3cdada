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
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import wordfreq  # build-time only (see above)

OUT = Path(__file__).resolve().parent.parent / "screening" / "data" / "malay_family_words.json"
WORDLIST = "small"
COUNT = 1500
OTHER_SHARE = 0.1  # English or Filipino at a tenth of the lower Malay/Indonesian rate: left out


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
    document = {
        "comment": (
            "Words Malay and Indonesian both write often and English and Filipino rarely: "
            "evidence that a Latin-script text is Malay or Indonesian (not which of the two). "
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
        "words": words,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
