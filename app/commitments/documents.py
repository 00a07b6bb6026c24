"""The commitment's printable documents: same content as the JSON resource."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.commitments import reads
from app.commitments.content import letter_affirmations, letter_document, notice_document
from app.commitments.repository import CreditCommitmentRepository
from app.commitments.schemas import NoticeRead
from app.core.context import Context
from app.documents.fonts import document_font
from app.documents.numbers import DocumentKind, document_number
from app.documents.pdf import render_pdf
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
        reads.deadlines_of(commitment),
        f"编号：{number}",
        accepted,
    )


async def notice_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    notice, name, id_number, deadlines, reference, accepted = await _parts(
        session, ctx, commitment_id, "notice"
    )
    document = notice_document(
        notice,
        deadlines,
        reference=reference,
        subject_name=name,
        subject_id=id_number,
        issued_on=accepted,
    )
    return render_pdf(document, document_font(ctx.settings.report_font).name)


async def letter_pdf(session: AsyncSession, ctx: Context, commitment_id: uuid.UUID) -> bytes:
    commitment = await reads.load_for_read(session, commitment_id)
    notice, name, id_number, deadlines, reference, signed_on = await _parts(
        session, ctx, commitment_id, "letter"
    )
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
        issued_on=signed_on,
    )
    return render_pdf(document, document_font(ctx.settings.report_font).name)
