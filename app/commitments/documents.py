"""The commitment's printable documents: same content as the JSON resource."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import explain_stored
from app.commitments import reads
from app.commitments.content import letter_affirmations, letter_document, notice_document
from app.commitments.repository import CommitmentRepository, CreditCommitmentRepository
from app.commitments.schemas import NoticeRead
from app.commitments.state import derived_status
from app.core.context import Context
from app.documents.numbers import DocumentKind, document_number
from app.documents.schemas import DocumentKind as RegisteredKind
from app.documents.schemas import DocumentStateRead
from app.documents.verification import issue_document, register_state
from app.lifecycle.deadlines import StoredDeadline
from app.rules.commitment_register import Disclosure
from app.subjects.repository import SubjectRepository

_KINDS = {"notice": DocumentKind.NOTICE, "letter": DocumentKind.COMMITMENT_LETTER}


async def _parts(
    session: AsyncSession, ctx: Context, commitment_id: uuid.UUID, kind: str
) -> tuple[NoticeRead, str, str, list[StoredDeadline], str, date]:
    commitment = await reads.load_for_read(session, commitment_id)
    subject = await SubjectRepository(session).get(commitment.subject_id)
    assert subject is not None
    await record(
        session,
        ctx.principal,
        action=f"commitment.{kind}_pdf",
        target_type="commitment",
        target_id=str(commitment.id),
        purpose="print",
    )
    accepted = commitment.signed_at.astimezone(ctx.settings.tz).date()
    number = document_number(_KINDS[kind], commitment.department, accepted.year, commitment.id)
    return (
        NoticeRead.model_validate(commitment.notice),
        subject.name,
        subject.id_number,
        await explain_stored(session, reads.deadlines_of(commitment)),
        number,
        accepted,
    )


async def notice_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    notice, name, id_number, deadlines, number, accepted = await _parts(
        session, ctx, commitment_id, "notice"
    )
    document = notice_document(
        notice,
        deadlines,
        reference=f"编号：{number}",
        subject_name=name,
        subject_id=id_number,
        issued_on=accepted,
    )
    return await issue_document(
        session,
        ctx,
        RegisteredKind.COMMITMENT_NOTICE,
        str(commitment_id),
        number,
        (notice.agency_code, notice.agency_name),
        document,
    )


async def letter_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    commitment = await reads.load_for_read(session, commitment_id)
    notice, name, id_number, deadlines, number, signed_on = await _parts(
        session, ctx, commitment_id, "letter"
    )
    entry = await CreditCommitmentRepository(session).get_for_commitment(commitment.id)
    document = letter_document(
        notice,
        deadlines,
        letter_affirmations(commitment.conditions_to_meet, commitment.meet_by),
        reference=f"编号：{number}",
        subject_name=name,
        subject_id=id_number,
        signed_by=commitment.signed_by,
        signed_on=f"{signed_on.year}年{signed_on.month}月{signed_on.day}日",
        conditions=tuple(commitment.conditions_to_meet),
        meet_by=commitment.meet_by,
        record=(entry.number, Disclosure(entry.disclosure).label_zh) if entry else None,
        issued_on=signed_on,
    )
    return await issue_document(
        session,
        ctx,
        RegisteredKind.COMMITMENT_LETTER,
        str(commitment.id),
        number,
        (notice.agency_code, notice.agency_name),
        document,
    )


COMMITMENT_STATE_ZH = {
    "accepted": "先行受理",
    "supplemented": "已补齐补正",
    "completed": "办结",
    "overdue": "逾期未补齐补正",
    "reminded": "已催告（责令限期整改）",
    "terminated": "终止办理",
    "withdrawn": "已撤回承诺书",
    "committed": "已签订告知承诺书",
    "decided": "已作出办理决定",
    "verifying": "核查中",
    "rectification_ordered": "责令限期整改",
    "fulfilled": "履行承诺",
    "revoked": "撤销办理结果",
}


async def commitment_state(
    session: AsyncSession, entity_id: str, ctx: Context
) -> DocumentStateRead:
    """The state now of the commitment a notice or letter is about, derived by date."""
    commitment = await CommitmentRepository(session).get(uuid.UUID(entity_id))
    if commitment is None:
        return DocumentStateRead(code="deleted", label="已删除", as_of=ctx.today)
    status = derived_status(commitment, ctx.today)
    return DocumentStateRead(
        code=status, label=COMMITMENT_STATE_ZH.get(status, status), as_of=ctx.today
    )


register_state(
    (RegisteredKind.COMMITMENT_NOTICE, RegisteredKind.COMMITMENT_LETTER), commitment_state
)
