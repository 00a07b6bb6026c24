"""The work queue is read from each domain's rows; no task table to keep in step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, Verification
from app.restrictions.models import LiftingRequest, Restriction
from app.tasks.schemas import TaskKind

Row = tuple[TaskKind, str, str, str, date | None]


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tasks(self, department: str | None, today: date) -> list[Row]:
        rows: list[Row] = []
        for kind, query, resource in self._queries(department, today):
            for department_code, resource_id, due in (await self.session.execute(query)).all():
                rows.append((kind, department_code, resource, str(resource_id), due))
        return rows

    def _queries(self, department: str | None, today: date) -> list[tuple[TaskKind, Any, str]]:
        """Per task kind: a query of (department, resource id, due day)."""

        def restrictions(status: str) -> Any:
            query = select(
                Restriction.collecting_department, Restriction.id, Restriction.current_due_on
            ).where(Restriction.status == status)
            if department is not None:
                query = query.where(Restriction.collecting_department == department)
            return query

        def commitments(*conditions: Any) -> Any:
            query = select(Commitment.department, Commitment.id, Commitment.current_due_on).where(
                *conditions
            )
            if department is not None:
                query = query.where(Commitment.department == department)
            return query

        lifting = (
            select(
                Restriction.collecting_department, LiftingRequest.id, LiftingRequest.decision_due
            )
            .join(Restriction, Restriction.id == LiftingRequest.restriction_id)
            .where(LiftingRequest.outcome.is_(None))
        )
        verifications = select(
            Verification.assigned_department, Verification.id, Verification.due_on
        ).where(Verification.status == "open")
        if department is not None:
            lifting = lifting.where(Restriction.collecting_department == department)
            verifications = verifications.where(
                or_(
                    Verification.assigned_department == department,
                    Verification.assisting_department == department,
                )
            )
        return [
            (TaskKind.take_up_proposal, restrictions("proposed"), "restriction"),
            (TaskKind.issue_listing_notice, restrictions("verified"), "restriction"),
            (TaskKind.review_objection, restrictions("under_review"), "restriction"),
            (TaskKind.decide_lifting, lifting, "lifting_request"),
            (
                TaskKind.send_reminder,
                commitments(
                    or_(
                        Commitment.status == "overdue",
                        and_(Commitment.status == "accepted", Commitment.current_due_on < today),
                    )
                ),
                "commitment",
            ),
            (
                TaskKind.terminate_or_accept,
                commitments(Commitment.status == "reminded", Commitment.current_due_on < today),
                "commitment",
            ),
            (
                TaskKind.decide_commitment,
                commitments(Commitment.status.in_(("committed", "supplemented"))),
                "commitment",
            ),
            (TaskKind.carry_out_verification, verifications, "verification"),
            (
                TaskKind.follow_rectification,
                commitments(Commitment.status == "rectification_ordered"),
                "commitment",
            ),
        ]
