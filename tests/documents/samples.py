"""Every kind of printed document, built from fixed values through the pure content
builders (no HTTP, no clock), for the reference renderings and the font checks."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from app.catalog.schemas import MatterModes
from app.commitments.content import (
    letter_affirmations,
    letter_document,
    notice_document,
    notice_snapshot,
)
from app.commitments.schemas import NoticeRead
from app.documents.numbers import DocumentKind, document_number
from app.documents.pdf import Document, render_pdf
from app.lifecycle.deadlines import StoredDeadline
from app.restrictions.document_content import (
    Issuer,
    Party,
    RepairDecision,
    credit_commitment_document,
    credit_decision_document,
    listing_notice_document,
    objection_line,
    repair_notice_document,
)
from app.restrictions.notice_route import repair_route
from app.rules.profiles import PROFILES, Mode
from app.rules.restrictions import Situation
from app.statistics.report import render_report
from app.statistics.schemas import StatisticsRead

AGENCY = "371400-XZSP"
AGENCY_NAME = "德州市行政审批服务局"
ORG = Party("德州市某某餐饮管理有限公司", "91371400MA3C000000", "山东省德州市德城区东风中路100号")
ISSUER = Issuer(AGENCY_NAME, "0534-2688000")
LISTING_ID = uuid.UUID("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b")
COMMITMENT_ID = uuid.UUID("0b7e3c1d-9a2f-4c6b-8d5e-7f1a2b3c4d5e")
APPLICATION_ID = uuid.UUID("c4d5e6f7-1a2b-4c3d-9e8f-0a1b2c3d4e5f")
FALSE_MATERIALS = "申请食品经营许可时提供虚假的经营场所证明"
LEGAL_BASIS = (
    "LZ §5(1)2：隐瞒事实或提供虚假材料申请政务服务被核实尚不构成行政处罚的，列入失信制约名单。"
)
MODES = MatterModes.model_validate(
    {
        "tolerance": {
            "tolerable_missing_materials": ["食品安全管理制度文本", "主要设备设施布局图"],
            "supplement_deadline": {"amount": 10, "unit": "working_days"},
            "submission_method": "德州市政务服务中心窗口或山东政务服务网在线提交",
        },
        "notify_commit": {
            "conditions": "具有与经营的食品品种、数量相适应的经营场所",
            "material_requirements": ["食品经营许可申请书", "营业执照复印件"],
            "completion_limit": {"amount": 0, "unit": "working_days"},
            "exempt_from_verification": False,
            "in_process_supervision": True,
            "verification_limit": {"amount": 20, "unit": "working_days"},
            "verification_methods": ["online", "onsite"],
        },
    }
)


def _notice(mode: Mode) -> NoticeRead:
    return notice_snapshot(
        mode=mode,
        matter_code="SPJ-FOOD-001",
        matter_name="食品经营许可（新办）",
        matter_version=2,
        agency_code=AGENCY,
        agency_name=AGENCY_NAME,
        modes=MODES,
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        legal_liability="作出不实承诺的，依法撤销办理结果，列入失信制约名单，并承担法律责任。",
        verification_power="行政审批部门有权对申请人承诺内容进行核查。",
        other_notice=None,
        missing_materials=["食品安全管理制度文本", "主要设备设施布局图"],
    )


# Fixed deadlines as a commitment stores them (the values are inputs here, not counted).
SUPPLEMENT_DUE = StoredDeadline(
    name="supplement_due",
    date=date(2026, 10, 20),
    provisional=False,
    unit="working_days",
    amount=10,
    start=date(2026, 9, 30),
    citation="民法典 art. 201; 行政许可法 art. 82",
)
DECISION_DUE = StoredDeadline(
    name="decision_due",
    date=date(2027, 1, 15),
    provisional=True,
    unit="working_days",
    amount=20,
    start=date(2026, 12, 17),
    citation="民法典 art. 201; 行政许可法 art. 82; 民法典 art. 203",
)
ACCEPTED = date(2026, 9, 30)


def one_time_notice() -> Document:
    return notice_document(
        _notice(Mode.TOLERANCE),
        [SUPPLEMENT_DUE],
        reference="编号："
        + document_number(DocumentKind.NOTICE, AGENCY, ACCEPTED.year, COMMITMENT_ID),
        subject_name=ORG.name,
        subject_id=ORG.id_number,
        issued_on=ACCEPTED,
    )


def commitment_letter() -> Document:
    notice = _notice(Mode.TOLERANCE)
    return letter_document(
        notice,
        [SUPPLEMENT_DUE],
        letter_affirmations([], None),
        reference="编号："
        + document_number(DocumentKind.COMMITMENT_LETTER, AGENCY, ACCEPTED.year, COMMITMENT_ID),
        subject_name=ORG.name,
        subject_id=ORG.id_number,
        signed_by="王某某（法定代表人）",
        signed_on="2026年9月30日",
        record=("XYCN-371400-2026-000123", "公开"),
        issued_on=ACCEPTED,
    )


def notify_commit_letter() -> Document:
    notice = _notice(Mode.NOTIFY_COMMIT)
    conditions = ["配备专职食品安全管理人员"]
    return letter_document(
        notice,
        [DECISION_DUE],
        letter_affirmations(conditions, date(2027, 1, 8)),
        reference="编号："
        + document_number(DocumentKind.COMMITMENT_LETTER, AGENCY, 2026, COMMITMENT_ID),
        subject_name=ORG.name,
        subject_id=ORG.id_number,
        signed_by="王某某（法定代表人）",
        signed_on="2026年12月17日",
        conditions=tuple(conditions),
        meet_by=date(2027, 1, 8),
        issued_on=date(2026, 12, 17),
    )


def _listing_number(kind: DocumentKind) -> str:
    return document_number(kind, AGENCY, 2026, LISTING_ID)


def listing_notice() -> Document:
    # Received 2026-03-03 (a Tuesday): three working days end on Friday 2026-03-06.
    return listing_notice_document(
        number=_listing_number(DocumentKind.LISTING_NOTICE),
        party=ORG,
        issuer=ISSUER,
        facts=FALSE_MATERIALS,
        situation_zh=Situation.FALSE_MATERIALS.label_zh,
        channel_zh="事实调查",
        legal_basis=LEGAL_BASIS,
        repair_route=repair_route(
            PROFILES["national-2026"], Situation.FALSE_MATERIALS, AGENCY_NAME, ISSUER.phone
        ),
        objection=objection_line(date(2026, 3, 6), False, "民法典 art. 201; 行政许可法 art. 82"),
        determined_on=None,
        issued_on=date(2026, 3, 3),
    )


def repair_notice() -> Document:
    return repair_notice_document(
        number=_listing_number(DocumentKind.REPAIR_NOTICE),
        party=ORG,
        issuer=ISSUER,
        facts=FALSE_MATERIALS,
        situation_zh=Situation.FALSE_MATERIALS.label_zh,
        legal_basis=LEGAL_BASIS,
        published_on=date(2026, 3, 31),
        period_ends_on=date(2026, 9, 30),
        remains_zh="提交已撤回或更正虚假材料所涉申请的证明。",
        how_to_prove_zh="原申请已撤回、或以真实材料重新申请的受理凭证。",
        decision_limit_zh="5个工作日",
        issued_on=date(2026, 10, 9),
    )


def credit_commitment() -> Document:
    return credit_commitment_document(
        number=_listing_number(DocumentKind.CREDIT_COMMITMENT),
        party=ORG,
        department=AGENCY_NAME,
        facts=FALSE_MATERIALS,
        situation_zh=Situation.FALSE_MATERIALS.label_zh,
        published_on=date(2026, 4, 1),
        today=date(2026, 6, 15),
    )


def _decision(granted: bool) -> Document:
    return credit_decision_document(
        number=document_number(DocumentKind.CREDIT_REPAIR_DECISION, AGENCY, 2026, APPLICATION_ID),
        party=ORG,
        issuer=ISSUER,
        facts=FALSE_MATERIALS,
        decision=RepairDecision(
            granted=granted,
            reasons=(
                "申请人已撤回原申请并以真实材料重新申请，已履行相关义务。"
                if granted
                else "提交的证明材料不能证明原申请已撤回。"
            ),
            filed_on=date(2026, 6, 15),
            accepted_on=date(2026, 6, 16),
            decided_on=date(2026, 6, 22),
        ),
    )


def repair_granted() -> Document:
    return _decision(True)


def repair_refused() -> Document:
    return _decision(False)


STATISTICS = StatisticsRead.model_validate(
    {
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "time_zone": "Asia/Shanghai",
        "departments": [
            {
                "department": AGENCY,
                "name": AGENCY_NAME,
                "credit_checks": {"passed": 120, "failed": 6, "not_performed": 2},
                "facilitations": {"tolerance": 41, "notify_commit": 57},
                "commitments": {"fulfilled": 80, "terminated": 4, "revoked": 2, "withdrawn": 3},
                "verifications": {"onsite": {"conforming": 30, "nonconforming": 2}},
                "listings": {"by_state": {"effective": 3, "repaired": 1}},
                "timeliness": [
                    {
                        "measure": "notices",
                        "label": "告知书逾期发出",
                        "due": 6,
                        "late": 1,
                        "late_share": 0.1667,
                        "median_working_days": 2.0,
                    },
                    {
                        "measure": "reviews",
                        "label": "复核逾期作出",
                        "due": 2,
                        "late": 0,
                        "late_share": 0.0,
                        "median_working_days": 9.5,
                    },
                    {
                        "measure": "decisions",
                        "label": "超过承诺办结时限",
                        "due": 57,
                        "late": 3,
                        "late_share": 0.0526,
                        "median_working_days": 4.0,
                    },
                ],
            }
        ],
    }
)


def statistics_report() -> bytes:
    return render_report(STATISTICS, 2026)


DOCUMENTS: dict[str, Callable[[], Document]] = {
    "one_time_notice": one_time_notice,
    "commitment_letter": commitment_letter,
    "notify_commit_letter": notify_commit_letter,
    "listing_notice": listing_notice,
    "repair_notice": repair_notice,
    "credit_commitment": credit_commitment,
    "repair_granted": repair_granted,
    "repair_refused": repair_refused,
}


def render(kind: str) -> bytes:
    """The PDF of one kind: a document of :data:`DOCUMENTS`, or the statistics report."""
    if kind == "statistics_report":
        return statistics_report()
    return render_pdf(DOCUMENTS[kind]())


KINDS: tuple[str, ...] = (*DOCUMENTS, "statistics_report")
