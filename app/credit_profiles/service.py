"""A subject's credit profile: listings and their effects, commitments, the credit record
(a read model over several domains)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record_now
from app.core.context import Context
from app.core.db import statements_alone
from app.core.identifiers import SubjectType
from app.credit_profiles.repository import read_profile
from app.referrals.marks import mark_read, marks_department
from app.restrictions.register import PublishedRow, may_be_effective, views_of
from app.restrictions.repository import history_of
from app.restrictions.schemas import (
    CommitmentEntry,
    CreditProfileRead,
    CreditRecordRead,
    ListingEffect,
)
from app.rules.restrictions import ListingView, Situation, subject_restriction_on
from app.subjects.schemas import SubjectRead
from app.subjects.service import checked_id_number, subject_read


async def credit_profile(
    session: AsyncSession,
    ctx: Context,
    subject_type: SubjectType,
    raw_id: str,
    field: str = "body.id_number",
) -> CreditProfileRead:
    """信用档案: own department's detail, only the effect of others' (docs/domain.md section 7);
    the referral marks (移送标记, DZ art. 16 ¶1) of the caller's department only.

    ``field`` names where the identifier came from, for a 422 (the body, or the path of
    the deprecated form)."""
    id_number = checked_id_number(subject_type, raw_id, ctx.today, field).normalized
    await statements_alone(session)  # reads, and its audit entry: one INSERT
    rows = await read_profile(
        session, subject_type.value, id_number, ctx.today, marks_department(ctx.principal)
    )
    subject = rows.subject
    await record_now(
        session,
        ctx.principal,
        action="credit_profile.read",
        target_type="subject",
        target_id=str(subject.id) if subject else f"{subject_type.value}:unknown",
    )
    if subject is None:
        return CreditProfileRead(
            subject=SubjectRead(subject_type=subject_type, id_number=id_number, name=""),
            as_of=ctx.today,
            restricted=False,
            restricted_until=None,
            awaiting_rectification=False,
            listings=[],
            commitments=[],
            credit_record=[],
        )
    # Every published listing of the subject, read once: its history decides the summary,
    # and the effective ones among them are the candidates for the listing effects.
    published = rows.published
    listings = [history_of(row) for row in published]
    summary = subject_restriction_on(listings, ctx.today)  # each under its own profile
    candidates = [row for row in published if may_be_effective(row, ctx.today)]
    own = ctx.principal.department
    views = views_of(candidates, published, ctx.today)
    effects = [listing_effect(row, view, own) for row, view in views]
    commitments = rows.commitments
    entries = rows.entries
    return CreditProfileRead(
        subject=subject_read(subject),
        as_of=ctx.today,
        restricted=summary.effective,
        restricted_until=summary.restricted_until,
        awaiting_rectification=summary.awaiting_rectification,
        listings=effects,
        commitments=[
            CommitmentEntry(
                id=str(c.id) if c.department == own else None,
                matter_code=c.matter_code,
                mode=c.mode,
                status=c.status,
                department=c.department,
            )
            for c in commitments
        ],
        credit_record=[
            CreditRecordRead(
                outcome=e.outcome,
                recorded_on=e.recorded_on,
                matter_code=e.matter_code,
                department=e.department,
                citation=e.citation,
            )
            for e in entries
        ],
        referrals=[mark_read(m) for m in rows.marks],
    )


def listing_effect(
    row: PublishedRow, view: ListingView, own_department: str | None
) -> ListingEffect:
    mine = row.collecting_department == own_department
    return ListingEffect(
        id=str(row.id) if mine else None,
        collecting_department=row.collecting_department,
        profile=row.profile,
        situation=Situation(row.situation),
        published_on=row.published_on or view.as_of,
        period_ends_on=view.period_ends_on,
        awaiting_rectification=view.awaiting_rectification,
        facts=row.facts if mine else None,
    )
