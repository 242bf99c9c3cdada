"""Which supported locale a message is written in.

Rules, in order (measured by `bench/screening_bench.py`):

1. Count letters per Unicode script. No letters at all (empty, emoji, digits,
   punctuation) -> the hint.
2. A non-Latin script decides when it holds the most letters (weighted: a Han
   character or Hangul syllable is worth about a Latin word's information,
   so it counts 3; other scripts count 1.5 because Latin brand names, links and
   handles are common in Asian-language offers): Thai -> th, Lao -> lo,
   Khmer -> km, Myanmar -> my, Hangul -> ko, Devanagari -> hi (the only
   Devanagari locale we ship). Han -> Simplified or Traditional by counting
   characters that exist in only one of the two (`screening.han_variants`);
   with no such character, a Chinese hint or the country (TW/HK/MO ->
   zh_Hant) decides, else zh_Hans. Kana beyond a stray の (used in Taiwanese
   ads) means Japanese, which we do not ship -> None.
3. Latin script: Vietnamese-only letters (ơ ư ă đ and the stacked tone marks)
   -> vi. Otherwise function words of en / id+ms / tl / vi (unaccented) decide
   when one family clearly leads; else langdetect, restricted to the profiles
   en, id, tl, vi (seeded with 0, so deterministic; loaded once, see `warm_up`).
   Text shorter than 12 Latin letters with no clear function word -> the hint.
4. Malay or Indonesian (langdetect has no Malay profile, and the two are one
   language for it): the hint decides (`ms`/`id`), then the country (MY, BN,
   SG -> ms; ID -> id), then words found in only one of them (boleh, sahaja,
   percuma, wang… vs bisa, saja, gratis, uang…). If none decides -> None, so
   the caller asks the person rather than guessing.

`hint` is a supported locale or a Telegram `language_code` ("en-US", "zh-hant").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

from babel.core import UnknownLocaleError

from locales.i18n import SUPPORTED_LOCALES, normalise_locale
from screening.han_variants import SIMPLIFIED_ONLY, TRADITIONAL_ONLY

# Only the first characters matter for the decision; long texts cost no more than this.
_SAMPLE_CHARS = 600
_MIN_LATIN_LETTERS = 12
_SHORT_LATIN_LETTERS = 60
_LATIN_LOCALES = frozenset({"en", "id", "ms", "tl", "vi"})
_NON_LATIN_WEIGHT = 1.5
_HAN_HANGUL_WEIGHT = 3.0
_LANGDETECT_LOCALES = ("en", "id", "tl", "vi")

_SCRIPT_PATTERNS: dict[str, re.Pattern[str]] = {
    "th": re.compile(r"[\u0e01-\u0e4e]"),
    "lo": re.compile(r"[\u0e81-\u0edf]"),
    "km": re.compile(r"[\u1780-\u17d3\u19e0-\u19ff]"),
    "my": re.compile(r"[\u1000-\u103f\u1050-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]"),
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "hi": re.compile(r"[\u0900-\u0963\u0971-\u097f]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]"),
}
_ANY_NON_LATIN_RE = re.compile(
    "|".join(pattern.pattern for pattern in _SCRIPT_PATTERNS.values())
)
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_VIETNAMESE_RE = re.compile(
    r"[ơưăđƠƯĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]"
)
_WORD_RE = re.compile(r"[a-z]+")
_COMBINING_MARK_RE = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff]")
# Links, handles, emails and app or currency names are Latin in every language's chat, so
# they do not count as Latin-script text when weighing scripts.
_ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9_.:/%?=&+~@-]+")
_ASCII_WORD_RE = re.compile(r"[A-Za-z]+")
_DOTTED_WORD_RE = re.compile(r"[A-Za-z0-9]\.[A-Za-z]")
_NON_ASCII_LATIN_RE = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
_HAN_WEIGHTED = frozenset({"han", "ko"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent words that are (nearly) unique to one language family in chat and job ads.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and you your are is to for with we our this that of have will can not be "
        "it what how job work salary please if they there from would about an was "
        "got thanks thank hello yes still much cool where when who"
    ),
    "malay": _words(
        "yang dan di ke dari ini itu untuk dengan tidak saya anda ada kerja gaji juga akan "
        "sudah belum apa kami kita sangat lagi atau jika hanya perlu mohon terima kasih bulan "
        "boleh bisa mau mahu nak tak sahaja saja uang wang tolong minta nombor nomor kat "
        "mana macam gimana bantu masih"
    ),
    "tl": _words(
        "ang mga sa ng na ay ako ikaw ka po opo hindi trabaho sahod para may kayo namin "
        "natin lang ba yung kung pero salamat magkano paano ito iyan dito kami sila siya "
        "naman nito nitong gusto kong oo sige ano saan"
    ),
    "vi": _words(
        "la va cua cho khong duoc lam viec nguoi toi ban cong ty luong thang tuyen dung "
        "nhan vien anh chi em minh nhe rat mot nhung voi cac tai"
    ),
}
_MALAY_ONLY = _words(
    "boleh sahaja percuma wang mahu nak awak kerana pejabat jawatan kosong sila "
    "sebarang bagi kini baharu kat nombor macam"
)
_INDONESIAN_ONLY = _words(
    "bisa saja gratis uang mau kamu karena kantor lowongan silakan "
    "banget gak nggak aja sih dong kok kak gimana nomor"
) - _MALAY_ONLY
_NOT_PROSE_WORDS = _words(
    "telegram whatsapp wechat line facebook tiktok messenger viber zalo usdt usd trc20 gmail "
    "admin online ok id hr vip cs it"
)
_MALAY_COUNTRIES = frozenset({"MY", "BN", "SG"})
_TRADITIONAL_COUNTRIES = frozenset({"TW", "HK", "MO"})

_factory_lock = threading.Lock()
_factory: object | None = None


def warm_up() -> None:
    """Load langdetect's profiles now (≈0.1 s) rather than on the first person's message."""
    _langdetect_factory()


def _langdetect_factory() -> object:
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from pathlib import Path

                import langdetect
                from langdetect.detector_factory import DetectorFactory

                profiles_dir = Path(langdetect.__file__).parent / "profiles"
                factory = DetectorFactory()
                factory.load_json_profile(
                    [(profiles_dir / code).read_text(encoding="utf-8")
                     for code in _LANGDETECT_LOCALES]
                )
                # Detector copies the factory's seed; 0 makes its random sampling repeatable.
                DetectorFactory.seed = 0
                factory.seed = 0
                _factory = factory
    return _factory


def _langdetect_probabilities(text: str) -> dict[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    detector = factory.create()  # type: ignore[attr-defined]
    detector.append(text)
    try:
        return {result.lang: result.prob for result in detector.get_probabilities()}
    except LangDetectException:
        return {}


def _normalise_hint(hint: str | None) -> str | None:
    if hint in SUPPORTED_LOCALES:
        return hint
    try:
        return normalise_locale(hint)
    except UnknownLocaleError:  # bot.i18n lets babel's error through for unknown tags ("xx")
        return None


def _count(pattern: re.Pattern[str], text: str) -> int:
    # Deleting the matches and comparing lengths runs in C without building a list.
    return len(text) - len(pattern.sub("", text))


def _prose_latin_letters(sample: str) -> int:
    """Latin letters outside links, handles, emails and app or currency names."""
    letters = _count(_NON_ASCII_LATIN_RE, sample)
    for token in _ASCII_TOKEN_RE.findall(sample):
        if "@" in token or "/" in token or _DOTTED_WORD_RE.search(token):
            continue
        letters += sum(len(word) for word in _ASCII_WORD_RE.findall(token)
                       if word.lower() not in _NOT_PROSE_WORDS)
    return letters


def _chinese_variant(sample: str, *, hint: str | None, country: str | None) -> str:
    # Distinct characters, counted by set intersection in C: enough to tell the two apart.
    simplified = len(SIMPLIFIED_ONLY.intersection(sample))
    traditional = len(TRADITIONAL_ONLY.intersection(sample))
    if simplified != traditional:
        return "zh_Hans" if simplified > traditional else "zh_Hant"
    if hint in ("zh_Hans", "zh_Hant"):
        return hint
    if country and country.upper() in _TRADITIONAL_COUNTRIES:
        return "zh_Hant"
    return "zh_Hans"


def _malay_or_indonesian(words: Iterable[str], *, hint: str | None, country: str | None) -> str | None:
    if hint in ("ms", "id"):
        return hint
    if country:
        if country.upper() in _MALAY_COUNTRIES:
            return "ms"
        if country.upper() == "ID":
            return "id"
    distinct = set(words)
    malay = len(_MALAY_ONLY & distinct)
    indonesian = len(_INDONESIAN_ONLY & distinct)
    if malay != indonesian:
        return "ms" if malay > indonesian else "id"
    return None


def _latin_language(sample: str, *, hint: str | None, country: str | None,
                    latin_letters: int) -> str | None:
    if _count(_VIETNAMESE_RE, sample) >= 2 or (
        latin_letters < _MIN_LATIN_LETTERS and _VIETNAMESE_RE.search(sample)
    ):
        return "vi"
    # Strip accents so unaccented and accented spellings count alike ("lương" -> "luong").
    plain = sample.lower() if sample.isascii() else _COMBINING_MARK_RE.sub(
        "", unicodedata.normalize("NFD", sample.lower())
    ).replace("đ", "d")
    words = set(_WORD_RE.findall(plain))
    # Distinct function words: a long ad repeating one word should not outvote the rest.
    scores = {family: len(vocabulary & words)
              for family, vocabulary in _FUNCTION_WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    family: str | None = None
    if best_score >= 2 and best_score >= 2 * second_score:
        family = best
    elif latin_letters < _MIN_LATIN_LETTERS or (
        hint in _LATIN_LOCALES and latin_letters < _SHORT_LATIN_LETTERS
    ):
        # Short chat lines defeat n-gram statistics; the person's own language (Telegram's
        # language_code) is then the better guess, as long as it is written in Latin script.
        return hint
    else:
        probabilities = _langdetect_probabilities(sample)
        if probabilities:
            family = max(probabilities, key=lambda code: probabilities[code])
            family = "malay" if family == "id" else family
    if family is None:
        return hint
    if family == "malay":
        if hint in ("ms", "id") or latin_letters >= _MIN_LATIN_LETTERS or best_score >= 2:
            return _malay_or_indonesian(words, hint=hint, country=country)
        return hint
    return family


def detect_language(text: str, *, hint: str | None = None, country: str | None = None) -> str | None:
    """The supported locale `text` is written in; `hint` (Telegram language_code) breaks ties."""
    normalised_hint = _normalise_hint(hint)
    if not text:
        return normalised_hint
    sample = text[:_SAMPLE_CHARS]
    if sample.isascii() or not _ANY_NON_LATIN_RE.search(sample):
        counts = dict.fromkeys(_SCRIPT_PATTERNS, 0)
    else:
        # Most texts use one or two scripts: a search that fails stops cheaply, so count
        # only the scripts that occur.
        counts = {script: _count(pattern, sample) if pattern.search(sample) else 0
                  for script, pattern in _SCRIPT_PATTERNS.items()}
    if any(counts.values()):
        latin_letters = _prose_latin_letters(sample)
    else:
        latin_letters = _count(_LATIN_LETTER_RE, sample)
        if latin_letters == 0:
            return normalised_hint  # emoji, digits, punctuation only
    kana, han = counts.pop("kana"), counts["han"]
    if kana and kana * 10 > kana + han:
        return None  # Japanese: not a shipped locale
    weighted = {
        script: count * (_HAN_HANGUL_WEIGHT if script in _HAN_WEIGHTED else _NON_LATIN_WEIGHT)
        for script, count in counts.items()
    }
    script, score = max(weighted.items(), key=lambda item: item[1])
    if score > 0 and score >= latin_letters:
        if script == "han":
            return _chinese_variant(sample, hint=normalised_hint, country=country)
        return script
    return _latin_language(sample, hint=normalised_hint, country=country,
                           latin_letters=latin_letters)
