"""The body of a withdrawal (撤回承诺书, DZ art. 10)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from app.commitments.schemas import Reason
from app.lifecycle.step_dates import Dated
from app.rules.commitments import WithdrawalReason


class WithdrawalCreate(Dated):
    """撤回承诺书 with a reasonable reason (DZ art. 10 "有合理理由"): its category and, for
    `other`, the reason in words. A body with `reason` alone (earlier clients) is a
    withdrawal for `other`, its text the reason."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason_category": "conditions_changed", "reason": "经营场所变更，申请撤回"},
                {"reason_category": "duplicate_application"},
                {"reason_category": "other", "reason": "申请人出国，暂不办理"},
            ]
        },
    )

    reason_category: WithdrawalReason = Field(
        default=WithdrawalReason.OTHER,
        description="撤回理由类别: `conditions_changed` 条件变化, `materials_unobtainable` "
        "材料无法取得, `ordinary_procedure` 改按一般程序, `duplicate_application` 重复申请, "
        "`other` 其他（须写明理由）. Default `other`: a body with `reason` alone.",
    )
    reason: Reason | None = Field(
        default=None,
        description="撤回理由: required for `other` (422 `withdrawal_reason_missing`), "
        "optional for the other categories.",
    )
