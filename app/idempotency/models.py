from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class IdempotencyRecord(Base):
    """The first answer to a create sent with an ``Idempotency-Key`` (API.md), per caller.

    ``pending`` while the first request runs (``owner`` is that request's, and it renews
    ``renewed_at`` while it runs); ``done`` with the fingerprint of that request and its
    response once it succeeded. A failed first request leaves nothing.
    """

    __tablename__ = "idempotency_keys"

    # SHA-256 of the caller (the token's subject): fixed length, and no identity stored.
    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    owner: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[list[list[str]] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
