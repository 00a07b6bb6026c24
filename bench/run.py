"""The benchmark (``make bench``): seed, serve, load with wrk, check plans, import, report.

    python -m bench.run

For each scale (``BENCH_SCALES``, default ``small large``) seed the database or reuse it
(bench/seed.py); serve the app with uvicorn on a loopback port per scale and drive each
measured route with wrk at fixed concurrency, the scales taking turns, sampling the app's
memory; then the work floor (bench/floor.py) with the same credit checks. The framework ceiling
(bench/ceiling.py) is measured once. At the largest scale the statements of every
measured route are explained (bench/plans.py), the cost of one statement to the app's
process is measured (bench/statements.py), and a joint-punishment list is imported
through the API as one streamed body. Writes ``bench/RESULTS.md`` and
``var/bench/results.json``.

Knobs (environment): ``BENCH_SCALES``, ``BENCH_DURATION`` (seconds per route and scale,
20), ``BENCH_ROUNDS`` (4: the scales take turns, ABBA BAAB…, in windows of duration / rounds),
``BENCH_WARMUP`` (5), ``BENCH_CONNECTIONS`` (32), ``BENCH_THREADS`` (2),
``BENCH_IMPORT_ROWS`` (1,000,000; 0 skips), ``BENCH_PORT`` (8101: the app per scale from
there, the floors from +10, the ceiling at +20),
and the scale sizes of bench/common.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import load as routes
from bench import statements
from bench.common import (
    BENCH_DIR,
    PG_USER,
    ROOT,
    WORK_DIR,
    configure_in_process,
    dsn,
    env_float,
    env_int,
    say,
    scale,
    service_env,
)

DURATION = env_int("BENCH_DURATION", 20)
ROUNDS = env_int("BENCH_ROUNDS", 4)
WARMUP = env_int("BENCH_WARMUP", 5)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 32)
THREADS = env_int("BENCH_THREADS", 2)
IMPORT_ROWS = env_int("BENCH_IMPORT_ROWS", 1_000_000)
PORT = env_int("BENCH_PORT", 8101)
RSS_INTERVAL = env_float("BENCH_RSS_INTERVAL", 0.2)
RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_JSON = WORK_DIR / "results.json"
COMMAND = "make bench"

# Targets of the issue (this machine: 2 cores shared by server, database and load).
TARGET_FLOOR_RATIO = 0.5
TARGET_SCALE_RATIO = 0.9
TARGET_CHECK_P99_MS = 50.0
TARGET_IMPORT_SECONDS = 60.0
TARGET_RSS_MB = 250.0


# --- processes -------------------------------------------------------------------------------


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process so far."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _backends(database: str) -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends serving ``database``."""
    # "postgres: [cluster: ]user database host(port) state"
    marker = f" {PG_USER} {database} ".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                text = cmdline.read()
                if text.startswith(b"postgres: ") and marker in text.split(b"(")[0]:
                    found[int(entry)] = _cpu_seconds(int(entry))
        except OSError:
            continue
    return found


class ActivitySampler:
    """Samples what the database's backends are doing (pg_stat_activity) in a thread:
    on average, how many wait for a lock and how many sit idle in a transaction (waiting
    for the app)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.samples = 0
        self.totals: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        conn = await asyncpg.connect(dsn("postgres"))
        try:
            while not self._stop.is_set():
                rows = await conn.fetch(
                    "SELECT CASE WHEN wait_event_type = 'Lock' THEN 'lock:' || wait_event "
                    "WHEN state = 'idle in transaction' THEN 'idle in transaction' "
                    "WHEN state = 'active' THEN 'active' ELSE 'idle' END AS what, count(*) "
                    "FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() "
                    "GROUP BY 1",
                    self.database,
                )
                self.samples += 1
                for row in rows:
                    self.totals[row["what"]] = self.totals.get(row["what"], 0) + row["count"]
                await asyncio.sleep(0.25)
        finally:
            await conn.close()

    def start(self) -> ActivitySampler:
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {k: v / max(1, self.samples) for k, v in self.totals.items()}


class RssSampler:
    """Samples a process's resident memory in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _rss_mb(self.pid)
            if rss is not None:
                self.samples.append(rss)
                self.peak = max(self.peak, rss)
            self._stop.wait(RSS_INTERVAL)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def current(self) -> float:
        return _rss_mb(self.pid) or 0.0


@dataclass(slots=True)
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    sampler: RssSampler

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serving(kind: str, port: int, database: str | None) -> Iterator[Server]:
    env = service_env(database or "postgres")
    env["PYTHONPATH"] = str(ROOT)
    log = open(WORK_DIR / f"{kind}-{database or 'none'}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", kind, "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(kind, port, process, RssSampler(process.pid))
    try:
        _wait_ready(server)
        server.sampler.start()
        yield server
    finally:
        server.sampler.stop()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(server: Server) -> None:
    path = "/readyz" if server.kind == "api" else "/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.kind} server exited; see {WORK_DIR}/{server.kind}-*.log")
        try:
            response = httpx.get(server.url + path, timeout=2)
            if server.kind != "api" or response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{server.kind} server not ready after 60 s")


# --- wrk ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    route: str
    scale: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int
    app_cpu_ms_per_request: float
    db_cpu_ms_per_request: float
    peak_rss_mb: float
    wrk_cores: float = 0.0
    other_cores: float = 0.0
    lock_waiting: float = 0.0
    idle_in_transaction: float = 0.0
    lock_kinds: list[str] = field(default_factory=list)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(text: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    if not match:
        raise RuntimeError(f"no {percentile}% line in wrk output:\n{text}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def write_requests(name: str, targets: list[routes.Target]) -> Path:
    path = WORK_DIR / f"{name}.requests"
    path.write_text("\n".join(t.wrk_line() for t in targets) + "\n", encoding="utf-8")
    return path


def wrk(url: str, requests_file: Path, seconds: int) -> tuple[str, dict[str, Any]]:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(BENCH_DIR / "wrk.lua"),
        url,
        "--",
        str(requests_file),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}\n{done.stdout}")
    summary_line = next(
        (line for line in done.stdout.splitlines() if line.startswith("WRK_SUMMARY ")), None
    )
    if summary_line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    return done.stdout, json.loads(summary_line.removeprefix("WRK_SUMMARY "))


@dataclass(slots=True)
class Window:
    """One wrk run of a route at a scale, and what the machine spent meanwhile."""

    seconds: float
    requests: int
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int
    app_cpu: float
    db_cpu: float
    wrk_cpu: float
    other_cpu: float
    backends: dict[str, float]


def run_window(server: Server, requests_file: Path, database: str | None, seconds: int) -> Window:
    app_before = _cpu_seconds(server.process.pid)
    db_before = _backends(database) if database else {}
    busy_before = _busy_seconds()
    wrk_before = _children_cpu_seconds()
    activity = ActivitySampler(database).start() if database else None
    text, summary = wrk(server.url, requests_file, seconds)
    backends = activity.stop() if activity else {}
    busy = _busy_seconds() - busy_before
    wrk_cpu = _children_cpu_seconds() - wrk_before
    app_cpu = _cpu_seconds(server.process.pid) - app_before
    db_after = _backends(database) if database else {}
    db_cpu = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    non_2xx = 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if match:
        non_2xx = int(match.group(1))
    return Window(
        seconds=summary["duration_us"] / 1e6 or float(seconds),
        requests=summary["requests"],
        p50_ms=_latency_ms(text, "50"),
        p99_ms=_latency_ms(text, "99"),
        errors=sum(
            summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        non_2xx=non_2xx,
        app_cpu=app_cpu,
        db_cpu=db_cpu,
        wrk_cpu=wrk_cpu,
        # What the rest of the machine used meanwhile (other processes, the kernel).
        other_cpu=max(0.0, busy - app_cpu - db_cpu - wrk_cpu),
        backends=backends,
    )


def combine(route: str, scale_name: str, windows: list[Window], peak_rss_mb: float) -> Measurement:
    """One route at one scale over all its windows: totals over the total time; p50 the
    request-weighted mean of the windows' p50, p99 the highest window's p99."""
    seconds = sum(w.seconds for w in windows)
    requests = sum(w.requests for w in windows)
    count = max(1, requests)
    backends: dict[str, float] = {}
    for w in windows:
        for kind, average in w.backends.items():
            backends[kind] = backends.get(kind, 0.0) + average * w.seconds / seconds
    result = Measurement(
        route=route,
        scale=scale_name,
        requests_per_second=requests / seconds,
        p50_ms=sum(w.p50_ms * w.requests for w in windows) / count,
        p99_ms=max(w.p99_ms for w in windows),
        requests=requests,
        errors=sum(w.errors for w in windows),
        non_2xx=sum(w.non_2xx for w in windows),
        app_cpu_ms_per_request=sum(w.app_cpu for w in windows) * 1000 / count,
        db_cpu_ms_per_request=sum(w.db_cpu for w in windows) * 1000 / count,
        peak_rss_mb=peak_rss_mb,
        wrk_cores=sum(w.wrk_cpu for w in windows) / seconds,
        other_cores=sum(w.other_cpu for w in windows) / seconds,
        lock_waiting=sum(v for k, v in backends.items() if k.startswith("lock:")),
        lock_kinds=sorted(k.removeprefix("lock:") for k in backends if k.startswith("lock:")),
        idle_in_transaction=backends.get("idle in transaction", 0.0),
    )
    say(
        f"  {route} @ {scale_name}: {result.requests_per_second:,.0f} req/s, "
        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, errors {result.errors}, "
        f"non-2xx {result.non_2xx}, app CPU {result.app_cpu_ms_per_request:.2f} ms/req, "
        f"db CPU {result.db_cpu_ms_per_request:.2f} ms/req, RSS {peak_rss_mb:.0f} MB, "
        f"others {result.other_cores:.2f} cores, lock waits {result.lock_waiting:.1f}, "
        f"idle in tx {result.idle_in_transaction:.1f}"
    )
    return result


_PREWARM = (
    "SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0) FROM pg_class c "
    "WHERE c.relkind IN ('r', 'i', 't') AND c.relpersistence = 'p' "
    "AND pg_relation_size(c.oid) > 0"
)


async def _prewarm(database: str) -> int:
    connection = await asyncpg.connect(dsn(database))
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        return int(await connection.fetchval(_PREWARM))
    finally:
        await connection.close()


def prewarm(databases: list[str]) -> None:
    """Read every table and index of ``databases`` into the operating system's page cache
    (pg_prewarm, ``read``). This machine's page cache was seen to drop half of the large
    database's subjects within two minutes with 20 GB free, so without it a window of
    the large scale may pay for reading from disk what a server with this much memory
    keeps in memory, and the scale ratio measures the page cache instead of the service."""
    for database in databases:
        try:
            pages = asyncio.run(_prewarm(database))
        except asyncpg.PostgresError as exc:  # the extension missing: measured as it is
            say(f"  {database}: not prewarmed ({exc})")
            continue
        say(f"  {database}: {pages:,} pages read into the page cache")


def window_order(scales: list[str]) -> list[str]:
    """The scales of one route's windows, in turn: forward, then backward (ABBA for two
    rounds), so a drift of the shared machine over the minutes of a route falls on every
    scale alike."""
    order: list[str] = []
    for round_number in range(ROUNDS):
        order.extend(scales if round_number % 2 == 0 else reversed(scales))
    return order


def measure_route(
    servers: dict[str, Server],
    route: str,
    files: dict[str, Path],
    databases: dict[str, str | None],
    report: Report,
) -> None:
    """Measure one route at every scale: a warm-up each, then ``ROUNDS`` windows each of
    ``DURATION / ROUNDS`` seconds, the scales taking turns (:func:`window_order`)."""
    seconds = max(1, round(DURATION / ROUNDS))
    windows: dict[str, list[Window]] = {name: [] for name in servers}
    prewarm([database for database in databases.values() if database is not None])
    for name, server in servers.items():
        say(f"  {route} @ {name}: warm-up {WARMUP} s")
        wrk(server.url, files[name], WARMUP)
        report.load_average[f"{route} @ {name}"] = _load_average()
    for name in window_order(list(servers)):
        say(f"  {route} @ {name}: {seconds} s")
        windows[name].append(run_window(servers[name], files[name], databases[name], seconds))
    for name, server in servers.items():
        report.measurements.append(combine(route, name, windows[name], server.sampler.peak))


def task_page_lengths(server: Server, database: str) -> list[int]:
    """The lengths of the task pages the load asks for at a scale, each department's once."""
    lengths = set()
    seen = set()
    for target in routes.load_targets(database):
        if target.name != routes.TASKS or target.token in seen:
            continue
        seen.add(target.token)
        headers = {"Authorization": f"Bearer {target.token}"}
        answer = httpx.get(server.url + target.path, headers=headers, timeout=30)
        answer.raise_for_status()
        lengths.add(len(answer.json()["items"]))
    return sorted(lengths)


# --- import ------------------------------------------------------------------------------------


def import_file(rows: int) -> Path:
    """A CSV joint-punishment list of ``rows`` valid entries (made once, then reused)."""
    from bench.seed import FOREIGN_OFFSET, LIST_NAMES, identifier, subject_name

    path = WORK_DIR / f"import-{rows}.csv"
    if path.exists():
        return path
    say(f"  writing {path.name}")
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.write("subject_type,id_number,name,list_name,source,listed_on,expires_on\n")
        for n in range(rows):
            index = 2 * FOREIGN_OFFSET + n
            subject_type, number = identifier(index)
            list_name, source = LIST_NAMES[n % len(LIST_NAMES)]
            listed = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            expires = "" if n % 3 else f"2029-{n % 12 + 1:02d}-28"
            name = subject_name(index) if n % 4 else ""
            out.write(f"{subject_type},{number},{name},{list_name},{source},{listed},{expires}\n")
    partial.rename(path)
    return path


@dataclass(slots=True)
class ImportResult:
    rows: int
    accepted: int
    rejected: int
    seconds: float
    rss_before_mb: float
    rss_peak_mb: float
    body_mb: float
    status: int


async def _stream(path: Path) -> Any:
    with open(path, "rb") as body:  # noqa: ASYNC230 - a local file, read in chunks
        while chunk := body.read(256 * 1024):
            yield chunk


async def run_import(server: Server, database: str, rows: int) -> ImportResult:
    path = import_file(rows)
    configure_in_process(database)
    token = routes.token("admin", "371400-SPJ", 0)
    rss_before = server.sampler.current
    server.sampler.peak = rss_before
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=httpx.Timeout(600)) as client:
        response = await client.post(
            server.url + "/api/v1/joint-punishment/imports",
            content=_stream(path),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        )
    seconds = time.monotonic() - started
    body = response.json() if response.status_code < 500 else {}
    result = ImportResult(
        rows=rows,
        accepted=int(body.get("accepted", 0)),
        rejected=int(body.get("rejected", 0)),
        seconds=seconds,
        rss_before_mb=rss_before,
        rss_peak_mb=server.sampler.peak,
        body_mb=path.stat().st_size / 2**20,
        status=response.status_code,
    )
    say(
        f"  import: HTTP {result.status}, {result.accepted:,} accepted, {result.rejected:,} "
        f"rejected in {seconds:.1f} s; RSS {rss_before:.0f} -> peak {result.rss_peak_mb:.0f} MB"
    )
    if "import_id" in body:
        # Keep the benchmark database as seeded: the imported rows go again.
        conn = await asyncpg.connect(dsn(database))
        try:
            await conn.execute(
                "DELETE FROM joint_punishment_entries WHERE import_id = $1", body["import_id"]
            )
            # Rewrite the table and its indexes, so the next run starts from the same size.
            await conn.execute("VACUUM (FULL, ANALYZE) joint_punishment_entries")
        finally:
            await conn.close()
    return result


# --- report ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Report:
    started: str
    measurements: list[Measurement] = field(default_factory=list)
    seeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    api_peak_rss_mb: float = 0.0
    imports: ImportResult | None = None
    plans: dict[str, Any] | None = None
    plans_scale: str | None = None
    statement_costs: dict[str, dict[str, float]] | None = None
    load_average: dict[str, str] = field(default_factory=dict)
    multi: list[Any] = field(default_factory=list)
    paced: Any = None
    hooks: Any = None
    mixed: list[Any] = field(default_factory=list)
    wall_seconds: float = 0.0
    finished: str = ""
    task_pages: dict[str, list[int]] = field(default_factory=dict)


def _machine() -> dict[str, str]:
    memory = "?"
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    model = "?"
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version.split("[")[0].strip(),
    }


async def _postgres() -> dict[str, str]:
    conn = await asyncpg.connect(dsn("postgres"))
    try:
        settings = await conn.fetch(
            "SELECT name, setting, unit FROM pg_settings WHERE name IN "
            "('shared_buffers', 'synchronous_commit', 'work_mem', 'max_connections')"
        )
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    described = {"version": str(version)}
    for row in settings:
        described[row["name"]] = f"{row['setting']}{' × ' + row['unit'] if row['unit'] else ''}"
    return described


def _find(report: Report, route: str, scale_name: str) -> Measurement | None:
    return next(
        (m for m in report.measurements if m.route == route and m.scale == scale_name), None
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(report: Report, machine: dict[str, str], postgres: dict[str, str]) -> str:
    scales = list(dict.fromkeys(m.scale for m in report.measurements if m.scale != "-"))
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py`; rerun with the command below after any change to a hot "
        "path. How it works: README.md, section *Benchmark*.",
        "",
        f"- Run: {report.started} → {report.finished} (UTC), wall time "
        f"{report.wall_seconds / 60:.1f} min",
        f"- Command: `{COMMAND}` (wrk {THREADS} threads, {CONNECTIONS} connections, "
        f"{WARMUP} s warm-up + {DURATION} s per route and scale, in {ROUNDS} windows of "
        f"{max(1, round(DURATION / ROUNDS))} s with the scales taking turns (ABBA…), both "
        "databases read into the page cache before each route; p50 "
        "weighted by requests over the windows, p99 the highest window's; one uvicorn worker "
        "with uvloop and httptools for the app, the floor and the ceiling)",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} memory, "
        f"Linux {machine['kernel']}, Python {machine['python']}, {machine['wrk']}; server, "
        "PostgreSQL and wrk share the cores",
        f"- PostgreSQL {postgres.get('version')}: shared_buffers {postgres.get('shared_buffers')}"
        f", synchronous_commit {postgres.get('synchronous_commit')}, "
        f"work_mem {postgres.get('work_mem')} (server defaults, not tuned)",
        f"- Load average (1 min): {report.load_average.get('start', '?')} at the start, at "
        f"most {max((float(v) for v in report.load_average.values()), default=0.0):.2f} at "
        "the start of a measurement",
        "",
        "## Data",
        "",
        "| scale | subjects | credit-record entries | joint-punishment entries | listings "
        "(effective) | commitments | consents | subjects the load checks | seed time |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in scales:
        sc = scale(name)
        seed = report.seeds.get(name, {})
        seeded = f"{seed.get('seconds', 0):.0f} s" + ("" if seed.get("seeded") else " (reused)")
        lines.append(
            f"| {name} | {sc.subjects:,} | {sc.credit_records:,} | {sc.joint_punishment:,} | "
            f"{sc.listings:,} ({sc.effective_listings:,}) | {sc.commitments:,} | "
            f"{sc.consents + sc.load_subjects:,} | {sc.load_subjects:,} | {seeded} |"
        )
    lines += [
        "",
        "## Throughput and latency",
        "",
        "app CPU and db CPU: CPU time of the server process and of its PostgreSQL backends "
        "per request; app, db, wrk and others: how many cores each kept busy on average "
        "(1.0 = one core all the time; the single server process cannot use more than one; "
        "*others* is everything else on the machine, which shares it). Lock waits and idle "
        "in tx: backends of the route's database waiting for a lock, and holding a "
        "transaction open while they wait for the app, on average (pg_stat_activity, "
        "sampled every 0.25 s). The task list asks for pages of "
        f"{routes.TASK_PAGE} tasks, a length every department of the small scale fills, so "
        "both scales answer pages of one length (`bench/load.py`); the pages held "
        + (
            "; ".join(
                f"{', '.join(map(str, lengths))} tasks at {name}"
                for name, lengths in report.task_pages.items()
            )
            or "(not read)"
        )
        + ".",
        "",
        "| route | scale | requests/s | p50 ms | p99 ms | requests | errors | non-2xx | "
        "app CPU ms/req | db CPU ms/req | app | db | wrk | others | lock waits | idle in tx |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in report.measurements:
        app_cores = m.requests_per_second * m.app_cpu_ms_per_request / 1000
        db_cores = m.requests_per_second * m.db_cpu_ms_per_request / 1000
        lines.append(
            f"| {m.route} | {m.scale} | {m.requests_per_second:,.0f} | {m.p50_ms:.1f} | "
            f"{m.p99_ms:.1f} | {m.requests:,} | {m.errors} | {m.non_2xx} | "
            f"{m.app_cpu_ms_per_request:.2f} | {m.db_cpu_ms_per_request:.2f} | "
            f"{app_cores:.2f} | {db_cores:.2f} | {m.wrk_cores:.2f} | {m.other_cores:.2f} | "
            f"{m.lock_waiting:.1f} | {m.idle_in_transaction:.1f} |"
        )
    lines += [
        "",
        "## Ratios and targets",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
    ]
    for name in scales:
        check = _find(report, routes.CREDIT_CHECK, name)
        floor = _find(report, routes.FLOOR, name)
        if check and floor:
            ratio = check.requests_per_second / floor.requests_per_second
            lines.append(
                f"| credit check / work floor ({name}) | {ratio:.2f} | ≥ {TARGET_FLOOR_RATIO} "
                f"| {_verdict(ratio >= TARGET_FLOOR_RATIO)} |"
            )
        if check:
            # The floor's own p99 at the same concurrency: what the statements alone allow.
            beside = f"; the work floor's: {floor.p99_ms:.1f} ms" if floor else ""
            lines.append(
                f"| credit check p99 at {CONNECTIONS} connections ({name}{beside}) | "
                f"{check.p99_ms:.1f} ms | ≤ {TARGET_CHECK_P99_MS:.0f} ms | "
                f"{_verdict(check.p99_ms <= TARGET_CHECK_P99_MS)} |"
            )
    if "small" in scales and "large" in scales:
        for route in (*routes.ROUTES, routes.FLOOR):
            small = _find(report, route, "small")
            large = _find(report, route, "large")
            if small and large:
                ratio = large.requests_per_second / small.requests_per_second
                lines.append(
                    f"| {route}: large / small | {ratio:.2f} | ≥ {TARGET_SCALE_RATIO} | "
                    f"{_verdict(ratio >= TARGET_SCALE_RATIO)} |"
                )
    ceiling = _find(report, routes.CEILING, "-")
    check_large = _find(report, routes.CREDIT_CHECK, scales[-1]) if scales else None
    if ceiling and check_large:
        lines.append(
            f"| credit check / framework ceiling ({scales[-1]}) | "
            f"{check_large.requests_per_second / ceiling.requests_per_second:.3f} | - | |"
        )
    lines.append(
        f"| API peak RSS through the run | {report.api_peak_rss_mb:.0f} MB | "
        f"< {TARGET_RSS_MB:.0f} MB | {_verdict(report.api_peak_rss_mb < TARGET_RSS_MB)} |"
    )
    if report.imports:
        imp = report.imports
        lines.append(
            f"| bulk import of {imp.rows:,} joint-punishment rows (one streamed CSV body, "
            f"{imp.body_mb:.0f} MiB) | {imp.seconds:.1f} s | ≤ {TARGET_IMPORT_SECONDS:.0f} s | "
            f"{_verdict(imp.seconds <= TARGET_IMPORT_SECONDS and imp.accepted == imp.rows)} |"
        )
        lines.append(
            f"| memory during the import | {imp.rss_before_mb:.0f} MB before, "
            f"{imp.rss_peak_mb:.0f} MB peak (HTTP {imp.status}, {imp.accepted:,} accepted, "
            f"{imp.rejected:,} rejected) | flat, < {TARGET_RSS_MB:.0f} MB | "
            f"{_verdict(imp.rss_peak_mb < TARGET_RSS_MB)} |"
        )
    from bench import extra, mixed

    lines += extra.target_rows(report)
    lines += mixed.target_rows(report.mixed)
    lines += mixed.lines(report.mixed)
    lines += _limit_lines(report)
    lines += _statement_cost_lines(report)
    lines += _plan_lines(report)
    lines.append("")
    return "\n".join(lines)


def _limit_lines(report: Report) -> list[str]:
    """What each measurement shows about its own limit, read from its figures."""
    lines = ["", "## What limits the figures", ""]
    for m in report.measurements:
        if m.route == routes.CEILING or m.requests == 0:
            continue
        rps = m.requests_per_second
        app_cores = rps * m.app_cpu_ms_per_request / 1000
        db_cores = rps * m.db_cpu_ms_per_request / 1000
        notes = []
        if app_cores >= 0.9:
            notes.append(
                f"the server process is CPU-bound ({m.app_cpu_ms_per_request:.1f} ms of CPU "
                f"per request in its one process: at most ~{1000 / m.app_cpu_ms_per_request:.0f}"
                " requests/s)"
            )
        if m.db_cpu_ms_per_request > m.app_cpu_ms_per_request:
            notes.append(
                f"the database does more work than the app ({m.db_cpu_ms_per_request:.1f} ms "
                f"of CPU per request, {db_cores:.2f} cores)"
            )
        if m.lock_waiting >= 1:
            kinds = ", ".join(m.lock_kinds) or "lock"
            notes.append(f"{m.lock_waiting:.0f} backends on average wait on a lock ({kinds})")
        if m.idle_in_transaction >= 4:
            notes.append(
                f"{m.idle_in_transaction:.0f} transactions on average stay open while the app "
                "works on something else"
            )
        if m.other_cores >= 0.3:
            notes.append(f"other processes took {m.other_cores:.2f} cores meanwhile")
        queueing = CONNECTIONS / rps * 1000 if rps else 0.0
        notes.append(
            f"with {CONNECTIONS} requests always in flight the mean latency is "
            f"{CONNECTIONS} / {rps:,.0f} per s ≈ {queueing:.0f} ms"
        )
        lines.append(f"- {m.route} @ {m.scale}: " + "; ".join(notes) + ".")
    return lines + _target_lines(report)


def _target_lines(report: Report) -> list[str]:
    """What the credit-check targets ask of the app, in the figures of this run."""
    lines = []
    for name in dict.fromkeys(m.scale for m in report.measurements if m.scale != "-"):
        check = _find(report, routes.CREDIT_CHECK, name)
        floor = _find(report, routes.FLOOR, name)
        if check is None or floor is None or not floor.requests_per_second:
            continue
        wanted = 0.5 * floor.requests_per_second
        lines.append(
            f"- credit check / work floor @ {name}: half the floor is {wanted:,.0f} requests/s, "
            f"which one server process reaches only at {1000 / wanted:.1f} ms of CPU per "
            f"check or less; the app spends {check.app_cpu_ms_per_request:.1f} ms (the floor "
            f"{floor.app_cpu_ms_per_request:.2f} ms in its process and "
            f"{floor.db_cpu_ms_per_request:.2f} ms in the database)."
        )
    needed = CONNECTIONS / 0.050
    floor_p99 = [m.p99_ms for m in report.measurements if m.route == routes.FLOOR]
    if floor_p99:
        lines.append(
            f"- p99 ≤ 50 ms with {CONNECTIONS} requests always in flight needs a mean latency "
            f"below 50 ms, that is more than {needed:,.0f} requests/s; the work floor itself, "
            f"the SQL alone, has a p99 of {min(floor_p99):.0f}–{max(floor_p99):.0f} ms here."
        )
    return lines


def _statement_cost_lines(report: Report) -> list[str]:
    """What one statement costs the app's process, and what that makes of a credit check."""
    costs = report.statement_costs
    if not costs:
        return []
    lines = [
        "",
        f"## What one statement costs the app's process ({report.plans_scale} scale)",
        "",
        "CPU time of the client process per statement, sent one after another on one "
        "connection (`python -m bench.statements large`; the lowest of three rounds of "
        f"{statements.CALLS:,}): raw asyncpg as the work floor sends it, SQLAlchemy Core on "
        "the session's connection, and the session as the app sends it.",
        "",
        "| statement | asyncpg µs | SQLAlchemy Core µs | session (app) µs | session / asyncpg |",
        "|---|---|---|---|---|",
    ]
    for name, by_way in costs.items():
        lines.append(
            f"| {name} | {by_way['asyncpg']:.0f} | {by_way['core']:.0f} | {by_way['orm']:.0f} "
            f"| {by_way['orm'] / by_way['asyncpg']:.1f} |"
        )
    real = [by_way for name, by_way in costs.items() if name != "SELECT 1"]
    extra_us = sum(w["orm"] - w["asyncpg"] for w in real) / len(real)
    count = _floor_statements()
    check = _find(report, routes.CREDIT_CHECK, report.plans_scale or "")
    floor = _find(report, routes.FLOOR, report.plans_scale or "")
    if check is not None and floor is not None:
        beyond = check.app_cpu_ms_per_request - floor.app_cpu_ms_per_request
        lines += [
            "",
            f"A credit check sends {count} statements. At {extra_us:.0f} µs each over raw "
            f"asyncpg (the mean of the two above), the session accounts for about "
            f"{count * extra_us / 1000:.1f} ms of the {beyond:.1f} ms of CPU the app spends per "
            "check beyond the floor's process; the rest is the unit of work that writes the "
            "check and its audit entry, request and response validation, authentication, "
            "the rate limit, the rules and the middleware.",
        ]
    return lines


def _plan_lines(report: Report) -> list[str]:
    if not report.plans:
        return []
    plans = report.plans
    lines = [
        "",
        f"## Statements and query plans ({report.plans_scale} scale)",
        "",
        "One request of each route through the app, every statement explained "
        "(`python -m bench.plans large` prints them; `var/bench/*.plans.json` keeps the "
        "plans). Round trips count BEGIN and COMMIT.",
        "",
        "| route | statements | round trips | slowest statement (ms) | seq scans of tables "
        "> 10,000 rows |",
        "|---|---|---|---|---|",
    ]
    for route in plans["routes"]:
        slowest = max((q["execution_ms"] or 0.0 for q in route["queries"]), default=0.0)
        scans = [f for f in plans["findings"] if f["route"] == route["route"]]
        described = "; ".join(f"{f['table']} ({f['table_rows']:,} rows)" for f in scans) or "none"
        lines.append(
            f"| {route['route']} (HTTP {route['status']}) | {route['statements']} | "
            f"{route['round_trips']} | {slowest:.2f} | {described} |"
        )
    lines.append(f"| work floor | {_floor_statements()} | {_floor_statements() + 2} | - | - |")
    if plans["findings"]:
        lines += ["", "Sequential scans of large tables:", ""]
        for finding in plans["findings"]:
            lines.append(
                f"- {finding['route']}: `{finding['table']}` ({finding['table_rows']:,} rows), "
                f"filter `{finding['filter']}`: `{finding['sql'][:300]}`"
            )
    return lines


def _floor_statements() -> int:
    from bench.floor import STATEMENTS

    return STATEMENTS


def _load_average() -> str:
    with open("/proc/loadavg", encoding="ascii") as loadavg:
        return loadavg.read().split()[0]


# --- the run -------------------------------------------------------------------------------------


async def _plans(scale_name: str) -> dict[str, Any]:
    from bench.plans import check_plans

    return await check_plans(scale_name)


PACED = env_int("BENCH_PACED", 1)
MULTI = env_int("BENCH_MULTI", 1)
WEBHOOKS = env_int("BENCH_WEBHOOKS", 1)


def _further_runs(report: Report, database: str, files: dict[str, Path]) -> None:
    """The paced run, one server process per core, the mixed workload, webhook delivery
    (bench/extra.py, bench/mixed.py, bench/webhooks.py); each can be left out
    (``BENCH_PACED``, ``BENCH_MULTI``, ``BENCH_MIXED``, ``BENCH_WEBHOOKS`` = 0)."""
    from bench import extra, mixed, webhooks

    if PACED:
        say(f"paced credit checks @ {database}")
        with serving("api", PORT, database) as server:
            wrk(server.url, files[routes.CREDIT_CHECK], WARMUP)
            report.paced = extra.paced(server.url, files[routes.CREDIT_CHECK])
    if MULTI:
        say(f"{extra.PROCESSES} server processes each @ {database}")
        report.multi = [
            extra.throughput("api", PORT + 30, database, files[routes.CREDIT_CHECK]),
            extra.throughput("floor", PORT + 31, database, files[routes.FLOOR]),
        ]
    if mixed.MIXED:
        # With several processes too when the run with several processes is on.
        report.mixed = mixed.run(database, PORT, multi=bool(MULTI))
    if WEBHOOKS:
        report.hooks = webhooks.run()


def main() -> None:
    from bench import seed

    wall = time.monotonic()

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    scales = os.environ.get("BENCH_SCALES", "small large").split()
    report = Report(started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"))
    report.load_average["start"] = _load_average()

    say("framework ceiling")
    ceiling_file = write_requests("ceiling", routes.ceiling_targets())
    with serving("ceiling", PORT + 20, None) as server:
        measure_route({"-": server}, routes.CEILING, {"-": ceiling_file}, {"-": None}, report)

    files: dict[str, dict[str, Path]] = {}
    for name in scales:
        sc = scale(name)
        seeded, seconds = asyncio.run(seed.ensure(sc))
        report.seeds[name] = {"seeded": seeded, "seconds": seconds}
        configure_in_process(sc.database)
        targets = routes.load_targets(sc.database)
        files[name] = {
            route: write_requests(f"{sc.database}-{route}", [t for t in targets if t.name == route])
            for route in routes.ROUTES
        }
        files[name][routes.FLOOR] = write_requests(
            f"{sc.database}-floor", routes.floor_targets(sc.database)
        )

    # One server per scale, all up at once; each route is measured at every scale in
    # turns (window_order), so a drift of the shared machine falls on both sides of a
    # ratio alike.
    for kind, measured, offset in (("api", routes.ROUTES, 0), ("floor", (routes.FLOOR,), 10)):
        say(f"{'app' if kind == 'api' else 'work floor'} @ {', '.join(scales)}")
        with ExitStack() as stack:
            servers = {
                name: stack.enter_context(serving(kind, PORT + offset + i, scale(name).database))
                for i, name in enumerate(scales)
            }
            # First every server sees every route once (connections opened, statements
            # prepared, caches warm), so the first measurement is not the odd one out.
            for route in measured:
                for name in scales:
                    wrk(servers[name].url, files[name][route], WARMUP)
            databases: dict[str, str | None] = {name: scale(name).database for name in scales}
            if kind == "api":
                for name in scales:
                    report.task_pages[name] = task_page_lengths(servers[name], scale(name).database)
            for route in measured:
                by_scale = {name: files[name][route] for name in scales}
                measure_route(servers, route, by_scale, databases, report)
            if kind == "api":
                peaks = [server.sampler.peak for server in servers.values()]
                report.api_peak_rss_mb = max(report.api_peak_rss_mb, *peaks)

    last = scales[-1]
    _further_runs(report, scale(last).database, files[last])
    say(f"query plans @ {last}")
    report.plans = asyncio.run(_plans(last))
    report.plans_scale = last
    say(f"statement costs @ {last}")
    report.statement_costs = statements.run(scale(last).database)
    if IMPORT_ROWS > 0:
        say(f"bulk import of {IMPORT_ROWS:,} rows @ {last}")
        with serving("api", PORT, scale(last).database) as server:
            report.imports = asyncio.run(run_import(server, scale(last).database, IMPORT_ROWS))
            report.api_peak_rss_mb = max(report.api_peak_rss_mb, server.sampler.peak)
    report.finished = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    report.wall_seconds = time.monotonic() - wall
    machine = _machine()
    postgres = asyncio.run(_postgres())
    RESULTS_MD.write_text(render(report, machine, postgres), encoding="utf-8")
    RESULTS_JSON.write_text(
        json.dumps(
            {"report": asdict(report), "machine": machine, "postgres": postgres},
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    say(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
