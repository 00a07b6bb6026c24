"""The public list (公示, LZ §5(1)5): listings effective today, the subject masked; only
listings made under a regime that publishes (Linzi's; Dezhou's measures have no list)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.db import statements_alone
from app.core.identifiers import SubjectType
from app.core.pagination import Page, encode_cursor
from app.departments.repository import DepartmentRepository
from app.privacy.masking import masked_identity
from app.restrictions.models import Restriction
from app.restrictions.reads import cursor_after
from app.restrictions.repository import RestrictionRepository, history_of
from app.restrictions.schemas import PublicRestriction
from app.restrictions.state import listing_profile_named
from app.rules.lifecycles import RestrictionState
from app.rules.restrictions import ListingHistory, ListingView, Situation, listing_state_on
from app.subjects.models import StoredSubject, Subject
from app.subjects.repository import SubjectRepository


class PublishedRow(Protocol):
    """What the listing rules read of a published listing: a ``Restriction``, or a row of
    its columns (app.restrictions.repository.PublishedListing)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def subject_id(self) -> uuid.UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def situation(self) -> str: ...
    @property
    def profile(self) -> str: ...
    @property
    def collecting_department(self) -> str: ...
    @property
    def facts(self) -> str: ...
    @property
    def published_on(self) -> date | None: ...
    @property
    def rectified_on(self) -> date | None: ...
    @property
    def lifted_on(self) -> date | None: ...
    @property
    def withdrawn_on(self) -> date | None: ...
    @property
    def occurred_on(self) -> date | None: ...
    @property
    def period_months(self) -> int | None: ...
    @property
    def repair_granted_on(self) -> date | None: ...


Row = TypeVar("Row", bound=PublishedRow)


async def effective_views(
    session: AsyncSession, candidates: Sequence[Restriction], today: date
) -> list[tuple[Restriction, ListingView]]:
    """Candidates that are effective today, with their views (restart rule included)."""
    subject_ids = {row.subject_id for row in candidates}
    published = await RestrictionRepository(session).published_of(subject_ids)
    return views_of(candidates, published, today)


def views_of(
    candidates: Sequence[Row], published: Sequence[PublishedRow], today: date
) -> list[tuple[Row, ListingView]]:
    """The candidates effective today, given every published listing of their subjects;
    each read under the profile it was made under."""
    if not candidates:
        return []
    by_subject: dict[str, list[ListingHistory]] = {}
    for row in published:
        by_subject.setdefault(str(row.subject_id), []).append(history_of(row))
    result = []
    for row in candidates:
        view = listing_state_on(
            by_subject[str(row.subject_id)],
            str(row.id),
            today,
            profile=listing_profile_named(row.profile),
        )
        if view.effective:
            result.append((row, view))
    return result


def may_be_effective(row: PublishedRow, today: date) -> bool:
    """The filter of ``RestrictionRepository.effective_candidates``, on a row in hand."""
    return (
        row.status == RestrictionState.EFFECTIVE
        and row.published_on is not None
        and row.published_on <= today
        and (row.withdrawn_on is None or row.withdrawn_on > today)
        and (row.lifted_on is None or row.lifted_on > today)
    )


def _public_entry(
    row: PublishedRow,
    view: ListingView,
    owner: Subject | StoredSubject,
    department: str | None,
    today: date,
) -> PublicRestriction:
    shown_name, shown_id = masked_identity(owner.subject_type, owner.name, owner.id_number)
    return PublicRestriction(
        subject_type=SubjectType(owner.subject_type),
        name=shown_name,
        id_number=shown_id,
        situation=Situation(row.situation),
        situation_label=Situation(row.situation).label_zh,
        department=department or row.collecting_department,
        published_on=row.published_on or today,
        period_ends_on=view.period_ends_on,
    )


async def public_list(
    session: AsyncSession,
    ctx: Context,
    *,
    name: str | None,
    id_number: str | None,
    limit: int,
    cursor: str | None,
) -> Page[PublicRestriction]:
    """Effective listings only, personal names and citizen IDs masked (LZ §5(1)5-6)."""
    await statements_alone(session)  # reads only
    if id_number is not None or name is not None:
        return await _public_list_of_found(
            session, ctx.today, name=name, id_number=id_number, limit=limit, cursor=cursor
        )
    after = cursor_after(cursor)
    items: list[PublicRestriction] = []
    next_cursor: str | None = None
    repository = RestrictionRepository(session)
    subjects = SubjectRepository(session)
    departments = DepartmentRepository(session)
    while True:
        batch = await repository.effective_candidates(ctx.today, after=after, limit=limit * 2)
        views = await effective_views(session, batch, ctx.today)
        owners = {s.id: s for s in await subjects.get_many({r.subject_id for r, _ in views})}
        names = await departments.get_many({r.collecting_department for r, _ in views})
        for row, view in views:
            if not view.publicly_visible:
                continue
            department = names.get(row.collecting_department)
            items.append(
                _public_entry(
                    row,
                    view,
                    owners[row.subject_id],
                    department.name if department else None,
                    ctx.today,
                )
            )
            if len(items) == limit:
                next_cursor = encode_cursor({"after": str(row.id)})
                break
        if len(items) == limit or len(batch) < limit * 2:
            break
        after = batch[-1].id
    return Page[PublicRestriction](items=items, next_cursor=next_cursor)


async def _public_list_of_found(
    session: AsyncSession,
    today: date,
    *,
    name: str | None,
    id_number: str | None,
    limit: int,
    cursor: str | None,
) -> Page[PublicRestriction]:
    """The public list of the subjects a lookup finds: their published listings, subjects
    and departments' names in one statement; the effective ones after the cursor, in id
    order, as the whole list pages them."""
    after = cursor_after(cursor)
    rows = await RestrictionRepository(session).published_of_found(id_number=id_number, name=name)
    published = [row for row, _, _ in rows]
    candidates = [
        row
        for row in published
        if may_be_effective(row, today) and (after is None or row.id > after)
    ]
    owners = {subject.id: subject for _, subject, _ in rows}
    names = {row.collecting_department: department for row, _, department in rows}
    items: list[PublicRestriction] = []
    for row, view in views_of(candidates, published, today):
        if not view.publicly_visible:
            continue
        items.append(
            _public_entry(
                row, view, owners[row.subject_id], names[row.collecting_department], today
            )
        )
        if len(items) == limit:
            return Page[PublicRestriction](
                items=items, next_cursor=encode_cursor({"after": str(row.id)})
            )
    return Page[PublicRestriction](items=items, next_cursor=None)
