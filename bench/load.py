"""The requests the load sends, built from a seeded database's load file.

Each route gets a list of requests that vary the subject (and the caller): credit checks
of the subjects that consented, their credit profiles, public-list searches by
identifier (half of them listed subjects), and each department's task list. Tokens are
signed with the service's secret, spread over many callers so the per-caller rate limit
(``ZWFW_RATE_LIMIT``, on as deployed) is not what the load measures; anonymous public
searches come through a proxy from many client addresses (``X-Forwarded-For``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import WORK_DIR

CALLERS = 256
TOKEN_TTL_SECONDS = 6 * 3600

CREDIT_CHECK = "credit_check"
CREDIT_PROFILE = "credit_profile"
PUBLIC_LIST = "public_restrictions"
TASKS = "tasks"
ROUTES = (CREDIT_CHECK, CREDIT_PROFILE, PUBLIC_LIST, TASKS)
# A page of tasks every department of the small scale fills (the smallest holds 33 open
# cases there), so both scales answer pages of the same length: with the default of 50,
# a third of the small scale's pages held 33 tasks against 50 at the large scale, and the
# ratio of the two measured the length of the answer rather than the size of the data.
TASK_PAGE = 30
FLOOR = "work_floor"
CEILING = "framework_ceiling"


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    method: str
    path: str
    token: str | None
    body: bytes | None = None
    forwarded_for: str | None = None

    def wrk_line(self) -> str:
        """method, path, token, X-Forwarded-For, body: tab-separated (bench/wrk.lua)."""
        body = self.body.decode() if self.body else ""
        return "\t".join((self.method, self.path, self.token or "", self.forwarded_for or "", body))


_tokens: dict[tuple[str, str, str], str] = {}


def token(role: str, department: str, caller: int) -> str:
    from app.core.config import load_settings
    from app.web.auth import mint_token

    key = (role, department, str(caller))
    if key not in _tokens:
        _tokens[key] = mint_token(
            load_settings(),
            sub=f"bench-{role}-{caller:03d}",
            roles=[role],
            department=department,
            ttl_seconds=TOKEN_TTL_SECONDS,
        )
    return _tokens[key]


def read_load_file(database: str) -> dict[str, Any]:
    path = Path(WORK_DIR / f"{database}.load.json")
    if not path.exists():
        raise SystemExit(f"{path} is missing: seed first (python -m bench.seed)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def credit_check_body(subject: dict[str, str], matter: dict[str, str]) -> bytes:
    return json.dumps(
        {
            "subject": {
                "subject_type": subject["subject_type"],
                "id_number": subject["id_number"],
                "name": subject["name"],
            },
            "matter_code": matter["matter_code"],
            "mode": matter["mode"],
            "consent_id": subject["consent_id"],
            "purpose": "credit_facilitation",
        },
        ensure_ascii=False,
    ).encode()


def load_targets(database: str, per_route: int | None = None) -> list[Target]:
    """Requests for every measured route (``per_route`` of each, default all)."""
    data = read_load_file(database)
    checked: list[dict[str, str]] = data["checked"]
    matters: list[dict[str, str]] = data["matters"]
    departments: list[str] = data["departments"]
    limit = per_route or len(checked)
    targets: list[Target] = []
    for n, subject in enumerate(checked[:limit]):
        matter = matters[n % len(matters)]
        department = matter["matter_code"].rsplit("-", 1)[0]
        targets.append(
            Target(
                CREDIT_CHECK,
                "POST",
                "/api/v1/credit-checks",
                token("clerk", department, n % CALLERS),
                credit_check_body(subject, matter),
            )
        )
    # The lookups take the identifier in the body (the GET forms with it in the URL are
    # deprecated).
    for n, subject in enumerate(checked[:limit]):
        lookup = {"subject_type": subject["subject_type"], "id_number": subject["id_number"]}
        targets.append(
            Target(
                CREDIT_PROFILE,
                "POST",
                "/api/v1/credit-profiles/lookup",
                token("clerk", departments[n % len(departments)], n % CALLERS),
                json.dumps(lookup).encode(),
            )
        )
    for n, number in enumerate(data["public_searches"][:limit]):
        address = f"198.51.100.{n % CALLERS}"  # documentation range: a header value only
        targets.append(
            Target(
                PUBLIC_LIST,
                "POST",
                "/api/v1/public/restrictions/search",
                None,
                json.dumps({"id_number": number}).encode(),
                forwarded_for=address,
            )
        )
    # The task lists of the departments that handle matters (they hold the open cases).
    agencies = sorted({m["matter_code"].rsplit("-", 1)[0] for m in matters})
    for n in range(min(limit, CALLERS)):
        department = agencies[n % len(agencies)]
        path = f"/api/v1/tasks?limit={TASK_PAGE}"
        targets.append(Target(TASKS, "GET", path, token("clerk", department, n)))
    return targets


def floor_targets(database: str) -> list[Target]:
    """The credit checks again, sent to the work floor (bench/floor.py)."""
    return [
        Target(FLOOR, "POST", "/credit-checks", t.token, t.body)
        for t in load_targets(database)
        if t.name == CREDIT_CHECK
    ]


def ceiling_targets() -> list[Target]:
    return [Target(CEILING, "GET", "/", None)]
