"""The red-flag rules: loaded from `screening/data/red_flags.json`, compiled once.

Every rule's patterns of all languages are applied to every text, because
offers mix languages (a Khmer ad with English job titles, a Thai ad with a
Chinese company name) and matching only the detected language would miss those.
Each pattern is compiled case-insensitively on its own; `screening.prefilter`
picks the few worth searching in a given text, which is what makes screening
fast. Text is matched after `normalise_for_matching` (NFKC, zero-width
characters removed, whitespace runs collapsed); the rules file writes its
patterns for that form: plain substrings for scripts without spaces (Thai,
Khmer, Lao, Myanmar, Chinese), word-bounded regexes where words are spaced.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import re._constants as sre_constants
import re._parser as sre_parser
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from locales.i18n import SUPPORTED_LOCALES
from screening.prefilter import FoundAt, Located, PlanCache, Prefilter
from screening.textnorm import collapse_whitespace

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_PATH = DATA_DIR / "red_flags.json"
JOB_CONTEXT_RULE_ID = "job_context"
# A travel agency's package ("tour package: air tickets, visa and hotel included"): the perks it
# lists are what a holiday sells, not what an employer gives. Where its patterns match, job
# context is read again with their matches blanked out, so a perk list alone in a package is no
# job offer, while a work, pay or hiring word elsewhere still makes one.
TRAVEL_PACKAGE_RULE_ID = "travel_package"
_PATTERN_KEYS = frozenset({"any", *SUPPORTED_LOCALES})

# Zero-width characters and the soft hyphen split words invisibly: they are used both
# by Thai/Khmer/Myanmar typing (word breaks) and by spammers dodging keyword filters.
_INVISIBLE_CHARS = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_INVISIBLE_ORDER = tuple(sorted(_INVISIBLE_CHARS))
_INVISIBLE_RE = re.compile("[" + "".join(_INVISIBLE_ORDER) + "]")


# Entries kept by a RuleSet's memo of signals worth reading (a few hundred bytes each).
_MEMO_LIMIT = 4096
# Entries kept by its memo of what a set of rules found concludes (a set of ~20 rule ids is ~1.3
# KB: at most ~0.7 MB; the 806 bench offers find 160 distinct sets).
_COMBINATIONS_MEMO_LIMIT = 512


class RulesError(ValueError):
    """The rules file is malformed; the message names the rule and field."""


# Structured readers a rule can name as `"signal"`: the rule is found when its patterns match or
# when the reader finds the thing in the text (screening.assess runs the readers).
SIGNALS = frozenset({"pay", "pay_ordinary", "destination", "route", "abroad", "abroad_from_home",
                     "reads_like_lures", "reads_strongly_like_lures", "reads_alone_like_lures"})


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    weight: int
    message: str  # English gettext msgid explaining the flag to the person
    requires_job_context: bool
    sources: tuple[str, ...]
    # One compiled (case-insensitive) regex per pattern of the file, all languages together;
    # empty: the rule is answered only through the questionnaire or its signal.
    patterns: tuple[re.Pattern[str], ...]
    signal: str | None = None
    # A negation ("no placement fee will be collected", "không thu phí"): where its patterns
    # match, that text is blanked before the rules it `hides` are read, so a fee flag inside a
    # negation does not fire while a fee demand beside it still does. Weight 0, no signal: it
    # is not a warning sign itself.
    masks: bool = False
    hides: frozenset[str] = frozenset()
    # A mitigating sign (the licence of a recruitment agency, a named government programme): it
    # lowers the level this many steps, unless a rule or combination of `unless` is found.
    lowers: int = 0
    unless: frozenset[str] = frozenset()
    # The rule speaks of scam compounds: a compound town or country, a route across a border, the
    # scam work itself, or people held there ("compound": true in the file). What is said about a
    # high level follows it (screening.assess: the compound summary and the border-town advice
    # only where such a rule was found; otherwise those of a fake job or illegal recruitment).
    compound: bool = False

    def search(self, normalised_text: str) -> bool:
        """Whether any pattern matches (all patterns, no prefilter: the reference behaviour)."""
        return any(pattern.search(normalised_text) for pattern in self.patterns)


@dataclass(frozen=True, slots=True)
class Combination:
    """Signs that are weak alone and strong together (real lures rarely show one sign strongly).

    `groups` are alternatives that must all be present: (("a",), ("b", "c")) means a and (b or c).
    `absent` are rules that must not be found: a sign that explains the others innocently (pay
    at what such work pays where the job is). When the groups are present and none of `absent`
    is, the combination adds its weight and its own explained flag.
    """

    id: str
    weight: int
    message: str
    sources: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    absent: frozenset[str] = frozenset()

    def present(self, found_ids: frozenset[str]) -> bool:
        # isdisjoint runs in C: this is asked of every combination for every text
        return (all(not found_ids.isdisjoint(group) for group in self.groups)
                and found_ids.isdisjoint(self.absent))


@dataclass(frozen=True, slots=True)
class Conclusions:
    """What follows from a set of rules found, whatever the text: worked out once per distinct
    set (`RuleSet.conclusions`)."""

    # The combinations the rules complete, in file order.
    combinations: tuple[Combination, ...]
    # `RuleSet.signals_that_cancel`.
    cancelling: frozenset[str]
    # The mitigating rules that count (`RuleSet.mitigations`), in file order.
    mitigations: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Thresholds:
    medium: int
    high: int
    very_high: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: int
    thresholds: Thresholds
    rules: tuple[Rule, ...]  # without the job-context rule
    job_context: Rule | None
    prefilter: Prefilter = field(repr=False, compare=False)
    combinations: tuple[Combination, ...] = ()
    # Prefilter indexes (1-based, as in `match`) of the rules that mask negations, and their
    # patterns one by one: they are tried only where their needles occur, as every rule's are.
    # Then the rules they can hide, and a prefilter over those (one entry per rule), read again
    # on the masked text.
    mask_indexes: frozenset[int] = frozenset()
    mask_patterns: tuple[re.Pattern[str], ...] = ()
    # Per masking pattern: its needles and where a match starts before one (min, max offset),
    # and a lookahead finding every start where it matches (the reference).
    mask_plans: tuple[tuple[frozenset[str], int, int], ...] = field(default=(), repr=False, compare=False)
    mask_starts: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)
    # How many characters before its needle a masking pattern's match may start (the largest
    # max offset of `mask_plans`); -1: not worked out (every negation is then tried at once).
    mask_lead: int = field(default=-1, repr=False, compare=False)
    # The masking patterns each needle of `prefilter` (by its index there) belongs to: the main
    # prefilter's automaton holds every masking needle, so its pass says where to try them.
    mask_by_needle: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)
    hidden_rules: tuple[Rule, ...] = ()
    # The prefilter index (1-based) of the travel-package rule (TRAVEL_PACKAGE_RULE_ID); -1: none
    # (0 is the job-context rule's).
    travel_index: int = -1
    hidden_prefilter: Prefilter | None = field(default=None, repr=False, compare=False)
    # The index in `hidden_prefilter` of each needle of `prefilter` that it holds too (it holds
    # no other: its rules are the main prefilter's), so that the main pass's occurrences outside
    # the blanked spans are those of the masked text.
    hidden_by_needle: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    # The needles of either (indexes in `prefilter`).
    negation_needles: frozenset[int] = field(default=frozenset(), repr=False, compare=False)
    # What signals_worth_reading answered for each set of rule ids found: it depends on nothing
    # else, and offers find few distinct sets; cleared when it grows past _MEMO_LIMIT.
    _worth_memo: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # The same for conclusions (asked two or three times of every assessment; ~8 µs to work out
    # in all), cleared when it grows past _COMBINATIONS_MEMO_LIMIT.
    _conclusions_memo: dict[frozenset[str], Conclusions] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # The index in `prefilter` (1-based, as in `match`) of each of `hidden_rules`, made on first use.
    _hidden_main_indexes: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    # The same for _hidden_by_matched.
    _hidden_memo: dict[frozenset[int], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def match(self, text: str, *, use_prefilter: bool = True,
              signals: frozenset[str] = frozenset()) -> tuple[list[Rule], bool]:
        """The rules found in `text` (file order) and whether it reads as a job offer.

        `signals` are what the structured readers found in the text ("pay", "destination",
        "route"); a rule naming one of them is found with it, under the same job-context gate.
        `use_prefilter=False` searches every pattern: the slow reference the prefilter is
        tested against.

        A negation (a rule that `masks`) is found on the text as written; the rules it `hides`
        are read again on the text with the negations' matches blanked out, unless the level is
        very high whatever they are (`_hidden_worth_reading`).
        """
        normalised = normalise_for_matching(text)
        if not use_prefilter:
            job_context = self.job_context is not None and self.job_context.search(normalised)
            found_ids = {rule.id for rule in self.rules if rule.search(normalised)}
            if job_context and TRAVEL_PACKAGE_RULE_ID in found_ids:
                job_context = self._job_context_outside_package(normalised)
            hidden = self._hidden_worth_reading(found_ids, job_context)
            if hidden:
                read = _blanked(normalised, [
                    (found.start(), self.mask_patterns[index].match(normalised, found.start()))
                    for index, every_start in enumerate(self.mask_starts)
                    for found in every_start.finditer(normalised)])
                found_ids -= {rule.id for rule in self.rules
                              if rule.id in hidden and not rule.search(read)}
            return [rule for rule in self.rules
                    if (job_context or not rule.requires_job_context)
                    and (rule.signal in signals or rule.id in found_ids)], job_context
        # The automaton's pass is kept: the negations and the rules they hide are read from it.
        lowered = normalised.lower()
        occurrences = self.prefilter.occurrences(lowered)
        # Where each rule was found: a rule a negation may hide whose match lies away from every
        # negation is found in the blanked text too, without being read again.
        found_at: FoundAt = []
        matched = self.prefilter.matching_at(normalised, lowered, occurrences, found_at=found_at)
        job_context = 0 in matched  # index 0: the job-context rule
        if job_context and self.travel_index in matched:
            job_context = self._job_context_outside_package(normalised)
        if self.mask_indexes and not self.mask_indexes.isdisjoint(matched):
            # A negation is in the text: the rules it hides are read again without it.
            hidden = self._hidden_by_matched(frozenset(matched))
            if hidden:
                still = self._hidden_matching(normalised, lowered, occurrences, hidden, found_at)
                gone = hidden - {self.hidden_rules[index].id for index in still}
                matched = {index for index in matched if not index or self.rules[index - 1].id not in gone}
        hits = [
            rule for rule_index, rule in enumerate(self.rules, start=1)
            if (rule_index in matched or rule.signal in signals)
            and (job_context or not rule.requires_job_context)
        ]
        return hits, job_context

    def _job_context_outside_package(self, normalised: str) -> bool:
        """Whether the job-context rule matches with the travel package's matches blanked out
        (asked only where both matched: a few texts in a thousand)."""
        assert self.job_context is not None and self.travel_index > 0
        package = self.rules[self.travel_index - 1]
        return self.job_context.search(_with_blanks(normalised, _runs(
            found for pattern in package.patterns for found in pattern.finditer(normalised))))

    def signals_worth_reading(self, found: list[Rule]) -> frozenset[str]:
        """The signals that could still change the result: a signal whose rules the patterns
        already found adds nothing, and a rule of weight 0 (context only) matters only where it
        would complete a combination (one that would cancel a combination is read only once the
        others are: `signals_that_cancel`). The readers are the costly part of screening."""
        found_ids = frozenset(rule.id for rule in found)
        known = self._worth_memo.get(found_ids)
        if known is not None:
            return known
        worth: set[str] = set()
        for rule in self.rules:
            if rule.signal is None or rule.id in found_ids:
                continue
            if rule.weight > 0 or any(
                    any(rule.id in group for group in combination.groups)
                    and combination.present(found_ids | {rule.id})
                    for combination in self.combinations):
                worth.add(rule.signal)
        if len(self._worth_memo) >= _MEMO_LIMIT:
            self._worth_memo.clear()
        answer = self._worth_memo[found_ids] = frozenset(worth)
        return answer

    def signals_that_cancel(self, found: list[Rule]) -> frozenset[str]:
        """The signals of rules that would cancel a combination the found rules complete (a rule
        it lists under "none", such as pay at market where the job is). Asked after the other
        readers: most offers complete none, and the reader is then not run, nor where taking
        away every combination that can be cancelled leaves the score in the same band (the
        level is decided: a lure that promises pay far above market is that whatever else)."""
        return self.conclusions(found).cancelling

    def _cancelling(self, found_ids: frozenset[str], completed: tuple[Combination, ...]) -> frozenset[str]:
        """`signals_that_cancel`, worked out."""
        cancelling = {member for combination in completed for member in combination.absent}
        if not cancelling:
            return frozenset()
        score = sum(rule.weight for rule in self.rules if rule.id in found_ids) + sum(
            combination.weight for combination in completed)
        floor = score - sum(combination.weight for combination in completed if combination.absent)
        if self._band(score) == self._band(floor):
            return frozenset()
        return frozenset(rule.signal for rule in self.rules
                         if rule.id in cancelling and rule.signal is not None)

    def _band(self, score: int) -> int:
        """0 to 3: how many of the medium, high and very high thresholds `score` reaches."""
        thresholds = self.thresholds
        return (score >= thresholds.medium) + (score >= thresholds.high) + (score >= thresholds.very_high)

    def with_signals(self, found: list[Rule], signals: frozenset[str]) -> list[Rule]:
        """`found` plus the rules naming one of `signals`, in file order (job context assumed:
        the caller reads signals only in a job offer)."""
        found_ids = {rule.id for rule in found}
        return [rule for rule in self.rules if rule.id in found_ids or rule.signal in signals]

    def _hidden_by_matched(self, matched: frozenset[int]) -> frozenset[str]:
        """`_hidden_worth_reading` of the prefilter's indexes `matched` (0: job context),
        remembered: it depends on nothing else, and ~6 µs to work out for 1 offer in 3."""
        known = self._hidden_memo.get(matched)
        if known is None:
            if len(self._hidden_memo) >= _COMBINATIONS_MEMO_LIMIT:
                self._hidden_memo.clear()
            known = self._hidden_memo[matched] = self._hidden_worth_reading(
                {self.rules[index - 1].id for index in matched if index}, 0 in matched)
        return known

    def _hidden_worth_reading(self, found_ids: set[str], job_context: bool) -> frozenset[str]:
        """The rules found that a negation found may hide, to be read again without it; none when
        the rules found besides them already make the level very high and no mitigation is
        there (a negation could then change the flags listed, never the level: readers and
        combinations only add, and ~1/3 of the benchmark's 2 KB offers hold a negation)."""
        hidden = frozenset().union(*(rule.hides for rule in self.rules
                                     if rule.masks and rule.id in found_ids)) & found_ids
        if not hidden:
            return hidden
        counted = [rule for rule in self.rules if rule.id in found_ids and rule.id not in hidden
                   and (job_context or not rule.requires_job_context)]
        if any(rule.lowers for rule in counted):
            return hidden
        # Combinations complete without the hidden rules count too, unless a reader may cancel them.
        floor = sum(rule.weight for rule in counted) + sum(
            combination.weight for combination in self.combinations_of(counted) if not combination.absent)
        return frozenset() if floor >= self.thresholds.very_high else hidden

    def _masked(self, normalised: str, lowered: str | None = None,
                occurrences: Sequence[tuple[int, int, int]] | None = None) -> str:
        """`normalised` with every match of a masking pattern (from any start) blanked out.
        `lowered` and `occurrences` are the main prefilter's pass over it (made when not given)."""
        if lowered is None or occurrences is None:
            lowered = normalised.lower()
            occurrences = self.prefilter.occurrences(lowered)
        return _with_blanks(normalised, _runs(self._mask_tries(normalised, lowered, occurrences)))

    def _mask_tries(self, normalised: str, lowered: str,
                    occurrences: Sequence[tuple[int, int, int]]) -> list[re.Match[str]]:
        """The matches of the masking patterns (from any start) in `normalised`.

        The patterns are tried only where their needles occur, as the prefilter itself tries
        them: a substitution over the whole text costs 20-40 µs per pattern (no literal prefix),
        one str.find per needle as much (spelled-out needles are many). Where the needles occur
        is read from the main prefilter's pass (`occurrences`), which holds them all: a pass of
        their own cost ~15 µs per 2 KB, and lower-casing the text again ~5."""
        if len(lowered) != len(normalised):  # positions would not line up: every start
            return [found for index, every_start in enumerate(self.mask_starts)
                    for start in every_start.finditer(normalised)
                    if (found := self.mask_patterns[index].match(normalised, start.start()))]
        mask_by_needle = self.mask_by_needle
        tried: set[tuple[int, int]] = set()
        matches: list[re.Match[str]] = []
        for needle_index, needle_at, _ in occurrences:
            indexes = mask_by_needle.get(needle_index)
            if indexes is None:
                continue
            for index in indexes:
                _, min_offset, max_offset = self.mask_plans[index]
                for start in range(max(0, needle_at - max_offset), needle_at - min_offset + 1):
                    if (index, start) not in tried:
                        tried.add((index, start))
                        found = self.mask_patterns[index].match(normalised, start)
                        if found:
                            matches.append(found)
        return matches

    def _hidden_matching(self, normalised: str, lowered: str,
                         occurrences: Sequence[tuple[int, int, int]], wanted: frozenset[str],
                         found_at: FoundAt | None = None) -> set[int]:
        """The `hidden_prefilter` indexes of the rules of `wanted` that `normalised` with the
        negations blanked (`_masked`) matches, and of the hidden rules not wanted (not looked
        for: their tries cost as much as the wanted ones'). `lowered` and `occurrences` are the
        main prefilter's pass over `normalised`; `found_at` its matches (`Prefilter.matching_at`):
        a wanted rule whose match there cannot see any blanked span (`_unmasked`) is found in
        the blanked text too, and not read again."""
        hidden_prefilter = self.hidden_prefilter
        assert hidden_prefilter is not None  # set whenever a rule masks
        known = [index for index, rule in enumerate(self.hidden_rules) if rule.id not in wanted]
        if len(lowered) != len(normalised) or "\u03a3" in normalised:
            masked = self._masked(normalised, lowered, occurrences)
            return hidden_prefilter.matching_at(masked, masked.lower(),
                                                hidden_prefilter.occurrences(masked.lower()), known=known)
        # Only the masks' and the hidden rules' needles matter here (~1 in 6 occurrences).
        negation_needles = self.negation_needles
        occurrences = [found for found in occurrences if found[0] in negation_needles]
        runs: list[tuple[int, int]] | None = None
        if found_at:
            if not self._hidden_main_indexes:
                index_of = {rule.id: index for index, rule in enumerate(self.rules, start=1)}
                # One slice assignment (atomic under the GIL, and the same in every thread).
                self._hidden_main_indexes[:] = [index_of[rule.id] for rule in self.hidden_rules]
            # The match that found each wanted rule (the first of its rules' matches).
            founds: list[tuple[int, re.Match[str] | Located | None]] = []
            for index, rule in enumerate(self.hidden_rules):
                if rule.id in wanted:
                    main_index = self._hidden_main_indexes[index]
                    founds.append((index, next((found for rules, found in found_at if main_index in rules),
                                               None)))
            # Whether those matches are unmasked is decided by the negations that start before
            # the farthest character the engine may read to decide one of them (`_unmasked`):
            # a negation matched from a later needle starts after it, so it blanks none of
            # those characters (its run, merged or not, lies past them). Tried first, they often
            # settle it: the rest of the negations are tried only for the masked text.
            limit = self._decided_before(founds)
            if limit is not None:
                early = [found for found in occurrences if found[1] < limit]
                early_runs = _runs(self._mask_tries(normalised, lowered, early))
                if len(early) == len(occurrences):
                    runs = early_runs
            else:
                early_runs = runs = _runs(self._mask_tries(normalised, lowered, occurrences))
            for index, found in founds:
                if _unmasked(found, early_runs):
                    known.append(index)
            if len(known) == len(self.hidden_rules):
                return set(known)  # every wanted rule still found: nothing to read again
        if runs is None:
            runs = _runs(self._mask_tries(normalised, lowered, occurrences))
        return hidden_prefilter.matching_at(*self._masked_pass(normalised, lowered, occurrences, runs),
                                            known=known)

    def _decided_before(self, founds: list[tuple[int, re.Match[str] | Located | None]]) -> int | None:
        """A position such that the negations matched from needles starting at or after it
        cannot touch what `_unmasked` reads of any of `founds` (their spans and `_match_reach`
        either side): the farthest such character plus how far before its needle a negation may
        start. None when one of them has no bound (no match, or an unbounded reach)."""
        if self.mask_lead < 0:
            return None
        limit = 0
        for _index, found in founds:
            if found is None:
                return None
            reach = _match_reach(found.re)
            if reach is None:
                return None
            limit = max(limit, found.end() + reach)
        return limit + self.mask_lead

    def _masked_pass(self, normalised: str, lowered: str, occurrences: Sequence[tuple[int, int, int]],
                     runs: list[tuple[int, int]] | None = None,
                     ) -> tuple[str, str, list[tuple[int, int, int]]]:
        """The masked text (`_masked`), lower-cased, and the occurrences of `hidden_prefilter`'s
        needles in it (in no particular order), without a pass of its own (~30 µs per 2 KB with
        the text's UTF-8 copy): outside the blanked spans the text is the same, so are its
        occurrences (the main pass holds every needle of the hidden rules); only those across a
        blank (`_MASK` and up to a needle's length either side) are looked for. Only where
        `lowered` is as long as `normalised` and holds no capital sigma (Σ: the one letter
        whose lower case depends on what is around it): lower-casing is then letter by letter."""
        hidden_prefilter = self.hidden_prefilter
        assert hidden_prefilter is not None  # set whenever a rule masks
        if runs is None:
            runs = _runs(self._mask_tries(normalised, lowered, occurrences))
        hidden_by_needle = self.hidden_by_needle
        inside = [(hidden_index, start, end) for needle_index, start, end in occurrences
                  if (hidden_index := hidden_by_needle.get(needle_index)) is not None]
        if not runs:
            return normalised, lowered, inside
        pieces: list[str] = []
        lowered_pieces: list[str] = []
        stops: list[int] = []  # where each blanked run ends in `normalised`
        shifts = [0]  # how far the text after 0, 1, 2… runs moves in the masked text
        blanks: list[int] = []  # where each `_MASK` starts in the masked text
        position = 0
        for start, stop in runs:
            pieces += (normalised[position:start], _MASK)
            lowered_pieces += (lowered[position:start], _MASK)
            blanks.append(start + shifts[-1])
            shifts.append(shifts[-1] + len(_MASK) - (stop - start))
            stops.append(stop)
            position = stop
        pieces.append(normalised[position:])
        lowered_pieces.append(lowered[position:])
        masked, lowered_masked = "".join(pieces), "".join(lowered_pieces)
        found: list[tuple[int, int, int]] = []
        for hidden_index, start, end in inside:
            run = bisect.bisect_right(stops, start)  # the runs ending at or before `start`
            if run == len(runs) or end <= runs[run][0]:  # and it ends before the next one starts
                found.append((hidden_index, start + shifts[run], end + shifts[run]))
        reach = hidden_prefilter.longest_needle - 1
        for run, blank in enumerate(blanks):
            low = max(0, blank - reach)
            after = blank + len(_MASK)
            previous_end = blanks[run - 1] + len(_MASK) if run else 0
            for hidden_index, start, end in hidden_prefilter.occurrences(
                    lowered_masked[low:after + reach]):
                start, end = start + low, end + low
                # across this blank, and not across the one before (found there)
                if start < after and end > blank and start >= previous_end:
                    found.append((hidden_index, start, end))
        return masked, lowered_masked, found

    def lowering(self, found: list[Rule]) -> int:
        """How many steps the mitigating rules found lower the level: the largest of those whose
        `unless` (rules and combinations) none is found."""
        return max((rule.lowers for rule in self.mitigations(found)), default=0)

    def mitigations(self, found: list[Rule]) -> list[Rule]:
        """The mitigating rules found that count: those none of whose `unless` is found (file
        order)."""
        return list(self.conclusions(found).mitigations)

    def combinations_of(self, found: list[Rule]) -> list[Combination]:
        """The combinations the found rules complete, in file order."""
        return list(self.conclusions(found).combinations)

    def conclusions(self, found: list[Rule]) -> Conclusions:
        """What follows from the rules found (by their ids: they are this set's rules)."""
        found_ids = frozenset(rule.id for rule in found)
        known = self._conclusions_memo.get(found_ids)
        if known is None:
            if len(self._conclusions_memo) >= _COMBINATIONS_MEMO_LIMIT:
                self._conclusions_memo.clear()
            completed = tuple(
                combination for combination in self.combinations if combination.present(found_ids))
            with_completed = found_ids | {combination.id for combination in completed}
            known = self._conclusions_memo[found_ids] = Conclusions(
                combinations=completed,
                cancelling=self._cancelling(found_ids, completed),
                mitigations=tuple(rule for rule in self.rules if rule.id in found_ids and rule.lowers
                                  and with_completed.isdisjoint(rule.unless)))
        return known


# Characters that keep common chat text from being NFKC already: full-width punctuation of
# Chinese, the vowel AM of Thai and Lao, the Lao ligatures; each with its compatibility
# decomposition (NFKD).
_FREQUENT_COMPATIBILITY = {
    char: unicodedata.normalize("NFKD", char) for char in "ำຳໜໝ，：？！（）；　～"
}


# Characters whose NFKC quick check answers "maybe" (they can compose with the character before
# them: Devanagari nukta, Burmese ီ, Hangul vowel jamo, Latin combining accents…; NFC_QC=M in
# Unicode's DerivedNormalizationProps, BMP only). With one of them in a text,
# `unicodedata.is_normalized` normalises the whole text to compare: ~100 µs per 2 KB of Hindi
# or Burmese. Only speed depends on this list: `_is_nfkc` is exact whatever it holds.
_MAYBE_RE = re.compile(
    "[\u0300-\u0304\u0306-\u030c\u030f\u0311\u0313\u0314\u031b\u0323-\u0328\u032d\u032e"
    "\u0330\u0331\u0338\u0342\u0345\u0653-\u0655\u093c\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe"
    "\u0bd7\u0c56\u0cc2\u0cd5\u0cd6\u0d3e\u0d57\u0dca\u0dcf\u0ddf\u102e\u1161-\u1175"
    "\u11a8-\u11c2\u1b35\u3099\u309a]")


_FREQUENT_MAYBE = ("\u093c", "\u102e")


def _is_nfkc(text: str) -> bool:
    """`unicodedata.is_normalized("NFKC", text)`, 2-5 times faster on Hindi and Burmese.

    NFKC never composes across an ASCII space (nothing composes with one, and it ends every
    reordering), so a text is NFKC exactly when each of its space-separated pieces is. The
    pieces holding a "maybe" character are checked one by one (short: cheap to normalise);
    the rest together, with a space in place of each such piece, where the quick check
    decides without normalising.
    """
    # Most texts have neither the Devanagari nukta nor Burmese ီ (the frequent "maybe"
    # characters): two `in` scans cost less than searching the class (~4 µs per 2 KB).
    if not any(char in text for char in _FREQUENT_MAYBE):
        return unicodedata.is_normalized("NFKC", text)
    found = _MAYBE_RE.search(text)
    if found is None:
        return unicodedata.is_normalized("NFKC", text)
    rest: list[str] = []
    position = 0
    while found is not None:
        at = found.start()
        start = max(position, text.rfind(" ", position, at) + 1)
        end = text.find(" ", at)
        if end < 0:
            end = len(text)
        if not unicodedata.is_normalized("NFKC", text[start:end]):
            return False
        rest.append(text[position:start])
        position = end
        found = _MAYBE_RE.search(text, end)
    rest.append(text[position:])
    return unicodedata.is_normalized("NFKC", " ".join(rest))


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, 10-20 times faster on Chinese, Thai and Lao.

    Full NFKC costs 100-200 µs per 2 KB there, mostly to undo a few full-width commas or
    the vowel AM. Replacing those characters by their compatibility decompositions leaves
    the text's full decomposition unchanged, so if the result is normalised it *is* the NFKC
    form; otherwise (something else must compose or reorder) full NFKC of it is taken.
    """
    if _is_nfkc(text):
        return text
    for char, decomposition in _FREQUENT_COMPATIBILITY.items():
        if char in text:
            text = text.replace(char, decomposition)
    if _is_nfkc(text):
        return text
    return unicodedata.normalize("NFKC", text)


def normalise_for_matching(text: str) -> str:
    """NFKC (full-width letters, compatibility forms), no invisible characters, single spaces."""
    if not text.isascii():  # ASCII is already NFKC and has no invisible characters
        text = nfkc(text)
        # One `in` per character (each a fast scan in C): 4-5 times quicker than a search
        # with the character class, and allocation-free unlike a set test.
        if any(char in text for char in _INVISIBLE_ORDER):
            text = _INVISIBLE_RE.sub("", text)
    return collapse_whitespace(text)


# What a negation is replaced by: a separator, so that words on either side do not join.
_MASK = " ; "


def _mask_plan(pattern: re.Pattern[str], plans: PlanCache) -> tuple[frozenset[str], int, int]:
    """A masking pattern's needles and where its matches start before one: (needles, min
    offset, max offset)."""
    plan = plans.plan(pattern.pattern, pattern.flags)
    if plan is None or plan.max_offset is None:
        raise RulesError(f"masking pattern {pattern.pattern!r}: its matches must start at needles "
                         "(a literal start, not a lookbehind or a leading gap)")
    return frozenset(plan.needles), plan.min_offset, plan.max_offset


def _patterns_by_needle(plans: tuple[tuple[frozenset[str], int, int], ...],
                        prefilter: Prefilter) -> dict[int, tuple[int, ...]]:
    """The masking patterns of each needle, by its index in `prefilter` (which holds them all:
    the masks are rules)."""
    index_of = {needle: index for index, needle in enumerate(prefilter.needles)}
    by_needle: dict[int, list[int]] = {}
    for index, (needles, _, _) in enumerate(plans):
        for needle in needles:
            by_needle.setdefault(index_of[needle], []).append(index)
    return {needle: tuple(indexes) for needle, indexes in by_needle.items()}


def _needle_indexes(prefilter: Prefilter, inner: Prefilter | None) -> dict[int, int]:
    """The index in `inner` of each needle of `prefilter` that `inner` holds; `inner` must hold
    none other (its patterns are some of `prefilter`'s)."""
    if inner is None:
        return {}
    index_of = {needle: index for index, needle in enumerate(prefilter.needles)}
    missing = [needle for needle in inner.needles if needle not in index_of]
    if missing:
        raise RulesError(f"the hidden rules' needles {missing[:3]!r} are not the rules' own")
    return {index_of[needle]: index for index, needle in enumerate(inner.needles)}


# Regex elements that read no text but decide on the characters around them.
_ASSERTIONS = (sre_constants.ASSERT, sre_constants.ASSERT_NOT)
# Elements that commit to what they matched (no backtracking into them): text read past a match's
# end can then undo it ("\\d++" takes a digit blanked in after it and cannot give it back).
_COMMITTING = (sre_constants.ATOMIC_GROUP, sre_constants.POSSESSIVE_REPEAT)


def _reach(items: Any) -> int | None:
    """How far around the text a match of `items` (parsed regex items) consumes the regex
    engine may read to decide it: the widths of its look-arounds summed, plus one (\\b, ^, $
    read the character beside them). None: unbounded (a look-ahead of any length), or a
    committing element (see _COMMITTING) or one not known here."""
    reach = 0
    for op, argument in items:
        if op in _COMMITTING:
            return None
        if op in _ASSERTIONS:
            width = argument[1].getwidth()[1]
            inner = _reach(argument[1].data)
            if width >= sre_constants.MAXREPEAT or inner is None:
                return None
            reach += width + inner
        elif op is sre_constants.SUBPATTERN:
            inner = _reach(argument[3].data)
            if inner is None:
                return None
            reach += inner
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            inner = _reach(argument[2].data)
            if inner is None:
                return None
            # A repeated look-around reads the same characters around each repetition: its
            # reach past the match is that of one.
            reach += inner
        elif op is sre_constants.BRANCH:
            for branch in argument[1]:
                inner = _reach(branch.data)
                if inner is None:
                    return None
                reach += inner
        elif op is sre_constants.GROUPREF_EXISTS:
            for branch in argument[1:]:
                if branch is not None:
                    inner = _reach(branch.data)
                    if inner is None:
                        return None
                    reach += inner
        elif op not in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN,
                        sre_constants.ANY, sre_constants.AT, sre_constants.CATEGORY,
                        sre_constants.GROUPREF):
            return None
    return reach


# `_match_reach` of each pattern worked out, by the pattern's id (hashing a compiled pattern
# hashes its code, every time), with the pattern (so that its id is not reused).
_REACH_OF: dict[int, tuple[re.Pattern[str], int | None]] = {}


def _match_reach(pattern: re.Pattern[str]) -> int | None:
    """`_reach` of a compiled pattern, plus one (see `_unmasked`)."""
    known = _REACH_OF.get(id(pattern))
    if known is None:
        reach = _reach(sre_parser.parse(pattern.pattern, pattern.flags).data)
        known = _REACH_OF[id(pattern)] = (pattern, None if reach is None else reach + 1)
    return known[1]


def _unmasked(found: re.Match[str] | Located | None, runs: list[tuple[int, int]]) -> bool:
    """Whether a match (in the normalised text) holds in the text with
    `runs` blanked (`_with_blanks`): true when none of the characters the regex engine may read
    to decide it (the span and `_match_reach` either side) is blanked. Those characters are
    then the same in the blanked text, shifted alike, and the path through the pattern that
    matched them matches there too (the engine backtracks to it whatever it tries first; ^ and
    $ hold alike, as a blanked span before or after the match keeps it from either end)."""
    if found is None:
        return False
    start, end = found.span()
    reach = _match_reach(found.re)
    if reach is None:
        return False
    low, high = start - reach, end + reach
    return all(high <= run_start or run_stop <= low for run_start, run_stop in runs)


def _runs(matches: Iterable[re.Match[str] | None]) -> list[tuple[int, int]]:
    """The spans of `matches` (empty ones left out), overlapping or touching ones merged, in
    text order: what `_blanked` replaces."""
    runs: list[tuple[int, int]] = []
    for start, stop in sorted(found.span() for found in matches
                              if found is not None and found.end() > found.start()):
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], stop))
        else:
            runs.append((start, stop))
    return runs


def _blanked(normalised: str, tries: list[tuple[int, re.Match[str] | None]]) -> str:
    """`normalised` with the spans of the successful tries (overlapping ones merged) replaced by
    `_MASK` (the reference's way in: a try per start)."""
    return _with_blanks(normalised, _runs(found for _, found in tries))


def _with_blanks(normalised: str, runs: list[tuple[int, int]]) -> str:
    """`normalised` with each of `runs` (see `_runs`) replaced by `_MASK`."""
    if not runs:
        return normalised
    pieces: list[str] = []
    position = 0
    for start, stop in runs:
        pieces += (normalised[position:start], _MASK)
        position = stop
    pieces.append(normalised[position:])
    return "".join(pieces)


def _rule_patterns(rule_id: str, patterns: Any, plans: PlanCache) -> tuple[re.Pattern[str], ...]:
    """The rule's regexes (NFKC-normalised, all languages), validated, each compiled
    case-insensitively (rebuilt from `plans` when it has them)."""
    if patterns is None:
        return ()
    if not isinstance(patterns, Mapping):
        raise RulesError(f"rule {rule_id}: 'patterns' must be an object of language -> list")
    compiled: list[re.Pattern[str]] = []
    for key, entries in patterns.items():
        if key not in _PATTERN_KEYS:
            raise RulesError(f"rule {rule_id}: unknown pattern language {key!r}")
        if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
            raise RulesError(f"rule {rule_id}: patterns[{key!r}] must be a list of strings")
        for entry in entries:
            if not entry.strip():
                raise RulesError(f"rule {rule_id}: empty pattern in {key!r}")
            # Patterns are written for normalised text; normalise them the same way so a
            # full-width or decomposed spelling in the file still matches.
            normalised = unicodedata.normalize("NFKC", entry)
            try:
                compiled.append(plans.compile(normalised, re.IGNORECASE))
            except re.error as error:
                raise RulesError(f"rule {rule_id}: bad regex in {key!r}: {entry!r}: {error}") from None
    return tuple(compiled)


def _parse_rule(raw: Any, plans: PlanCache) -> Rule:
    if not isinstance(raw, Mapping):
        raise RulesError("every rule must be an object")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", rule_id):
        raise RulesError(f"rule id must be snake_case text, got {rule_id!r}")
    weight = raw.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
        raise RulesError(f"rule {rule_id}: weight must be a whole number >= 0")
    message = raw.get("message", "")
    if not isinstance(message, str) or (not message and rule_id != JOB_CONTEXT_RULE_ID):
        raise RulesError(f"rule {rule_id}: message must be a non-empty English msgid")
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or (not sources and rule_id != JOB_CONTEXT_RULE_ID):
        raise RulesError(f"rule {rule_id}: sources must cite where the flag comes from")
    signal = raw.get("signal")
    if signal is not None and signal not in SIGNALS:
        raise RulesError(f"rule {rule_id}: unknown signal {signal!r} (known: {', '.join(sorted(SIGNALS))})")
    masks = raw.get("masks", False)
    if not isinstance(masks, bool) or (masks and (weight or signal is not None)):
        raise RulesError(f"rule {rule_id}: 'masks' must be true or false, and a mask has weight 0, no signal")
    hides = raw.get("hides", [])
    if (not isinstance(hides, list) or not all(isinstance(member, str) for member in hides)
            or bool(hides) != masks):
        raise RulesError(f"rule {rule_id}: a mask lists the rules it 'hides' (and only a mask does)")
    lowers = raw.get("lowers", 0)
    if not isinstance(lowers, int) or isinstance(lowers, bool) or not 0 <= lowers <= 2 or (lowers and weight):
        raise RulesError(f"rule {rule_id}: 'lowers' must be 0, 1 or 2, on a rule of weight 0")
    unless = raw.get("unless", [])
    if not isinstance(unless, list) or not all(isinstance(member, str) for member in unless):
        raise RulesError(f"rule {rule_id}: 'unless' must list rule or combination ids")
    compound = raw.get("compound", False)
    if not isinstance(compound, bool):
        raise RulesError(f"rule {rule_id}: 'compound' must be true or false")
    return Rule(
        id=rule_id,
        weight=weight,
        message=message,
        requires_job_context=bool(raw.get("requires_job_context", False)),
        sources=tuple(str(source) for source in sources),
        patterns=_rule_patterns(rule_id, raw.get("patterns"), plans),
        signal=signal,
        masks=masks,
        hides=frozenset(hides),
        lowers=lowers,
        unless=frozenset(unless),
        compound=compound,
    )


def _parse_combination(raw: Any, rule_ids: set[str]) -> Combination:
    if not isinstance(raw, Mapping):
        raise RulesError("every combination must be an object")
    combination_id = raw.get("id")
    if not isinstance(combination_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", combination_id):
        raise RulesError(f"combination id must be snake_case text, got {combination_id!r}")
    weight = raw.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
        raise RulesError(f"combination {combination_id}: weight must be a whole number >= 0")
    message = raw.get("message")
    if not isinstance(message, str) or not message:
        raise RulesError(f"combination {combination_id}: message must be a non-empty English msgid")
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        raise RulesError(f"combination {combination_id}: sources must cite where it comes from")
    raw_groups = raw.get("all")
    if not isinstance(raw_groups, list) or len(raw_groups) < 2:
        raise RulesError(f"combination {combination_id}: 'all' must list at least two rules")
    groups: list[tuple[str, ...]] = []
    for group in raw_groups:
        members = (group,) if isinstance(group, str) else tuple(group) if isinstance(group, list) else ()
        unknown = [member for member in members if member not in rule_ids]
        if not members or unknown:
            raise RulesError(f"combination {combination_id}: unknown rule in 'all': {group!r}")
        groups.append(members)
    raw_absent = raw.get("none", [])
    if not isinstance(raw_absent, list) or any(member not in rule_ids for member in raw_absent):
        raise RulesError(f"combination {combination_id}: 'none' must list known rules, got {raw_absent!r}")
    return Combination(id=combination_id, weight=weight, message=message,
                       sources=tuple(str(source) for source in sources), groups=tuple(groups),
                       absent=frozenset(raw_absent))


def parse_rules(document: Mapping[str, Any], *, plans: PlanCache | None = None) -> RuleSet:
    """Validate and compile a rules document (the parsed JSON). `plans`: what is known of its
    patterns (a disk cache, see load_rules); what it lacks is worked out and saved to it."""
    plans = PlanCache() if plans is None else plans
    raw_thresholds = document.get("thresholds")
    if not isinstance(raw_thresholds, Mapping):
        raise RulesError("'thresholds' must be an object with medium, high, very_high")
    try:
        thresholds = Thresholds(
            medium=int(raw_thresholds["medium"]),
            high=int(raw_thresholds["high"]),
            very_high=int(raw_thresholds["very_high"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RulesError(f"thresholds: {error}") from None
    if not 0 < thresholds.medium < thresholds.high < thresholds.very_high:
        raise RulesError("thresholds must rise: 0 < medium < high < very_high")
    raw_rules = document.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError("'rules' must be a non-empty list")
    parsed = [_parse_rule(raw, plans) for raw in raw_rules]
    ids = [rule.id for rule in parsed]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise RulesError(f"duplicate rule ids: {', '.join(duplicates)}")
    job_context = next((rule for rule in parsed if rule.id == JOB_CONTEXT_RULE_ID), None)
    if job_context is None and any(rule.requires_job_context for rule in parsed):
        raise RulesError(f"rules require job context but there is no {JOB_CONTEXT_RULE_ID!r} rule")
    flag_rules = tuple(rule for rule in parsed if rule.id != JOB_CONTEXT_RULE_ID)
    # Prefilter index 0 is the job-context rule, then the flag rules in file order.
    prefilter = Prefilter([job_context.patterns if job_context is not None else (),
                           *(rule.patterns for rule in flag_rules)], plan_cache=plans)
    rule_ids = {rule.id for rule in flag_rules}
    combinations = tuple(_parse_combination(raw, rule_ids) for raw in document.get("combinations", []))
    combination_ids = [combination.id for combination in combinations]
    clashing = sorted({cid for cid in combination_ids if combination_ids.count(cid) > 1 or cid in rule_ids})
    if clashing:
        raise RulesError(f"combination ids must be unique and differ from rule ids: {', '.join(clashing)}")
    known_ids = rule_ids | set(combination_ids)
    for rule in flag_rules:
        unknown = sorted(rule.unless - known_ids)
        if unknown:
            raise RulesError(f"rule {rule.id}: unknown id in 'unless': {', '.join(unknown)}")
        unknown = sorted(rule.hides - rule_ids)
        if unknown:
            raise RulesError(f"rule {rule.id}: unknown rule in 'hides': {', '.join(unknown)}")
    hidden_ids = frozenset().union(*(rule.hides for rule in flag_rules))
    hidden_rules = tuple(rule for rule in flag_rules if rule.id in hidden_ids)
    mask_patterns = tuple(pattern for rule in flag_rules if rule.masks for pattern in rule.patterns)
    mask_plans = tuple(_mask_plan(pattern, plans) for pattern in mask_patterns)
    hidden_prefilter = (Prefilter([rule.patterns for rule in hidden_rules], plan_cache=plans)
                        if hidden_rules else None)
    mask_by_needle = _patterns_by_needle(mask_plans, prefilter)
    hidden_by_needle = _needle_indexes(prefilter, hidden_prefilter)
    mask_starts = tuple(plans.compile(f"(?=(?:{pattern.pattern}))", pattern.flags)
                        for pattern in mask_patterns)
    plans.save()
    return RuleSet(
        version=int(document.get("version", 1)),
        thresholds=thresholds,
        rules=flag_rules,
        job_context=job_context,
        prefilter=prefilter,
        combinations=combinations,
        mask_indexes=frozenset(index for index, rule in enumerate(flag_rules, start=1) if rule.masks),
        mask_patterns=mask_patterns,
        mask_plans=mask_plans,
        mask_by_needle=mask_by_needle,
        mask_starts=mask_starts,
        mask_lead=max((max_offset for _needles, _min_offset, max_offset in mask_plans), default=0),
        hidden_rules=hidden_rules,
        travel_index=next((index for index, rule in enumerate(flag_rules, start=1)
                           if rule.id == TRAVEL_PACKAGE_RULE_ID), -1),
        hidden_prefilter=hidden_prefilter,
        hidden_by_needle=hidden_by_needle,
        negation_needles=frozenset(mask_by_needle) | frozenset(hidden_by_needle),
    )


def load_rules(path: Path, *, cache_dir: Path | None = None) -> RuleSet:
    """Read, validate and compile a rules file; with `cache_dir`, what its patterns cost to
    work out is kept there between processes (see PlanCache)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RulesError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(document, Mapping):
        raise RulesError(f"{path}: the top level must be an object")
    return parse_rules(document, plans=PlanCache(cache_dir))


CACHE_DIR_VARIABLE = "LURECHECK_CACHE_DIR"


def cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """Where the shipped rules' plans are cached between processes: $LURECHECK_CACHE_DIR (empty:
    no cache), else $XDG_CACHE_HOME/lurecheck, else ~/.cache/lurecheck. Read from the
    environment here, not from bot.config's settings: screening sits below it, and every process
    (bot, review, CLI, test workers) loads the rules through default_rules() without settings."""
    env = os.environ if env is None else env
    configured = env.get(CACHE_DIR_VARIABLE)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "lurecheck"
    try:
        return Path.home() / ".cache" / "lurecheck"
    except (RuntimeError, KeyError):  # no home directory to be found
        return None


@cache
def default_rules() -> RuleSet:
    """The shipped rules, loaded on first use and kept for the life of the process."""
    return load_rules(RULES_PATH, cache_dir=cache_dir())
