from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntKey, UTCDateTime, new_id
from app.rules.disclosure import Audience


class Event(Base):
    """Transactional outbox: one row per state change, written in the same transaction.

    ``position`` is the place in the public feed. It is assigned after commit by the
    sequencer (app.events.service.sequence), in the order rows become visible, so a
    reader paging with ``after=<position>`` never skips an event whose transaction
    committed late.

    ``audience`` says who receives it (app.rules.disclosure): ``external`` events are in
    every reader's feed and delivered to subscriptions; ``internal`` ones (a listing not
    yet determined, LZ §5(1)4) stay with ``department``, the department that owns the case.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, default=new_id, unique=True)
    type: Mapped[str] = mapped_column(String(80))
    aggregate_type: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    audience: Mapped[str] = mapped_column(
        String(16), default=Audience.EXTERNAL.value, server_default=Audience.EXTERNAL.value
    )
    department: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_events_unsequenced", "position", "id"),
        Index("ix_events_aggregate", "aggregate_type", "aggregate_id"),
    )
