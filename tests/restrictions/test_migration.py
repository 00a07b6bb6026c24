"""Migration 0016: a listing made before it records the profile of its collecting
department (the profile it was made under); the downgrade drops the column."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from app.ops.migrate import downgrade, upgrade
from tests.consents.test_migration import SUBJECTS, _run

NOW = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
DEPARTMENTS = sa.table(
    "departments",
    *(sa.column(c) for c in ("code", "name", "region_code", "profile")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
)
RESTRICTIONS = sa.table(
    "restrictions",
    sa.column("id", sa.Uuid()),
    sa.column("subject_id", sa.Uuid()),
    *(
        sa.column(c)
        for c in (
            "status",
            "situation",
            "source_channel",
            "facts",
            "legal_basis",
            "collecting_department",
            "created_by",
        )
    ),
    sa.column("legal_documents", sa.JSON()),
    sa.column("deadlines", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer()),
)


def _department(code: str, profile: str) -> dict[str, object]:
    return {
        "code": code,
        "name": code,
        "region_code": code[:6],
        "profile": profile,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def _listing(subject_id: uuid.UUID, department: str) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "subject_id": subject_id,
        "status": "collected",
        "situation": "other",
        "source_channel": "other",
        "facts": "事实",
        "legal_basis": "依据",
        "collecting_department": department,
        "created_by": "alice",
        "legal_documents": [],
        "deadlines": {},
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def test_existing_listings_take_their_collecting_departments_profile(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0015")
    subject_id = uuid.uuid4()
    dezhou, linzi = _listing(subject_id, "371400-SPJ"), _listing(subject_id, "370305-XZSP")
    asyncio.run(
        _run(
            empty_database,
            SUBJECTS.insert().values(
                {
                    "id": subject_id,
                    "subject_type": "organization",
                    "id_number_index": "i" * 64,
                    "name_index": "n" * 64,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ),
            DEPARTMENTS.insert().values(
                [
                    _department("371400-SPJ", "shandong-combined"),
                    _department("370305-XZSP", "linzi-2022"),
                ]
            ),
            RESTRICTIONS.insert().values([dezhou, linzi]),
        )
    )

    upgrade(empty_database)
    rows = asyncio.run(_run(empty_database, sa.text("SELECT id, profile FROM restrictions")))
    assert {uuid.UUID(str(i)): p for i, p in rows} == {
        dezhou["id"]: "shandong-combined",
        linzi["id"]: "linzi-2022",
    }

    downgrade(empty_database, "0015")
    columns = asyncio.run(_run(empty_database, sa.text("SELECT * FROM restrictions")))
    assert len(columns) == 2
