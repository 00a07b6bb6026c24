"""Migrations build the schema on both databases, round-trip, and match the models."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import inspect

from app.core.db import Database
from app.models import metadata
from app.ops.migrate import check, downgrade, upgrade


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_upgrade_to_head_matches_the_models_and_round_trips(empty_database: str) -> None:
    upgrade(empty_database)
    assert set(metadata.tables) <= _tables(empty_database)
    check(empty_database)  # `alembic check`: raises when models and schema differ

    downgrade(empty_database, "base")
    assert _tables(empty_database) <= {"alembic_version"}

    upgrade(empty_database)
    check(empty_database)


def test_migration_file_names_are_dated_slugs() -> None:
    names = sorted(p.name for p in Path("migrations/versions").glob("*.py"))
    assert names, "no migrations found"
    for name in names:
        stem = name.removesuffix(".py")
        date_part, _, slug = stem.partition("_")
        assert len(date_part) == len("YYYY-MM-DD-HHMM") and slug, name
