"""Migration 0013 encrypts the kept answers in place and drops pending holds; its downgrade
gives the answers back as they were."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime

import sqlalchemy as sa

from app.ops.migrate import downgrade, upgrade
from app.privacy import crypto
from tests.conftest import (
    make_settings,
)
from tests.factories import PERSON
from tests.privacy.test_migration import _insert, _sql

ANSWER = (
    '{"id":"4b1f…","subject":{"id_number":"' + PERSON["id_number"] + '","name":"张三丰"}}'
).encode()
AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
KEYS = sa.table(
    "idempotency_keys",
    *(sa.column(c) for c in ("caller", "key", "state", "owner", "fingerprint", "status_code")),
    sa.column("headers", sa.JSON()),
    sa.column("body", sa.LargeBinary()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("renewed_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)),
)


def test_kept_answers_are_encrypted_in_place_and_pending_holds_dropped(
    empty_database: str,
) -> None:
    url = empty_database
    crypto.configure(make_settings(url).keyring())
    upgrade(url, "0012")
    common = {"caller": "c" * 64, "created_at": AT, "renewed_at": AT, "headers": None}
    asyncio.run(
        _insert(
            url,
            KEYS,
            [
                {
                    **common,
                    "key": "done-1",
                    "state": "done",
                    "owner": "a" * 32,
                    "fingerprint": "f" * 64,
                    "status_code": 201,
                    "headers": [["content-type", "application/json"]],
                    "body": ANSWER,
                    "completed_at": AT,
                },
                {
                    **common,
                    "key": "held-1",
                    "state": "pending",
                    "owner": "b" * 32,
                    "fingerprint": None,
                    "status_code": None,
                    "body": None,
                    "completed_at": None,
                },
            ],
        )
    )
    upgrade(url, "0013")
    rows = asyncio.run(_sql(url, "SELECT key, body, fingerprint FROM idempotency_keys"))
    assert [(key, fingerprint) for key, _, fingerprint in rows] == [("done-1", "f" * 64)]
    sealed = str(rows[0][1])
    assert sealed.startswith("zw1:t1:")
    assert PERSON["id_number"] not in sealed
    assert base64.b64decode(crypto.keyring().decrypt(sealed)) == ANSWER

    downgrade(url, "0012")
    back = asyncio.run(_sql(url, "SELECT key, state, body, status_code FROM idempotency_keys"))
    assert back == [("done-1", "done", ANSWER, 201)]
