"""Consent (授权, LZ §5(1)6): bounded in time, stated purpose and scope, revocable."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    FOOD,
    LINZI,
    ORG,
    ORG_ID,
    REGULATOR,
    ok,
    record_consent,
    setup_catalog,
)


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


# --- a consent belongs to the department(s) it was given to -------------------------------


def _check_body(consent_id: str) -> dict[str, object]:
    return {
        "subject": ORG,
        "matter_code": FOOD,
        "mode": "tolerance",
        "purpose": "credit_facilitation",
        "consent_id": consent_id,
    }


async def _reasons(
    client: httpx.AsyncClient, headers: dict[str, str], consent_id: str
) -> list[str]:
    check = await ok(
        await client.post("/api/v1/credit-checks", json=_check_body(consent_id), headers=headers)
    )
    return [reason["code"] for reason in check["reasons"]]


async def test_a_consent_is_given_to_the_recording_department_by_default(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth)
    assert (consent["department"], consent["given_to"]) == (AGENCY, [AGENCY])


async def test_another_department_cannot_read_revoke_or_use_a_consent(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth)
    url = f"/api/v1/consents/{consent['id']}"
    for role in ("clerk", "platform"):
        other = auth(role, department=LINZI)
        read = await client.get(url, headers=other)
        assert (read.status_code, read.json()["code"]) == (403, "department_forbidden")
        assert ORG_ID not in read.text
        revoked = await client.post(f"{url}/revocation", json={"reason": "x"}, headers=other)
        assert (revoked.status_code, revoked.json()["code"]) == (403, "department_forbidden")
        # Used by another department, it is no consent at all (as another subject's).
        assert await _reasons(client, other, consent["id"]) == ["consent_missing"]
    # ...and it still works for the department it was given to.
    still = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert (still["revoked_at"], still["version"]) == (None, consent["version"])
    assert await _reasons(client, auth("clerk"), consent["id"]) == []


async def test_the_platform_acting_for_the_department_may_read_revoke_and_use_it(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth)
    url = f"/api/v1/consents/{consent['id']}"
    platform = auth("platform", department=AGENCY, sub="zwfw-platform")
    assert (await ok(await client.get(url, headers=platform), 200))["id"] == consent["id"]
    assert await _reasons(client, platform, consent["id"]) == []
    revoked = await ok(
        await client.post(f"{url}/revocation", json={"reason": "申请人撤回"}, headers=platform),
        200,
    )
    assert revoked["revoked_at"] is not None
    assert await _reasons(client, auth("clerk"), consent["id"]) == ["consent_revoked"]


async def test_an_auditor_reads_any_departments_consent(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth)
    read = await client.get(
        f"/api/v1/consents/{consent['id']}", headers=auth("auditor", department=None)
    )
    assert read.status_code == 200, read.text


async def test_a_consent_given_to_named_departments_is_theirs_only(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    # A platform acting for Linzi records the consent the applicant gave to Linzi's agency.
    platform = auth("platform", department=REGULATOR, sub="zwfw-platform")
    consent = await ok(
        await client.post("/api/v1/consents", json=_body(given_to=[LINZI]), headers=platform)
    )
    assert (consent["department"], consent["given_to"]) == (REGULATOR, [LINZI])
    url = f"/api/v1/consents/{consent['id']}"
    assert (await client.get(url, headers=auth("clerk", department=LINZI))).status_code == 200
    assert (await client.get(url, headers=platform)).status_code == 403
    assert (await client.get(url, headers=auth("clerk"))).status_code == 403
    assert await _reasons(client, auth("clerk", department=LINZI), consent["id"]) == []
    assert await _reasons(client, auth("clerk"), consent["id"]) == ["consent_missing"]
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.target_id == consent["id"]))
    ).one()
    assert entry.details is not None and entry.details["given_to"] == [LINZI]


@pytest.mark.parametrize(
    ("given_to", "code"),
    [
        (["371400-NONE"], "department_unknown"),
        ([], "too_short"),
        (["not a code"], "string_pattern_mismatch"),
    ],
)
async def test_a_consent_is_given_to_registered_departments(
    client: httpx.AsyncClient, auth: TokenFactory, given_to: list[str], code: str
) -> None:
    response = await client.post(
        "/api/v1/consents", json=_body(given_to=given_to), headers=auth("clerk")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["field"].startswith("body.given_to")
