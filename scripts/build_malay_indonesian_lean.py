"""Rebuild `screening/data/malay_indonesian.json` from OpenSubtitles 2018 word-frequency lists.

Usage: `.venv/bin/python scripts/build_malay_indonesian_lean.py MS_50K ID_50K EN_50K`
with the files `content/2018/{ms,id,en}/*_50k.txt` of github.com/hermitdave/FrequencyWords
(word counts of the OpenSubtitles 2018 corpus, OPUS; lists under CC BY-SA 3.0).

A word leans towards Malay or Indonesian by the log ratio of its frequency per million words in
the two lists (one per million added to both, so a word one list never saw is rare there, not
impossible). Kept: ASCII words of two letters or more, at least 5 per million in the list where
they are more frequent, a ratio of e^1 (about 2.7 times) or more, and not more frequent in the
English list than in either (English words inside subtitles). The weight is the log ratio / 3,
clipped to 1: about e^3 (20 times) more frequent on one side counts as much as a hand-picked
word of one standard only. Pronouns are left out: subtitles' dialogue uses "aku/kau" in
Indonesian and "saya/awak" in Malay far more than chat and job ads do, so their ratio measures
the register of film dialogue, not the language ("awak" is Malay only and stays in the hand-picked list).
Calendar names both standards spell alike are left out too (Januari, Februari, April, Mei,
September, Oktober, November; Selasa, Rabu, Sabtu: the months and days of Dewan Bahasa dan
Pustaka's Malay and of KBBI's Indonesian; the names that differ, Mac/Maret, Julai/Juli,
Ogos/Agustus, Isnin/Senin, Khamis/Kamis, Jumaat/Jumat..., stay): their rates count how much dated
text (encyclopaedia articles, news) each corpus holds, not which standard wrote a line. wordfreq's
Indonesian list writes each of those months 2 to 10 times as often as its Malay list, the ones that
are English words as well (April, September, November; filtered out below) alike.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "screening" / "data" / "malay_indonesian.json"
MIN_PER_MILLION = 5.0
MIN_LOG_RATIO = 1.0
SCALE = 3.0
PRONOUNS = frozenset({"saya", "aku", "kau", "engkau", "kamu", "anda", "dia", "ia", "kami", "kita",
                      "mereka", "ku", "mu"})
SAME_CALENDAR_NAMES = frozenset({"januari", "februari", "april", "mei", "september", "oktober",
                                 "november", "selasa", "rabu", "sabtu"})
LEFT_OUT = PRONOUNS | SAME_CALENDAR_NAMES


def _counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.rpartition(" ")
        if word:
            counts[word] = int(count)
    return counts


def lean_of(malay: Mapping[str, float], indonesian: Mapping[str, float],
            english: Mapping[str, float], *, scale: float,
            min_per_million: float = MIN_PER_MILLION) -> dict[str, float]:
    """Each kept word's lean (Malay positive) from three per-million rates, by the rule above;
    `build_malay_indonesian_wordfreq.py` uses it too, with its own scale and floor."""
    lean: dict[str, float] = {}
    for word in sorted(set(malay) | set(indonesian)):
        if len(word) < 2 or not (word.isascii() and word.isalpha()) or word in LEFT_OUT:
            continue
        ms_rate = malay.get(word, 0.0)
        id_rate = indonesian.get(word, 0.0)
        if max(ms_rate, id_rate) < min_per_million:
            continue
        if english.get(word, 0.0) > max(ms_rate, id_rate):
            continue
        # One per million added to both: a word one list never saw is rare there, not impossible.
        ratio = math.log((ms_rate + 1) / (id_rate + 1))
        if abs(ratio) >= MIN_LOG_RATIO:
            lean[word] = round(max(-1.0, min(1.0, ratio / scale)), 2)
    return lean


def _per_million(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values()) / 1e6
    return {word: count / total for word, count in counts.items()}


def main(ms_path: str, id_path: str, en_path: str) -> None:
    malay, indonesian, english = (_per_million(_counts(Path(path)))
                                  for path in (ms_path, id_path, en_path))
    lean = lean_of(malay, indonesian, english, scale=SCALE)
    document = {
        "comment": (
            "How far a word leans towards Malay (positive) or Indonesian (negative) when a text "
            "reads as Malay/Indonesian: screening/language.py adds these to the hand-picked "
            "words of one standard only (which win where both have a word). Built by "
            "scripts/build_malay_indonesian_lean.py; do not edit by hand."
        ),
        "sources": [
            "Word frequencies of the OpenSubtitles 2018 corpus (P. Lison and J. Tiedemann, "
            "'OpenSubtitles2016/2018', OPUS, https://opus.nlpl.eu/OpenSubtitles2018.php), as "
            "counted in H. Dave, FrequencyWords, content/2018/ms/ms_50k.txt, "
            "content/2018/id/id_50k.txt and content/2018/en/en_50k.txt "
            "(https://github.com/hermitdave/FrequencyWords, lists under CC BY-SA 3.0; this "
            "derived list is shared under the same licence)."
        ],
        "parameters": {"min_per_million": MIN_PER_MILLION, "min_log_ratio": MIN_LOG_RATIO,
                       "scale": SCALE, "left_out": sorted(LEFT_OUT)},
        "lean": lean,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(lean)} words, {sum(1 for v in lean.values() if v > 0)} leaning Malay")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
