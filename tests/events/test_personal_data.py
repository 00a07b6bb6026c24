"""Personal data in events only where granted.

Events carry who they are about masked: in the events table, in `GET /api/v1/events` and
in every delivery. Only a subscription an admin has granted `personal_data` (https only,
audited; the credit platform's by default) receives the full ID number and name. The
receivers are real servers on loopback; the https one presents a certificate from a test
authority that the worker trusts through `ZWFW_WEBHOOK_CA_FILE`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.conftest import Harness, TokenFactory, make_settings
from tests.events.receiver import Receiver, running_receiver
from tests.events.tls import TlsFiles, make_tls_files
from tests.factories import PERSON, PERSON_ID, ok, setup_catalog
from tests.restrictions.conftest import published

SECRET = "receiver-shared-secret-0123456789"
NAME = PERSON["name"]  # 张三丰
# Region prefix and the last four kept, the ten between hidden; the middle of the name.
MASKED_ID = "3714" + "*" * 10 + "123" + PERSON_ID[-1]
MASKED_NAME = "张*丰"
# A listing driven to publication (tests.restrictions.conftest.published): what leaves the
# department, from its confirmation on (LZ §5(1)4; tests/events/test_determined_listings.py).
LISTING_EVENTS = sorted(f"restriction.{step}" for step in ("objection_window_lapsed", "publish"))


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_receiver(tls: TlsFiles) -> Iterator[Receiver]:
    with running_receiver(Receiver(secret=SECRET), tls.server_context()) as receiver:
        yield receiver


@pytest.fixture
def http_receiver() -> Iterator[Receiver]:
    with running_receiver(Receiver(secret=SECRET)) as receiver:
        yield receiver


async def _subscribe(
    client: httpx.AsyncClient, auth: TokenFactory, url: str, **extra: object
) -> httpx.Response:
    body = {"name": "省平台", "url": url, "event_types": ["restriction.*"], "secret": SECRET}
    return await client.post("/api/v1/webhooks", json={**body, **extra}, headers=auth("admin"))


async def _deliver(harness: Harness, clock: FixedClock, tls: TlsFiles, **settings: object) -> None:
    configured = make_settings(harness.database.url, webhook_ca_file=str(tls.ca_file), **settings)
    worker = Worker(harness.database, configured, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


def _published(receiver: Receiver) -> dict[str, Any]:
    (body,) = [r["body"] for r in receiver.received if r["body"]["type"] == "restriction.publish"]
    return body  # type: ignore[no-any-return]


def _everything_received(receiver: Receiver) -> str:
    return "\n".join(r["raw"].decode() + repr(r["headers"]) for r in receiver.received)


async def test_an_ungranted_receiver_gets_the_subject_masked(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    tls: TlsFiles,
    http_receiver: Receiver,
    https_receiver: Receiver,
) -> None:
    await setup_catalog(client, auth)
    await ok(await _subscribe(client, auth, http_receiver.url))
    await ok(await _subscribe(client, auth, https_receiver.url))  # https, but not granted
    await published(client, auth, clock, PERSON)
    await _deliver(app_harness, clock, tls)

    for receiver in (http_receiver, https_receiver):
        assert sorted(r["body"]["type"] for r in receiver.received) == LISTING_EVENTS
        assert receiver.bad_signatures == 0
        everything = _everything_received(receiver)
        assert PERSON_ID not in everything
        assert NAME not in everything
        subject = _published(receiver)["data"]["subject"]
        assert subject == {"subject_type": "person", "id_number": MASKED_ID, "name": MASKED_NAME}


async def test_a_granted_https_receiver_gets_the_full_identity_signed(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    tls: TlsFiles,
    http_receiver: Receiver,
    https_receiver: Receiver,
) -> None:
    await setup_catalog(client, auth)
    granted = await ok(await _subscribe(client, auth, https_receiver.url, personal_data=True))
    assert granted["personal_data"] is True
    await ok(await _subscribe(client, auth, http_receiver.url))
    await published(client, auth, clock, PERSON)
    await _deliver(app_harness, clock, tls)

    subject = _published(https_receiver)["data"]["subject"]
    assert subject == {"subject_type": "person", "id_number": PERSON_ID, "name": NAME}
    # The signature covers the body as sent, full identity included.
    assert https_receiver.bad_signatures == 0
    assert sorted(r["body"]["type"] for r in https_receiver.received) == LISTING_EVENTS
    # The same event, to the subscription without the grant, stays masked.
    assert _published(http_receiver)["data"]["subject"]["id_number"] == MASKED_ID
    assert PERSON_ID not in _everything_received(http_receiver)


async def test_personal_data_for_an_http_url_is_a_422(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    created = await _subscribe(client, auth, "http://zwfw.example.gov.cn/hook", personal_data=True)
    assert (created.status_code, created.json()["code"]) == (422, "personal_data_requires_https")

    plain = await ok(await _subscribe(client, auth, "http://zwfw.example.gov.cn/hook"))
    assert plain["personal_data"] is False
    grant = await client.post(
        f"/api/v1/webhooks/{plain['id']}/personal-data-grant",
        json={"basis": "省平台数据共享协议"},
        headers=auth("admin"),
    )
    assert (grant.status_code, grant.json()["code"]) == (422, "personal_data_requires_https")
    listed = await ok(await client.get("/api/v1/webhooks", headers=auth("admin")), 200)
    assert [s["personal_data"] for s in listed] == [False]


async def test_only_an_admin_grants_and_every_grant_is_audited(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    created = await ok(await _subscribe(client, auth, "https://zwfw.example.gov.cn/hook"))
    assert created["personal_data"] is False
    path = f"/api/v1/webhooks/{created['id']}/personal-data-grant"
    basis = {"basis": "鲁信用办〔2026〕5号 数据共享协议"}
    for role in ("platform", "clerk", "auditor"):
        refused = await client.post(path, json=basis, headers=auth(role))
        assert refused.status_code == 403, role

    granted = await ok(await client.post(path, json=basis, headers=auth("admin", sub="root")), 200)
    assert granted["personal_data"] is True
    withdrawn = await ok(await client.delete(path, headers=auth("admin", sub="root")), 200)
    assert withdrawn["personal_data"] is False

    entries = await ok(
        await client.get(
            "/api/v1/audit-log",
            params={"target_id": created["id"]},
            headers=auth("auditor"),
        ),
        200,
    )
    actions = [(e["action"], e["actor"], e["details"]) for e in entries["items"]]
    assert actions == [
        (
            "webhook.subscribe",
            "alice",
            {
                "url": "https://zwfw.example.gov.cn/hook",
                "event_types": ["restriction.*"],
                "personal_data": False,
            },
        ),
        ("webhook.personal_data_grant", "root", {"basis": basis["basis"]}),
        ("webhook.personal_data_withdraw", "root", None),
    ]


async def test_a_grant_at_creation_is_audited(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    created = await ok(
        await _subscribe(client, auth, "https://zwfw.example.gov.cn/hook", personal_data=True)
    )
    entries = await ok(
        await client.get(
            "/api/v1/audit-log",
            params={"target_id": created["id"], "action": "webhook.subscribe"},
            headers=auth("auditor"),
        ),
        200,
    )
    (entry,) = entries["items"]
    assert entry["details"]["personal_data"] is True


async def test_the_feed_shows_the_subject_masked(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await setup_catalog(client, auth)
    await published(client, auth, clock, PERSON)
    for role in ("platform", "auditor"):
        feed = await ok(await client.get("/api/v1/events", headers=auth(role)), 200)
        (event,) = [e for e in feed["items"] if e["type"] == "restriction.publish"]
        assert event["data"]["subject"] == {
            "subject_type": "person",
            "id_number": MASKED_ID,
            "name": MASKED_NAME,
        }
        assert PERSON_ID not in repr(feed) and NAME not in repr(feed)


async def test_the_events_table_holds_the_subject_masked_and_nothing_in_clear(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    await setup_catalog(client, auth)
    await published(client, auth, clock, PERSON)
    await client.get("/api/v1/events", headers=auth("platform"))  # sequenced and fanned out
    rows = (await session.execute(text("SELECT * FROM events"))).all()
    payloads = (await session.scalars(text("SELECT payload FROM events"))).all()
    # JSON escapes non-ASCII text (\u5f20): read the payloads decoded as well.
    decoded = [
        json.dumps(p if isinstance(p, dict) else json.loads(p), ensure_ascii=False)
        for p in payloads
    ]
    raw = repr(rows) + "\n".join(decoded)
    assert PERSON_ID not in raw
    assert NAME not in raw
    # Stored as it is served: the subject masked, beside the id it is rebuilt from.
    assert MASKED_ID in raw and MASKED_NAME in raw


async def test_the_credit_platform_gets_the_full_identity_over_https(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    tls: TlsFiles,
    https_receiver: Receiver,
) -> None:
    await setup_catalog(client, auth)
    await published(client, auth, clock, PERSON)
    await _deliver(
        app_harness,
        clock,
        tls,
        credit_platform_url=https_receiver.url,
        credit_platform_secret=SECRET,
    )
    subject = _published(https_receiver)["data"]["subject"]
    assert subject == {"subject_type": "person", "id_number": PERSON_ID, "name": NAME}
    assert https_receiver.bad_signatures == 0
    listed = await ok(await client.get("/api/v1/webhooks", headers=auth("admin")), 200)
    assert [(s["system"], s["personal_data"]) for s in listed] == [(True, True)]
    entries = await ok(
        await client.get(
            "/api/v1/audit-log",
            params={"action": "webhook.personal_data_grant"},
            headers=auth("auditor"),
        ),
        200,
    )
    (entry,) = entries["items"]
    assert (entry["actor"], entry["target_id"]) == ("system:configuration", listed[0]["id"])
    # The platform's subscription follows the settings: no admin grants or withdraws it.
    refused = await client.delete(
        f"/api/v1/webhooks/{listed[0]['id']}/personal-data-grant", headers=auth("admin")
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "subscription_managed")


async def test_a_credit_platform_on_http_gets_the_subject_masked(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    tls: TlsFiles,
    http_receiver: Receiver,
) -> None:
    """A development platform on plain http is served, but never the full identity."""
    await setup_catalog(client, auth)
    await published(client, auth, clock, PERSON)
    await _deliver(
        app_harness,
        clock,
        tls,
        credit_platform_url=http_receiver.url,
        credit_platform_secret=SECRET,
    )
    subject = _published(http_receiver)["data"]["subject"]
    assert subject == {"subject_type": "person", "id_number": MASKED_ID, "name": MASKED_NAME}
    assert PERSON_ID not in _everything_received(http_receiver)
    listed = await ok(await client.get("/api/v1/webhooks", headers=auth("admin")), 200)
    assert [(s["system"], s["personal_data"]) for s in listed] == [(True, False)]


def test_the_ca_file_setting_names_a_readable_file(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not a readable file"):
        make_settings("sqlite+aiosqlite:///x", webhook_ca_file=str(tmp_path / "missing.pem"))
