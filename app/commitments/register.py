"""The commitment register (信用承诺记录): every commitment numbered, typed and classed for
disclosure when it is made; its fulfilment read from its case; the disclosable ones
listed for the public (信用承诺公示), persons masked.

:func:`register` is the one way to put a commitment on the register. A case commitment
(容缺受理, 告知承诺) is registered by its signing (:func:`register_case`); another domain
that takes a commitment of another type (a 信用承诺书 with a repair application, 信用修复)
calls :func:`register` with that type, and states its fulfilment with
:func:`record_fulfilment`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.commitments.content import AFFIRMATION_TEXT, letter_affirmations
from app.commitments.models import Commitment
from app.commitments.register_models import CreditCommitment
from app.commitments.register_schemas import CommitmentRecordRead, PublicCommitment
from app.commitments.repository import CommitmentRepository, CreditCommitmentRepository
from app.commitments.schemas import NoticeRead
from app.commitments.state import derived_status
from app.core.context import Context
from app.core.errors import NotFound, UnprocessableEntity
from app.core.identifiers import SubjectType
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.departments.repository import DepartmentRepository
from app.privacy.masking import masked_identity
from app.rules.commitment_register import (
    CaseFacts,
    CommitmentType,
    Disclosure,
    Fulfilment,
    FulfilmentView,
    case_fulfilment,
    commitment_number,
    default_disclosure,
    region_of,
    type_of_mode,
)
from app.rules.lifecycles import Event
from app.subjects.repository import SubjectRepository

_LIABILITY_HEADING = "不实承诺的法律责任"


async def register(
    session: AsyncSession,
    ctx: Context,
    *,
    commitment_type: CommitmentType,
    subject_id: uuid.UUID,
    department: str,
    signed_at: datetime,
    disclosure: Disclosure | None = None,
    commitment_id: uuid.UUID | None = None,
    cause: str | None = None,
    content: Sequence[str] | None = None,
    liability: str | None = None,
) -> CreditCommitment:
    """Put a commitment on the register with its number: the region of the accepting
    unit (``department``), the day of signing in the service's time zone, and the next
    serial of that region and day. Without a case (``commitment_id``), the cause, the
    content and the liability are kept here and the fulfilment is ``in_progress`` until
    :func:`record_fulfilment`. ``disclosure`` defaults by the subject's type."""
    if commitment_id is None and not (cause and content and liability):
        raise ValueError("a commitment without a case states its cause, content and liability")
    subject = await SubjectRepository(session).get(subject_id)
    if subject is None:
        raise NotFound(f"No subject {subject_id}.", code="subject_not_found")
    signed_on = signed_at.astimezone(ctx.settings.tz).date()
    region = region_of(department)
    repository = CreditCommitmentRepository(session)
    serial = await repository.next_serial(region, signed_on)
    entry = CreditCommitment(
        number=commitment_number(region, signed_on, serial),
        commitment_type=commitment_type.value,
        subject_id=subject_id,
        department=department,
        signed_on=signed_on,
        disclosure=(disclosure or default_disclosure(subject.subject_type)).value,
        commitment_id=commitment_id,
        cause=cause,
        content=list(content) if content is not None else None,
        liability=liability,
        fulfilment=None if commitment_id else Fulfilment.IN_PROGRESS.value,
        unfulfilled=None if commitment_id else [],
        created_by=ctx.principal.sub,
        created_at=ctx.now,
    )
    repository.add(entry)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="credit_commitment.register",
        target_type="credit_commitment",
        target_id=entry.number,
        details={"commitment_type": entry.commitment_type, "disclosure": entry.disclosure},
    )
    return entry


async def register_case(
    session: AsyncSession, ctx: Context, commitment: Commitment, disclosure: Disclosure | None
) -> CreditCommitment:
    """The register's entry of a case commitment just signed."""
    return await register(
        session,
        ctx,
        commitment_type=type_of_mode(commitment.mode),
        subject_id=commitment.subject_id,
        department=commitment.department,
        signed_at=commitment.signed_at,
        disclosure=disclosure,
        commitment_id=commitment.id,
    )


async def record_fulfilment(
    session: AsyncSession,
    ctx: Context,
    number: str,
    fulfilment: Fulfilment,
    unfulfilled: Sequence[str] = (),
) -> CreditCommitment:
    """State how a commitment without a case was kept (a case's is read from the case)."""
    entry = await CreditCommitmentRepository(session).get_by_number(number)
    if entry is None:
        raise NotFound(f"No commitment {number}.", code="commitment_not_found")
    if entry.commitment_id is not None:
        raise UnprocessableEntity(
            "A case commitment's fulfilment follows its case.", code="fulfilment_follows_case"
        )
    entry.fulfilment = fulfilment.value
    entry.unfulfilled = list(unfulfilled)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="credit_commitment.fulfilment",
        target_type="credit_commitment",
        target_id=number,
        details={"fulfilment": fulfilment.value},
    )
    return entry


# --- what a record says --------------------------------------------------------------


async def _case_fulfilment(
    session: AsyncSession, commitment: Commitment, today: date
) -> FulfilmentView:
    repository = CommitmentRepository(session)
    status = derived_status(commitment, today)
    findings: tuple[str, ...] = ()
    reason = None
    if status == "revoked":
        findings = tuple(
            v.description
            for v in await repository.verifications(commitment.id)
            if v.fulfilled is False and v.description
        )
        for row in await repository.events(commitment.id):
            if row.event == Event.REVOKE.value:
                reason = row.details.get("reason")
    return case_fulfilment(
        CaseFacts(
            mode=commitment.mode,
            status=status,
            termination_ground=commitment.termination_ground,
            missing_materials=tuple(commitment.missing_materials),
            conditions_to_meet=tuple(commitment.conditions_to_meet),
            failed_findings=findings,
            revocation_reason=reason,
        )
    )


def _case_terms(entry: CreditCommitment, commitment: Commitment) -> tuple[str, list[str], str]:
    """Cause, content and liability of a case commitment, from its notice and letter."""
    notice = NoticeRead.model_validate(commitment.notice)
    kind = CommitmentType(entry.commitment_type)
    content = letter_affirmations(commitment.conditions_to_meet, commitment.meet_by)
    if commitment.missing_materials:
        content.append("在期限内补齐补正：" + "、".join(commitment.missing_materials) + "。")
    liability = next(
        ("".join(item.lines) for item in notice.items if item.heading == _LIABILITY_HEADING),
        AFFIRMATION_TEXT["accepts_liability"],
    )
    return f"{notice.matter_name}（{kind.label_zh}）", content, liability


async def _terms(
    session: AsyncSession, entry: CreditCommitment, commitment: Commitment | None, today: date
) -> tuple[str, list[str], str, FulfilmentView]:
    if commitment is None:
        view = FulfilmentView(
            Fulfilment(entry.fulfilment or Fulfilment.IN_PROGRESS),
            tuple(entry.unfulfilled or ()),
        )
        return entry.cause or "", list(entry.content or []), entry.liability or "", view
    cause, content, liability = _case_terms(entry, commitment)
    return cause, content, liability, await _case_fulfilment(session, commitment, today)


async def record_read(
    session: AsyncSession, commitment: Commitment, today: date
) -> CommitmentRecordRead | None:
    """The register's record of a case commitment (None for a case made before the
    register and not yet backfilled: the migration numbers every one)."""
    entry = await CreditCommitmentRepository(session).get_for_commitment(commitment.id)
    if entry is None:
        return None
    cause, content, liability, view = await _terms(session, entry, commitment, today)
    unit = await DepartmentRepository(session).get(entry.department)
    kind, disclosure = CommitmentType(entry.commitment_type), Disclosure(entry.disclosure)
    return CommitmentRecordRead(
        number=entry.number,
        commitment_type=kind,
        type_label=kind.label_zh,
        cause=cause,
        content=content,
        liability=liability,
        signed_on=entry.signed_on,
        department=entry.department,
        department_name=unit.name if unit else entry.department,
        disclosure=disclosure,
        disclosure_label=disclosure.label_zh,
        fulfilment=view.status,
        fulfilment_label=view.status.label_zh,
        unfulfilled=list(view.unfulfilled),
    )


# --- the public list ---------------------------------------------------------------------


def _after(cursor: str | None) -> tuple[date, str] | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    invalid = UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
    if not (isinstance(after, list) and len(after) == 2 and all(isinstance(v, str) for v in after)):
        raise invalid
    try:
        return date.fromisoformat(after[0]), after[1]
    except ValueError:
        raise invalid from None


async def public_list(
    session: AsyncSession, ctx: Context, *, uscc: str | None, limit: int, cursor: str | None
) -> Page[PublicCommitment]:
    """信用承诺公示: commitments classed 可向社会公开 only, newest first; a natural person's
    name and ID number masked. ``uscc``: one organisation's only (a code that names no
    organisation lists nothing)."""
    subjects = SubjectRepository(session)
    subject_id = None
    if uscc is not None:
        found = await subjects.get_by_identifier(SubjectType.organization, uscc)
        if found is None:
            return Page[PublicCommitment](items=[], next_cursor=None)
        subject_id = found.id
    repository = CreditCommitmentRepository(session)
    rows = await repository.disclosed(
        disclosure=Disclosure.PUBLIC.value,
        subject_id=subject_id,
        after=_after(cursor),
        limit=limit + 1,
    )
    page = rows[:limit]
    owners = {s.id: s for s in await subjects.get_many({r.subject_id for r in page})}
    units = await DepartmentRepository(session).get_many({r.department for r in page})
    cases = await repository.commitments({r.commitment_id for r in page if r.commitment_id})
    items = []
    for entry in page:
        owner = owners[entry.subject_id]
        name, id_number = masked_identity(owner.subject_type, owner.name, owner.id_number)
        case = cases.get(entry.commitment_id) if entry.commitment_id else None
        cause, content, liability, view = await _terms(session, entry, case, ctx.today)
        kind = CommitmentType(entry.commitment_type)
        items.append(
            PublicCommitment(
                number=entry.number,
                commitment_type=kind,
                type_label=kind.label_zh,
                subject_type=SubjectType(owner.subject_type),
                name=name,
                id_number=id_number,
                cause=cause,
                content=content,
                liability=liability,
                signed_on=entry.signed_on,
                department_name=units[entry.department].name
                if entry.department in units
                else entry.department,
                fulfilment=view.status,
                fulfilment_label=view.status.label_zh,
                unfulfilled=list(view.unfulfilled),
            )
        )
    last = page[-1] if page else None
    next_cursor = (
        encode_cursor({"after": [last.signed_on.isoformat(), last.number]})
        if last is not None and len(rows) > limit
        else None
    )
    return Page[PublicCommitment](items=items, next_cursor=next_cursor)
