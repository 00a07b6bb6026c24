"""Migration 0014: a consent recorded before it was given to the department that recorded
it (none when the recording token named none); the downgrade drops the list."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import text

from app.core.db import Database
from app.ops.migrate import downgrade, upgrade

NOW = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
SUBJECTS = sa.table(
    "subjects",
    sa.column("id", sa.Uuid()),
    *(sa.column(c) for c in ("subject_type", "id_number_index", "name_index")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
CONSENTS = sa.table(
    "consents",
    sa.column("id", sa.Uuid()),
    sa.column("subject_id", sa.Uuid()),
    sa.column("scope", sa.JSON()),
    *(sa.column(c) for c in ("purpose", "method", "evidence_ref", "recorded_by", "department")),
    sa.column("granted_at", sa.DateTime(timezone=True)),
    sa.column("expires_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
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


def _consent(subject_id: uuid.UUID, department: str | None) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "subject_id": subject_id,
        "scope": ["restriction_list"],
        "purpose": "credit_facilitation",
        "method": "written_signature",
        "evidence_ref": "SQ-1",
        "recorded_by": "alice",
        "department": department,
        "granted_at": NOW,
        "expires_on": date(2026, 12, 31),
        "created_at": NOW,
        "version": 1,
    }


def test_existing_consents_are_given_to_their_recording_department(empty_database: str) -> None:
    upgrade(empty_database, "0013")
    subject_id = uuid.uuid4()
    recorded, anonymous = _consent(subject_id, "371400-SPJ"), _consent(subject_id, None)
    subject = {
        "id": subject_id,
        "subject_type": "organization",
        "id_number_index": "i" * 64,
        "name_index": "n" * 64,
        "created_at": NOW,
        "updated_at": NOW,
    }
    asyncio.run(
        _run(
            empty_database,
            SUBJECTS.insert().values(subject),
            CONSENTS.insert().values([recorded, anonymous]),
        )
    )

    upgrade(empty_database)
    rows = asyncio.run(_run(empty_database, text("SELECT id, given_to FROM consents")))
    given = {
        uuid.UUID(str(row_id)): value if isinstance(value, list) else json.loads(str(value))
        for row_id, value in rows
    }
    assert given == {recorded["id"]: ["371400-SPJ"], anonymous["id"]: []}

    downgrade(empty_database, "0013")
    columns = asyncio.run(_run(empty_database, sa.select(CONSENTS.c.id, CONSENTS.c.department)))
    assert {(uuid.UUID(str(i)), d) for i, d in columns} == {
        (recorded["id"], "371400-SPJ"),
        (anonymous["id"], None),
    }
