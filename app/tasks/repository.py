"""The work queue is read from each domain's rows; no task table to keep in step.

Each kind of task is read from one or more sources: one branch of its conditions (one
status, one department column) whose rows are one range of an index in (due day, id)
order. A page is the first ``limit`` tasks in (due day, kind, id) order after the
cursor, tasks without a due day last. Every source is read in two arms, its dated rows
and its undated rows, each in index order, after the cursor and limited to the page; one
statement takes the UNION ALL of the arms and cuts the page, and reads with each task
the matter and the subject of its case by primary key (``_with_cases``). So a page costs
a few indexed reads of at most ``limit`` rows whatever the size of the tables, in one
round trip.

A source whose due day is a stored deadline rather than ``current_due_on`` (cases
recorded overdue, see ``_due_on``; orders to issue) is read in the order of that
deadline's ISO text, which sorts as the days do and which an index can hold (a cast of
text to a date is not immutable in PostgreSQL, so no index holds the day itself); the
days it is compared with are bound as ISO text too. Effective listings for the repair
notice (``_repair``) are read through the range of their period ends before today, which
their index holds, and sorted by the notice's day: a read of the listings that are tasks,
not of every effective listing. Each status a source reads is written into the statement,
not bound, so that PostgreSQL proves a partial index's predicate from it in the plan it
makes once for every call.

A task's due day is the same before and after the worker records what time has done: a
tolerance case past its supplement deadline makes a reminder due on that deadline whether
it is still recorded as accepted or already as overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    Uuid,
    bindparam,
    case,
    func,
    join,
    literal_column,
    null,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.commitments.models import Commitment, Verification, VerificationStatus
from app.core.db import stored_deadline
from app.restrictions.models import (
    CorrectionDuty,
    LiftingRequest,
    Objection,
    RepairApplication,
    Restriction,
)
from app.rules.due import DUE_BY_STATE
from app.rules.lifecycles import Machine, RestrictionState
from app.rules.tasks import (
    RECTIFICATION_ORDER_DUE,
    REPAIR_NOTICE_DUE,
    STATE_TASKS,
    StateTask,
    TaskKind,
    Timing,
)
from app.subjects.models import Subject
from app.tasks.kinds import KINDS, NO_DUE, ON_LISTING, RANK, RESOURCE, Key, Row


def _constant(value: str) -> Any:
    """``value`` written into the statement, not bound, so that the planner matches the
    partial indexes whose predicate names it (a status of the code's own, no quote)."""
    assert "'" not in value
    return literal_column(f"'{value}'", String)


_OPEN = _constant(VerificationStatus.OPEN.value)


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
    # The case the resource is part of (a lifting request's listing), if any.
    parent: Any = None
    # When ``due`` is a stored deadline's day: its ISO text, what the arms range over and
    # read in order (the day itself is what they list).
    stored: Any = None

    def key(self, day: Any, text_day: Any) -> tuple[Any, Any]:
        """The due day as the arms compare and order it, and the bound day to compare it
        with (``day`` a date, ``text_day`` the same day as ISO text)."""
        return (self.due, day) if self.stored is None else (self.stored, text_day)

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
        cursor = None if after is None else (after[0] == NO_DUE, after[1])
        query = _page_statement(department is not None, kind, due_before is not None, cursor)
        if query is None:
            return []
        parameters: dict[str, Any] = {
            "department": department,
            "today": today,
            "today_text": today.isoformat(),
            "due_before": due_before,
            "due_before_text": None if due_before is None else due_before.isoformat(),
            "limit": limit,
        }
        if after is not None:
            parameters["after_due"], parameters["after_id"] = after[0], uuid.UUID(after[2])
            parameters["after_due_text"] = after[0].isoformat()
        if self.session.get_bind().dialect.name == "postgresql":
            # Every arm is an index range whatever the values, so the plan made once for
            # the prepared statement serves every call; left to choose, PostgreSQL often
            # plans the 21 arms again on each call, which costs more than running them.
            await self.session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        rows: list[Row] = []
        for (
            rank,
            department_code,
            resource_id,
            due_on,
            parent,
            matter_code,
            subject_type,
            *identity,
            objection_id,
        ) in await self.session.execute(query, parameters):
            task_kind = KINDS[rank]
            resource = RESOURCE[task_kind]
            rows.append(
                Row(
                    task_kind,
                    department_code,
                    resource,
                    str(resource_id),
                    due_on,
                    str(parent or resource_id),
                    resource in ON_LISTING,
                    matter_code,
                    None
                    if subject_type is None
                    else (subject_type, *Subject.stored_identity(subject_type, *identity)),
                    None if objection_id is None else str(objection_id),
                )
            )
        return rows

    async def overdue_by_department(self, today: date) -> dict[str, int]:
        """Tasks past their due day, counted per department (for metrics)."""
        counts: dict[str, int] = {}
        rows = await self.session.execute(
            _overdue_statement(), {"today": today, "today_text": today.isoformat()}
        )
        for department_code, count in rows.all():
            counts[department_code] = counts.get(department_code, 0) + count
        return counts


# The values of a page are bound parameters, so each shape of page (one department or
# all, which kind, whether a due day bounds it, where the cursor stands) is one statement
# built once and compiled once.
_DEPARTMENT = bindparam("department", type_=String)
_TODAY = bindparam("today", type_=Date)
_DUE_BEFORE = bindparam("due_before", type_=Date)
_AFTER_DUE = bindparam("after_due", type_=Date)
# The same days as ISO text, for the sources whose due day is a stored deadline.
_TODAY_TEXT = bindparam("today_text", type_=String)
_DUE_BEFORE_TEXT = bindparam("due_before_text", type_=String)
_AFTER_DUE_TEXT = bindparam("after_due_text", type_=String)
_AFTER_ID = bindparam("after_id", type_=Uuid)
_LIMIT = bindparam("limit", type_=Integer)


@lru_cache(maxsize=512)
def _page_statement(
    one_department: bool,
    kind: TaskKind | None,
    bounded: bool,
    cursor: tuple[bool, str] | None,
) -> Select[Any] | None:
    """The page for one shape; ``cursor`` is (among the undated tasks, its kind)."""
    arms = [
        arm
        for source in _sources(one_department)
        if kind is None or source.kind is kind
        for arm in _arms(source, bounded=bounded, cursor=cursor)
    ]
    if not arms:
        return None
    tasks = union_all(*arms).subquery("tasks")
    page = (
        select(tasks)
        .order_by(tasks.c.due_on.asc().nulls_last(), tasks.c.rank, tasks.c.id)
        .limit(_LIMIT)
        .subquery("page")
    )
    return _with_cases(page)


def _with_cases(page: Any) -> Select[Any]:
    """The tasks of ``page`` in its order, each with the matter and the subject of the
    case it is on and, for an objection to review, the objection awaiting its review: a
    few reads by primary key per task, in the page's one statement."""
    listing_ranks = [
        literal_column(str(RANK[kind]), Integer) for kind in KINDS if RESOURCE[kind] in ON_LISTING
    ]
    on_listing = page.c.rank.in_(listing_ranks)
    case_id = func.coalesce(page.c.parent, page.c.id)
    listing = aliased(Restriction, name="listing")
    commitment = aliased(Commitment, name="commitment")  # the case, a commitment
    proposed_from = aliased(Commitment, name="proposed_from")  # the listing's commitment
    subject = aliased(Subject, name="subject")
    objection = (
        select(Objection.id)
        .where(Objection.restriction_id == page.c.id, Objection.outcome.is_(None))
        .order_by(Objection.filed_on, Objection.id)
        .limit(1)
        .correlate(page)
        .scalar_subquery()
    )
    review = literal_column(str(RANK[TaskKind.review_objection]), Integer)
    return (
        select(
            page.c.rank,
            page.c.department,
            page.c.id,
            page.c.due_on,
            page.c.parent,
            func.coalesce(commitment.matter_code, proposed_from.matter_code),
            subject.subject_type,
            *Subject.identity_columns(subject),
            case((page.c.rank == review, objection), else_=null()),
        )
        .select_from(page)
        # the key NULL where the case is not of the table: no read of its index at all
        .outerjoin(listing, listing.id == case((on_listing, case_id), else_=null()))
        .outerjoin(commitment, commitment.id == case((on_listing, null()), else_=case_id))
        .outerjoin(proposed_from, proposed_from.id == listing.commitment_id)
        .outerjoin(subject, subject.id == func.coalesce(listing.subject_id, commitment.subject_id))
        .order_by(page.c.due_on.asc().nulls_last(), page.c.rank, page.c.id)
    )


@lru_cache(maxsize=1)
def _overdue_statement() -> CompoundSelect[Any]:
    return union_all(
        *(
            source.select(source.department, func.count())
            .where(source.due < _TODAY)
            .group_by(source.department)
            for source in _sources(False)
        )
    )


def _arms(source: _Source, *, bounded: bool, cursor: tuple[bool, str] | None) -> list[Select[Any]]:
    """The dated and the undated rows of ``source`` after the cursor, each a limited
    read in index order."""
    read_dated, read_undated = True, source.undated and not bounded
    due, due_before = source.key(_DUE_BEFORE, _DUE_BEFORE_TEXT)
    after_due = source.key(_AFTER_DUE, _AFTER_DUE_TEXT)[1]
    dated: list[Any] = [due <= due_before] if bounded else []
    undated: list[Any] = [due.is_(None)]
    if cursor is not None:
        among_undated, after_kind = cursor
        kind = source.kind.value
        if among_undated:
            # The cursor is among the undated tasks: every dated one came before it.
            read_dated = False
            if kind < after_kind:
                read_undated = False
            elif kind == after_kind:
                undated.append(source.id > _AFTER_ID)
        elif kind > after_kind:
            dated.append(due >= after_due)
        elif kind == after_kind:
            dated.append(tuple_(due, source.id) > tuple_(after_due, _AFTER_ID))
        else:
            dated.append(due > after_due)
    if source.undated and not dated:
        dated.append(due.is_not(None))
    columns = (
        literal_column(str(RANK[source.kind]), Integer).label("rank"),
        source.department.label("department"),
        source.id.label("id"),
        source.due.label("due_on"),
        (source.parent if source.parent is not None else null().cast(Uuid)).label("parent"),
    )
    # Both arms are read in index order, (due day, id), which for undated rows is id
    # order. Each is wrapped in a subquery: SQLite takes no ORDER BY or LIMIT on the arms
    # of a UNION ALL themselves.
    return [
        select(
            source.select(*columns)
            .where(*conditions)
            .order_by(due, source.id)
            .limit(_LIMIT)
            .subquery()
        )
        for read, conditions in ((read_dated, dated), (read_undated, undated))
        if read
    ]


def _sources(one_department: bool) -> list[_Source]:
    """Every task kind's sources, for the bound department or for all."""

    def of(column: Any) -> tuple[Any, ...]:
        return (column == _DEPARTMENT,) if one_department else ()

    def source(task: StateTask) -> _Source:
        table: Any = Restriction if task.machine is Machine.RESTRICTION else Commitment
        department = (
            Restriction.collecting_department if table is Restriction else Commitment.department
        )
        due, stored = _due_on(table, task)
        key, today = (due, _TODAY) if stored is None else (stored, _TODAY_TEXT)
        timing = {
            Timing.FROM_ENTRY: (),
            Timing.IN_TIME: (key >= today,),
            Timing.LATE: (key < today,),
            Timing.UNCOUNTED: (key.is_(None),),
        }[task.timing]
        return _Source(
            task.kind,
            department,
            table.id,
            due,
            (table.status == _constant(task.state.value), *timing, *of(department)),
            undated=task.undated,
            stored=stored,
        )

    sources = [source(task) for task in STATE_TASKS]
    sources.append(
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
            parent=Restriction.id,
        )
    )
    sources += _repair(one_department)
    sources.append(
        _Source(
            TaskKind.correct_listing,
            Restriction.collecting_department,
            CorrectionDuty.id,
            CorrectionDuty.due_on,
            (CorrectionDuty.outcome.is_(None), *of(Restriction.collecting_department)),
            undated=False,
            select_from=join(
                CorrectionDuty, Restriction, Restriction.id == CorrectionDuty.restriction_id
            ),
            parent=Restriction.id,
        )
    )
    sources += _verifications(one_department)
    order_due = stored_deadline(Commitment.deadlines, RECTIFICATION_ORDER_DUE.value)
    sources.append(
        # A nonconforming supervision feedback awaiting its order (DZ art. 13 ¶2): due the
        # stored day; undated under a profile without the parameter.
        _Source(
            TaskKind.order_rectification,
            Commitment.department,
            Commitment.id,
            func.date(order_due, type_=Date),
            # the bare column, as the partial index states it: PostgreSQL proves its predicate
            # from "supervision_order_pending", not from "… IS TRUE"
            (Commitment.supervision_order_pending, *of(Commitment.department)),
            stored=order_due,
        )
    )
    return sources


def _repair(one_department: bool) -> Sequence[_Source]:
    """An unrectified period end (LZ §5(1)5): the repair notice is the collecting
    department's work from the day after the period end (the start of its stored
    deadline), derived by date, until it is issued or rectification is recorded; proof
    of rectification filed and not yet decided is its work until decided."""
    department = Restriction.collecting_department
    of = (department == _DEPARTMENT,) if one_department else ()
    notice_due = stored_deadline(Restriction.deadlines, REPAIR_NOTICE_DUE.value)
    return [
        _Source(
            TaskKind.issue_repair_notice,
            department,
            Restriction.id,
            func.date(notice_due, type_=Date),
            (
                Restriction.status == _constant(RestrictionState.EFFECTIVE.value),
                Restriction.rectified_on.is_(None),
                Restriction.repair_notice_issued_on.is_(None),
                # the period end (the start of the notice's deadline) as ISO text, a range
                # of the index of listings awaiting their notice
                stored_deadline(Restriction.deadlines, REPAIR_NOTICE_DUE.value, "start")
                < _TODAY_TEXT,
                *of,
            ),
            undated=False,
            stored=notice_due,
        ),
        _Source(
            TaskKind.decide_repair,
            department,
            RepairApplication.id,
            RepairApplication.decision_due,
            # proof of rectification (LZ §5(1)5); credit repair on application is not a task yet
            (
                RepairApplication.outcome.is_(None),
                RepairApplication.route == _constant("period_end"),
                *of,
            ),
            undated=False,
            select_from=join(
                RepairApplication, Restriction, Restriction.id == RepairApplication.restriction_id
            ),
            parent=Restriction.id,
        ),
    ]


def _due_on(table: Any, task: StateTask) -> tuple[Any, Any]:
    """The due day of ``task`` and, when it is a stored deadline's, that deadline's ISO
    text: its state's due day (``current_due_on``) when the task's deadline is the one that
    governs the state; else that deadline as stored, which the state keeps although it no
    longer governs it. A case recorded overdue has no due day of its own, yet its reminder
    is due since the supplement deadline passed (DZ art. 13 ¶1), as it was the day before
    the worker recorded it."""
    if task.due is None or DUE_BY_STATE[task.machine].get(task.state) == task.due:
        return table.current_due_on, None
    stored = stored_deadline(table.deadlines, task.due.value)
    # date() is a cast in PostgreSQL and the ISO day itself in SQLite.
    return func.date(stored, type_=Date), stored


def _verifications(one_department: bool) -> Sequence[_Source]:
    """Open verifications are the assigned department's work and, for on-site ones, the
    assisting department's; each is listed once, under the assigned department."""

    def source(*conditions: Any) -> _Source:
        return _Source(
            TaskKind.carry_out_verification,
            Verification.assigned_department,
            Verification.id,
            Verification.due_on,
            (Verification.status == _OPEN, *conditions),
            parent=Verification.commitment_id,
        )

    if not one_department:
        return [source()]
    return [
        source(Verification.assigned_department == _DEPARTMENT),
        source(
            Verification.assisting_department == _DEPARTMENT,
            Verification.assigned_department != _DEPARTMENT,
        ),
    ]
