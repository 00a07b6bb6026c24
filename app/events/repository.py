from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.events.models import Event
from app.rules.disclosure import Audience

# One advisory lock key for the sequencer, so several workers or readers never assign
# the same position twice ("zwfwseq" in ASCII).
SEQUENCER_LOCK = 0x7A7766777365


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, event: Event) -> None:
        self.session.add(event)

    async def get(self, event_id: int) -> Event | None:
        return await self.session.get(Event, event_id)

    async def lock_sequencer(self) -> None:
        """Hold the sequencer's lock until this transaction ends.

        PostgreSQL: a transaction-scoped advisory lock. SQLite needs none: it admits one
        writer at a time.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCER_LOCK}
            )

    async def unsequenced(self, batch: int) -> Sequence[Event]:
        """Up to ``batch`` events without a feed position, in id order."""
        query = select(Event).where(Event.position.is_(None)).order_by(Event.id).limit(batch)
        return (await self.session.scalars(query)).all()

    async def count_unsequenced(self) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Event).where(Event.position.is_(None))
        )
        return count or 0

    async def max_position(self) -> int | None:
        """The last feed position given, or None before the first."""
        return await self.session.scalar(select(func.max(Event.position)))

    async def set_positions(self, events: Sequence[Event], first: int) -> None:
        """Give ``events`` the positions ``first``, ``first + 1``, ... in one statement
        (executemany), and the loaded rows their positions without another write."""
        if not events:
            return
        table = cast(Table, Event.__table__)
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(position=bindparam("b_position"))
        )
        rows = [{"b_id": event.id, "b_position": first + n} for n, event in enumerate(events)]
        await self.session.execute(statement, rows)
        for row, event in zip(rows, events, strict=True):
            set_committed_value(event, "position", row["b_position"])

    async def page_after(
        self, after: int, limit: int, *, every: bool, department: str | None
    ) -> Sequence[Event]:
        """Up to ``limit`` sequenced events after position ``after``, in feed order: the
        external ones and ``department``'s internal ones, or ``every`` event."""
        query = (
            select(Event)
            .where(Event.position.is_not(None), Event.position > after)
            .order_by(Event.position)
            .limit(limit)
        )
        if not every:
            external = Event.audience == Audience.EXTERNAL.value
            query = query.where(
                external if department is None else or_(external, Event.department == department)
            )
        return (await self.session.scalars(query)).all()

    async def any_external(self, aggregate_type: str, aggregate_id: str) -> bool:
        """Whether an event of this case already left its department."""
        query = (
            select(Event.id)
            .where(
                Event.aggregate_type == aggregate_type,
                Event.aggregate_id == aggregate_id,
                Event.audience == Audience.EXTERNAL.value,
            )
            .limit(1)
        )
        return (await self.session.scalar(query)) is not None
