"""Commitment rules beside the transition tables, each carrying out a reading of a profile
(:mod:`app.rules.readings`):

- **The ground of a termination** (:func:`termination_ground`). A tolerance case ends in
  termination under DZ art. 13 ¶1 whether the materials never came or came and fell
  short; only the first is LZ §5(1)2's third situation ("经催告后3个工作日内仍未提交"),
  so only a termination for non-submission proposes a listing
  (:func:`proposes_situation_3`).
- **The service of an order** (:func:`served_on`). A reminder (催告) or an order to
  rectify (责令限期整改, DZ art. 13) counts its period from its service: served in person,
  the day it is handed over; by post or electronically, the recorded day of receipt, as
  for the listing notice (LZ §5(1)4 "接到告知书之日起"). Until the receipt is recorded
  no period runs.
- **Conditions to meet** (:func:`matter_conditions`, :func:`meet_by_refusal`,
  :func:`verification_start`). An applicant not yet fully qualified (DZ art. 7 ¶3
  "暂未完全具备办理条件") commits to meet named conditions of the matter by a day (DZ art.
  9 ¶2 "在承诺期限内…达到承诺具备的相应条件"); the verification checks them from that day
  on, not before.
- **A decision after the completion limit** (:func:`decision_late`). 告知承诺 is decided
  "当场或者在承诺办结时限内" (DZ art. 7 ¶3); a decision on a day after the stored limit is
  flagged late, judged on the decision's day, not the day it was entered.
- **The reason of a withdrawal** (:class:`WithdrawalReason`). A withdrawal needs a
  reasonable reason (DZ art. 10 "有合理理由"); it is given a category from a short list,
  or ``other`` with its text, and the matter continues in the ordinary procedure.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Final

from app.rules.calendar import WorkingCalendar
from app.rules.citations import (
    CIVIL_CODE_201,
    DZ_7_3,
    DZ_9_1,
    DZ_9_2,
    DZ_10,
    DZ_11_1,
    DZ_13_1,
    DZ_13_2,
    LZ_5_1_2_SITUATION_3,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    Basis,
)
from app.rules.periods import Deadline, Unit, compute_deadline
from app.rules.readings import Reading, ReadingName

# --- the ground of a termination ----------------------------------------------------


class TerminationGround(StrEnum):
    """Why a tolerance case was terminated (终止办理依据, DZ art. 13 ¶1)."""

    NON_SUBMISSION = "non_submission"  # 经催告后仍未提交 (LZ §5(1)2, situation 3)
    DEFICIENT_SUBMISSION = "deficient_submission"  # 补齐补正不符合要求 (DZ art. 13 ¶1)


def termination_ground(*, submitted: bool) -> TerminationGround:
    """The ground of a termination from the case's record: any supplement received,
    however short it fell (part of the materials, or materials found wanting), is a
    submission; none at all is non-submission."""
    return TerminationGround.DEFICIENT_SUBMISSION if submitted else TerminationGround.NON_SUBMISSION


def proposes_situation_3(ground: TerminationGround | None) -> bool:
    """Whether a termination on ``ground`` proposes a listing for situation 3: only for
    non-submission ("仍未提交", LZ §5(1)2)."""
    return ground is TerminationGround.NON_SUBMISSION


# --- the service of an order ----------------------------------------------------------


class ServiceMethod(StrEnum):
    """送达方式 of a reminder or an order to rectify."""

    IN_PERSON = "in_person"  # 当面送达: served the day it is handed over
    POST = "post"  # 邮寄送达: served the day it is received
    ELECTRONIC = "electronic"  # 电子送达: served the day it is received

    @property
    def by_receipt(self) -> bool:
        """Whether the service is the day of receipt, to be recorded, not the order's day."""
        return self is not ServiceMethod.IN_PERSON


def served_on(method: ServiceMethod, issued_on: date, received_on: date | None) -> date | None:
    """The day an order was served, its period's start (not counted, 民法典 art. 201):
    in person the day it was issued; otherwise the recorded day of receipt, None while
    none is recorded (no period runs)."""
    return received_on if method.by_receipt else issued_on


# --- conditions to meet ----------------------------------------------------------------

_CONDITION_SEPARATORS: Final = re.compile(r"[；;\n]+")


def matter_conditions(conditions: str) -> tuple[str, ...]:
    """The conditions a catalog entry's 办理条件 names: its items separated by "；", ";" or
    a line break, each trimmed of spaces and of a final "。"."""
    items = (item.strip().rstrip("。").strip() for item in _CONDITION_SEPARATORS.split(conditions))
    return tuple(item for item in items if item)


def latest_meet_by(
    calendar: WorkingCalendar, decision_due: date, verification_amount: int, unit: Unit
) -> Deadline:
    """The latest day conditions may be committed to: the matter's verification period
    (核查时限, DZ art. 11 ¶1) counted from the last day of its completion limit (承诺办结
    时限, DZ art. 7 ¶3), so that the conditions fall within what the matter's
    verification covers."""
    return compute_deadline(calendar, decision_due, verification_amount, unit, roll_forward=True)


def meet_by_refusal(meet_by: date, signed_on: date, latest: date) -> str | None:
    """Why ``meet_by`` cannot be the day (None when it can): after the signature (a
    condition met on the day of signing is one the applicant meets, DZ art. 9 ¶1) and
    not after ``latest``."""
    if meet_by <= signed_on:
        return f"meet_by must be after the day of signing ({signed_on.isoformat()})"
    if meet_by > latest:
        return f"meet_by must not be after {latest.isoformat()}"
    return None


def verification_start(decided_on: date, meet_by: date | None) -> date:
    """The day the verification period counts from: the decision (DZ art. 11 ¶1) or, for
    conditions committed to be met by a later day, that day (DZ art. 9 ¶2): before it
    there is nothing to verify."""
    return max(decided_on, meet_by) if meet_by is not None else decided_on


def checked_too_early(meet_by: date | None, checked_on: date) -> bool:
    """Whether a verification made on ``checked_on`` comes before the day the conditions
    are to be met: it cannot find them unmet, nor find the commitment fulfilled."""
    return meet_by is not None and checked_on < meet_by


# --- a decision after the completion limit ---------------------------------------------


def decision_late(decided_on: date, decision_due: date | None) -> bool | None:
    """Whether a decision made on ``decided_on`` comes after the completion limit
    ``decision_due`` (承诺办结时限, DZ art. 7 ¶3 "当场或者在承诺办结时限内办结"); the
    limit's last day is in time. None when the case has no stored limit (a tolerance case,
    whose completion DZ art. 7 ¶2 gives no limit of its own)."""
    if decision_due is None:
        return None
    return decided_on > decision_due


# --- the reason of a withdrawal ----------------------------------------------------------


class WithdrawalReason(StrEnum):
    """撤回理由类别 (DZ art. 10 "申请人有合理理由的，可以撤回承诺书"): a short list, and
    ``other`` with the reason in words. The category says why, for the statistics; the
    text, required for ``other``, says it in the applicant's terms."""

    CONDITIONS_CHANGED = "conditions_changed"  # 条件变化
    MATERIALS_UNOBTAINABLE = "materials_unobtainable"  # 材料无法取得
    ORDINARY_PROCEDURE = "ordinary_procedure"  # 改按一般程序
    DUPLICATE_APPLICATION = "duplicate_application"  # 重复申请
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return _WITHDRAWAL_LABELS[self]


_WITHDRAWAL_LABELS: Final = {
    WithdrawalReason.CONDITIONS_CHANGED: "条件变化",
    WithdrawalReason.MATERIALS_UNOBTAINABLE: "材料无法取得",
    WithdrawalReason.ORDINARY_PROCEDURE: "改按一般程序",
    WithdrawalReason.DUPLICATE_APPLICATION: "重复申请",
    WithdrawalReason.OTHER: "其他",
}
WITHDRAWAL_CITATION: Final = DZ_10
# After a withdrawal the matter continues "按照一般程序办理" (DZ art. 10).
ORDINARY_PROCEDURE: Final = "ordinary"


# --- the readings ------------------------------------------------------------------------

SITUATION_3_NON_SUBMISSION: Final = Reading(
    ReadingName.SITUATION_3_NON_SUBMISSION,
    LZ_5_1_2_SITUATION_3,
    "容缺受理终止办理时记录终止依据。经催告后仍未提交任何补齐补正材料的，属LZ §5(1)2"
    "第三种情形“经催告后3个工作日内仍未提交”，提出失信制约建议；已提交材料（含部分材料）"
    "但不符合要求的，依DZ第十三条第一款“补齐补正不符合要求”终止办理，不提出列入建议："
    "善意提交而不合格的材料不是失信。",
    "A terminated tolerance case records its ground. No supplement at all after the "
    "reminder is LZ §5(1)2's third situation ('still not submitted 3 working days after "
    "the reminder') and proposes a listing; materials submitted (even in part) that fall "
    "short are terminated under DZ art. 13 ¶1 ('补齐补正不符合要求') and propose nothing: "
    "deficient materials in good faith are not dishonesty.",
    also_cites=(DZ_13_1,),
)

ORDERS_COUNT_FROM_SERVICE: Final = Reading(
    ReadingName.ORDERS_COUNT_FROM_SERVICE,
    LZ_5_1_2_SITUATION_3,
    "催告和责令限期整改的期限自送达之日起计算（当日不计入）：当面送达的为当日；邮寄或电子"
    "送达的为登记的签收之日，与失信制约认定告知书相同。签收日登记之前期限不起算：不得据此"
    "终止办理或撤销办理结果，申请人此间补齐补正或整改均在期限内，部门待办为登记送达回执。",
    "A reminder or an order to rectify counts its period from its service (the day not "
    "counted): in person the day it is handed over; by post or electronically the "
    "recorded day of receipt, as for the listing notice. Until the receipt is recorded no "
    "period runs: no termination or revocation rests on it, a supplement or "
    "rectification meanwhile is in time, and the department's task is to record the "
    "receipt.",
    also_cites=(DZ_13_1, DZ_13_2, LZ_5_1_4_NOTICE, LZ_5_1_4_OBJECTION, CIVIL_CODE_201),
)

CONDITIONS_TO_MEET: Final = Reading(
    ReadingName.CONDITIONS_TO_MEET,
    DZ_9_2,
    "暂未完全具备办理条件的申请人可签订告知承诺书，载明承诺达到的办理条件（须为事项所列"
    "办理条件）及达到日期；“已符合相关条件”的承诺不含所列条件。达到日期晚于签署日，且不"
    "晚于承诺办结时限届满之日起按核查时限计算之日（部署选择，办法未规定上限）。核查期限自"
    "办理决定之日或达到日期中较晚者起算，达到日期前不记录核查结果；免于核查的事项无人核查，"
    "不适用。",
    "An applicant not yet fully qualified may sign a notify-commit letter naming "
    "conditions of the matter to meet by a day; the affirmation 'already meets the "
    "conditions' then excludes them. The day is after the signature and not after the "
    "matter's verification period counted from the end of its completion limit (a "
    "deployment choice: the measures set no bound). The verification period counts from "
    "the decision or that day, whichever is later, and no result is recorded before "
    "that day; matters exempt from verification, which nobody checks, do not take it.",
    Basis.DEPLOYMENT_CHOICE,
    (DZ_7_3, DZ_9_1, DZ_11_1),
)

DECISION_LATE: Final = Reading(
    ReadingName.DECISION_LATE,
    DZ_7_3,
    "告知承诺事项应当场或者在承诺办结时限内办结。办理决定之日晚于签署时记载的承诺办结"
    "期限届满之日的，该决定标记为逾期（`late`），记入历史与审计并在案件中显示；期限届满"
    "当日作出的不逾期。以决定之日（补录时为所补录之日）判断，不以录入之日判断。期限后来因"
    "日历重算而变化的，不改变已作出决定的标记。",
    "A notify-commit matter is decided on the spot or within its completion limit. A "
    "decision on a day after the limit stored at signing is flagged late (`late`), in the "
    "history, the audit log and the case; one on the limit's last day is in time. The "
    "decision's day decides (for a late entry, the day entered for it), never the day of "
    "entry; a limit later recounted on a new calendar does not change a decision's flag.",
)

WITHDRAWAL_REASON_CATEGORIES: Final = Reading(
    ReadingName.WITHDRAWAL_REASON_CATEGORIES,
    DZ_10,
    "撤回承诺书须有合理理由。理由归入类别：条件变化、材料无法取得、改按一般程序、重复申请，"
    "或“其他”并写明理由；未给类别的撤回（原有客户端）按“其他”记录，其文字即理由。撤回后该"
    "事项按照一般程序办理（`next_step: ordinary`）。类别为统计所设，办法未列举合理理由。",
    "A withdrawal needs a reasonable reason. It is given a category: conditions changed, "
    "materials unobtainable, the ordinary procedure chosen, a duplicate application, or "
    "`other` with the reason in words; a withdrawal giving no category (earlier clients) "
    "is recorded as `other`, its text the reason. The matter then continues in the "
    "ordinary procedure (`next_step: ordinary`). The categories serve the statistics; the "
    "measures list no reasons.",
    Basis.DEPLOYMENT_CHOICE,
)

# Every commitment reading, in the order a profile lists them.
COMMITMENT_READINGS: Final = (
    SITUATION_3_NON_SUBMISSION,
    ORDERS_COUNT_FROM_SERVICE,
    CONDITIONS_TO_MEET,
    DECISION_LATE,
    WITHDRAWAL_REASON_CATEGORIES,
)
# Linzi's alone: LZ §4(2)3 offers 告知承诺 "对符合条件的申请人", with no word of conditions
# met later, so an applicant under it commits to no conditions to meet.
LZ_COMMITMENT_READINGS: Final = (SITUATION_3_NON_SUBMISSION, ORDERS_COUNT_FROM_SERVICE)
