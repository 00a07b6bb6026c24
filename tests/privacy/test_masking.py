"""One serializer masks a person's identity for roles that do not need it."""

from __future__ import annotations

import uuid

import httpx

from app.subjects.models import StoredSubject
from tests.conftest import TokenFactory
from tests.factories import ORG, ok, record_consent, resident_id, setup_catalog

PERSON = {
    "subject_type": "person",
    "id_number": resident_id("37140219850612123"),
    "name": "张三丰",
    "address": "德州市某路1号",
}


async def test_auditors_see_a_masked_person_and_clerks_the_full_one(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    consent = await record_consent(client, auth, subject=PERSON)
    assert consent["subject"]["id_number"] == PERSON["id_number"]  # the clerk needs it
    url = f"/api/v1/consents/{consent['id']}"
    audited = await ok(await client.get(url, headers=auth("auditor")), 200)
    number = PERSON["id_number"]
    assert audited["subject"] == {
        "subject_type": "person",
        "id_number": number[:4] + "*" * 10 + number[-4:],
        "name": "张*丰",
        "address": None,
    }
    assert number not in (await client.get(url, headers=auth("auditor"))).text
    organisation = await record_consent(client, auth, subject=ORG)
    public_by_law = await ok(
        await client.get(f"/api/v1/consents/{organisation['id']}", headers=auth("auditor")), 200
    )
    assert public_by_law["subject"]["id_number"] == ORG["id_number"]


def test_a_stored_subject_read_in_clear_prints_none_of_its_personal_data() -> None:
    """A subject a statement read (decrypted) shows only its id and type when printed:
    a log line or a traceback that prints one carries no ID number, name or address."""
    subject_id = uuid.uuid4()
    subject = StoredSubject(subject_id, "person", PERSON["id_number"], "张三丰", "德州市某路1号")
    shown = repr(subject) + str(subject)
    assert str(subject_id) in shown and "person" in shown
    for value in (PERSON["id_number"], "张三丰", "德州市某路1号"):
        assert value not in shown
    assert (subject.id_number, subject.name) == (PERSON["id_number"], "张三丰")
