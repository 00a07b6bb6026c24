"""监管事项: the regulator's queue of the commitments it supervises (DZ art. 12).

A matter exempt from verification is fulfilled on its decision and left to the
regulator's routine supervision (双随机、一公开 and the other methods of DZ art. 12 ¶2); a
matter whose verification content the catalog puts under in-process supervision is the
regulator's too where agency and regulator differ (¶1). Each such decided commitment is
an item of the matter's regulator (its catalog version's ``regulator_code``): open until
the regulator feeds back a conclusive result; a nonconforming one gives the agency the
order to issue (app.tasks, DZ art. 13 ¶2), a conforming one closes the item.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog.models import MatterVersion
from app.commitments.models import Commitment
from app.commitments.reads import supervision_read
from app.commitments.state import derived_status
from app.core.context import Context
from app.core.errors import UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.rules.supervision import supervision_basis
from app.subjects.repository import SubjectRepository
from app.subjects.service import subject_read
from app.supervision.errors import DecidedRangeInvalid
from app.supervision.repository import QueueFilters, SupervisionRepository
from app.supervision.schemas import CommitmentSupervision, SupervisionItem, SupervisionStatus
from app.tasks.schemas import TaskLink


async def list_supervised_commitments(
    session: AsyncSession,
    ctx: Context,
    *,
    regulator: str | None,
    matter: str | None,
    agency: str | None,
    decided_from: date | None,
    decided_to: date | None,
    status: SupervisionStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[SupervisionItem]:
    """The items of ``regulator`` (None: every regulator's, for auditors), as the route's
    scope narrowed it; without ``status`` the open ones (open and nonconforming), earliest
    decision first. The read is audited (credit data)."""
    if decided_from is not None and decided_to is not None and decided_from > decided_to:
        raise DecidedRangeInvalid("decided_from lies after decided_to.")
    filters = QueueFilters(
        regulator=regulator,
        matter=matter,
        agency=agency,
        decided_from=decided_from,
        decided_to=decided_to,
        result=None if status in (None, SupervisionStatus.open) else _RESULTS[status],
        open_only=status is None,
    )
    rows = await SupervisionRepository(session).queue(
        filters, after=_after(cursor), limit=limit + 1
    )
    page = rows[:limit]
    subjects = {
        s.id: s for s in await SubjectRepository(session).get_many({c.subject_id for c, _ in page})
    }
    items = [_item(c, v, subject_read(subjects[c.subject_id]), ctx.today) for c, v in page]
    await record(
        session,
        ctx.principal,
        action="supervision_commitments.read",
        target_type="supervision_commitments",
        target_id=regulator or "*",
        details={"items": len(items), "status": status.value if status else None},
    )
    next_cursor = None
    if len(rows) > limit:
        last = page[-1][0]
        assert last.decided_on is not None
        next_cursor = encode_cursor({"after": [last.decided_on.isoformat(), str(last.id)]})
    return Page[SupervisionItem](items=items, next_cursor=next_cursor)


_RESULTS = {
    SupervisionStatus.nonconforming: "nonconforming",
    SupervisionStatus.closed: "conforms",
}


def _status(commitment: Commitment) -> SupervisionStatus:
    if commitment.supervision_result == "conforms":
        return SupervisionStatus.closed
    if commitment.supervision_result == "nonconforming":
        return SupervisionStatus.nonconforming
    return SupervisionStatus.open


def _item(
    commitment: Commitment, version: MatterVersion, subject: object, today: date
) -> SupervisionItem:
    basis = supervision_basis(
        exempt=commitment.exempt_from_verification,
        in_process=bool(commitment.notice.get("terms", {}).get("in_process_supervision")),
        agency=version.agency_code,
        regulator=version.regulator_code,
    )
    assert basis is not None and commitment.decided_on is not None  # the query's conditions
    url = f"/api/v1/commitments/{commitment.id}"
    return SupervisionItem.model_validate(
        {
            "commitment_id": str(commitment.id),
            "matter_code": commitment.matter_code,
            "matter_name": commitment.notice.get("matter_name", ""),
            "department": commitment.department,
            "regulator_department": version.regulator_code,
            "basis": basis,
            "citation": basis.citation.label,
            "subject": subject,
            "commitment_status": derived_status(commitment, today),
            "decided_on": commitment.decided_on,
            "status": _status(commitment),
            "supervision": supervision_read(commitment)
            or CommitmentSupervision(
                result=None, feedback_on=None, order_pending=False, order_due_on=None
            ),
            "links": [TaskLink(step="supervision-feedback", href=f"{url}/supervision-feedback")],
        }
    )


def _after(cursor: str | None) -> tuple[date, uuid.UUID] | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor).get("after")
    try:
        decided, last_id = position  # type: ignore[misc]
        return date.fromisoformat(str(decided)), uuid.UUID(str(last_id))
    except (TypeError, ValueError):
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor") from None
