"""The credit check's rows: what it reads, in one round trip, and its writes.

:func:`read_check_facts` sends one statement, built once: a ``UNION ALL`` of the
applicant and the agent (by blind index), the matter's version in effect with its
agency's profile, the caller's department's profile, the consent, the dated history of
every published listing of the applicant and the agent, and the entries of the local
joint punishment lists active on the day. Each branch fills the typed columns it needs
of one wide row and is told apart by ``kind``; the first branch gives every column its
type, so dates, timestamps, JSON and encrypted text come back as the ORM reads them
(personal data decrypted only in this process).

The listing histories and the local list entries come back only when the statement itself
finds them covered (LZ §5(1)6: nothing of a category is read beyond the consent): a CTE
``consent_gate`` opens a category when the profile (the agency's, else the registered
department's) needs no consent, or when the named consent is the applicant's, given to the
caller's department, for this purpose, matter and application, granted on or before the
day and neither revoked nor expired on it (its own last day and the shortest maximum
validity of any profile), and names the category. That is never more than
:func:`app.rules.eligibility.categories_to_read` allows; where it is less (a department
whose profile comes from its region, a profile's longer maximum validity), the service
reads the missing categories afterwards with :func:`read_uncovered`, a second round trip
only then. ``CheckFacts.read`` tells which categories were read.

:func:`read_check_facts_orm` reads the same through the repositories, one statement per
lookup: the reference the one-statement read is held to (tests/credit_checks).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Date,
    Integer,
    String,
    Table,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.audit.repository import NEW_ENTRY_COLUMNS
from app.catalog.models import MatterVersion
from app.catalog.repository import CatalogRepository
from app.catalog.service import matter_terms, matter_terms_of
from app.consents.models import Consent
from app.consents.repository import ConsentRepository
from app.core.db import UTCDateTime, branch
from app.core.direct import Direct
from app.credit_checks.facts import CheckFacts, StoredConsent, SubjectKey
from app.credit_checks.models import CreditCheck
from app.departments.models import Department
from app.departments.repository import DepartmentRepository
from app.joint_punishment.models import JointPunishmentEntry
from app.joint_punishment.repository import ActiveHit, JointPunishmentRepository
from app.privacy.crypto import EncryptedText
from app.restrictions.models import Restriction
from app.restrictions.repository import RestrictionRepository
from app.rules.eligibility import CHECK_SCOPE, JOINT_PUNISHMENT, RESTRICTION_LIST
from app.rules.parameters import ParameterName
from app.rules.profiles import PROFILES
from app.rules.restrictions import ListingHistory, Situation
from app.subjects.models import StoredSubject, Subject, stored_slots
from app.subjects.repository import SubjectRepository

# --- the one statement -----------------------------------------------------------------

_SLOTS: dict[str, Any] = {
    "u1": Uuid(),
    "u2": Uuid(),
    **{f"s{n}": String() for n in range(1, 7)},
    **{f"e{n}": EncryptedText() for n in range(1, 4)},
    **{f"d{n}": Date() for n in range(1, 7)},
    "i1": Integer(),
    "t1": UTCDateTime(),
    "t2": UTCDateTime(),
    "j1": JSON(),
    "j2": JSON(),
}


_branch = partial(branch, _SLOTS)


def _party_is(type_column: Any, index_column: Any) -> Any:
    return or_(
        and_(type_column == bindparam("subject_type"), index_column == bindparam("subject_index")),
        and_(type_column == bindparam("agent_type"), index_column == bindparam("agent_index")),
    )


# Profiles under which the check reads without a consent; the shortest maximum validity of
# a consent under any profile (days; None: no profile caps it).
_NO_CONSENT = sorted(name for name, p in PROFILES.items() if not p.consent_required)
_CAPS = [
    p.consent_max_validity.value
    for p in PROFILES.values()
    if p.has(ParameterName.CONSENT_MAX_VALIDITY) and p.consent_max_validity.value is not None
]
_SHORTEST_VALIDITY: int | None = min(_CAPS) if _CAPS else None
_GATE_BITS = {RESTRICTION_LIST: 1, JOINT_PUNISHMENT: 2}


def _like_pattern(value: str) -> str:
    """A LIKE pattern for a JSON list's text holding the string ``value`` (escape ``/``):
    the quoted element matches only itself, never part of another element."""
    quoted = json.dumps(value).replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{quoted}%"


def _gate(in_effect: Any) -> Any:
    """One row: bit 1 set when the listings may be read, bit 2 the list entries."""
    s, mv, d, c = Subject, MatterVersion, Department, Consent
    agency = (
        select(d.profile)
        .select_from(mv)
        .join(d, d.code == mv.agency_code)
        .where(mv.matter_code == bindparam("matter_code"), mv.version == in_effect)
        .scalar_subquery()
    )
    registered = select(d.profile).where(d.code == bindparam("department")).scalar_subquery()
    # Each name bound on its own (no list parameter), so the statement compiles once.
    no_consent_needed = func.coalesce(agency, registered).in_(
        [literal(name, String()) for name in _NO_CONSENT]
    )
    applicant = select(s.id).where(
        s.subject_type == bindparam("subject_type"), s.id_number_index == bindparam("subject_index")
    )
    usable = and_(
        c.id == bindparam("consent_id"),
        c.subject_id.in_(applicant),
        cast(c.given_to, String).like(bindparam("given_to_pattern", type_=String()), escape="/"),
        c.purpose == bindparam("purpose"),
        c.granted_at < bindparam("day_end"),
        c.granted_at >= bindparam("granted_from"),
        or_(c.revoked_at.is_(None), c.revoked_at >= bindparam("day_end")),
        c.expires_on >= bindparam("as_of"),
        or_(c.matter_code.is_(None), c.matter_code == bindparam("matter_code")),
        or_(c.application_ref.is_(None), c.application_ref == bindparam("application_ref")),
    )

    def covers(category: str) -> Any:
        named = cast(c.scope, String).like(_like_pattern(category), escape="/")
        opened = or_(no_consent_needed, exists(select(c.id).where(usable, named)))
        return case((opened, _GATE_BITS[category]), else_=0)

    return select((covers(RESTRICTION_LIST) + covers(JOINT_PUNISHMENT)).label("bits")).cte(
        "consent_gate"
    )


def _build() -> Any:
    s, mv, d, c = Subject, MatterVersion, Department, Consent
    r, e = Restriction, JointPunishmentEntry
    parties = _party_is(s.subject_type, s.id_number_index)
    subjects = _branch("subject", **stored_slots(), s3=s.id_number_index).where(parties)
    in_effect = (
        select(func.max(mv.version))
        .where(mv.matter_code == bindparam("matter_code"), mv.effective_from <= bindparam("at"))
        .scalar_subquery()
    )
    matter = (
        _branch(
            "matter",
            u1=mv.id,
            i1=mv.version,
            j1=mv.modes,
            j2=mv.excluded_categories,
            s1=mv.status,
            s2=d.profile,
        )
        .select_from(mv)
        .outerjoin(d, d.code == mv.agency_code)
        .where(mv.matter_code == bindparam("matter_code"), mv.version == in_effect)
    )
    gate = _gate(in_effect)

    def opens(category: str) -> Any:
        bit = _GATE_BITS[category]
        return exists(select(gate.c.bits).where(gate.c.bits.op("&")(bit) == bit))

    department = _branch("department", s1=d.profile).where(d.code == bindparam("department"))
    consent = _branch(
        "consent",
        u1=c.id,
        u2=c.subject_id,
        s1=c.purpose,
        s2=c.matter_code,
        s3=c.application_ref,
        j1=c.scope,
        j2=c.given_to,
        t1=c.granted_at,
        t2=c.revoked_at,
        d1=c.expires_on,
    ).where(c.id == bindparam("consent_id"))
    listings = _branch(
        "listing",
        u1=r.id,
        u2=r.subject_id,
        s1=r.situation,
        s2=r.profile,
        d1=r.published_on,
        d2=r.rectified_on,
        d3=r.lifted_on,
        d4=r.withdrawn_on,
        d5=r.occurred_on,
        d6=r.repair_granted_on,
        i1=r.period_months,
    ).where(
        r.subject_id.in_(select(s.id).where(parties)),
        r.published_on.is_not(None),
        opens(RESTRICTION_LIST),
    )
    hits = _branch(
        "hit",
        u1=e.id,
        s1=e.subject_type,
        s2=e.list_name,
        s3=e.id_number_index,
        s4=e.source,
        s5=e.list_type,
        d1=e.listed_on,
    ).where(
        _party_is(e.subject_type, e.id_number_index),
        e.listed_on <= bindparam("as_of"),
        or_(e.expires_on.is_(None), e.expires_on >= bindparam("as_of")),
        opens(JOINT_PUNISHMENT),
    )
    opened = _branch("gate", i1=gate.c.bits).select_from(gate)
    return union_all(subjects, matter, department, consent, listings, hits, opened)


_CHECK_FACTS = Direct(_build())


async def read_check_facts(
    session: AsyncSession,
    subject: SubjectKey,
    agent: SubjectKey | None,
    *,
    matter_code: str,
    at: datetime,
    department: str | None,
    consent_id: uuid.UUID | None,
    as_of: date,
    purpose: str,
    application_ref: str | None,
    tz: ZoneInfo,
) -> CheckFacts:
    """Everything a credit check reads, in one statement (see the module docstring); the
    listings and list entries only of the categories the statement finds covered."""
    day_end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=tz)
    granted_from = (
        datetime.combine(as_of - timedelta(days=_SHORTEST_VALIDITY), time(), tzinfo=tz)
        if _SHORTEST_VALIDITY is not None
        else datetime.min.replace(tzinfo=tz)
    )
    parameters = {
        "subject_type": subject.subject_type,
        "subject_index": subject.index,
        "agent_type": agent.subject_type if agent else None,
        "agent_index": agent.index if agent else None,
        "matter_code": matter_code,
        "at": at,
        "department": department,
        "consent_id": consent_id,
        "as_of": as_of,
        "purpose": purpose,
        "application_ref": application_ref,
        "given_to_pattern": _like_pattern(department) if department is not None else None,
        "day_end": day_end,
        "granted_from": granted_from,
    }
    read: frozenset[str] = frozenset()
    found: dict[str, StoredSubject] = {}
    matter: Any = None
    department_profile: str | None = None
    consent: StoredConsent | None = None
    histories: list[tuple[ListingHistory, Situation]] = []
    hits: list[tuple[date, str, uuid.UUID, ActiveHit]] = []
    # Straight to the driver on PostgreSQL (app.core.direct): a read of columns.
    connection = await session.connection()
    for row in await _CHECK_FACTS.rows(connection, parameters):
        kind = row.kind
        if kind == "listing":
            history = ListingHistory(
                listing_id=str(row.u1),
                subject_key=str(row.u2),
                published_on=row.d1,
                rectified_on=row.d2,
                lifted_on=row.d3,
                withdrawn_on=row.d4,
                occurred_on=row.d5,
                period_months=row.i1,
                profile=row.s2,
                repair_granted_on=row.d6,
            )
            histories.append((history, Situation(row.s1)))
        elif kind == "hit":
            hits.append((row.d1, row.s2, row.u1, ActiveHit(row.s1, row.s3, row.s2, row.s4, row.s5)))
        elif kind == "subject":
            found[row.s3 + row.s1] = StoredSubject.of_slots(row)
        elif kind == "matter":
            matter = row
        elif kind == "department":
            department_profile = row.s1
        elif kind == "gate":
            read = frozenset(c for c, bit in _GATE_BITS.items() if row.i1 & bit)
        else:
            consent = StoredConsent(
                id=row.u1,
                subject_id=row.u2,
                purpose=row.s1,
                scope=row.j1,
                matter_code=row.s2,
                application_ref=row.s3,
                granted_at=row.t1,
                expires_on=row.d1,
                revoked_at=row.t2,
                given_to=row.j2,
            )
    histories.sort(key=lambda pair: pair[0].listing_id)
    hits.sort(key=lambda hit: (hit[0], hit[1], hit[2]))
    return CheckFacts(
        subject=found.get(subject.index + subject.subject_type),
        agent=found.get(agent.index + agent.subject_type) if agent else None,
        matter=(matter_terms_of(matter.j1, matter.j2, matter.s1, matter_code) if matter else None),
        matter_version_id=matter.u1 if matter else None,
        matter_version=matter.i1 if matter else None,
        agency_profile=matter.s2 if matter else None,
        department_profile=department_profile,
        consent=consent,
        histories=tuple(histories),
        hits=tuple(hit for *_, hit in hits),
        read=read,
    )


async def read_uncovered(
    session: AsyncSession,
    facts: CheckFacts,
    categories: frozenset[str],
    ids: list[uuid.UUID],
    keys: list[tuple[str, str]],
    as_of: date,
) -> CheckFacts:
    """The rules may read ``categories`` that the one statement did not find covered:
    their rows, a statement each (see the module docstring)."""
    histories, hits = facts.histories, facts.hits
    if RESTRICTION_LIST in categories:
        found = await RestrictionRepository(session).published_histories(ids)
        histories = tuple(sorted(found, key=lambda pair: pair[0].listing_id))
    if JOINT_PUNISHMENT in categories:
        hits = tuple(await JointPunishmentRepository(session).active_hits_for(keys, as_of))
    return replace(facts, histories=histories, hits=hits, read=facts.read | categories)


# --- the reference: one statement per lookup, through the repositories -----------------


def _subject_of(row: Subject | None) -> StoredSubject | None:
    if row is None:
        return None
    return StoredSubject(row.id, row.subject_type, row.id_number, row.name, row.address)


async def read_check_facts_orm(
    session: AsyncSession,
    subject: SubjectKey,
    agent: SubjectKey | None,
    *,
    matter_code: str,
    at: datetime,
    department: str | None,
    consent_id: uuid.UUID | None,
    as_of: date,
    categories: frozenset[str] = CHECK_SCOPE,
) -> CheckFacts:
    """:func:`read_check_facts` through the repositories, a statement per lookup; the
    listings and list entries of ``categories`` only."""
    subjects = SubjectRepository(session)
    stored = await subjects.get_by_identifier(subject.subject_type, subject.id_number)
    stored_agent = (
        await subjects.get_by_identifier(agent.subject_type, agent.id_number) if agent else None
    )
    version, agency_profile = await CatalogRepository(session).current_version_and_agency_profile(
        matter_code, at
    )
    registered = await DepartmentRepository(session).get(department) if department else None
    row = await ConsentRepository(session).get(consent_id) if consent_id else None
    ids = [s.id for s in (stored, stored_agent) if s is not None]
    keys = [(subject.subject_type, subject.index)] + (
        [(agent.subject_type, agent.index)] if agent else []
    )
    facts = CheckFacts(
        subject=_subject_of(stored),
        agent=_subject_of(stored_agent),
        matter=matter_terms(version, matter_code),
        matter_version_id=version.id if version else None,
        matter_version=version.version if version else None,
        agency_profile=agency_profile,
        department_profile=registered.profile if registered else None,
        consent=(
            StoredConsent(
                id=row.id,
                subject_id=row.subject_id,
                purpose=row.purpose,
                scope=row.scope,
                matter_code=row.matter_code,
                application_ref=row.application_ref,
                granted_at=row.granted_at,
                expires_on=row.expires_on,
                revoked_at=row.revoked_at,
                given_to=row.given_to,
            )
            if row
            else None
        ),
        histories=(),
        hits=(),
        read=frozenset(),
    )
    return await read_uncovered(session, facts, categories & CHECK_SCOPE, ids, keys, as_of)


# --- the writes ------------------------------------------------------------------------

_CHECKS: Table = CreditCheck.__table__  # type: ignore[assignment]
_AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
_AUDITED = NEW_ENTRY_COLUMNS


def _check_and_audit() -> Any:
    """PostgreSQL: the check and its audit entry in one statement (a data-modifying CTE),
    every value bound (``c_<column>`` and ``a_<column>``); built once."""
    check = (
        insert(_CHECKS)
        .values({c.key: bindparam("c_" + c.key, type_=c.type) for c in _CHECKS.columns})
        .returning(_CHECKS.c.id)
        .cte("new_check")
    )
    entry = select(*(bindparam("a_" + c.key, type_=c.type) for c in _AUDITED)).select_from(check)
    return insert(_AUDIT).from_select([c.key for c in _AUDITED], entry)


_CHECK_AND_AUDIT = Direct(_check_and_audit())
_CHECK = insert(_CHECKS)
_ENTRY = insert(_AUDIT)


async def insert_check(
    session: AsyncSession, check: dict[str, object], audit_entry: dict[str, Any]
) -> None:
    """Write a credit check and its audit entry (in the caller's transaction when open): one
    atomic statement on PostgreSQL (app.core.direct), two on SQLite (no INSERT in a WITH)."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        parameters = {"c_" + k: v for k, v in check.items()}
        parameters.update({"a_" + k: v for k, v in audit_entry.items()})
        await _CHECK_AND_AUDIT.execute(connection, parameters)
        return
    await connection.execute(_CHECK, check)
    await connection.execute(_ENTRY, audit_entry)


class CreditCheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, check_id: uuid.UUID) -> CreditCheck | None:
        return await self.session.get(CreditCheck, check_id)

    def add(self, check: CreditCheck) -> None:
        self.session.add(check)
