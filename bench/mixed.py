"""The mixed run (bench/run.py calls it; README, *Benchmark*): a city's traffic against the
app at once, requests/s over the mix.

Each *cycle* of the request list holds, in this order of weight (``MIX``): credit checks,
credit profiles, public-list searches and task lists (the requests of bench/load.py), and
the steps of the two life cycles: a commitment signed from a passed credit check, a step
of a signed commitment (the supplement of a tolerance case, the decision of a
notify-commit case), a listing collected, and the verification of a collected listing.
The entities a step needs (the checks, the commitments, the listings) are made before the
run through the API, one per cycle, so each step is sent once (bench/mixed.lua gives every
wrk thread its own share of the list); a run longer than the list sends steps again, and
their 409 answers count as errors. ``BENCH_MIXED_CYCLES`` sets how many (default: enough
for ``BENCH_DURATION`` at 300 requests/s).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from bench import load as routes
from bench import run as bench
from bench.common import BENCH_DIR, ROOT, WORK_DIR, configure_in_process, env_int, say

MIXED = env_int("BENCH_MIXED", 1)
PLANNED_RATE = 300
SETUP_CONCURRENCY = 8

SIGN = "commitment_sign"
COMMITMENT_STEP = "commitment_step"
COLLECT = "listing_collect"
VERIFY = "listing_verify"
# Requests of each kind in one cycle of the list.
MIX: tuple[tuple[str, int], ...] = (
    (routes.CREDIT_CHECK, 4),
    (routes.CREDIT_PROFILE, 2),
    (routes.PUBLIC_LIST, 2),
    (routes.TASKS, 1),
    (SIGN, 1),
    (COMMITMENT_STEP, 1),
    (COLLECT, 1),
    (VERIFY, 1),
)
PER_CYCLE = sum(weight for _, weight in MIX)
# Enough cycles for the whole run at up to PLANNED_RATE requests/s.
CYCLES = env_int("BENCH_MIXED_CYCLES", -(-bench.DURATION * PLANNED_RATE // PER_CYCLE))
COMMITTING_MODES = ("tolerance", "notify_commit")
AFFIRMATIONS = {
    "accepts_liability": True,
    "knows_notice": True,
    "materials_true": True,
    "meets_conditions": True,
    "true_intention": True,
}


@dataclass(slots=True)
class Mixed:
    processes: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int
    cycles: int
    list_requests: int
    statuses: dict[str, int] = field(default_factory=dict)
    # Requests/s of each kind: the run's rate times the kind's share of the list.
    by_kind: dict[str, float] = field(default_factory=dict)


def _department(matter_code: str) -> str:
    return matter_code.rsplit("-", 1)[0]


def _sign_body(check: dict[str, Any], missing: list[str]) -> bytes:
    body: dict[str, Any] = {
        "credit_check_id": check["id"],
        "mode": check["mode"],
        "affirmations": AFFIRMATIONS,
        "signed_by": "申请人（法定代表人）",
        "signed_at": datetime.now(UTC).isoformat(),
    }
    if check["mode"] == "tolerance":
        body["missing_materials"] = missing
    return json.dumps(body, ensure_ascii=False).encode()


def _listing_body(subject: dict[str, str]) -> bytes:
    return json.dumps(
        {
            "subject": {
                "subject_type": subject["subject_type"],
                "id_number": subject["id_number"],
                "name": subject["name"],
            },
            "situation": "false_materials",
            "source_channel": "investigation",
            "facts": "申请时提供虚假的经营场所使用证明",
            "legal_basis": "临政管办发〔2022〕3号 五(一)2",
            "period_months": 12,
            "period_basis": "《某某行业信用管理办法》第十二条：失信管理期限为12个月",
        },
        ensure_ascii=False,
    ).encode()


class _Setup:
    """Makes the entities the steps of the list need, through the app's API."""

    def __init__(self, client: httpx.AsyncClient, data: dict[str, Any]) -> None:
        self.client = client
        self.subjects: list[dict[str, str]] = data["checked"]
        self.matters = [m for m in data["matters"] if m["mode"] in COMMITTING_MODES]
        self.next_subject = 0
        self.gate = asyncio.Semaphore(SETUP_CONCURRENCY)
        self.tolerable: dict[str, list[str]] = {}

    async def missing(self, matter_code: str) -> list[str]:
        """One material the matter lets a tolerance case hand in later."""
        if matter_code not in self.tolerable:
            answer = await self.client.get(f"/api/v1/public/matters/{matter_code}")
            answer.raise_for_status()
            terms = answer.json()["modes"].get("tolerance") or {}
            self.tolerable[matter_code] = terms.get("tolerable_missing_materials", [])[:1]
        return self.tolerable[matter_code]

    async def _post(self, path: str, bearer: str, body: bytes) -> dict[str, Any]:
        async with self.gate:
            answer = await self.client.post(
                path,
                content=body,
                headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"},
            )
        if answer.status_code >= 300:
            raise RuntimeError(f"setup: POST {path} answered {answer.status_code}: {answer.text}")
        result: dict[str, Any] = answer.json()
        return result

    async def passed_check(self, n: int) -> tuple[dict[str, Any], str]:
        """A credit check that allows its commitment mode, and the checking clerk's token."""
        for _ in range(50):
            subject = self.subjects[self.next_subject % len(self.subjects)]
            self.next_subject += 1
            matter = self.matters[n % len(self.matters)]
            bearer = routes.token("clerk", _department(matter["matter_code"]), n % routes.CALLERS)
            check = await self._post(
                "/api/v1/credit-checks", bearer, routes.credit_check_body(subject, matter)
            )
            if check["mode"] in check["eligible_modes"]:
                return check, bearer
        raise RuntimeError("setup: no subject passes the credit check")

    async def sign(self, n: int) -> routes.Target:
        check, bearer = await self.passed_check(n)
        body = _sign_body(check, await self.missing(check["matter_code"]))
        return routes.Target(SIGN, "POST", "/api/v1/commitments", bearer, body)

    async def commitment_step(self, n: int) -> routes.Target:
        check, bearer = await self.passed_check(n)
        missing = await self.missing(check["matter_code"])
        commitment = await self._post("/api/v1/commitments", bearer, _sign_body(check, missing))
        path = f"/api/v1/commitments/{commitment['id']}"
        if check["mode"] == "tolerance":
            body = {"compliant": True, "materials": missing}
            return routes.Target(
                COMMITMENT_STEP, "POST", path + "/supplements", bearer, json.dumps(body).encode()
            )
        return routes.Target(COMMITMENT_STEP, "POST", path + "/decision", bearer, b"{}")

    def collect(self, n: int, subject: dict[str, str], department: str) -> routes.Target:
        bearer = routes.token("clerk", department, n % routes.CALLERS)
        return routes.Target(
            COLLECT, "POST", "/api/v1/restrictions", bearer, _listing_body(subject)
        )

    async def verify(self, n: int, subject: dict[str, str], department: str) -> routes.Target:
        target = self.collect(n, subject, department)
        listing = await self._post(target.path, target.token or "", target.body or b"")
        path = f"/api/v1/restrictions/{listing['id']}/verification"
        return routes.Target(VERIFY, "POST", path, target.token, b"{}")


async def prepare(url: str, database: str, cycles: int) -> list[routes.Target]:
    """The mixed request list: ``cycles`` cycles of ``MIX``, the entities made first."""
    configure_in_process(database)
    data = routes.read_load_file(database)
    reads: dict[str, list[routes.Target]] = {}
    for target in routes.load_targets(database):
        reads.setdefault(target.name, []).append(target)
    # Listings go to subjects from the end of the load's list, checks start at its head.
    listed = data["checked"][::-1]
    departments = sorted({_department(m["matter_code"]) for m in data["matters"]})
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        setup = _Setup(client, data)
        signs = await asyncio.gather(*(setup.sign(n) for n in range(cycles)))
        steps = await asyncio.gather(*(setup.commitment_step(n) for n in range(cycles)))
        verifies = await asyncio.gather(
            *(
                setup.verify(n, listed[(2 * n) % len(listed)], departments[n % len(departments)])
                for n in range(cycles)
            )
        )
    made = {SIGN: signs, COMMITMENT_STEP: steps, VERIFY: verifies}
    made[COLLECT] = [
        setup.collect(n, listed[(2 * n + 1) % len(listed)], departments[n % len(departments)])
        for n in range(cycles)
    ]
    targets: list[routes.Target] = []
    taken: dict[str, int] = {}
    for n in range(cycles):
        for kind, weight in MIX:
            pool = made.get(kind) or reads[kind]
            for _ in range(weight):
                index = taken.get(kind, 0)
                taken[kind] = index + 1
                targets.append(pool[index % len(pool)] if kind in reads else pool[n])
    return targets


def run_mixed(url: str, database: str, processes: int) -> Mixed:
    """Prepare the list against the server at ``url``, then one wrk run of ``DURATION``."""
    say(f"  mixed x{processes}: preparing {CYCLES} cycles")
    targets = asyncio.run(prepare(url, database, CYCLES))
    path = WORK_DIR / f"{database}-mixed-x{processes}.requests"
    path.write_text("\n".join(t.wrk_line() for t in targets) + "\n", encoding="utf-8")
    command = [
        "wrk",
        f"-t{bench.THREADS}",
        f"-c{bench.CONNECTIONS}",
        f"-d{bench.DURATION}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(BENCH_DIR / "mixed.lua"),
        url,
        "--",
        str(path),
        str(bench.THREADS),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=bench.DURATION + 60, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}\n{done.stdout}")
    return _result(done.stdout, processes, len(targets))


def _line(text: str, prefix: str) -> dict[str, Any]:
    line = next(x for x in text.splitlines() if x.startswith(prefix))
    parsed: dict[str, Any] = json.loads(line.removeprefix(prefix))
    return parsed


def _result(text: str, processes: int, list_requests: int) -> Mixed:
    summary = _line(text, "WRK_SUMMARY ")
    statuses = {k: int(v) for k, v in sorted(_line(text, "WRK_STATUSES ").items())}
    seconds = summary["duration_us"] / 1e6 or float(bench.DURATION)
    rate = summary["requests"] / seconds
    result = Mixed(
        processes=processes,
        requests_per_second=rate,
        p50_ms=bench._latency_ms(text, "50"),
        p99_ms=bench._latency_ms(text, "99"),
        requests=summary["requests"],
        errors=sum(
            summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        non_2xx=sum(count for status, count in statuses.items() if not status.startswith("2")),
        cycles=list_requests // PER_CYCLE,
        list_requests=list_requests,
        statuses=statuses,
        by_kind={kind: rate * weight / PER_CYCLE for kind, weight in MIX},
    )
    say(
        f"  mixed x{processes}: {rate:,.1f} req/s, p50 {result.p50_ms:.1f} ms, p99 "
        f"{result.p99_ms:.1f} ms, errors {result.errors}, non-2xx {result.non_2xx} "
        f"({statuses}); {result.requests:,} of a list of {list_requests:,}"
    )
    return result


def target_rows(runs: list[Mixed]) -> list[str]:
    """Rows of "Ratios and targets": the issue asks for the figure, with no target."""
    return [
        f"| mixed workload, {m.processes} server process{'es' if m.processes > 1 else ''} "
        f"(p50 {m.p50_ms:.1f} ms, p99 {m.p99_ms:.1f} ms, {m.errors} errors, {m.non_2xx} "
        f"non-2xx) | {m.requests_per_second:,.1f} requests/s | reported | |"
        for m in runs
    ]


def lines(runs: list[Mixed]) -> list[str]:
    """The report's section on the mixed run."""
    if not runs:
        return []
    mix = ", ".join(f"{kind} {weight}" for kind, weight in MIX)
    out = [
        "",
        "## Mixed workload",
        "",
        f"One list of requests in cycles of {PER_CYCLE} ({mix}), every step prepared once "
        "per cycle through the API before the run (`bench/mixed.py`); wrk as above for "
        f"{bench.DURATION} s, no warm-up (the preparation warms the server). Requests/s of "
        "a kind: the run's rate times its share of the list. A step sent twice (the run "
        "longer than the list) is a 409 and counts as non-2xx.",
        "",
        "| server processes | requests/s | p50 ms | p99 ms | requests (list) | errors | "
        "non-2xx | statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in runs:
        statuses = ", ".join(f"{k}: {v:,}" for k, v in m.statuses.items())
        out.append(
            f"| {m.processes} | {m.requests_per_second:,.1f} | {m.p50_ms:.1f} | "
            f"{m.p99_ms:.1f} | {m.requests:,} ({m.list_requests:,}) | {m.errors} | "
            f"{m.non_2xx} | {statuses} |"
        )
    out += ["", "| kind | " + " | ".join(f"x{m.processes} req/s" for m in runs) + " |"]
    out.append("|---|" + "---|" * len(runs))
    for kind, _ in MIX:
        out.append(
            f"| {kind} | " + " | ".join(f"{m.by_kind.get(kind, 0.0):,.1f}" for m in runs) + " |"
        )
    return out


def run(database: str, port: int, multi: bool) -> list[Mixed]:
    """The mixed run against one app process, and against one per core when ``multi``."""
    from bench import extra

    say(f"mixed workload @ {database}")
    results = []
    with bench.serving("api", port, database) as server:
        results.append(run_mixed(server.url, database, 1))
    if multi:
        with extra.serving_many("api", port + 32, database):
            url = f"http://127.0.0.1:{port + 32}"
            results.append(run_mixed(url, database, extra.PROCESSES))
    return results
