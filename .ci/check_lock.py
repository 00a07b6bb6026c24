"""Compare the running environment with a lock file: the distributions installed (as
`pip freeze --all` lists them, less pip and the project itself) must be exactly the pins.

Usage: python .ci/check_lock.py requirements-test.lock
Exit status 0 when they are equal, 1 with the differences on stderr otherwise.
Standard library only: it runs right after the install, before anything else is trusted.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

# Installed by the virtual environment's bootstrap (pinned in the Makefile), or the project.
NOT_LOCKED = frozenset({"pip", "zwfw-credit"})
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name: str) -> str:
    """The name as PyPI compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_pins(lock: Path) -> dict[str, str]:
    """`name==version` of every requirement line; hashes and comments are skipped."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and canonical(name) not in NOT_LOCKED:
            found.setdefault(canonical(name), dist.version)
    return found


def differences(pins: dict[str, str], present: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(set(pins) | set(present)):
        want, have = pins.get(name), present.get(name)
        if want == have:
            continue
        if have is None:
            lines.append(f"missing    {name}=={want}")
        elif want is None:
            lines.append(f"not locked {name}=={have}")
        else:
            lines.append(f"version    {name}=={have}, locked {want}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write(__doc__ or "")
        return 2
    lock = Path(argv[0])
    found = differences(locked_pins(lock), installed())
    if found:
        sys.stderr.write(f"{sys.prefix} differs from {lock}:\n")
        sys.stderr.writelines(f"  {line}\n" for line in found)
        return 1
    sys.stdout.write(f"{sys.prefix}: exactly the {len(locked_pins(lock))} pins of {lock}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
