"""The work queue is read from each domain's rows; no task table to keep in step.

Each kind of task is read from one or more sources: one branch of its conditions (one
status, one department column) whose rows are one range of an index in (due day, id)
order. A page is the first ``limit`` tasks in (due day, kind, id) order after the
cursor, tasks without a due day last. Every source is read in two arms, its dated rows
and its undated rows, each in index order, after the cursor and limited to the page; one
statement takes the UNION ALL of the arms and cuts the page. So a page costs a few
indexed reads of at most ``limit`` rows whatever the size of the tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    func,
    join,
    literal_column,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, Verification
from app.restrictions.models import LiftingRequest, Restriction
from app.tasks.schemas import TaskKind

Row = tuple[TaskKind, str, str, str, date | None]
Key = tuple[date, str, str]  # (due day or NO_DUE, kind, resource id)
NO_DUE = date(9999, 12, 31)

# Kinds in the order of their values, the second key of the page order.
_KINDS = sorted(TaskKind, key=lambda kind: kind.value)
_RANK = {kind: rank for rank, kind in enumerate(_KINDS)}
_RESOURCE = {
    TaskKind.take_up_proposal: "restriction",
    TaskKind.issue_listing_notice: "restriction",
    TaskKind.review_objection: "restriction",
    TaskKind.decide_lifting: "lifting_request",
    TaskKind.send_reminder: "commitment",
    TaskKind.terminate_or_accept: "commitment",
    TaskKind.decide_commitment: "commitment",
    TaskKind.carry_out_verification: "verification",
    TaskKind.follow_rectification: "commitment",
}
# Written into the statement, not bound, so that the planner matches the partial
# indexes on open verifications.
_OPEN = literal_column("'open'", String)


@dataclass(frozen=True, slots=True)
class _Source:
    """The rows of one task kind that one index range holds."""

    kind: TaskKind
    department: Any
    id: Any
    due: Any
    conditions: tuple[Any, ...]
    # Whether rows without a due day can match (they sort after every dated task).
    undated: bool = True
    select_from: Any = None

    def select(self, *columns: Any) -> Select[Any]:
        query = select(*columns)
        if self.select_from is not None:
            query = query.select_from(self.select_from)
        return query.where(*self.conditions)


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
        arms = [
            arm
            for source in _sources(department, today)
            if kind is None or source.kind is kind
            for arm in _arms(source, due_before=due_before, after=after, limit=limit)
        ]
        if not arms:
            return []
        tasks = union_all(*arms).subquery("tasks")
        query = (
            select(tasks)
            .order_by(tasks.c.due_on.asc().nulls_last(), tasks.c.rank, tasks.c.id)
            .limit(limit)
        )
        rows: list[Row] = []
        for rank, department_code, resource_id, due_on in await self.session.execute(query):
            task_kind = _KINDS[rank]
            resource = _RESOURCE[task_kind]
            rows.append((task_kind, department_code, resource, str(resource_id), due_on))
        return rows

    async def overdue_by_department(self, today: date) -> dict[str, int]:
        """Tasks past their due day, counted per department (for metrics)."""
        counted = union_all(
            *(
                source.select(source.department, func.count())
                .where(source.due < today)
                .group_by(source.department)
                for source in _sources(None, today)
            )
        )
        counts: dict[str, int] = {}
        for department_code, count in (await self.session.execute(counted)).all():
            counts[department_code] = counts.get(department_code, 0) + count
        return counts


def _arms(
    source: _Source, *, due_before: date | None, after: Key | None, limit: int
) -> list[Select[Any]]:
    """The dated and the undated rows of ``source`` after the cursor, each a limited
    read in index order."""
    read_dated, read_undated = True, source.undated and due_before is None
    dated: list[Any] = [] if due_before is None else [source.due <= due_before]
    undated: list[Any] = [source.due.is_(None)]
    if after is not None:
        after_due, after_kind, after_text = after
        after_id = uuid.UUID(after_text)
        kind = source.kind.value
        if after_due == NO_DUE:
            # The cursor is among the undated tasks: every dated one came before it.
            read_dated = False
            if kind < after_kind:
                read_undated = False
            elif kind == after_kind:
                undated.append(source.id > after_id)
        elif kind > after_kind:
            dated.append(source.due >= after_due)
        elif kind == after_kind:
            dated.append(tuple_(source.due, source.id) > (after_due, after_id))
        else:
            dated.append(source.due > after_due)
    if source.undated and not dated:
        dated.append(source.due.is_not(None))
    columns = (
        literal_column(str(_RANK[source.kind]), Integer).label("rank"),
        source.department.label("department"),
        source.id.label("id"),
        source.due.label("due_on"),
    )
    # Both arms are read in index order, (due day, id), which for undated rows is id
    # order. Each is wrapped in a subquery: SQLite takes no ORDER BY or LIMIT on the arms
    # of a UNION ALL themselves.
    return [
        select(
            source.select(*columns)
            .where(*conditions)
            .order_by(source.due, source.id)
            .limit(limit)
            .subquery()
        )
        for read, conditions in ((read_dated, dated), (read_undated, undated))
        if read
    ]


def _sources(department: str | None, today: date) -> list[_Source]:
    """Every task kind's sources, for one department or (``None``) for all."""

    def of(column: Any) -> tuple[Any, ...]:
        return () if department is None else (column == department,)

    def restrictions(kind: TaskKind, status: str) -> _Source:
        return _Source(
            kind,
            Restriction.collecting_department,
            Restriction.id,
            Restriction.current_due_on,
            (Restriction.status == status, *of(Restriction.collecting_department)),
        )

    def commitments(kind: TaskKind, status: str, *conditions: Any, undated: bool = True) -> _Source:
        return _Source(
            kind,
            Commitment.department,
            Commitment.id,
            Commitment.current_due_on,
            (Commitment.status == status, *conditions, *of(Commitment.department)),
            undated=undated,
        )

    past_due = Commitment.current_due_on < today
    sources = [
        restrictions(TaskKind.take_up_proposal, "proposed"),
        restrictions(TaskKind.issue_listing_notice, "verified"),
        restrictions(TaskKind.review_objection, "under_review"),
        _Source(
            TaskKind.decide_lifting,
            Restriction.collecting_department,
            LiftingRequest.id,
            LiftingRequest.decision_due,
            (LiftingRequest.outcome.is_(None), *of(Restriction.collecting_department)),
            undated=False,
            select_from=join(
                LiftingRequest, Restriction, Restriction.id == LiftingRequest.restriction_id
            ),
        ),
        commitments(TaskKind.send_reminder, "overdue"),
        commitments(TaskKind.send_reminder, "accepted", past_due, undated=False),
        commitments(TaskKind.terminate_or_accept, "reminded", past_due, undated=False),
        commitments(TaskKind.decide_commitment, "committed"),
        commitments(TaskKind.decide_commitment, "supplemented"),
        commitments(TaskKind.follow_rectification, "rectification_ordered"),
    ]
    sources += _verifications(department)
    return sources


def _verifications(department: str | None) -> Sequence[_Source]:
    """Open verifications are the assigned department's work and, for on-site ones, the
    assisting department's; each is listed once, under the assigned department."""

    def source(*conditions: Any) -> _Source:
        return _Source(
            TaskKind.carry_out_verification,
            Verification.assigned_department,
            Verification.id,
            Verification.due_on,
            (Verification.status == _OPEN, *conditions),
        )

    if department is None:
        return [source()]
    return [
        source(Verification.assigned_department == department),
        source(
            Verification.assisting_department == department,
            Verification.assigned_department != department,
        ),
    ]
