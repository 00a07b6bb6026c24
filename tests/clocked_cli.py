"""``python -m tests.clocked_cli <clock file> <zwfw-credit arguments>``: the real command line
(``app.ops.cli.main``) with one change, "now" is read from a file the test writes.

Tests count dates by hand from the 2026 calendar, so a server process must stand on a day the
test chooses and move when the test moves it: ``set_clock(path, when)`` (tests/server_process.py)
rewrites the file, and every later ``Clock.now()`` in the process (requests and the worker)
returns that instant.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from app.core.clock import SystemClock
from app.ops import cli


def install(path: Path) -> None:
    def now(self: SystemClock) -> datetime:
        at = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
        if at.tzinfo is None:
            raise ValueError(f"{path}: the clock needs a timezone-aware instant")
        return at

    SystemClock.now = now  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    install(Path(argv[0]))
    return cli.main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
