"""Score a job offer (pasted text or questionnaire answers) against the red-flag rules.

Risk is the sum of the weights of the rules found (each rule counts once),
compared with the thresholds in the rules file: below `medium` -> low, then
medium, high, very_high. A rule marked `requires_job_context` counts only when
the `job_context` rule also matches (salary, position, apply, visa, recruiter…),
so a tourist asking about Sihanoukville beaches stays low. Questionnaire answers
are about a job offer by definition, so there every rule counts.

`FlagHit.message` and `Assessment.advice` are English msgids: translate them with
`t.gettext` where they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import cache
from typing import Any, Literal

from screening import advice, lure_model, money, places
from screening.contacts import Contact, extract_contacts
from screening.language import detect_language
from screening.questionnaire import Answer, Question, default_questions
from screening.rules import Conclusions, Rule, RuleSet, default_rules, normalise_for_matching

# Telegram messages are at most 4,096 characters; staff may paste longer pages. Beyond this
# many characters text is not matched, which bounds the time one message can cost.
MAX_MATCHED_CHARS = 20_000


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


@dataclass(frozen=True, slots=True)
class FlagHit:
    rule_id: str
    weight: int
    message: str
    # A combination of rules (its message speaks of several signs together), not one rule.
    combination: bool = False


# At most this many warning signs are listed, the strongest first: the reply is read on a phone,
# often in a hurry, and the first lines carry the level; past six lines people stop reading, and
# an offer that shows more is very high on its strongest six alone (thresholds: very high is 10).
# The rest is counted, not hidden ("…and 2 more").
MAX_WARNING_SIGNS = 6


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """What the reply lists under "Warning signs" (English msgids, `Assessment.warning_signs`)."""

    lines: list[str]
    more: int  # signs found but not listed (past MAX_WARNING_SIGNS)
    together: str | None  # the line saying that some of them complete a combination


@dataclass(frozen=True, slots=True)
class Assessment:
    risk: RiskLevel
    flags: list[FlagHit]
    contacts: list[Contact]
    language: str | None
    advice: list[str]
    score: int = 0
    job_context: bool = field(default=False)
    # Mitigating signs that lowered the level (a licence number, a named government programme):
    # explained to the person beside the warning signs, never counted as one.
    mitigations: list[FlagHit] = field(default_factory=list)
    # A rule that speaks of scam compounds was found ("compound" in red_flags.json): the summary,
    # the advice and the combination line speak of compounds only then.
    compound: bool = False
    # The context rules (weight 0: the job is abroad, a job was promised) that complete a
    # combination found: what a combination says beyond its weighted rules, as true as they are.
    context: list[FlagHit] = field(default_factory=list)

    def warning_signs(self) -> WarningSigns:
        """The warning signs to list, each true of the text and said once.

        Each line is the message of one rule found, the strongest first, then the context rules
        that complete a combination. A combination's own message is not listed: it names every
        alternative of its groups ("high pay or free travel and housing") and claims what no rule
        reads ("no skill or licence asked for"), while the rules that completed it are listed
        already; one line says instead that together they weigh more, and of compounds only where
        a rule that speaks of them was found. A line that says no more than another (the same
        message, or the start of a longer one: "The job is in another country." beside "The job
        is in another country than yours.") is left out."""
        found = sorted((hit for hit in self.flags if not hit.combination), key=lambda hit: -hit.weight)
        messages = [hit.message for hit in (*found, *self.context)]
        lines: list[str] = []
        for message in messages:
            stem = message.rstrip(".")
            if message in lines or any(other != message and other.startswith(stem) for other in messages):
                continue
            lines.append(message)
        combined = any(hit.combination for hit in self.flags)
        together = (advice.TOGETHER_COMPOUND if self.compound else advice.TOGETHER_FAKE_JOB) \
            if combined else None
        return WarningSigns(lines[:MAX_WARNING_SIGNS], max(0, len(lines) - MAX_WARNING_SIGNS), together)

    @property
    def flag_ids(self) -> list[str]:
        return [flag.rule_id for flag in self.flags]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (used by the command line and by staff exports)."""
        return {
            "risk": self.risk.value,
            "score": self.score,
            "language": self.language,
            "job_context": self.job_context,
            "flags": [{"id": flag.rule_id, "weight": flag.weight, "message": flag.message}
                      for flag in self.flags],
            "contacts": [{"type": contact.type.value, "value": contact.value,
                          "display": contact.display(), "raw": contact.raw,
                          "span": list(contact.span), "domain": contact.domain}
                         for contact in self.contacts],
            "advice": list(self.advice),
            "mitigations": [{"id": hit.rule_id, "message": hit.message} for hit in self.mitigations],
        }


_ADVICE_BY_RISK: dict[RiskLevel, tuple[str, ...]] = {
    RiskLevel.LOW: (advice.SUMMARY_LOW, *advice.REMAINING_CHECKS),
    RiskLevel.MEDIUM: (
        advice.SUMMARY_MEDIUM, advice.CHECK_LICENCE, advice.CHECK_COMPANY, advice.CHECK_CONTRACT,
        advice.CHECK_WORK_VISA, advice.CHECK_NO_FEES, advice.CHECK_PASSPORT, advice.ACT_REPORT,
    ),
    RiskLevel.HIGH: (
        advice.SUMMARY_HIGH, advice.ACT_DO_NOT_TRAVEL, advice.CHECK_NO_FEES,
        advice.CHECK_PASSPORT, advice.ACT_REPORT,
    ),
    RiskLevel.VERY_HIGH: (
        advice.SUMMARY_VERY_HIGH, advice.ACT_DO_NOT_TRAVEL, advice.ACT_CALL_HOTLINE,
        advice.ACT_REPORT,
    ),
}
# High and very high where no rule that speaks of compounds was found: a fake job or illegal
# recruitment (fees, no licence, false promises), with no word of compounds or border towns.
_FAKE_JOB_ADVICE: dict[RiskLevel, tuple[str, ...]] = {
    RiskLevel.HIGH: (
        advice.SUMMARY_HIGH_FAKE_JOB, advice.CHECK_NO_FEES, advice.CHECK_LICENCE,
        advice.ACT_FALSE_PROMISES, advice.CHECK_PASSPORT, advice.ACT_REPORT,
    ),
    RiskLevel.VERY_HIGH: (
        advice.SUMMARY_VERY_HIGH_FAKE_JOB, advice.CHECK_NO_FEES, advice.CHECK_LICENCE,
        advice.ACT_FALSE_PROMISES, advice.ACT_CALL_HOTLINE, advice.ACT_REPORT,
    ),
}


def advice_for(risk: RiskLevel, *, compound: bool) -> list[str]:
    """The summary line and what to do, for a level and whether a rule that speaks of compounds
    was found (`Assessment.compound`)."""
    return list(_ADVICE_BY_RISK[risk] if compound else _FAKE_JOB_ADVICE.get(risk, _ADVICE_BY_RISK[risk]))


def raised_by_report(assessment: Assessment) -> Assessment:
    """The assessment of an ad very similar to one people reported: one level up, and at least
    high, with the summary and the advice of the level shown (not of the level before the raise).

    Raised to high, the signs of the text alone were fewer than "several": the summary says why
    the level is high (people reported a very similar ad), not that the text has several signs.
    Raised from high to very high, the text has those signs already, and the summary of very high
    holds. The flags and the score do not change: only the level and what is said about it."""
    risk = max(_LEVELS[min(_LEVELS.index(assessment.risk) + 1, len(_LEVELS) - 1)], RiskLevel.HIGH,
               key=_LEVELS.index)
    said = advice_for(risk, compound=assessment.compound)
    if risk == RiskLevel.HIGH:
        said = [advice.SUMMARY_REPORTED_AD, *said[1:]]
    return replace(assessment, risk=risk, advice=said)


def risk_for_score(score: int, rules: RuleSet) -> RiskLevel:
    thresholds = rules.thresholds
    if score >= thresholds.very_high:
        return RiskLevel.VERY_HIGH
    if score >= thresholds.high:
        return RiskLevel.HIGH
    if score >= thresholds.medium:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


_LEVELS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def _lowered(risk: RiskLevel, steps: int) -> RiskLevel:
    """`risk` lowered `steps` levels (a mitigating sign such as a recruitment licence), not below low."""
    return _LEVELS[max(0, _LEVELS.index(risk) - steps)] if steps else risk


@cache
def _flag_hit(rule_id: str, weight: int, message: str, combination: bool = False) -> FlagHit:
    """One FlagHit per distinct rule, made once: building a frozen dataclass costs ~1 µs, and an
    offer has ~15 flags. FlagHit is immutable, so sharing it between assessments is safe; the
    cache holds one entry per rule and combination of the rule files loaded."""
    return FlagHit(rule_id, weight, message, combination)


def _hits(rules_found: list[Rule], rules: RuleSet, conclusions: Conclusions | None = None) -> list[FlagHit]:
    """Each rule found, then each combination they complete (its own explained flag). A rule of
    weight 0 (the job is abroad) is context for combinations, not a warning sign: not listed.
    `conclusions` are `rules.conclusions(rules_found)` when the caller has them."""
    if conclusions is None:
        conclusions = rules.conclusions(rules_found)
    return ([_flag_hit(rule.id, rule.weight, rule.message) for rule in rules_found if rule.weight > 0]
            + [_flag_hit(combination.id, combination.weight, combination.message, True)
               for combination in conclusions.combinations])


def _assessment(found: list[Rule], rules: RuleSet, *, contacts: list[Contact],
                language: str | None, job_context: bool) -> Assessment:
    conclusions = rules.conclusions(found)  # one look-up for the combinations and mitigations
    flags = _hits(found, rules, conclusions)
    score = sum(flag.weight for flag in flags)
    scored = risk_for_score(score, rules)
    mitigations = conclusions.mitigations
    risk = _lowered(scored, max((rule.lowers for rule in mitigations), default=0) if mitigations else 0)
    compound = any(rule.compound for rule in found)
    # The context rules that complete a combination (a rule of a group, not of its "none").
    parts = {member for combination in conclusions.combinations
             for group in combination.groups for member in group}
    return Assessment(
        risk=risk,
        flags=flags,
        contacts=contacts,
        language=language,
        advice=advice_for(risk, compound=compound),
        compound=compound,
        context=[_flag_hit(rule.id, rule.weight, rule.message) for rule in found
                 if rule.weight == 0 and rule.id in parts],
        score=score,
        job_context=job_context,
        # Listed only where they moved the level (a licence beside no warning sign says nothing).
        mitigations=[_flag_hit(rule.id, rule.weight, rule.message) for rule in mitigations]
        if risk != scored else [],
    )


# Where a language is the main language of a country with scam compounds, a job "in Cambodia" or
# in its capital is a job at home: no signal there (its compound towns still are).
HOME_COUNTRY_OF_LANGUAGE = {"km": "KH", "lo": "LA", "my": "MM", "tl": "PH", "th": "TH"}
# Thailand is where most victims were flown before being taken across a border (red-flags.md
# flag 9), so a job "in Thailand" counts as a destination, except for Thailand's own people and
# its neighbours, whose workers go there legally in large numbers (MOU schemes).
TRANSIT_IS_ORDINARY_FOR = frozenset({"th", "km", "lo", "my"})


# A country named as a people, not a place: "Myanmar workers", "the Cambodian embassy", "pekerja
# Myanmar". Such a mention says who, not where the job is. So is a ship's flag: "tàu cá Thái Lan",
# "kapal ikan Thailand", "Thailand fishing vessels" (Vietnamese and Malay/Indonesian put the
# country after the noun it qualifies) say whose boats, not that the job is in a compound country
# (train vi-scam-126: crew on Thai fishing boats bound for Australia read as a Thai destination).
_PEOPLE_AFTER = re.compile(
    r"\s*(?:workers?|nationals?|citizens?|migrants?|people|nationality|language|embassy|government|"
    r"police|authorities|military|junta|army|refugees?|employees?|staff"
    r"|(?:fishing )?(?:boats?|vessels?|ships?|trawlers?|fleets?))\b", re.IGNORECASE)
_PEOPLE_BEFORE = re.compile(
    r"\b(?:pekerja|warga|rakyat|kedutaan|orang|buruh|tenaga kerja|lao động|người|kababayang?"
    r"|tàu(?: cá| đánh cá)?|kapal(?: ikan| penangkap ikan| nelayan)?)\s*$",
    re.IGNORECASE)


# A country named as where the journey starts, not where the job is: "from the Philippines to
# Israel", "dari Indonesia ke Taiwan", "từ Việt Nam sang Nhật", "从中国到日本", "भारत से", or as
# where it ends on the way home ("return from Israel to the Philippines"). Issue 14: legal
# placements name the worker's country as the origin of the flight. Countries only: a compound
# town or zone ("escaped from KK Park") still says where the job was.
_ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom (?:the )?|\breturn(?:s|ing|ed)?\b[^.\n]{0,30}\bto (?:the )?"
    r"|\b(?:dari|mula sa|galing sa) (?:negara )?|\btừ (?:nước )?|(?:从|從|来自|來自)|จาก(?:ประเทศ)?\s?"
    r"|(?:មកពី|ពី)(?:ប្រទេស)?|ຈາກ(?:ປະເທດ)?\s?)$",
    re.IGNORECASE)
# Burmese "မှ" (from) but not "မှာ" (at, in: "ကမ္ဘောဒီးယားမှာ အလုပ်", a job in Cambodia) nor "မှု": a vowel
# sign or medial after it makes another word.
_ORIGIN_AFTER = re.compile(r"\s*(?:से(?=[\s,.।]|$)|မှ(?![\u102b-\u103e])|에서\s*(?:출발|출국)|(?:으로|로)부터)")


# A country named as where something before the job happens, not where the job is: the
# training, test, interview, medical or briefing before departure ("a two-month training in the
# Philippines" in a notice for jobs in Japan; "캄보디아에서 한국어능력시험", the EPS test held in
# Cambodia; "在菲律宾进行岗前培训"), where the applicant lives ("residing in the Philippines") or
# where the recruitment agency's office is ("the agency's office in Manila"; a company's office
# abroad, "our office in Phnom Penh", is where lures put the job, and still counts).
# Lawful schemes hold these in the worker's own country (issue 14: DMW, EPS, SSW notices).
# Countries only, as for the origin: a compound town named for training still counts.
_BEFORE_JOB_BEFORE = re.compile(
    r"(?:\b(?:training|trainings|orientation|seminars?|interviews?|exams?|examinations?|tests?|testing"
    r"|medical(?: exam(?:ination)?s?)?|pdos|pdoe|briefings?|language (?:courses?|classes|lessons))"
    r"(?: (?:will|shall|would|must|may|can) (?:be|take place)| (?:is|are|was|were)(?: being)?| to be"
    r"| takes? place)?(?: (?:held|conducted|given|done|taken|provided|scheduled|offered|carried out))?"
    r"(?: (?:here|there|locally|for free|free of charge))? (?:in|at) (?:the )?"
    r"|\b(?:residing|living|residents?|domiciled) (?:in )?(?:the )?"
    r"|\b(?:agency|agency's|agencies|manpower|recruitment|placement) (?:main |head |branch )?offices?"
    r"(?: (?:is|are))?(?: (?:located|based))? (?:in|at) (?:the )?)$",
    re.IGNORECASE)
_BEFORE_JOB_AFTER = re.compile(
    r"(?:\s?(?:에서|현지에서)\s?[^\s.]{0,10}(?:시험|교육|면접|훈련|연수|신체검사)"
    r"|\s?(?:进行|進行|举行|舉行|参加|參加|接受)?(?:岗前|崗前|行前|出国前|出國前|语言|語言)?"
    r"(?:培训|培訓|面试|面試|考试|考試|体检|體檢))")


def _is_destination(mention: places.PlaceMention, text: str, homes: frozenset[str],
                    lang: str | None) -> bool:
    if mention.role == "transit" and mention.kind in ("country", "transit"):
        if lang in TRANSIT_IS_ORDINARY_FOR:
            return False
    elif not mention.destination:
        return False
    if mention.country in homes and mention.kind != "zone":
        return False  # the person's own country, capital or border: a job at home
    if mention.kind == "country":
        start, end = mention.span
        if _PEOPLE_AFTER.match(text, end) or _PEOPLE_BEFORE.search(text, max(0, start - 20), start):
            return False
        if _ORIGIN_BEFORE.search(text, max(0, start - 45), start) or _ORIGIN_AFTER.match(text, end):
            return False
        if _BEFORE_JOB_BEFORE.search(text, max(0, start - 60), start) or _BEFORE_JOB_AFTER.match(text, end):
            return False
    return True


# The signal of the pay reader (screening.money): its rule is also found by patterns.
PAY_SIGNAL = "pay"
# An official body, a lawful scheme or a licensed agency named (the rules that cancel
# pay_with_perks in red_flags.json): the context of lawful notices for work abroad. A fake
# overseas offer at the destination's wages names none, and keeps its pay phrases; an
# impersonation that names one is still read for its fees.
OFFICIAL_CONTEXT = frozenset({"legal_channel", "official_channel_named"})


@cache
def _compound_countries() -> frozenset[str]:
    """The countries of scam compounds and their usual transit (screening.places' data): there the
    market is low and lures promise pay just under the far-above line, so pay within that market
    says nothing of a lawful job."""
    return frozenset(code for code, role in places.default_index().countries.items()
                     if role in ("destination", "transit"))


# A digit of any script, or a Chinese numeral: an amount, which the pay reader judges.
_NUMERAL = re.compile(r"[\d一二两兩三四五六七八九十百千万萬]")


def _pay_claimed(text: str, found: list[Rule]) -> bool:
    """Whether the pay rules found match words without an amount ("gaji fantastis", "高薪",
    "easy money"): the recruiter's own claim of high pay, which no market reading answers. Read
    only where the amounts are within the market of where the job is, in a notice naming an
    official body (none of the benchmark's 2 KB offers gets this far)."""
    normalised = normalise_for_matching(text)
    return any(_NUMERAL.search(match.group()) is None
               for rule in found if rule.signal == PAY_SIGNAL
               for pattern in rule.patterns for match in pattern.finditer(normalised))


# The signals of the statistical model (screening.lure_model), read after the others: at its
# threshold on an offer the rules rate medium, at its higher strong threshold on one they rate low,
# at its alone threshold on a job offer they find nothing in.
SECOND_OPINION = "reads_like_lures"
STRONG_OPINION = "reads_strongly_like_lures"
ALONE_OPINION = "reads_alone_like_lures"
# The shortest job offer the model may speak alone about: a line of chat about a job ("check this
# job offer for me", "still looking for a job, how much do they earn there") is not an offer.
ALONE_MIN_CHARS = 60


def second_opinion_counts(score: int, rules: RuleSet) -> bool:
    """Whether the model's flag may count, given the score of the rules found: it is a second
    opinion that only lifts an offer the rules rate medium (so it is read only then; where the
    rules find nothing, only `alone_opinion_counts` may let the model speak). The gate, weight and threshold
    were chosen by grouped cross-validation on the corpus's train split: see
    scripts/train_lure_model.py."""
    return rules.thresholds.medium <= score < rules.thresholds.high


def strong_opinion_counts(score: int, rules: RuleSet) -> bool:
    """Whether the model's strong flag (its higher threshold, more weight) may count: the rules
    found some warning sign in a job offer but rate it low. Never on a score of 0: there the
    model would speak alone (ordinary messages about a job read like lures to it, e.g. "still
    looking for a job, how much do they earn there"). Chosen like `second_opinion_counts`."""
    return 0 < score < rules.thresholds.medium


def alone_opinion_counts(score: int, text: str) -> bool:
    """Whether the model's alone flag (its own threshold, the weight of high) may count: a job
    offer of at least `ALONE_MIN_CHARS` characters in which the rules find no warning sign. A third
    of the lures the rules miss on unseen text score 0; the threshold, length and weight were
    chosen like `second_opinion_counts`, with no ordinary message (tests/corpus/real/ordinary.jsonl)
    and no short line of chat rated medium or above by it (scripts/train_lure_model.py)."""
    return score == 0 and len(text.strip()) >= ALONE_MIN_CHARS


class Unset(Enum):
    """A keyword left out where None is a value of its own: one sentinel type for the module, a
    member per meaning, so that the signature says what the default does."""

    # `structured_signals(pay_verdict=…)`: the pay has not been read yet (None: read, and no pay
    # found).
    PAY_NOT_READ = "pay_not_read"
    # `assess_text(home_country=…)`: the person's own country is `country` (None: they gave none).
    HOME_IS_COUNTRY = "home_is_country"


PayNotRead = Literal[Unset.PAY_NOT_READ]
HomeIsCountry = Literal[Unset.HOME_IS_COUNTRY]


def structured_signals(text: str, *, lang: str | None, country: str | None = None,
                       hint: str | None = None,
                       wanted: frozenset[str] = frozenset({"destination", "route", "abroad",
                                                           "abroad_from_home", "pay", "pay_ordinary"}),
                       pay_verdict: money.PayVerdict | PayNotRead | None = Unset.PAY_NOT_READ,
                       ) -> frozenset[str]:
    """What the structured readers find in a text read as a job offer: "destination" (a country
    or town where scam compounds operate, not the person's own country or a nationality),
    "route" (a journey across or up to a border, see screening.places), "abroad" (the job is in
    another country than the person's), "abroad_from_home" (the same where the person's country is
    known, from their country or the language: English has none, and an English ad names its own
    country as often as another), "pay" (an amount far above what such work pays where
    the job is, or at home: see screening.money) and "pay_ordinary" (pay judged where the job is,
    and what such work pays there). Only the `wanted` ones are read; `pay_verdict` is the
    pay's reading when the caller has made it (`money.assess_pay`)."""
    signals: set[str] = set()
    if "destination" in wanted:
        reading = places.scan(text)
        # Home is the language's country and, when known, the person's: a Filipino checking a job
        # in Manila, or a Vietnamese speaker living in Thailand one in Bangkok, is checking a job
        # where they are (the compound towns themselves still count).
        # The person's own locale (`hint`) says where they are too: a Tagalog speaker pasting a
        # Taglish ad read as English ("Hiring: cashier sa SM Manila") is checking a job at home.
        homes = frozenset(filter(None, (HOME_COUNTRY_OF_LANGUAGE.get(lang or ""),
                                        HOME_COUNTRY_OF_LANGUAGE.get(hint or ""), country)))
        # A recruitment licence of a country whose places are named (a Philippine DMW licence
        # beside the agency's Manila office) makes that country where the worker starts.
        named_abroad = frozenset(mention.country for mention in reading.places) - homes
        if named_abroad:
            homes |= places.licensed_origins(text, named_abroad)
        if any(_is_destination(mention, text, homes, hint if hint in TRANSIT_IS_ORDINARY_FOR else lang)
               for mention in reading.places):
            signals.add("destination")
        if reading.route is not None:
            signals.add("route")
    elif "route" in wanted and places.has_route(text):
        # Whether there is a route: the same reading without mapping every place named back to
        # the text (~40 µs per 2 KB offer), which only the destination needs, nor working out
        # the route's legs (`places.has_route`).
        signals.add("route")
    if "abroad" in wanted or "abroad_from_home" in wanted:
        home_countries = set(money.origin_countries_for(lang, country))
        if hint and hint != lang:
            home_countries.update(money.origin_countries_for(hint, country))
        if any(named not in home_countries for named in places.countries_named(text)):
            signals.add("abroad")
            if home_countries:
                signals.add("abroad_from_home")
    if "pay" in wanted or "pay_ordinary" in wanted:
        verdict = (money.assess_pay(text, language=lang, country=country)
                   if pay_verdict is Unset.PAY_NOT_READ else pay_verdict)
        if verdict is not None and verdict.far_above:
            signals.add("pay")
        if verdict is not None and verdict.ordinary:
            signals.add("pay_ordinary")
    return frozenset(signals & wanted)


def match_rules(text: str, rules: RuleSet, *, lang: str | None = None,
                country: str | None = None, hint: str | None = None) -> tuple[list[Rule], bool]:
    """The rules found in `text` (in file order) and whether it reads as a job offer. `lang` is
    the text's language, `hint` the person's locale (where it differs: their home, for places).

    The structured readers run only on a job offer: every rule with a signal needs job context,
    and they cost more than the patterns.
    """
    text = text[:MAX_MATCHED_CHARS]
    found, job_context = rules.match(text)
    pay_verdict: money.PayVerdict | PayNotRead | None = Unset.PAY_NOT_READ
    weights = pay_weights = 0
    if job_context:
        for rule in found:
            weights += rule.weight
            if rule.signal == PAY_SIGNAL:
                pay_weights += rule.weight
    if (pay_weights and weights - pay_weights < rules.thresholds.very_high
            and any(rule.id in OFFICIAL_CONTEXT for rule in found)):
        # The patterns say the pay is high ("gaji Rp 25 juta"); in a notice naming an official
        # body or lawful scheme, where every country it names has a wage row, none is a compound
        # country, and the pay is within the market of each, it is not: lawful migration pays
        # the wages of where the job is (issue 14). Read only where the level could change:
        # without the pay's rules and combinations it is below very high.
        # (The rules' weights are read first, above: combinations only add, and most offers with
        # pay phrases are very high on the other rules' weights alone.)
        without_pay = [rule for rule in found if rule.signal != PAY_SIGNAL]
        if sum(flag.weight for flag in _hits(without_pay, rules)) < rules.thresholds.very_high:
            pay_verdict = money.assess_pay(text, language=lang, country=country)
            if (pay_verdict is not None and pay_verdict.within_destinations
                    and _compound_countries().isdisjoint(pay_verdict.destinations_named)
                    and not _pay_claimed(text, found)):
                found = without_pay
    wanted = rules.signals_worth_reading(found) if job_context else frozenset()
    opinions = wanted & {SECOND_OPINION, STRONG_OPINION, ALONE_OPINION}
    wanted -= opinions
    if wanted:
        if "pay" in wanted:
            wanted |= {"pay_ordinary"}  # the same reading of the pay
        signals = structured_signals(text, lang=lang, country=country, wanted=wanted,
                                     pay_verdict=pay_verdict, hint=hint)
        if signals:
            found = rules.with_signals(found, signals)
    # Pay at what such work pays where the job is cancels some combinations: read only when one
    # of them is complete.
    cancelling = rules.signals_that_cancel(found) - wanted if job_context else frozenset()
    if cancelling:
        signals = structured_signals(text, lang=lang, country=country, wanted=cancelling,
                                     pay_verdict=pay_verdict, hint=hint)
        if signals:
            found = rules.with_signals(found, signals)
    # The model (screening.lure_model) last, and only where it may count.
    if opinions and sum(rule.weight for rule in found) < rules.thresholds.high:
        score = sum(flag.weight for flag in _hits(found, rules))
        opinion = (SECOND_OPINION if SECOND_OPINION in opinions and second_opinion_counts(score, rules)
                   else STRONG_OPINION if STRONG_OPINION in opinions and strong_opinion_counts(score, rules)
                   else ALONE_OPINION if ALONE_OPINION in opinions and alone_opinion_counts(score, text)
                   else None)
        if opinion is not None:
            model = lure_model.default_model()
            threshold = (model.threshold if opinion == SECOND_OPINION
                         else model.strong_threshold if opinion == STRONG_OPINION else model.alone_threshold)
            if (threshold is not None
                    and model.probability(text, lang, _found_ids(found, rules, model)) >= threshold):
                found = rules.with_signals(found, frozenset({opinion}))
    return found, job_context


def _found_ids(found: list[Rule], rules: RuleSet, model: lure_model.LureModel) -> tuple[str, ...]:
    """The ids of the rules found and of the combinations they complete, for a model that reads
    them (`lure_model.LureModel.rule_tokens`, `second_stage`); none for one that does not."""
    if not model.rule_tokens and model.second_stage is None:
        return ()
    combinations = rules.conclusions(found).combinations
    return (*(rule.id for rule in found), *(combination.id for combination in combinations))


def assess_text(text: str, *, lang: str | None = None, country: str | None = None,
                home_country: str | HomeIsCountry | None = Unset.HOME_IS_COUNTRY,
                rules: RuleSet | None = None,
                answers: Mapping[str, Answer] | None = None) -> Assessment:
    """Assess a pasted offer or message.

    `lang` is the person's locale (or Telegram language_code), used as the hint for
    detecting the message's language; `country` (ISO alpha-2) reads local phone
    numbers and places the job. `home_country`, the person's own country (their
    preferences; None when they gave none), is the detector's third signal (Malay vs
    Indonesian, Traditional vs Simplified Chinese) where it is not `country`: an
    Indonesian reporting a recruiter in Malaysia writes Indonesian. By default
    (`Unset.HOME_IS_COUNTRY`) `country` is both. Patterns of every language are applied
    whatever the detected language, because offers mix languages. `answers` (the guided
    questions, when the person answered them about the same offer) add their rules: the text
    and the answers are one assessment.
    """
    rules = rules if rules is not None else default_rules()
    language = detect_language(
        text, hint=lang, country=country if home_country is Unset.HOME_IS_COUNTRY else home_country)
    found, job_context = match_rules(text, rules, lang=language or lang, country=country, hint=lang)
    if answers:
        answered = _answered_rule_ids(answers, default_questions())
        found = [rule for rule in rules.rules
                 if rule.id in answered or any(rule is hit for hit in found)]
        job_context = True
    return _assessment(
        found, rules,
        contacts=extract_contacts(text, default_region=country),
        language=language,
        job_context=job_context,
    )


def _answered_rule_ids(answers: Mapping[str, Answer], questions: list[Question]) -> set[str]:
    """The rules the answers confirm (yes) or leave possible (not sure)."""
    known_ids = {question.id for question in questions}
    unknown = sorted(set(answers) - known_ids)
    if unknown:
        raise ValueError(f"unknown question ids: {', '.join(unknown)}")
    triggered: set[str] = set()
    for question in questions:
        answer = answers.get(question.id)
        if answer == Answer.YES:
            triggered.update(question.rule_ids)
        elif answer == Answer.UNSURE:
            triggered.update(question.unsure_rule_ids)
    return triggered


def assess_answers(answers: Mapping[str, Answer], *, rules: RuleSet | None = None,
                   questions: list[Question] | None = None) -> Assessment:
    """Assess questionnaire answers (question id -> yes/no/unsure; missing means not asked)."""
    rules = rules if rules is not None else default_rules()
    questions = questions if questions is not None else default_questions()
    triggered = _answered_rule_ids(answers, questions)
    found = [rule for rule in rules.rules if rule.id in triggered]
    return _assessment(found, rules, contacts=[], language=None, job_context=True)
