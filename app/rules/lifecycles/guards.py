"""Guards: what a transition may look at, and the cited refusals it may give."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from app.rules.citations import (
    DZ_9_2,
    DZ_10,
    DZ_11_1,
    DZ_12_2,
    DZ_13_1,
    DZ_13_2,
    DZ_15_1,
    DZ_15_2,
    LZ_5_1_2,
    LZ_5_1_2_SITUATION_3,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    LZ_5_1_5_REPAIR,
    LZ_ANNEX,
    Citation,
)
from app.rules.commitments import TerminationGround, checked_too_early, proposes_situation_3

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What guards may look at: today and the recorded deadlines and facts."""

    today: date
    supplement_due: date | None = None
    reminder_due: date | None = None
    rectification_due: date | None = None
    objection_due: date | None = None
    period_ends_on: date | None = None
    rectified_on: date | None = None
    lifting_requested_on: date | None = None
    withdrawal_reason: str | None = None
    exempt_from_verification: bool = False
    still_nonconforming: bool = False
    early_lifting_enabled: bool = True
    # The listing is within the profile's early-lifting scope (app.rules.lifting: a
    # restriction for a false or unfulfilled commitment, DZ art. 15 ¶1).
    early_lifting_in_scope: bool = True
    listing_procedure: bool = True  # the profile lists through LZ §5(1)4
    # A reminder or order to rectify sent by post or electronically whose receipt is not
    # recorded: its period has not started (app.rules.commitments.served_on).
    order_unserved: bool = False
    termination_ground: TerminationGround | None = None
    # Conditions committed to be met by this day (DZ art. 9 ¶2); the day a check was made.
    meet_by: date | None = None
    checked_on: date | None = None
    # The regulator fed back a finding of nonconformity no order has followed yet.
    supervision_nonconforming: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    citation: Citation


Guard = Callable[[GuardContext], Refusal | None]


class TransitionNotAllowed(Exception):
    def __init__(self, machine: str, state: str, event: str) -> None:
        self.machine = machine
        self.state = state
        self.event = event
        super().__init__(f"{machine}: event {event!r} is not allowed in state {state!r}")


class GuardFailed(Exception):
    def __init__(self, code: str, message: str, citation: Citation) -> None:
        self.code = code
        self.message = message
        self.citation = citation
        super().__init__(f"{code}: {message} ({citation.label})")


class MissingGuardInput(ValueError):
    """A guard needs a value the caller did not put in the context."""


def _require(value: date | None, name: str) -> date:
    if value is None:
        raise MissingGuardInput(f"guard context needs {name}")
    return value


# --- guards ----------------------------------------------------------------------------


def supplement_in_time(ctx: GuardContext) -> Refusal | None:
    """A compliant supplement before the supplement deadline passes (DZ art. 9 ¶2)."""
    if ctx.today > _require(ctx.supplement_due, "supplement_due"):
        return Refusal(
            "supplement_deadline_passed",
            "the supplement deadline has passed: the agency must order rectification first",
            DZ_13_1,
        )
    return None


def supplement_deadline_passed(ctx: GuardContext) -> Refusal | None:
    """Overdue only from the day after the supplement deadline (DZ art. 13 ¶1)."""
    if ctx.today <= _require(ctx.supplement_due, "supplement_due"):
        return Refusal(
            "supplement_deadline_not_passed",
            "the supplement deadline has not passed yet",
            DZ_13_1,
        )
    return None


def reminder_open(ctx: GuardContext) -> Refusal | None:
    """Supplement after a reminder, up to and including its deadline; while the reminder
    is not served its period has not started, so a supplement is in time."""
    if ctx.order_unserved:
        return None
    if ctx.today > _require(ctx.reminder_due, "reminder_due"):
        return Refusal(
            "reminder_deadline_passed",
            "the deadline set by the reminder has passed",
            DZ_13_1,
        )
    return None


def reminder_deadline_passed(ctx: GuardContext) -> Refusal | None:
    """Terminate only after the reminder deadline (DZ art. 13 ¶1; LZ §5(1)2), which runs
    from the reminder's service ("经催告后")."""
    if ctx.order_unserved:
        return Refusal(
            "reminder_not_served",
            "the reminder's receipt is not recorded: its period has not started",
            LZ_5_1_2_SITUATION_3,
        )
    if ctx.today <= _require(ctx.reminder_due, "reminder_due"):
        return Refusal(
            "reminder_deadline_not_passed",
            "the case cannot be terminated before the reminder deadline has passed",
            LZ_5_1_2,
        )
    return None


def withdrawal_reason_given(ctx: GuardContext) -> Refusal | None:
    """Withdrawal before completion needs a reason (有合理理由的, DZ art. 10)."""
    if not (ctx.withdrawal_reason or "").strip():
        return Refusal("withdrawal_reason_missing", "a withdrawal needs a reason", DZ_10)
    return None


def refuse_withdrawal_after_completion(ctx: GuardContext) -> Refusal | None:
    """Withdrawal is possible only before the matter is completed (办结前, DZ art. 10)."""
    return Refusal(
        "withdrawal_after_completion",
        "the matter is completed: the commitment can no longer be withdrawn",
        DZ_10,
    )


def refuse_withdrawal_after_decision(ctx: GuardContext) -> Refusal | None:
    """告知承诺 is completed by the decision: no withdrawal afterwards (DZ art. 10)."""
    return Refusal(
        "withdrawal_after_decision",
        "the decision has been made: the commitment can no longer be withdrawn",
        DZ_10,
    )


def exempt_from_verification(ctx: GuardContext) -> Refusal | None:
    """Skip verification only for a matter exempt from it (免于核查, DZ art. 12 ¶2)."""
    if not ctx.exempt_from_verification:
        return Refusal(
            "verification_required",
            "the matter is not exempt from verification",
            DZ_11_1,
        )
    return None


def verification_not_exempt(ctx: GuardContext) -> Refusal | None:
    """An exempt matter is left to the regulator's routine supervision (DZ art. 12 ¶2)."""
    if ctx.exempt_from_verification:
        return Refusal(
            "exempt_from_verification",
            "the matter is exempt from verification",
            DZ_12_2,
        )
    return None


def supervision_found_nonconforming(ctx: GuardContext) -> Refusal | None:
    """责令限期整改 outside a verification follows the regulator's finding that the
    applicant's situation does not match the commitment (DZ art. 12, 13 ¶2)."""
    if not ctx.supervision_nonconforming:
        return Refusal(
            "no_nonconforming_supervision_feedback",
            "no supervision feedback awaiting an order finds the commitment unmet",
            DZ_13_2,
        )
    return None


def rectified_in_time(ctx: GuardContext) -> Refusal | None:
    """Rectification counts up to and including its deadline (DZ art. 13 ¶2); before the
    order is served its period has not started, so it is in time."""
    if ctx.order_unserved:
        return None
    if ctx.today > _require(ctx.rectification_due, "rectification_due"):
        return Refusal(
            "rectification_deadline_passed",
            "the rectification deadline has passed",
            DZ_13_2,
        )
    return None


def revocation_allowed(ctx: GuardContext) -> Refusal | None:
    """Revoke after the rectification deadline, or when still non-conforming after
    rectification (逾期不整改或者整改后仍不符合条件的, DZ art. 13 ¶2). An order not yet
    served has no deadline to pass."""
    if ctx.still_nonconforming:
        return None
    if ctx.order_unserved:
        return Refusal(
            "rectification_order_not_served",
            "the order's receipt is not recorded: its rectification period has not started",
            DZ_13_2,
        )
    if ctx.today <= _require(ctx.rectification_due, "rectification_due"):
        return Refusal(
            "rectification_deadline_not_passed",
            "the decision cannot be revoked before the rectification deadline has passed",
            DZ_13_2,
        )
    return None


def order_receipt_awaited(ctx: GuardContext) -> Refusal | None:
    """A receipt is recorded for an order sent by post or electronically, once."""
    if not ctx.order_unserved:
        return Refusal(
            "order_receipt_not_awaited",
            "the order was served in person or its receipt is already recorded",
            DZ_13_1,
        )
    return None


def conditions_due(ctx: GuardContext) -> Refusal | None:
    """A verification checks conditions committed to be met by a day from that day on
    (DZ art. 9 ¶2): before it they can be neither unmet nor fulfilled."""
    if checked_too_early(ctx.meet_by, ctx.checked_on or ctx.today):
        assert ctx.meet_by is not None
        return Refusal(
            "conditions_not_yet_due",
            f"the conditions are committed to be met by {ctx.meet_by.isoformat()}: "
            "a verification checks them from that day on",
            DZ_9_2,
        )
    return None


def non_submission(ctx: GuardContext) -> bool:
    """Whether a termination proposes a situation-3 listing: only for non-submission
    (LZ §5(1)2 "仍未提交"; a deficient supplement is terminated under DZ art. 13 ¶1 alone)."""
    return proposes_situation_3(ctx.termination_ground)


def objection_in_window(ctx: GuardContext) -> Refusal | None:
    """Objection up to and including the 3rd working day after receipt (LZ §5(1)4).

    Before the receipt is recorded the window has not started, so it is open.
    """
    if ctx.objection_due is not None and ctx.today > ctx.objection_due:
        return Refusal(
            "objection_window_closed",
            "the objection window (3 working days after receipt of the notice) has closed",
            LZ_5_1_4_OBJECTION,
        )
    return None


def objection_window_lapsed(ctx: GuardContext) -> Refusal | None:
    """No objection in time: the right is deemed waived (视为放弃, LZ annex)."""
    if ctx.objection_due is None:
        return Refusal(
            "notice_receipt_missing",
            "the date the subject received the notice is not recorded",
            LZ_ANNEX,
        )
    if ctx.today <= ctx.objection_due:
        return Refusal(
            "objection_window_open",
            "the objection window is still open",
            LZ_ANNEX,
        )
    return None


def listing_procedure_available(ctx: GuardContext) -> Refusal | None:
    """Take a proposal up into the listing procedure only where the profile has one."""
    if not ctx.listing_procedure:
        return Refusal(
            "listing_procedure_not_available",
            "the profile has no listing procedure: restrict (DZ art. 15 ¶1) or dismiss",
            DZ_15_1,
        )
    return None


def restriction_without_listing(ctx: GuardContext) -> Refusal | None:
    """Restrict at once only without a listing procedure (DZ art. 15 ¶1); where the
    profile has one, notice and objection come first (LZ §5(1)4)."""
    if ctx.listing_procedure:
        return Refusal(
            "listing_procedure_required",
            "the profile lists through notice and objection: take the proposal up",
            LZ_5_1_4_NOTICE,
        )
    return None


def repair_due(ctx: GuardContext) -> Refusal | None:
    """Repair the day after the period end when rectified by then, else on the
    rectification day (LZ §5(1)5)."""
    if ctx.rectified_on is None:
        return Refusal(
            "rectification_missing",
            "no rectification is recorded: the listing stays effective",
            LZ_5_1_5_REPAIR,
        )
    period_end = _require(ctx.period_ends_on, "period_ends_on")
    repaired_on = max(period_end + _ONE_DAY, ctx.rectified_on)
    if ctx.today < repaired_on:
        return Refusal(
            "management_period_running",
            f"the management period runs until {period_end.isoformat()}",
            LZ_5_1_5_REPAIR,
        )
    return None


def period_ended_unrectified(ctx: GuardContext) -> Refusal | None:
    """The end of the period found the listing unrectified: the subject is told what
    remains to rectify (LZ §5(1)5; the listing stays effective meanwhile)."""
    period_end = _require(ctx.period_ends_on, "period_ends_on")
    if ctx.today <= period_end:
        return Refusal(
            "management_period_running",
            f"the management period runs until {period_end.isoformat()}",
            LZ_5_1_5_REPAIR,
        )
    if ctx.rectified_on is not None:
        return Refusal(
            "rectification_recorded",
            "rectification is recorded: nothing remains to rectify",
            LZ_5_1_5_REPAIR,
        )
    return None


def _lifting_preconditions(ctx: GuardContext) -> Refusal | None:
    if not ctx.early_lifting_enabled:
        return Refusal(
            "early_lifting_not_available",
            "the rule profile has no early lifting",
            DZ_15_2,
        )
    if not ctx.early_lifting_in_scope:
        return Refusal(
            "early_lifting_not_available",
            "early lifting is for a restriction for a false or unfulfilled commitment "
            "(DZ art. 15 ¶1); this listing ends at its period's end or on repair",
            DZ_15_2,
        )
    if ctx.rectified_on is None:
        return Refusal(
            "rectification_missing",
            "lifting may be requested only after rectification",
            DZ_15_2,
        )
    return None


def lifting_request_allowed(ctx: GuardContext) -> Refusal | None:
    """Request to lift after rectification (完成整改的，可以申请取消限制, DZ art. 15 ¶2)."""
    return _lifting_preconditions(ctx)


def lifting_allowed(ctx: GuardContext) -> Refusal | None:
    """Lift on a request, after rectification (DZ art. 15 ¶2)."""
    refusal = _lifting_preconditions(ctx)
    if refusal is None and ctx.lifting_requested_on is None:
        refusal = Refusal("lifting_not_requested", "no lifting request is recorded", DZ_15_2)
    return refusal


def lifting_requested(ctx: GuardContext) -> Refusal | None:
    """A lifting request can only be rejected when there is one."""
    if ctx.lifting_requested_on is None:
        return Refusal("lifting_not_requested", "no lifting request is recorded", DZ_15_2)
    return None
