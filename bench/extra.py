"""The benchmark's further runs (bench/run.py calls them; README, *Benchmark*):

- **one server process per core** (``BENCH_PROCESSES``, default the cores) for the app and
  for the work floor, sharing a port (``SO_REUSEPORT``), the app's rate limits in Redis
  (``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/15``): credit checks/s of each;
- **a paced run**: credit checks offered at ``BENCH_PACED_RATE`` (100) per second by wrk
  with bench/paced.lua, p50 and p99 of what a city's service windows would see.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import load as routes
from bench import run as bench
from bench.common import BENCH_DIR, ROOT, WORK_DIR, env_float, env_int, say, service_env

PROCESSES = env_int("BENCH_PROCESSES", os.cpu_count() or 2)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PACED_RATE = env_float("BENCH_PACED_RATE", 100.0)
PACED_CONNECTIONS = env_int("BENCH_PACED_CONNECTIONS", 20)


@dataclass(slots=True)
class Throughput:
    kind: str
    processes: int
    requests_per_second: float
    p99_ms: float
    app_cpu_ms_per_request: float
    errors: int
    non_2xx: int


@dataclass(slots=True)
class Paced:
    offered_per_second: float
    reached_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


@contextmanager
def serving_many(kind: str, port: int, database: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = service_env(database, ZWFW_REDIS_URL=REDIS_URL)
    env["PYTHONPATH"] = str(ROOT)
    log = open(WORK_DIR / f"{kind}-{database}-x{PROCESSES}.log", "wb")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.serve", kind, "--port", str(port), "--reuse-port"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(PROCESSES)
    ]
    try:
        _wait_ready(kind, port, processes)
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _wait_ready(kind: str, port: int, processes: list[subprocess.Popen[bytes]]) -> None:
    path = "/readyz" if kind == "api" else "/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit(f"a {kind} server exited; see {WORK_DIR}/{kind}-*-x*.log")
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}{path}")
            if kind != "api" or answer.status_code == 200:
                time.sleep(1.0)  # every process has bound the port by now
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{kind} servers not ready after 60 s")


def throughput(kind: str, port: int, database: str, requests_file: Path) -> Throughput:
    """Credit checks (or the floor's) at wrk's concurrency against ``PROCESSES`` servers."""
    with serving_many(kind, port, database) as processes:
        url = f"http://127.0.0.1:{port}"
        bench.wrk(url, requests_file, bench.WARMUP)
        before = sum(bench._cpu_seconds(p.pid) for p in processes)
        text, summary = bench.wrk(url, requests_file, bench.DURATION)
        cpu = sum(bench._cpu_seconds(p.pid) for p in processes) - before
    seconds = summary["duration_us"] / 1e6 or float(bench.DURATION)
    requests = max(1, summary["requests"])
    result = Throughput(
        kind=kind,
        processes=PROCESSES,
        requests_per_second=summary["requests"] / seconds,
        p99_ms=bench._latency_ms(text, "99"),
        app_cpu_ms_per_request=cpu * 1000 / requests,
        errors=sum(
            summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        non_2xx=_non_2xx(text),
    )
    say(
        f"  {kind} x{PROCESSES}: {result.requests_per_second:,.0f} req/s, p99 "
        f"{result.p99_ms:.1f} ms, CPU {result.app_cpu_ms_per_request:.2f} ms/req, "
        f"non-2xx {result.non_2xx}"
    )
    return result


def _non_2xx(text: str) -> int:
    for line in text.splitlines():
        if "Non-2xx or 3xx responses:" in line:
            return int(line.rsplit(":", 1)[1])
    return 0


def paced(url: str, requests_file: Path) -> Paced:
    """Credit checks offered at ``PACED_RATE`` per second for ``BENCH_DURATION`` seconds."""
    command = [
        "wrk",
        f"-t{bench.THREADS}",
        f"-c{PACED_CONNECTIONS}",
        f"-d{bench.DURATION}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(BENCH_DIR / "paced.lua"),
        url,
        "--",
        str(requests_file),
        str(PACED_RATE),
        str(PACED_CONNECTIONS),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=bench.DURATION + 60, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}\n{done.stdout}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK_SUMMARY "))
    summary = json.loads(line.removeprefix("WRK_SUMMARY "))
    seconds = summary["duration_us"] / 1e6 or float(bench.DURATION)
    result = Paced(
        offered_per_second=PACED_RATE,
        reached_per_second=summary["requests"] / seconds,
        p50_ms=bench._latency_ms(done.stdout, "50"),
        p99_ms=bench._latency_ms(done.stdout, "99"),
        requests=summary["requests"],
        errors=sum(
            summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        )
        + _non_2xx(done.stdout),
    )
    say(
        f"  paced at {PACED_RATE:.0f}/s: reached {result.reached_per_second:.1f}/s, p50 "
        f"{result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, errors {result.errors}"
    )
    return result


# --- report ------------------------------------------------------------------------------


TARGET_CPU_RATIO = 2.5
TARGET_READ_CPU_RATIO = 2.0
TARGET_MULTI_RATIO = 0.5
TARGET_PACED_P99_MS = 50.0
TARGET_HOOKS_PER_SECOND = 500.0
TARGET_HOOKS_DROP = 0.10
TARGET_DRAIN_SECONDS = 60.0
TARGET_OUTAGE_SECONDS = 300


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def target_rows(report: bench.Report) -> list[str]:
    """The rows of "Ratios and targets" for the targets of the further runs."""
    rows = []
    scales = list(dict.fromkeys(m.scale for m in report.measurements if m.scale != "-"))
    for name in scales:
        floor = bench._find(report, routes.FLOOR, name)
        if floor is None or not floor.app_cpu_ms_per_request:
            continue
        for route, target in (
            (routes.CREDIT_CHECK, TARGET_CPU_RATIO),
            (routes.CREDIT_PROFILE, TARGET_READ_CPU_RATIO),
            (routes.PUBLIC_LIST, TARGET_READ_CPU_RATIO),
        ):
            measured = bench._find(report, route, name)
            if measured is None:
                continue
            ratio = measured.app_cpu_ms_per_request / floor.app_cpu_ms_per_request
            rows.append(
                f"| {route} app CPU per request / work floor's process CPU per check ({name}) "
                f"| {ratio:.1f} ({measured.app_cpu_ms_per_request:.2f} / "
                f"{floor.app_cpu_ms_per_request:.2f} ms) | ≤ {target} | "
                f"{_verdict(ratio <= target)} |"
            )
    multi = {t.kind: t for t in report.multi}
    if "api" in multi and "floor" in multi and multi["floor"].requests_per_second:
        api, floor = multi["api"], multi["floor"]
        ratio = api.requests_per_second / floor.requests_per_second
        rows.append(
            f"| credit check / work floor, {api.processes} server processes each, limits in "
            f"Redis ({scales[-1] if scales else '-'}) | {ratio:.2f} "
            f"({api.requests_per_second:,.0f} / {floor.requests_per_second:,.0f} req/s) | "
            f"≥ {TARGET_MULTI_RATIO} | {_verdict(ratio >= TARGET_MULTI_RATIO)} |"
        )
    if report.paced is not None:
        p = report.paced
        rows.append(
            f"| credit check p99 at an offered {p.offered_per_second:.0f}/s (reached "
            f"{p.reached_per_second:.1f}/s, p50 {p.p50_ms:.1f} ms, {p.errors} errors) | "
            f"{p.p99_ms:.1f} ms | ≤ {TARGET_PACED_P99_MS:.0f} ms | "
            f"{_verdict(p.p99_ms <= TARGET_PACED_P99_MS and p.errors == 0)} |"
        )
    hooks = report.hooks
    if hooks is not None:
        rows.append(
            f"| webhook deliveries/s to a fast receiver, one worker ({hooks.events:,} events) "
            f"| {hooks.fast_per_second:,.0f} | ≥ {TARGET_HOOKS_PER_SECOND:.0f} | "
            f"{_verdict(hooks.fast_per_second >= TARGET_HOOKS_PER_SECOND)} |"
        )
        rows.append(
            f"| the fast subscriber's rate beside a receiver taking 3 s per answer | "
            f"{hooks.beside_slow_per_second:,.0f}/s, {hooks.drop:+.1%} lower | < 10 % lower | "
            f"{_verdict(hooks.drop < TARGET_HOOKS_DROP)} |"
        )
        shorter = hooks.outage_seconds < TARGET_OUTAGE_SECONDS
        rows.append(
            f"| drain after a {hooks.outage_seconds} s receiver outage (backlog "
            f"{hooks.outage_backlog:,}; the target's outage is {TARGET_OUTAGE_SECONDS} s"
            f"{', this run shorter: BENCH_HOOK_OUTAGE=300 for it' if shorter else ''}) | "
            f"{hooks.drain_seconds:.1f} s | < {TARGET_DRAIN_SECONDS:.0f} s | "
            f"{_verdict(hooks.drain_seconds < TARGET_DRAIN_SECONDS)} |"
        )
    return rows
