"""The work queue is read from each domain's rows; no task table to keep in step.

Each kind of task is one query returning (department, resource id, due day). A page is
the first ``limit`` rows in (due day, kind, id) order after the cursor: every kind's
query applies the cursor, the order and the limit itself, so a page costs a few indexed
reads whatever the size of the tables.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, Verification
from app.restrictions.models import LiftingRequest, Restriction
from app.tasks.schemas import TaskKind

Row = tuple[TaskKind, str, str, str, date | None]
Key = tuple[date, str, str]  # (due day or NO_DUE, kind, resource id)
NO_DUE = date(9999, 12, 31)


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        department: str | None,
        today: date,
        *,
        kind: TaskKind | None = None,
        due_before: date | None = None,
        after: Key | None = None,
        limit: int,
    ) -> list[Row]:
        rows: list[Row] = []
        for task_kind, (_dept, id_col, due_col, query), resource in self._queries(
            department, today
        ):
            if kind is not None and task_kind is not kind:
                continue
            due = func.coalesce(due_col, literal(NO_DUE))
            if due_before is not None:
                query = query.where(due_col <= due_before)
            if after is not None:
                after_due, after_kind, after_text = after
                after_id = uuid.UUID(after_text)
                if task_kind.value > after_kind:
                    query = query.where(due >= after_due)
                elif task_kind.value == after_kind:
                    query = query.where(
                        or_(due > after_due, and_(due == after_due, id_col > after_id))
                    )
                else:
                    query = query.where(due > after_due)
            query = query.order_by(due, id_col).limit(limit)
            for department_code, resource_id, due_on in (await self.session.execute(query)).all():
                rows.append((task_kind, department_code, resource, str(resource_id), due_on))
        rows.sort(key=lambda r: ((r[4] or NO_DUE), r[0].value, r[3]))
        return rows[:limit]

    async def overdue_by_department(self, today: date) -> dict[str, int]:
        """Tasks past their due day, counted per department (for metrics)."""
        counts: dict[str, int] = {}
        for _kind, (dept_col, _id, due_col, query), _resource in self._queries(None, today):
            counted = (
                query.with_only_columns(dept_col, func.count())
                .where(due_col < today)
                .group_by(dept_col)
                .order_by(None)
            )
            for department_code, count in (await self.session.execute(counted)).all():
                counts[department_code] = counts.get(department_code, 0) + count
        return counts

    def _queries(
        self, department: str | None, today: date
    ) -> list[tuple[TaskKind, tuple[Any, Any, Any, Any], str]]:
        """Per task kind: (department column, id column, due column, query)."""

        def restrictions(status: str) -> tuple[Any, Any, Any, Any]:
            query = select(
                Restriction.collecting_department, Restriction.id, Restriction.current_due_on
            ).where(Restriction.status == status)
            if department is not None:
                query = query.where(Restriction.collecting_department == department)
            return (
                Restriction.collecting_department,
                Restriction.id,
                Restriction.current_due_on,
                query,
            )

        def commitments(*conditions: Any) -> tuple[Any, Any, Any, Any]:
            query = select(Commitment.department, Commitment.id, Commitment.current_due_on).where(
                *conditions
            )
            if department is not None:
                query = query.where(Commitment.department == department)
            return Commitment.department, Commitment.id, Commitment.current_due_on, query

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
            (
                TaskKind.decide_lifting,
                (
                    Restriction.collecting_department,
                    LiftingRequest.id,
                    LiftingRequest.decision_due,
                    lifting,
                ),
                "lifting_request",
            ),
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
            (
                TaskKind.carry_out_verification,
                (
                    Verification.assigned_department,
                    Verification.id,
                    Verification.due_on,
                    verifications,
                ),
                "verification",
            ),
            (
                TaskKind.follow_rectification,
                commitments(Commitment.status == "rectification_ordered"),
                "commitment",
            ),
        ]
