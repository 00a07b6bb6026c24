"""Body size caps and bad input: refused with a problem, and nothing written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.consents.models import Consent
from app.core.clock import FixedClock
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.main import create_app
from tests.conftest import Harness, TokenFactory, make_settings
from tests.factories import ORG
from tests.joint_punishment.support import CSV, IMPORTS, csv_body, in_chunks, valid_uscc
from tests.test_app import assert_problem

CONSENTS = "/api/v1/consents"
TEN_MB = 10 * 1024 * 1024


def consent_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "subject": ORG,
        "purpose": "credit_facilitation",
        "scope": ["restriction_list", "joint_punishment"],
        "method": "written_signature",
        "expires_on": "2027-06-30",
        "evidence_ref": "SQ-1",
    }
    body.update(overrides)
    return body


async def _counts(session: AsyncSession) -> tuple[int | None, ...]:
    return tuple(
        [
            await session.scalar(select(func.count()).select_from(table))
            for table in (AuditEntry, Consent, JointPunishmentImport, JointPunishmentEntry)
        ]
    )


@pytest.fixture
async def small_client(app_harness: Harness, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """Caps small enough to test without megabytes: 2 KiB for JSON, 8 KiB for imports."""
    settings = make_settings(
        app_harness.settings.database_url, max_body_bytes=2048, max_import_bytes=8192
    )
    app = create_app(settings, database=app_harness.database, clock=clock)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_a_valid_consent_is_written(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    """The baseline for the refusals below: the same route does write."""
    before = await _counts(session)
    response = await client.post(CONSENTS, json=consent_body(), headers=auth("clerk"))
    assert response.status_code == 201, response.text
    after = await _counts(session)
    assert (after[0], after[1]) == (before[0] + 1, before[1] + 1)  # type: ignore[operator]


async def test_a_ten_megabyte_body_is_refused_with_nothing_written(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    before = await _counts(session)
    padding = "x" * TEN_MB
    body = json.dumps(consent_body(evidence_ref=padding)).encode()
    response = await client.post(
        CONSENTS,
        content=body,
        headers={**auth("clerk"), "Content-Type": "application/json"},
    )
    body_problem = assert_problem(response, 413, "payload_too_large")
    assert "1048576 bytes" in str(body_problem["detail"])
    assert await _counts(session) == before


async def test_a_chunked_body_is_counted_as_it_streams(
    small_client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    """No Content-Length: the bytes are counted and the read stops at the cap."""
    before = await _counts(session)
    body = json.dumps(consent_body(evidence_ref="y" * 4096)).encode()
    sent: list[int] = []

    async def stream() -> AsyncIterator[bytes]:
        async for chunk in in_chunks(body, 512):
            sent.append(len(chunk))
            yield chunk

    response = await small_client.post(
        CONSENTS, content=stream(), headers={**auth("clerk"), "Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "payload_too_large")
    assert sum(sent) <= 2048 + 512 < len(body), "the read stopped at the first chunk over"
    assert await _counts(session) == before


async def test_the_import_route_has_its_own_larger_cap(
    small_client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    row = [
        "organization",
        valid_uscc(1),
        "某公司",
        "失信被执行人",
        "最高人民法院",
        "2026-01-01",
        "",
    ]
    fits = csv_body([row] * 50)  # about 4 KiB: over the JSON cap, under the import cap
    assert 2048 < len(fits) < 8192
    response = await small_client.post(IMPORTS, content=fits, headers={**auth("admin"), **CSV})
    assert response.status_code == 201, response.text

    before = await _counts(session)
    too_big = csv_body([row] * 200)
    response = await small_client.post(
        IMPORTS, content=in_chunks(too_big, 1024), headers={**auth("admin"), **CSV}
    )
    assert_problem(response, 413, "payload_too_large")
    response = await small_client.post(IMPORTS, content=too_big, headers={**auth("admin"), **CSV})
    assert_problem(response, 413, "payload_too_large")
    assert await _counts(session) == before


@pytest.mark.parametrize(
    "content",
    [
        b'{"subject": {"subject_type": "organization",',  # cut off
        b"{'purpose': 'credit_facilitation'}",  # not JSON
        b"\xff\xfe not utf-8",
        b"",
    ],
)
async def test_malformed_json_is_a_422_with_nothing_written(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, content: bytes
) -> None:
    before = await _counts(session)
    response = await client.post(
        CONSENTS, content=content, headers={**auth("clerk"), "Content-Type": "application/json"}
    )
    assert_problem(response, 422, "validation_failed")
    assert await _counts(session) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expires_on": 20270630}, "body.expires_on"),
        ({"scope": "restriction_list"}, "body.scope"),
        ({"subject": ["organization"]}, "body.subject"),
        ({"purpose": {"nested": True}}, "body.purpose"),
        ({"unexpected": 1}, "body.unexpected"),
    ],
)
async def test_wrong_types_are_a_422_naming_the_field_with_nothing_written(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    overrides: dict[str, object],
    field: str,
) -> None:
    before = await _counts(session)
    response = await client.post(CONSENTS, json=consent_body(**overrides), headers=auth("clerk"))
    problem = assert_problem(response, 422, "validation_failed")
    fields = {error["field"] for error in problem["errors"]}  # type: ignore[attr-defined]
    assert field in fields, fields
    assert await _counts(session) == before


async def test_a_json_array_instead_of_an_object_is_a_422(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    before = await _counts(session)
    response = await client.post(CONSENTS, json=[consent_body()], headers=auth("clerk"))
    assert_problem(response, 422, "validation_failed")
    assert await _counts(session) == before
