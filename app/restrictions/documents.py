"""政务服务失信制约认定告知书: the listing notice of the Linzi scheme's annex."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import load_explainer
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.pdf import DeadlineLine, Document, Section, render_pdf
from app.documents.schemas import DocumentKind, DocumentStateRead
from app.documents.verification import Issue, issue_pdf, register_state
from app.lifecycle.deadlines import StoredDeadline, due_date
from app.restrictions import reads
from app.restrictions.notice_route import FREE_OF_CHARGE_ZH, repair_route
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import SOURCE_CHANNEL_ZH, SourceChannel
from app.restrictions.state import derived_status, listing_profile, listing_view, subject_listings
from app.rules.citations import LZ_5_1_4_OBJECTION
from app.rules.restrictions import Situation
from app.subjects.repository import SubjectRepository

CREDIT_REPAIR_WARNING = FREE_OF_CHARGE_ZH  # the name other modules and tests know


async def notice_pdf(session: AsyncSession, ctx: Context, restriction_id: uuid.UUID) -> bytes:
    restriction = await reads.load_for_notice(session, ctx, restriction_id)
    subject = await SubjectRepository(session).get(restriction.subject_id)
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    assert subject is not None and department is not None
    channel = SOURCE_CHANNEL_ZH[SourceChannel(restriction.source_channel)]
    situation = Situation(restriction.situation)
    objection_due = due_date(restriction.deadlines, "objection_due")
    deadlines: tuple[DeadlineLine, ...] = ()
    if objection_due is not None:
        entry = StoredDeadline.model_validate(restriction.deadlines["objection_due"])
        explainer = await load_explainer(session)
        deadlines = (
            DeadlineLine(
                "提出陈述和申辩的期限",
                objection_due,
                entry.provisional,
                entry.citation,
                explainer.line(entry),
            ),
        )
    intro = (
        f"{department.name}（窗口）通过{channel}途径，发现你/你单位存在{restriction.facts}"
        f"（{situation.label_zh}）行为，依据市区政务服务“失信制约”制度有关规定，"
        "现拟将被告知单位（人）列入政务服务部门失信制约名单。"
    )
    right = (
        "现以书面形式告知，如有异议，可在接到本告知书之日起3个工作日内提出陈述和申辩；"
        "逾期未提出陈述或者申辩，视为放弃陈述和申辩的权利。"
    )
    if objection_due is not None:
        right += (
            f"依本告知书的签收日期计算，提出陈述和申辩的最后一日为{objection_due.isoformat()}。"
        )
    fields = [
        ("当事人（公民、法人或其他组织）", subject.name),
        ("证件号码", subject.id_number),
        ("住所（注册地址）", restriction.address or subject.address or ""),
        ("认定依据", restriction.legal_basis),
    ]
    # 认定日期 (LZ §5(1)3) once the listing is determined: a notice printed before then
    # announces an intended listing (拟将…列入) and has none.
    determined = reads.determined_on(restriction, ctx.today)
    if determined is not None:
        fields.append(("认定日期", determined.isoformat()))
    document = Document(
        title="政务服务失信制约认定告知书",
        reference=f"编号：{restriction.id}",
        fields=tuple(fields),
        sections=(
            Section("告知事项", paragraphs=(intro,)),
            Section("陈述和申辩的权利", paragraphs=(right,)),
            # 两书同达: the repair route travels with the notice that lists.
            Section(
                "信用修复途径",
                paragraphs=repair_route(
                    listing_profile(restriction),
                    restriction.situation,
                    department.name,
                    department.contact_phone,
                ),
            ),
        ),
        deadlines=deadlines,
        signatures=(
            f"认定部门（盖章）：{department.name}",
            f"联系电话：{department.contact_phone or ''}",
        ),
        footer=(f"{LZ_5_1_4_OBJECTION.label}：{LZ_5_1_4_OBJECTION.text_zh}",),
        dated=restriction.notice_issued_on or ctx.today,
    )
    await record(
        session,
        ctx.principal,
        action="restriction.notice_pdf",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )
    return await issue_pdf(
        session,
        ctx,
        Issue(
            DocumentKind.LISTING_NOTICE,
            str(restriction.id),
            str(restriction.id),
            department.code,
            department.name,
            document.title,
            repr(document),
        ),
        lambda verification: render_pdf(replace(document, verification=verification)),
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
        DocumentKind.LISTING_NOTICE,
        DocumentKind.REPAIR_NOTICE,
        DocumentKind.CREDIT_REPAIR_COMMITMENT,
        DocumentKind.CREDIT_REPAIR_DECISION,
    ),
    listing_state,
)
