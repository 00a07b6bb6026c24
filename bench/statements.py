"""What one statement costs the app's process: raw asyncpg against SQLAlchemy.

    python -m bench.statements small|large

Sends two of the credit check's statements, and ``SELECT 1``, one after another on one
connection inside one transaction, and measures the CPU time of this process per
statement (not the database's): with raw asyncpg, as the work floor sends them; with
SQLAlchemy Core on the session's connection; and through the session, as the app sends
them (the subject lookup returns the ORM entity). Each is sent ``BENCH_STATEMENT_CALLS``
times (2,000) after a warm-up, in turns, three rounds; the lowest round counts, as the
least disturbed by the rest of the machine. It runs on uvloop, as the server does.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg
import uvloop

from bench.common import configure_in_process, env_int, say, scale
from bench.floor import JOINT_PUNISHMENT, SUBJECT
from bench.load import read_load_file

CALLS = env_int("BENCH_STATEMENT_CALLS", 2000)
ROUNDS = 3
WARM_UP_CALLS = 200

Call = Callable[[], Awaitable[Any]]


async def _cpu_microseconds(call: Call) -> float:
    started = time.process_time()
    for _ in range(CALLS):
        await call()
    return (time.process_time() - started) * 1e6 / CALLS


async def measure_statements(database: str) -> dict[str, dict[str, float]]:
    """CPU microseconds per statement: {statement: {"asyncpg": …, "core": …, "orm": …}}."""
    from sqlalchemy import literal, select

    from app.core.config import load_settings
    from app.core.db import Database
    from app.joint_punishment.models import JointPunishmentEntry
    from app.joint_punishment.repository import JointPunishmentRepository
    from app.subjects.models import Subject, identifier_index
    from app.subjects.repository import SubjectRepository

    configure_in_process(database)
    settings = load_settings()
    subject = read_load_file(database)["checked"][0]
    subject_type, id_number = subject["subject_type"], subject["id_number"]
    index = identifier_index(subject_type, id_number)
    today = datetime.now(settings.tz).date()

    one = select(literal(1))
    subject_core = select(*Subject.__table__.c).where(
        Subject.subject_type == subject_type, Subject.id_number_index == index
    )
    entries = JointPunishmentEntry
    hits_core = select(
        entries.subject_type, entries.id_number_index, entries.list_name, entries.source
    ).where(
        entries.subject_type == subject_type,
        entries.id_number_index == index,
        entries.listed_on <= today,
        (entries.expires_on.is_(None)) | (entries.expires_on >= today),
    )

    db = Database(settings.database_url)
    raw = await asyncpg.connect(settings.database_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        async with db.sessionmaker() as session, raw.transaction():
            connection = await session.connection()
            subjects = SubjectRepository(session)
            hits = JointPunishmentRepository(session)

            async def subject_orm() -> None:
                await subjects.get_by_identifier(subject_type, id_number)
                session.expunge_all()  # loaded again each time, as in a new request

            calls: dict[str, dict[str, Call]] = {
                "SELECT 1": {
                    "asyncpg": lambda: raw.fetchval("SELECT 1"),
                    "core": lambda: connection.scalar(one),
                    "orm": lambda: session.scalar(one),
                },
                "subject by identifier": {
                    "asyncpg": lambda: raw.fetchrow(SUBJECT, subject_type, index),
                    "core": lambda: connection.execute(subject_core),
                    "orm": subject_orm,
                },
                "joint-punishment hits": {
                    "asyncpg": lambda: raw.fetch(JOINT_PUNISHMENT, subject_type, index, today),
                    "core": lambda: connection.execute(hits_core),
                    "orm": lambda: hits.active_hits_for([(subject_type, index)], today),
                },
            }
            for by_way in calls.values():
                for call in by_way.values():
                    for _ in range(WARM_UP_CALLS):
                        await call()
            results: dict[str, dict[str, float]] = {
                name: {way: float("inf") for way in by_way} for name, by_way in calls.items()
            }
            for _ in range(ROUNDS):
                for name, by_way in calls.items():
                    for way, call in by_way.items():
                        cost = await _cpu_microseconds(call)
                        results[name][way] = min(results[name][way], cost)
            await session.rollback()
    finally:
        await raw.close()
        await db.dispose()
    return results


def run(database: str) -> dict[str, dict[str, float]]:
    return uvloop.run(measure_statements(database))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=("small", "large"))
    args = parser.parse_args()
    results = run(scale(args.scale).database)
    for name, by_way in results.items():
        say(f"{name}: " + ", ".join(f"{way} {cost:.0f} µs" for way, cost in by_way.items()))


if __name__ == "__main__":
    main()
