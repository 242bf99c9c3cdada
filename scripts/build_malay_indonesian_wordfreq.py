"""Build `screening/data/malay_indonesian_wordfreq.json` from wordfreq's Malay and Indonesian lists.

Usage (wordfreq is a build-time dependency only; keep it out of the shared venv):

    .venv/bin/python -m pip install --target /tmp/wordfreq-deps wordfreq==3.1.1
    PYTHONPATH=/tmp/wordfreq-deps .venv/bin/python scripts/build_malay_indonesian_wordfreq.py

wordfreq (R. Speer, https://github.com/rspeer/wordfreq, code Apache-2.0, word lists CC BY-SA 4.0)
counts each language over several kinds of text: for Malay and Indonesian, Wikipedia, OpenSubtitles
2018 and Twitter. The lean of `malay_indonesian.json` (`build_malay_indonesian_lean.py`) counts film
subtitles only, whose dialogue is partly translated from one standard into the other; this second
estimate adds encyclopaedia and social-media text. `screening/language.py` weighs a word by the mean
of the two leans (a word missing from one list counts 0 there).

Same rule as the subtitle lean: ASCII words of two letters or more, a frequency ratio of e (about
2.7) or more, not more frequent in English than in either (English words inside Malay and
Indonesian text), pronouns left out (their rate measures the register of dialogue and tweets), and
calendar names both standards spell alike
(Januari, Februari, Mei, Oktober...: their rate measures how much dated text each list counts).
The weight is the log ratio / 2, clipped to 1: about e^2 (7 times) more frequent on one side counts
as much as a word of one standard only. Unlike the subtitle lists (50,000 words each, cut at 5 per
million), every word wordfreq lists is kept (its 'small' lists stop at about 1 per million): with
one per million added to both sides, a word needs 1.7 per million on one side and none on the
other to reach the ratio, and rarer words of one standard (perangkaan, tersasar) are the ones
no other list holds. Measured on DSLCC news lines (scripts/check_malay_indonesian_dslcc.py):
Malay 76.1 -> 76.7% (v1.0) and 76.7 -> 77.9% (v2.0), Indonesian unchanged or up.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import wordfreq  # build-time only (see above)
from build_malay_indonesian_lean import LEFT_OUT, MIN_LOG_RATIO, lean_of

OUT = Path(__file__).resolve().parent.parent / "screening" / "data" / "malay_indonesian_wordfreq.json"
WORDLIST = "small"
SCALE = 2.0  # the subtitle lean's rule and parameters otherwise (build_malay_indonesian_lean)
MIN_PER_MILLION = 1.0  # every word of the 'small' lists


def main() -> None:
    if version("wordfreq") != "3.1.1":
        raise SystemExit(f"wordfreq 3.1.1 expected (the version the file names), not {version('wordfreq')}")
    malay, indonesian, english = (wordfreq.get_frequency_dict(lang, WORDLIST)
                                  for lang in ("ms", "id", "en"))
    # wordfreq gives proportions; the rule reads rates per million words.
    malay, indonesian, english = ({word: share * 1e6 for word, share in table.items()}
                                  for table in (malay, indonesian, english))
    lean = lean_of(malay, indonesian, english, scale=SCALE, min_per_million=MIN_PER_MILLION)
    document = {
        "comment": (
            "How far a word leans towards Malay (positive) or Indonesian (negative), from "
            "wordfreq's word frequencies; screening/language.py averages it with "
            "malay_indonesian.json (subtitles only). Built by "
            "scripts/build_malay_indonesian_wordfreq.py; do not edit by hand."
        ),
        "sources": [
            "wordfreq 3.1.1 "
            "(R. Speer, https://github.com/rspeer/wordfreq; code Apache-2.0, word lists CC BY-SA "
            "4.0), lists 'small' for ms, id and en. Its Malay and Indonesian lists count "
            "Wikipedia, OPUS OpenSubtitles 2018 (https://opus.nlpl.eu/OpenSubtitles2018.php) and "
            "Twitter. This derived list is shared under CC BY-SA 4.0."
        ],
        "parameters": {"wordlist": WORDLIST, "min_per_million": MIN_PER_MILLION,
                       "min_log_ratio": MIN_LOG_RATIO, "scale": SCALE,
                       "left_out": sorted(LEFT_OUT)},
        "lean": lean,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lean)} words, {sum(1 for v in lean.values() if v > 0)} leaning Malay")


if __name__ == "__main__":
    main()
