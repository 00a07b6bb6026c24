"""Webhook delivery under load: one worker process (``zwfw-credit worker``), receivers in
processes of their own on loopback.

    python -m bench.webhooks

1. **fast**: ``BENCH_HOOK_EVENTS`` events queued for one subscription whose receiver
   answers at once; deliveries/s while the backlog drains (10 % to 90 % of it).
2. **beside a slow receiver**: the same with a second subscription whose receiver takes
   ``BENCH_HOOK_SLOW_SECONDS`` (3) per answer; the fast subscription's rate, and its drop.
3. **outage**: events arrive at ``BENCH_HOOK_RATE`` (35/s) for ``BENCH_HOOK_OUTAGE``
   seconds (300, the target's outage) while the receiver is down; then it is back,
   and the time until the backlog is drained is measured (the events keep arriving).

Deliveries are queued as the service queues them: events sequenced, one pending delivery
per subscription. Each phase starts from an empty database ``zwfw_bench_hooks``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import asyncpg

from bench.common import ROOT, VENV_BIN, WORK_DIR, dsn, env_float, env_int, say, service_env

DATABASE = "zwfw_bench_hooks"
EVENTS = env_int("BENCH_HOOK_EVENTS", 20_000)
SLOW_SECONDS = env_float("BENCH_HOOK_SLOW_SECONDS", 3.0)
RATE = env_float("BENCH_HOOK_RATE", 35.0)
OUTAGE = env_int("BENCH_HOOK_OUTAGE", 300)
PORT = env_int("BENCH_HOOK_PORT", 8151)
SECRET = "bench-receiver-secret-0123456789"  # noqa: S105 - a loopback receiver
WORKER_ENV = {"ZWFW_WORKER_INTERVAL_SECONDS": "1", "ZWFW_LOG_LEVEL": "WARNING"}

# A receiver: answers every POST with 204 after ``delay`` seconds (asyncio, one process).
RECEIVER = """
import asyncio, sys
delay = float(sys.argv[2])
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
            length = 0
            for line in head.split(b"\\r\\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if delay:
                await asyncio.sleep(delay)
            writer.write(b"HTTP/1.1 204 No Content\\r\\n\\r\\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""


@dataclass(slots=True)
class HookResults:
    fast_per_second: float = 0.0
    beside_slow_per_second: float = 0.0
    outage_seconds: int = 0
    outage_backlog: int = 0
    drain_seconds: float = 0.0
    events: int = 0

    @property
    def drop(self) -> float:
        if not self.fast_per_second:
            return 0.0
        return 1 - self.beside_slow_per_second / self.fast_per_second


def _receiver(port: int, delay: float) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port), str(delay)])
    time.sleep(0.5)
    return process


def _worker() -> subprocess.Popen[bytes]:
    log = open(WORK_DIR / "webhooks-worker.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [str(VENV_BIN / "zwfw-credit"), "worker"],
        env=service_env(DATABASE, **WORKER_ENV),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _fresh_database() -> None:
    admin = await asyncpg.connect(dsn("postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    await asyncio.to_thread(
        subprocess.run,
        [str(VENV_BIN / "zwfw-credit"), "migrate"],
        env=service_env(DATABASE),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


async def _subscribe(conn: asyncpg.Connection, name: str, port: int) -> uuid.UUID:
    subscription = uuid.uuid4()
    await conn.execute(
        "INSERT INTO webhook_subscriptions (id, name, url, event_types, secret, active, system,"
        " personal_data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, true, false,"
        " false, 'bench', now())",
        subscription,
        name,
        f"http://127.0.0.1:{port}/hook",
        json.dumps(["*"]),
        SECRET,
    )
    return subscription


async def _events(conn: asyncpg.Connection, count: int) -> None:
    """``count`` external events, not yet sequenced: the worker sequences them and queues
    a delivery for each subscription, as it does for the service's own events."""
    now = datetime.now(UTC)
    await conn.executemany(
        "INSERT INTO events (event_id, type, aggregate_type, aggregate_id, occurred_at, payload,"
        " audience) VALUES ($1, 'credit_record.appended', 'credit_record', $2, $3, $4,"
        " 'external')",
        [
            (uuid.uuid4(), str(n), now, json.dumps({"n": n, "outcome": "fulfilled"}))
            for n in range(count)
        ],
    )


async def _delivered(conn: asyncpg.Connection, subscription: uuid.UUID) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1 AND status = "
        "'delivered'",
        subscription,
    )
    return count


async def _rate(conn: asyncpg.Connection, subscription: uuid.UUID, total: int) -> float:
    """Deliveries/s while the subscription's count goes from 10 % to 90 % of ``total``."""
    low, high = total // 10, total * 9 // 10
    started_at = ended_at = None
    started_count = 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        count = await _delivered(conn, subscription)
        now = time.monotonic()
        if started_at is None and count >= low:
            started_at, started_count = now, count
        if count >= high:
            ended_at = now
            break
        await asyncio.sleep(0.2)
    if started_at is None or ended_at is None or ended_at <= started_at:
        return 0.0
    return (await _delivered(conn, subscription) - started_count) / (time.monotonic() - started_at)


async def _throughput(with_slow: bool) -> float:
    await _fresh_database()
    conn = await asyncpg.connect(dsn(DATABASE))
    receivers = [_receiver(PORT, 0.0)]
    if with_slow:
        receivers.append(_receiver(PORT + 1, SLOW_SECONDS))
    try:
        fast = await _subscribe(conn, "fast", PORT)
        slow = await _subscribe(conn, "slow", PORT + 1) if with_slow else None
        await _events(conn, EVENTS)
        worker = _worker()
        try:
            fast_rate = await _rate(conn, fast, EVENTS)
            if slow is not None:
                say(f"  the slow receiver got {await _delivered(conn, slow):,} meanwhile")
        finally:
            _stop(worker)
    finally:
        for receiver in receivers:
            _stop(receiver)
        await conn.close()
    return fast_rate


async def _outage() -> tuple[int, float]:
    """Events at ``RATE`` per second for ``OUTAGE`` seconds with the receiver down; then
    the receiver is back: seconds until no delivery is pending (events still arriving)."""
    await _fresh_database()
    conn = await asyncpg.connect(dsn(DATABASE))
    producer_conn = await asyncpg.connect(dsn(DATABASE))
    subscription = await _subscribe(conn, "platform", PORT)
    stop = asyncio.Event()

    async def produce() -> None:
        while not stop.is_set():
            await _events(producer_conn, max(1, round(RATE)))
            await asyncio.sleep(1)

    worker = _worker()
    producer = asyncio.create_task(produce())
    receiver = None
    try:
        await asyncio.sleep(OUTAGE)
        backlog: int = await conn.fetchval(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"
        )
        receiver = _receiver(PORT, 0.0)
        back = time.monotonic()
        drained = float("nan")
        while time.monotonic() - back < 600:
            pending = await conn.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1 AND status ="
                " 'pending' AND created_at < now() - interval '2 seconds'",
                subscription,
            )
            if pending == 0:
                drained = time.monotonic() - back
                break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await producer
        _stop(worker)
        if receiver is not None:
            _stop(receiver)
        await producer_conn.close()
        await conn.close()
    return backlog, drained


def run() -> HookResults:
    results = HookResults(events=EVENTS, outage_seconds=OUTAGE)
    say(f"webhooks: {EVENTS:,} events to a fast receiver")
    results.fast_per_second = asyncio.run(_throughput(with_slow=False))
    say(f"  {results.fast_per_second:,.0f} deliveries/s")
    say(f"webhooks: the same beside a receiver taking {SLOW_SECONDS:.0f} s per answer")
    results.beside_slow_per_second = asyncio.run(_throughput(with_slow=True))
    say(f"  {results.beside_slow_per_second:,.0f} deliveries/s (drop {results.drop:.1%})")
    say(f"webhooks: {OUTAGE} s receiver outage at {RATE:.0f} events/s, then drain")
    results.outage_backlog, results.drain_seconds = asyncio.run(_outage())
    say(f"  backlog {results.outage_backlog:,}, drained in {results.drain_seconds:.1f} s")
    return results


if __name__ == "__main__":
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    sys.stdout.write(json.dumps(asdict(run()), indent=1) + "\n")
