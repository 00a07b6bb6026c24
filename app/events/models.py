from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntKey, UTCDateTime, new_id


class Event(Base):
    """Transactional outbox: one row per state change, written in the same transaction.

    ``position`` is the place in the public feed. It is assigned after commit by the
    sequencer (app.events.service.sequence), in the order rows become visible, so a
    reader paging with ``after=<position>`` never skips an event whose transaction
    committed late.
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

    __table_args__ = (Index("ix_events_unsequenced", "position", "id"),)
