"""The two documents of credit repair on application, A4 with the CJK font embedded
(app.statistics.report.report_font): the 信用承诺书 the subject signs, and the
信用修复决定书 — decision, reasons, legal basis, date, issuing department, and for a
refusal the remedy."""

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
from app.restrictions.credit_repair import load_application
from app.restrictions.credit_repair_schemas import CreditRepairOutcome
from app.restrictions.models import Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import CreditRepairNotAvailable, RepairApplicationPending
from app.restrictions.state import listing_profile
from app.rules.citations import Citation
from app.rules.credit_repair import REFUSAL_REMEDY_ZH, on_application
from app.rules.national_citations import (
    GB_2025_22_2_MINOR,
    NDRC_36_2_RIGHT,
    NDRC_36_3_PUBLICATION,
    NDRC_36_3_REPAIR,
    NDRC_36_3_SHARING,
)
from app.rules.restrictions import Situation
from app.statistics.report import report_font
from app.subjects.repository import SubjectRepository


def _basis(*citations: Citation) -> tuple[str, ...]:
    return tuple(f"{c.label}：{c.text_zh}" for c in citations)


async def _parties(session: AsyncSession, restriction: Restriction) -> tuple[str, str, str, str]:
    subject = await SubjectRepository(session).get(restriction.subject_id)
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    assert subject is not None and department is not None
    return subject.name, subject.id_number, department.name, department.contact_phone or ""


async def _issued(
    session: AsyncSession,
    ctx: Context,
    kind: DocumentKind,
    restriction: Restriction,
    number: str,
    department: str,
    document: Document,
) -> bytes:
    """The document with its verification code (app.documents.verification)."""
    font = report_font(ctx.settings.report_font)
    return await issue_pdf(
        session,
        ctx,
        Issue(
            kind,
            str(restriction.id),
            number,
            restriction.collecting_department,
            department,
            document.title,
            repr(document),
        ),
        lambda verification: render_pdf(replace(document, verification=verification), font),
    )


async def _audit(
    session: AsyncSession, ctx: Context, restriction: Restriction, action: str
) -> None:
    await record(
        session,
        ctx.principal,
        action=f"restriction.{action}",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )


async def commitment_letter_pdf(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID
) -> bytes:
    """信用承诺书 for the listing, to sign and file with the application."""
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    if not on_application(listing_profile(restriction)).applies:
        raise CreditRepairNotAvailable("The listing's profile has no credit repair on application.")
    name, id_number, department, _phone = await _parties(session, restriction)
    situation = Situation(restriction.situation)
    published = restriction.published_on.isoformat() if restriction.published_on else ""
    document = Document(
        title="信用承诺书",
        reference=f"（信用修复申请用）名单编号：{restriction.id}",
        fields=(
            ("承诺人", name),
            ("证件号码", id_number),
            ("失信行为", f"{restriction.facts}（{situation.label_zh}）"),
            ("认定部门", department),
            ("列入日期", published),
        ),
        sections=(
            Section(
                "承诺事项",
                paragraphs=(
                    f"本人（本单位）因上述失信行为被{department}列入政务服务失信制约名单，"
                    "现申请信用修复，郑重承诺：",
                ),
                bullets=(
                    "已纠正上述失信行为，法定责任义务已履行完毕；",
                    "申请信用修复所提交的全部材料真实、合法、有效；",
                    "今后申请政务服务提交的身份信息和材料真实，不再发生同类失信行为；",
                    "如违反本承诺，自愿接受撤销信用修复决定、重新列入名单等处理，并依法承担相应责任；",
                    "同意本承诺书按规定记录并公示。",
                ),
            ),
        ),
        signatures=("承诺人（签字或盖章）", "签署日期"),
        footer=_basis(NDRC_36_2_RIGHT, GB_2025_22_2_MINOR),
        dated=ctx.today,
    )
    await _audit(session, ctx, restriction, "credit_commitment_pdf")
    return await _issued(
        session,
        ctx,
        DocumentKind.CREDIT_REPAIR_COMMITMENT,
        restriction,
        str(restriction.id),
        department,
        document,
    )


async def decision_letter_pdf(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID, application_id: uuid.UUID
) -> bytes:
    """信用修复决定书 of a decided application."""
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    application = await load_application(session, restriction, application_id)
    if application.outcome is None or application.decided_on is None:
        raise RepairApplicationPending("The application is not decided yet.")
    name, id_number, department, phone = await _parties(session, restriction)
    granted = CreditRepairOutcome(application.outcome) is CreditRepairOutcome.granted
    day = application.decided_on.isoformat()
    if granted:
        decision = (
            f"予以信用修复。自{day}起，终止公示该失信信息，停止共享和使用该失信信息，"
            "同步解除相关失信惩戒措施（政务服务失信制约），并已推送信用信息平台。"
        )
    else:
        decision = "不予信用修复。该失信信息继续有效，相关失信惩戒措施继续执行。"
    sections = [
        Section("决定", paragraphs=(decision,)),
        Section("理由", paragraphs=(application.reasons or "",)),
        Section(
            "依据",
            paragraphs=_basis(
                NDRC_36_3_REPAIR, NDRC_36_3_PUBLICATION, NDRC_36_3_SHARING, GB_2025_22_2_MINOR
            ),
        ),
    ]
    if not granted:
        sections.append(Section("救济途径", paragraphs=(REFUSAL_REMEDY_ZH,)))
    accepted = application.accepted_on.isoformat() if application.accepted_on else ""
    document = Document(
        title="信用修复决定书",
        reference=f"编号：{application.id}",
        fields=(
            ("申请人", name),
            ("证件号码", id_number),
            ("失信行为", restriction.facts),
            ("申请日期", application.filed_on.isoformat()),
            ("受理日期", accepted),
            ("决定日期", day),
        ),
        sections=tuple(sections),
        signatures=(f"作出决定部门（盖章）：{department}", f"联系电话：{phone}"),
        dated=application.decided_on,
    )
    await _audit(session, ctx, restriction, "credit_repair_decision_pdf")
    return await _issued(
        session,
        ctx,
        DocumentKind.CREDIT_REPAIR_DECISION,
        restriction,
        str(application.id),
        department,
        document,
    )
