from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.direct import Direct
from app.departments.models import Department
from app.restrictions.models import (
    Correction,
    CorrectionDuty,
    LiftingRequest,
    Objection,
    RepairApplication,
    Restriction,
    RestrictionEvent,
)
from app.rules.lifecycles import TERMINAL_STATES, Machine, RestrictionState
from app.rules.restrictions import ListingHistory, Situation
from app.subjects.models import (
    PERSON,
    StoredSubject,
    Subject,
    identifier_index,
    name_index,
    stored_columns,
)

_R = RestrictionState
ORGANIZATION = "organization"


class PublishedListing(NamedTuple):
    """What a statement reads of a published listing (app.restrictions.register
    .PublishedRow)."""

    id: uuid.UUID
    subject_id: uuid.UUID
    status: str
    situation: str
    profile: str
    collecting_department: str
    facts: str
    published_on: date | None
    rectified_on: date | None
    lifted_on: date | None
    withdrawn_on: date | None
    occurred_on: date | None
    period_months: int | None
    repair_granted_on: date | None

    @classmethod
    def of(cls, row: Restriction) -> PublishedListing:
        return cls(
            row.id,
            row.subject_id,
            row.status,
            row.situation,
            row.profile,
            row.collecting_department,
            row.facts,
            row.published_on,
            row.rectified_on,
            row.lifted_on,
            row.withdrawn_on,
            row.occurred_on,
            row.period_months,
            row.repair_granted_on,
        )


def history_of(row: Any) -> ListingHistory:
    """The dated history of one listing, from its ``Restriction`` or from a row of those
    columns."""
    return ListingHistory(
        listing_id=str(row.id),
        subject_key=str(row.subject_id),
        published_on=row.published_on,
        rectified_on=row.rectified_on,
        lifted_on=row.lifted_on,
        withdrawn_on=row.withdrawn_on,
        occurred_on=row.occurred_on,
        period_months=row.period_months,
        profile=row.profile,
        repair_granted_on=row.repair_granted_on,
    )


# Built once (the credit check's hot path): no statement construction per request.
_PUBLISHED_HISTORIES = select(
    Restriction.id,
    Restriction.subject_id,
    Restriction.situation,
    Restriction.published_on,
    Restriction.rectified_on,
    Restriction.lifted_on,
    Restriction.withdrawn_on,
    Restriction.occurred_on,
    Restriction.period_months,
    Restriction.profile,
    Restriction.repair_granted_on,
).where(
    Restriction.subject_id.in_(bindparam("subject_ids", expanding=True)),
    Restriction.published_on.is_not(None),
)


_PUBLISHED_OF = select(Restriction).where(
    Restriction.subject_id.in_(bindparam("subject_ids", expanding=True)),
    Restriction.published_on.is_not(None),
)


def _window_lapsed(today: date) -> ColumnElement[bool]:
    """Notified, and the objection window (the state's due day) has passed."""
    return and_(Restriction.status == _R.NOTIFIED, Restriction.current_due_on < today)


def _rectified_while_effective() -> ColumnElement[bool]:
    """Effective and rectified: repaired once the (possibly restarted) period has ended."""
    return and_(Restriction.status == _R.EFFECTIVE, Restriction.rectified_on.is_not(None))


def _status_candidates(status: str, today: date) -> ColumnElement[bool]:
    """The listings that may have ``status`` on ``today`` as time derives it, before or
    after anybody records it: exactly, where the stored columns decide (a lapsed
    objection window confirms); a superset where the subject's other listings do (a
    period's end, which a later listing may restart), for ``derived_status`` to decide."""
    if status == _R.CONFIRMED:
        return or_(Restriction.status == _R.CONFIRMED, _window_lapsed(today))
    if status == _R.NOTIFIED:
        return and_(
            Restriction.status == _R.NOTIFIED,
            or_(Restriction.current_due_on.is_(None), Restriction.current_due_on >= today),
        )
    if status == _R.REPAIRED:
        return or_(Restriction.status == _R.REPAIRED, _rectified_while_effective())
    return Restriction.status == status


@cache
def _published_of_found(by_id: bool, by_name: bool) -> Direct:
    """Every published listing of the subjects found by an identifier of either type
    (bound as ``person_index`` and ``organization_index``) and/or a name
    (``name_index``), at most 100 subjects as ``SubjectRepository.find`` finds them,
    each with its subject and the collecting department's name; in listing id order.
    Built once per kind of search (the public list's lookups)."""
    found = select(Subject.id)
    if by_id:
        found = found.where(
            or_(
                and_(
                    Subject.subject_type == PERSON,
                    Subject.id_number_index == bindparam("person_index"),
                ),
                and_(
                    Subject.subject_type == ORGANIZATION,
                    Subject.id_number_index == bindparam("organization_index"),
                ),
            )
        )
    if by_name:
        found = found.where(Subject.name_index == bindparam("name_index"))
    listing = [getattr(Restriction, name) for name in PublishedListing._fields]
    return Direct(
        select(*listing, *stored_columns(), Department.name)
        .join(Subject, Subject.id == Restriction.subject_id)
        .outerjoin(Department, Department.code == Restriction.collecting_department)
        .where(Restriction.subject_id.in_(found.limit(100)), Restriction.published_on.is_not(None))
        .order_by(Restriction.id)
    )


class RestrictionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, restriction_id: uuid.UUID, *, for_update: bool = False
    ) -> Restriction | None:
        query = select(Restriction).where(Restriction.id == restriction_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query)).one_or_none()

    async def published_histories(
        self, subject_ids: Collection[uuid.UUID]
    ) -> list[tuple[ListingHistory, Situation]]:
        """The dated history of every published listing of these subjects (only the
        columns the rules read: no whole rows for the hot path of a credit check)."""
        if not subject_ids:
            return []
        rows = await self.session.execute(_PUBLISHED_HISTORIES, {"subject_ids": list(subject_ids)})
        return [(history_of(row), Situation(row.situation)) for row in rows]

    async def published_of_found(
        self, *, id_number: str | None, name: str | None
    ) -> list[tuple[PublishedListing, StoredSubject, str | None]]:
        """Every published listing of the subjects an identifier and/or a name finds, with
        its subject and the collecting department's name (None: not registered): one
        statement."""
        parameters: dict[str, str] = {}
        if id_number is not None:
            parameters["person_index"] = identifier_index(PERSON, id_number)
            parameters["organization_index"] = identifier_index(ORGANIZATION, id_number)
        if name is not None:
            parameters["name_index"] = name_index(name)
        statement = _published_of_found(id_number is not None, name is not None)
        found = []
        width = len(PublishedListing._fields)
        for row in await statement.rows(await self.session.connection(), parameters):
            values = tuple(row)
            listing = PublishedListing._make(values[:width])
            id_, kind, *columns = values[width : width + 8]
            subject = StoredSubject.of_columns(id_, kind, tuple(columns[:3]), tuple(columns[3:]))
            found.append((listing, subject, values[-1]))
        return found

    async def published_of(self, subject_ids: Collection[uuid.UUID]) -> Sequence[Restriction]:
        if not subject_ids:
            return []
        parameters = {"subject_ids": list(subject_ids)}
        return (await self.session.scalars(_PUBLISHED_OF, parameters)).all()

    async def effective_candidates(
        self,
        today: date,
        *,
        subject_ids: Collection[uuid.UUID] | None = None,
        departments_prefix: str | None = None,
        after: uuid.UUID | None = None,
        limit: int | None = None,
    ) -> Sequence[Restriction]:
        """Listings that may be effective today; the rule module decides for each."""
        query = (
            select(Restriction)
            .where(
                Restriction.status == _R.EFFECTIVE,
                Restriction.published_on <= today,
                or_(Restriction.withdrawn_on.is_(None), Restriction.withdrawn_on > today),
                or_(Restriction.lifted_on.is_(None), Restriction.lifted_on > today),
            )
            .order_by(Restriction.id)
        )
        if subject_ids is not None:
            query = query.where(Restriction.subject_id.in_(list(subject_ids)))
        if departments_prefix is not None:
            query = query.where(Restriction.collecting_department.startswith(departments_prefix))
        if after is not None:
            query = query.where(Restriction.id > after)
        if limit is not None:
            query = query.limit(limit)
        return (await self.session.scalars(query)).all()

    async def search(
        self,
        *,
        department: str | None,
        status: str | None,
        subject_id_number: str | None,
        today: date,
        after: uuid.UUID | None,
        limit: int,
    ) -> Sequence[Restriction]:
        """In id order, the listings that may have ``status`` on ``today`` (see
        ``_status_candidates``), filtered by department and subject."""
        query = select(Restriction).order_by(Restriction.id).limit(limit)
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        if status is not None:
            query = query.where(_status_candidates(status, today))
        if subject_id_number is not None:
            query = query.join(Subject, Subject.id == Restriction.subject_id).where(
                Subject.identifier_any_type(subject_id_number)
            )
        if after is not None:
            query = query.where(Restriction.id > after)
        return (await self.session.scalars(query)).all()

    async def of_commitments(self, commitment_ids: Collection[uuid.UUID]) -> Sequence[Restriction]:
        if not commitment_ids:
            return []
        query = select(Restriction).where(Restriction.commitment_id.in_(list(commitment_ids)))
        return (await self.session.scalars(query)).all()

    async def due_for_time_transitions(self, today: date, limit: int) -> Sequence[Restriction]:
        """Listings whose objection window lapsed, or rectified ones whose period may
        have ended; locked, skipping rows another worker holds."""
        query = (
            select(Restriction)
            .where(
                or_(
                    _window_lapsed(today),
                    _rectified_while_effective(),
                )
            )
            .order_by(Restriction.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.scalars(query)).all()

    async def open_listings(self) -> Sequence[Restriction]:
        """Listings not in a final state (repaired, lifted, withdrawn), locked."""
        final = sorted(TERMINAL_STATES[Machine.RESTRICTION])
        query = (
            select(Restriction)
            .where(Restriction.status.not_in(final))
            .order_by(Restriction.id)
            .with_for_update()
        )
        return (await self.session.scalars(query)).all()

    async def objections(self, restriction_id: uuid.UUID) -> Sequence[Objection]:
        query = (
            select(Objection)
            .where(Objection.restriction_id == restriction_id)
            .order_by(Objection.filed_on, Objection.id)
        )
        return (await self.session.scalars(query)).all()

    async def get_objection(self, objection_id: uuid.UUID) -> Objection | None:
        return await self.session.get(Objection, objection_id)

    async def lifting_requests(self, restriction_id: uuid.UUID) -> Sequence[LiftingRequest]:
        query = (
            select(LiftingRequest)
            .where(LiftingRequest.restriction_id == restriction_id)
            .order_by(LiftingRequest.requested_on, LiftingRequest.id)
        )
        return (await self.session.scalars(query)).all()

    async def get_lifting_request(self, request_id: uuid.UUID) -> LiftingRequest | None:
        return await self.session.get(LiftingRequest, request_id)

    async def repair_applications(self, restriction_id: uuid.UUID) -> Sequence[RepairApplication]:
        query = (
            select(RepairApplication)
            .where(RepairApplication.restriction_id == restriction_id)
            .order_by(RepairApplication.filed_on, RepairApplication.id)
        )
        return (await self.session.scalars(query)).all()

    async def get_repair_application(self, application_id: uuid.UUID) -> RepairApplication | None:
        return await self.session.get(RepairApplication, application_id)

    async def corrections(self, restriction_id: uuid.UUID) -> Sequence[Correction]:
        query = (
            select(Correction)
            .where(Correction.restriction_id == restriction_id)
            .order_by(Correction.corrected_on, Correction.id)
        )
        return (await self.session.scalars(query)).all()

    async def correction_duties(self, restriction_id: uuid.UUID) -> Sequence[CorrectionDuty]:
        query = (
            select(CorrectionDuty)
            .where(CorrectionDuty.restriction_id == restriction_id)
            .order_by(CorrectionDuty.received_on, CorrectionDuty.id)
        )
        return (await self.session.scalars(query)).all()

    async def get_correction_duty(self, duty_id: uuid.UUID) -> CorrectionDuty | None:
        return await self.session.get(CorrectionDuty, duty_id)

    async def events(self, restriction_id: uuid.UUID) -> Sequence[RestrictionEvent]:
        query = (
            select(RestrictionEvent)
            .where(RestrictionEvent.restriction_id == restriction_id)
            .order_by(RestrictionEvent.id)
        )
        return (await self.session.scalars(query)).all()

    def add(
        self,
        row: Restriction
        | Objection
        | LiftingRequest
        | Correction
        | CorrectionDuty
        | RestrictionEvent
        | RepairApplication,
    ) -> None:
        self.session.add(row)
