"""A commitment's breach marked for a penalty or a judicial referral (DZ art. 16 ¶1 "构成
行政处罚的，依法给予行政处罚；涉嫌犯罪的，依法移送司法机关"): the service records the mark
with its decision's reference, audited, and shows it in the credit profile to the
department that made it only.

The notify-commit case (tests/commitments/conftest.py) is signed and decided on the spot on
Wed 2026-09-30 (completion limit 0 working days), and marked that day.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ORG, REGULATOR, ok

LOOKUP = "/api/v1/credit-profiles/lookup"
JUDICIAL = {"kind": "judicial", "decision_reference": "德公移字〔2026〕7号"}


async def _marked(client: httpx.AsyncClient, auth: TokenFactory) -> dict[str, Any]:
    case = await commitment(client, auth, "notify_commit")
    url = f"/api/v1/commitments/{case['id']}"
    await ok(await client.post(f"{url}/decision", json={}, headers=auth("clerk")), 200)
    marked: dict[str, Any] = await ok(
        await client.post(f"{url}/referrals", json=JUDICIAL, headers=auth("clerk"))
    )
    return marked


async def _profile(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    body = {"subject_type": ORG["subject_type"], "id_number": ORG["id_number"]}
    return await client.post(LOOKUP, json=body, headers=headers)


async def test_the_mark_shows_in_the_credit_profile_to_the_agency_only(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await _marked(client, auth)
    agency = await ok(await _profile(client, auth("clerk")), 200)
    assert [
        (m["kind"], m["decision_reference"], m["commitment_id"]) for m in agency["referrals"]
    ] == [("judicial", "德公移字〔2026〕7号", case["id"])]
    regulator = await ok(await _profile(client, auth("regulator", department=REGULATOR)), 200)
    assert regulator["referrals"] == []
    assert [c["id"] for c in regulator["commitments"]] == [None]
    anonymous = await _profile(client, {})
    assert anonymous.status_code == 401


async def test_the_marks_audit_entry_has_the_decisions_reference(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    case = await _marked(client, auth)
    entry = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "referral.record", AuditEntry.target_id == case["id"]
            )
        )
    ).one()
    assert entry.details is not None
    assert (entry.details["kind"], entry.details["decision_reference"]) == (
        "judicial",
        "德公移字〔2026〕7号",
    )
