"""政务服务失信制约认定告知书: the listing notice of the Linzi scheme's annex."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import load_explainer
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.numbers import DocumentKind, document_number
from app.documents.schemas import DocumentKind as RegisteredKind
from app.documents.schemas import DocumentStateRead
from app.documents.verification import issue_document, register_state
from app.lifecycle.deadlines import StoredDeadline, due_date
from app.restrictions import reads
from app.restrictions.document_content import (
    Issuer,
    Party,
    listing_notice_document,
    objection_line,
)
from app.restrictions.models import Restriction
from app.restrictions.notice_route import FREE_OF_CHARGE_ZH, repair_route
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import SOURCE_CHANNEL_ZH, SourceChannel
from app.restrictions.state import derived_status, listing_profile, listing_view, subject_listings
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
        entry = StoredDeadline.model_validate(restriction.deadlines["objection_due"])
        explainer = await load_explainer(session)
        objection = replace(
            objection_line(objection_due, entry.provisional, entry.citation),
            explanation=explainer.line(entry),
        )
    number = listing_number(restriction, DocumentKind.LISTING_NOTICE, ctx)
    document = listing_notice_document(
        number=number,
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
    return await issue_document(
        session,
        ctx,
        RegisteredKind.LISTING_NOTICE,
        str(restriction.id),
        number,
        (department.code, department.name),
        document,
    )


LISTING_STATE_ZH = {
    "proposed": "拟列入（待受理）",
    "collected": "信息采集",
    "verified": "信息核实",
    "notified": "已告知",
    "under_review": "陈述申辩复核中",
    "confirmed": "确定列入",
    "effective": "已公布（管理期内）",
    "repaired": "已信用修复",
    "lifted": "已取消限制",
    "withdrawn": "已撤销（移除）",
}


async def listing_state(session: AsyncSession, entity_id: str, ctx: Context) -> DocumentStateRead:
    """The state now of the listing a document is about, derived by date."""
    restriction = await RestrictionRepository(session).get(uuid.UUID(entity_id))
    if restriction is None:
        return DocumentStateRead(code="deleted", label="已删除", as_of=ctx.today)
    view = listing_view(
        restriction,
        await subject_listings(session, restriction.subject_id),
        ctx.today,
        listing_profile(restriction),
    )
    status = derived_status(restriction, ctx.today, view)
    return DocumentStateRead(
        code=status, label=LISTING_STATE_ZH.get(status, status), as_of=ctx.today
    )


register_state(
    (
        RegisteredKind.LISTING_NOTICE,
        RegisteredKind.REPAIR_NOTICE,
        RegisteredKind.CREDIT_REPAIR_COMMITMENT,
        RegisteredKind.CREDIT_REPAIR_DECISION,
    ),
    listing_state,
)
