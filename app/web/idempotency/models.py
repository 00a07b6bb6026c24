from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime
from app.privacy.crypto import EncryptedText


class IdempotencyRecord(Base):
    """The first answer to a create sent with an ``Idempotency-Key`` (docs/api.md), per caller.

    Written in the transaction of the create it answers for, so a create that committed
    always has its answer kept and one that did not leaves nothing. The answer's body is
    encrypted like every other value that may hold personal data (it is rotated by
    ``zwfw-credit rotate-key``).
    """

    __tablename__ = "idempotency_keys"

    # SHA-256 of the caller (the token's subject): fixed length, and no identity stored.
    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    headers: Mapped[list[list[str]]] = mapped_column(JSON)
    # base64 of the body's bytes, encrypted (EncryptedText holds text).
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
