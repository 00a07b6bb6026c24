"""Migration 0015: the platform's subscription is granted personal data, the others are
not; no event keeps a subject's identity in clear; the downgrade restores the 0014 shape."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from app.ops.migrate import downgrade, upgrade
from app.privacy import crypto
from tests.conftest import (
    make_settings,
)
from tests.factories import resident_id
from tests.privacy.test_migration import _insert, _sql

CITIZEN = resident_id("37140219850612123")
OLD_CITIZEN = resident_id("37010219700101001")
NAME = "欧阳修文"
OLD_NAME = "李四光"
MASKED_CITIZEN = "3714" + "*" * 10 + CITIZEN[-4:]
MASKED_OLD_CITIZEN = "3701" + "*" * 10 + OLD_CITIZEN[-4:]


SUBJECTS = sa.table(
    "subjects",
    *(
        sa.column(c)
        for c in (
            "subject_type",
            "id_number_secret",
            "id_number_index",
            "name_secret",
            "name_index",
            "key_id",
        )
    ),
    sa.column("id", sa.Uuid()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
EVENTS = sa.table(
    "events",
    *(sa.column(c) for c in ("type", "aggregate_type", "aggregate_id")),
    sa.column("event_id", sa.Uuid()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("payload", sa.JSON()),
    sa.column("position", sa.BigInteger()),
)
SUBSCRIPTIONS = sa.table(
    "webhook_subscriptions",
    *(sa.column(c) for c in ("name", "url", "secret", "created_by")),
    sa.column("id", sa.Uuid()),
    sa.column("event_types", sa.JSON()),
    sa.column("active", sa.Boolean()),
    sa.column("system", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _person(id_number: str, name: str, now: datetime) -> dict[str, object]:
    ring = crypto.keyring()
    return {
        "id": uuid.uuid4(),
        "subject_type": "person",
        "id_number_secret": ring.encrypt(id_number),
        "id_number_index": ring.blind_index("id:person", id_number),
        "name_secret": ring.encrypt(name),
        "name_index": ring.blind_index("name", name),
        "key_id": ring.active_id,
        "created_at": now,
        "updated_at": now,
    }


def _event(
    position: int, type_: str, payload: dict[str, object], now: datetime
) -> dict[str, object]:
    return {
        "event_id": uuid.uuid4(),
        "type": type_,
        "aggregate_type": type_.partition(".")[0],
        "aggregate_id": str(uuid.uuid4()),
        "occurred_at": now,
        "payload": payload,
        "position": position,
    }


def _subscription(url: str, *, system: bool, now: datetime) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "name": "平台",
        "url": url,
        "secret": "receiver-shared-secret-0123456789",
        "created_by": "admin",
        "event_types": ["*"],
        "active": True,
        "system": system,
        "created_at": now,
    }


def _payloads(url: str) -> dict[str, dict[str, object]]:
    rows = asyncio.run(_sql(url, "SELECT type, payload FROM events ORDER BY position"))
    return {
        str(type_): payload if isinstance(payload, dict) else json.loads(str(payload))
        for type_, payload in rows
    }


def test_events_are_masked_and_the_platform_is_granted(empty_database: str) -> None:
    url = empty_database
    crypto.configure(make_settings(url).keyring())
    upgrade(url, "0014")
    now = datetime.now(UTC)
    person, old_person = _person(CITIZEN, NAME, now), _person(OLD_CITIZEN, OLD_NAME, now)
    asyncio.run(_insert(url, SUBJECTS, [person, old_person]))
    asyncio.run(
        _insert(
            url,
            EVENTS,
            [
                # Since 0009: the subject by id only.
                _event(1, "restriction.publish", {"subject_id": str(person["id"])}, now),
                # Before 0009: the identity in clear, no id.
                _event(
                    2,
                    "credit_record.appended",
                    {
                        "subject": {
                            "subject_type": "person",
                            "id_number": OLD_CITIZEN,
                            "name": OLD_NAME,
                        },
                        "outcome": "withdrawn",
                    },
                    now,
                ),
                _event(3, "commitment.accept", {"from": None, "to": "accepted"}, now),
            ],
        )
    )
    platform = _subscription("https://xyxx.example.gov.cn/reports", system=True, now=now)
    other = _subscription("https://receiver.example/hook", system=False, now=now)
    asyncio.run(_insert(url, SUBSCRIPTIONS, [platform, other]))

    upgrade(url)
    raw = repr(asyncio.run(_sql(url, "SELECT * FROM events")))
    payloads = _payloads(url)
    decoded = json.dumps(payloads, ensure_ascii=False)
    for clear in (CITIZEN, NAME, OLD_CITIZEN, OLD_NAME):
        assert clear not in raw and clear not in decoded
    assert payloads["restriction.publish"] == {
        "subject_id": str(person["id"]),
        "subject": {"subject_type": "person", "id_number": MASKED_CITIZEN, "name": "欧**文"},
    }
    assert payloads["credit_record.appended"] == {
        "subject_id": str(old_person["id"]),  # found by its blind index
        "subject": {"subject_type": "person", "id_number": MASKED_OLD_CITIZEN, "name": "李*光"},
        "outcome": "withdrawn",
    }
    assert payloads["commitment.accept"] == {"from": None, "to": "accepted"}
    grants = asyncio.run(_sql(url, "SELECT system, personal_data FROM webhook_subscriptions"))
    assert sorted((bool(s), bool(p)) for s, p in grants) == [(False, False), (True, True)]

    downgrade(url, "0014")
    payloads = _payloads(url)
    # 0014 adds the subject when it reads an event, from the id; nothing returns in clear.
    assert payloads["restriction.publish"] == {"subject_id": str(person["id"])}
    assert payloads["credit_record.appended"] == {
        "subject_id": str(old_person["id"]),
        "outcome": "withdrawn",
    }
    columns = asyncio.run(_sql(url, "SELECT * FROM webhook_subscriptions"))
    assert len(columns[0]) == 9  # personal_data is gone


def test_an_http_platform_is_not_granted(empty_database: str) -> None:
    url = empty_database
    crypto.configure(make_settings(url).keyring())
    upgrade(url, "0014")
    now = datetime.now(UTC)
    platform = _subscription("http://127.0.0.1:8080/reports", system=True, now=now)
    asyncio.run(_insert(url, SUBSCRIPTIONS, [platform]))
    upgrade(url)
    grants = asyncio.run(_sql(url, "SELECT personal_data FROM webhook_subscriptions"))
    assert [bool(p) for (p,) in grants] == [False]
