from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.schemas import PeriodSpec, VerificationMethod
from app.commitments.register_schemas import CommitmentRecordRead
from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.lifecycle.deadlines import StoredDeadline
from app.lifecycle.schemas import HistoryStep
from app.lifecycle.step_dates import Dated, LateEntry
from app.referrals.schemas import ReferralMark
from app.rules.commitment_register import Disclosure
from app.rules.commitments import ServiceMethod, TerminationGround, WithdrawalReason
from app.rules.profiles import Mode
from app.subjects.schemas import SubjectRead
from app.supervision.schemas import CommitmentSupervision

# Reasons and notes go to the withdrawal column (Text) and the history's details (JSON).
Reason = Annotated[str, text(2000, multiline=True)]
_Note = Annotated[str, text(2000, min_length=0, multiline=True)]


class Affirmations(BaseModel):
    """承诺内容 (DZ art. 9 ¶1): the applicant affirms each, explicitly."""

    model_config = ConfigDict(extra="forbid")

    knows_notice: bool | None = Field(default=None, description="已知晓告知内容")
    meets_conditions: bool | None = Field(default=None, description="已符合相关条件")
    materials_true: bool | None = Field(default=None, description="提供的材料真实有效")
    true_intention: bool | None = Field(default=None, description="承诺内容是真实意思表示")
    accepts_liability: bool | None = Field(
        default=None, description="愿意承担不实承诺和未履行承诺的法律责任"
    )


_ALL_TRUE: dict[str, Any] = dict.fromkeys(Affirmations.model_fields, True)


class CommitmentCreate(BaseModel):
    """Sign a commitment (签订承诺书) from a passed, still-valid credit check."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "credit_check_id": "0b6f1d3e-6a0c-4d8e-9a53-2f1c1e2b9d41",
                    "mode": "tolerance",
                    "missing_materials": ["食品安全管理制度文本"],
                    "affirmations": _ALL_TRUE,
                    "signed_by": "张三（法定代表人）",
                    "signed_at": "2026-09-30T10:00:00+08:00",
                },
                {
                    "credit_check_id": "0b6f1d3e-6a0c-4d8e-9a53-2f1c1e2b9d41",
                    "mode": "notify_commit",
                    "conditions_to_meet": ["具有与经营的食品品种、数量相适应的经营场所"],
                    "meet_by": "2026-10-20",
                    "affirmations": _ALL_TRUE,
                    "signed_by": "张三（法定代表人）",
                    "signed_at": "2026-09-30T10:00:00+08:00",
                },
            ]
        },
    )

    credit_check_id: uuid.UUID
    mode: Mode
    missing_materials: list[Reference] = Field(
        default_factory=list, max_length=50, description="容缺材料 (tolerance only)."
    )
    conditions_to_meet: list[Reference] = Field(
        default_factory=list,
        max_length=20,
        description="承诺达到的办理条件 (告知承诺 only, DZ art. 7 ¶3 暂未完全具备办理条件): each "
        "one of the matter's conditions (its 办理条件 split at `；`), met by `meet_by`. The "
        "affirmation `meets_conditions` (已符合相关条件) then excludes them.",
    )
    meet_by: date | None = Field(
        default=None,
        description="达到承诺条件的日期 (DZ art. 9 ¶2): after the day of signing, not after the "
        "matter's verification period counted from the end of its completion limit. The "
        "verification checks the conditions from this day on.",
    )
    affirmations: Affirmations
    signed_by: Annotated[str, text(200)] = Field(description="签署人.")
    signed_at: datetime
    disclosure: Disclosure | None = Field(
        default=None,
        description="公开范围, set by the accepting unit and stated on the letter: public "
        "可向社会公开, restricted 特定范围公开, undisclosed 不公开. Omitted: public for an "
        "organisation, restricted for a natural person.",
    )


class SupplementCreate(Dated):
    """补齐补正: materials received; a non-compliant supplement leaves the case open."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"compliant": True, "materials": ["食品安全管理制度文本"], "note": None},
                {
                    "compliant": True,
                    "materials": ["食品安全管理制度文本"],
                    "on": "2026-10-20",
                    "late_entry_reason": "邮寄补正，邮戳日期在期限内，次日收到",
                },
            ]
        },
    )

    compliant: bool
    materials: list[Reference] = Field(min_length=1, max_length=50)
    note: _Note | None = None


class NoteCreate(Dated):
    """A step that needs no more than an optional note (decision, rectification)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "当场办结"}]}
    )

    note: _Note | None = None


class OrderService(BaseModel):
    """送达: how a reminder or an order to rectify reached the applicant. Its period counts
    from its service: in person, the day it is given; by post or electronically, the
    day of receipt (`received_on`, or recorded later at `…/order-receipt`)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"method": "in_person"},
                {"method": "post"},
                {"method": "electronic", "received_on": "2026-10-21"},
            ]
        },
    )

    method: ServiceMethod = Field(
        default=ServiceMethod.IN_PERSON,
        description="in_person 当面送达 (served that day); post 邮寄送达; electronic 电子送达 "
        "(served the day of receipt).",
    )
    received_on: date | None = Field(
        default=None,
        description="签收日 (post or electronic only): not before the order, not after today. "
        "Omitted: no period runs until it is recorded.",
    )


class ReminderCreate(Dated):
    """催告 / 责令限期整改 on an overdue tolerance case (DZ art. 13 ¶1).

    `period` is the agency's deadline where the profile leaves it to the agency; otherwise
    the profile's (LZ: 3 working days) applies. It counts from the reminder's service.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"period": {"amount": 5, "unit": "working_days"}},
                {"service": {"method": "post"}, "note": "挂号信寄出"},
            ]
        },
    )

    period: PeriodSpec | None = None
    service: OrderService = Field(
        default_factory=OrderService, description="送达方式; in person when omitted."
    )
    note: _Note | None = None


class OrderReceiptCreate(LateEntry):
    """签收: the day the applicant received a reminder or an order to rectify sent by post
    or electronically; its period counts from this day. Not before the order, not after
    today; entered after it, with the reason."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"received_on": "2026-10-23"}]}
    )

    received_on: date


class ReasonCreate(Dated):
    """A step that needs a reason (withdrawal 撤回, termination 终止办理)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "经营场所变更，申请撤回"}]}
    )

    reason: Reason


class RevocationCreate(Dated):
    """撤销办理结果 (DZ art. 13 ¶2): after the rectification deadline, or earlier when the
    applicant is still non-conforming after rectification."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "逾期未整改", "still_nonconforming": False}]},
    )

    reason: Reason
    still_nonconforming: bool = False


class VerificationCreate(Dated):
    """Open a verification (核查, DZ art. 11)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"method": "onsite"},
                {"method": "assisted", "assisting_department": "371400-WJW"},
            ]
        },
    )

    method: VerificationMethod
    assisting_department: str | None = Field(
        default=None,
        pattern=r"^\d{6}-[A-Z0-9]{2,20}$",
        description="协助核查: the department asked to help (required for `assisted`).",
    )
    note: _Note | None = None


class VerificationResultCreate(BaseModel):
    """核查结果 in the fields of the national 告知承诺 supervision data standard."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "verification_number": "HC-371400-2026-000123",
                    "checked_at": "2026-10-15T15:00:00+08:00",
                    "basis": "《食品经营许可和备案管理办法》第十二条",
                    "fulfilled": False,
                    "description": "经营场所面积与承诺不符",
                    "rectification_period": {"amount": 10, "unit": "working_days"},
                    "rectification_service": {"method": "post"},
                }
            ]
        },
    )

    verification_number: Annotated[str, text(64, min_length=0)] | None = Field(
        default=None, description="核查编号; generated when omitted."
    )
    checked_at: datetime | None = Field(default=None, description="核查时间; now when omitted.")
    basis: Annotated[str, text(2000, multiline=True)] = Field(description="核查依据.")
    fulfilled: bool = Field(description="是否履行承诺.")
    description: Annotated[str, text(4000, multiline=True)] = Field(description="核查情况说明.")
    rectification_period: PeriodSpec | None = Field(
        default=None,
        description="责令限期整改的期限 (DZ art. 13 ¶2), required when not fulfilled.",
    )
    rectification_service: OrderService | None = Field(
        default=None,
        description="送达 of the order to rectify (when not fulfilled); in person when "
        "omitted. Its period counts from the service.",
    )


class FeedbackResult(StrEnum):
    """监管结果: conforms 符合承诺; nonconforming 不符合承诺; other 其他."""

    conforms = "conforms"
    nonconforming = "nonconforming"
    other = "other"


class SupervisionFeedbackCreate(Dated):
    """行业主管部门 sends its supervision result back to the agency (DZ art. 12 ¶1)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"result": "conforms", "description": "双随机抽查未发现问题"}]
        },
    )

    result: FeedbackResult
    description: Annotated[str, text(4000, multiline=True)] = Field(description="监管情况说明.")


class DeadlinesRead(BaseModel):
    supplement_due: date | None = None
    decision_due: date | None = None
    reminder_due: date | None = None
    verification_due: date | None = None
    rectification_due: date | None = None
    provisional: bool = Field(description="True when any deadline was computed provisionally.")
    details: list[StoredDeadline]


class NoticeItem(BaseModel):
    heading: str
    lines: list[str]


class NoticeRead(BaseModel):
    """一次性告知书 (DZ art. 8), snapshotted from the catalog version."""

    title: str
    agency_code: str
    agency_name: str
    matter_code: str
    matter_name: str
    matter_version: int
    items: list[NoticeItem]


class LetterRead(BaseModel):
    """承诺书 (DZ art. 9): what the applicant affirmed and committed to, signed."""

    title: str
    affirmations: list[str]
    conditions_to_meet: list[str] = Field(description="承诺达到的办理条件 (DZ art. 9 ¶2).")
    meet_by: date | None = Field(description="达到上述条件的日期.")
    signed_by: str
    signed_at: datetime


class OrderServiceRead(BaseModel):
    """送达 of the reminder or the order to rectify, and the day its period counts from."""

    method: ServiceMethod
    issued_on: date = Field(description="The day of the reminder or the order.")
    received_on: date | None = Field(description="签收日 (post, electronic); null until recorded.")
    served_on: date | None = Field(
        description="送达日, the period's start (not counted): null while a receipt is awaited."
    )
    period: PeriodSpec | None = Field(description="The period the agency set, if any.")


class VerificationRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "9d7c4a1b-0f5e-4b8a-8c3d-2e1f0a9b8c7d",
                    "commitment_id": "5b0d6a2c-1e3f-4a5b-9c8d-7e6f5a4b3c2d",
                    "method": "onsite",
                    "assigned_department": "371400-SCJ",
                    "assisting_department": None,
                    "status": "completed",
                    "due_on": "2026-10-29",
                    "verification_number": "HC-371400-2026-000123",
                    "checked_at": "2026-10-15T07:00:00Z",
                    "checking_department_code": "371400-SCJ",
                    "checking_department_name": "德州市市场监督管理局",
                    "basis": "《食品经营许可和备案管理办法》第十二条",
                    "fulfilled": True,
                    "description": "经营场所与承诺一致",
                    "conditions_to_meet": [],
                    "meet_by": None,
                    "version": 2,
                }
            ]
        }
    )

    id: UuidStr
    commitment_id: UuidStr
    method: VerificationMethod
    assigned_department: str
    assisting_department: str | None
    status: str
    due_on: date | None
    verification_number: str | None
    checked_at: datetime | None
    checking_department_code: str | None
    checking_department_name: str | None
    basis: str | None
    fulfilled: bool | None
    description: str | None
    conditions_to_meet: list[str] = Field(
        description="承诺达到的办理条件 the verification checks, from `meet_by` on."
    )
    meet_by: date | None = Field(description="No result is recorded for a check before it.")
    version: int


class CommitmentRead(BaseModel):
    """A commitment with its notice, letter, deadlines, history and verifications."""

    id: UuidStr
    credit_check_id: UuidStr
    mode: Mode
    status: str = Field(
        description="tolerance: accepted, overdue, reminded, supplemented, completed, "
        "terminated, withdrawn; notify_commit: committed, decided, verifying, "
        "rectification_ordered, fulfilled, revoked, withdrawn."
    )
    profile: str
    department: str
    subject: SubjectRead
    agent: SubjectRead | None
    notice: NoticeRead
    letter: LetterRead
    missing_materials: list[str]
    exempt_from_verification: bool
    deadlines: DeadlinesRead
    current_due_on: date | None
    decided_on: date | None
    decision_due_on: date | None = Field(
        default=None,
        description="承诺办结期限: the completion limit the decision was judged against on "
        "its day (DZ art. 7 ¶3); none before a decision, for tolerance, or for a decision "
        "recorded before the flag was.",
    )
    decision_late: bool | None = Field(
        default=None,
        description="逾期办结: `true` when the decision's day (`decided_on`) is after "
        "`decision_due_on` (DZ art. 7 ¶3 当场或者在承诺办结时限内办结); `false` when in time; "
        "none when not judged.",
    )
    closed_on: date | None
    withdrawal_reason: str | None
    withdrawal_reason_category: WithdrawalReason | None = Field(
        default=None,
        description="撤回理由类别 (DZ art. 10 有合理理由): conditions_changed 条件变化, "
        "materials_unobtainable 材料无法取得, ordinary_procedure 改按一般程序, "
        "duplicate_application 重复申请, other 其他.",
    )
    next_step: str | None = Field(
        default=None,
        description="`ordinary` (一般程序, DZ art. 10 撤回后该事项应当按照一般程序办理) once the "
        "commitment is withdrawn; none otherwise.",
    )
    order_service: OrderServiceRead | None = Field(
        description="送达 of the reminder (tolerance) or the order to rectify (notify_commit)."
    )
    termination_ground: TerminationGround | None = Field(
        description="终止依据: non_submission (经催告后仍未提交, proposes a listing, LZ §5(1)2) "
        "or deficient_submission (补齐补正不符合要求, DZ art. 13 ¶1: proposes none)."
    )
    version: int
    history: list[HistoryStep]
    verifications: list[VerificationRead]
    referrals: list[ReferralMark] = Field(
        default_factory=list, description="移送标记 (DZ art. 16 ¶1), for its departments."
    )
    supervision: CommitmentSupervision | None = Field(
        default=None, description="行业主管部门的监管结果 (DZ art. 12) and the order it awaits."
    )
    record: CommitmentRecordRead | None = Field(
        default=None, description="信用承诺记录: 承诺编号、类型、公开范围与履约状态."
    )


class CommitmentSummary(BaseModel):
    id: UuidStr
    mode: Mode
    status: str
    matter_code: str
    department: str
    subject: SubjectRead
    current_due_on: date | None
    decision_late: bool | None = Field(
        default=None, description="逾期办结 (DZ art. 7 ¶3); none when not judged."
    )
    version: int
