"""A consent states its scope and may be limited to one matter or one application (LZ §5(1)6
"明示收集使用信息的目的、方式和范围"); the check reads only what the consent covers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentRead
from app.credit_checks.schemas import CreditCheckRead
from app.joint_punishment.schemas import JointPunishmentRulesRead
from app.restrictions.models import Restriction
from app.subjects.models import Subject
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    FOOD,
    GREEN,
    ORG_ID,
    consent_body,
    credit_check,
    ok,
    record_consent,
    setup_catalog,
)


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


async def _codes(client: httpx.AsyncClient, auth: TokenFactory, **body: Any) -> list[str]:
    check = await ok(await credit_check(client, auth, **body))
    return [reason["code"] for reason in check["reasons"]]


@pytest.mark.parametrize("scope", [None, []], ids=["left out", "empty"])
async def test_a_consent_without_a_scope_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, scope: list[str] | None
) -> None:
    body = consent_body()
    if scope is None:
        del body["scope"]
    else:
        body["scope"] = scope
    response = await client.post("/api/v1/consents", json=body, headers=auth("clerk"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.scope"


async def _old_consent_without_scope(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> str:
    """A consent row recorded before the scope was checked, stating none."""
    await record_consent(client, auth)  # makes the subject known
    subject = (
        await session.scalars(select(Subject).where(Subject.identifier_any_type(ORG_ID)))
    ).one()
    consent = Consent(
        subject_id=subject.id,
        purpose="credit_facilitation",
        scope=[],
        method="written_signature",
        granted_at=datetime(2026, 9, 1, 2, 0, tzinfo=UTC),
        expires_on=date(2026, 12, 31),
        evidence_ref="SQ-2026-000001",
        recorded_by="alice",
        department=AGENCY,
        given_to=[AGENCY],
        created_at=datetime(2026, 9, 1, 2, 0, tzinfo=UTC),
    )
    session.add(consent)
    # A listing of the same subject: under a scopeless consent the check may not read it.
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
            profile="shandong-combined",  # the tests run the combined profile (conftest)
            published_on=date(2026, 9, 1),
            created_by="test",
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )
    )
    await session.commit()
    return str(consent.id)


async def test_an_old_consent_without_a_scope_fails_the_check_with_its_reason(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    consent_id = await _old_consent_without_scope(client, auth, session)
    check = await ok(await credit_check(client, auth, consent_id=consent_id))
    assert (check["result"], check["next_step"]) == ("fail", "ordinary")
    # Its own reason, and nothing read under it: the listing is not among the reasons.
    assert [r["code"] for r in check["reasons"]] == ["consent_scope_missing"]
    assert check["reasons"][0]["citation"] == "LZ §5(1)6"
    read = await ok(await client.get(f"/api/v1/consents/{consent_id}", headers=auth("clerk")), 200)
    assert read["scope"] == []
    # Under a consent that states its scope, the same check reads the listing.
    stated = await record_consent(client, auth)
    assert await _codes(client, auth, consent_id=stated["id"]) == ["restriction_effective"]


async def test_a_consent_limited_to_a_matter_passes_for_it_and_not_for_another(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth, matter_code=FOOD)
    assert consent["matter_code"] == FOOD
    assert await _codes(client, auth, consent_id=consent["id"]) == []
    other = await ok(
        await credit_check(
            client, auth, consent_id=consent["id"], matter_code=GREEN, mode="green_channel"
        )
    )
    assert (other["result"], [r["code"] for r in other["reasons"]]) == (
        "fail",
        ["consent_matter_mismatch"],
    )


async def test_a_consent_limited_to_an_application_covers_that_application_only(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    consent = await record_consent(client, auth, matter_code=FOOD, application_ref="SQ-2026-000123")
    assert consent["application_ref"] == "SQ-2026-000123"
    check = await ok(
        await credit_check(client, auth, consent_id=consent["id"], application_ref="SQ-2026-000123")
    )
    assert (check["result"], check["application_ref"]) == ("pass", "SQ-2026-000123")
    for named in ({"application_ref": "SQ-2026-000124"}, {}):
        codes = await _codes(client, auth, consent_id=consent["id"], **named)
        assert codes == ["consent_application_mismatch"]


async def test_a_consent_limited_to_an_unknown_matter_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.post(
        "/api/v1/consents", json=consent_body(matter_code="SPJ-NONE-001"), headers=auth("clerk")
    )
    assert (response.status_code, response.json()["code"]) == (422, "matter_unknown")
    assert response.json()["errors"][0]["field"] == "body.matter_code"


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (ConsentCreate, "ConsentCreate"),
        (ConsentRead, "ConsentRead"),
        (CreditCheckRead, "CreditCheckRead"),
        (JointPunishmentRulesRead, "JointPunishmentRulesRead"),
    ],
)
def test_the_documented_examples_validate(model: type[Any], name: str) -> None:
    examples = model.model_json_schema()["examples"]
    assert examples, name
    for example in examples:
        model.model_validate(example)
