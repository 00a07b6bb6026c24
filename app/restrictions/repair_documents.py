"""政务服务失信制约整改告知书: after an unrectified period end, what remains to rectify
and how to prove it (LZ §5(1)5; app.rules.repair), on the notices' PDF machinery."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.numbers import DocumentKind
from app.documents.schemas import DocumentKind as RegisteredKind
from app.documents.verification import issue_document
from app.restrictions.document_content import Issuer, Party, repair_notice_document
from app.restrictions.documents import listing_number
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import RepairNoticeNotDue
from app.restrictions.state import listing_profile, listing_view, subject_listings
from app.rules.repair import REPAIR_DECISION, rectification_rule, repair_parameter
from app.rules.restrictions import Situation
from app.subjects.repository import SubjectRepository

_UNITS_ZH = {"working_days": "个工作日", "days": "日", "months": "个月"}


async def repair_notice_pdf(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID
) -> bytes:
    """The notice, once the period has ended unrectified (or once it was issued)."""
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    profile = listing_profile(restriction)
    view = listing_view(
        restriction, await subject_listings(session, restriction.subject_id), ctx.today, profile
    )
    rule = rectification_rule(profile, restriction.situation)
    issued = restriction.repair_notice_issued_on
    if view is None or view.period_ends_on is None or rule is None:
        raise RepairNoticeNotDue("The listing has no management period to end.")
    if issued is None and not view.awaiting_rectification:
        raise RepairNoticeNotDue("The period has not ended unrectified: no notice is due.")
    subject = await SubjectRepository(session).get(restriction.subject_id)
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    assert subject is not None and department is not None
    decision = repair_parameter(profile, REPAIR_DECISION)
    number = listing_number(restriction, DocumentKind.REPAIR_NOTICE, ctx)
    document = repair_notice_document(
        number=number,
        party=Party(subject.name, subject.id_number, restriction.address or subject.address or ""),
        issuer=Issuer(department.name, department.contact_phone or ""),
        facts=restriction.facts,
        situation_zh=Situation(restriction.situation).label_zh,
        legal_basis=restriction.legal_basis,
        published_on=restriction.published_on,
        period_ends_on=view.period_ends_on,
        remains_zh=rule.remains_zh,
        how_to_prove_zh=rule.how_to_prove_zh,
        decision_limit_zh=f"{decision.value}{_UNITS_ZH.get(str(decision.unit), '')}",
        issued_on=issued or ctx.today,
    )
    await record(
        session,
        ctx.principal,
        action="restriction.repair_notice_pdf",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )
    return await issue_document(
        session,
        ctx,
        RegisteredKind.REPAIR_NOTICE,
        str(restriction.id),
        number,
        (department.code, department.name),
        document,
    )
