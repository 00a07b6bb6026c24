"""The SQL each measured route sends, and the plans PostgreSQL makes for it.

    python -m bench.plans small|large [--show-sql]

Runs one request of each measured route through the app in this process (no server),
records every statement the engine sends with its parameters, then asks PostgreSQL for
the plan of each (``EXPLAIN (ANALYZE, BUFFERS)`` for reads, inside a transaction that
is rolled back; plain ``EXPLAIN`` for writes) and flags sequential scans of large
tables. Writes ``var/bench/<database>.plans.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from bench.common import WORK_DIR, configure_in_process, dsn, say, scale
from bench.load import Target, load_targets

# A table with more rows than this is "large": a sequential scan of it is a finding.
LARGE_TABLE_ROWS = 10_000


@dataclass(slots=True)
class Statement:
    sql: str
    params: list[Any]


@dataclass(slots=True)
class RouteTrace:
    name: str
    method: str
    path: str
    status: int = 0
    statements: list[Statement] = field(default_factory=list)
    transactions: int = 0
    pings: int = 0


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


async def trace_routes(targets: list[Target]) -> list[RouteTrace]:
    """One request per route through the app, recording what the engine sends."""
    from sqlalchemy import event

    from app.core.config import load_settings
    from app.main import create_app

    settings = load_settings()
    app = create_app(settings)
    engine = app.state.database.engine.sync_engine
    current: list[RouteTrace] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if current:
            values = list(params) if isinstance(params, list | tuple) else []
            current[-1].statements.append(Statement(sql, values))

    @event.listens_for(engine, "begin")
    def _begin(_conn: Any) -> None:
        if current:
            current[-1].transactions += 1

    @event.listens_for(engine, "engine_connect")
    def _connect(_conn: Any) -> None:
        if current and engine.pool._pre_ping:
            current[-1].pings += 1

    traces = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for target in targets:
            # The first request of a route warms caches; the second is the one recorded.
            for attempt in range(2):
                trace = RouteTrace(target.name, target.method, target.path)
                current[:] = [trace]
                headers = {}
                if target.token:
                    headers["Authorization"] = f"Bearer {target.token}"
                if target.body:
                    headers["Content-Type"] = "application/json"
                response = await client.request(
                    target.method, target.path, headers=headers, content=target.body
                )
                current.clear()
                trace.status = response.status_code
                if attempt == 1:
                    traces.append(trace)
    await app.state.database.dispose()
    return traces


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [node]
    for child in node.get("Plans", []):
        nodes.extend(_walk(child))
    return nodes


async def explain(database: str, traces: list[RouteTrace]) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn(database))
    try:
        sizes = {
            row["relname"]: int(row["n"])
            for row in await conn.fetch(
                "SELECT relname, greatest(reltuples, 0)::bigint AS n FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        }
        report: dict[str, Any] = {"routes": [], "findings": [], "table_rows": sizes}
        for trace in traces:
            entries = []
            for statement in trace.statements:
                read = statement.sql.lstrip().upper().startswith("SELECT")
                options = "ANALYZE, BUFFERS, FORMAT JSON" if read else "FORMAT JSON"
                tr = conn.transaction()
                await tr.start()
                try:
                    raw = await conn.fetchval(
                        f"EXPLAIN ({options}) {statement.sql}", *statement.params
                    )
                    plan = json.loads(raw)[0]
                except asyncpg.PostgresError as exc:
                    plan = {"error": str(exc)}
                finally:
                    await tr.rollback()
                scans = []
                if "Plan" in plan:
                    for node in _walk(plan["Plan"]):
                        relation = node.get("Relation Name")
                        if node.get("Node Type") == "Seq Scan" and relation:
                            rows = sizes.get(relation, 0)
                            scans.append({"table": relation, "table_rows": rows})
                            if rows > LARGE_TABLE_ROWS:
                                report["findings"].append(
                                    {
                                        "route": trace.name,
                                        "table": relation,
                                        "table_rows": rows,
                                        "filter": node.get("Filter"),
                                        "sql": _short(statement.sql),
                                    }
                                )
                entries.append(
                    {
                        "sql": _short(statement.sql),
                        "params": [_plain(p) for p in statement.params],
                        "seq_scans": scans,
                        "execution_ms": plan.get("Execution Time"),
                        "plan": plan.get("Plan", plan),
                    }
                )
            report["routes"].append(
                {
                    "route": trace.name,
                    "status": trace.status,
                    "statements": len(trace.statements),
                    "transactions": trace.transactions,
                    "pings": trace.pings,
                    # BEGIN and COMMIT (or ROLLBACK) travel too.
                    "round_trips": len(trace.statements) + trace.pings + 2 * trace.transactions,
                    "queries": entries,
                }
            )
        return report
    finally:
        await conn.close()


def _short(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def plans_file(database: str) -> str:
    return str(WORK_DIR / f"{database}.plans.json")


async def check_plans(scale_name: str) -> dict[str, Any]:
    sc = scale(scale_name)
    configure_in_process(sc.database)
    targets = load_targets(sc.database, per_route=1)
    traces = await trace_routes(targets)
    report = await explain(sc.database, traces)
    _write(plans_file(sc.database), report)
    return report


def _write(path: str, report: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report, out, ensure_ascii=False, indent=1, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=("small", "large"))
    parser.add_argument("--show-sql", action="store_true", help="print each statement")
    args = parser.parse_args()
    report = asyncio.run(check_plans(args.scale))
    for route in report["routes"]:
        say(
            f"{route['route']}: HTTP {route['status']}, {route['statements']} statements, "
            f"{route['round_trips']} round trips"
        )
        for query in route["queries"]:
            scans = ", ".join(
                f"{s['table']} ({s['table_rows']:,} rows)" for s in query["seq_scans"]
            )
            timing = f"{query['execution_ms']:.3f} ms" if query["execution_ms"] else "-"
            line = f"  [{timing}] {query['sql'][:160]}"
            if args.show_sql:
                line = f"  [{timing}] {query['sql']}  -- {query['params']}"
            say(line + (f"  SEQ SCAN: {scans}" if scans else ""))
    for finding in report["findings"]:
        say(f"FINDING: {finding}")


if __name__ == "__main__":
    main()
