"""The commitment register (信用承诺记录): one row a commitment, with its readable number,
and the serial counter that numbers them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow


class CreditCommitment(Base):
    """信用承诺: number, type, cause, content, liability for breach, signing day, accepting
    unit (受理单位) and disclosure class (公开范围).

    A commitment made in a case (容缺受理, 告知承诺) points at it (``commitment_id``): its
    fulfilment is derived from the case's life cycle and its cause, content and liability
    from the case's notice and letter, so those columns stay empty. A commitment made
    elsewhere (信用修复, registered through ``app.commitments.register.register``) keeps
    them, and its fulfilment, here.
    """

    __tablename__ = "credit_commitments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    commitment_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    signed_on: Mapped[date] = mapped_column(Date)
    disclosure: Mapped[str] = mapped_column(String(16))
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("commitments.id"), unique=True
    )
    cause: Mapped[str | None] = mapped_column(Text)
    content: Mapped[list[str] | None] = mapped_column(JSON)
    liability: Mapped[str | None] = mapped_column(Text)
    fulfilment: Mapped[str | None] = mapped_column(String(32))
    unfulfilled: Mapped[list[str] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # the public list (信用承诺公示): disclosable ones, newest first
        Index("ix_credit_commitments_disclosure_signed_on", "disclosure", "signed_on", "number"),
    )


class CommitmentSerial(Base):
    """The last serial given in a region on a day. Taken with one upsert that locks the
    row until the transaction ends, so two creates of the same region and day never
    get the same serial; a create rolled back gives its serial back."""

    __tablename__ = "commitment_serials"

    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
