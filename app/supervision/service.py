"""Supervision targets (LZ §5(2)2): subjects listed today in the regulator's field, with
the commitments it regulates; only listings of a regime that makes them key inspection
targets (Linzi's), where the regulator's own profile applies that regime."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog.repository import CatalogRepository
from app.commitments.repository import CommitmentRepository
from app.core.context import Context
from app.core.errors import Forbidden
from app.core.pagination import Page, encode_cursor
from app.credit_profiles.service import listing_effect
from app.departments.service import profile_of
from app.restrictions.models import Restriction
from app.restrictions.reads import cursor_after
from app.restrictions.register import effective_views
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import SupervisionTarget
from app.restrictions.state import listing_profile
from app.rules import jurisdiction
from app.rules.restrictions import ListingView
from app.subjects.repository import SubjectRepository
from app.subjects.service import subject_read


async def supervision_targets(
    session: AsyncSession, ctx: Context, regulator: str | None, limit: int, cursor: str | None
) -> Page[SupervisionTarget]:
    """重点核查对象 (LZ §5(2)2): subjects with effective listings collected in the
    ``regulator``'s region (its code's first six digits) or from commitments on matters it
    regulates; the route's scope names the regulator."""
    if not regulator:  # never widened to every region
        raise Forbidden("Targets are listed for one regulator.", code="department_forbidden")
    own, region = regulator, regulator[:6]
    candidates = await RestrictionRepository(session).effective_candidates(ctx.today)
    in_remit = [r for r in candidates if r.collecting_department.startswith(region)]
    linked = [r for r in candidates if r.commitment_id is not None and r not in in_remit]
    if linked:
        regulated = await _regulated_commitments(session, [r.commitment_id for r in linked], own)  # type: ignore[misc]
        in_remit += [r for r in linked if r.commitment_id in regulated]
    views = await effective_views(session, in_remit, ctx.today)
    regulator_profile = await profile_of(session, own, ctx.settings.profile)
    by_subject: dict[uuid.UUID, list[tuple[Restriction, ListingView]]] = {}
    for row, view in views:
        if _key_target(row, regulator_profile.jurisdiction):
            by_subject.setdefault(row.subject_id, []).append((row, view))
    after = cursor_after(cursor)
    ordered = sorted(s for s in by_subject if after is None or s > after)
    page = ordered[:limit]
    subjects = {s.id: s for s in await SubjectRepository(session).get_many(page)}
    items = []
    for subject_id in page:
        targets = [view for _, view in by_subject[subject_id]]
        awaiting = any(v.awaiting_rectification for v in targets)
        ends = [v.period_ends_on for v in targets if v.period_ends_on is not None]
        items.append(
            SupervisionTarget(
                subject=subject_read(subjects[subject_id]),
                # the last day of the latest period; open while one awaits rectification
                restricted_until=max(ends) if not awaiting and len(ends) == len(targets) else None,
                awaiting_rectification=awaiting,
                listings=[
                    listing_effect(row, view, row.collecting_department)
                    for row, view in by_subject[subject_id]
                ],
            )
        )
    await record(
        session,
        ctx.principal,
        action="supervision_targets.read",
        target_type="supervision_targets",
        target_id=own,
        details={"subjects": len(items)},
    )
    next_cursor = encode_cursor({"after": str(page[-1])}) if len(ordered) > limit else None
    return Page[SupervisionTarget](items=items, next_cursor=next_cursor)


def _key_target(row: Restriction, regulator: jurisdiction.Jurisdiction) -> bool:
    """列为重点核查对象 (LZ §5(2)2): a listing of a regime with that effect, shared by the
    regulator's profile; a Dezhou restriction (DZ art. 15 ¶1) is not one."""
    made_under = listing_profile(row).jurisdiction
    effect = jurisdiction.Effect.PLATFORM_PUSH
    return jurisdiction.listing_effect(effect, row.situation, made_under, regulator) is not None


async def _regulated_commitments(
    session: AsyncSession, commitment_ids: list[uuid.UUID], regulator: str
) -> set[uuid.UUID]:
    commitments = CommitmentRepository(session)
    catalog = CatalogRepository(session)
    regulated = set()
    for commitment_id in commitment_ids:
        commitment = await commitments.get(commitment_id)
        if commitment is None:
            continue
        version = await catalog.get_version(commitment.matter_version_id)
        if version is not None and version.regulator_code == regulator:
            regulated.add(commitment_id)
    return regulated
