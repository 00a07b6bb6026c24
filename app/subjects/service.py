"""Applicants and agents: identifiers checked, stored normalised, one row per identifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import FieldError, UnprocessableEntity
from app.core.identifiers import CheckedIdentifier, InvalidIdentifier, SubjectType, check_identifier
from app.privacy.masking import present_identity
from app.subjects.models import StoredSubject, Subject
from app.subjects.repository import SubjectRepository
from app.subjects.schemas import SubjectIn, SubjectRead


def checked_id_number(
    subject_type: SubjectType, raw: str, today: date, field: str
) -> CheckedIdentifier:
    """The normalised identifier and its warnings, or a 422 naming ``field`` and the reason."""
    try:
        return check_identifier(subject_type, raw, today)
    except InvalidIdentifier as exc:
        raise UnprocessableEntity(
            f"{field}: {exc.reason}",
            code=exc.code,
            errors=[FieldError(field=field, code=exc.code, message=exc.reason)],
        ) from None


@dataclass(frozen=True, slots=True)
class ResolvedSubject:
    subject: Subject
    warnings: tuple[str, ...]


async def resolve_subject(
    session: AsyncSession, data: SubjectIn, today: date, field: str
) -> ResolvedSubject:
    """Find the subject by identifier or create it; keep the latest name and address."""
    checked = checked_id_number(data.subject_type, data.id_number, today, f"{field}.id_number")
    id_number = checked.normalized
    warnings = tuple(f"{field}.id_number: {w}" for w in checked.warnings)
    repository = SubjectRepository(session)
    subject = await repository.get_by_identifier(data.subject_type.value, id_number)
    now = utcnow()
    if subject is None:
        subject = Subject.build(data.subject_type.value, id_number, data.name, data.address, now)
        repository.add(subject)
        await session.flush()
        return ResolvedSubject(subject, warnings)
    if subject.name != data.name or (data.address and subject.address != data.address):
        subject.name = data.name
        subject.address = data.address or subject.address
        subject.updated_at = now
        await session.flush()
    return ResolvedSubject(subject, warnings)


def subject_read(subject: Subject | StoredSubject) -> SubjectRead:
    return SubjectRead(
        subject_type=SubjectType(subject.subject_type),
        id_number=subject.id_number,
        name=subject.name,
        address=subject.address,
    )


def subject_identity(subject: Subject) -> dict[str, str]:
    """Who a report is about, as the current viewer may see it (app.privacy.masking)."""
    name, id_number = present_identity(subject.subject_type, subject.name, subject.id_number)
    return {"subject_type": subject.subject_type, "id_number": id_number, "name": name}
