"""What an import writes: rows in the form the column types store (COPY on PostgreSQL, a
multi-row INSERT on SQLite), found again by the lookup, and nothing at all when the import
fails part-way."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.db import utcnow
from app.core.identifiers import SubjectType
from app.joint_punishment import repository, service
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.privacy.crypto import key_id_of, keyring
from app.rules.eligibility import Party
from app.subjects.models import identifier_index
from tests.conftest import TokenFactory
from tests.joint_punishment.support import (
    CSV,
    IMPORTS,
    NDJSON,
    csv_body,
    valid_resident_id,
    valid_uscc,
)

# Small batches, so a few rows make several full batches and a remainder.
BATCH = 3
AS_OF = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "INSERT_BATCH_SIZE", BATCH)


def _rows(count: int) -> list[list[str]]:
    """Organizations and persons in turn, some without a name, some with an end date."""
    rows = []
    for i in range(count):
        if i % 2:
            subject_type, number, name = "organization", valid_uscc(100 + i), f"某某有限公司{i}"
        else:
            subject_type, number, name = "person", valid_resident_id(100 + i), f"张{i}"
        rows.append(
            [
                subject_type,
                number,
                "" if i % 3 == 0 else name,
                f"失信联合惩戒对象名单 {i}",
                "国家发展改革委",
                str(date(2026, 1, 1) + timedelta(days=i)),
                "2029-12-31" if i % 4 == 0 else "",
            ]
        )
    return rows


async def _import(
    client: httpx.AsyncClient, auth: TokenFactory, body: bytes | AsyncIterable[bytes]
) -> httpx.Response:
    return await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})


async def _counts(session: AsyncSession) -> tuple[int | None, ...]:
    audited = select(func.count()).where(AuditEntry.action == "joint_punishment.import")
    return (
        await session.scalar(select(func.count()).select_from(JointPunishmentEntry)),
        await session.scalar(select(func.count()).select_from(JointPunishmentImport)),
        await session.scalar(audited),
    )


async def test_imported_rows_read_back_as_written_through_the_orm(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    rows = _rows(2 * BATCH + 2)
    response = await _import(client, auth, csv_body(rows))
    assert response.status_code == 201, response.text
    import_id = uuid.UUID(response.json()["import_id"])
    batch = await session.get(JointPunishmentImport, import_id)
    assert batch is not None

    statement = select(JointPunishmentEntry).where(JointPunishmentEntry.import_id == import_id)
    stored = {entry.id_number: entry for entry in await session.scalars(statement)}
    assert len(stored) == len(rows)
    assert len({entry.id for entry in stored.values()}) == len(rows)
    for subject_type, number, name, list_name, source, listed_on, expires_on in rows:
        entry = stored[number]
        assert (entry.subject_type, entry.name) == (subject_type, name or None)
        assert (entry.list_name, entry.source) == (list_name, source)
        # No configured list is published under these names, and the rows name no type.
        assert entry.list_type == "unclassified"
        assert (entry.listed_on, entry.expires_on) == (
            date.fromisoformat(listed_on),
            date.fromisoformat(expires_on) if expires_on else None,
        )
        assert entry.id_number_index == identifier_index(subject_type, number)
        assert entry.created_at == batch.created_at

    # One more entry through the ORM, with the same number and name as an imported one:
    # both are sealed the same way (the active key, the same layout and length).
    subject_type, number, name, *_ = rows[1]
    session.add(
        JointPunishmentEntry(
            subject_type=subject_type,
            id_number=number,
            id_number_index=identifier_index(subject_type, number),
            name=name,
            list_name="ORM",
            list_type="unclassified",
            source="ORM",
            listed_on=date(2026, 1, 1),
            import_id=import_id,
            created_at=utcnow(),
        )
    )
    await session.flush()
    sealed = select(
        JointPunishmentEntry.list_name,
        type_coerce(JointPunishmentEntry.id_number, String),
        type_coerce(JointPunishmentEntry.name, String),
    ).where(JointPunishmentEntry.import_id == import_id)
    forms = {
        list_name: (id_number, name) for list_name, id_number, name in await session.execute(sealed)
    }
    orm_number, orm_name = forms["ORM"]
    copied_number, copied_name = forms[rows[1][3]]
    assert orm_name is not None and copied_name is not None
    assert (len(copied_number), len(copied_name)) == (len(orm_number), len(orm_name))
    for _, number, name, list_name, *_ in rows:
        sealed_number, sealed_name = forms[list_name]
        assert key_id_of(sealed_number) == keyring().active_id
        assert keyring().decrypt(sealed_number) == number
        assert (sealed_name and keyring().decrypt(sealed_name)) == (name or None)


async def test_each_imported_row_is_found_by_the_lookup(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    rows = _rows(2 * BATCH + 1)
    response = await _import(client, auth, csv_body(rows))
    assert response.status_code == 201, response.text
    for subject_type, number, _, list_name, *_ in rows:
        # As a credit check asks: any case, spaces allowed; the blind index finds the row.
        asked = f" {number[:6]} {number[6:].lower()}"
        result = await service.lookup_joint_punishment(
            session, None, [(Party.SUBJECT, SubjectType(subject_type), asked)], AS_OF
        )
        assert [hit.list_name for hit in result.hits] == [list_name]


async def test_an_import_whose_body_breaks_off_keeps_nothing(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    before = await _counts(session)
    body = csv_body(_rows(3 * BATCH + 1))

    async def broken_off() -> AsyncIterator[bytes]:
        # Every row arrives (three batches go to the database), then the upload fails.
        for start in range(0, len(body), 64):
            yield body[start : start + 64]
        raise RuntimeError("the upload broke off")

    response = await _import(client, auth, broken_off())
    assert response.status_code == 500
    assert await _counts(session) == before


async def test_an_import_the_database_refuses_part_way_keeps_nothing(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issued: list[uuid.UUID] = []

    def repeating_id() -> uuid.UUID:
        # Two batches of rows, then the third batch repeats an id the second batch has
        # written: its write fails on the primary key.
        issued.append(issued[-1] if len(issued) == 2 * BATCH else uuid.uuid4())
        return issued[-1]

    monkeypatch.setattr(repository, "new_id", repeating_id)
    before = await _counts(session)
    response = await _import(client, auth, csv_body(_rows(4 * BATCH)))
    # 409 where the error comes through SQLAlchemy (the INSERT), 500 from COPY's driver.
    assert response.status_code in (409, 500), response.text
    assert len(issued) > 2 * BATCH
    assert await _counts(session) == before


async def test_a_lone_surrogate_rejects_its_row_only(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    def line(number: str, name: str | None) -> str:
        # json.dumps escapes every character outside ASCII, half a surrogate pair too.
        entry = {"subject_type": "organization", "id_number": number, "name": name}
        return json.dumps(entry | {"list_name": "L", "source": "S", "listed_on": "2026-01-01"})

    lines = [
        line(valid_uscc(1), "\U0001f600"),  # a whole pair: one character
        line(valid_uscc(2), "x\ud800"),  # no UTF-8 column can store this
        line(valid_uscc(3), None),
    ]
    response = await client.post(
        IMPORTS, content="\n".join(lines).encode(), headers={**NDJSON, **auth("admin")}
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (2, 1)
    assert result["rejected_rows"] == [
        {
            "line": 2,
            "errors": [
                {
                    "field": "name",
                    "code": "invalid_encoding",
                    "message": "must not contain a lone surrogate (\\ud800-\\udfff)",
                }
            ],
        }
    ]
