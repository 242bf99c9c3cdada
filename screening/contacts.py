"""Find and normalise the contacts a recruiter or scammer leaves in a message.

`extract_contacts` returns each contact once, in text order, with its type, a
normalised value (two spellings of one contact give the same value: that is what
the report database matches on), the raw text and its span in the original text.

Normalised values:
- phone, whatsapp: E.164 (`+66812345678`); a number without `+`/`00` needs
  `default_region` (the person's country), otherwise it is not extracted.
- telegram: lower-case username without `@` (usernames are case-insensitive).
- line: lower-case LINE ID; official accounts keep their `@` (`@shop`).
- wechat: lower-case WeChat ID (only when labelled: "WeChat:", "微信", "VX", "wx"…).
- email: lower case.
- url: scheme-less, lower-case host without `www.`, path as written (paths are
  case-sensitive: short links), no trailing slash, no tracking parameters, no
  fragment; `domain` holds the registrable domain (Public Suffix List, private
  section included so `x.blogspot.com` is its own domain; the list is bundled with
  `publicsuffixlist`, nothing is downloaded).
- wallet_btc: base58 as written (case-sensitive) or bech32 in lower case;
  wallet_eth: lower case (display() gives the EIP-55 spelling); wallet_tron: as written.
Invalid candidates (bad checksum, impossible number, bad username) are dropped.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import phonenumbers
from publicsuffixlist import PublicSuffixList

from screening import wallets
from screening.textnorm import fold, lower_folded

ahocorasick_rs: Any
try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a dependency; without it each label word is searched
    ahocorasick_rs = None


class ContactType(StrEnum):
    PHONE = "phone"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    LINE = "line"
    WECHAT = "wechat"
    EMAIL = "email"
    URL = "url"
    WALLET_BTC = "wallet_btc"
    WALLET_ETH = "wallet_eth"
    WALLET_TRON = "wallet_tron"


@dataclass(frozen=True, slots=True)
class Contact:
    type: ContactType
    value: str
    raw: str
    span: tuple[int, int]
    domain: str | None = None
    # For a phone number: the app it was given for (whatsapp, viber, zalo, line, telegram, tel),
    # None when written plain. The number is one contact whatever the channel
    # (`screening.identity`); the channel is what the sighting records.
    channel: str | None = None

    def display(self) -> str:
        """How to show the contact back to a person (not for matching: use `value`)."""
        if self.type in (ContactType.PHONE, ContactType.WHATSAPP):
            return _international(self.value)
        if self.type is ContactType.TELEGRAM:
            return "@" + self.value
        if self.type is ContactType.WALLET_ETH:
            return wallets.eip55_checksum(self.value)
        return self.value


# A report walk shows its contacts at several steps (each from the stored draft: a new Contact),
# and one campaign's numbers come back in many messages; parsing and formatting a number costs
# ~50 us (phonenumbers), a cache hit well under 1.
@lru_cache(maxsize=4096)
def _international(value: str) -> str:
    """A phone number's international spelling (`+855 12 345 678`); the value itself if it
    does not parse."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- validation of single values -------------------------------------------------------------

# The ids each platform allows (a candidate of another shape is not that platform's id):
# - Telegram usernames: 5-32 characters, a-z, 0-9 and underscores, case-insensitive
#   (telegram.org/faq "Usernames and t.me"; core.telegram.org/api/usernames); not starting
#   with a digit or ending with "_" (Telegram refuses both).
# - LINE IDs: 4-20 characters, lower-case letters, digits, ".", "-" and "_" (LINE Help Center,
#   "Setting an ID"); official accounts' basic ids are written "@" + id.
# - WeChat IDs (微信号): 6-20 letters, digits, "_" and "-", starting with a letter (WeChat's
#   help: "可使用6-20个字母、数字、下划线和减号，必须以字母开头"; hacos.cn "WeChat ID Can be
#   Changed Finally!"); numbers (a QQ or phone number) are accepted too, as people write them.
_TELEGRAM_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]")
_LINE_ID_RE = re.compile(r"@?[a-z0-9._-]{4,20}")
_WECHAT_ID_RE = re.compile(r"[a-z][a-z0-9_-]{5,19}|\d{5,15}")
_DATA = Path(__file__).resolve().parent / "data"
# Everyday words (data/contact_words.json, from wordfreq; scripts/build_contact_words.py): after
# a platform's name they are words, not ids, only where the sentence goes on as prose
# ("WeChat: salaries in the range of RM5,000"; see WordAfterLabel).
_CONTACT_WORDS_FILE = _DATA / "contact_words.json"
# What says that the next word is an id: "ID" ("LINE ID:", "WeChat ID", "Telegram ID:"), 号/號
# ("微信号", WeChat's own word for its id), ไอดี (Thai "ID": "ไอดีไลน์", "ไลน์ไอดี").
_ID_MARK_RE = re.compile(r"(?<![A-Za-z])[Ii][Dd](?![A-Za-z])|号|號|ไอดี")
# Addresses only a government body can register (data/official_domains.json, with sources).
_OFFICIAL_DOMAINS_FILE = _DATA / "official_domains.json"
# Query parameters that only track where a click came from; they split one link into many.
_DATE_RE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "si", "ref_src", "ref_url", "mibextid",
})
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
_WHATSAPP_HOSTS = frozenset({"wa.me", "api.whatsapp.com", "whatsapp.com", "web.whatsapp.com"})


@cache
def _psl() -> PublicSuffixList:
    # Loads the list bundled with the package (offline); ~30 ms, so once.
    return PublicSuffixList()


@cache
def _contact_words() -> frozenset[str]:
    # ~40,000 words, ~20 ms: read once, and only when a labelled id is made of letters only.
    document = json.loads(_CONTACT_WORDS_FILE.read_text(encoding="utf-8"))
    words = document.get("words")
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise ValueError(f"{_CONTACT_WORDS_FILE.name}: 'words' must be a list of strings")
    return frozenset(words)


# Whether an everyday word after a platform's name is an id is decided by the SENTENCE, not by
# the word alone: recruiters' ids are often plain names or words ("LINE: jenny", "WeChat:
# sunshine", "Telegram: happy"), and a missed id is never checked against the reports, which is
# worse than a false read (the bot then says "no reports yet about salaries"). So a word is
# dropped only when the clause plainly goes on as prose after it, as in "WeChat: salaries in
# the range of RM5,000" or "IN LINE WITH THE LAW"; it is kept wherever it stands as an id does:
# at the end of the text, a line or a sentence, before punctuation (comma, semicolon, slash,
# bracket...), "or"/"and", another contact's label, a number or "@", before text of another
# script (Thai, Chinese after a Latin id), before a capitalised word (a new sentence, a name, a
# label), before a word that opens a new clause after a contact ("for details", "to apply",
# "call", "hubungi", "để được tư vấn"), and whenever it is written as an id ("ID", "@", 号/號,
# ไอดี). The word lists are data (data/contact_id_context.json, with sources).
_CONTACT_ID_CONTEXT_FILE = _DATA / "contact_id_context.json"
# The next word on the same line, after spaces only (any other character ends the id's clause).
_NEXT_WORD_RE = re.compile(r"[ \t\u00a0]+([^\W\d_][^\W_]*)")


def _is_latin_letter(char: str) -> bool:
    # Basic Latin to Latin Extended-B, IPA, and Latin Extended Additional (Vietnamese).
    return char.isalpha() and (ord(char) < 0x250 or 0x1E00 <= ord(char) < 0x1F00)


@dataclass(frozen=True, slots=True)
class WordAfterLabel:
    """Reads an everyday word after a messenger's name as prose or as an id, from the sentence
    it stands in (see the comment above): `is_prose` is true only when the clause goes on."""

    words: frozenset[str]  # everyday words (data/contact_words.json)
    separators: frozenset[str]  # "or", "and": another contact follows
    openers: frozenset[str]  # open a new clause after a contact: "for", "call", "để"
    labels: frozenset[str]  # another contact's label: "zalo", "tel", "wechat"
    continuers: frozenset[str]  # in capitals, say the clause goes on: "IN", "THE", "WITH"

    @classmethod
    @cache
    def load(cls) -> WordAfterLabel:
        document = json.loads(_CONTACT_ID_CONTEXT_FILE.read_text(encoding="utf-8"))

        def words_of(key: str) -> frozenset[str]:
            found = {word for lang, words in document[key].items() if lang != "about"
                     for word in words}
            if not found or any(not isinstance(word, str) or word != word.lower() or not word
                                for word in found):
                raise ValueError(f"{_CONTACT_ID_CONTEXT_FILE.name}: {key}: lower-case words")
            return frozenset(found)

        if not document.get("sources"):
            raise ValueError(f"{_CONTACT_ID_CONTEXT_FILE.name}: sources are missing")
        return cls(_contact_words(), words_of("separators"), words_of("clause_openers"),
                   words_of("labels"), words_of("continue_in_capitals"))

    def is_prose(self, candidate: str, label: str, after: str) -> bool:
        """Whether `candidate` (as written), read after the platform label `label` (the text from
        the label's start to the id) and followed by `after` (the text after it), is a word of
        the sentence rather than an id."""
        if candidate.startswith("@") or not (candidate.isascii() and candidate.isalpha()):
            return False  # not a word: "kk_hr88", "@shop"
        if "@" in label or _ID_MARK_RE.search(label):
            return False  # written as an id: "LINE ID: jenny", "微信号 summer"
        if candidate.lower() not in self.words:
            return False
        return self.goes_on(candidate, after)

    def goes_on(self, candidate: str, after: str) -> bool:
        """Whether the clause goes on as prose after `candidate` (see the comment above)."""
        match = _NEXT_WORD_RE.match(after)
        if match is None:
            return False  # end of text or line, punctuation, a number, "@"
        word = match.group(1)
        if not _is_latin_letter(word[0]):
            return False  # Thai, Chinese... after a Latin id
        lowered = word.lower()
        if lowered in self.separators or lowered in self.openers or lowered in self.labels:
            return False
        if word[0].islower():
            return True  # a further lower-case word of the same clause: "salaries in the"
        if candidate.isupper() and word.isupper():
            return lowered in self.continuers  # capitals: "SALARIES IN THE RANGE"
        return False  # a capitalised word: a new sentence, a name, a label


def _stands_as_id(match: re.Match[str], group: str, folded: str) -> bool:
    """Whether the id `group` of a label match stands as an id in its sentence, not as a word of
    it (WordAfterLabel): one reading for the Telegram, LINE and WeChat labels."""
    return not WordAfterLabel.load().is_prose(
        match.group(group), folded[match.start():match.start(group)],
        folded[match.end():match.end() + 48])


@dataclass(frozen=True, slots=True)
class OfficialDomain:
    """A second-level domain only a government body can register (`go.th`, `gov.ph`)."""

    suffix: str
    country: str
    what: str
    sources: tuple[str, ...]


@cache
def official_domains() -> tuple[OfficialDomain, ...]:
    """The government suffixes of data/official_domains.json, checked on load."""
    document = json.loads(_OFFICIAL_DOMAINS_FILE.read_text(encoding="utf-8"))
    found: list[OfficialDomain] = []
    for entry in document.get("suffixes", []):
        suffix, sources = entry.get("suffix"), entry.get("sources")
        if not isinstance(suffix, str) or suffix != suffix.lower().strip(".") or "." not in suffix:
            raise ValueError(f"{_OFFICIAL_DOMAINS_FILE.name}: bad suffix {suffix!r}")
        if not isinstance(sources, list) or not sources or not all(
                isinstance(source, str) and source for source in sources):
            raise ValueError(f"{_OFFICIAL_DOMAINS_FILE.name}: {suffix}: every suffix needs sources")
        found.append(OfficialDomain(suffix, str(entry.get("country", "")), str(entry.get("what", "")),
                                    tuple(sources)))
    return tuple(found)


def official_domain(contact: Contact) -> OfficialDomain | None:
    """The government suffix a web or email address is under (`doe.go.th`, `x@dmw.gov.ph`),
    or None. Such an address is an official one to check an offer with, not a recruiter's
    contact; it changes no screening level (a lure can link a ministry's site too)."""
    if contact.type is ContactType.URL:
        host = re.split(r"[/?:]", contact.value, maxsplit=1)[0]
    elif contact.type is ContactType.EMAIL:
        host = contact.value.rsplit("@", 1)[-1]
    else:
        return None
    return _official_suffix(host.lower().rstrip("."))


@lru_cache(maxsize=1024)
def _official_suffix(host: str) -> OfficialDomain | None:
    for official in official_domains():
        if host == official.suffix or host.endswith("." + official.suffix):
            return official
    return None


def is_valid_telegram_username(name: str) -> bool:
    """5-32 characters of letters, digits and `_`, starting with a letter, not ending in `_`."""
    return _TELEGRAM_USERNAME_RE.fullmatch(name) is not None


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str | None:
    """`a.b.example.co.uk` -> `example.co.uk`; an IP address is its own domain; None if unknown TLD."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    if _psl().publicsuffix(host, accept_unknown=False) is None:
        return None
    return _psl().privatesuffix(host, accept_unknown=False)


@lru_cache(maxsize=4096)
def _has_known_tld(host: str) -> bool:
    return _psl().publicsuffix(host, accept_unknown=False) is not None


@lru_cache(maxsize=4096)  # the same numbers recur across messages; parsing costs ~50 µs
def normalise_phone(raw: str, *, default_region: str | None) -> str | None:
    """E.164 of a valid number, or None. A leading `00` is read as the international prefix."""
    candidate = fold(raw).strip()
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    region = default_region.upper() if default_region else None
    if not candidate.startswith("+") and region is None:
        return None
    if _DATE_RE.fullmatch(candidate):
        return None
    if not candidate.startswith("+") and region is not None:
        # Where local numbers are written with the trunk prefix 0 ("081…" in Thailand, as in
        # all of South-East Asia), a run of digits without it is more likely an amount, date
        # or id than a phone number. (North American numbers are written without their "1".)
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        trunk_prefix = metadata.national_prefix if metadata is not None else None
        if trunk_prefix == "0" and not candidate.lstrip("(").startswith("0"):
            return None
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_url(raw: str) -> tuple[str, str] | None:
    """(`host/path?query`, host) for a web address, or None if it has no usable host."""
    text = raw.strip()
    text = re.sub(r"^hxxp", "http", text, flags=re.IGNORECASE)  # defanged links in warnings
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    port_part = f":{port}" if port not in (None, 80, 443) else ""
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    path = path.rstrip("/")
    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith("utm_")
    ]
    query = "?" + urlencode(query_pairs, quote_via=quote) if query_pairs else ""
    return host + port_part + path + query, host


def _url_contact(raw: str, span: tuple[int, int], *, default_region: str | None) -> Contact | None:
    """A link, as the most specific contact it names (Telegram, WhatsApp, LINE) or as a URL."""
    found = _link_target(raw, default_region=default_region)
    if found is None:
        return None
    contact_type, value, domain, channel = found
    return Contact(contact_type, value, raw, span, domain=domain, channel=channel)


@lru_cache(maxsize=4096)
def _link_target(raw: str, *, default_region: str | None
                 ) -> tuple[ContactType, str, str | None, str | None] | None:
    """(type, value, domain, channel) of a link; cached since the same links recur."""
    contact = _classify_link(raw, default_region=default_region)
    return None if contact is None else (contact.type, contact.value, contact.domain,
                                         contact.channel)


def _classify_link(raw: str, *, default_region: str | None) -> Contact | None:
    span = (0, len(raw))
    normalised = normalise_url(raw)
    if normalised is None:
        return None
    value, host = normalised
    path = value[len(host):].split("?", 1)[0]
    segments = [segment for segment in path.split("/") if segment]
    if host in _TELEGRAM_HOSTS and segments and re.fullmatch(r"\+\d{6,15}", segments[0]):
        # `t.me/+85597…` opens a Telegram chat with a phone number (invite hashes have letters).
        phone = normalise_phone(segments[0], default_region=None)
        if phone is not None:
            return Contact(ContactType.PHONE, phone, raw, span, channel="telegram")
    if host == "zalo.me" and segments and re.fullmatch(r"\+?\d{8,15}", segments[0]):
        # Zalo links carry a Vietnamese number, locally written (`zalo.me/0912…`) or with 84.
        digits = segments[0]
        phone = normalise_phone(digits, default_region="VN") if digits.startswith("0") \
            else normalise_phone("+" + digits.lstrip("+"), default_region=None)
        if phone is not None:
            return Contact(ContactType.PHONE, phone, raw, span, channel="zalo")
    if host in _TELEGRAM_HOSTS and segments:
        first = segments[1] if segments[0] == "s" and len(segments) > 1 else segments[0]
        # `t.me/+hash` and `t.me/joinchat/hash` are invite links, not usernames: keep as URL.
        if is_valid_telegram_username(first) and first.lower() != "joinchat":
            return Contact(ContactType.TELEGRAM, first.lower(), raw, span)
    if host in _WHATSAPP_HOSTS:
        phone_digits = None
        if host == "wa.me" and segments and re.fullmatch(r"\+?\d{6,15}", segments[0]):
            phone_digits = segments[0]
        else:
            query = dict(parse_qsl(urlsplit("http://" + value).query))
            if re.fullmatch(r"\+?\d{6,15}", query.get("phone", "")):
                phone_digits = query["phone"]
        if phone_digits is not None:
            phone = normalise_phone("+" + phone_digits.lstrip("+"), default_region=None)
            if phone is None:
                return None
            return Contact(ContactType.WHATSAPP, phone, raw, span)
    if host == "line.me" and len(segments) >= 3:
        tail = segments[-1]
        if segments[-3:-1] == ["ti", "p"] and tail[:1] in ("~", "@"):
            line_id = (tail[1:] if tail.startswith("~") else tail).lower()
            if _LINE_ID_RE.fullmatch(line_id):
                return Contact(ContactType.LINE, line_id, raw, span)
    return Contact(ContactType.URL, value, raw, span, domain=registrable_domain(host))


# --- extraction from free text ---------------------------------------------------------------

_URL_RE = re.compile(
    r"""(?<![A-Za-z0-9@._%+-])
    (?P<scheme>(?:https?|hxxps?)://)?
    (?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\.?)
    (?::\d{2,5})?
    (?:[/?#][A-Za-z0-9!#$%&()*+,\-./:;=?@_~]*)?
    """,
    re.VERBOSE,
)
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
_TELEGRAM_HANDLE_RE = re.compile(
    r"(?<![A-Za-z0-9_.@/~])@(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_@]|\.[A-Za-z])"
)
def _any_case(word: str) -> str:
    """`line` -> `[Ll][Ii][Nn][Ee]`: case-insensitive without (?i), so that `re` can skip
    quickly to the positions where a label's first letter occurs."""
    return "".join(f"[{char.upper()}{char.lower()}]" if char.isalpha() else re.escape(char)
                   for char in word)


# Label regexes start with the label itself; that an ASCII label is not glued to a previous
# letter ("online") is checked by `_label_matches`, not by a look-behind, which would make
# `re` try every position of the text.
_TELEGRAM_LABEL_RE = re.compile(
    rf"(?:{_any_case('tele')}(?:{_any_case('gram')})?|{_any_case('tg')}|เทเลแกรม|電報|电报|Телеграм)"
    rf"\s*(?:{_any_case('id')})?\s*[:：]\s*@?(?P<name>[A-Za-z][A-Za-z0-9_]{{3,31}})(?![A-Za-z0-9_])"
)
# "line" is an English word, so lower-case "line" needs a colon; "LINE", "Line ID" and the
# Thai name of the app (ไลน์) are unambiguous labels.
_LINE_LABEL_RE = re.compile(
    rf"(?:(?:LINE|Line|line)(?:\s*{_any_case('id')})?\s*[:：=]|{_any_case('line')}\s*{_any_case('id')}"
    r"|LINE(?=\s)|ไอดีไลน์|ไลน์(?:\s*ไอดี)?|ລາຍ)"
    # The id never takes a final "." ("Add LINE: jenny. Salary ..."): LINE allows dots inside an
    # id, but at the end of one it is the sentence's full stop far more often than the id's.
    r"\s*[:：=]?\s*(?P<id>@?[A-Za-z0-9._-]{3,19}[A-Za-z0-9_-])(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])"
)
_WECHAT_LABEL_RE = re.compile(
    rf"(?:{_any_case('we')}\s?{_any_case('chat')}(?:\s*{_any_case('id')})?|{_any_case('weixin')}"
    rf"|{_any_case('vx')}|{_any_case('wx')}|[Vv]信|微信号?|微信號|薇信|威信)"
    r"\s*[:：]?\s*(?P<id>[A-Za-z][A-Za-z0-9_-]{5,19}|\d{5,15})(?![A-Za-z0-9_-])"
)
_WHATSAPP_LABEL_RE = re.compile(
    rf"(?:{_any_case('whats')}\s?{_any_case('app')}|{_any_case('watsap')}|{_any_case('wasap')}"
    r"|WA(?![A-Za-z])|วอทส์แอพ|วอทแอป)"
    r"\s*[:：]?\s*(?P<number>\+?\(?\d[\d \t().-]{5,22}\d)(?!\d)"
)


# "@vx12345" is a handle, "online:" a word, "t.me/wx..." a link: not labels.
_NOT_BEFORE_LABEL = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@./"
)


def _next_start(lowered: str, starts: tuple[str, ...], position: int, upcoming: list[int]) -> int:
    """Where the first of `starts` occurs in `lowered` at or after `position`, or -1.

    `upcoming[i]` is where starts[i] occurs at or after the previous position asked (-1: not
    further on), updated here: positions only grow, so a word is looked for again only once
    passed (each `find` scans the rest of the text; most words do not occur at all)."""
    found = -1
    for index, start in enumerate(starts):
        at = upcoming[index]
        if 0 <= at < position:
            at = upcoming[index] = lowered.find(start, position)
        if at >= 0 and (found < 0 or at < found):
            found = at
    return found


def _label_matches(pattern: re.Pattern[str], text: str, lowered: str | None = None,
                   starts: tuple[str, ...] = ()) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, skipping ASCII labels glued to a word, handle or link.

    With `starts` (every match of `pattern` begins with one of them, lower case, found in
    `lowered`, the lower-cased `text` with the same positions), the pattern is tried only
    where one of them occurs, in text order: the matches are the same as a search finds (it
    tries the same positions in the same order, and no other can match), without scanning the
    text between labels ("telegram" in prose, no colon after it, costed ~30 µs per 2 KB).
    """
    position = 0
    upcoming = [lowered.find(start) for start in starts] if lowered is not None else []
    while True:
        if lowered is not None:
            position = _next_start(lowered, starts, position, upcoming)
            if position < 0:
                return
            match = pattern.match(text, position)
            if match is None:
                position += 1
                continue
        else:
            match = pattern.search(text, position)
            if match is None:
                return
        start = match.start()
        if start > 0 and text[start].isascii() and text[start].isalpha() \
                and text[start - 1] in _NOT_BEFORE_LABEL:
            position = start + 1
            continue
        yield match
        position = match.end()


# Up to 40 characters so that two or three numbers written one after the other are one
# candidate, split again below, rather than cut at an arbitrary digit. Searched in folded text
# (`textnorm.fold`), where every digit of the BMP is ASCII: `re` skips to a "+", "(" or ASCII
# digit with a bitmap, 2-3 times faster than testing every character for `\d` (a Unicode
# look-up); a character beyond the BMP (emoji, or one of the few digits there) stops the skip
# and the look-behind keeps it only if it is a digit. Same matches as r"[+(\d][\d \t().-]…".
_PHONE_CANDIDATE_RE = re.compile(r"[+(0-9\U00010000-\U0010ffff](?<=[+(\d])[\d \t().-]{5,39}\d(?!\d)")
_NOT_BEFORE_PHONE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+")
# Words that must occur (lower case) before a label regex is worth running.
_TELEGRAM_LABELS = ("tele", "tg", "เทเลแกรม", "電報", "电报", "телеграм")
_LINE_LABELS = ("line", "ไลน์", "ລາຍ")
# What every match of _TELEGRAM_LABEL_RE and _LINE_LABEL_RE begins with, lower-cased (the Thai
# "ไอดีไลน์" is "LINE ID" with the ID first).
_TELEGRAM_LABEL_STARTS = ("tele", "tg", "เทเลแกรม", "電報", "电报", "телеграм")
_LINE_LABEL_STARTS = ("line", "ไอดีไลน์", "ไลน์", "ລາຍ")
# And of _WECHAT_LABEL_RE ("we" begins "we chat", "wechat" and "weixin") and _WHATSAPP_LABEL_RE
# ("wa" begins "watsap", "wasap" and "WA"): searching those, whose alternatives begin with a
# class ("[Ww]"), tries every position of the text (~80 µs per 2 KB with "WA" in it).
_WECHAT_LABEL_STARTS = ("we", "vx", "wx", "v信", "微信", "薇信", "威信")
_WHATSAPP_LABEL_STARTS = ("whats", "wa", "วอทส์แอพ", "วอทแอป")
_WECHAT_LABELS = ("we chat", "wechat", "weixin", "vx", "wx", "v信", "微信", "薇信", "威信")
_WHATSAPP_LABELS = ("whats", "watsap", "wasap", "วอทส์แอพ", "วอทแอป")
# Wallet addresses are whole runs of ASCII letters and digits, 26 characters or more (the
# shortest base58 address; real SegWit addresses are 42+, the shortest legal bech32 strings are
# not worth the false hits), read by the shapes below.
_BTC_BASE58_RE = re.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}")
_BTC_BECH32_RE = re.compile(r"bc1[02-9ac-hj-np-z]{6,87}|BC1[02-9AC-HJ-NP-Z]{6,87}")
_EVM_RE = re.compile(r"0[xX][0-9a-fA-F]{40}")
_TRON_RE = re.compile(r"T[1-9A-HJ-NP-Za-km-z]{33}")
# Such runs (r"[A-Za-z0-9]{26,}") that can be an address: those beginning with a character a
# shape above allows first: 1 or 3, b or B, 0, T (tests/screening/test_contacts.py checks this
# against the shapes). Searched in the whole text, not piece by piece: a run never holds
# whitespace. Written with a class first, so that `re` skips with a bitmap to where a match can
# start; the look-behind (behind that first character) keeps only a run's start. Same runs as
# splitting the text to search its 26-character pieces, at about a quarter of the cost.
_WALLET_RUN_RE = re.compile(r"[013BTb](?<![A-Za-z0-9].)[A-Za-z0-9]{25,}")
# The non-whitespace either side of a "." or "@" (see _chunks).
_NON_SPACE_RUN_RE = re.compile(r"\S*")
# What can follow a link's "." (see _chunks); "" (the text's end) is not in it.
_HOST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_TRAILING_PUNCTUATION = ".,;:!?'\"*"


@dataclass(frozen=True, slots=True)
class _Candidate:
    priority: int  # lower wins when two candidates overlap
    contact: Contact


def _trim_url_end(raw: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that ended up after a link."""
    while raw:
        last = raw[-1]
        unbalanced_bracket = last == ")" and raw.count("(") < raw.count(")")
        if last in _TRAILING_PUNCTUATION or unbalanced_bracket:
            raw = raw[:-1]
        else:
            break
    return raw


def _chunks(folded: str) -> list[tuple[int, str]]:
    """Whitespace-separated pieces that can hold a link, email or handle, with offsets.

    Links, emails and handles never contain spaces, so searching these few pieces instead of
    the whole text saves most of the regex work on ordinary prose. Links need a "."; emails
    and handles an "@". The pieces are found from their marks: from each "." or "@" not in a
    piece already found, the non-whitespace either side (the text before it read backwards in a
    reversed copy). Splitting the text made a string per word (~350 in 2 KB) for ~7 of them.

    A "." not followed by an ASCII letter or digit (a sentence's end, "...") starts no piece:
    every link has a "." followed by one (`_URL_RE`'s host), and emails and handles an "@", so
    a piece without either can hold nothing the readers of pieces find. The pieces kept are
    the same maximal runs as before; a 2 KB offer ends ~20 sentences with a ".".
    """
    found: list[tuple[int, str]] = []
    marks = ".@" if "@" in folded else "."
    at = _first_of(folded, marks, 0)
    if at < 0:
        return found
    length = len(folded)
    backwards = ""
    while at >= 0:
        if folded[at] == "." and folded[at + 1:at + 2] not in _HOST_CHARS:
            at = _first_of(folded, marks, at + 1)
            continue
        if not backwards:
            backwards = folded[::-1]
        before = _NON_SPACE_RUN_RE.match(backwards, length - at)
        after = _NON_SPACE_RUN_RE.match(folded, at)
        assert before is not None and after is not None  # r"\S*" matches everywhere
        start, end = length - before.end(), after.end()
        found.append((start, folded[start:end]))
        at = _first_of(folded, marks, end)
    return found


def _first_of(text: str, marks: str, position: int) -> int:
    """Where the first of the characters `marks` is in `text` from `position`, or -1: one
    `str.find` per mark (a fast scan in C; a regex search tests every character's class)."""
    first = -1
    for mark in marks:
        at = text.find(mark, position)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


def _url_candidates(original: str, chunks: list[tuple[int, str]],
                    default_region: str | None) -> Iterator[_Candidate]:
    for offset, chunk in chunks:
        if "." not in chunk:
            continue
        for match in _URL_RE.finditer(chunk):
            has_scheme = match.group("scheme") is not None
            host = match.group("host").rstrip(".").lower()
            if not has_scheme and not _has_known_tld(host):
                continue  # "file.txt", "e.g", "version1.2" are not links
            start = offset + match.start()
            end = start + len(_trim_url_end(match.group()))
            if has_scheme and chunk[match.end():match.end() + 1] == "@":
                # "http://dmw.gov.ph@example.com/": what stands before "@" is a user name, the
                # link opens example.com (a way to dress a link up as an official one).
                end = start + len(_trim_url_end(chunk[match.start():]))
            contact = _url_contact(original[start:end], (start, end), default_region=default_region)
            if contact is not None:
                # A link with a scheme outranks an email inside it; a bare domain does not.
                yield _Candidate(0 if has_scheme else 2, contact)


def _email_candidates(original: str, chunks: list[tuple[int, str]]) -> Iterator[_Candidate]:
    for offset, chunk in chunks:
        if "@" not in chunk:
            continue
        for match in _EMAIL_RE.finditer(chunk):
            domain = registrable_domain(match.group().rsplit("@", 1)[1].lower())
            if domain is None:
                continue
            start, end = offset + match.start(), offset + match.end()
            yield _Candidate(1, Contact(ContactType.EMAIL, match.group().lower(),
                                        original[start:end], (start, end), domain=domain))


def _telegram_candidates(original: str, folded: str, lowered: str, chunks: list[tuple[int, str]],
                         labels: frozenset[str], words_as_ids: bool = False) -> Iterator[_Candidate]:
    if not labels.isdisjoint(_TELEGRAM_LABELS):
        for match in _label_matches(_TELEGRAM_LABEL_RE, folded, lowered, _TELEGRAM_LABEL_STARTS):
            name = match.group("name")
            if is_valid_telegram_username(name) and (words_as_ids or _stands_as_id(match, "name", folded)):
                start, end = match.span("name")
                yield _Candidate(1, Contact(ContactType.TELEGRAM, name.lower(),
                                            original[start:end], (start, end)))
    for offset, chunk in chunks:
        if "@" not in chunk:
            continue
        for match in _TELEGRAM_HANDLE_RE.finditer(chunk):
            name = match.group("name")
            if is_valid_telegram_username(name):
                start, end = offset + match.start(), offset + match.end()
                yield _Candidate(3, Contact(ContactType.TELEGRAM, name.lower(),
                                            original[start:end], (start, end)))


def _has_label(lowered: str, labels: tuple[str, ...]) -> bool:
    """Whether a label word occurs, an ASCII one not glued to a preceding letter ("online")."""
    for label in labels:
        position = lowered.find(label)
        while position >= 0:
            if not label.isascii() or position == 0 or not lowered[position - 1].isalpha():
                return True
            position = lowered.find(label, position + 1)
    return False


_LABEL_WORDS = tuple(dict.fromkeys(
    (*_TELEGRAM_LABELS, *_LINE_LABELS, *_WECHAT_LABELS, *_WHATSAPP_LABELS)))
# Every occurrence of every label word in one pass (~10 µs per 2 KB) instead of a `find` per
# word (~30 µs: `find` of an ASCII word in a non-ASCII text is slow).
_LABEL_AUTOMATON: Any = (ahocorasick_rs.AhoCorasick(list(_LABEL_WORDS))
                         if ahocorasick_rs is not None else None)


def _labels_present(lowered: str) -> frozenset[str]:
    """The label words for which `_has_label` holds: those occurring as labels."""
    if _LABEL_AUTOMATON is None:  # pragma: no cover - ahocorasick_rs is a dependency
        return frozenset(word for word in _LABEL_WORDS if _has_label(lowered, (word,)))
    found: set[str] = set()
    for index, start, _end in _LABEL_AUTOMATON.find_matches_as_indexes(lowered, overlapping=True):
        word = _LABEL_WORDS[index]
        if not word.isascii() or start == 0 or not lowered[start - 1].isalpha():
            found.add(word)
    return frozenset(found)


def _labelled_candidates(
    original: str, folded: str, lowered: str, default_region: str | None, labels: frozenset[str],
    words_as_ids: bool = False,
) -> Iterator[_Candidate]:
    # Each label regex is only run when one of its label words occurs: the regexes start
    # with look-behinds, which make Python scan every position of the text.
    if not labels.isdisjoint(_LINE_LABELS):
        for match in _label_matches(_LINE_LABEL_RE, folded, lowered, _LINE_LABEL_STARTS):
            line_id = match.group("id").lower()
            if _LINE_ID_RE.fullmatch(line_id) and re.search(r"[a-z0-9]", line_id) \
                    and (words_as_ids or _stands_as_id(match, "id", folded)):
                start, end = match.span("id")
                yield _Candidate(1, Contact(ContactType.LINE, line_id, original[start:end],
                                            (start, end)))
    if not labels.isdisjoint(_WECHAT_LABELS):
        for match in _label_matches(_WECHAT_LABEL_RE, folded, lowered, _WECHAT_LABEL_STARTS):
            wechat_id = match.group("id").lower()
            if _WECHAT_ID_RE.fullmatch(wechat_id) and (words_as_ids or _stands_as_id(match, "id", folded)):
                start, end = match.span("id")
                yield _Candidate(1, Contact(ContactType.WECHAT, wechat_id, original[start:end],
                                            (start, end)))
    if "WA" in folded or not labels.isdisjoint(_WHATSAPP_LABELS):
        for match in _label_matches(_WHATSAPP_LABEL_RE, folded, lowered, _WHATSAPP_LABEL_STARTS):
            phone = normalise_phone(match.group("number"), default_region=default_region)
            if phone is not None:
                start, end = match.span("number")
                yield _Candidate(1, Contact(ContactType.WHATSAPP, phone, original[start:end],
                                            (start, end)))


def _wallet_candidates(original: str, folded: str) -> Iterator[_Candidate]:
    checks: tuple[tuple[re.Pattern[str], ContactType, Callable[[str], bool]], ...] = (
        (_BTC_BASE58_RE, ContactType.WALLET_BTC, wallets.is_valid_bitcoin_base58),
        (_BTC_BECH32_RE, ContactType.WALLET_BTC, wallets.is_valid_segwit),
        (_EVM_RE, ContactType.WALLET_ETH, wallets.is_valid_evm),
        (_TRON_RE, ContactType.WALLET_TRON, wallets.is_valid_tron),
    )
    for run in _WALLET_RUN_RE.finditer(folded):
        address = run.group()
        for shape, contact_type, is_valid in checks:
            if not shape.fullmatch(address) or not is_valid(address):
                continue
            value = address
            if contact_type is ContactType.WALLET_ETH or address[:3].lower() == "bc1":
                value = address.lower()
            start, end = run.span()
            yield _Candidate(0, Contact(contact_type, value, original[start:end], (start, end)))
            break


# The app a number is given for, named just before it ("Viber: +855…", "Zalo 0912…", "tel:").
_CHANNEL_BEFORE_RE = re.compile(
    r"(whats\s?app|watsap|wasap|wa|วอทส์แอพ|วอทแอป|viber|zalo|line|ไลน์|telegram|tele|tg|tel)"
    r"\W{0,3}(?:id\W{0,3})?$")
_CHANNEL_NAMES = {"whatsapp": "whatsapp", "whats app": "whatsapp", "watsap": "whatsapp",
                  "wasap": "whatsapp", "wa": "whatsapp", "วอทส์แอพ": "whatsapp",
                  "วอทแอป": "whatsapp", "viber": "viber", "zalo": "zalo", "line": "line",
                  "ไลน์": "line", "telegram": "telegram", "tele": "telegram", "tg": "telegram",
                  "tel": "tel"}
_VIBER_LINK_RE = re.compile(
    r"viber://(?:chat|add|contact)\?number=(?:%2[Bb]|\+)?(?P<digits>\d{6,15})")


def _channel_before(lowered: str, start: int) -> str | None:
    """The channel label right before a number (up to a few characters of punctuation)."""
    before = lowered[max(0, start - 16):start]
    match = _CHANNEL_BEFORE_RE.search(before)
    if match is None:
        return None
    label = match.group(1)
    label_start = start - len(before) + match.start(1)
    if label.isascii() and label_start > 0 and lowered[label_start - 1].isalpha():
        return None  # "online 0912…", "hotel 0912…": a word, not a label
    return _CHANNEL_NAMES.get(label)


def _viber_candidates(original: str, folded: str) -> Iterator[_Candidate]:
    if "viber://" not in folded:
        return
    for match in _VIBER_LINK_RE.finditer(folded):
        phone = normalise_phone("+" + match.group("digits"), default_region=None)
        if phone is not None:
            start, end = match.span()
            yield _Candidate(0, Contact(ContactType.PHONE, phone, original[start:end], (start, end),
                                        channel="viber"))


def _phone_candidates(original: str, folded: str, default_region: str | None) -> Iterator[_Candidate]:
    position = 0
    while (match := _PHONE_CANDIDATE_RE.search(folded, position)) is not None:
        start, end = match.span()
        # The look-behind, done by hand so that the regex starts with a character class
        # (which Python skips to quickly): no number glued to letters, digits or a "+".
        if start > 0 and folded[start - 1] in _NOT_BEFORE_PHONE:
            position = start + 1
            continue
        position = end
        yield from _phones_in(match.group(), start, original, default_region)


def _phones_in(candidate: str, start: int, original: str,
               default_region: str | None) -> Iterator[_Candidate]:
    phone = normalise_phone(candidate, default_region=default_region)
    if phone is not None:
        end = start + len(candidate)
        yield _Candidate(4, Contact(ContactType.PHONE, phone, original[start:end], (start, end)))
        return
    # Several numbers separated only by spaces form one candidate: split it at spaces,
    # taking the longest run of groups that is a valid number, left to right.
    groups = [(group.start(), group.end()) for group in re.finditer(r"\S+", candidate)]
    index = 0
    while index < len(groups) and len(groups) > 1:
        for last in range(len(groups) - 1, index - 1, -1):
            piece_start, piece_end = groups[index][0], groups[last][1]
            if last == len(groups) - 1 and index == 0:
                continue  # the whole candidate, already rejected
            phone = normalise_phone(candidate[piece_start:piece_end], default_region=default_region)
            if phone is not None:
                span = (start + piece_start, start + piece_end)
                yield _Candidate(4, Contact(ContactType.PHONE, phone,
                                            original[span[0]:span[1]], span))
                index = last
                break
        index += 1


def extract_contacts(text: str, *, default_region: str | None = None) -> list[Contact]:
    """Every valid contact in `text`, each (type, value) once, in order of first appearance.

    `default_region` (ISO 3166 alpha-2, e.g. "TH") is how numbers without a country
    code are read; without it only international numbers (`+…`, `00…`) are found.
    """
    if not text:
        return []
    # One offer is read for contacts several times in one update (the region guess, the reply,
    # the assessment, the copy fingerprint), each ~0.1 ms for 2 KB: the last few readings are
    # remembered. Contacts are frozen, so each caller gets its own list of the same ones.
    return list(_contacts_in(text, default_region))


@lru_cache(maxsize=8)
def _contacts_in(text: str, default_region: str | None,
                 words_as_ids: bool = False) -> tuple[Contact, ...]:
    folded = fold(text)
    lowered = lower_folded(folded)  # shared with the money reader, which lowers the same text
    if len(lowered) != len(folded):  # a few characters lengthen when lower-cased (İ)
        lowered = "".join(char.lower()[:1] for char in folded)
    chunks = _chunks(folded)
    labels = _labels_present(lowered)
    candidates: list[_Candidate] = [
        *_wallet_candidates(text, folded),
        *_url_candidates(text, chunks, default_region),
        *_email_candidates(text, chunks),
        *_telegram_candidates(text, folded, lowered, chunks, labels, words_as_ids),
        *_labelled_candidates(text, folded, lowered, default_region, labels, words_as_ids),
        *_phone_candidates(text, folded, default_region),
        *_viber_candidates(text, folded),
    ]
    candidates.sort(key=lambda candidate: (candidate.priority, candidate.contact.span[0]))
    taken: list[tuple[int, int]] = []
    accepted: list[Contact] = []
    for candidate in candidates:
        start, end = candidate.contact.span
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        taken.append((start, end))
        accepted.append(candidate.contact)
    accepted.sort(key=lambda contact: contact.span[0])
    # One number is one contact whatever app it was given for (screening.identity): the first
    # sighting is kept, with its channel.
    seen: set[tuple[str, str]] = set()
    unique: list[Contact] = []
    for contact in accepted:
        if contact.type is ContactType.PHONE and contact.channel is None:
            found_channel = _channel_before(lowered, contact.span[0])
            if found_channel is not None:
                contact = replace(contact, channel=found_channel)
        phone_like = contact.type in (ContactType.PHONE, ContactType.WHATSAPP)
        key = ("phone" if phone_like else contact.type.value, contact.value)
        if key not in seen:
            seen.add(key)
            unique.append(contact)
    return tuple(unique)


def parse_contact(raw: str, *, default_region: str | None = None) -> Contact | None:
    """One contact a person typed in on its own (a number, handle, link, address), or None.

    More lenient than free-text extraction, because the person told us it is a contact: a
    bare run of 8+ digits without region is tried as an international number missing its `+`.
    A bare word is not a Telegram handle (`hello` is not `@hello`): see `bare_word_handle`.
    """
    stripped = raw.strip()
    if not stripped:
        return None
    offset = raw.index(stripped[0])
    # "WeChat: salaries" typed on its own is the id the person asks about: an everyday word
    # after a platform's name is only prose in a longer text.
    found = list(_contacts_in(stripped, default_region, words_as_ids=True))
    if found:
        best = max(found, key=lambda contact: contact.span[1] - contact.span[0])
        # Accept only if the contact is (nearly) all that was typed: "LINE: abc" or "@abc".
        if (best.span[1] - best.span[0]) * 2 >= len(stripped):
            start, end = best.span
            return Contact(best.type, best.value, best.raw, (start + offset, end + offset),
                           best.domain)
    span = (offset, offset + len(stripped))
    # "@name" is a handle; a bare word ("hello") is not: taking it for one would answer about
    # somebody else's account. `bare_word_handle` lets the caller ask "did you mean @hello?".
    if stripped.startswith("@") and is_valid_telegram_username(stripped[1:]):
        return Contact(ContactType.TELEGRAM, stripped[1:].lower(), stripped, span)
    digits_only = re.sub(r"[\s().-]", "", fold(stripped))
    if re.fullmatch(r"\d{8,15}", digits_only):
        phone = normalise_phone("+" + digits_only, default_region=None)
        if phone is not None:
            return Contact(ContactType.PHONE, phone, stripped, span)
    return None


def bare_word_handle(raw: str) -> str | None:
    """`hello` typed on its own, which would be a valid Telegram username with an `@`: the
    handle to suggest (`@hello`), never to look up unasked."""
    stripped = raw.strip()
    if is_valid_telegram_username(stripped):
        return "@" + stripped.lower()
    return None


def local_number_candidates(text: str) -> list[str]:
    """Numbers written the local way (trunk prefix 0, no country code) that no region was
    given to read: the person must be asked which country they are from, never ignored."""
    found: list[str] = []
    folded = fold(text)
    for match in _PHONE_CANDIDATE_RE.finditer(folded):
        start = match.start()
        if start > 0 and folded[start - 1] in _NOT_BEFORE_PHONE:
            continue
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        if candidate.lstrip("(").startswith("0") and not candidate.startswith("00") \
                and 9 <= len(digits) <= 12 and not _DATE_RE.fullmatch(candidate):
            found.append(text[start:match.end()].strip())
    return found
