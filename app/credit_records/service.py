"""信用记录 (DZ art. 9 ¶2, 14): how a subject kept its commitments, appended, never edited.

The one writer of ``credit_record_entries``: other domains hand an outcome to this service,
which appends the entry with its audit entry and its outbox event in the caller's
transaction (reported to the public credit information platform).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.credit_records.models import CreditRecordEntry
from app.credit_records.repository import CreditRecordRepository
from app.events.service import emit
from app.rules.citations import Citation


@dataclass(frozen=True)
class CommitmentOutcome:
    """How one commitment ended: ``outcome`` as recorded (fulfilled, terminated, revoked,
    withdrawn), ``status`` the commitment's final state, ``citation`` the closing step's."""

    subject_id: uuid.UUID
    commitment_id: uuid.UUID
    mode: str
    status: str
    outcome: str
    department: str | None
    matter_code: str | None
    citation: Citation


async def append_commitment_outcome(
    session: AsyncSession, ctx: Context, outcome: CommitmentOutcome
) -> CreditRecordEntry:
    """Append the outcome to the subject's credit record, dated today."""
    entry = CreditRecordEntry(
        subject_id=outcome.subject_id,
        commitment_id=outcome.commitment_id,
        kind="commitment_outcome",
        outcome=outcome.outcome,
        recorded_on=ctx.today,
        recorded_at=ctx.now,
        department=outcome.department,
        matter_code=outcome.matter_code,
        citation=outcome.citation.label,
        details={"mode": outcome.mode, "status": outcome.status},
    )
    CreditRecordRepository(session).add(entry)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="credit_record.append",
        target_type="credit_record_entry",
        target_id=str(entry.id),
        details={"commitment_id": str(outcome.commitment_id), "outcome": outcome.outcome},
    )
    await emit(
        session,
        type="credit_record.appended",
        aggregate_type="credit_record_entry",
        aggregate_id=str(entry.id),
        occurred_at=ctx.now,
        data={
            "entry_id": str(entry.id),
            "subject_id": str(outcome.subject_id),
            "commitment_id": str(outcome.commitment_id),
            "mode": outcome.mode,
            "matter_code": outcome.matter_code,
            "department": outcome.department,
            "outcome": outcome.outcome,
            "recorded_on": ctx.today.isoformat(),
            "citation": entry.citation,
        },
    )
    return entry
