"""The two documents of credit repair on application (app.restrictions.document_content):
the 信用承诺书 the subject signs, and the 信用修复决定书 — decision, reasons, legal basis,
date, issuing department, and for a refusal the remedy."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.departments.repository import DepartmentRepository
from app.documents.numbers import DocumentKind, document_number
from app.documents.schemas import DocumentKind as RegisteredKind
from app.documents.verification import issue_document
from app.restrictions.credit_repair import load_application
from app.restrictions.credit_repair_schemas import CreditRepairOutcome
from app.restrictions.document_content import (
    Issuer,
    Party,
    RepairDecision,
    credit_commitment_document,
    credit_decision_document,
)
from app.restrictions.documents import listing_number
from app.restrictions.models import Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import CreditRepairNotAvailable, RepairApplicationPending
from app.restrictions.state import listing_profile
from app.rules.credit_repair import on_application
from app.rules.restrictions import Situation
from app.subjects.repository import SubjectRepository


async def _parties(session: AsyncSession, restriction: Restriction) -> tuple[Party, Issuer]:
    subject = await SubjectRepository(session).get(restriction.subject_id)
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    assert subject is not None and department is not None
    return Party(subject.name, subject.id_number), Issuer(
        department.name, department.contact_phone or ""
    )


async def _audit(
    session: AsyncSession, ctx: Context, restriction: Restriction, action: str
) -> None:
    await record(
        session,
        ctx.principal,
        action=f"restriction.{action}",
        target_type="restriction",
        target_id=str(restriction.id),
        purpose="print",
    )


async def commitment_letter_pdf(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID
) -> bytes:
    """信用承诺书 for the listing, to sign and file with the application."""
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    if not on_application(listing_profile(restriction)).applies:
        raise CreditRepairNotAvailable("The listing's profile has no credit repair on application.")
    party, issuer = await _parties(session, restriction)
    number = listing_number(restriction, DocumentKind.CREDIT_COMMITMENT, ctx)
    document = credit_commitment_document(
        number=number,
        party=party,
        department=issuer.name,
        facts=restriction.facts,
        situation_zh=Situation(restriction.situation).label_zh,
        published_on=restriction.published_on,
        today=ctx.today,
    )
    await _audit(session, ctx, restriction, "credit_commitment_pdf")
    return await issue_document(
        session,
        ctx,
        RegisteredKind.CREDIT_REPAIR_COMMITMENT,
        str(restriction.id),
        number,
        (restriction.collecting_department, issuer.name),
        document,
    )


async def decision_letter_pdf(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID, application_id: uuid.UUID
) -> bytes:
    """信用修复决定书 of a decided application."""
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    application = await load_application(session, restriction, application_id)
    if application.outcome is None or application.decided_on is None:
        raise RepairApplicationPending("The application is not decided yet.")
    party, issuer = await _parties(session, restriction)
    decision = RepairDecision(
        granted=CreditRepairOutcome(application.outcome) is CreditRepairOutcome.granted,
        reasons=application.reasons or "",
        filed_on=application.filed_on,
        accepted_on=application.accepted_on,
        decided_on=application.decided_on,
    )
    number = document_number(
        DocumentKind.CREDIT_REPAIR_DECISION,
        restriction.collecting_department,
        application.decided_on.year,
        application.id,
    )
    document = credit_decision_document(
        number=number,
        party=party,
        issuer=issuer,
        facts=restriction.facts,
        decision=decision,
    )
    await _audit(session, ctx, restriction, "credit_repair_decision_pdf")
    return await issue_document(
        session,
        ctx,
        RegisteredKind.CREDIT_REPAIR_DECISION,
        str(restriction.id),
        number,
        (restriction.collecting_department, issuer.name),
        document,
    )
