"""Run only the rule patterns that can match, and only where they can match.

The rules file holds ~1,800 patterns in 13 languages. Python's `re` tries a
pattern at every position of the text, so searching them all costs ~50 ms per
2 KB offer, 100 times the budget. Instead, from each parsed pattern we take
*needles*, literals it cannot match without, and find every needle of every
pattern in one pass with an Aho-Corasick automaton (`ahocorasick_rs`):

- anchored needles start every match ("visa" in `\\bvisa on arrival\\b`, or one
  of "pm", "chat", "contact" in `\\b(?:pm|chat|contact) (?:me|us)`): the pattern
  is tried with `match()` exactly where a needle occurs, a few µs;
- otherwise a needle somewhere inside the pattern allows a full `search()` only
  when it occurs in the text;
- a pattern without a usable needle is always searched.

Needles are found in lower-cased text: a case-insensitive match of the pattern
implies its literal occurs there, so the prefilter never drops a pattern that
would have matched (tested against brute force on the corpus and random text).
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # what re._compiler hands compiled code to
import array
import base64
import bisect
import contextlib
import hashlib
import json
import math
import os
import re
import re._compiler as sre_compiler  # Python 3.11+: the regex compiler and parser `re` itself uses
import re._constants as sre_constants
import re._parser as sre_parser
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

ahocorasick_rs: Any
try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - the fallback is exercised by tests on purpose
    ahocorasick_rs = None

Needles = frozenset[str]
# A needle lighter than this (in Latin-letter units) would occur in nearly every text.
_MIN_NEEDLE_WEIGHT = 2
_WIDE_SCRIPT_START = 0x2E80  # CJK and later: one character carries a word's worth
_ZERO_WIDTH_OPS = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
# Try at most this many start positions per needle occurrence, else search the whole text.
_MAX_OFFSET_SPAN = 24
# How often a needle of a given weight occurs, relative to needles of weight 6 or more:
# measured on the offer corpus (2 KB offers, 2026-11-25): weight 2 ("we", "mo") 1.04 per
# needle per offer, 3: 0.16, 4: 0.14, 5: 0.09, 6+: 0.024.
_OCCURRENCES_BY_WEIGHT = {2: 43.0, 3: 6.5, 4: 6.0, 5: 4.0}
_MAX_EXTENSIONS = 64
_REPEAT_OPS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
               sre_constants.POSSESSIVE_REPEAT)


# Currency signs and "@" are rare in text, so one of them filters as well as a two-letter word.
_RARE_SYMBOLS = frozenset("$€£¥฿₫₱₹₩៛₭@")


def _weight(needle: str) -> int:
    stripped = needle.strip()
    if stripped.isascii():  # the same sum, quicker: "$" and "@" are the ASCII rare symbols
        return len(stripped) + stripped.count("$") + stripped.count("@")
    return sum(2 if ord(char) >= _WIDE_SCRIPT_START or char in _RARE_SYMBOLS else 1
               for char in stripped)


def _expected_occurrences(needle: str) -> float:
    if len(needle) > 6 and not needle[0].isspace() and not needle[-1].isspace():
        return 1.0  # weight 6 or more (a quick answer: rules load computes this ~700,000 times)
    return _OCCURRENCES_BY_WEIGHT.get(_weight(needle), 1.0)


def _spelled_occurrences(needle: str) -> float:
    """`_expected_occurrences` of a spelled-out needle: past the weight of a word, each more
    letter of a phrase ("we keep your") halves how often it occurs (a rough guess: it only
    steers the choice between spelled-out and plain needles, never what is found)."""
    weight = _weight(needle)
    return _expected_occurrences(needle) * 0.5 ** max(0, weight - 6)


def _shortest(needles: Needles) -> int:
    return min(_weight(needle) for needle in needles)


def _usable(needles: Needles | None) -> bool:
    return bool(needles) and min(_weight(needle) for needle in needles or ()) >= _MIN_NEEDLE_WEIGHT


def _best(candidates: Iterable[Needles]) -> Needles | None:
    """The needle set that filters best: longest shortest-needle, then fewest needles."""
    usable = [needles for needles in candidates if _usable(needles)]
    if not usable:
        return None
    return max(usable, key=lambda needles: (min(_weight(needle) for needle in needles),
                                            -len(needles)))


def _inner_items(op: Any, argument: Any) -> list[tuple[Any, Any]] | None:
    """The items of a group-like element that must match once when it matches, else None."""
    if op is sre_constants.SUBPATTERN:
        return list(argument[3].data)
    if op is sre_constants.ATOMIC_GROUP:
        return list(argument.data)
    if op in _REPEAT_OPS and argument[0] >= 1:
        return list(argument[2].data)
    return None


def _anywhere_needles(items: Sequence[tuple[Any, Any]]) -> Needles | None:
    """Needles one of which occurs somewhere in any match of this sequence of regex items."""
    candidates: list[Needles] = []
    run: list[str] = []
    for op, argument in [*items, (None, None)]:
        if op is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            candidates.append(frozenset({"".join(run).lower()}))
            run = []
        inner = _inner_items(op, argument)
        if inner is not None:
            found = _anywhere_needles(inner)
            if found is not None:
                candidates.append(found)
        elif op is sre_constants.BRANCH:
            found = _union(_anywhere_needles(branch.data) for branch in argument[1])
            if found is not None:
                candidates.append(found)
    return _best(candidates)


def _prefix_needles(items: Sequence[tuple[Any, Any]]) -> Needles | None:
    """Needles one of which every match of this sequence starts with (after zero-width tests)."""
    index = 0
    while index < len(items) and items[index][0] in _ZERO_WIDTH_OPS:
        index += 1
    if index == len(items):
        return None
    op, argument = items[index]
    if op is sre_constants.LITERAL:
        run = []
        while index < len(items) and items[index][0] is sre_constants.LITERAL:
            run.append(chr(items[index][1]))
            index += 1
        head = "".join(run).lower()
        # `re` factors common prefixes out of alternations ("contact|chat" parses as
        # "c" + (ontact|hat)), so extend the run with what must follow it.
        tail = _prefix_needles(items[index:]) if index < len(items) else None
        if tail and len(tail) <= _MAX_EXTENSIONS:
            return frozenset(head + needle for needle in tail)
        return frozenset({head})
    inner = _inner_items(op, argument)
    if inner is not None:
        return _prefix_needles(inner)
    if op is sre_constants.BRANCH:
        return _union(_prefix_needles(branch.data) for branch in argument[1])
    if op in _REPEAT_OPS and argument[:2] == (0, 1):
        # An optional element ("i-?message", "(?:mo )?sa"): the match starts either with it
        # or with what follows it, so take the needles of both readings.
        rest = list(items[index + 1:])
        with_it = _prefix_needles(list(argument[2].data) + rest)
        without = _prefix_needles(rest)
        if with_it and without and len(with_it) + len(without) <= _MAX_EXTENSIONS:
            return with_it | without
    return None


# At most this many literal prefixes per pattern when spelling out what a match starts with.
_MAX_SPELLED = 64
_MAX_CLASS_SPELLED = 8
Spelled = tuple[frozenset[str], bool]


def _spelled_item(op: Any, argument: Any) -> Spelled | None:
    """The texts (lower case) one of which a match of this element starts with, and whether a
    match is exactly one of them (so what follows may be appended); None: not spelled out."""
    if op is sre_constants.LITERAL:
        return frozenset({chr(argument).lower()}), True
    if op in _ZERO_WIDTH_OPS:
        return frozenset({""}), True  # consumes nothing: the texts around it are adjacent
    if op is sre_constants.IN:
        if len(argument) > _MAX_CLASS_SPELLED or any(member_op is not sre_constants.LITERAL
                                                     for member_op, _value in argument):
            return None
        return frozenset(chr(value).lower() for _op, value in argument), True
    if op is sre_constants.SUBPATTERN:
        return _spelled(list(argument[3].data))
    if op is sre_constants.ATOMIC_GROUP:
        return _spelled(list(argument.data))
    if op is sre_constants.BRANCH:
        texts: set[str] = set()
        complete = True
        for branch in argument[1]:
            part = _spelled(list(branch.data))
            if part is None:
                return None
            texts |= part[0]
            complete = complete and part[1]
            if len(texts) > _MAX_SPELLED:
                return None
        return frozenset(texts), complete
    if op in _REPEAT_OPS:
        low, high, inner = argument
        part = _spelled(list(inner.data))
        if part is None:
            return None
        if (low, high) == (0, 1):
            return (part[0] | {""}, True) if part[1] else None
        if low >= 1:
            return part[0], part[1] and low == high == 1
    return None


def _spelled(items: Sequence[tuple[Any, Any]]) -> Spelled | None:
    """`_spelled_item` of a sequence: each element's texts appended to the texts so far, while
    those are complete and fewer than _MAX_SPELLED."""
    texts = frozenset({""})
    for op, argument in items:
        part = _spelled_item(op, argument)
        if part is None:
            return texts, False
        longer = frozenset(head + tail for head in texts for tail in part[0])
        if len(longer) > _MAX_SPELLED:
            return texts, False
        texts = longer
        if not part[1]:
            return texts, False
    return texts, True


def spelled_needles(pattern: str) -> Needles | None:
    """Literals (lower case) one of which starts every match of `pattern`, spelled out across
    groups ("(?:di|via) (?:whatsapp|line)" -> "di whatsapp", "di line", "via whatsapp"…), or
    None when they are not usable."""
    return _spelled_needles(list(sre_parser.parse(pattern, re.IGNORECASE).data))


def _spelled_needles(items: Sequence[tuple[Any, Any]]) -> Needles | None:
    index = 0
    while index < len(items) and items[index][0] in _ZERO_WIDTH_OPS:
        index += 1
    spelled = _spelled(items[index:])
    if spelled is None:
        return None
    # A text with another one as its beginning adds nothing (where it occurs, so does the
    # other) but a second try of the pattern at the same place.
    # In sorted order a text's beginnings come before it, and whatever lies between a text and
    # one of its beginnings starts with that beginning too: so comparing with the last kept text
    # is enough.
    kept: list[str] = []
    for text in sorted(spelled[0]):
        if not kept or not text.startswith(kept[-1]):
            kept.append(text)
    found = frozenset(kept)
    return found if _usable(found) else None


def _union(parts: Iterable[Needles | None]) -> Needles | None:
    union: set[str] = set()
    for part in parts:
        if not _usable(part):
            return None  # one branch can match without a usable literal
        union |= part or set()
    return frozenset(union) or None


def prefix_needles(pattern: str) -> Needles | None:
    """Literals (lower case) one of which starts every match of `pattern`, or None."""
    found = _prefix_needles(list(sre_parser.parse(pattern, re.IGNORECASE).data))
    return found if _usable(found) else None


def anywhere_needles(pattern: str) -> Needles | None:
    """Literals (lower case) one of which occurs in every match of `pattern`, or None."""
    return _anywhere_needles(list(sre_parser.parse(pattern, re.IGNORECASE).data))


@dataclass(frozen=True)
class NeedlePlan:
    """Needles of one pattern and where a match starts relative to a needle occurrence.

    A match starts `offset` characters before the needle, for `offset` in
    [min_offset, max_offset]; `max_offset` None: unknown, search the whole text.

    `later` (patterns with a long bounded gap, "A[\\s\\S]{0,100}B"): needles one of which
    occurs in every match after where the needle is, and `max_width` the longest a match can
    be. Such a pattern is tried only where one of them starts between `later_from` and
    `later_to` characters (inclusive) after a possible match start: trying it costs 10-30 µs
    (B at every position of the gap), finding it out a few. When every match of B starts with
    one of the `later` needles, the window is where B can start, and `after_gap` is B compiled
    on its own: the pattern is tried only where B matches at one of those needles (a match of
    B alone costs a few µs where it fails; the whole pattern tries B at all ~100 positions).
    `later_searched`: B has a few alternatives only; its needles are looked for with `str.find`
    in the window when the pattern is reached, instead of by the automaton in every text.
    """

    needles: Needles
    min_offset: int
    max_offset: int | None
    later: Needles | None = None
    max_width: int = 0
    later_from: int = 0
    later_to: int = 0
    after_gap: re.Pattern[str] | None = None
    later_searched: bool = False
    # The index (in the parsed pattern's top-level items) of the gap `after_gap` follows (None
    # without `after_gap`): where PlanCache finds what to compile.
    gap: int | None = None


# A gap at least this long (a bounded repeat, "[\\s\\S]{0,100}") followed by at least this many
# alternatives makes a pattern costly to try where it fails (each alternative at each position
# of the gap: up to 30 µs); a cheaper pattern costs less to try than to rule out.
_MIN_GAP = 40
_MIN_LATER_NEEDLES = 50
# With fewer alternatives a failed try still costs 1-3 µs (a few alternatives at ~100 positions):
# when what follows the gap starts with at most this many needles, they are looked for in the
# window with `str.find` (~0.1 µs each) and the part after the gap is tried where one is.
_MAX_SEARCHED_LATER = 8
# Longer patterns are not gated (the window check would rule out little).
_MAX_GATED_WIDTH = 1000


def _is_long_gap(op: Any, argument: Any) -> bool:
    return op in _REPEAT_OPS and argument[1] is not sre_constants.MAXREPEAT \
        and argument[1] - argument[0] >= _MIN_GAP


class _Gate(NamedTuple):
    """How a pattern with a long gap is gated (see NeedlePlan)."""

    later: Needles
    later_from: int
    later_to: int
    after_gap: re.Pattern[str] | None
    searched: bool = False
    gap: int | None = None


# How needle_plan parses a pattern (the flags of every rule pattern); what follows a gap is
# compiled on its own only for patterns compiled with exactly these flags.
_PLAN_FLAGS = re.IGNORECASE | re.UNICODE


def _later_gate(parsed: Any, items: list[tuple[Any, Any]], index: int, flags: int) -> _Gate | None:
    """The gate of a pattern with a long gap after item `index`, or None without such a gap,
    with an unbounded width or with few alternatives after the gap (cheap to try).

    B, what follows the first such gap, starts between the shortest and the longest match of
    what precedes it (the gap included) after the match start. When every match of B starts
    with a usable needle, those needles and that window gate the pattern, and B compiled alone
    confirms the place (it sees the whole text: look-behinds and \\b before it behave as
    within the pattern). Otherwise any needle that occurs in every match of B, within the
    pattern's longest match of its start. With few alternatives after the gap, only a B that
    starts with at most _MAX_SEARCHED_LATER needles and compiles alone is gated (searched)."""
    gap = next((position for position in range(index + 1, len(items))
                if _is_long_gap(*items[position])), None)
    if gap is None:
        return None
    _low, high = parsed.getwidth()
    if high > _MAX_GATED_WIDTH:
        return None
    rest = items[gap + 1:]
    anywhere = _anywhere_needles(rest)
    costly = anywhere is not None and len(anywhere) >= _MIN_LATER_NEEDLES
    starts = _prefix_needles(rest)
    if starts is None or not _usable(starts):
        return _Gate(anywhere, 0, high - 1, None) if costly and anywhere is not None else None
    if not costly and len(starts) > _MAX_SEARCHED_LATER:
        return None
    before_low, before_high = sre_parser.SubPattern(parsed.state, items[:gap + 1]).getwidth()
    after_gap = None
    # Without capturing groups (state.groups counts them + 1) B cannot refer back to A's.
    if flags == _PLAN_FLAGS and parsed.state.groups == 1:
        after_gap = sre_compiler.compile(sre_parser.SubPattern(parsed.state, rest), flags)
    if not costly:
        return _Gate(starts, before_low, before_high, after_gap, True, gap) if after_gap else None
    return _Gate(starts, before_low, before_high, after_gap, gap=gap if after_gap else None)


def needle_plan(pattern: str, flags: int = _PLAN_FLAGS) -> NeedlePlan | None:
    """How to find `pattern` (compiled with `flags`) cheaply; None: no usable literal, search
    it in every text."""
    parsed = sre_parser.parse(pattern, re.IGNORECASE)
    items = list(parsed.data)
    best: tuple[float, int, NeedlePlan] | None = None
    first_index: int | None = None  # the first place a match can be located from
    for index, (op, _argument) in enumerate(items):
        if op in _ZERO_WIDTH_OPS:
            continue
        low, high = sre_parser.SubPattern(parsed.state, items[:index]).getwidth()
        if high - low > _MAX_OFFSET_SPAN:
            continue
        if first_index is None:
            first_index = index
        needles = _prefix_needles(items[index:])
        if not _usable(needles) or needles is None:
            continue
        # Expected match() calls per text: how often the needles occur times the number of
        # start positions tried for each occurrence. Lowest wins.
        cost = sum(_expected_occurrences(needle) for needle in needles) * (high - low + 1)
        if best is None or cost < best[0]:
            best = (cost, index, NeedlePlan(needles, low, high))
    # The needles spelled out across groups ("di whatsapp", "via telegram" rather than "di",
    # "via") each begin with a plain one or are one, so they occur at most where those do: at
    # worst as costly, whatever the estimate of their many long needles says. Spelled out where
    # a match starts and where the plain needles are best (spelling costs start-up time).
    for index in dict.fromkeys(index for index in (first_index, best[1] if best else None)
                               if index is not None):
        spelled = _spelled_needles(items[index:])
        if spelled is None:
            continue
        low, high = sre_parser.SubPattern(parsed.state, items[:index]).getwidth()
        plain = _prefix_needles(items[index:])
        cost = math.inf
        if plain is not None and _usable(plain):
            if _shortest(spelled) < _shortest(plain):
                continue
            cost = sum(_expected_occurrences(needle) for needle in plain) * (high - low + 1)
        cost = min(cost, sum(_spelled_occurrences(needle) for needle in spelled) * (high - low + 1))
        if best is None or cost < best[0] or (cost == best[0] and index == best[1]):
            best = (cost, index, NeedlePlan(spelled, low, high))
    if best is not None:
        _cost, index, plan = best
        gate = _later_gate(parsed, items, index, flags)
        if gate is not None:
            return NeedlePlan(plan.needles, plan.min_offset, plan.max_offset, gate.later,
                              parsed.getwidth()[1], gate.later_from, gate.later_to, gate.after_gap,
                              gate.searched, gate.gap)
        return plan
    anywhere = _anywhere_needles(items)
    return NeedlePlan(anywhere, 0, None) if anywhere is not None else None


# A compiled pattern as PlanCache keeps it: what `re._compiler.compile` hands `_sre.compile`
# (flags, groups, group names both ways, and the code, native 32-bit words in base64).
_CODE_TYPE = "I"


def _compile_parsed(pattern: str | None, parsed: Any, flags: int) -> tuple[re.Pattern[str], list[Any]]:
    """`re._compiler.compile` of a parsed pattern, and what rebuilds it (`_rebuild`)."""
    code = sre_compiler._code(parsed, flags)  # type: ignore[attr-defined]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry = [flags | parsed.state.flags, parsed.state.groups - 1, groupindex, indexgroup,
             base64.b64encode(array.array(_CODE_TYPE, code).tobytes()).decode("ascii")]
    return _rebuild(pattern, entry), entry


def _rebuild(pattern: str | None, entry: list[Any]) -> re.Pattern[str]:
    """The compiled pattern `entry` (see _compile_parsed) describes, without parsing or compiling:
    `_sre.compile` checks the code (malformed code raises RuntimeError)."""
    flags, groups, groupindex, indexgroup, code = entry
    if not (isinstance(flags, int) and isinstance(groups, int) and isinstance(groupindex, dict)
            and isinstance(indexgroup, list) and isinstance(code, str)):
        raise ValueError("malformed compiled pattern")
    words = array.array(_CODE_TYPE, base64.b64decode(code, validate=True)).tolist()
    return _sre.compile(pattern, flags, words, groups, groupindex,  # type: ignore[no-any-return]
                        tuple(indexgroup))


def compile_with_entry(source: str, flags: int) -> tuple[re.Pattern[str], list[Any]]:
    """`re.compile(source, flags)` (equal to it) and what rebuilds it."""
    return _compile_parsed(source, sre_parser.parse(source, flags), flags)


def _after_gap_entry(pattern: str, flags: int, gap: int) -> list[Any]:
    """What rebuilds a plan's `after_gap` (as `_later_gate` compiles it)."""
    parsed = sre_parser.parse(pattern, re.IGNORECASE)
    rest = sre_parser.SubPattern(parsed.state, list(parsed.data)[gap + 1:])
    return _compile_parsed(None, rest, flags)[1]


# Bump when what needle_plan answers changes in a way prefilter.py's source does not show
# (the source is part of the cache's key already).
_PLAN_CACHE_VERSION = 1
# PlanCache's files, and the temporary ones `save` renames into place.
_CACHE_FILE = re.compile(r"needle-plans-[0-9a-f]{16}\.json")
_CACHE_TEMPORARY = re.compile(r"\.needle-plans-\w+")


def _cache_key() -> str | None:
    """What a cache of plans is valid for: this module's source, the Python and `re` versions;
    None when the source cannot be read (then no cache is used)."""
    try:
        source = Path(__file__).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(source)
    digest.update(f"{_PLAN_CACHE_VERSION} {sys.version} {sre_constants.MAGIC}".encode())
    return digest.hexdigest()


def _plan_as_json(pattern: str, flags: int, plan: NeedlePlan | None) -> list[Any] | None:
    if plan is None:
        return None
    after_gap = None if plan.gap is None else _after_gap_entry(pattern, flags, plan.gap)
    return [sorted(plan.needles), plan.min_offset, plan.max_offset,
            None if plan.later is None else sorted(plan.later), plan.max_width, plan.later_from,
            plan.later_to, plan.gap, plan.later_searched, after_gap]


def _plan_from_json(raw: list[Any] | None) -> NeedlePlan | None:
    if raw is None:
        return None
    needles, low, high, later, max_width, later_from, later_to, gap, searched, after_gap = raw
    if not (isinstance(needles, list) and all(isinstance(needle, str) for needle in needles)
            and isinstance(low, int) and (high is None or isinstance(high, int))
            and (later is None or (isinstance(later, list) and all(isinstance(needle, str)
                                                                   for needle in later)))
            and isinstance(max_width, int) and isinstance(later_from, int)
            and isinstance(later_to, int) and (gap is None or isinstance(gap, int))
            and isinstance(searched, bool) and (gap is None) == (after_gap is None)):
        raise ValueError("malformed plan")
    return NeedlePlan(frozenset(needles), low, high, None if later is None else frozenset(later),
                      max_width, later_from, later_to,
                      None if after_gap is None else _rebuild(None, after_gap), searched, gap)


class PlanCache:
    """What loading rules costs and depends only on a pattern's text: the compiled pattern (what
    `_sre.compile` takes: rebuilding it skips `re`'s parser and compiler) and its needle plan.
    Kept in memory for one load and, with a directory, on disk between processes (~3 s of CPU
    per process otherwise).

    The file is named and stamped by `_cache_key` (this module's source, the Python and `re`
    versions), holds one entry per (pattern, flags), and its body's SHA-256: it cannot be stale,
    whatever the rules are. A missing, unreadable, damaged or mismatched file or entry is ignored
    (worked out again, and the file rewritten); a directory that cannot be written is no error.
    Files of other keys unused for a week, and temporary files a killed writer left, are removed
    when this cache writes its file or finds it a day old (`_prune`).
    """

    # Pruning (`_prune`): a file is "in use" while its mtime is recent. `save` writes it; a load
    # that finds it older than TOUCH_AFTER refreshes the mtime, so a file that is only read stays
    # recent too. Another key's file unused for STALE_AFTER (left by an older prefilter.py, Python
    # or `re`: ~6 MB each) and a temporary file older than TEMPORARY_STALE_AFTER (a writer
    # killed before its rename: writing takes well under a second) are removed.
    TOUCH_AFTER = 24 * 3600.0
    STALE_AFTER = 7 * 24 * 3600.0
    TEMPORARY_STALE_AFTER = 3600.0

    def __init__(self, directory: Path | None = None) -> None:
        self._path: Path | None = None
        self._key: str | None = None
        self._compiled: dict[str, list[Any]] = {}  # "flags source" -> _compile_parsed's entry
        self._raw: dict[str, list[Any] | None] = {}  # "flags source" -> _plan_as_json
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._plans: dict[tuple[str, int], NeedlePlan | None] = {}
        self._used: set[str] = set()
        self._changed = False
        # How many patterns were compiled and plans worked out here (not taken from the cache).
        self.computed = 0
        if directory is not None:
            self._key = _cache_key()
            if self._key is not None:
                self._path = directory / f"needle-plans-{self._key[:16]}.json"
                self._load()

    @property
    def path(self) -> Path | None:
        """The cache file (None: memory only)."""
        return self._path

    def _load(self) -> None:
        assert self._path is not None
        try:
            header, _newline, body = self._path.read_bytes().partition(b"\n")
            stamp = json.loads(header)
            if not (isinstance(stamp, dict) and stamp.get("key") == self._key
                    and stamp.get("sha256") == hashlib.sha256(body).hexdigest()):
                return
            document = json.loads(body)
            compiled, plans = document["patterns"], document["plans"]
            if not (isinstance(compiled, dict) and isinstance(plans, dict)
                    and all(isinstance(value, list) and len(value) == 5
                            for value in compiled.values())
                    and all(value is None or (isinstance(value, list) and len(value) == 10)
                            for value in plans.values())):
                return
        except (OSError, ValueError, KeyError, TypeError):
            return
        self._compiled, self._raw = compiled, plans
        try:
            if time.time() - self._path.stat().st_mtime > self.TOUCH_AFTER:
                os.utime(self._path)  # still in use: at most once a day per file
                self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove the stale files of other keys and stale temporary files beside this cache's
        (only names PlanCache writes: the directory may be shared). Safe with other processes:
        a writer renames a whole file into place, so nothing half-written is ever removed; a
        process that opened a file before it went reads it whole, and one that finds it gone
        works its plans out and writes it again."""
        assert self._path is not None
        now = time.time()
        try:
            entries = list(os.scandir(self._path.parent))
        except OSError:
            return
        for entry in entries:
            if entry.name == self._path.name:
                continue
            if _CACHE_FILE.fullmatch(entry.name):
                stale = self.STALE_AFTER
            elif _CACHE_TEMPORARY.fullmatch(entry.name):
                stale = self.TEMPORARY_STALE_AFTER
            else:
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) \
                        and now - entry.stat(follow_symlinks=False).st_mtime > stale:
                    os.unlink(entry.path)

    def compile(self, source: str, flags: int) -> re.Pattern[str]:
        """`re.compile(source, flags)` (raises re.error as it does)."""
        key = f"{int(flags)} {source}"
        self._used.add(key)
        pattern = self._patterns.get(key)
        if pattern is not None:
            return pattern
        entry = self._compiled.get(key)
        if entry is not None:
            try:
                pattern = _rebuild(source, entry)
            except (ValueError, TypeError, RuntimeError, OverflowError):
                pattern = None
        if pattern is None:
            if self._path is None:  # memory only: nothing to save
                pattern = re.compile(source, flags)
            else:
                pattern, self._compiled[key] = compile_with_entry(source, int(flags))
                self._changed = True
            self.computed += 1
        self._patterns[key] = pattern
        return pattern

    def plan(self, pattern: str, flags: int) -> NeedlePlan | None:
        """`needle_plan(pattern, flags)`."""
        known = (pattern, flags)
        if known in self._plans:
            return self._plans[known]
        key = f"{int(flags)} {pattern}"
        self._used.add(key)
        plan: NeedlePlan | None
        try:
            plan = _plan_from_json(self._raw[key])
        except (KeyError, ValueError, TypeError, RuntimeError, OverflowError):
            plan = needle_plan(pattern, flags)
            if self._path is not None:
                self._raw[key] = _plan_as_json(pattern, flags, plan)
                self._changed = True
            self.computed += 1
        self._plans[known] = plan
        return plan

    def save(self) -> None:
        """Write what was worked out, if anything was, atomically (a temporary file renamed:
        processes starting together each write a whole file, the last one stays). Entries of
        patterns this load did not use are kept unless they outnumber the used ones (files
        of other rule sets come and go, the shipped rules' stay)."""
        if self._path is None or not self._changed:
            return
        compiled, raw = self._compiled, self._raw
        if len(compiled) + len(raw) > 2 * len(self._used):
            compiled = {key: value for key, value in compiled.items() if key in self._used}
            raw = {key: value for key, value in raw.items() if key in self._used}
        body = json.dumps({"patterns": compiled, "plans": raw}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        header = json.dumps({"key": self._key, "sha256": hashlib.sha256(body).hexdigest()})
        temporary = None
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self._path.parent, prefix=".needle-plans-",
                                             delete=False) as out:
                temporary = out.name
                out.write(header.encode("ascii") + b"\n" + body)
            os.replace(temporary, self._path)
            temporary = None
            self._changed = False
            self._prune()  # a new key's file is written when another one went out of use
        except OSError:
            pass  # a cache that cannot be written: the next process works the plans out again
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


# The rules sharing one pattern (rules repeat patterns: a salary pattern counts both as job
# context and as a pay lure), the compiled pattern, min and max offset, and the gate: the index
# of a set of needles one of which must start within [later_from, later_to] of a match start
# (-1: no gate; -2: needles searched in the window, see `_searched_later`), those two bounds and
# what follows the gap compiled alone (see NeedlePlan).
Target = tuple[frozenset[int], re.Pattern[str], int, int | None, int, int, int,
               re.Pattern[str] | None]
# A target tried only where its needle starts, without a gate: its rules and pattern.
Anchored = tuple[frozenset[int], re.Pattern[str]]
# The matches that found rules, each with the indexes of the rules its pattern belongs to, in
# the order `matching_at` found them, for a caller that must know whether a rule's match still
# holds where the text is changed elsewhere (the negations blanked: screening.rules).
FoundAt = list[tuple[frozenset[int], "re.Match[str] | Located"]]


class Located(NamedTuple):
    """Where a pattern matched, as `re.Match` tells it (`span()`, `re`), for a match worked out
    without the engine's own try (see `Prefilter._split_match`)."""

    start_end: tuple[int, int]
    re: re.Pattern[str]

    def span(self) -> tuple[int, int]:
        return self.start_end

    def start(self) -> int:
        return self.start_end[0]

    def end(self) -> int:
        return self.start_end[1]


# A gated pattern "A G{low,high} B" cut at its gap G (greedy, of a class every character is in):
# A compiled alone, low and high.
_Split = tuple[re.Pattern[str], int, int]
_EVERY_CHARACTER_PAIRS = (
    (sre_constants.CATEGORY_SPACE, sre_constants.CATEGORY_NOT_SPACE),
    (sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_NOT_DIGIT),
    (sre_constants.CATEGORY_WORD, sre_constants.CATEGORY_NOT_WORD),
)


def _split_at_gap(pattern: re.Pattern[str], gap: int) -> _Split | None:
    """`pattern` cut at its top-level item `gap` (as `_later_gate` parses it), or None unless
    that item is a greedy bounded repeat of a class holding every character ("[\\s\\S]")."""
    parsed = sre_parser.parse(pattern.pattern, re.IGNORECASE)
    items = list(parsed.data)
    op, argument = items[gap]
    if op is not sre_constants.MAX_REPEAT or argument[1] is sre_constants.MAXREPEAT:
        return None
    body = list(argument[2].data)
    if len(body) != 1 or body[0][0] is not sre_constants.IN:
        return None
    categories = {value for kind, value in body[0][1] if kind is sre_constants.CATEGORY}
    if not any(a in categories and b in categories for a, b in _EVERY_CHARACTER_PAIRS):
        return None
    if parsed.state.groups != 1:  # capturing groups: what follows could refer back
        return None
    before = sre_compiler.compile(sre_parser.SubPattern(parsed.state, items[:gap]), pattern.flags)
    return before, argument[0], argument[1]


_NOT_CUT: Any = object()  # `Prefilter._splits` has no answer yet


class Prefilter:
    """Index of the needles of every (rule, pattern); finds the rules matching a text."""

    def __init__(self, patterns_per_rule: Sequence[Sequence[re.Pattern[str]]], *,
                 plan_cache: PlanCache | None = None) -> None:
        """`plan_cache`: where to take the patterns' needle plans from (else worked out here)."""
        # A pattern repeated in several rules (or twice in one) is tried once per position:
        # its result holds for every rule that has it. ~1,200 of ~5,400 patterns repeat.
        rules_of: dict[tuple[str, int], set[int]] = {}
        compiled: dict[tuple[str, int], re.Pattern[str]] = {}
        for rule_index, patterns in enumerate(patterns_per_rule):
            for pattern in patterns:
                key = (pattern.pattern, pattern.flags)
                rules_of.setdefault(key, set()).add(rule_index)
                compiled.setdefault(key, pattern)
        self._rule_count = len(patterns_per_rule)
        self._always: list[tuple[frozenset[int], re.Pattern[str]]] = []
        targets_of: dict[str, list[Target]] = {}
        self._offset_planned = 0
        plans: list[tuple[frozenset[int], re.Pattern[str], NeedlePlan]] = []
        # Each distinct set of rules is kept once: most of ~5,000 patterns belong to one rule,
        # and a frozenset costs at least 216 bytes (~1 MB per process before sharing).
        shared_rules: dict[frozenset[int], frozenset[int]] = {}
        for key, pattern in compiled.items():
            rules = frozenset(rules_of[key])
            rules = shared_rules.setdefault(rules, rules)
            plan = (needle_plan(pattern.pattern, pattern.flags) if plan_cache is None
                    else plan_cache.plan(pattern.pattern, pattern.flags))
            if plan is None:
                self._always.append((rules, pattern))
                continue
            if plan.max_offset is not None:
                self._offset_planned += len(rules)
            plans.append((rules, pattern, plan))
            for needle in plan.needles:
                targets_of.setdefault(needle, [])
        # Gate needles are searched by the same automaton; one that is no pattern's own needle
        # has no targets (its occurrences are skipped at once).
        gates: dict[Needles, int] = {}
        # These four are keyed by the pattern's id(), not the pattern: a compiled pattern's hash
        # is not cached, and hashes its whole compiled code at every look-up (~9,000
        # instructions for these patterns, ~9 look-ups per 2 KB offer: ~2% of screening's
        # instructions). Every pattern looked up is one of `plans`, held by the targets below
        # for as long as this prefilter lives, so an id names one pattern throughout.
        # The needles of the gates looked for with str.find, per pattern (longest first).
        self._searched_later: dict[int, tuple[str, ...]] = {}
        # The gap index of each pattern gated with `after_gap`, and each one's `_Split` (None:
        # not cut), made when the pattern is first tried (parsing them all would slow start-up).
        self._gap_of: dict[int, int] = {}
        self._splits: dict[int, _Split | None] = {}
        # Per searched gate's pattern, its needles as one alternation and the longest's length.
        self._later_searches: dict[int, tuple[re.Pattern[str], int]] = {}
        for _rules, pattern, plan in plans:
            if plan.later is None or plan.max_offset is None:
                continue
            if plan.later_searched:
                self._searched_later[id(pattern)] = tuple(sorted(plan.later, key=len, reverse=True))
                continue
            if plan.after_gap is not None and plan.gap is not None:
                self._gap_of[id(pattern)] = plan.gap
            gates.setdefault(plan.later, len(gates))
            for needle in plan.later:
                targets_of.setdefault(needle, [])
        index_of = {needle: index for index, needle in enumerate(targets_of)}
        for rules, pattern, plan in plans:
            gate = -1
            if plan.later is not None and plan.max_offset is not None:
                gate = -2 if plan.later_searched else gates[plan.later]
            # One tuple for all the needles of a plan (spelled-out plans have up to _MAX_SPELLED).
            target = (rules, pattern, plan.min_offset, plan.max_offset, gate, plan.later_from,
                      plan.later_to, plan.after_gap)
            for needle in plan.needles:
                targets_of[needle].append(target)
        # For each gate, whether each needle is one of its needles.
        self._gate_members: list[list[bool]] = []
        for needles in gates:
            member = [False] * len(index_of)
            for needle in needles:
                member[index_of[needle]] = True
            self._gate_members.append(member)
        self._needles = list(targets_of)
        # Needles of one plan share their targets and rules: each distinct tuple and set is
        # kept once (~14,000 needles, a few thousand distinct), which saves several MB per process.
        shared_targets: dict[tuple[Target, ...], tuple[Target, ...]] = {}
        shared_anchored: dict[tuple[Anchored, ...], tuple[Anchored, ...]] = {}
        # The targets tried only exactly where the needle starts, without a gate (most tried
        # targets, ~85 tries per 2 KB offer), apart: their try needs neither the offsets nor the
        # gate unpacked and tested. `_targets_by_index` holds the others.
        self._anchored_by_index: list[tuple[Anchored, ...]] = []
        self._targets_by_index: list[tuple[Target, ...]] = []
        self._rules_by_index: list[frozenset[int]] = []
        for needle in self._needles:
            anchored = tuple((rules, pattern) for rules, pattern, _low, high, gate, *_gate
                             in targets_of[needle] if high == 0 and gate == -1)
            targets = tuple(target for target in targets_of[needle]
                            if not (target[3] == 0 and target[4] == -1))
            self._anchored_by_index.append(shared_anchored.setdefault(anchored, anchored))
            self._targets_by_index.append(shared_targets.setdefault(targets, targets))
            rules = frozenset().union(*(rules for rules, *_plan in targets_of[needle]))
            self._rules_by_index.append(shared_rules.setdefault(rules, rules))
        self._needle_count = len(targets_of)
        self._longest_needle = max(map(len, self._needles), default=0)
        self._automaton: Any = None
        if ahocorasick_rs is not None and self._needles:
            # Rust automaton: one pass over the text, ~25 µs per 2 KB whatever the script.
            self._automaton = ahocorasick_rs.AhoCorasick(self._needles)

    @property
    def always_searched(self) -> int:
        return len(self._always)

    @property
    def needle_count(self) -> int:
        return self._needle_count

    def offset_planned_count(self) -> int:
        """Distinct patterns of a rule tried only at needle positions (the rest: whole-text
        search or always), counted once per rule having them."""
        return self._offset_planned

    @property
    def needles(self) -> Sequence[str]:
        """Every needle, at the index `occurrences` gives it."""
        return self._needles

    @property
    def longest_needle(self) -> int:
        """The length of the longest needle, in characters (0 without needles)."""
        return self._longest_needle

    def occurrences(self, lowered: str) -> Sequence[tuple[int, int, int]]:
        """(needle index, start, end) of every needle occurrence in `lowered` (lower-cased
        normalised text), overlapping ones too: for a caller that needs where patterns can
        match besides whether they do (`matching_at` takes them back)."""
        return self._occurrences(lowered, True)

    def _occurrences(self, lowered: str, use_automaton: bool) -> Sequence[tuple[int, int, int]]:
        """(needle index, start, end) of every needle occurrence (overlapping ones too), in
        text order: the order in which a rule is found soonest, so that its other patterns
        are skipped (grouping by needle instead tries twice as many patterns)."""
        if self._automaton is not None and use_automaton:
            return self._automaton.find_matches_as_indexes(lowered, overlapping=True)  # type: ignore[no-any-return]
        # Without the extension: one substring scan per needle (a few ms per offer).
        found = []
        for needle_index, needle in enumerate(self._needles):
            start = lowered.find(needle)
            while start >= 0:
                found.append((needle_index, start, start + len(needle)))
                start = lowered.find(needle, start + 1)
        found.sort(key=lambda occurrence: occurrence[1])
        return found

    def _gate_starts(self, gate: int, occurrences: Sequence[tuple[int, int, int]]) -> list[int]:
        """The sorted start positions (each once) of the occurrences of the gate's needles."""
        member = self._gate_members[gate]
        return sorted({start for needle_index, start, _end in occurrences if member[needle_index]})

    def _later_found(self, pattern: re.Pattern[str], after_gap: re.Pattern[str] | None,
                     normalised: str, lowered: str, low: int, high: int) -> bool:
        """Whether what follows the gap of `pattern` (a searched gate) matches where one of its
        needles starts within [low, high].

        The needles are looked for together, by one alternation of them (compiled when the
        pattern is first reached): each start where one of them occurs, left to right. A
        `str.find` per needle cost ~0.5 µs each (an ASCII needle is widened to the text's kind
        every time), ~8 needles for each of ~9 tries per 2 KB offer."""
        assert after_gap is not None  # a searched gate always has it (see _later_gate)
        searched = self._later_searches.get(id(pattern))
        if searched is None:
            needles = self._searched_later[id(pattern)]
            searched = self._later_searches[id(pattern)] = (
                re.compile("|".join(map(re.escape, needles))), max(map(len, needles)))
        needle_re, longest = searched
        end = high + longest  # a needle starting by `high` ends by then: it is seen whole
        found = needle_re.search(lowered, low, end)
        while found is not None and (at := found.start()) <= high:
            if after_gap.match(normalised, at):
                return True
            found = needle_re.search(lowered, at + 1, end)
        return False

    def _split_match(self, pattern: re.Pattern[str], split: _Split, after_gap: re.Pattern[str],
                     positions: list[int], normalised: str, start: int) -> re.Match[str] | Located | None:
        """`pattern.match(normalised, start)`, or where it would match, for a pattern
        "A G{low,high} B" (`_Split`) whose B (`after_gap`) starts only at `positions`.

        The engine takes A's first match, then tries B after the longest gap first, down to
        the shortest: B at each of ~100 positions, each of ~400 alternatives (~0.5 ms where it
        matches). The same answer: A's first match ends at `end` (A fails alone: so does the
        pattern), then B at the last of `positions` in [end + low, end + high] where it
        matches; with none there the engine would go back into A, and is asked."""
        before, low, high = split
        head = before.match(normalised, start)
        if head is None:
            return None
        end = head.end()
        at = bisect.bisect_right(positions, end + high) - 1
        while at >= 0 and positions[at] >= end + low:
            if tail := after_gap.match(normalised, positions[at]):
                return Located((start, tail.end()), pattern)
            at -= 1
        return pattern.match(normalised, start)

    def matching(self, normalised: str, *, use_automaton: bool = True) -> set[int]:
        """Indexes of the rules with a pattern matching `normalised` (see normalise_for_matching)."""
        lowered = normalised.lower()
        return self.matching_at(normalised, lowered, self._occurrences(lowered, use_automaton))

    def matching_at(self, normalised: str, lowered: str, occurrences: Sequence[tuple[int, int, int]],
                    *, known: Iterable[int] = (), found_at: FoundAt | None = None) -> set[int]:
        """`matching`, given `normalised.lower()` and every occurrence of this prefilter's needles
        in it, in any order (what is found does not depend on it: a rule is skipped only once
        found). A caller that has them from elsewhere saves the automaton's pass. The rules
        `known` are not looked for (they are in the answer as if found): a caller that needs
        only some rules saves their tries. `found_at`, when given, receives the match that found
        each rule (see `FoundAt`)."""
        # Lower-casing can lengthen a few characters (İ -> i̇); then positions would not line
        # up with the original, so every triggered pattern is searched in full instead.
        positions_align = len(lowered) == len(normalised)
        matched: set[int] = set(known)
        rule_count = self._rule_count
        targets_by_index = self._targets_by_index
        anchored_by_index = self._anchored_by_index
        rules_by_index = self._rules_by_index
        to_search: dict[re.Pattern[str], frozenset[int]] = dict(
            (pattern, rules) for rules, pattern in self._always)
        gate_starts: dict[int, list[int]] = {}  # each made when a pattern it gates is first tried
        for needle_index, start, _end in occurrences:
            # Most occurrences are of needles whose rules are all found already (a 2 KB offer
            # finds most of the ~20 rules): one subset test skips them.
            if rules_by_index[needle_index] <= matched:
                continue
            if positions_align:
                for rules, pattern in anchored_by_index[needle_index]:
                    if not rules <= matched and (found := pattern.match(normalised, start)):
                        if found_at is not None:
                            found_at.append((rules, found))
                        matched |= rules
                        # Every rule found: nothing left to learn from the text. Asked only
                        # where a rule was found, not after every occurrence tried.
                        if len(matched) == rule_count:
                            return matched
            else:
                for rules, pattern in anchored_by_index[needle_index]:
                    if not rules <= matched:
                        to_search[pattern] = rules
            for rules, pattern, min_offset, max_offset, gate, later_from, later_to, after_gap in \
                    targets_by_index[needle_index]:
                if rules <= matched:
                    continue  # every rule with this pattern is already found
                if max_offset is None or not positions_align:
                    to_search[pattern] = rules
                    continue
                first, last = start - max_offset, start - min_offset
                if first < 0:
                    first = 0
                if gate == -2:
                    if not self._later_found(pattern, after_gap, normalised, lowered,
                                             first + later_from, last + later_to):
                        continue
                elif gate >= 0:
                    # A match starting in [first, last] has a gate needle starting in
                    # [first + later_from, last + later_to]: with none there, no start can
                    # match; with `after_gap`, none where what follows the gap matches either.
                    positions = gate_starts.get(gate)
                    if positions is None:
                        positions = gate_starts[gate] = self._gate_starts(gate, occurrences)
                    at = bisect.bisect_left(positions, first + later_from)
                    window_end = last + later_to
                    if after_gap is not None:
                        while at < len(positions) and positions[at] <= window_end \
                                and not after_gap.match(normalised, positions[at]):
                            at += 1
                    if at == len(positions) or positions[at] > window_end:
                        continue
                    if after_gap is not None and (key := id(pattern)) in self._gap_of:
                        split = self._splits.get(key, _NOT_CUT)
                        if split is _NOT_CUT:
                            split = self._splits[key] = _split_at_gap(pattern, self._gap_of[key])
                        if split is not None:
                            for match_start in range(first, last + 1):
                                if located := self._split_match(pattern, split, after_gap, positions,
                                                              normalised, match_start):
                                    if found_at is not None:
                                        found_at.append((rules, located))
                                    matched |= rules
                                    if len(matched) == rule_count:
                                        return matched
                                    break
                            continue
                if max_offset == 0:
                    if found := pattern.match(normalised, start):
                        if found_at is not None:
                            found_at.append((rules, found))
                        matched |= rules
                        if len(matched) == rule_count:
                            return matched
                    continue
                for match_start in range(first, last + 1):
                    if found := pattern.match(normalised, match_start):
                        if found_at is not None:
                            found_at.append((rules, found))
                        matched |= rules
                        if len(matched) == rule_count:
                            return matched
                        break
        for pattern, rules in to_search.items():
            if not rules <= matched and (found := pattern.search(normalised)):
                if found_at is not None:
                    found_at.append((rules, found))
                matched |= rules
        return matched
