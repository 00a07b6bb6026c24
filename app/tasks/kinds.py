"""What a page of the work queue holds: the kinds of task in page order, the resource
each acts on, and each task's row as the repository reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.rules.tasks import TaskKind

Key = tuple[date, str, str]  # (due day or NO_DUE, kind, resource id)
NO_DUE = date(9999, 12, 31)

# Kinds in the order of their values, the second key of the page order.
KINDS = sorted(TaskKind, key=lambda kind: kind.value)
RANK = {kind: rank for rank, kind in enumerate(KINDS)}
RESOURCE = {
    TaskKind.await_supplement: "commitment",
    TaskKind.take_up_proposal: "restriction",
    TaskKind.issue_listing_notice: "restriction",
    TaskKind.review_objection: "restriction",
    TaskKind.decide_lifting: "lifting_request",
    TaskKind.send_reminder: "commitment",
    TaskKind.terminate_or_accept: "commitment",
    TaskKind.decide_commitment: "commitment",
    TaskKind.carry_out_verification: "verification",
    TaskKind.follow_rectification: "commitment",
    TaskKind.issue_repair_notice: "restriction",
    TaskKind.decide_repair: "repair_application",
    TaskKind.correct_listing: "correction_duty",
    TaskKind.record_order_receipt: "commitment",
    TaskKind.order_rectification: "commitment",
}
# The resources that are part of a listing (the others, of a commitment).
ON_LISTING = frozenset({"restriction", "lifting_request", "repair_application", "correction_duty"})


@dataclass(frozen=True, slots=True)
class Row:
    """A task of a page, with what the list shows of the case it is on."""

    kind: TaskKind
    department: str
    resource_type: str
    resource_id: str
    due_on: date | None
    # The listing or commitment the task is on: the resource itself, or the case it is
    # part of (a lifting request's listing, a verification's commitment).
    case_id: str
    on_listing: bool
    # The matter of the case (of the commitment a listing was proposed from, if any).
    matter_code: str | None
    # The subject of the case in full: (subject type, name, ID number).
    subject: tuple[str, str, str] | None
    # For an objection to review, the objection awaiting its review.
    objection_id: str | None
