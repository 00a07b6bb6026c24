"""信用核验 (DZ art. 6; LZ §4(1), §5(2)): run, store and audit a credit check.

The check reads only what the applicant's consent covers (LZ §5(1)6): the restriction
list and the joint punishment lists are each consulted only when
:func:`app.rules.eligibility.categories_to_read` allows it, so no identifier leaves for
the external list service without a consent to that use.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import audit_values, record
from app.catalog.repository import CatalogRepository
from app.consents.schemas import ConsentPurpose
from app.consents.service import consent_record, given_to
from app.core.config import Settings
from app.core.db import new_id
from app.core.errors import NotFound, UnprocessableEntity
from app.core.identifiers import SubjectType
from app.credit_checks.facts import CheckFacts, SubjectKey
from app.credit_checks.models import CreditCheck
from app.credit_checks.repository import (
    CreditCheckRepository,
    insert_check,
    read_check_facts,
    read_uncovered,
)
from app.credit_checks.schemas import CreditCheckCreate, CreditCheckRead, ReasonRead
from app.departments.service import department_profile
from app.joint_punishment.adapter import JointPunishmentClient
from app.joint_punishment.service import consult_service, local_hits
from app.restrictions.state import effective_of
from app.rules.eligibility import (
    JOINT_PUNISHMENT,
    RESTRICTION_LIST,
    CheckResult,
    EligibilityRequest,
    JointPunishmentLookup,
    Party,
    Reason,
    categories_to_read,
    check_eligibility,
    credit_check_valid_until,
)
from app.rules.profiles import Mode, Profile, get_profile
from app.subjects.models import StoredSubject, identifier_index
from app.subjects.repository import SubjectRepository
from app.subjects.schemas import SubjectIn, SubjectRead
from app.subjects.service import checked_id_number, resolve_subject, subject_read
from app.web.auth import Principal


def _reason_json(reason: Reason) -> dict[str, str | list[str] | None]:
    return {
        "code": reason.code.value,
        "message": reason.message_zh,
        "message_en": reason.message_en,
        "citation": reason.citation.label,
        "citation_text": reason.citation.text_zh,
        "detail": reason.detail,
        "barred_modes": (
            None
            if reason.barred_modes is None
            else [m.value for m in Mode if m in reason.barred_modes]
        ),
    }


async def _check_read(
    session: AsyncSession, check: CreditCheck, warnings: tuple[str, ...] = ()
) -> CreditCheckRead:
    subjects = SubjectRepository(session)
    subject = await subjects.get(check.subject_id)
    agent = await subjects.get(check.agent_id) if check.agent_id else None
    assert subject is not None
    version = (
        await CatalogRepository(session).get_version(check.matter_version_id)
        if check.matter_version_id
        else None
    )
    result = CheckResult(check.result)
    return CreditCheckRead(
        id=str(check.id),
        result=result,
        eligible_modes=[Mode(m) for m in check.eligible_modes],
        reasons=[ReasonRead.model_validate(r) for r in check.reasons],
        next_step="facilitation" if result is CheckResult.PASS else "ordinary",
        subject=subject_read(subject),
        agent=subject_read(agent) if agent else None,
        matter_code=check.matter_code,
        application_ref=check.application_ref,
        matter_version=version.version if version else None,
        mode=Mode(check.mode),
        purpose=ConsentPurpose(check.purpose),
        consent_id=str(check.consent_id) if check.consent_id else None,
        profile=check.profile,
        department=check.department,
        checked_at=check.checked_at,
        valid_until=check.valid_until,
        warnings=list(warnings),
    )


def _key(subject_type: SubjectType, id_number: str) -> SubjectKey:
    return SubjectKey(
        subject_type.value, id_number, identifier_index(subject_type.value, id_number)
    )


async def _settle(
    session: AsyncSession,
    stored: StoredSubject | None,
    data: SubjectIn,
    id_number: str,
    today: date,
    field: str,
) -> StoredSubject:
    """The stored party as read; created, or its name and address kept current, through
    :func:`resolve_subject` (the rare case: one more round trip)."""
    if (
        stored is not None
        and stored.name == data.name
        and (not data.address or stored.address == data.address)
    ):
        return stored
    subject = (await resolve_subject(session, data, today, field)).subject
    return StoredSubject(subject.id, subject.subject_type, id_number, subject.name, subject.address)


def check_request(
    facts: CheckFacts,
    data: CreditCheckCreate,
    parties: tuple[SubjectKey, SubjectKey | None],
    ids: tuple[uuid.UUID, uuid.UUID | None],
    department: str | None,
    settings: Settings,
    today: date,
) -> tuple[EligibilityRequest, Profile, frozenset[str]]:
    """The rule module's request from what was read, the profile that decides and the
    categories the consent lets the check read; the listings and the local list hits
    only when it may read them (LZ §5(1)6). The joint punishment lookup holds the local
    hits; the external service is asked afterwards. A category it may read but
    ``facts.read`` lacks is read (:func:`read_uncovered`) before the request is used."""
    subject_id, agent_id = ids
    # The agency's profile decides; without a catalog entry, the caller's department's.
    profile = (
        get_profile(facts.agency_profile)
        if facts.agency_profile is not None
        else department_profile(department, facts.department_profile, settings.profile)
    )
    consent = facts.consent
    if data.consent_id is not None and consent is None:
        raise NotFound(f"No consent {data.consent_id}.", code="consent_not_found")
    # A consent of someone else is no consent of this applicant, nor one given to other
    # departments a consent this department may use (LZ §5(1)6).
    own_consent = (
        consent
        if consent and consent.subject_id == subject_id and given_to(consent, department)
        else None
    )
    request = EligibilityRequest(
        matter=facts.matter,
        mode=data.mode,
        purpose=data.purpose.value,
        consent=consent_record(own_consent, settings.tz) if own_consent else None,
        subject_restrictions=(),
        joint_punishment=JointPunishmentLookup(consulted=True),
        as_of=today,
        matter_code=data.matter_code,
        application_ref=data.application_ref,
    )
    readable = categories_to_read(request, profile)
    if RESTRICTION_LIST in readable:
        restrictions = effective_of(
            facts.histories, [subject_id] + ([agent_id] if agent_id else []), today, profile
        )
        request = replace(
            request,
            subject_restrictions=restrictions[subject_id],
            agent_restrictions=restrictions[agent_id] if agent_id else (),
        )
    if JOINT_PUNISHMENT in readable:
        named = [(Party.SUBJECT, parties[0])] + ([(Party.AGENT, parties[1])] if parties[1] else [])
        hits = local_hits(
            [party for party, _ in named], [(k.subject_type, k.index) for _, k in named], facts.hits
        )
        request = replace(
            request, joint_punishment=JointPunishmentLookup(consulted=True, hits=tuple(hits))
        )
    return request, profile, readable


async def run_credit_check(
    session: AsyncSession,
    principal: Principal,
    data: CreditCheckCreate,
    now: datetime,
    settings: Settings,
    joint_punishment: JointPunishmentClient | None,
) -> CreditCheckRead:
    today = now.astimezone(settings.tz).date()
    checked = checked_id_number(
        data.subject.subject_type, data.subject.id_number, today, "body.subject.id_number"
    )
    agent_checked = (
        checked_id_number(
            data.agent.subject_type, data.agent.id_number, today, "body.agent.id_number"
        )
        if data.agent
        else None
    )
    subject_key = _key(data.subject.subject_type, checked.normalized)
    agent_key = (
        _key(data.agent.subject_type, agent_checked.normalized)
        if data.agent and agent_checked
        else None
    )
    facts = await read_check_facts(
        session,
        subject_key,
        agent_key,
        matter_code=data.matter_code,
        at=now,
        department=principal.department,
        consent_id=data.consent_id,
        as_of=today,
        purpose=data.purpose.value,
        application_ref=data.application_ref,
        tz=settings.tz,
    )
    subject = await _settle(
        session, facts.subject, data.subject, checked.normalized, today, "body.subject"
    )
    agent = (
        await _settle(session, facts.agent, data.agent, agent_key.id_number, today, "body.agent")
        if data.agent and agent_key
        else None
    )
    if agent is not None and agent.id == subject.id:
        raise UnprocessableEntity("The agent is the applicant.", code="agent_is_subject")
    keys, ids = (subject_key, agent_key), (subject.id, agent.id if agent else None)
    request, profile, readable = check_request(
        facts, data, keys, ids, principal.department, settings, today
    )
    if readable - facts.read:
        # Covered, but not found so by the one statement: read now, then decide.
        facts = await read_uncovered(
            session,
            facts,
            readable - facts.read,
            [i for i in ids if i is not None],
            [(k.subject_type, k.index) for k in keys if k is not None],
            today,
        )
        request, profile, readable = check_request(
            facts, data, keys, ids, principal.department, settings, today
        )
    if JOINT_PUNISHMENT in readable and joint_punishment is not None:
        parties = [(Party.SUBJECT, data.subject.subject_type, subject.id_number)]
        if data.agent is not None and agent is not None:
            parties.append((Party.AGENT, data.agent.subject_type, agent.id_number))
        request = replace(
            request,
            joint_punishment=await consult_service(
                joint_punishment, parties, today, list(request.joint_punishment.hits)
            ),
        )
    decision = check_eligibility(request, profile)
    check_id = new_id()
    reasons = [_reason_json(r) for r in decision.reasons]
    valid_until = credit_check_valid_until(profile, today)
    values: dict[str, object] = {
        "id": check_id,
        "subject_id": subject.id,
        "agent_id": agent.id if agent else None,
        "matter_code": data.matter_code,
        "application_ref": data.application_ref,
        "matter_version_id": facts.matter_version_id,
        "mode": data.mode.value,
        "purpose": data.purpose.value,
        "consent_id": data.consent_id,
        "result": decision.result.value,
        "eligible_modes": [m.value for m in decision.eligible_modes],
        "reasons": reasons,
        "profile": profile.name,
        "checked_at": now,
        "checked_on": today,
        "valid_until": valid_until,
        "requested_by": principal.sub,
        "department": principal.department,
        "created_at": now,
    }
    # The check and its audit entry: one statement on PostgreSQL, two on SQLite.
    await insert_check(
        session,
        values,
        audit_values(
            principal,
            action="credit_check.create",
            target_type="credit_check",
            target_id=str(check_id),
            purpose=data.purpose.value,
            details={
                "consent_id": str(data.consent_id) if data.consent_id else None,
                "subject_id": str(subject.id),
                "agent_id": str(agent.id) if agent else None,
                "matter_code": data.matter_code,
                "matter_version_id": (
                    str(facts.matter_version_id) if facts.matter_version_id else None
                ),
                "mode": data.mode.value,
                "result": decision.result.value,
                "reasons": [r.code.value for r in decision.reasons],
                "read": sorted(readable),
                "joint_punishment_consulted": (
                    request.joint_punishment.consulted if JOINT_PUNISHMENT in readable else None
                ),
            },
        ),
    )
    result = decision.result
    return CreditCheckRead(
        id=str(check_id),
        result=result,
        eligible_modes=list(decision.eligible_modes),
        reasons=[ReasonRead.model_validate(r) for r in reasons],
        next_step="facilitation" if result is CheckResult.PASS else "ordinary",
        subject=_subject_read(subject),
        agent=_subject_read(agent) if agent else None,
        matter_code=data.matter_code,
        application_ref=data.application_ref,
        matter_version=facts.matter_version,
        mode=data.mode,
        purpose=data.purpose,
        consent_id=str(data.consent_id) if data.consent_id else None,
        profile=profile.name,
        department=principal.department,
        checked_at=now,
        valid_until=valid_until,
        warnings=[f"body.subject.id_number: {w}" for w in checked.warnings]
        + [f"body.agent.id_number: {w}" for w in (agent_checked.warnings if agent_checked else ())],
    )


def _subject_read(subject: StoredSubject) -> SubjectRead:
    return SubjectRead(
        subject_type=SubjectType(subject.subject_type),
        id_number=subject.id_number,
        name=subject.name,
        address=subject.address,
    )


async def read_credit_check(
    session: AsyncSession, principal: Principal, check_id: uuid.UUID
) -> CreditCheckRead:
    check = await CreditCheckRepository(session).get(check_id)
    if check is None:
        raise NotFound(f"No credit check {check_id}.", code="credit_check_not_found")
    await record(
        session,
        principal,
        action="credit_check.read",
        target_type="credit_check",
        target_id=str(check.id),
        purpose=check.purpose,
    )
    return await _check_read(session, check)
