"""政务服务失信制约整改告知书: after an unrectified period end, what remains to rectify
and how to prove it (LZ §5(1)5; app.rules.repair), on the notices' PDF machinery."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.pdf import Document, Section, render_pdf
from app.documents.schemas import DocumentKind
from app.documents.verification import Issue, issue_pdf
from app.restrictions.documents import CREDIT_REPAIR_WARNING
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import RepairNoticeNotDue
from app.restrictions.state import listing_profile, listing_view, subject_listings
from app.rules.citations import LZ_5_1_5_REPAIR
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
    limit = f"{decision.value}{_UNITS_ZH.get(str(decision.unit), '')}"
    situation = Situation(restriction.situation)
    published = restriction.published_on.isoformat() if restriction.published_on else ""
    facts = (
        f"你/你单位因{restriction.facts}（{situation.label_zh}），自{published}起被列入政务服务"
        f"失信制约名单，管理期限已于{view.period_ends_on.isoformat()}届满。经核查，原失信行为"
        "尚未整改，依据临淄区政务服务“失信制约”制度，名单继续有效，直至整改完成。"
    )
    apply = (
        f"你/你单位可随时通过政务服务平台或到{department.name}窗口提交整改证明材料。"
        f"我单位自收到之日起{limit}内作出认定；认定已整改的，当日完成信用修复，从失信制约名单中"
        "移除并屏蔽相关公示信息；认定未整改的，将书面说明理由，你/你单位可补充材料后再次提交。"
    )
    document = Document(
        title="政务服务失信制约整改告知书",
        reference=f"编号：{restriction.id}",
        fields=(
            ("当事人（公民、法人或其他组织）", subject.name),
            ("证件号码", subject.id_number),
            ("住所（注册地址）", restriction.address or subject.address or ""),
            ("认定依据", restriction.legal_basis),
            ("管理期限届满日", view.period_ends_on.isoformat()),
        ),
        sections=(
            Section("告知事项", paragraphs=(facts,)),
            Section("尚待整改的事项", paragraphs=(rule.remains_zh,)),
            Section("如何证明已整改", paragraphs=(rule.how_to_prove_zh,)),
            Section("提交方式与认定期限", paragraphs=(apply, CREDIT_REPAIR_WARNING)),
        ),
        signatures=(
            f"认定部门（盖章）：{department.name}",
            f"联系电话：{department.contact_phone or ''}",
        ),
        footer=(f"{LZ_5_1_5_REPAIR.label}：{LZ_5_1_5_REPAIR.text_zh}",),
        dated=issued or ctx.today,
    )
    await record(
        session,
        ctx.principal,
        action="restriction.repair_notice_pdf",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )
    return await issue_pdf(
        session,
        ctx,
        Issue(
            DocumentKind.REPAIR_NOTICE,
            str(restriction.id),
            str(restriction.id),
            department.code,
            department.name,
            document.title,
            repr(document),
        ),
        lambda verification: render_pdf(replace(document, verification=verification)),
    )
