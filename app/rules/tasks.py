"""待办: the work each state of a life cycle asks of a department, and when it is due.

A state that waits on the department (or on the applicant, with the department to act
when the answer comes or the time runs out) declares here the task it makes, the deadline
its due day is (the state's ``current_due_on``; for the overdue tolerance case, whose
state no deadline governs any more, the supplement deadline it missed), and whether the
task exists from the day the state is entered or only while, or once, that deadline has
passed. The work queue
(``app.tasks``) reads this table; it repeats no status.

A tolerance case (容缺受理) is listed from the day of acceptance: until its supplement
deadline the department awaits the supplement (DZ art. 7 ¶2), after it a reminder is due
(DZ art. 13 ¶1). A reminded case likewise awaits the supplement until the reminder
deadline, then is to be terminated or its supplement accepted. A reminder or an order to
rectify sent by post or electronically counts from its receipt (DZ art. 13; LZ §5(1)2
"经催告后"): until the receipt is recorded the state has no due day, and its one task is to
record the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.rules.lifecycles import (
    DeadlineRule,
    Machine,
    NotifyCommitState,
    RestrictionState,
    State,
    ToleranceState,
)


class TaskKind(StrEnum):
    """Work a department must do (待办)."""

    take_up_proposal = "take_up_proposal"  # 失信制约建议待认定
    issue_listing_notice = "issue_listing_notice"  # 告知书待送达 (3 working days)
    review_objection = "review_objection"  # 陈述申辩待复核 (15 working days)
    decide_lifting = "decide_lifting"  # 取消限制申请待核实 (5 days)
    await_supplement = "await_supplement"  # 容缺待补齐补正 (补正期限 / 催告期限内)
    send_reminder = "send_reminder"  # 容缺逾期待催告
    terminate_or_accept = "terminate_or_accept"  # 催告期满待处理
    decide_commitment = "decide_commitment"  # 告知承诺待作出决定 / 容缺待办结
    carry_out_verification = "carry_out_verification"  # 核查 (incl. on-site for others)
    follow_rectification = "follow_rectification"  # 责令整改期满待处理
    issue_repair_notice = "issue_repair_notice"  # 管理期满未整改，整改告知书待送达
    decide_repair = "decide_repair"  # 整改证明待认定 (信用修复申请)
    correct_listing = "correct_listing"  # 申诉或移送后待更正 (2 working days, LZ §5(1)4)
    record_order_receipt = "record_order_receipt"  # 催告 / 整改通知送达回执待登记
    order_rectification = "order_rectification"  # 监管反馈不符合承诺，待责令限期整改


class Timing(StrEnum):
    """When, measured against its due day, a state's task exists."""

    FROM_ENTRY = "from_entry"  # from the day the state is entered
    IN_TIME = "in_time"  # while the due day has not passed (the due day itself is in time)
    LATE = "late"  # once the due day has passed
    # while the state's deadline is not counted: it waits on a receipt not yet recorded
    UNCOUNTED = "uncounted"


@dataclass(frozen=True, slots=True)
class StateTask:
    """The task one state makes: its kind, the deadline that is its due day, and when."""

    machine: Machine
    state: State
    kind: TaskKind
    due: DeadlineRule | None
    timing: Timing = Timing.FROM_ENTRY

    @property
    def undated(self) -> bool:
        """Whether a case in this state without a due day is listed (last): when the
        task does not depend on the due day, or exists only while there is none."""
        return self.timing in (Timing.FROM_ENTRY, Timing.UNCOUNTED)


_T, _N, _R = ToleranceState, NotifyCommitState, RestrictionState
_TOL, _NC, _RS = Machine.TOLERANCE, Machine.NOTIFY_COMMIT, Machine.RESTRICTION

STATE_TASKS: Final[tuple[StateTask, ...]] = (
    StateTask(_RS, _R.PROPOSED, TaskKind.take_up_proposal, None),
    StateTask(_RS, _R.VERIFIED, TaskKind.issue_listing_notice, DeadlineRule.NOTICE_DUE),
    StateTask(_RS, _R.UNDER_REVIEW, TaskKind.review_objection, DeadlineRule.REVIEW_DUE),
    StateTask(_TOL, _T.ACCEPTED, TaskKind.await_supplement, DeadlineRule.SUPPLEMENT_DUE,
              Timing.IN_TIME),
    StateTask(_TOL, _T.ACCEPTED, TaskKind.send_reminder, DeadlineRule.SUPPLEMENT_DUE,
              Timing.LATE),
    StateTask(_TOL, _T.OVERDUE, TaskKind.send_reminder, DeadlineRule.SUPPLEMENT_DUE),
    StateTask(_TOL, _T.REMINDED, TaskKind.await_supplement, DeadlineRule.REMINDER_DUE,
              Timing.IN_TIME),
    StateTask(_TOL, _T.REMINDED, TaskKind.terminate_or_accept, DeadlineRule.REMINDER_DUE,
              Timing.LATE),
    StateTask(_TOL, _T.REMINDED, TaskKind.record_order_receipt, None, Timing.UNCOUNTED),
    StateTask(_TOL, _T.SUPPLEMENTED, TaskKind.decide_commitment, None),
    StateTask(_NC, _N.COMMITTED, TaskKind.decide_commitment, DeadlineRule.DECISION_DUE),
    StateTask(_NC, _N.RECTIFICATION_ORDERED, TaskKind.follow_rectification,
              DeadlineRule.RECTIFICATION_DUE, Timing.IN_TIME),
    StateTask(_NC, _N.RECTIFICATION_ORDERED, TaskKind.follow_rectification,
              DeadlineRule.RECTIFICATION_DUE, Timing.LATE),
    StateTask(_NC, _N.RECTIFICATION_ORDERED, TaskKind.record_order_receipt, None,
              Timing.UNCOUNTED),
)  # fmt: skip

# Work that is not a state of a case but a pending request or an open verification.
LIFTING_DECISION_DUE: Final = DeadlineRule.LIFTING_DECISION_DUE  # DZ art. 15
VERIFICATION_DUE: Final = DeadlineRule.VERIFICATION_DUE  # DZ art. 11
# An unrectified period end: a notice is due from the day after it; filed proof of
# rectification is to be decided (LZ §5(1)5, app.rules.repair).
REPAIR_NOTICE_DUE: Final = DeadlineRule.REPAIR_NOTICE_DUE
REPAIR_DECISION_DUE: Final = DeadlineRule.REPAIR_DECISION_DUE
CORRECTION_DUE: Final = DeadlineRule.CORRECTION_DUE  # LZ §5(1)4: an open correction duty
# A nonconforming supervision feedback no order has followed (DZ art. 12, 13 ¶2): due the
# stored day (app.rules.supervision), undated under a profile without the parameter.
RECTIFICATION_ORDER_DUE: Final = DeadlineRule.RECTIFICATION_ORDER_DUE
