"""A commitment's outcome writes other domains' rows through their services only.

The restriction a breach proposes is a listing step of the restrictions service (first
history row, audit entry and outbox event together, as a collected listing); the credit
record entry is appended by the credit records service. Dates as in test_lifecycles:
"now" starts at 10:00 on Wed 2026-09-30 in Shanghai; a tolerance case reminded on
Oct 21 may be terminated from Tue Oct 27 (the reminder's 3 working days have passed).
"""

from __future__ import annotations

import ast
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.core.context import Context
from app.credit_records.models import CreditRecordEntry
from tests.commitments.conftest import commitment
from tests.commitments.test_lifecycles import at, post
from tests.conftest import TokenFactory
from tests.factories import AGENCY, ok

APP = Path(__file__).resolve().parents[2] / "app"


async def terminated(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    """A tolerance case reminded on Oct 21 and terminated on Oct 27: its id."""
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)
    await post(client, auth, f"{url}/reminders", {})
    at("2026-10-27", clock)
    ended = await post(client, auth, f"{url}/termination", {"reason": "催告后仍未提交"})
    assert ended["status"] == "terminated"
    case_id: str = case["id"]
    return case_id


async def feed(client: httpx.AsyncClient, auth: TokenFactory) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = await ok(
            await client.get(
                "/api/v1/events", params={"after": after, "limit": 500}, headers=auth("platform")
            ),
            200,
        )
        events.extend(page["items"])
        if not page["items"]:
            return events
        after = page["items"][-1]["position"]


async def test_a_breach_proposal_has_its_first_history_row_audit_entry_and_event(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case_id = await terminated(client, auth, clock)
    listed = await ok(
        await client.get(
            "/api/v1/restrictions", params={"status": "proposed"}, headers=auth("clerk")
        ),
        200,
    )
    (summary,) = listed["items"]
    proposal = await ok(
        await client.get(f"/api/v1/restrictions/{summary['id']}", headers=auth("clerk")), 200
    )
    assert (proposal["status"], proposal["commitment_id"]) == ("proposed", case_id)
    (first,) = proposal["history"]
    assert (first["event"], first["from_status"], first["to_status"]) == (
        "propose",
        "proposed",
        "proposed",
    )
    assert first["department"] == AGENCY
    assert first["occurred_at"].startswith("2026-10-27T02:00:00")
    assert first["details"] == {
        "situation": "tolerance_unfulfilled",
        "source_channel": "investigation",
        "commitment_id": case_id,
    }

    (event,) = [e for e in await feed(client, auth) if e["aggregate_id"] == proposal["id"]]
    assert event["type"] == "restriction.propose"
    assert event["aggregate_type"] == "restriction"
    assert event["data"]["from"] == event["data"]["to"] == "proposed"
    assert event["data"]["collecting_department"] == AGENCY
    assert event["data"]["details"]["commitment_id"] == case_id

    audits = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.target_type == "restriction", AuditEntry.target_id == proposal["id"]
            )
        )
    ).all()
    changes = [a for a in audits if a.action != "restriction.read"]  # the GET above
    assert [(a.action, a.actor, a.details) for a in changes] == [
        (
            "restriction.propose",
            first["actor"],
            {
                "from": "proposed",
                "to": "proposed",
                "situation": "tolerance_unfulfilled",
                "source_channel": "investigation",
                "commitment_id": case_id,
            },
        )
    ]


async def test_the_outcome_is_appended_by_the_credit_records_service(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.credit_records import service as credit_records

    appended: list[credit_records.CommitmentOutcome] = []
    original = credit_records.append_commitment_outcome

    async def spy(
        session: AsyncSession, ctx: Context, outcome: credit_records.CommitmentOutcome
    ) -> CreditRecordEntry:
        appended.append(outcome)
        return await original(session, ctx, outcome)

    monkeypatch.setattr(credit_records, "append_commitment_outcome", spy)
    case_id = await terminated(client, auth, clock)
    assert [(o.commitment_id, o.outcome, o.status) for o in appended] == [
        (uuid.UUID(case_id), "terminated", "terminated")
    ]
    rows = await session.scalars(
        select(CreditRecordEntry.outcome).where(
            CreditRecordEntry.commitment_id == uuid.UUID(case_id)
        )
    )
    assert list(rows) == ["terminated"]


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, and every ``module.name`` it imports from one."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


# The modules that write a domain's rows through its engine: its services.
SERVICES = ("service", "steps", "signing", "verifications", "notices", "lifting", "corrections")


def test_commitments_write_no_restriction_or_credit_record_row_themselves() -> None:
    imported = set().union(*(_imports(path) for path in (APP / "commitments").glob("*.py")))
    foreign = {
        name
        for name in imported
        if name.startswith(("app.restrictions.", "app.credit_records."))
        and not name.startswith(("app.restrictions.steps", "app.credit_records.service"))
    }
    assert foreign == set()


def test_nothing_in_restrictions_or_credit_records_imports_the_commitments_service() -> None:
    offenders = [
        str(path.relative_to(APP))
        for package in ("restrictions", "credit_records")
        for path in sorted((APP / package).glob("*.py"))
        if any(
            name.startswith(tuple(f"app.commitments.{module}" for module in SERVICES))
            for name in _imports(path)
        )
    ]
    assert offenders == []
