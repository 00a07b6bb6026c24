"""Migration 0028 numbers the commitments made before the register, in the order they were
signed, the same way on every run and on either database; signing afterwards continues
the serial (real commits, on a database of this module's own)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.commitments.register_models import CreditCommitment
from app.ops.migrate import downgrade, upgrade
from tests.commitments.conftest import commitment
from tests.commitments.test_register import _person_commitment
from tests.conftest import TokenFactory, make_settings, migrated_database, token_factory
from tests.conftest import committing_client as committing
from tests.factories import setup_catalog


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with migrated_database(request.param, tmp_path_factory.mktemp("backfill")) as url:
        yield url


@pytest.fixture
def auth(own_database: str) -> TokenFactory:
    return token_factory(make_settings(own_database))


@pytest.fixture(autouse=True)
async def catalog() -> None:
    """Override: the catalog goes into this module's own database below."""


async def _register(url: str) -> dict[str, tuple[str, str]]:
    async with committing(url) as (_, database), database.sessionmaker() as session:
        rows = (await session.scalars(select(CreditCommitment))).all()
    return {str(r.commitment_id): (r.number, r.disclosure) for r in rows}


async def _renumber(url: str) -> None:
    await asyncio.to_thread(downgrade, url, "0024")
    await asyncio.to_thread(upgrade, url, "head")


async def test_existing_commitments_are_numbered_in_signing_order(
    own_database: str, auth: TokenFactory
) -> None:
    async with committing(own_database) as (client, _):
        await setup_catalog(client, auth)
        late = await commitment(client, auth, "tolerance")  # 10:00
        early = await commitment(
            client, auth, "notify_commit", signed_at="2026-09-30T09:00:00+08:00"
        )
        person = await _person_commitment(
            client, auth, disclosure="public", signed_at="2026-09-30T09:30:00+08:00"
        )
    assert [c["record"]["number"][-6:] for c in (late, early, person)] == [
        "000001",
        "000002",
        "000003",
    ]

    await _renumber(own_database)
    numbered = await _register(own_database)
    assert numbered == {
        early["id"]: ("371400-20260930-000001", "public"),
        # the class chosen at signing is not kept by a downgrade: the default again
        person["id"]: ("371400-20260930-000002", "restricted"),
        late["id"]: ("371400-20260930-000003", "public"),
    }
    await _renumber(own_database)
    assert await _register(own_database) == numbered

    async with committing(own_database) as (client, _):
        after = await commitment(client, auth, "tolerance")
        read = await client.get(f"/api/v1/commitments/{late['id']}", headers=auth("clerk"))
    assert after["record"]["number"] == "371400-20260930-000004"
    assert read.json()["record"]["number"] == "371400-20260930-000003"
