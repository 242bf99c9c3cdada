"""The disk cache of needle plans and compiled patterns: what a cache written by one process
gives another is what working it out gives, and a bad cache is never used."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from screening.prefilter import PlanCache, Prefilter, needle_plan
from screening.rules import RULES_PATH, cache_dir, load_rules, parse_rules

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus" / "offers.jsonl"

_JOBS = [f"{'abcdefghij'[n % 10]}job{n:02d}" for n in range(60)]
PATTERNS = [
    r"\bvisa on arrival\b", r"(?:\bper |/|\ba )(?:month|year)\b", r"[a-z]+ overland", r"\d{3,}",
    r"(?<![\w.@])@[a-z][a-z0-9_]{4,31}\b", r"ปอยเปต", r"西港|妙瓦底", r"\bno (?:contract|interview)\b",
    # gated by what follows the gap (compiled alone), and searched in the window
    r"(?<!\d)[1-9]\d{2} ?usd\b[\s\S]{0,40}(?<![a-z])(?:" + "|".join(_JOBS) + r")\b",
    r"(?<!\d)[1-9]\d{2} ?usd\b[\s\S]{0,40}(?<![a-z])(?:ajob00|bjob01 now)\b",
    r"(?s)inline.{0,3}flags",
]
TEXTS = ["Visa on arrival, 100 usd a month", "100usd ajob00", "100 usd xx bjob01 now", "@abcdef",
         "ปอยเปต 西港", "no contract", "INLINE\nFLAGS", "100usd xajob00", "nothing here"]


def _fill(directory: Path | None) -> PlanCache:
    cache = PlanCache(directory)
    for source in PATTERNS:
        compiled = cache.compile(source, re.IGNORECASE)
        cache.plan(compiled.pattern, compiled.flags)
    cache.save()
    return cache


def test_plans_read_back_equal_plans_worked_out(tmp_path: Path) -> None:
    written = _fill(tmp_path)
    assert written.computed == 2 * len(PATTERNS) and written.path is not None
    assert written.path.exists()
    read = PlanCache(tmp_path)
    for source in PATTERNS:
        compiled = read.compile(source, re.IGNORECASE)
        eager = re.compile(source, re.IGNORECASE)
        # Pattern equality compares the flags, the source and the compiled code word for word.
        assert compiled == eager and compiled.groupindex == eager.groupindex
        plan, fresh = read.plan(compiled.pattern, compiled.flags), needle_plan(eager.pattern, eager.flags)
        assert plan == fresh or (plan is not None and fresh is not None and plan.after_gap is not None
                                 and plan.after_gap.match("ajob00") is not None
                                 and plan == dataclasses.replace(fresh, after_gap=plan.after_gap))
        if plan is not None and plan.after_gap is not None:  # rebuilt: equal to compiling it again
            assert fresh is not None and plan.after_gap == fresh.after_gap
    assert read.computed == 0  # everything came from the file
    prefilter = Prefilter([[read.compile(source, re.IGNORECASE)] for source in PATTERNS],
                          plan_cache=read)
    eager_patterns = [re.compile(source, re.IGNORECASE) for source in PATTERNS]
    reference = Prefilter([[pattern] for pattern in eager_patterns])
    for text in TEXTS:
        expected = {index for index, pattern in enumerate(eager_patterns) if pattern.search(text)}
        assert prefilter.matching(text) == reference.matching(text) == expected, text


@pytest.mark.parametrize("damage", [
    b"", b"{not json", b"[]\n{}", b'{"key": "another version"}\n{}', "truncated", "one bit",
    "other version", "malformed entry", "malformed code", "code that fails",
])
def test_a_bad_cache_file_is_ignored(tmp_path: Path, damage: bytes | str) -> None:
    path = _fill(tmp_path).path
    assert path is not None
    content = path.read_bytes()
    header, _, body = content.partition(b"\n")
    stamp, document = json.loads(header), json.loads(body)
    if damage == "truncated":
        path.write_bytes(content[:len(content) // 2])
    elif damage == "one bit":  # the body's digest no longer matches
        path.write_bytes(content[:-10] + bytes([content[-10] ^ 1]) + content[-9:])
    elif damage == "other version":
        path.write_bytes(json.dumps({**stamp, "key": "0" * 64}).encode() + b"\n" + body)
    elif isinstance(damage, str):  # an entry damaged, the digest made to match: that entry only
        key = next(iter(document["patterns"]))
        if damage == "malformed entry":
            planned = next(key for key, plan in document["plans"].items() if plan is not None)
            document["plans"][planned][0] = 7  # needles not a list
        elif damage == "malformed code":
            document["patterns"][key][4] = "not base64!"
        else:
            document["patterns"][key][4] = "AAAAAA=="  # one word of code: _sre refuses it
        body = json.dumps(document).encode()
        stamp["sha256"] = hashlib.sha256(body).hexdigest()
        path.write_bytes(json.dumps(stamp).encode() + b"\n" + body)
    else:
        path.write_bytes(damage)
    cache = PlanCache(tmp_path)
    compiled = [cache.compile(source, re.IGNORECASE) for source in PATTERNS]
    assert compiled == [re.compile(source, re.IGNORECASE) for source in PATTERNS]
    plans = [cache.plan(pattern.pattern, pattern.flags) for pattern in compiled]
    assert [plan and (plan.needles, plan.min_offset, plan.max_offset, plan.later, plan.gap)
            for plan in plans] == [
        plan and (plan.needles, plan.min_offset, plan.max_offset, plan.later, plan.gap)
        for plan in (needle_plan(pattern.pattern, pattern.flags) for pattern in compiled)]
    # what was wrong is worked out again (a damaged entry alone; a bad file: everything)
    assert cache.computed == (1 if damage in ("malformed entry", "malformed code", "code that fails")
                              else 2 * len(PATTERNS))
    cache.save()
    again = PlanCache(tmp_path)
    assert again.plan(PATTERNS[0], re.compile(PATTERNS[0], re.IGNORECASE).flags) == needle_plan(PATTERNS[0])
    assert again.computed == 0


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a directory", encoding="utf-8")
    cache = _fill(blocker / "cache")  # mkdir fails under a file
    assert cache.computed == 2 * len(PATTERNS)
    assert not (blocker / "cache").exists()
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_a_bad_regex_is_still_refused_with_a_cache(tmp_path: Path) -> None:
    _fill(tmp_path)
    with pytest.raises(re.error):
        PlanCache(tmp_path).compile("(", re.IGNORECASE)


@pytest.mark.parametrize("source", [
    r"\bvisa (on) arrival\b", r"(?P<pay>\d+) ?(?:usd|\$)(?P=pay)?", r"(?ax)\w+ a  b",
    r"(?<![\w.@])@[a-z][a-z0-9_]{4,31}\b", "ปอยเปต|西港", r"[^\W\d_]{2,}(?!x)",
])
def test_rebuilt_patterns_are_the_compiled_ones(tmp_path: Path, source: str) -> None:
    PlanCache(tmp_path).compile(source, re.IGNORECASE)  # compiled, not saved: memory only
    written = PlanCache(tmp_path)
    written.compile(source, re.IGNORECASE)
    written.save()
    rebuilt, eager = PlanCache(tmp_path).compile(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert rebuilt is not eager and rebuilt == eager  # same flags, source and code
    assert (rebuilt.groups, rebuilt.groupindex) == (eager.groups, eager.groupindex)
    text = "a VISA ON ARRIVAL 100 usd100 @abcdef ปอยเปต ab x"
    assert [found.groups() for found in rebuilt.finditer(text)] == \
        [found.groups() for found in eager.finditer(text)]
    assert pickle.loads(pickle.dumps(rebuilt)) == eager


def _rules_summary_script(directory: Path) -> str:
    return f"""
import hashlib, json, re, sys
from pathlib import Path
from screening.prefilter import PlanCache
from screening.rules import RULES_PATH, parse_rules
cache = PlanCache(Path({str(directory)!r}))
rules = parse_rules(json.loads(RULES_PATH.read_text(encoding="utf-8")), plans=cache)
texts = [json.loads(line)["text"] for line in Path({str(CORPUS)!r}).read_text(encoding="utf-8").splitlines()
         if line.strip()]
found = [[rule.id for rule in rules.match(text)[0]] for text in texts]
found += [[rule.id for rule in rules.match(text.upper())[0]] for text in texts]
def canonical(plan):  # frozensets in sorted order: their order changes with the hash seed
    if plan is None:
        return None
    return [sorted(plan.needles), plan.min_offset, plan.max_offset, sorted(plan.later or ()),
            plan.later is None, plan.max_width, plan.later_from, plan.later_to, plan.gap,
            plan.after_gap is not None, plan.later_searched]
plans = [canonical(cache.plan(pattern.pattern, pattern.flags)) for rule in rules.rules
         for pattern in rule.patterns]
summary = json.dumps([found, plans, sorted(rules.prefilter.needles),
                      [sorted(plan[0]) + list(plan[1:]) for plan in rules.mask_plans]])
print(json.dumps({{"computed": cache.computed, "digest": hashlib.sha256(summary.encode()).hexdigest(),
                   "texts": len(texts)}}))
"""


def _run(script: str) -> dict[str, int | str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_cache_written_by_one_process_gives_another_the_same_rules(tmp_path: Path) -> None:
    script = _rules_summary_script(tmp_path)
    first = _run(script)  # nothing cached: works every plan out, writes the file
    second = _run(script)  # reads it
    assert isinstance(first["computed"], int) and first["computed"] > 5000
    assert second["computed"] == 0
    assert first["texts"] == second["texts"] and int(first["texts"]) > 50
    assert first["digest"] == second["digest"]


def test_shipped_rules_load_equal_with_and_without_the_cache(tmp_path: Path) -> None:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    plain = parse_rules(document, plans=PlanCache(tmp_path))  # worked out, and written
    cached = load_rules(RULES_PATH, cache_dir=tmp_path)
    assert cached.rules == plain.rules  # the lazy patterns of two loads are the same objects
    assert cached.mask_plans == plain.mask_plans
    assert sorted(cached.prefilter.needles) == sorted(plain.prefilter.needles)
    assert cached.prefilter.offset_planned_count() == plain.prefilter.offset_planned_count()
    assert cached.prefilter.always_searched == plain.prefilter.always_searched


def test_cache_directory_from_the_environment(tmp_path: Path) -> None:
    assert cache_dir({"LURECHECK_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({"LURECHECK_CACHE_DIR": ""}) is None  # no cache
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "lurecheck"
    assert cache_dir({"XDG_CACHE_HOME": "relative"}) == Path.home() / ".cache" / "lurecheck"


def _age(path: Path, seconds: float) -> None:
    """Make `path` look last written `seconds` ago."""
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))


def _stale_neighbours(directory: Path) -> dict[str, Path]:
    """Files beside a cache: of other keys (an older prefilter.py, Python or re), temporary files
    of writers, and files that are not the cache's; old and recent."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "old key": directory / "needle-plans-0123456789abcdef.json",
        "recent key": directory / "needle-plans-fedcba9876543210.json",
        "old temporary": directory / ".needle-plans-k2j4h5g6",
        "recent temporary": directory / ".needle-plans-a1b2c3d4",
        "someone else's": directory / "needle-plans-notes.json",
        "unrelated": directory / "other-tool.json",
    }
    for path in files.values():
        path.write_bytes(b"{}\n{}")
    for name in ("old key", "someone else's", "unrelated"):
        _age(files[name], PlanCache.STALE_AFTER + 60)
    _age(files["recent key"], PlanCache.STALE_AFTER - 3600)
    _age(files["old temporary"], PlanCache.TEMPORARY_STALE_AFTER + 60)
    return files


def test_writing_the_cache_removes_stale_files_of_other_keys_only(tmp_path: Path) -> None:
    files = _stale_neighbours(tmp_path)
    written = _fill(tmp_path)
    assert written.path is not None and written.path.exists()
    kept = {name for name, path in files.items() if path.exists()}
    assert kept == {"recent key", "recent temporary", "someone else's", "unrelated"}
    assert PlanCache(tmp_path).computed == 0  # its own file untouched


def test_a_process_that_only_reads_keeps_its_file_in_use_and_prunes(tmp_path: Path) -> None:
    written = _fill(tmp_path)
    assert written.path is not None
    files = _stale_neighbours(tmp_path)
    _age(written.path, 3600)  # read an hour after it was written: nothing to do
    before = written.path.stat().st_mtime
    PlanCache(tmp_path)
    assert written.path.stat().st_mtime == before and files["old key"].exists()
    _age(written.path, PlanCache.TOUCH_AFTER)  # a day later: marked in use, the stale go
    reader = PlanCache(tmp_path)
    assert reader.compile(PATTERNS[0], re.IGNORECASE) == re.compile(PATTERNS[0], re.IGNORECASE)
    assert reader.computed == 0
    assert written.path.stat().st_mtime > before
    assert {name for name, path in files.items() if path.exists()} == \
        {"recent key", "recent temporary", "someone else's", "unrelated"}


def test_a_file_pruned_under_a_reader_is_worked_out_again(tmp_path: Path) -> None:
    """Another process removed the file this one was about to read: no error, same patterns."""
    written = _fill(tmp_path)
    assert written.path is not None
    written.path.unlink()
    cache = _fill(tmp_path)
    assert cache.computed == 2 * len(PATTERNS) and written.path.exists()
