"""CPU a fresh process spends loading the shipped rules (`screening.rules.default_rules()`): cold
(an empty cache directory: every needle plan worked out, every pattern compiled, the cache
written) and warm (the cache another process wrote), each in its own process.

Run: `.venv/bin/python bench/rules_load_bench.py [--rounds 5] [--repo PATH]`. `--repo` loads another
checkout's rules and code (a tree from before the cache: its warm figure is a cold one).
Printed: seconds of CPU (user + system) of the whole process (interpreter start, imports, load)
and of the load alone (`time.process_time()` around `default_rules()`), median of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, time
import screening.rules
started = time.process_time()
screening.rules.default_rules()
print(json.dumps({"load": time.process_time() - started}))
"""


def run_once(repo: Path, cache: Path) -> tuple[float, float]:
    """(CPU seconds of the whole process, of the load alone)."""
    env = {**os.environ, "PYTHONPATH": str(repo), "LURECHECK_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, cwd=repo, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return whole, float(json.loads(done.stdout)["load"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to load (default: this one)")
    args = parser.parse_args()
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="rules-load-") as directory:
            cold.append(run_once(args.repo, Path(directory)))
            warm.append(run_once(args.repo, Path(directory)))
    for name, runs in (("cold", cold), ("warm", warm)):
        print(f"{name}: process {statistics.median(whole for whole, _ in runs):.3f} s CPU, "
              f"default_rules() {statistics.median(load for _, load in runs):.3f} s CPU "
              f"(median of {len(runs)}; loads {', '.join(f'{load:.2f}' for _, load in runs)})")


if __name__ == "__main__":
    main()
