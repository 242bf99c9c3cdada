"""Generate screening/data/cldr_countries.json: every country's name in our 13 languages, from CLDR.

Issue #14 item 3: a job abroad is read by `screening.places.countries_named`, whose hand-written list
knew about 30 places; a job in Oman, Romania, Poland, Libya or Malta, or one written 阿聯酋, "Inggris",
ओमान, 루마니아, was not read as abroad, so the combinations that need "abroad" (fee_for_job_abroad,
promised_job_abroad, the wage comparison's destination) never completed. CLDR (the Unicode Common
Locale Data Repository, shipped by babel) has every territory's display name in each locale.

    PYTHONPATH=. .venv/bin/python scripts/build_cldr_countries.py

What is kept (the hand-written names of data/country_names.json keep priority over these):
- every two-letter territory of CLDR except the pseudo and supranational ones, the uninhabited
  ones, and ME (Montenegro: country_names.json's "ME" is the Middle East region);
- a name is dropped where it is an ordinary word or a person's name in one of our languages (the
  "false friends" below: Chad, Jordan, Georgia, Niger, Guinea, Turkey, Mali (Tagalog "wrong"),
  Korean 오만 (50,000 in "오만 원"), 인도 (delivery), 수단 (means), 이란 (a particle), 피지 (sebum),
  부탄 (butane), 아이티 (IT), Hindi माली (gardener), गिनी (counted), Thai มาลี (a given name)...),
  or too short to be told from part of another word: Latin names under 4 letters (Ý, Úc, "Anh"),
  Vietnamese names of one syllable (Anh, Pháp, Mỹ, Đức, Nga: "pháp" is in "hợp pháp"), Chinese
  names of one character, Korean names of two syllables (but a few that are nothing else), Thai,
  Lao, Khmer and Myanmar names of 3 code points or less (these scripts write no spaces);
- the forms that make a short name safe: Vietnamese "nước X", Thai "ประเทศX", Lao "ປະເທດX",
  Khmer "ប្រទេសX", Myanmar "Xနိုင်ငံ" (the word "country" before or after it);
- the short and colloquial forms people write that CLDR does not list (EXTRA, from the
  countries' own usage: 阿联酋, "di/ke Inggris", "Britain", यूएई, ยูเออี...). Indonesian "Inggris"
  alone is as often the English language ("bisa Inggris", "Mandarin-Inggris"): only with "di",
  "ke" or "negara" before it.
`EXCEPTIONS` are longer words holding a name that are not that place (非法国 "illegal state...",
湖南非法 "Hunan illegal", 内蒙古 "Inner Mongolia", 朝鲜族 "Korean Chinese", ai cập nhật "who updates",
그리스도 "Christ", 沿海地区 "coastal areas" (海地 Haiti), Thai เช็ก "check"): places.countries_named
reads them as "no place". Language names ("bahasa Inggris", "tiếng Ba Lan", "프랑스어") need no
exception: places.countries_named reads these names as places only next to a word that says the
job is there (`_job_there`).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import babel
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screening" / "data" / "cldr_countries.json"

LOCALES = ("en", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "fil", "km", "lo", "my", "ko", "hi")
SKIP_CODES = frozenset({
    "ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK",  # unknown, supranational, pseudo
    "AQ", "BV", "HM", "TF", "UM", "IO", "GS", "CP", "DG", "EA", "IC", "TA", "AC",  # no one hires there
    "ME",  # Montenegro: country_names.json's "ME" is the Middle East region
})
FALSE_FRIENDS = frozenset({
    # English, Tagalog, Indonesian, Malay: given names, ordinary words, US states
    "chad", "jordan", "georgia", "niger", "guinea", "turkey", "mali", "togo", "jersey", "guernsey",
    "isle of man", "réunion", "christmas island", "chile", "cile", "dominica", "tonga", "samoa",
    "hapon", "granada", "grenada", "kamboja", "norfolk island", "niue", "yordania", "panama",
    # Chinese: inside other words, or names of people
    "加纳", "加納", "马里", "馬利", "多哥", "也门", "中非", "喬治亞", "查德", "乍得", "尼日", "汤加", "東加",
    # Korean: ordinary words (see the docstring)
    "그리스", "아이티", "조지아", "요르단", "니제르",
    # Hindi
    "माली", "गिनी", "चाड", "जॉर्जिया", "जॉर्डन", "नाइजर", "टोगो",
    # Thai, Lao, Khmer, Myanmar: given names, Georgia, Jordan, Niger, Guinea, Chad
    "เช็ก", "ซาร์ก", "ການາ", "ຊາກຄ໌", "ស៊ីប", "जर्सी", "सार्क", "sark", "海地",  # check, SAARC, ການ, cyber, 沿海地区
    "มาลี", "ชาด", "จอร์เจีย", "จอร์แดน", "ไนเจอร์", "กินี", "ตุรกี",
    "ມາລີ", "ຈໍເຈຍ", "ຈໍແດນ", "ກິນີ", "ຊາດ", "ម៉ាលី", "ហ្សកហ្ស៊ី", "ហ្ស៊កដានី", "ហ្គីណេ", "ឆាដ",
    "မာလီ", "ဂျော်ဂျီယာ", "ဂျော်ဒန်", "ဂီနီ", "ချဒ်",
})
# Two-syllable Korean names that are nothing else.
KOREAN_SHORT_OK = frozenset({"케냐", "예멘", "몰타", "몽골", "체코", "페루", "쿠바", "칠레", "시리아"})
EXTRA: dict[str, tuple[str, ...]] = {
    "AE": ("阿联酋", "阿聯酋", "杜拜", "uni emirat arab", "emirat arab", "united arab emirates",
           "các tiểu vương quốc ả rập", "ยูเออี", "यूएई", "यू.ए.ई", "아랍에미리트", "아랍 에미리트"),
    "SA": ("沙烏地", "沙地阿拉伯", "ả rập saudi", "ả rập xê út", "saudi arabia", "सऊदी अरब",
           "ซาอุดิอาระเบีย", "사우디아라비아"),
    "GB": ("di inggris", "ke inggris", "negara inggris", "britain", "great britain", "britania raya",
           "nước anh", "英格兰", "英格蘭",
           "ประเทศอังกฤษ", "इंग्लैंड", "ब्रिटेन", "yunaited kingdom"),
    "US": ("nước mỹ", "estados unidos", "ประเทศสหรัฐ"),
    "FR": ("nước pháp",), "IT": ("nước ý",), "BE": ("nước bỉ",), "CZ": ("cộng hòa séc",),
    "RO": ("rumania", "romania"), "PL": ("polandia", "poland", "nước ba lan"),
    "TR": ("turki", "türkiye", "turkiye", "thổ nhĩ kỳ", "土耳其", "터키", "튀르키예", "तुर्की"),
    "QA": ("कतर", "क़तर"),
    "MV": ("maldives", "maladewa", "maldiv"),
}
# Longer words holding a name that are not that place.
EXCEPTIONS = ("非法国", "南非法", "内蒙古", "內蒙古", "朝鲜族", "朝鮮族", "ai cập nhật", "그리스도",
              "ภาษาอังกฤษ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_BREAKING = "\u00a0\u202f"
_NO_SPACES = {"th": "ประเทศ{}", "lo": "ປະເທດ{}", "km": "ប្រទេស{}", "my": "{}နိုင်ငံ"}


def clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name.translate(_INVISIBLE))
    for char in _BREAKING:
        name = name.replace(char, " ")
    return " ".join(name.split()).lower()


def too_short(name: str, tag: str) -> bool:
    if tag in ("en", "id", "ms", "fil"):
        return len(name) < 4
    if tag == "vi":
        return " " not in name and "-" not in name
    if tag.startswith("zh"):
        return len(name) < 2
    if tag == "ko":
        return len(name) <= 2 and name not in KOREAN_SHORT_OK
    if tag in _NO_SPACES:
        return len(name) <= 3
    return len(name) <= 2  # hi: words are spaced, a name is cut only by a vowel sign (places.py)


def build() -> dict[str, object]:
    names: dict[str, set[str]] = {}
    exceptions = set(EXCEPTIONS)
    for tag in LOCALES:
        territories = Locale.parse(tag).territories
        for code, raw in territories.items():
            if len(code) != 2 or not code.isalpha() or code in SKIP_CODES:
                continue
            name = clean(raw)
            if any(char in name for char in "(),&"):
                continue
            forms = {name, name.replace("-", " ")} if "-" in name else {name}
            if tag in _NO_SPACES:
                forms.add(_NO_SPACES[tag].format(name))
            if tag == "vi" and too_short(name, tag):
                forms.add(f"nước {name}")
            for form in forms:
                if form == name and (name in FALSE_FRIENDS or too_short(name, tag)):
                    continue
                names.setdefault(code, set()).add(form)
    for code, extra in EXTRA.items():
        names.setdefault(code, set()).update(clean(name) for name in extra)
    return {
        "_source": (f"CLDR territory display names via babel {babel.__version__} (CLDR "
                    f"{babel.core.get_cldr_version()}), locales {', '.join(LOCALES)}; filtered and "
                    "extended by scripts/build_cldr_countries.py (see its docstring)"),
        "names": {code: sorted(found) for code, found in sorted(names.items())},
        "exceptions": sorted(exceptions),
    }


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    count = sum(len(v) for v in data["names"].values())  # type: ignore[union-attr]
    print(f"{OUT.relative_to(ROOT)}: {len(data['names'])} territories, {count} names, "  # type: ignore[arg-type]
          f"{len(data['exceptions'])} exceptions")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
