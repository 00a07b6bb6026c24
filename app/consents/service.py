"""Consent to use credit information (授权, LZ §5(1)6): stated, bounded, revocable."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog.repository import CatalogRepository
from app.consents.models import Consent
from app.consents.repository import ConsentRepository
from app.consents.schemas import (
    ConsentCreate,
    ConsentMethod,
    ConsentPurpose,
    ConsentRead,
    InformationCategory,
)
from app.core.config import Settings
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.departments.repository import DepartmentRepository
from app.departments.service import profile_of
from app.rules.eligibility import ConsentRecord, consent_last_valid_day
from app.subjects.repository import SubjectRepository
from app.subjects.service import resolve_subject, subject_read
from app.web.auth import Principal

# A grant time a little ahead of the server clock is tolerated (clocks of window devices).
_CLOCK_SKEW = timedelta(minutes=5)


def _invalid(field: str, code: str, message: str) -> UnprocessableEntity:
    return UnprocessableEntity(
        message, code=code, errors=[FieldError(field=field, code=code, message=message)]
    )


class ConsentTerms(Protocol):
    """What a credit check reads of a consent: a stored ``Consent`` or a row of those columns."""

    @property
    def purpose(self) -> str: ...
    @property
    def scope(self) -> list[str] | None: ...
    @property
    def matter_code(self) -> str | None: ...
    @property
    def application_ref(self) -> str | None: ...
    @property
    def granted_at(self) -> datetime: ...
    @property
    def expires_on(self) -> date: ...
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def given_to(self) -> list[str]: ...


def consent_record(consent: ConsentTerms, tz: ZoneInfo) -> ConsentRecord:
    """The rule module's view: dates in the legal time zone."""
    return ConsentRecord(
        purpose=consent.purpose,
        granted_on=consent.granted_at.astimezone(tz).date(),
        expires_on=consent.expires_on,
        revoked_on=consent.revoked_at.astimezone(tz).date() if consent.revoked_at else None,
        # A row recorded without a scope reads as one that states none: invalid.
        scope=frozenset(consent.scope or ()),
        matter_code=consent.matter_code,
        application_ref=consent.application_ref,
    )


async def consent_read(session: AsyncSession, consent: Consent) -> ConsentRead:
    subject = await SubjectRepository(session).get(consent.subject_id)
    assert subject is not None
    return ConsentRead(
        id=str(consent.id),
        subject=subject_read(subject),
        purpose=ConsentPurpose(consent.purpose),
        scope=[InformationCategory(s) for s in consent.scope or ()],
        matter_code=consent.matter_code,
        application_ref=consent.application_ref,
        method=ConsentMethod(consent.method),
        granted_at=consent.granted_at,
        expires_on=consent.expires_on,
        evidence_ref=consent.evidence_ref,
        revoked_at=consent.revoked_at,
        revocation_reason=consent.revocation_reason,
        department=consent.department,
        given_to=list(consent.given_to),
        version=consent.version,
    )


def given_to(consent: ConsentTerms, department: str | None) -> bool:
    """Whether the consent was given to ``department``: only such a department may use,
    read or revoke it (the reads and revocation are the routes' owner, app.web.ownership)."""
    return department is not None and department in consent.given_to


async def _given_to(
    session: AsyncSession, principal: Principal, named: list[str] | None
) -> list[str]:
    """The departments a new consent is given to: those named (each registered), else the
    caller's own."""
    if named is None:
        return [principal.department] if principal.department else []
    wanted = sorted(set(named))
    known = await DepartmentRepository(session).get_many(wanted)
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise _invalid(
            "body.given_to", "department_unknown", f"unknown department(s): {', '.join(unknown)}"
        )
    return wanted


async def record_consent(
    session: AsyncSession,
    principal: Principal,
    data: ConsentCreate,
    now: datetime,
    settings: Settings,
) -> ConsentRead:
    tz = settings.tz
    profile = await profile_of(session, principal.department, settings.profile)
    granted_at = data.granted_at or now
    if granted_at > now + _CLOCK_SKEW:
        raise _invalid(
            "body.granted_at", "consent_granted_in_future", "granted_at is in the future"
        )
    granted_on: date = granted_at.astimezone(tz).date()
    if data.expires_on < granted_on:
        raise _invalid(
            "body.expires_on", "consent_expiry_invalid", "expires_on is before the grant day"
        )
    cap = consent_last_valid_day(ConsentRecord(data.purpose.value, granted_on, None, None), profile)
    if cap is not None and data.expires_on > cap:
        maximum = profile.consent_max_validity
        raise _invalid(
            "body.expires_on",
            "consent_validity_too_long",
            f"a consent may last at most {maximum.value} days ({maximum.citation.label}): "
            f"the last valid day is {cap.isoformat()}",
        )
    if (
        data.matter_code is not None
        and await CatalogRepository(session).get_matter(data.matter_code) is None
    ):
        raise _invalid(
            "body.matter_code", "matter_unknown", f"no matter {data.matter_code} in the catalog"
        )
    departments = await _given_to(session, principal, data.given_to)
    subject = (await resolve_subject(session, data.subject, granted_on, "body.subject")).subject
    consent = Consent(
        subject_id=subject.id,
        purpose=data.purpose.value,
        scope=sorted({s.value for s in data.scope}),
        matter_code=data.matter_code,
        application_ref=data.application_ref,
        method=data.method.value,
        granted_at=granted_at,
        expires_on=data.expires_on,
        evidence_ref=data.evidence_ref,
        recorded_by=principal.sub,
        department=principal.department,
        given_to=departments,
        created_at=now,
    )
    ConsentRepository(session).add(consent)
    await session.flush()
    await record(
        session,
        principal,
        action="consent.record",
        target_type="consent",
        target_id=str(consent.id),
        purpose=data.purpose.value,
        details={
            "subject_id": str(subject.id),
            "scope": consent.scope,
            "matter_code": consent.matter_code,
            "application_ref": consent.application_ref,
            "method": consent.method,
            "expires_on": consent.expires_on.isoformat(),
            "evidence_ref": consent.evidence_ref,
            "given_to": consent.given_to,
        },
    )
    return await consent_read(session, consent)


async def get_consent(session: AsyncSession, consent_id: uuid.UUID) -> Consent:
    consent = await ConsentRepository(session).get(consent_id)
    if consent is None:
        raise NotFound(f"No consent {consent_id}.", code="consent_not_found")
    return consent


async def revoke_consent(
    session: AsyncSession, principal: Principal, consent_id: uuid.UUID, reason: str, now: datetime
) -> ConsentRead:
    consent = await get_consent(session, consent_id)
    if consent.revoked_at is not None:
        raise Conflict("The consent is already revoked.", code="consent_already_revoked")
    consent.revoked_at = now
    consent.revocation_reason = reason
    await session.flush()
    await record(
        session,
        principal,
        action="consent.revoke",
        target_type="consent",
        target_id=str(consent.id),
        purpose=consent.purpose,
        details={"reason": reason},
    )
    return await consent_read(session, consent)
