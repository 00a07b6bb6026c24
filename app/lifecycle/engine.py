"""The one step engine: guard -> transition -> stored deadline -> history, audit, event.

Every life cycle (commitments under DZ, listings under LZ) runs its steps here. A domain
describes its cases once, in a :class:`LifeCycle` (how a history row is built, what its
event carries, which deadline governs each state); the engine applies an event through
the rule module's transition table, stores the deadline the new state counts, and writes
the history row, the audit entry and the outbox event of the step together, in the
caller's transaction. What is a step, what it may do and when are decided by the tables
in ``app.rules.lifecycles``; the engine only carries a decision out. Who receives the
event is decided the same way, by the life cycle's rule (``app.rules.disclosure`` for
listings): the engine applies it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.events.service import disclosed, emit
from app.lifecycle.deadlines import deadline_json, due_date, recount_provisional
from app.lifecycle.refusals import refusal
from app.lifecycle.repository import HistoryRepository
from app.rules.calendar import WorkingCalendar
from app.rules.citations import Citation
from app.rules.disclosure import Audience
from app.rules.lifecycles import (
    DeadlineRule,
    Event,
    GuardContext,
    GuardFailed,
    Machine,
    TransitionNotAllowed,
    TransitionResult,
    apply,
)
from app.rules.periods import Deadline
from app.web.auth import Principal

# Who records what time has done (a lapsed window, a passed deadline).
SYSTEM = Principal(sub="system:deadlines", roles=frozenset(), department=None)


class Case(Protocol):
    """What the engine needs of a case: its state, its stored deadlines, its due day."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def status(self) -> str: ...
    @status.setter
    def status(self, value: str) -> None: ...
    @property
    def deadlines(self) -> dict[str, Any]: ...
    @deadlines.setter
    def deadlines(self, value: dict[str, Any]) -> None: ...
    @property
    def current_due_on(self) -> date | None: ...
    @current_due_on.setter
    def current_due_on(self, value: date | None) -> None: ...
    @property
    def updated_at(self) -> datetime: ...
    @updated_at.setter
    def updated_at(self, value: datetime) -> None: ...


# What the outbox event of a step carries: (case, event, from, details, ctx) -> data.
EventData = Callable[[Any, str, str, dict[str, Any], Context], Awaitable[dict[str, Any]]]
# Counts the deadline a new state starts; None when the case has none to count.
CountDeadline = Callable[[DeadlineRule], Awaitable[Deadline | None]]


class AudienceRule(Protocol):
    """Who receives the event of a step from ``source`` to ``target``; ``disclosed``: an
    earlier event of the case already left its department."""

    def __call__(self, source: str, target: str, *, disclosed: bool) -> Audience: ...


@dataclass(frozen=True, slots=True)
class LifeCycle:
    """One domain's cases as the engine sees them.

    ``kind`` names the audit target type and prefixes every action and event type
    (``restriction.publish``); ``history(case, **fields)`` builds the history row of a
    step from its common fields (event, from_status, to_status, ...); ``due_by_state``
    is the rule module's table of the deadline that governs each state (its
    ``current_due_on``); a refusal whose code is in ``closed_step_codes`` is answered
    like a step the state has no row for. ``audience`` is the rule module's answer to who
    receives a step's event (None: every event leaves), ``department`` the department
    that owns a case, with whom an internal event stays.
    """

    kind: str
    history: Callable[..., object]
    event_data: EventData
    due_by_state: Mapping[str, DeadlineRule]
    closed_step_codes: Collection[str] = field(default_factory=frozenset)
    audience: AudienceRule | None = None
    department: Callable[[Any], str] | None = None

    def due_on(self, case: Case) -> date | None:
        """The due day of the deadline that governs the case's stored state."""
        rule = self.due_by_state.get(case.status)
        return due_date(case.deadlines, rule.value if rule else None)


def decide(
    machine: Machine,
    state: str,
    event: Event,
    guard: GuardContext,
    closed_step_codes: Collection[str] = (),
) -> TransitionResult:
    """The table's answer for ``event`` in ``state``, or the 409 that refuses it."""
    try:
        return apply(machine, state, event, guard)
    except (GuardFailed, TransitionNotAllowed) as exc:
        raise refusal(exc, closed_step_codes) from None


def store_deadline(life: LifeCycle, case: Case, name: str, deadline: Deadline) -> str:
    """Store ``deadline`` under ``name`` with its unit, start and citation; the case's due
    day follows. Returns the day, as the step's details record it."""
    case.deadlines = {**case.deadlines, name: deadline_json(name, deadline)}
    case.current_due_on = life.due_on(case)
    return deadline.date.isoformat()


async def record_transition(
    session: AsyncSession,
    ctx: Context,
    life: LifeCycle,
    case: Case,
    event: str,
    source: str,
    citation: Citation | None,
    details: dict[str, Any],
    *,
    principal: Principal | None = None,
    transition: bool = True,
) -> None:
    """History row, audit entry and outbox event of one step, together.

    ``transition=False`` for a recorded fact that moves no state (a recomputed deadline):
    its audit entry carries the details alone."""
    actor = principal or ctx.principal
    HistoryRepository(session).add(
        life.history(
            case,
            event=event,
            from_status=source,
            to_status=case.status,
            occurred_at=ctx.now,
            actor=actor.sub,
            department=actor.department,
            citation=citation.label if citation else None,
            details=details,
        )
    )
    await record(
        session,
        actor,
        action=f"{life.kind}.{event}",
        target_type=life.kind,
        target_id=str(case.id),
        details={"from": source, "to": case.status, **details} if transition else details,
    )
    await emit(
        session,
        type=f"{life.kind}.{event}",
        aggregate_type=life.kind,
        aggregate_id=str(case.id),
        occurred_at=ctx.now,
        data=await life.event_data(case, event, source, details, ctx),
        audience=await _audience(session, life, case, source),
        department=life.department(case) if life.department else None,
    )


async def _audience(session: AsyncSession, life: LifeCycle, case: Case, source: str) -> Audience:
    """The life cycle's rule applied to the step: once an event of the case has left its
    department, the rule is asked with ``disclosed``."""
    if life.audience is None:
        return Audience.EXTERNAL
    audience = life.audience(source, case.status, disclosed=False)
    if audience is Audience.INTERNAL and await disclosed(session, life.kind, str(case.id)):
        audience = life.audience(source, case.status, disclosed=True)
    return audience


async def transit(
    session: AsyncSession,
    ctx: Context,
    life: LifeCycle,
    case: Case,
    machine: Machine,
    event: Event,
    guard: GuardContext,
    *,
    details: Mapping[str, Any] | None = None,
    count: CountDeadline | None = None,
    principal: Principal | None = None,
) -> TransitionResult:
    """Apply ``event`` to ``case``: guard, new state, the deadline the new state starts
    (counted by ``count``, recorded in the step's details), due day, history, audit, event.
    """
    result = decide(machine, case.status, event, guard, life.closed_step_codes)
    source = case.status
    case.status = str(result.target)
    case.updated_at = ctx.now
    extra = dict(details or {})
    if result.deadline_rule is not None and count is not None:
        deadline = await count(result.deadline_rule)
        if deadline is not None:
            name = result.deadline_rule.value
            extra[name] = store_deadline(life, case, name, deadline)
    case.current_due_on = life.due_on(case)
    await record_transition(
        session,
        ctx,
        life,
        case,
        result.event.value,
        source,
        result.citation,
        extra,
        principal=principal,
    )
    return result


async def recompute_provisional(
    session: AsyncSession,
    ctx: Context,
    life: LifeCycle,
    cases: Iterable[Case],
    calendar: WorkingCalendar,
    follow: Callable[[Any], Awaitable[None]],
) -> int:
    """Calendar hook body: each case's provisional deadlines counted again on ``calendar``.

    A case that changed gets its due day again, ``follow`` (what hangs on its deadlines:
    a pending objection's or an open verification's due day), and a ``deadline_recomputed``
    step of its own. Returns how many cases changed."""
    changed = 0
    for case in cases:
        updated, changes = recount_provisional(case.deadlines, calendar)
        if not changes:
            continue
        case.deadlines = updated
        case.current_due_on = life.due_on(case)
        case.updated_at = ctx.now
        await follow(case)
        await record_transition(
            session,
            ctx,
            life,
            case,
            "deadline_recomputed",
            case.status,
            None,
            changes,
            transition=False,
        )
        changed += 1
    await session.flush()
    return changed
