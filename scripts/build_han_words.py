"""Rebuild `screening/data/han_words.json`: words written in only one of Simplified and Traditional
Chinese although each of their characters exists in both scripts, for telling the two apart when no
character does (screening/language.py).

Usage (OpenCC's Python port is a build-time dependency only; keep it out of the shared venv):

    .venv/bin/python -m pip install --target /tmp/opencc-deps opencc-python-reimplemented==0.1.7
    PYTHONPATH=/tmp/opencc-deps .venv/bin/python scripts/build_han_words.py ZH_CN_50K ZH_TW_50K

with the OpenSubtitles 2018 frequency lists `content/2018/zh_cn/zh_cn_50k.txt` and
`content/2018/zh_tw/zh_tw_50k.txt` of github.com/hermitdave/FrequencyWords (CC BY-SA 3.0), the
same lists `build_han_script.py` reads.

Some characters are written in both scripts with another meaning, so `screening.han_variants`
leaves them out: 后 "queen" (Traditional writes 後 for "after"), 里 a unit of length (裡/裏 for
"inside"), 干 "shield" (幹/乾), 几 "small table" (幾 "how many"), 松 "pine" (鬆 "loose"). Simplified
merged the other characters into them, so a word that uses them in the merged sense (以后, 哪里,
干嘛, 几乎, 放松) is Simplified only. The other way round, Traditional writes 著 (the aspect particle
of 看著, 接著), 乾 (乾杯), 瞭 (瞭解) and 夥 (夥伴) where Simplified writes 着, 干, 了 and 伙 (著 alone
stays in Simplified 著名, 显著; Hong Kong writes 着 like the mainland, so 著-words count for Taiwan
only).

Kept: words of two Han characters or more, none of them already one script's only
(`screening.han_variants`, `data/han_script.json`: those decide alone), holding one of the
characters above; OpenCC converts the word to another form into both Traditional standards
(Simplified words: s2tw and s2hk) or into Simplified (Traditional words: tw2s); and the subtitles
agree: at least 3 per million words in the list of its own script and at least e (about 2.7) times
as frequent there as in the other list (one per million added to both). Other characters both
scripts share with another meaning (内, 冲, 复, 于, 只, 系, 周, 云…) are left out: Hong Kong writes
some of them as glyph variants, and Taiwan's standard keeps some merged forms (凶手, 制度).
"""

from __future__ import annotations

import json
import math
import re
import sys
from importlib.metadata import version
from pathlib import Path

import opencc  # build-time only (see above)

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from screening.han_variants import SIMPLIFIED_ONLY, TRADITIONAL_ONLY  # noqa: E402

OUT = REPO / "screening" / "data" / "han_words.json"
SCRIPT_CHARS = REPO / "screening" / "data" / "han_script.json"
MIN_PER_MILLION = 3.0
MIN_LOG_RATIO = 1.0
SIMPLIFIED_MERGED = "后里干几松"
TRADITIONAL_KEPT = "著乾瞭夥"
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def _rates(path: Path) -> dict[str, float]:
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.rpartition(" ")
        if word:
            counts[word] = counts.get(word, 0) + int(count)
    total = sum(counts.values()) / 1e6
    return {word: count / total for word, count in counts.items()}


def main(cn_path: str, tw_path: str) -> None:
    if version("opencc-python-reimplemented") != "0.1.7":
        raise SystemExit("opencc-python-reimplemented 0.1.7 expected (the version the file names)")
    s2tw, s2hk, tw2s = (opencc.OpenCC(config) for config in ("s2tw", "s2hk", "tw2s"))
    table = json.loads(SCRIPT_CHARS.read_text(encoding="utf-8"))
    one_script = (SIMPLIFIED_ONLY | TRADITIONAL_ONLY | set(table["simplified_only"])
                  | set(table["traditional_only"]))
    cn, tw = _rates(Path(cn_path)), _rates(Path(tw_path))
    simplified, traditional = [], []
    for word in sorted(set(cn) | set(tw)):
        if not _WORD.fullmatch(word) or any(char in one_script for char in word):
            continue
        cn_rate, tw_rate = cn.get(word, 0.0), tw.get(word, 0.0)
        ratio = math.log((cn_rate + 1) / (tw_rate + 1))
        if (any(char in SIMPLIFIED_MERGED for char in word) and cn_rate >= MIN_PER_MILLION
                and ratio >= MIN_LOG_RATIO and s2tw.convert(word) != word
                and s2hk.convert(word) != word):
            simplified.append(word)
        if (any(char in TRADITIONAL_KEPT for char in word) and tw_rate >= MIN_PER_MILLION
                and -ratio >= MIN_LOG_RATIO and tw2s.convert(word) != word):
            traditional.append(word)
    document = {
        "comment": (
            "Words written in only one of Simplified and Traditional Chinese although every "
            "character of them exists in both scripts; screening/language.py counts them when "
            "no character tells the two apart. Built by scripts/build_han_words.py; do not edit "
            "by hand."
        ),
        "sources": [
            "OpenCC (Open Chinese Convert) conversion tables and configurations s2tw, s2hk, tw2s, "
            "https://github.com/BYVoid/OpenCC (Apache-2.0), as packaged by "
            "opencc-python-reimplemented 0.1.7 (https://github.com/yichen0831/opencc-python, "
            "Apache-2.0)",
            "Word frequencies of OpenSubtitles 2018 (OPUS, "
            "https://opus.nlpl.eu/OpenSubtitles2018.php) as counted in H. Dave, FrequencyWords, "
            "content/2018/zh_cn/zh_cn_50k.txt and content/2018/zh_tw/zh_tw_50k.txt "
            "(https://github.com/hermitdave/FrequencyWords, CC BY-SA 3.0; this derived list is "
            "shared under the same licence)",
        ],
        "parameters": {"min_per_million": MIN_PER_MILLION, "min_log_ratio": MIN_LOG_RATIO,
                       "simplified_merged": SIMPLIFIED_MERGED,
                       "traditional_kept": TRADITIONAL_KEPT},
        "simplified_only": simplified,
        "traditional_only": traditional,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(simplified)} simplified only, {len(traditional)} traditional only")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
