"""Personal data at rest: no citizen ID, personal name or address in clear in any table;
lookups still work through blind indexes; keys rotate (resumable)."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from app.models import metadata
from app.privacy import crypto
from app.privacy.rotation import rotate
from app.subjects.models import Subject
from tests.commitments.conftest import commitment
from tests.conftest import TEST_DATA_KEY, TEST_INDEX_KEY, Harness, TokenFactory
from tests.factories import credit_check, ok, record_consent, resident_id, setup_catalog
from tests.restrictions.conftest import at, published, step

CITIZEN_ID = resident_id("37140219850612123")
NAME = "欧阳修文"
ADDRESS = "山东省德州市德城区新湖大街1号"  # as the listing helper records it
PERSON = {"subject_type": "person", "id_number": CITIZEN_ID, "name": NAME, "address": ADDRESS}


async def _raw_text_of_every_table(session: AsyncSession) -> str:
    dumps = []
    for table in metadata.sorted_tables:
        rows = (await session.execute(text(f'SELECT * FROM "{table.name}"'))).all()  # noqa: S608
        dumps.append(repr(rows))
    return "\n".join(dumps)


async def test_no_personal_data_in_clear_anywhere(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    await setup_catalog(client, auth)
    # The person goes through every flow that stores personal data.
    consent = await record_consent(client, auth, subject=PERSON)
    await ok(await credit_check(client, auth, subject=PERSON, consent_id=consent["id"]))
    case = await commitment(client, auth, "notify_commit", signed_by=NAME)
    await step(client, auth, f"/api/v1/commitments/{case['id']}/withdrawal", {"reason": "撤回"})
    listing_id = await published(client, auth, clock, PERSON)
    at(clock, "2026-03-20")
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on\n"
        f"person,{CITIZEN_ID},{NAME},失信被执行人名单,最高人民法院,2026-01-05,\n"
    )
    imported = await client.post(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**auth("admin"), "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201
    await client.get("/api/v1/events", headers=auth("platform"))

    raw = await _raw_text_of_every_table(session)
    assert CITIZEN_ID not in raw
    assert NAME not in raw
    assert ADDRESS not in raw
    assert "zw1:t1:" in raw  # ciphertext with the key id is there instead

    # ...while the service still finds and shows them to those entitled.
    read = await ok(
        await client.get(f"/api/v1/restrictions/{listing_id}", headers=auth("clerk")), 200
    )
    assert (read["subject"]["id_number"], read["subject"]["name"], read["address"]) == (
        CITIZEN_ID,
        NAME,
        ADDRESS,
    )
    found = await client.get("/api/v1/public/restrictions", params={"name": NAME})
    assert len(found.json()["items"]) == 1
    fresh = await record_consent(client, auth, subject=PERSON)
    again = await ok(await credit_check(client, auth, subject=PERSON, consent_id=fresh["id"]))
    assert [r["code"] for r in again["reasons"]] == [
        "restriction_effective",
        "joint_punishment_listed",
    ]


async def test_keys_rotate_resumably(
    client: httpx.AsyncClient, auth: TokenFactory, app_harness: Harness, session: AsyncSession
) -> None:
    await setup_catalog(client, auth)
    await record_consent(client, auth, subject=PERSON)
    new_key = "t2:" + base64.b64encode(b"rotated-data-key-of-32-bytes-ok!").decode()
    try:
        crypto.configure(crypto.parse_keyring(f"{new_key},{TEST_DATA_KEY}", TEST_INDEX_KEY))
        first = await rotate(app_harness.database, batch=1)
        assert first["subjects"] >= 1
        second = await rotate(app_harness.database, batch=1)
        assert set(second.values()) == {0}  # nothing left: a rerun resumes as a no-op
        raw = await session.scalar(
            text("SELECT id_number_secret FROM subjects WHERE id_number_secret IS NOT NULL")
        )
        assert raw is not None and raw.startswith("zw1:t2:")
        subject = (await session.scalars(select(Subject).where(Subject.key_id == "t2"))).one()
        await session.refresh(subject)
        assert subject.id_number == CITIZEN_ID
        # The old key is no longer needed for these rows.
        crypto.configure(crypto.parse_keyring(new_key, TEST_INDEX_KEY))
        await session.refresh(subject)
        assert subject.name == NAME
    finally:
        crypto.configure(crypto.parse_keyring(TEST_DATA_KEY, TEST_INDEX_KEY))


def test_settings_refuse_bad_keys() -> None:
    from app.core.config import SettingsError
    from tests.conftest import make_settings

    with pytest.raises(Exception, match="32 bytes"):
        make_settings("sqlite+aiosqlite:///x", data_key="k:" + base64.b64encode(b"short").decode())
    settings = make_settings("sqlite+aiosqlite:///x", data_key=None, blind_index_key=None)
    with pytest.raises(SettingsError, match="ZWFW_DATA_KEY"):
        settings.keyring()
