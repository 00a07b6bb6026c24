"""A correction of the address (LZ §5(1)3 住址, encrypted at rest) keeps the address out of
every clear-text record of the step: the correction row, the history, the audit entry
and the event say the address changed, never what it was or became.

Dates: the listing is published on 2026-03-10 (tests/restrictions/conftest.py); the error
is found and fixed on Wed 2026-04-01, due within 2 working days (Fri 04-03)."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, ok
from tests.restrictions.conftest import at, published

OLD = "山东省德州市德城区新湖大街1号"  # tests/restrictions/conftest.py
NEW = "淄博市临淄区桓公路29号"
TABLES = ("restriction_corrections", "restriction_events", "audit_log", "events")


async def test_an_address_correction_keeps_the_address_out_of_clear_records(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    fixed = await ok(
        await client.post(
            f"/api/v1/restrictions/{listing_id}/corrections",
            json={
                "kind": "fix",
                "discovered_on": "2026-04-01",
                "reason": "住址登记有误",
                "changes": {"address": NEW, "facts": "提供虚假的经营场所证明（已更正）"},
            },
            headers=auth("clerk"),
        ),
        200,
    )
    assert fixed["address"] == NEW  # the read, for the owning department, decrypts it
    (correction,) = fixed["corrections"]
    assert correction["changes"]["address"] == {"changed": True}
    assert correction["changes"]["facts"]["after"] == "提供虚假的经营场所证明（已更正）"
    for table in TABLES:
        rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()  # noqa: S608
        dumped = json.dumps([list(map(str, row)) for row in rows], ensure_ascii=False)
        assert NEW not in dumped, table
        assert OLD not in dumped, table
