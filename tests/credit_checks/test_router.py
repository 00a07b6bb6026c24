"""The credit check over HTTP: each failing reason alone, a pass, identifiers, audit, history.

"Now" is 2026-09-30 10:00 in Shanghai (tests/conftest.py) unless a test moves the clock.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.restrictions.models import Restriction
from app.subjects.models import Subject
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    AGENT,
    AGENT_ID,
    FOOD,
    GREEN,
    N_ORG_ID,
    ORG,
    ORG_ID,
    PERSON,
    credit_check,
    ok,
    record_consent,
    setup_catalog,
    wrong_check,
)


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


async def _check(client: httpx.AsyncClient, auth: TokenFactory, **body: Any) -> dict[str, Any]:
    check: dict[str, Any] = await ok(await credit_check(client, auth, **body))
    return check


def _codes(check: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in check["reasons"]]


async def test_a_passing_check_lists_the_modes(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"])
    assert check["result"] == "pass"
    assert check["reasons"] == []
    assert check["eligible_modes"] == ["tolerance", "notify_commit"]
    assert check["next_step"] == "facilitation"
    assert check["profile"] == "shandong-combined"
    assert check["matter_version"] == 1
    # Checked on 2026-09-30: valid for a commitment through the next day.
    assert check["valid_until"] == "2026-10-01"
    read = await ok(
        await client.get(f"/api/v1/credit-checks/{check['id']}", headers=auth("clerk")), 200
    )
    assert read["result"] == "pass" and read["id"] == check["id"]


async def test_not_in_catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"], matter_code="NO-SUCH-MATTER")
    assert (check["result"], _codes(check)) == ("fail", ["matter_not_in_catalog"])
    assert check["next_step"] == "ordinary"
    assert check["matter_version"] is None
    assert check["reasons"][0]["citation"] == "DZ art. 5"


async def test_mode_not_offered(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"], mode="green_channel")
    assert _codes(check) == ["mode_not_offered"]
    # The modes the matter does offer are still listed for the applicant to choose.
    assert check["eligible_modes"] == ["tolerance", "notify_commit"]


async def test_excluded_high_risk_category(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    risky = {
        "code": "SPJ-RISK-001",
        "name": "危险化学品经营许可",
        "agency_department": AGENCY,
        "regulator_department": AGENCY,
        "legal_basis": "《危险化学品安全管理条例》",
        "legal_liability": "依法承担法律责任。",
        "excluded_categories": ["public_safety"],
        "modes": {},
    }
    await ok(await client.post("/api/v1/matters", json=risky, headers=auth("admin")))
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"], matter_code="SPJ-RISK-001")
    assert _codes(check) == ["matter_excluded_high_risk"]
    assert check["reasons"][0]["citation"] == "DZ art. 2 ¶2"
    assert check["eligible_modes"] == []


async def test_no_consent(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    check = await _check(client, auth)
    assert _codes(check) == ["consent_missing"]
    assert check["reasons"][0]["citation"].startswith("LZ §5(1)6")


async def test_consent_of_another_subject_is_no_consent(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth, subject=PERSON)
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["consent_missing"]


async def test_expired_consent(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    consent = await record_consent(client, auth, expires_on="2026-10-05")
    # 2026-10-05 is the last valid day; on 2026-10-06 the consent has expired.
    clock.at = datetime(2026, 10, 5, 15, 59, tzinfo=UTC)  # 23:59 on Oct 5 in Shanghai
    assert _codes(await _check(client, auth, consent_id=consent["id"])) == []
    clock.at = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)  # 00:00 on Oct 6 in Shanghai
    assert _codes(await _check(client, auth, consent_id=consent["id"])) == ["consent_expired"]


async def test_revoked_consent(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    consent = await record_consent(client, auth)
    url = f"/api/v1/consents/{consent['id']}/revocation"
    revoked = await ok(
        await client.post(url, json={"reason": "申请人撤回"}, headers=auth("clerk")), 200
    )
    assert revoked["revoked_at"] is not None
    again = await client.post(url, json={"reason": "再次"}, headers=auth("clerk"))
    assert (again.status_code, again.json()["code"]) == (409, "consent_already_revoked")
    assert _codes(await _check(client, auth, consent_id=consent["id"])) == ["consent_revoked"]


async def test_consent_for_another_purpose(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    consent = await record_consent(client, auth, purpose="rating_consultation")
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["consent_purpose_mismatch"]


async def test_consent_scope_must_cover_the_lists_read(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth, scope=["credit_record"])
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["consent_scope_insufficient"]


async def test_joint_punishment_hit(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on\n"
        f"organization,{ORG_ID},某某公司,失信被执行人名单,最高人民法院,2026-01-05,\n"
    )
    response = await client.post(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**auth("admin"), "Content-Type": "text/csv"},
    )
    assert (await ok(response))["accepted"] == 1
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["joint_punishment_listed"]
    assert check["eligible_modes"] == []


async def _publish_listing(session: AsyncSession, id_number: str, published_on: date) -> None:
    subject = (
        await session.scalars(select(Subject).where(Subject.identifier_any_type(id_number)))
    ).one()
    session.add(
        Restriction(
            subject_id=subject.id,
            status="effective",
            situation="false_materials",
            source_channel="investigation",
            facts="提供虚假材料申请食品经营许可",
            legal_basis="LZ §5(1)2",
            legal_documents=[],
            collecting_department=AGENCY,
            profile="shandong-combined",  # the agency's, as the test deployment chooses
            published_on=published_on,
            created_by="test",
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )
    )
    await session.commit()


async def test_subject_with_an_effective_listing_fails(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    await _publish_listing(session, ORG_ID, date(2026, 9, 1))
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["restriction_effective"]
    assert check["eligible_modes"] == []


async def test_agent_with_an_effective_listing_fails(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    # The agent becomes known to the service through a first check.
    first = await _check(client, auth, consent_id=consent["id"], agent=AGENT)
    assert first["result"] == "pass"
    await _publish_listing(session, AGENT_ID, date(2026, 9, 1))
    check = await _check(client, auth, consent_id=consent["id"], agent=AGENT)
    assert _codes(check) == ["agent_restriction_effective"]
    assert check["agent"]["id_number"] == AGENT_ID


async def test_a_listing_published_tomorrow_does_not_count_today(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    await _publish_listing(session, ORG_ID, date(2026, 10, 1))
    assert (await _check(client, auth, consent_id=consent["id"]))["result"] == "pass"


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        ({**ORG, "id_number": wrong_check(ORG_ID)}, "invalid_uscc"),
        ({**ORG, "id_number": ORG_ID.replace("M", "O")}, "invalid_uscc"),  # O is not used
        ({**PERSON, "id_number": wrong_check(PERSON["id_number"])}, "invalid_resident_id"),
        ({**PERSON, "id_number": "371402" + "20991231" + "1234"}, "invalid_resident_id"),
    ],
)
async def test_bad_identifiers_are_422_naming_the_field(
    client: httpx.AsyncClient, auth: TokenFactory, subject: dict[str, str], code: str
) -> None:
    response = await credit_check(client, auth, subject=subject)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["errors"][0]["field"] == "body.subject.id_number"


async def test_identifiers_are_stored_normalised_and_letter_codes_accepted(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    spaced = " ".join([N_ORG_ID[:6], N_ORG_ID[6:12].lower(), N_ORG_ID[12:]])
    subject = {"subject_type": "organization", "id_number": spaced, "name": "某某农民专业合作社"}
    check = await _check(client, auth, subject=subject)
    assert check["subject"]["id_number"] == N_ORG_ID


async def test_every_check_is_audited_with_purpose_and_consent(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"])
    failed = await _check(client, auth)
    for made, consent_id in ((check, consent["id"]), (failed, None)):
        entry = (
            await session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "credit_check.create", AuditEntry.target_id == made["id"]
                )
            )
        ).one()
        assert entry.purpose == "credit_facilitation"
        assert entry.details is not None
        assert entry.details["consent_id"] == consent_id
        assert entry.details["result"] == made["result"]
        assert entry.actor == "alice" and entry.department == AGENCY


async def test_a_check_keeps_the_matter_version_it_used(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    consent = await record_consent(client, auth)
    before = await _check(client, auth, consent_id=consent["id"])
    patch = await client.patch(
        f"/api/v1/matters/{FOOD}",
        json={"name": "食品经营许可（新办、延续）"},
        headers={**auth("admin"), "If-Match": '"1"'},
    )
    assert (await ok(patch, 200))["version"] == 2
    after = await _check(client, auth, consent_id=consent["id"])
    assert (before["matter_version"], after["matter_version"]) == (1, 2)
    reread = await ok(
        await client.get(f"/api/v1/credit-checks/{before['id']}", headers=auth("clerk")), 200
    )
    assert reread["matter_version"] == 1


async def test_a_check_is_read_by_its_department_only(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    check = await _check(client, auth)
    url = f"/api/v1/credit-checks/{check['id']}"
    other = await client.get(url, headers=auth("clerk", department="370305-XZSP"))
    assert (other.status_code, other.json()["code"]) == (403, "department_forbidden")
    assert (await client.get(url, headers=auth("auditor", department=None))).status_code == 200
    missing = await client.get(f"/api/v1/credit-checks/{uuid.uuid4()}", headers=auth("clerk"))
    assert missing.status_code == 404


async def test_green_channel_matter(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    consent = await record_consent(client, auth)
    check = await _check(
        client, auth, consent_id=consent["id"], matter_code=GREEN, mode="green_channel"
    )
    assert (check["result"], check["eligible_modes"]) == ("pass", ["green_channel"])


async def test_an_unknown_consent_id_is_404(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    response = await credit_check(client, auth, consent_id=str(uuid.uuid4()))
    assert (response.status_code, response.json()["code"]) == (404, "consent_not_found")


async def test_the_agent_cannot_be_the_applicant(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await credit_check(client, auth, agent=ORG)
    assert (response.status_code, response.json()["code"]) == (422, "agent_is_subject")
