from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, CommitmentEvent, Verification
from app.commitments.register_models import CommitmentSerial, CreditCommitment
from app.rules.lifecycles import ToleranceState
from app.subjects.models import Subject


class CommitmentSummary(NamedTuple):
    id: uuid.UUID
    matter_code: str
    mode: str
    status: str
    department: str


_T = ToleranceState


# Built once (every credit profile reads it): bound per request.
_SUMMARIES_OF_SUBJECT = (
    select(
        Commitment.id,
        Commitment.matter_code,
        Commitment.mode,
        case(
            (
                and_(
                    Commitment.status == _T.ACCEPTED,
                    Commitment.current_due_on < bindparam("today"),
                ),
                literal(_T.OVERDUE.value),
            ),
            else_=Commitment.status,
        ),
        Commitment.department,
    )
    .where(Commitment.subject_id == bindparam("subject_id"))
    .order_by(Commitment.created_at, Commitment.id)
)


class CommitmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, commitment_id: uuid.UUID, *, for_update: bool = False) -> Commitment | None:
        query = select(Commitment).where(Commitment.id == commitment_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query)).one_or_none()

    async def get_by_credit_check(self, check_id: uuid.UUID) -> Commitment | None:
        query = select(Commitment).where(Commitment.credit_check_id == check_id)
        return (await self.session.scalars(query)).one_or_none()

    async def events(self, commitment_id: uuid.UUID) -> Sequence[CommitmentEvent]:
        query = (
            select(CommitmentEvent)
            .where(CommitmentEvent.commitment_id == commitment_id)
            .order_by(CommitmentEvent.id)
        )
        return (await self.session.scalars(query)).all()

    async def verifications(self, commitment_id: uuid.UUID) -> Sequence[Verification]:
        query = (
            select(Verification)
            .where(Verification.commitment_id == commitment_id)
            .order_by(Verification.opened_at, Verification.id)
        )
        return (await self.session.scalars(query)).all()

    async def get_verification(self, verification_id: uuid.UUID) -> Verification | None:
        query = select(Verification).where(Verification.id == verification_id).with_for_update()
        return (await self.session.scalars(query)).one_or_none()

    async def search(
        self,
        *,
        department: str | None,
        subject_id_number: str | None,
        status: str | None,
        due_before: date | None,
        today: date,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        late: bool | None = None,
    ) -> Sequence[Commitment]:
        """Filter by department, subject, status (as of ``today``), due date and whether
        the decision was made after its completion limit (``late``)."""
        query = select(Commitment).order_by(Commitment.created_at, Commitment.id).limit(limit)
        if department is not None:
            query = query.where(Commitment.department == department)
        if subject_id_number is not None:
            query = query.join(Subject, Subject.id == Commitment.subject_id).where(
                Subject.identifier_any_type(subject_id_number)
            )
        if status == _T.OVERDUE:
            # A passed supplement deadline makes a case overdue even before it is recorded.
            query = query.where(
                or_(
                    Commitment.status == _T.OVERDUE,
                    and_(Commitment.status == _T.ACCEPTED, Commitment.current_due_on < today),
                )
            )
        elif status == _T.ACCEPTED:
            query = query.where(
                Commitment.status == _T.ACCEPTED, Commitment.current_due_on >= today
            )
        elif status is not None:
            query = query.where(Commitment.status == status)
        if due_before is not None:
            # A case past its supplement deadline is overdue, with no deadline left to be
            # due by, before the worker records it as after.
            query = query.where(
                Commitment.current_due_on <= due_before,
                ~and_(Commitment.status == _T.ACCEPTED, Commitment.current_due_on < today),
            )
        if late is not None:
            query = query.where(Commitment.decision_late.is_(late))
        if after is not None:
            created, last_id = after
            query = query.where(
                or_(
                    Commitment.created_at > created,
                    and_(Commitment.created_at == created, Commitment.id > last_id),
                )
            )
        return (await self.session.scalars(query)).all()

    async def overdue_unrecorded(self, today: date, limit: int) -> Sequence[Commitment]:
        """Tolerance cases past their supplement deadline still recorded as accepted."""
        query = (
            select(Commitment)
            .where(Commitment.status == _T.ACCEPTED, Commitment.current_due_on < today)
            .order_by(Commitment.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.scalars(query)).all()

    async def summaries_of_subject(
        self, subject_id: uuid.UUID, today: date
    ) -> list[CommitmentSummary]:
        """What a credit profile shows of each commitment (no whole rows, nothing
        decrypted), oldest first; the status on ``today`` (overdue once the supplement
        deadline has passed, recorded or not)."""
        parameters = {"subject_id": subject_id, "today": today}
        rows = await self.session.execute(_SUMMARIES_OF_SUBJECT, parameters)
        return [CommitmentSummary(*row) for row in rows]

    async def open_commitments(self) -> Sequence[Commitment]:
        """Commitments not yet closed (an outcome sets ``closed_on``), and closed ones whose
        order to rectify a supervision finding is still due (its stored deadline)."""
        query = (
            select(Commitment)
            .where(
                or_(Commitment.closed_on.is_(None), Commitment.supervision_order_pending.is_(True))
            )
            .with_for_update()
        )
        return (await self.session.scalars(query)).all()

    def add(self, commitment: Commitment) -> None:
        self.session.add(commitment)

    def add_verification(self, verification: Verification) -> None:
        self.session.add(verification)


class CreditCommitmentRepository:
    """The commitment register (信用承诺记录) and its serial counter."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_serial(self, region: str, day: date) -> int:
        """The next serial of ``region`` on ``day``, in one statement: the counter row is
        created at 1 or incremented, and stays locked until the transaction ends
        (PostgreSQL row lock; SQLite has one writer), so concurrent creates wait for one
        another instead of taking the same serial."""
        serial = CommitmentSerial
        if self.session.get_bind().dialect.name == "postgresql":
            statement = (
                pg_insert(serial)
                .values(region=region, day=day, last=1)
                .on_conflict_do_update(
                    index_elements=[serial.region, serial.day], set_={"last": serial.last + 1}
                )
                .returning(serial.last)
            )
        else:
            statement = (
                sqlite_insert(serial)
                .values(region=region, day=day, last=1)
                .on_conflict_do_update(
                    index_elements=[serial.region, serial.day], set_={"last": serial.last + 1}
                )
                .returning(serial.last)
            )
        return int((await self.session.execute(statement)).scalar_one())

    def add(self, record: CreditCommitment) -> None:
        self.session.add(record)

    async def get_by_number(self, number: str) -> CreditCommitment | None:
        query = select(CreditCommitment).where(CreditCommitment.number == number)
        return (await self.session.scalars(query)).one_or_none()

    async def get_for_commitment(self, commitment_id: uuid.UUID) -> CreditCommitment | None:
        query = select(CreditCommitment).where(CreditCommitment.commitment_id == commitment_id)
        return (await self.session.scalars(query)).one_or_none()

    async def disclosed(
        self,
        *,
        disclosure: str,
        subject_id: uuid.UUID | None,
        after: tuple[date, str] | None,
        limit: int,
    ) -> Sequence[CreditCommitment]:
        """Records of one disclosure class, newest signing day first, then by number."""
        query = (
            select(CreditCommitment)
            .where(CreditCommitment.disclosure == disclosure)
            .order_by(CreditCommitment.signed_on.desc(), CreditCommitment.number.desc())
            .limit(limit)
        )
        if subject_id is not None:
            query = query.where(CreditCommitment.subject_id == subject_id)
        if after is not None:
            day, number = after
            query = query.where(
                or_(
                    CreditCommitment.signed_on < day,
                    and_(CreditCommitment.signed_on == day, CreditCommitment.number < number),
                )
            )
        return (await self.session.scalars(query)).all()

    async def commitments(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Commitment]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Commitment).where(Commitment.id.in_(ids)))
        return {row.id: row for row in rows}
