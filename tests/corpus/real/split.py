"""The frozen train/test split of the real-text corpus, by source address.

Every row of one source lands in the same split, so near-twins of a text (the same ad quoted by two
rows of one article) never sit on both sides. Run with `--write [FILE…]` to (re)set the `split` field of
every row; without it, it checks that every row's field agrees with the rule and exits 1 if not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
NOT_OFFER_FILES = frozenset({"short_lines.jsonl", "ordinary.jsonl"})


def split_of(source_url: str) -> str:
    digest = hashlib.sha256(source_url.strip().encode("utf-8")).hexdigest()
    return "test" if digest[0] in "01234567" else "train"


def offer_files() -> list[Path]:
    return sorted(path for path in CORPUS_DIR.glob("*.jsonl") if path.name not in NOT_OFFER_FILES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="set the split field of every row")
    parser.add_argument("files", nargs="*", type=Path, help="only these files (default: every offer file)")
    args = parser.parse_args(argv)
    wrong = 0
    for path in args.files or offer_files():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            expected = split_of(row["source_url"])
            if row.get("split") != expected:
                wrong += 1
                row["split"] = expected
        if args.write:
            path.write_text(
                "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
            )
    if wrong and not args.write:
        print(f"split: {wrong} rows disagree with the rule; run with --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
