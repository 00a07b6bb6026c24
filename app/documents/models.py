from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id
from app.privacy.crypto import EncryptedText


class IssuedDocument(Base):
    """登记的出具文书: one printed document as issued, found by the hash of its
    verification code (核验码).

    ``code`` is kept encrypted, only to print the same code again on the same content;
    lookups go by ``code_hash``. ``fingerprint`` is the SHA-256 of the document's content
    (the same content is the same document), ``sha256`` that of the exact PDF bytes
    issued. No personal data: the entity is named by its id, the issuer by its code.
    """

    __tablename__ = "issued_documents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(EncryptedText)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32))
    department_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_on: Mapped[date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_issued_documents_content", "kind", "entity_id", "fingerprint"),)
