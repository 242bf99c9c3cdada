"""Rebuild `screening/data/han_script.json`: Han characters written in only one of Simplified and
Traditional Chinese, for telling the two apart (screening/language.py).

Usage: `.venv/bin/python scripts/build_han_script.py OPENCC_DICTIONARY_DIR ZH_CN_50K ZH_TW_50K`
with OpenCC's `data/dictionary` folder (github.com/BYVoid/OpenCC, Apache-2.0: STCharacters.txt,
TSCharacters.txt, HKVariants.txt, TWVariants.txt) and the OpenSubtitles 2018 frequency lists
`content/2018/zh_cn/zh_cn_50k.txt` and `content/2018/zh_tw/zh_tw_50k.txt` of
github.com/hermitdave/FrequencyWords (CC BY-SA 3.0).

Simplified only: a character OpenCC converts to Traditional forms that do not include itself,
that no Traditional form is written with (not a value of STCharacters nor a key of
TSCharacters) and that Hong Kong's and Taiwan's own variant tables do not use. Traditional only:
the same the other way round (a key of TSCharacters that is no Simplified form). Kept only when
the subtitles use it at least once per million characters (everyday characters; rare ones add
size and no evidence). Characters both scripts write with another meaning or as glyph variants
(`screening.han_variants` names them: 后 台 里 干 …) are left out whatever OpenCC says.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "screening" / "data" / "han_script.json"
MIN_PER_MILLION = 1.0
# Shared by both scripts (another meaning, or a glyph variant that Hong Kong or Taiwan writes;
# 晒 is also written Cantonese: 多謝晒, 離晒譜).
SHARED = frozenset("后台里干面松系只周于云几范采征症准着著乾复划冲内污群峰吃么晒")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _table(path: Path) -> dict[str, list[str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, values = line.split("\t")
            table[key] = values.split()
    return table


def _rates(path: Path) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.rpartition(" ")
        for char in word:
            if _HAN.match(char):
                counts[char] += int(count)
    total = sum(counts.values()) / 1e6
    return {char: count / total for char, count in counts.items()}


def main(opencc_dir: str, cn_path: str, tw_path: str) -> None:
    folder = Path(opencc_dir)
    to_traditional = _table(folder / "STCharacters.txt")
    to_simplified = _table(folder / "TSCharacters.txt")
    regional = {char for name in ("HKVariants.txt", "TWVariants.txt")
                for key, values in _table(folder / name).items() for char in (key, *values)}
    traditional_forms = {char for values in to_traditional.values() for char in values}
    traditional_forms |= set(to_simplified)
    simplified_forms = set(to_traditional) | {char for values in to_simplified.values()
                                              for char in values}
    cn, tw = _rates(Path(cn_path)), _rates(Path(tw_path))

    def everyday(char: str) -> bool:
        return max(cn.get(char, 0.0), tw.get(char, 0.0)) >= MIN_PER_MILLION

    simplified = sorted(
        char for char, values in to_traditional.items()
        if len(char) == 1 and char not in values and char not in traditional_forms
        and char not in regional and char not in SHARED and everyday(char))
    traditional = sorted(
        char for char, values in to_simplified.items()
        if len(char) == 1 and char not in values and char not in simplified_forms
        and char not in SHARED and everyday(char))
    document = {
        "comment": (
            "Han characters written in only one of Simplified and Traditional Chinese; "
            "screening/language.py counts them beside screening/han_variants.py. Built by "
            "scripts/build_han_script.py; do not edit by hand."
        ),
        "sources": [
            "OpenCC (Open Chinese Convert), data/dictionary STCharacters.txt, TSCharacters.txt, "
            "HKVariants.txt, TWVariants.txt, https://github.com/BYVoid/OpenCC (Apache-2.0)",
            "Character frequencies of OpenSubtitles 2018 (OPUS, "
            "https://opus.nlpl.eu/OpenSubtitles2018.php) as counted in H. Dave, FrequencyWords, "
            "content/2018/zh_cn and content/2018/zh_tw (https://github.com/hermitdave/"
            "FrequencyWords, CC BY-SA 3.0): only characters used once per million or more",
        ],
        "simplified_only": "".join(simplified),
        "traditional_only": "".join(traditional),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(simplified)} simplified only, {len(traditional)} traditional only")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
