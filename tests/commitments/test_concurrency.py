"""Two clerks at once: exactly one wins, nothing half-written (PostgreSQL, real commits)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.commitments.models import CommitmentEvent
from app.core.db import Database
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory, make_settings, migrated_database, token_factory
from tests.conftest import committing_client as committing
from tests.factories import setup_catalog


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: this test commits for real."""
    with migrated_database("postgresql", tmp_path_factory.mktemp("unused")) as url:
        yield url


@pytest.fixture
def auth(own_postgres: str) -> TokenFactory:
    """Tokens for this module's app (not tied to the per-backend fixtures)."""
    return token_factory(make_settings(own_postgres))


@pytest.fixture
async def committing_client(own_postgres: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    async with committing(own_postgres) as (client, database):
        yield client, database


@pytest.fixture(autouse=True)
async def catalog() -> None:
    """Override: the catalog goes into this module's own database below."""


async def test_twenty_concurrent_decisions_exactly_one_succeeds(
    committing_client: tuple[httpx.AsyncClient, Database], auth: TokenFactory
) -> None:
    client, database = committing_client
    await setup_catalog(client, auth)
    case = await commitment(client, auth, "notify_commit")
    url = f"/api/v1/commitments/{case['id']}/decision"

    responses = await asyncio.gather(
        *(client.post(url, json={"note": f"clerk {n}"}, headers=auth("clerk")) for n in range(20))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 409, 412}
    losers = [r.json()["code"] for r in responses if r.status_code != 200]
    assert set(losers) <= {"transition_not_allowed", "concurrent_update", "version_mismatch"}

    async with database.sessionmaker() as session:
        decisions = await session.scalar(
            select(func.count())
            .select_from(CommitmentEvent)
            .where(CommitmentEvent.event == "decide")
        )
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "commitment.decide")
        )
    assert (decisions, audited) == (1, 1)
