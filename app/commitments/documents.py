"""The commitment's printable documents: same content as the JSON resource."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import explain_stored
from app.commitments import reads
from app.commitments.content import letter_affirmations, letter_document, notice_document
from app.commitments.repository import CommitmentRepository, CreditCommitmentRepository
from app.commitments.schemas import NoticeRead
from app.commitments.state import derived_status
from app.core.context import Context
from app.documents.pdf import Document, render_pdf
from app.documents.schemas import DocumentKind, DocumentStateRead
from app.documents.verification import Issue, issue_pdf, register_state
from app.lifecycle.deadlines import StoredDeadline
from app.rules.commitment_register import Disclosure
from app.subjects.repository import SubjectRepository


async def _parts(
    session: AsyncSession, ctx: Context, commitment_id: uuid.UUID, kind: str
) -> tuple[NoticeRead, str, str, list[StoredDeadline], str]:
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
    return (
        NoticeRead.model_validate(commitment.notice),
        subject.name,
        subject.id_number,
        await explain_stored(session, reads.deadlines_of(commitment)),
        f"编号：{commitment.id}",
    )


async def _issued(
    session: AsyncSession,
    ctx: Context,
    kind: DocumentKind,
    commitment_id: uuid.UUID,
    number: str,
    notice: NoticeRead,
    document: Document,
) -> bytes:
    """The document with its verification code (app.documents.verification)."""
    return await issue_pdf(
        session,
        ctx,
        Issue(
            kind,
            str(commitment_id),
            number,
            notice.agency_code,
            notice.agency_name,
            document.title,
            repr(document),
        ),
        lambda verification: render_pdf(replace(document, verification=verification)),
    )


async def notice_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    notice, name, id_number, deadlines, reference = await _parts(
        session, ctx, commitment_id, "notice"
    )
    document = notice_document(
        notice, deadlines, reference=reference, subject_name=name, subject_id=id_number
    )
    return await _issued(
        session,
        ctx,
        DocumentKind.COMMITMENT_NOTICE,
        commitment_id,
        str(commitment_id),
        notice,
        document,
    )


async def letter_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    commitment = await reads.load_for_read(session, commitment_id)
    notice, name, id_number, deadlines, reference = await _parts(
        session, ctx, commitment_id, "letter"
    )
    signed_on = commitment.signed_at.astimezone(ctx.settings.tz).date()
    entry = await CreditCommitmentRepository(session).get_for_commitment(commitment.id)
    document = letter_document(
        notice,
        deadlines,
        letter_affirmations(commitment.conditions_to_meet, commitment.meet_by),
        reference=reference,
        subject_name=name,
        subject_id=id_number,
        signed_by=commitment.signed_by,
        signed_on=f"{signed_on.year}年{signed_on.month}月{signed_on.day}日",
        conditions=tuple(commitment.conditions_to_meet),
        meet_by=commitment.meet_by,
        record=(entry.number, Disclosure(entry.disclosure).label_zh) if entry else None,
    )
    return await _issued(
        session,
        ctx,
        DocumentKind.COMMITMENT_LETTER,
        commitment.id,
        entry.number if entry else str(commitment.id),
        notice,
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


register_state((DocumentKind.COMMITMENT_NOTICE, DocumentKind.COMMITMENT_LETTER), commitment_state)
