"""The statistics as read (监督考核统计, LZ §6(2), §6(3); DZ art. 4, art. 16 ¶2)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Measure(StrEnum):
    """The deadlines whose keeping is counted (时效)."""

    notices = "notices"  # 告知书 within 3 working days of verification (LZ §5(1)4)
    reviews = "reviews"  # 复核 within 15 working days of the objection (LZ §5(1)4)
    corrections = "corrections"  # 更正/移除 within 2 working days (LZ §5(1)4)
    lifting_decisions = "lifting_decisions"  # 取消限制 decided within 5 days (DZ art. 15 ¶2)
    decisions = "decisions"  # 告知承诺 decided within the committed limit (DZ art. 7 ¶3)


MEASURE_ZH: dict[Measure, str] = {
    Measure.notices: "告知书逾期发出",
    Measure.reviews: "复核逾期作出",
    Measure.corrections: "更正逾期完成",
    Measure.lifting_decisions: "取消限制逾期决定",
    Measure.decisions: "超过承诺办结时限",
}


class CreditCheckFigures(BaseModel):
    """信用核验: passed, failed (and each reason code of the failures), not performed."""

    passed: int = 0
    failed: int = 0
    not_performed: int = 0
    failed_by_reason: dict[str, int] = Field(
        default_factory=dict,
        description="每个不通过原因代码的次数；一次核验有多个原因时每个原因各计一次。",
    )


class CommitmentFigures(BaseModel):
    """承诺的结果: by the history step that entered the outcome in the period."""

    fulfilled: int = Field(0, description="履行承诺（容缺受理办结、告知承诺核查相符或免核查）。")
    terminated: int = Field(0, description="终止办理（容缺受理）。")
    revoked: int = Field(0, description="撤销办理结果（告知承诺）。")
    withdrawn: int = Field(0, description="撤回承诺书。")
    withdrawal_reasons: dict[str, int] = Field(
        default_factory=dict,
        description="撤回原因类别；未记录类别的计为 `unspecified`。",
    )


class VerificationFigures(BaseModel):
    """核查 (DZ art. 11) with a recorded result, per method."""

    conforming: int = Field(0, description="相符。")
    nonconforming: int = Field(0, description="不相符。")


class ListingFigures(BaseModel):
    """失信制约名单 collected by the department, as the history has them at period end."""

    by_state: dict[str, int] = Field(default_factory=dict, description="期末状态。")
    by_situation: dict[str, int] = Field(default_factory=dict, description="失信情形。")


class Timeliness(BaseModel):
    """One deadline's keeping: steps taken in the period, how many after their due day."""

    measure: Measure
    label: str = Field(description="中文名称。")
    due: int = Field(description="期内作出、有期限的次数。")
    late: int = Field(description="逾期次数。")
    late_share: float | None = Field(
        description="逾期占比（四舍五入至四位小数）；无应办事项时为 null。"
    )
    median_working_days: float | None = Field(
        description="办理用时中位数（工作日，按工作日历计）；无事项时为 null。"
    )


class DepartmentStatistics(BaseModel):
    department: str = Field(description="部门代码。")
    name: str = Field(description="部门名称。")
    credit_checks: CreditCheckFigures
    facilitations: dict[str, int] = Field(
        description="便利化措施使用次数，按方式：容缺受理、告知承诺按作出的承诺计，"
        "绿色通道按通过的信用核验计。"
    )
    commitments: CommitmentFigures
    verifications: dict[str, VerificationFigures] = Field(description="核查，按方式。")
    listings: ListingFigures
    timeliness: list[Timeliness]


class StatisticsRead(BaseModel):
    """监督考核统计: per department, over a period of days in the legal time zone."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "starts_on": "2026-07-01",
                    "ends_on": "2026-09-30",
                    "time_zone": "Asia/Shanghai",
                    "departments": [
                        {
                            "department": "371400-SPJ",
                            "name": "德州市行政审批服务局",
                            "credit_checks": {
                                "passed": 12,
                                "failed": 2,
                                "not_performed": 1,
                                "failed_by_reason": {"restriction_listed": 2},
                            },
                            "facilitations": {"tolerance": 5, "notify_commit": 6},
                            "commitments": {
                                "fulfilled": 7,
                                "terminated": 1,
                                "revoked": 1,
                                "withdrawn": 1,
                                "withdrawal_reasons": {"unspecified": 1},
                            },
                            "verifications": {"onsite": {"conforming": 3, "nonconforming": 1}},
                            "listings": {
                                "by_state": {"effective": 2},
                                "by_situation": {"false_materials": 2},
                            },
                            "timeliness": [
                                {
                                    "measure": "notices",
                                    "label": "告知书逾期发出",
                                    "due": 2,
                                    "late": 1,
                                    "late_share": 0.5,
                                    "median_working_days": 2.5,
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )

    starts_on: dt.date = Field(description="统计起始日（含）。")
    ends_on: dt.date = Field(description="统计截止日（含）。")
    time_zone: str = Field(description="计日所用时区。")
    departments: list[DepartmentStatistics]
