"""政务服务失信制约认定告知书: the listing notice of the Linzi scheme's annex."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.fonts import document_font
from app.documents.numbers import DocumentKind, document_number
from app.documents.pdf import render_pdf
from app.lifecycle.deadlines import due_date
from app.restrictions import reads
from app.restrictions.document_content import (
    Issuer,
    Party,
    listing_notice_document,
    objection_line,
)
from app.restrictions.models import Restriction
from app.restrictions.notice_route import FREE_OF_CHARGE_ZH, repair_route
from app.restrictions.schemas import SOURCE_CHANNEL_ZH, SourceChannel
from app.restrictions.state import listing_profile
from app.rules.restrictions import Situation
from app.subjects.repository import SubjectRepository

CREDIT_REPAIR_WARNING = FREE_OF_CHARGE_ZH  # the name other modules and tests know


def listing_number(restriction: Restriction, kind: DocumentKind, ctx: Context) -> str:
    """The readable number of a listing's document: its department, the year it was
    recorded and its id (app.documents.numbers)."""
    year = restriction.created_at.astimezone(ctx.settings.tz).year
    return document_number(kind, restriction.collecting_department, year, restriction.id)


async def notice_pdf(session: AsyncSession, ctx: Context, restriction_id: uuid.UUID) -> bytes:
    restriction = await reads.load_for_notice(session, ctx, restriction_id)
    subject = await SubjectRepository(session).get(restriction.subject_id)
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    assert subject is not None and department is not None
    objection_due = due_date(restriction.deadlines, "objection_due")
    objection = None
    if objection_due is not None:
        entry = restriction.deadlines["objection_due"]
        objection = objection_line(objection_due, entry["provisional"], entry["citation"])
    document = listing_notice_document(
        number=listing_number(restriction, DocumentKind.LISTING_NOTICE, ctx),
        party=Party(subject.name, subject.id_number, restriction.address or subject.address or ""),
        issuer=Issuer(department.name, department.contact_phone or ""),
        facts=restriction.facts,
        situation_zh=Situation(restriction.situation).label_zh,
        channel_zh=SOURCE_CHANNEL_ZH[SourceChannel(restriction.source_channel)],
        legal_basis=restriction.legal_basis,
        # 两书同达: the repair route travels with the notice that lists.
        repair_route=repair_route(
            listing_profile(restriction),
            restriction.situation,
            department.name,
            department.contact_phone,
        ),
        objection=objection,
        determined_on=reads.determined_on(restriction, ctx.today),
        issued_on=restriction.notice_issued_on or ctx.today,
    )
    await record(
        session,
        ctx.principal,
        action="restriction.notice_pdf",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )
    return render_pdf(document, document_font(ctx.settings.report_font).name)
