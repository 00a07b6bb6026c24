from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow
from app.privacy.crypto import EncryptedText, blind_index, keyring

PERSON = "person"
_IDENTIFIER_KIND = "id:"


def identifier_index(subject_type: str, id_number: str) -> str:
    return blind_index(_IDENTIFIER_KIND + subject_type, id_number)


def identifier_indexer(subject_type: str) -> Callable[[str], str]:
    """:func:`identifier_index` of one subject type for many identifiers (the key and
    the kind are absorbed once)."""
    return keyring().blind_indexer(_IDENTIFIER_KIND + subject_type)


def name_index(name: str) -> str:
    return blind_index("name", name.strip())


class Subject(Base):
    """申请人 or 代理人: a person (居民身份证号码) or an organisation (统一社会信用代码).

    A person's ID number, name and address are stored encrypted (app.privacy.crypto) with blind
    indexes for exact lookups; an organisation's code, name and address are public by law
    and stay in clear. Use the ``id_number``, ``name`` and ``address`` properties; query
    with :meth:`identifier_is` and :meth:`name_is`.
    """

    __tablename__ = "subjects"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_type: Mapped[str] = mapped_column(String(16))
    id_number_clear: Mapped[str | None] = mapped_column("id_number", String(18))
    id_number_secret: Mapped[str | None] = mapped_column(EncryptedText)
    id_number_index: Mapped[str] = mapped_column(String(64))
    name_clear: Mapped[str | None] = mapped_column("name", String(200))
    name_secret: Mapped[str | None] = mapped_column(EncryptedText)
    name_index: Mapped[str] = mapped_column(String(64), index=True)
    address_clear: Mapped[str | None] = mapped_column("address", String(500))
    address_secret: Mapped[str | None] = mapped_column(EncryptedText)
    key_id: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("subject_type", "id_number_index"),)

    @classmethod
    def build(
        cls, subject_type: str, id_number: str, name: str, address: str | None, now: datetime
    ) -> Subject:
        subject = cls(
            subject_type=subject_type,
            id_number_index=identifier_index(subject_type, id_number),
            created_at=now,
            updated_at=now,
        )
        if subject_type == PERSON:
            subject.id_number_secret = id_number
            subject.key_id = keyring().active_id
        else:
            subject.id_number_clear = id_number
        subject.name = name
        subject.address = address
        return subject

    @property
    def private(self) -> bool:
        return self.subject_type == PERSON

    @property
    def id_number(self) -> str:
        value = self.id_number_secret if self.private else self.id_number_clear
        assert value is not None
        return value

    @property
    def name(self) -> str:
        value = self.name_secret if self.private else self.name_clear
        return value or ""

    @name.setter
    def name(self, value: str) -> None:
        self.name_index = name_index(value)
        if self.private:
            self.name_secret, self.name_clear = value, None
        else:
            self.name_clear, self.name_secret = value, None

    @property
    def address(self) -> str | None:
        return self.address_secret if self.private else self.address_clear

    @address.setter
    def address(self, value: str | None) -> None:
        if self.private:
            self.address_secret, self.address_clear = value, None
        else:
            self.address_clear, self.address_secret = value, None

    @staticmethod
    def identity_columns(subject: Any) -> tuple[Any, ...]:
        """The stored columns of a subject's ID number and name (of ``subject``, the class
        or an alias of it), for a read that loads them rather than the subject."""
        return (
            subject.id_number_clear,
            subject.id_number_secret,
            subject.name_clear,
            subject.name_secret,
        )

    @staticmethod
    def stored_identity(
        subject_type: str,
        id_number_clear: str | None,
        id_number_secret: str | None,
        name_clear: str | None,
        name_secret: str | None,
    ) -> tuple[str, str]:
        """(name, ID number) from the columns of :meth:`identity_columns`, as ``name`` and
        ``id_number`` read them."""
        private = subject_type == PERSON
        id_number = id_number_secret if private else id_number_clear
        assert id_number is not None
        return (name_secret if private else name_clear) or "", id_number

    @classmethod
    def identifier_is(cls, subject_type: str, id_number: str) -> ColumnElement[bool]:
        return (cls.subject_type == subject_type) & (
            cls.id_number_index == identifier_index(subject_type, id_number)
        )

    @classmethod
    def identifier_any_type(cls, id_number: str) -> ColumnElement[bool]:
        """The identifier of a person or an organisation (the caller gave no type)."""
        return cls.identifier_is(PERSON, id_number) | cls.identifier_is("organization", id_number)

    @classmethod
    def name_is(cls, name: str) -> ColumnElement[bool]:
        return cls.name_index == name_index(name)


def subject_row(
    subject_type: str, id_number: str, name: str, address: str | None, now: datetime
) -> dict[str, object]:
    """The column values of a new subject, for bulk inserts through SQLAlchemy Core."""
    subject = Subject.build(subject_type, id_number, name, address, now)
    subject.id = new_id()
    return {attr.key: getattr(subject, attr.key) for attr in Subject.__mapper__.column_attrs}


@dataclass(frozen=True, slots=True)
class StoredSubject:
    """A stored subject as a statement reads it, personal data in clear (left out of its
    ``repr``, so no log or traceback that prints one shows them)."""

    id: uuid.UUID
    subject_type: str
    id_number: str = field(repr=False)
    name: str = field(repr=False)
    address: str | None = field(repr=False)

    @classmethod
    def of_columns(
        cls,
        id_: uuid.UUID,
        subject_type: str,
        clear: tuple[str | None, str | None, str | None],
        secret: tuple[str | None, str | None, str | None],
    ) -> StoredSubject:
        """From the columns as stored (number, name, address each in clear and encrypted):
        a person's from the encrypted ones, an organisation's from those in clear."""
        number, name, address = secret if subject_type == PERSON else clear
        assert number is not None
        return cls(id_, subject_type, number, name or "", address)

    @classmethod
    def of_slots(cls, row: Any) -> StoredSubject:
        """From a wide row whose slots :func:`stored_slots` filled."""
        return cls.of_columns(row.u1, row.s1, (row.s2, row.s4, row.s5), (row.e1, row.e2, row.e3))


# The slots of a wide row (app.core.direct.branch) a subject's stored columns fill, in
# the order of :func:`stored_columns`.
_STORED_SLOTS = ("u1", "s1", "s2", "s4", "s5", "e1", "e2", "e3")


def stored_slots(columns: Sequence[Any] | None = None) -> dict[str, Any]:
    """Each stored column (the subjects table's, or a CTE's in the same order) by the slot
    of a wide row it fills; :meth:`StoredSubject.of_slots` reads them back."""
    return dict(zip(_STORED_SLOTS, columns or stored_columns(), strict=True))


def stored_columns() -> tuple[Any, ...]:
    """The columns :meth:`StoredSubject.of_columns` reads, in the order it takes them."""
    s = Subject
    return (
        s.id,
        s.subject_type,
        s.id_number_clear,
        s.name_clear,
        s.address_clear,
        s.id_number_secret,
        s.name_secret,
        s.address_secret,
    )
