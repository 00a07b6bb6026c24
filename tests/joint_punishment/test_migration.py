"""Migration 0020: existing entries take the list type their name is published under, or
``unclassified``; a check not performed reads as failed under the code before it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import text

from app.core.db import Database
from app.ops.migrate import downgrade, upgrade

NOW = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
IMPORTS = sa.table(
    "joint_punishment_imports",
    sa.column("id", sa.Uuid()),
    *(sa.column(c) for c in ("format", "accepted", "rejected", "imported_by")),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
ENTRIES = sa.table(
    "joint_punishment_entries",
    sa.column("id", sa.Uuid()),
    sa.column("import_id", sa.Uuid()),
    *(sa.column(c) for c in ("subject_type", "id_number", "id_number_index", "list_name")),
    sa.column("source", sa.String()),
    sa.column("listed_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


async def _run(url: str, *statements: sa.Executable) -> list[tuple[object, ...]]:
    database = Database(url)
    try:
        async with database.engine.begin() as conn:
            rows: list[tuple[object, ...]] = []
            for statement in statements:
                result = await conn.execute(statement)
                rows = [tuple(row) for row in result.all()] if result.returns_rows else []
            return rows
    finally:
        await database.dispose()


def test_existing_entries_are_typed_by_their_list_name(empty_database: str) -> None:
    upgrade(empty_database, "0015")
    import_id = uuid.uuid4()
    names = ["失信被执行人名单", "重大税收违法失信主体", "某领域严重失信主体名单"]
    entries = [
        {
            "id": uuid.uuid4(),
            "import_id": import_id,
            "subject_type": "organization",
            "id_number": "sealed",
            "id_number_index": f"{n}" * 64,
            "list_name": name,
            "source": "来源",
            "listed_on": date(2026, 1, 5),
            "created_at": NOW,
        }
        for n, name in enumerate(names)
    ]
    batch = {
        "id": import_id,
        "format": "csv",
        "accepted": 3,
        "rejected": 0,
        "imported_by": "admin",
        "created_at": NOW,
    }
    asyncio.run(
        _run(empty_database, IMPORTS.insert().values(batch), ENTRIES.insert().values(entries))
    )

    upgrade(empty_database, "0020")
    rows = asyncio.run(
        _run(empty_database, text("SELECT list_name, list_type FROM joint_punishment_entries"))
    )
    assert dict(rows) == {  # type: ignore[arg-type]
        "失信被执行人名单": "dishonest_judgment_debtor",
        "重大税收违法失信主体": "major_tax_violation",
        "某领域严重失信主体名单": "unclassified",
    }

    downgrade(empty_database, "0015")
    columns = asyncio.run(
        _run(empty_database, sa.select(ENTRIES.c.list_name).order_by(ENTRIES.c.list_name))
    )
    assert sorted(str(c) for (c,) in columns) == sorted(names)
