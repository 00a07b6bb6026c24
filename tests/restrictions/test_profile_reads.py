"""The credit profile's one-statement read finds exactly what the repositories find, one
statement per lookup (app.credit_profiles.repository), on both databases.

Dates (tests/restrictions/conftest.py): the tolerance commitment is signed Wed
2026-09-30; the listing verified Mon 10-12, notice received Wed 10-14, published Tue
10-20; the marks recorded Wed 10-21, the day the profile is read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from app.core.db import Database
from app.credit_profiles.repository import read_profile, read_profile_orm
from app.credit_records.models import CreditRecordEntry
from app.subjects.models import Subject
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, LINZI, ORG, ORG_ID, PERSON, PERSON_ID, ok, resident_id
from tests.restrictions.conftest import at, published, step

DAY = date(2026, 10, 21)
NEVER_STORED = resident_id("37140219900101002")


async def _entry(session: AsyncSession, subject_id: uuid.UUID, outcome: str, hour: int) -> None:
    session.add(
        CreditRecordEntry(
            subject_id=subject_id,
            kind="commitment_outcome",
            outcome=outcome,
            recorded_on=DAY,
            recorded_at=datetime(2026, 10, 21, hour, tzinfo=UTC),
            department=AGENCY,
            matter_code=None,
            citation="DZ art. 14",
            details={},
        )
    )
    await session.flush()


async def test_the_one_statement_read_finds_what_the_repositories_find(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    session: AsyncSession,
    database: Database,
) -> None:
    first = await commitment(client, auth, "tolerance")
    await commitment(client, auth, "notify_commit")
    listing_id = await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-10-12",
        notice_on="2026-10-13",
        received_on="2026-10-14",
        publish_on="2026-10-20",
    )
    # A person's listing: the subject's number, name and address are stored encrypted.
    person_listing_id = await published(
        client,
        auth,
        clock,
        PERSON,
        verify_on="2026-10-12",
        notice_on="2026-10-13",
        received_on="2026-10-14",
        publish_on="2026-10-20",
    )
    at(clock, "2026-10-21")
    penalty = {"kind": "administrative_penalty", "decision_reference": "德市监处罚〔2026〕15号"}
    judicial = {"kind": "judicial", "decision_reference": "德公移字〔2026〕3号"}
    await step(client, auth, f"/api/v1/commitments/{first['id']}/referrals", penalty, status=201)
    await step(client, auth, f"/api/v1/restrictions/{listing_id}/referrals", judicial, status=201)
    found = await session.scalars(select(Subject.id).where(Subject.identifier_any_type(ORG_ID)))
    subject_id = found.one()
    await _entry(session, subject_id, "fulfilled", 9)
    await _entry(session, subject_id, "breached", 8)

    cases: list[tuple[str, str | None]] = [
        (ORG_ID, AGENCY),
        (ORG_ID, LINZI),
        (ORG_ID, None),
        (PERSON_ID, AGENCY),
        (NEVER_STORED, AGENCY),
    ]
    for number, marks_of in cases:
        kind = "organization" if number == ORG_ID else "person"
        fast = await read_profile(session, kind, number, DAY, marks_of)
        reference = await read_profile_orm(session, kind, number, DAY, marks_of)
        assert fast == reference, (number, marks_of)

    # What was read is what was stored: not an empty read that agrees with another.
    rows = await read_profile(session, "organization", ORG_ID, DAY, AGENCY)
    assert rows.subject is not None and rows.subject.id == subject_id
    assert [str(r.id) for r in rows.published] == [listing_id]
    assert sorted(c.mode for c in rows.commitments) == ["notify_commit", "tolerance"]
    assert [e.outcome for e in rows.entries] == ["breached", "fulfilled"]  # 08:00, then 09:00
    assert sorted((m.kind, m.decision_reference) for m in rows.marks) == [
        ("administrative_penalty", "德市监处罚〔2026〕15号"),
        ("judicial", "德公移字〔2026〕3号"),
    ]
    other = await read_profile(session, "organization", ORG_ID, DAY, LINZI)
    assert other.marks == []
    person = await read_profile(session, "person", PERSON_ID, DAY, AGENCY)
    assert person.subject is not None
    assert (person.subject.id_number, person.subject.name) == (PERSON_ID, PERSON["name"])
    assert [str(r.id) for r in person.published] == [person_listing_id]
    assert (await read_profile(session, "person", NEVER_STORED, DAY, AGENCY)).subject is None

    # One statement, and the profile the route answers with is built from it.
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = {"subject_type": "organization", "id_number": ORG_ID}
        headers = auth("clerk", department=AGENCY)
        profile = await ok(
            await client.post("/api/v1/credit-profiles/lookup", json=body, headers=headers), 200
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(profile["referrals"]) == 2 and len(profile["credit_record"]) == 2
    assert len(sent) == 1, sent
