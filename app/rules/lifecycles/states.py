"""The machines, their states and events, and the deadline each transition may name."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Machine(StrEnum):
    TOLERANCE = "tolerance"  # 容缺受理
    NOTIFY_COMMIT = "notify_commit"  # 告知承诺
    RESTRICTION = "restriction"  # 失信制约名单


class ToleranceState(StrEnum):
    ACCEPTED = "accepted"  # 先行受理
    SUPPLEMENTED = "supplemented"  # 已补齐补正
    COMPLETED = "completed"  # 办结
    OVERDUE = "overdue"  # 逾期未补齐补正
    REMINDED = "reminded"  # 已催告 / 责令限期整改
    TERMINATED = "terminated"  # 终止办理
    WITHDRAWN = "withdrawn"  # 撤回承诺书


class NotifyCommitState(StrEnum):
    COMMITTED = "committed"  # 已签订告知承诺书
    DECIDED = "decided"  # 已作出办理决定
    VERIFYING = "verifying"  # 核查中
    RECTIFICATION_ORDERED = "rectification_ordered"  # 责令限期整改
    FULFILLED = "fulfilled"  # 履行承诺
    REVOKED = "revoked"  # 撤销办理结果
    WITHDRAWN = "withdrawn"  # 撤回承诺书


class RestrictionState(StrEnum):
    PROPOSED = "proposed"  # proposed from a breached commitment; a clerk must take it up
    COLLECTED = "collected"  # 信息采集
    VERIFIED = "verified"  # 信息核实
    NOTIFIED = "notified"  # 已告知
    UNDER_REVIEW = "under_review"  # 陈述申辩, 复核中
    CONFIRMED = "confirmed"  # 确定列入
    EFFECTIVE = "effective"  # 已公布, 管理期内
    REPAIRED = "repaired"  # 信用修复
    LIFTED = "lifted"  # 取消限制 (DZ art. 15 ¶2)
    WITHDRAWN = "withdrawn"  # 撤销 / 移除


State = ToleranceState | NotifyCommitState | RestrictionState

STATE_ENUMS: Final[Mapping[Machine, type[StrEnum]]] = MappingProxyType(
    {
        Machine.TOLERANCE: ToleranceState,
        Machine.NOTIFY_COMMIT: NotifyCommitState,
        Machine.RESTRICTION: RestrictionState,
    }
)

TERMINAL_STATES: Final[Mapping[Machine, frozenset[str]]] = MappingProxyType(
    {
        Machine.TOLERANCE: frozenset(
            {ToleranceState.COMPLETED, ToleranceState.TERMINATED, ToleranceState.WITHDRAWN}
        ),
        Machine.NOTIFY_COMMIT: frozenset(
            {NotifyCommitState.FULFILLED, NotifyCommitState.REVOKED, NotifyCommitState.WITHDRAWN}
        ),
        Machine.RESTRICTION: frozenset(
            {RestrictionState.REPAIRED, RestrictionState.LIFTED, RestrictionState.WITHDRAWN}
        ),
    }
)


class Event(StrEnum):
    # commitments
    SUPPLEMENT_COMPLIANT = "supplement_compliant"
    SUPPLEMENT_NONCOMPLIANT = "supplement_noncompliant"
    SUPPLEMENT_DEADLINE_PASSED = "supplement_deadline_passed"
    SUPPLEMENT_DEADLINE_REOPENED = "supplement_deadline_reopened"
    REMIND = "remind"
    TERMINATE = "terminate"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    EXEMPT_FROM_VERIFICATION = "exempt_from_verification"
    OPEN_VERIFICATION = "open_verification"
    VERIFICATION_CONFORMS = "verification_conforms"
    VERIFICATION_FAILS = "verification_fails"
    # 责令限期整改 on the regulator's finding of nonconformity (DZ art. 12, 13 ¶2)
    ORDER_RECTIFICATION = "order_rectification"
    RECTIFIED = "rectified"
    REVOKE = "revoke"
    # restriction list
    TAKE_UP = "take_up"
    RESTRICT = "restrict"  # 限制享受便利化服务 without the Linzi procedure (DZ art. 15 ¶1)
    DISMISS = "dismiss"
    VERIFY = "verify"
    ISSUE_NOTICE = "issue_notice"
    RECORD_RECEIPT = "record_receipt"
    OBJECT = "object"
    REVIEW_UPHELD = "review_upheld"
    REVIEW_OVERTURNED = "review_overturned"
    REVIEW_AMENDED = "review_amended"
    OBJECTION_WINDOW_LAPSED = "objection_window_lapsed"
    OBJECTION_WINDOW_REOPENED = "objection_window_reopened"
    PUBLISH = "publish"
    RECORD_RECTIFICATION = "record_rectification"
    REPAIR = "repair"
    REQUEST_LIFTING = "request_lifting"
    REJECT_LIFTING = "reject_lifting"
    LIFT = "lift"
    DISCOVER_ERROR = "discover_error"
    CORRECT_FIX = "correct_fix"
    CORRECT_REMOVE = "correct_remove"
    # the end of an unrectified period (LZ §5(1)5): notice, proof, decision
    ISSUE_REPAIR_NOTICE = "issue_repair_notice"
    RECORD_REPAIR_NOTICE_RECEIPT = "record_repair_notice_receipt"
    FILE_REPAIR_APPLICATION = "file_repair_application"
    CONFIRM_RECTIFICATION = "confirm_rectification"
    REFUSE_RECTIFICATION = "refuse_rectification"
    # 信用修复申请 (national rules, app.rules.credit_repair): file, supplement, decide
    FILE_CREDIT_REPAIR = "file_credit_repair"
    SUPPLEMENT_CREDIT_REPAIR = "supplement_credit_repair"
    GRANT_CREDIT_REPAIR = "grant_credit_repair"
    REFUSE_CREDIT_REPAIR = "refuse_credit_repair"
    COMPLAIN = "complain"
    REJECT_COMPLAINT = "reject_complaint"
    REFER = "refer"


class DeadlineRule(StrEnum):
    """What to compute on entering a state, and from which day (the event's day)."""

    SUPPLEMENT_DUE = "supplement_due"  # from acceptance; catalog period (DZ art. 7 ¶2)
    DECISION_DUE = "decision_due"  # from commitment; catalog limit (DZ art. 7 ¶3)
    REMINDER_DUE = "reminder_due"  # from the reminder's service; profile reminder grace
    # from the decision, or the day conditions are to be met; catalog limit (DZ art. 11)
    VERIFICATION_DUE = "verification_due"
    RECTIFICATION_DUE = "rectification_due"  # from the order's service; agency-set (DZ 13 ¶2)
    # from a nonconforming supervision feedback; profile (DZ art. 13 ¶2, app.rules.supervision)
    RECTIFICATION_ORDER_DUE = "rectification_order_due"
    NOTICE_DUE = "notice_due"  # from verification; 3 working days (LZ §5(1)4)
    OBJECTION_DUE = "objection_due"  # from receipt of the notice; 3 working days
    REVIEW_DUE = "review_due"  # from the objection; 15 working days
    CORRECTION_DUE = "correction_due"  # from discovery of the error; 2 working days
    LIFTING_DECISION_DUE = "lifting_decision_due"  # from the request; 5 days (DZ art. 15)
    PERIOD_END = "period_end"  # from publication; 6 months (LZ §5(1)5)
    REPAIR_NOTICE_DUE = "repair_notice_due"  # from the period end; profile (LZ §5(1)5)
    REPAIR_DECISION_DUE = "repair_decision_due"  # from the proof's filing; profile
