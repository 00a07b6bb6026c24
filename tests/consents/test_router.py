"""Consent (授权, LZ §5(1)6): bounded in time, stated purpose and scope, revocable."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.conftest import TokenFactory
from tests.factories import ORG, ORG_ID, ok, record_consent, setup_catalog


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "subject": ORG,
        "purpose": "credit_facilitation",
        "scope": ["restriction_list", "joint_punishment"],
        "method": "written_signature",
        "expires_on": "2026-12-31",
        "evidence_ref": "SQ-1",
    }
    body.update(overrides)
    return body


async def test_a_consent_is_recorded_and_audited(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    assert consent["subject"]["id_number"] == ORG_ID
    assert consent["granted_at"] == "2026-09-30T02:00:00Z"
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.target_id == consent["id"]))
    ).one()
    assert (entry.action, entry.purpose) == ("consent.record", "credit_facilitation")
    read = await ok(
        await client.get(f"/api/v1/consents/{consent['id']}", headers=auth("clerk")), 200
    )
    assert read["evidence_ref"] == "SQ-2026-000123"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        # Granted 2026-09-30; 365 days later is 2027-09-30, the last day allowed.
        ({"expires_on": "2027-10-01"}, "consent_validity_too_long"),
        ({"expires_on": "2026-09-29"}, "consent_expiry_invalid"),
        ({"granted_at": "2026-09-30T11:00:00+08:00"}, "consent_granted_in_future"),
    ],
)
async def test_a_consent_is_bounded_in_time(
    client: httpx.AsyncClient, auth: TokenFactory, overrides: dict[str, object], code: str
) -> None:
    response = await client.post("/api/v1/consents", json=_body(**overrides), headers=auth("clerk"))
    assert (response.status_code, response.json()["code"]) == (422, code)


async def test_the_longest_allowed_consent_is_accepted(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth, expires_on="2027-09-30")
    assert consent["expires_on"] == "2027-09-30"


async def test_a_consent_is_never_open_ended(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    body = _body()
    body.pop("expires_on")
    response = await client.post("/api/v1/consents", json=body, headers=auth("clerk"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.expires_on"


async def test_only_clerks_and_platforms_record(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.post("/api/v1/consents", json=_body(), headers=auth("regulator"))
    assert response.status_code == 403
    platform = await client.post(
        "/api/v1/consents", json=_body(), headers=auth("platform", sub="zwfw-platform")
    )
    assert platform.status_code == 201
