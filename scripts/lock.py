"""The dependency lock (requirements.txt, requirements-dev.txt: made by pip-compile) kept honest.

  python3 scripts/lock.py stamp                 record pyproject.toml's dependency digest in the locks
  python3 scripts/lock.py check                 exit 1, with one line, when pyproject.toml changed since
  python3 scripts/lock.py venv PYTHON LOCK [--exact]
                                                exit 1 when PYTHON's `pip freeze` differs from LOCK
                                                (--exact: nothing more may be installed)

Standard library only: `check` runs before the virtualenv exists.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = (ROOT / "requirements.txt", ROOT / "requirements-dev.txt")
STAMP_PREFIX = "# pyproject-dependencies-sha256: "
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
# What the lock leaves out as "unsafe": the installer's own tools, which come with the virtualenv.
INSTALLER_TOOLS = frozenset({"pip", "setuptools", "wheel", "distribute"})


def inputs_digest() -> str:
    """A digest of what the locks are compiled from: the dependency ranges and the Python range."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def stamp() -> int:
    digest = inputs_digest()
    for lock in LOCKS:
        kept = [line for line in lock.read_text(encoding="utf-8").splitlines()
                if not line.startswith(STAMP_PREFIX)]
        lock.write_text("\n".join([*kept, STAMP_PREFIX + digest]) + "\n", encoding="utf-8")
    return 0


def check() -> int:
    digest = inputs_digest()
    for lock in LOCKS:
        text = lock.read_text(encoding="utf-8") if lock.exists() else ""
        if STAMP_PREFIX + digest not in text.splitlines():
            print(f"lock: {lock.relative_to(ROOT)} does not match pyproject.toml's dependencies; "
                  "run scripts/lock.sh (add --upgrade to move every pin to its newest release)",
                  file=sys.stderr)
            return 1
    return 0


def venv(python: str, lock: Path, *, exact: bool) -> int:
    frozen = subprocess.run([python, "-m", "pip", "freeze", "--all"], check=True,
                            capture_output=True, text=True).stdout.splitlines()
    installed = pins(frozen)
    wanted = pins(lock.read_text(encoding="utf-8").splitlines())
    wrong = sorted(f"{name} {installed.get(name, 'missing')} (lock: {version})"
                   for name, version in wanted.items() if installed.get(name) != version)
    if exact:
        wrong += sorted(f"{name} {version} (not in the lock)"
                        for name, version in installed.items()
                        if name not in wanted and name not in INSTALLER_TOOLS)
    if wrong:
        print(f"lock: the virtualenv differs from {lock.name}: " + "; ".join(wrong), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["stamp"]:
        return stamp()
    if argv[:1] == ["check"]:
        return check()
    if argv[:1] == ["venv"] and len(argv) in (3, 4):
        return venv(argv[1], Path(argv[2]), exact=argv[3:] == ["--exact"])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
