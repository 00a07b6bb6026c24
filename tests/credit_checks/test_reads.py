"""The credit check's one-statement read finds exactly what the repositories find, one
statement per lookup (app.credit_checks.repository), on both databases: for subjects with
listings in every state, consents valid, expired, revoked, out of scope, given to
another department or of someone else, joint punishment entries of several list types
(active, expired, not yet listed), an agent, an unknown subject, matter and consent.

"Now" is 2026-09-30 10:00 in Shanghai (tests/conftest.py): today is 2026-09-30.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.consents.models import Consent
from app.core.config import Settings
from app.core.db import Database, utcnow
from app.credit_checks.facts import CheckFacts, SubjectKey
from app.credit_checks.repository import (
    read_check_facts,
    read_check_facts_orm,
    read_uncovered,
)
from app.credit_checks.schemas import CreditCheckCreate
from app.credit_checks.service import check_request
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.restrictions.models import Restriction
from app.rules.eligibility import CHECK_SCOPE, RESTRICTION_LIST
from app.subjects.models import Subject, identifier_index
from tests.conftest import DEFAULT_NOW, TokenFactory
from tests.factories import (
    AGENCY,
    FOOD,
    GREEN,
    LINZI,
    ORG,
    ORG_ID,
    PERSON,
    PERSON_ID,
    credit_check,
    ok,
    record_consent,
    resident_id,
    setup_catalog,
    uscc,
)

TODAY = date(2026, 9, 30)
AGENT_ID = resident_id("37140219900101123")
AGENT = {"subject_type": "person", "id_number": AGENT_ID, "name": "李四"}
OTHER_ID = uscc("91371400MA3C5AB99")
OTHER = {"subject_type": "organization", "id_number": OTHER_ID, "name": "德州市另一公司"}
UNKNOWN_ID = uscc("91371400MA3C5AB55")  # never stored


_TERMS: dict[str, Any] = {
    "purpose": "credit_facilitation",
    "application_ref": None,
    "tz": ZoneInfo("Asia/Shanghai"),
}


def _check_of(
    matter: str, consent_id: uuid.UUID | None, department: str | None = AGENCY
) -> dict[str, Any]:
    return {
        "matter_code": matter,
        "at": DEFAULT_NOW,
        "department": department,
        "consent_id": consent_id,
        "as_of": TODAY,
    }


def _key(subject: dict[str, Any]) -> SubjectKey:
    kind, number = subject["subject_type"], subject["id_number"]
    return SubjectKey(kind, number, identifier_index(kind, number))


async def _subject_id(session: AsyncSession, number: str) -> uuid.UUID:
    found = await session.scalars(select(Subject.id).where(Subject.identifier_any_type(number)))
    return found.one()


def _listing(subject_id: uuid.UUID, **dates: Any) -> Restriction:
    values: dict[str, Any] = {
        "subject_id": subject_id,
        "status": "effective",
        "situation": "false_materials",
        "source_channel": "investigation",
        "facts": "提供虚假材料",
        "legal_basis": "LZ §5(1)2",
        "legal_documents": [],
        "collecting_department": AGENCY,
        "profile": "shandong-combined",
        "created_by": "test",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    values.update(dates)
    return Restriction(**values)


async def _history(session: AsyncSession) -> dict[str, str]:
    """Listings of ORG and of the agent in each state; list entries of several types."""
    org = await _subject_id(session, ORG_ID)
    agent = await _subject_id(session, AGENT_ID)
    other = await _subject_id(session, OTHER_ID)
    session.add_all(
        [
            _listing(org, published_on=date(2026, 9, 1), occurred_on=date(2026, 8, 1)),
            _listing(org, published_on=date(2025, 3, 2), period_months=6),
            _listing(org, published_on=date(2026, 1, 5), lifted_on=date(2026, 6, 1)),
            _listing(org, published_on=date(2026, 2, 1), withdrawn_on=date(2026, 3, 1)),
            _listing(
                org,
                published_on=date(2026, 4, 1),
                rectified_on=date(2026, 5, 1),
                repair_granted_on=date(2026, 7, 1),
                situation="tolerance_unfulfilled",
            ),
            _listing(org, status="notified"),  # never published: not read
            _listing(org, published_on=date(2026, 5, 10), profile="linzi-2022"),
            _listing(agent, published_on=date(2026, 9, 29), situation="tolerance_unfulfilled"),
            _listing(other, published_on=date(2026, 9, 2)),
        ]
    )
    batch = JointPunishmentImport(format="csv", imported_by="test", created_at=utcnow())
    session.add(batch)
    await session.flush()
    entries = [
        (ORG, "失信被执行人名单", "dishonest_judgment_debtor", date(2026, 1, 1), None),
        (
            ORG,
            "重大税收违法失信主体名单",
            "major_tax_violation",
            date(2025, 1, 1),
            date(2026, 12, 31),
        ),
        (ORG, "某地方名单", "unclassified", date(2026, 9, 30), None),
        (ORG, "失信被执行人名单", "dishonest_judgment_debtor", date(2024, 1, 1), date(2026, 9, 29)),
        (ORG, "失信被执行人名单", "dishonest_judgment_debtor", date(2026, 10, 1), None),
        (AGENT, "失信被执行人名单", "dishonest_judgment_debtor", date(2026, 3, 3), None),
        (OTHER, "重大税收违法失信主体名单", "major_tax_violation", date(2026, 3, 3), None),
    ]
    for subject, list_name, list_type, listed_on, expires_on in entries:
        kind, number = subject["subject_type"], subject["id_number"]
        session.add(
            JointPunishmentEntry(
                subject_type=kind,
                id_number=number,
                id_number_index=identifier_index(kind, number),
                name=subject["name"],
                list_name=list_name,
                list_type=list_type,
                source="全国信用信息共享平台",
                listed_on=listed_on,
                expires_on=expires_on,
                import_id=batch.id,
                created_at=utcnow(),
            )
        )
    await session.flush()
    return {"org": str(org), "agent": str(agent)}


async def _consents(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> dict[str, str]:
    valid = await record_consent(client, auth)
    agent_valid = await record_consent(client, auth, subject=AGENT)
    narrow = await record_consent(client, auth, scope=["restriction_list"])
    elsewhere = await record_consent(client, auth, given_to=[LINZI])
    of_other = await record_consent(client, auth, subject=OTHER)
    for_person = await record_consent(client, auth, subject=PERSON, matter_code=FOOD)
    expired = await record_consent(client, auth)
    revoked = await record_consent(client, auth)
    await session.execute(
        update(Consent)
        .where(Consent.id == uuid.UUID(expired["id"]))
        .values(expires_on=date(2026, 9, 29))
    )
    await session.execute(
        update(Consent)
        .where(Consent.id == uuid.UUID(revoked["id"]))
        .values(revoked_at=datetime(2026, 9, 20, 1, 0, tzinfo=UTC))
    )
    await session.flush()
    return {
        "valid": valid["id"],
        "agent_valid": agent_valid["id"],
        "narrow": narrow["id"],
        "elsewhere": elsewhere["id"],
        "of_other": of_other["id"],
        "for_person": for_person["id"],
        "expired": expired["id"],
        "revoked": revoked["id"],
    }


CASES = [
    # (applicant, agent, matter, consent, caller's department)
    (ORG, None, FOOD, "valid", AGENCY),
    (ORG, AGENT, FOOD, "valid", AGENCY),
    (ORG, None, FOOD, "narrow", AGENCY),
    (ORG, None, FOOD, "elsewhere", AGENCY),
    (ORG, None, FOOD, "of_other", AGENCY),
    (ORG, None, FOOD, "expired", AGENCY),
    (ORG, None, FOOD, "revoked", AGENCY),
    (ORG, None, FOOD, None, AGENCY),
    (ORG, None, FOOD, "missing", AGENCY),
    (ORG, None, GREEN, "valid", AGENCY),
    (ORG, None, "SPJ-NOPE-404", "valid", AGENCY),
    (ORG, None, "SPJ-NOPE-404", "valid", LINZI),
    (ORG, None, "SPJ-NOPE-404", "valid", "371400-UNREG"),
    (ORG, None, FOOD, "valid", None),
    (AGENT, ORG, FOOD, "agent_valid", AGENCY),
    (PERSON, None, FOOD, "for_person", AGENCY),
    (OTHER, None, FOOD, "of_other", AGENCY),
    (
        {"subject_type": "organization", "id_number": UNKNOWN_ID, "name": "无此主体"},
        AGENT,
        FOOD,
        None,
        AGENCY,
    ),
]


async def test_the_one_statement_read_finds_what_the_repositories_find(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, settings: Settings
) -> None:
    await setup_catalog(client, auth)
    consents = await _consents(client, auth, session)
    ids = await _history(session)
    compared = 0
    completed: list[tuple[str, str | None, str | None]] = []
    for subject, agent, matter, consent, department in CASES:
        consent_id = (
            uuid.uuid4()
            if consent == "missing"
            else uuid.UUID(consents[consent])
            if consent
            else None
        )
        arguments = _check_of(matter, consent_id, department)
        keys = (_key(subject), _key(agent) if agent else None)
        fast = await read_check_facts(session, keys[0], keys[1], **arguments, **_TERMS)
        case = (subject["id_number"], agent and agent["id_number"], matter, consent, department)
        # Equal to the repositories' read of the categories the statement found covered.
        reference = await read_check_facts_orm(
            session, keys[0], keys[1], **arguments, categories=fast.read
        )
        assert fast == reference, case
        if fast.subject is None or consent == "missing":
            continue
        data = CreditCheckCreate.model_validate(
            {
                "subject": subject,
                "agent": agent,
                "matter_code": matter,
                "mode": "tolerance",
                "purpose": "credit_facilitation",
                "consent_id": str(consent_id) if consent_id else None,
            }
        )
        party_ids = (fast.subject.id, fast.agent.id if fast.agent else None)
        everything = await read_check_facts_orm(session, keys[0], keys[1], **arguments)
        _, _, readable = check_request(
            everything, data, keys, party_ids, department, settings, TODAY
        )
        # Never a category beyond the consent; one left out is read afterwards.
        assert fast.read <= readable, case
        if fast.read != readable:
            completed.append((matter, consent, department))
        fast = await read_uncovered(
            session,
            fast,
            readable - fast.read,
            [i for i in party_ids if i is not None],
            [(k.subject_type, k.index) for k in keys if k is not None],
            TODAY,
        )
        # The rule module's request from each read is the same too.
        requests = [
            check_request(facts, data, keys, party_ids, department, settings, TODAY)
            for facts in (fast, everything)
        ]
        assert requests[0] == requests[1], case
        compared += 1
    assert compared == 16
    # The statement found covered every category the rules may read.
    assert completed == []

    # What was read is what was stored: not an empty read that agrees with another.
    facts = await read_check_facts(
        session, _key(ORG), _key(AGENT), **_check_of(FOOD, uuid.UUID(consents["valid"])), **_TERMS
    )
    _assert_read_everything(facts, ids)


def _assert_read_everything(facts: CheckFacts, ids: dict[str, str]) -> None:
    assert facts.subject is not None and facts.agent is not None
    assert (facts.subject.name, facts.subject.id_number) == (ORG["name"], ORG_ID)
    assert (facts.agent.name, facts.agent.id_number) == ("李四", AGENT_ID)
    assert facts.agent.subject_type == "person"
    # Six published listings of ORG (the unpublished one is not read), one of the agent.
    listed = [h.subject_key for h, _ in facts.histories]
    assert (listed.count(ids["org"]), listed.count(ids["agent"])) == (6, 1)
    # Active on 2026-09-30: listed on or before, not expired before: ORG's three of
    # three types (ordered by listing day) and the agent's one.
    assert [(h.list_type, h.list_name) for h in facts.hits] == [
        ("major_tax_violation", "重大税收违法失信主体名单"),
        ("dishonest_judgment_debtor", "失信被执行人名单"),
        ("dishonest_judgment_debtor", "失信被执行人名单"),
        ("unclassified", "某地方名单"),
    ]
    assert facts.matter is not None and facts.matter.code == FOOD
    assert facts.matter_version == 1
    assert facts.agency_profile == "shandong-combined"
    assert facts.consent is not None
    assert sorted(facts.consent.scope or ()) == ["joint_punishment", "restriction_list"]


@pytest.mark.parametrize("number", [PERSON_ID])
async def test_a_person_is_read_in_clear_from_encrypted_columns(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    number: str,
) -> None:
    await setup_catalog(client, auth)
    await record_consent(client, auth, subject={**PERSON, "address": "德州市德城区某路1号"})
    facts = await read_check_facts(session, _key(PERSON), None, **_check_of(FOOD, None), **_TERMS)
    assert facts.subject is not None
    assert (facts.subject.id_number, facts.subject.name, facts.subject.address) == (
        number,
        "张三丰",
        "德州市德城区某路1号",
    )


async def test_a_check_of_a_stored_applicant_reads_once_and_writes_once(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    database: Database,
) -> None:
    """One statement reads everything; the check and its audit entry are one INSERT on
    PostgreSQL, two on SQLite (which has no INSERT in a WITH)."""
    await setup_catalog(client, auth)
    consent = await record_consent(client, auth)
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            sent.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        check = await ok(await credit_check(client, auth, consent_id=consent["id"]))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert check["result"] == "pass"
    postgres = engine.dialect.name == "postgresql"
    assert [s.lstrip().split()[0].upper() for s in sent] == (
        ["WITH", "WITH"] if postgres else ["WITH", "INSERT", "INSERT"]
    )
    writes = " ".join(sent[1:])
    assert "INSERT INTO credit_checks" in writes and "INSERT INTO audit_log" in writes
    stored = await session.scalars(select(AuditEntry).where(AuditEntry.target_id == check["id"]))
    entry = stored.one()
    assert (entry.action, entry.position, entry.hash) == ("credit_check.create", None, None)
    assert entry.details is not None and entry.details["result"] == "pass"


@pytest.mark.parametrize(
    ("consent", "listings", "hits"),
    [
        ("narrow", True, False),  # names the restriction list only
        ("elsewhere", False, False),  # given to another department
        ("of_other", False, False),  # another subject's
        ("expired", False, False),  # its last day was 2026-09-29
        ("revoked", False, False),  # revoked on 2026-09-20
        (None, False, False),
    ],
)
async def test_the_read_returns_no_rows_the_consent_does_not_cover(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    consent: str | None,
    listings: bool,
    hits: bool,
) -> None:
    """LZ §5(1)6: ORG has six published listings and three active list entries; the one
    statement returns those of a category only under a consent that covers it."""
    await setup_catalog(client, auth)
    consents = await _consents(client, auth, session)
    await _history(session)
    facts = await read_check_facts(
        session,
        _key(ORG),
        None,
        **_check_of(FOOD, uuid.UUID(consents[consent]) if consent else None),
        **_TERMS,
    )
    covered = {RESTRICTION_LIST} if listings else set()
    assert facts.read == covered
    assert (len(facts.histories), len(facts.hits)) == (6 if listings else 0, 3 if hits else 0)


async def test_what_the_statement_cannot_find_covered_is_read_afterwards(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, settings: Settings
) -> None:
    """Without a deployment profile, an unregistered department of region 3714 runs
    Dezhou's profile, which reads without consent: the statement cannot tell (the profile
    comes from the region), reads neither category; the rules may read both, and
    :func:`read_uncovered` reads them."""
    await setup_catalog(client, auth)
    await _consents(client, auth, session)  # stores the subjects
    await _history(session)
    regional = settings.model_copy(update={"profile": None})
    keys = (_key(ORG), None)
    fast = await read_check_facts(
        session, keys[0], None, **_check_of("SPJ-NOPE-404", None, "371400-UNREG"), **_TERMS
    )
    assert (fast.read, fast.histories, fast.hits) == (frozenset(), (), ())
    assert fast.subject is not None
    data = CreditCheckCreate.model_validate(
        {
            "subject": ORG,
            "matter_code": "SPJ-NOPE-404",
            "mode": "tolerance",
            "purpose": "credit_facilitation",
        }
    )
    ids = (fast.subject.id, None)
    _, profile, readable = check_request(fast, data, keys, ids, "371400-UNREG", regional, TODAY)
    assert (profile.name, readable) == ("dezhou-2023", CHECK_SCOPE)
    completed = await read_uncovered(
        session, fast, readable, [fast.subject.id], [(ORG["subject_type"], keys[0].index)], TODAY
    )
    assert (completed.read, len(completed.histories), len(completed.hits)) == (CHECK_SCOPE, 6, 3)
