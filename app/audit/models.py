from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntKey, UTCDateTime, utcnow


class AuditEntry(Base):
    """审计日志: one append-only row per read of credit data or change of state.

    Rows are ordered by ``id``, a sequence: the order of the log is the order of writes.
    A row is written with the change it records, unchained; the chainer
    (``app.audit.service.chain_pending``) then gives committed rows, in id order, the next
    ``position`` in the hash chain and links each to the one before it by ``prev_hash``
    and ``hash`` (see ``app.audit.chain``). Chaining after commit means no write waits
    for another to commit. ``prev_hash`` and ``position`` are unique: the chain cannot
    fork.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON)
    department: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str | None] = mapped_column(String(500))
    request_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    hash: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)

    __table_args__ = (
        Index("ix_audit_log_target", "target_type", "target_id"),
        Index("ix_audit_log_actor", "actor"),
        # The rows still to chain, found without reading the chained ones.
        Index(
            "ix_audit_log_unchained",
            "id",
            postgresql_where=text("position IS NULL"),
            sqlite_where=text("position IS NULL"),
        ),
    )
