"""信用核验 (DZ art. 6; LZ §4(1), §5(2)): run, store and audit a credit check.

The check reads only what the applicant's consent covers (LZ §5(1)6): the restriction
list and the joint punishment lists are each consulted only when
:func:`app.rules.eligibility.categories_to_read` allows it, so no identifier leaves for
the external list service without a consent to that use.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog.repository import CatalogRepository
from app.catalog.service import matter_terms
from app.consents.repository import ConsentRepository
from app.consents.schemas import ConsentPurpose
from app.consents.service import consent_record, given_to
from app.core.config import Settings
from app.core.db import new_id
from app.core.errors import NotFound, UnprocessableEntity
from app.core.identifiers import SubjectType
from app.credit_checks.models import CreditCheck
from app.credit_checks.repository import CreditCheckRepository
from app.credit_checks.schemas import CreditCheckCreate, CreditCheckRead, ReasonRead
from app.departments.service import profile_of
from app.joint_punishment.adapter import JointPunishmentClient
from app.joint_punishment.service import lookup_joint_punishment
from app.restrictions.state import effective_restrictions
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
from app.rules.profiles import Mode, get_profile
from app.subjects.repository import SubjectRepository
from app.subjects.service import resolve_subject, subject_read
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


async def run_credit_check(
    session: AsyncSession,
    principal: Principal,
    data: CreditCheckCreate,
    now: datetime,
    settings: Settings,
    joint_punishment: JointPunishmentClient | None,
) -> CreditCheckRead:
    today = now.astimezone(settings.tz).date()
    subject = await resolve_subject(session, data.subject, today, "body.subject")
    agent = await resolve_subject(session, data.agent, today, "body.agent") if data.agent else None
    if agent is not None and agent.subject.id == subject.subject.id:
        raise UnprocessableEntity("The agent is the applicant.", code="agent_is_subject")

    version, agency_profile = await CatalogRepository(session).current_version_and_agency_profile(
        data.matter_code, now
    )
    # The agency's profile decides; without a catalog entry, the caller's department's.
    profile = (
        get_profile(agency_profile)
        if agency_profile is not None
        else await profile_of(session, principal.department, settings.profile)
    )

    consent = await ConsentRepository(session).get(data.consent_id) if data.consent_id else None
    if data.consent_id is not None and consent is None:
        raise NotFound(f"No consent {data.consent_id}.", code="consent_not_found")
    # A consent of someone else is no consent of this applicant, nor one given to other
    # departments a consent this department may use (LZ §5(1)6).
    own_consent = (
        consent
        if consent
        and consent.subject_id == subject.subject.id
        and given_to(consent, principal.department)
        else None
    )

    request = EligibilityRequest(
        matter=matter_terms(version, data.matter_code),
        mode=data.mode,
        purpose=data.purpose.value,
        consent=consent_record(own_consent, settings.tz) if own_consent else None,
        subject_restrictions=(),
        joint_punishment=JointPunishmentLookup(consulted=True),
        as_of=today,
        matter_code=data.matter_code,
        application_ref=data.application_ref,
    )
    # Read only what the consent covers (LZ §5(1)6).
    readable = categories_to_read(request, profile)
    if RESTRICTION_LIST in readable:
        ids = [subject.subject.id] + ([agent.subject.id] if agent else [])
        restrictions = await effective_restrictions(session, ids, today, profile)
        request = replace(
            request,
            subject_restrictions=restrictions[subject.subject.id],
            agent_restrictions=restrictions[agent.subject.id] if agent else (),
        )
    if JOINT_PUNISHMENT in readable:
        parties = [
            (Party.SUBJECT, SubjectType(subject.subject.subject_type), subject.subject.id_number)
        ]
        if agent is not None:
            parties.append(
                (Party.AGENT, SubjectType(agent.subject.subject_type), agent.subject.id_number)
            )
        request = replace(
            request,
            joint_punishment=await lookup_joint_punishment(
                session, joint_punishment, parties, today
            ),
        )
    decision = check_eligibility(request, profile)
    check = CreditCheck(
        id=new_id(),
        subject_id=subject.subject.id,
        agent_id=agent.subject.id if agent else None,
        matter_code=data.matter_code,
        application_ref=data.application_ref,
        matter_version_id=version.id if version else None,
        mode=data.mode.value,
        purpose=data.purpose.value,
        consent_id=data.consent_id,
        result=decision.result.value,
        eligible_modes=[m.value for m in decision.eligible_modes],
        reasons=[_reason_json(r) for r in decision.reasons],
        profile=profile.name,
        checked_at=now,
        checked_on=today,
        valid_until=credit_check_valid_until(profile, today),
        requested_by=principal.sub,
        department=principal.department,
        created_at=now,
    )
    # Written with its audit entry when the request's transaction commits: one flush.
    CreditCheckRepository(session).add(check)
    await record(
        session,
        principal,
        action="credit_check.create",
        target_type="credit_check",
        target_id=str(check.id),
        purpose=data.purpose.value,
        details={
            "consent_id": str(data.consent_id) if data.consent_id else None,
            "subject_id": str(subject.subject.id),
            "agent_id": str(agent.subject.id) if agent else None,
            "matter_code": data.matter_code,
            "matter_version_id": str(version.id) if version else None,
            "mode": data.mode.value,
            "result": decision.result.value,
            "reasons": [r.code.value for r in decision.reasons],
            "read": sorted(readable),
            "joint_punishment_consulted": (
                request.joint_punishment.consulted if JOINT_PUNISHMENT in readable else None
            ),
        },
    )
    warnings = subject.warnings + (agent.warnings if agent else ())
    return await _check_read(session, check, warnings)


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
