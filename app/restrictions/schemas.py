from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.identifiers import SubjectType
from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.lifecycle.deadlines import StoredDeadline
from app.lifecycle.schemas import HistoryStep
from app.lifecycle.step_dates import Dated, LateEntry
from app.referrals.schemas import PROFILE_MARKS, ReferralMark
from app.restrictions.hearing_schemas import GROUNDS, CorrectionDutyRead, ReviewAmendments
from app.restrictions.period_schemas import DETERMINED_ON, OwnPeriod
from app.rules.hearing import ObjectionGround
from app.rules.restrictions import Situation
from app.subjects.schemas import SubjectIn, SubjectRead

# Facts, statements and reasons are kept in Text columns; references in JSON lists.
_Prose = Annotated[str, text(4000, multiline=True)]
_REFS: Any = Field(default_factory=list, max_length=50, description="Documents or evidence cited.")


class SourceChannel(StrEnum):
    """采集途径 (LZ §5(1)3): investigation 事实调查; platform_query 平台查询;
    supervision_push 审管互动平台推送; public_report 群众举报核查; other 其他."""

    investigation = "investigation"
    platform_query = "platform_query"
    supervision_push = "supervision_push"
    public_report = "public_report"
    other = "other"


SOURCE_CHANNEL_ZH = {
    SourceChannel.investigation: "事实调查",
    SourceChannel.platform_query: "平台查询",
    SourceChannel.supervision_push: "审管互动平台推送",
    SourceChannel.public_report: "群众举报核查",
    SourceChannel.other: "其他",
}


class RestrictionCreate(OwnPeriod):
    """信息采集 (LZ §5(1)3): a listing collected by the caller's department."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": {
                        "subject_type": "person",
                        "id_number": "11010519491231002X",
                        "name": "张三丰",
                        "address": "山东省淄博市临淄区桓公路1号",
                    },
                    "situation": "false_materials",
                    "source_channel": "investigation",
                    "facts": "申请个体工商户设立登记时提供虚假的经营场所使用证明",
                    "legal_basis": "临政管办发〔2022〕3号 五(一)2",
                    "legal_documents": ["临审批核〔2026〕12号"],
                    "occurred_on": "2026-03-02",
                    "period_months": 12,
                    "period_basis": "《某某行业信用管理办法》第十二条：失信管理期限为12个月",
                }
            ]
        },
    )

    subject: SubjectIn
    situation: Situation
    source_channel: SourceChannel
    facts: _Prose = Field(description="失信事实.")
    legal_basis: _Prose = Field(description="认定依据.")
    legal_documents: list[Reference] = _REFS
    occurred_on: dt.date | None = Field(default=None, description="失信行为发生日.")
    commitment_id: uuid.UUID | None = None


class NoticeMethod(StrEnum):
    """告知方式: in_person 现场告知; mail 邮寄送达."""

    in_person = "in_person"
    mail = "mail"


class StepCreate(Dated):
    """A step with no data of its own (take up, dismiss, verify, publish): its day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {},
                {"on": "2026-03-02", "late_entry_reason": "核实记录次日补录"},
            ]
        },
    )


class NoticeIssue(Dated):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"method": "mail"}]})

    method: NoticeMethod


class ReceiptCreate(LateEntry):
    """The day the subject received the notice: the objection window counts from it.
    Not before the notice's issue, not after today; entered after it, with the reason."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"received_on": "2026-03-04"}]}
    )

    received_on: dt.date


class ObjectionCreate(Dated):
    """陈述申辩 with statement and evidence (LZ §5(1)4), dated the day it was made (a
    mailed statement: its postmark), so one entered after the window is in time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "statement": "经营场所证明系出租方出具，本人不知情",
                    "evidence_refs": ["租赁合同"],
                },
                {
                    "statement": "经营场所证明系出租方出具，本人不知情",
                    "on": "2026-03-09",
                    "late_entry_reason": "邮寄送达，邮戳日期2026-03-09，次日收到",
                },
            ]
        },
    )

    statement: _Prose = Field(description="陈述申辩.")
    grounds: list[ObjectionGround] = GROUNDS
    evidence_refs: list[Reference] = _REFS


class ReviewOutcome(StrEnum):
    """复核结果: upheld 维持认定; overturned 撤销认定; amended 变更后认定."""

    upheld = "upheld"
    overturned = "overturned"
    amended = "amended"


class ReviewCreate(Dated):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"outcome": "upheld", "reasons": "申辩理由不成立"}]},
    )

    outcome: ReviewOutcome
    reasons: _Prose = Field(description="复核理由.")
    amendments: ReviewAmendments | None = Field(default=None, description="amended: 变更内容.")


class RectificationCreate(Dated):
    """整改 recorded with evidence."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"description": "已补交真实的经营场所证明", "evidence_refs": ["证明材料"]}]
        },
    )

    description: _Prose = Field(description="整改情况.")
    evidence_refs: list[Reference] = _REFS


class LiftingRequestCreate(Dated):
    """申请取消限制 after rectification (DZ art. 15 ¶2)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "已整改完毕", "evidence_refs": ["整改报告"]}]},
    )

    reason: _Prose = Field(description="申请理由.")
    evidence_refs: list[Reference] = _REFS


class LiftingOutcome(StrEnum):
    """lifted 取消限制; refused 不予取消."""

    lifted = "lifted"
    refused = "refused"


class LiftingDecisionCreate(Dated):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"outcome": "lifted", "reasons": "经核实整改属实"}]},
    )

    outcome: LiftingOutcome
    reasons: _Prose = Field(description="决定理由.")


class CorrectionKind(StrEnum):
    """fix 修改; remove 移除."""

    fix = "fix"
    remove = "remove"


class RestrictionChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: _Prose | None = None
    legal_basis: _Prose | None = None
    legal_documents: list[Reference] | None = Field(default=None, max_length=50)
    address: Annotated[str, text(500, min_length=0)] | None = None
    situation: Situation | None = None
    source_channel: SourceChannel | None = None


class CorrectionCreate(Dated):
    """更正 (field changes, before/after kept) or 移除, within 2 working days of discovery;
    the error is not discovered before the listing was collected, nor after the correction."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "remove",
                    "discovered_on": "2026-04-01",
                    "reason": "当事人身份信息被他人冒用，认定有误",
                }
            ]
        },
    )

    kind: CorrectionKind
    discovered_on: dt.date
    reason: _Prose = Field(description="更正或移除的理由.")
    changes: RestrictionChanges | None = None


class RestrictionDates(BaseModel):
    verified_on: dt.date | None = None
    notice_due: dt.date | None = None
    notice_issued_on: dt.date | None = None
    notice_late: bool | None = None
    notice_received_on: dt.date | None = None
    objection_due: dt.date | None = None
    review_due: dt.date | None = None
    confirmed_on: dt.date | None = None
    determined_on: dt.date | None = Field(default=None, description=DETERMINED_ON)
    published_on: dt.date | None = None
    period_ends_on: dt.date | None = Field(
        default=None, description="管理期限届满日, restarts included (LZ §5(1)5)."
    )
    rectified_on: dt.date | None = None
    repaired_on: dt.date | None = None
    lifted_on: dt.date | None = None
    withdrawn_on: dt.date | None = None


class ObjectionRead(BaseModel):
    id: UuidStr
    filed_on: dt.date
    statement: str
    evidence_refs: list[str]
    review_due: dt.date
    outcome: str | None
    reasons: str | None
    reviewed_on: dt.date | None
    grounds: list[ObjectionGround] = Field(default_factory=list)
    amendments: dict[str, Any] | None = Field(default=None, description="{field: before, after}.")


class LiftingRequestRead(BaseModel):
    id: UuidStr
    requested_on: dt.date
    reason: str
    evidence_refs: list[str]
    decision_due: dt.date
    outcome: str | None
    reasons: str | None
    decided_on: dt.date | None


class CorrectionRead(BaseModel):
    id: UuidStr
    kind: CorrectionKind
    discovered_on: dt.date
    due_on: dt.date
    corrected_on: dt.date
    late: bool
    reason: str
    changes: dict[str, Any]


class RestrictionRead(BaseModel):
    """A listing with its dates, derived by date at request time."""

    id: UuidStr
    status: str = Field(
        description="proposed, collected, verified, notified, under_review, confirmed, "
        "effective, repaired, lifted, withdrawn — as of today."
    )
    effective: bool = Field(description="Effective today (公布且在管理期内或未整改).")
    awaiting_rectification: bool
    restarted_by: list[str]
    situation: Situation
    source_channel: SourceChannel
    subject: SubjectRead
    address: str | None
    facts: str
    legal_basis: str
    legal_documents: list[str]
    collecting_department: str
    profile: str = Field(description="The profile it was made under: its regime's reach.")
    commitment_id: UuidStr | None
    occurred_on: dt.date | None
    dates: RestrictionDates
    deadlines: list[StoredDeadline]
    objections: list[ObjectionRead]
    lifting_requests: list[LiftingRequestRead]
    corrections: list[CorrectionRead]
    period_months: int | None = Field(default=None, description="另有规定的管理期限（月）.")
    period_basis: str | None = None
    correction_duties: list[CorrectionDutyRead] = Field(default_factory=list)
    referrals: list[ReferralMark] = Field(default_factory=list, description="移送标记.")
    history: list[HistoryStep]
    version: int


class RestrictionSummary(BaseModel):
    id: UuidStr
    status: str
    effective: bool
    situation: Situation
    subject: SubjectRead
    collecting_department: str
    published_on: dt.date | None
    period_ends_on: dt.date | None
    version: int


class PublicRestriction(BaseModel):
    """失信制约名单 as published: effective listings only, personal data masked."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "subject_type": "person",
                    "name": "张*丰",
                    "id_number": "1101**********002X",
                    "situation": "false_materials",
                    "situation_label": "隐瞒事实或提供虚假材料申请政务服务，尚不构成行政处罚",
                    "department": "临淄区行政审批服务局",
                    "published_on": "2026-03-10",
                    "period_ends_on": "2026-09-10",
                }
            ]
        }
    )

    subject_type: SubjectType
    name: str
    id_number: str
    situation: Situation
    situation_label: str
    department: str
    published_on: dt.date
    period_ends_on: dt.date | None


class ListingEffect(BaseModel):
    """One effective listing as seen in a credit profile; `detail` for the owner only."""

    id: UuidStr | None = Field(description="Shown to the collecting department only.")
    profile: str = Field(description="Made under (its regime's jurisdiction is its reach).")
    collecting_department: str
    situation: Situation
    published_on: dt.date
    period_ends_on: dt.date | None
    awaiting_rectification: bool
    facts: str | None = None


class CommitmentEntry(BaseModel):
    id: UuidStr | None
    matter_code: str
    mode: str
    status: str
    department: str


class CreditRecordRead(BaseModel):
    outcome: str
    recorded_on: dt.date
    matter_code: str | None
    department: str | None
    citation: str


class CreditProfileRead(BaseModel):
    """信用档案 of one subject as of today."""

    subject: SubjectRead
    as_of: dt.date
    restricted: bool
    restricted_until: dt.date | None = Field(
        description="Last restricted day when known; null while restricted until rectified."
    )
    awaiting_rectification: bool
    listings: list[ListingEffect]
    commitments: list[CommitmentEntry]
    credit_record: list[CreditRecordRead]
    referrals: list[ReferralMark] = Field(default_factory=list, description=PROFILE_MARKS)


class CreditProfileLookup(BaseModel):
    """查询信用档案: the subject's identifier travels in the body, never in the URL (so it
    stays out of gateway and proxy logs). `id_number`: 统一社会信用代码 or 居民身份证号码."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"subject_type": "organization", "id_number": "91350100M000100Y43"},
                {"subject_type": "person", "id_number": "11010519491231002X"},
            ]
        },
    )

    subject_type: SubjectType
    id_number: str = Field(min_length=1, max_length=40)


class PublicRestrictionSearch(BaseModel):
    """检索失信制约名单: the filters of the public list in the body. Every filter is
    optional; with none, the whole list pages."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"id_number": "11010519491231002X"},
                {"name": "德州市某某食品有限公司", "limit": 20},
            ]
        },
    )

    name: Annotated[str, text(200)] | None = Field(
        default=None, description="Exact name (名称或姓名)."
    )
    id_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="统一社会信用代码 or 居民身份证号码; spaces and case do not matter.",
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        default=None, max_length=512, description="`next_cursor` of the previous page."
    )


class RestrictionSearch(BaseModel):
    """检索本部门失信制约信息: the filters of ``GET /api/v1/restrictions`` in the body, so
    that a citizen ID number never reaches a URL (网关与代理日志不留存). Every filter is
    optional; with none, the department's listings page, proposals included."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"subject": "11010519491231002X"},
                {"status": "effective", "limit": 20},
            ]
        },
    )

    subject: str | None = Field(
        default=None,
        max_length=40,
        description="主体标识: 统一社会信用代码 or 居民身份证号码; spaces and case do not matter.",
    )
    status: Annotated[str, text(32)] | None = Field(
        default=None,
        description="Status on the day asked, as time derives it, recorded yet or not "
        "(e.g. `collected`, `effective`; `confirmed` from the day after a lapsed objection "
        "window, `repaired` once a rectified listing's period has ended).",
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        default=None, max_length=512, description="`next_cursor` of the previous page."
    )


class SupervisionTarget(BaseModel):
    """重点核查对象 (LZ §5(2)2): a subject with effective listings in the regulator's remit."""

    subject: SubjectRead
    restricted_until: dt.date | None
    awaiting_rectification: bool
    listings: list[ListingEffect]
