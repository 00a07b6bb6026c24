"""Migration 0009 encrypts existing personal data in place, and its downgrade restores it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import text

from app.core.db import Database
from app.ops.migrate import downgrade, upgrade
from app.privacy import crypto
from tests.conftest import (
    make_settings,
)
from tests.factories import resident_id

CITIZEN = resident_id("37140219850612123")
ORG = "91350100M000100Y43"


async def _sql(url: str, statement: str, **params: object) -> list[tuple[object, ...]]:
    database = Database(url)
    try:
        async with database.engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
    finally:
        await database.dispose()


async def _insert(url: str, table: sa.TableClause, rows: list[dict[str, object]]) -> None:
    database = Database(url)
    try:
        async with database.engine.begin() as conn:
            await conn.execute(table.insert(), rows)
    finally:
        await database.dispose()


SUBJECTS = sa.table(
    "subjects",
    *(sa.column(c) for c in ("subject_type", "id_number", "name", "address")),
    sa.column("id", sa.Uuid()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
IMPORTS = sa.table(
    "joint_punishment_imports",
    *(sa.column(c) for c in ("format", "accepted", "rejected", "imported_by")),
    sa.column("id", sa.Uuid()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
ENTRIES = sa.table(
    "joint_punishment_entries",
    *(sa.column(c) for c in ("subject_type", "id_number", "name", "list_name", "source")),
    sa.column("id", sa.Uuid()),
    sa.column("import_id", sa.Uuid()),
    sa.column("listed_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def test_existing_rows_are_encrypted_and_restored(empty_database: str) -> None:
    url = empty_database
    crypto.configure(make_settings(url).keyring())
    upgrade(url, "0008")
    now = datetime.now(UTC)
    subjects = [
        {"subject_type": t, "id_number": n, "name": name, "address": "德州市某路1号"}
        for t, n, name in (("person", CITIZEN, "张三丰"), ("organization", ORG, "某公司"))
    ]
    asyncio.run(
        _insert(
            url,
            SUBJECTS,
            [{**s, "id": uuid.uuid4(), "created_at": now, "updated_at": now} for s in subjects],
        )
    )
    import_id = uuid.uuid4()
    asyncio.run(
        _insert(
            url,
            IMPORTS,
            [
                {
                    "id": import_id,
                    "format": "csv",
                    "accepted": 1,
                    "rejected": 0,
                    "imported_by": "admin",
                    "created_at": now,
                }
            ],
        )
    )
    asyncio.run(
        _insert(
            url,
            ENTRIES,
            [
                {
                    "id": uuid.uuid4(),
                    "subject_type": "person",
                    "id_number": CITIZEN,
                    "name": "张三丰",
                    "list_name": "名单",
                    "source": "来源",
                    "listed_on": date(2026, 1, 5),
                    "import_id": import_id,
                    "created_at": now,
                }
            ],
        )
    )

    upgrade(url)
    raw = repr(asyncio.run(_sql(url, "SELECT * FROM subjects"))) + repr(
        asyncio.run(_sql(url, "SELECT * FROM joint_punishment_entries"))
    )
    assert CITIZEN not in raw and "张三丰" not in raw
    assert ORG in raw and "某公司" in raw  # organisations stay in clear

    downgrade(url, "0008")
    restored = asyncio.run(
        _sql(url, "SELECT id_number, name, address FROM subjects WHERE subject_type = 'person'")
    )
    assert restored == [(CITIZEN, "张三丰", "德州市某路1号")]
    entries = asyncio.run(_sql(url, "SELECT id_number, name FROM joint_punishment_entries"))
    assert entries == [(CITIZEN, "张三丰")]
