"""Migration 0021: stored listing events before the listing's confirmation become internal
to the collecting department, their undelivered deliveries withheld; the downgrade
restores the 0015 shape (LZ §5(1)4)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from app.ops.migrate import downgrade, upgrade
from app.privacy import crypto
from tests.conftest import make_settings
from tests.events.test_migration import EVENTS, SUBSCRIPTIONS, _subscription
from tests.privacy.test_migration import _insert, _sql

A, B, C = (str(uuid.uuid4()) for _ in range(3))
DEPARTMENT = "370305-XZSP"
DELIVERIES = sa.table(
    "webhook_deliveries",
    sa.column("id", sa.Uuid()),
    sa.column("subscription_id", sa.Uuid()),
    sa.column("event_id", sa.BigInteger()),
    sa.column("status", sa.String()),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
# (listing, step, from, to, audience after the migration), in the order they happened.
STEPS = [
    (A, "collect", "collected", "collected", "internal"),
    (A, "verify", "collected", "verified", "internal"),
    (A, "issue_notice", "verified", "notified", "internal"),
    (A, "objection_window_lapsed", "notified", "confirmed", "external"),
    (A, "publish", "confirmed", "effective", "external"),
    (A, "repair", "effective", "repaired", "external"),
    # removed before its confirmation: nothing left, the removal neither
    (B, "collect", "collected", "collected", "internal"),
    (B, "correct_remove", "collected", "withdrawn", "internal"),
    # confirmed, then the window reopened and the objection overturned: all follow
    (C, "record_receipt", "notified", "notified", "internal"),
    (C, "objection_window_lapsed", "notified", "confirmed", "external"),
    (C, "objection_window_reopened", "confirmed", "notified", "external"),
    (C, "object", "notified", "under_review", "external"),
    (C, "review_overturned", "under_review", "withdrawn", "external"),
]


def _rows(now: datetime) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for position, (listing, step, source, target, _) in enumerate(STEPS, start=1):
        payload = {"collecting_department": DEPARTMENT, "from": source, "to": target}
        rows.append(
            {
                "event_id": uuid.uuid4(),
                "type": f"restriction.{step}",
                "aggregate_type": "restriction",
                "aggregate_id": listing,
                "occurred_at": now,
                "payload": payload,
                "position": position,
            }
        )
    rows.append(
        {
            "event_id": uuid.uuid4(),
            "type": "commitment.accept",
            "aggregate_type": "commitment",
            "aggregate_id": str(uuid.uuid4()),
            "occurred_at": now,
            "payload": {"from": None, "to": "accepted"},
            "position": len(STEPS) + 1,
        }
    )
    return rows


def _statuses(url: str) -> dict[int, str]:
    rows = asyncio.run(_sql(url, "SELECT event_id, status FROM webhook_deliveries"))
    return {int(str(event_id)): str(status) for event_id, status in rows}


def test_listing_events_before_confirmation_become_internal(empty_database: str) -> None:
    url = empty_database
    crypto.configure(make_settings(url).keyring())
    upgrade(url, "0015")
    now = datetime.now(UTC)
    asyncio.run(_insert(url, EVENTS, _rows(now)))
    subscription = _subscription("https://receiver.example/hook", system=False, now=now)
    asyncio.run(_insert(url, SUBSCRIPTIONS, [subscription]))
    ids = {
        (str(aggregate), str(type_)): int(str(id_))
        for id_, aggregate, type_ in asyncio.run(
            _sql(url, "SELECT id, aggregate_id, type FROM events")
        )
    }

    def delivery(listing: str, step: str, status: str) -> dict[str, object]:
        return {
            "id": uuid.uuid4(),
            "subscription_id": subscription["id"],
            "event_id": ids[(listing, f"restriction.{step}")],
            "status": status,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }

    asyncio.run(
        _insert(
            url,
            DELIVERIES,
            [
                delivery(A, "collect", "dead"),  # re-queueable: withheld
                delivery(A, "verify", "delivered"),  # it left, before this change: kept
                delivery(B, "correct_remove", "pending"),  # not yet sent: withheld
                delivery(A, "publish", "pending"),  # determined: still to be sent
            ],
        )
    )

    upgrade(url)
    marked = {
        (str(aggregate), str(type_)): (str(audience), department)
        for aggregate, type_, audience, department in asyncio.run(
            _sql(url, "SELECT aggregate_id, type, audience, department FROM events")
        )
    }
    for listing, step, _, _, audience in STEPS:
        assert marked[(listing, f"restriction.{step}")] == (audience, DEPARTMENT), step
    (commitment,) = [value for key, value in marked.items() if key[1] == "commitment.accept"]
    assert commitment == ("external", None)
    assert _statuses(url) == {
        ids[(A, "restriction.collect")]: "withheld",
        ids[(A, "restriction.verify")]: "delivered",
        ids[(B, "restriction.correct_remove")]: "withheld",
        ids[(A, "restriction.publish")]: "pending",
    }

    downgrade(url, "0015")
    columns = asyncio.run(_sql(url, "SELECT * FROM events"))
    assert len(columns[0]) == 8  # audience and department are gone
    statuses = _statuses(url)
    assert statuses[ids[(A, "restriction.collect")]] == "dead"
    assert statuses[ids[(B, "restriction.correct_remove")]] == "dead"
