"""Provisional deadlines become exact once the year they reach is loaded (DOMAIN.md §7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth import Principal
from app.commitments.models import CommitmentEvent
from app.commitments.repository import CommitmentRepository
from app.deadlines import due_date
from app.rules.calendar import WorkingCalendar
from app.rules.periods import Unit, compute_deadline

# The deadline that governs each state (what "due" means in lists and tasks).
DUE_BY_STATE = {
    "accepted": "supplement_due",
    "reminded": "reminder_due",
    "committed": "decision_due",
    "decided": "verification_due",
    "verifying": "verification_due",
    "rectification_ordered": "rectification_due",
}


async def recompute_provisional(
    session: AsyncSession, principal: Principal, calendar: WorkingCalendar, now: datetime
) -> int:
    """Recompute every provisional deadline of open commitments; audit each change."""
    repository = CommitmentRepository(session)
    changed = 0
    for commitment in await repository.open_commitments():
        updated = dict(commitment.deadlines)
        changes: dict[str, Any] = {}
        for name, entry in commitment.deadlines.items():
            if not entry["provisional"]:
                continue
            again = compute_deadline(
                calendar,
                date.fromisoformat(entry["start"]),
                entry["amount"],
                Unit(entry["unit"]),
                roll_forward=True,
            )
            new = {**entry, "date": again.date.isoformat(), "provisional": again.provisional}
            if new != entry:
                updated[name] = new
                changes[name] = {"before": entry["date"], "after": new["date"]}
        if not changes:
            continue
        commitment.deadlines = updated
        commitment.current_due_on = due_date(updated, DUE_BY_STATE.get(commitment.status))
        commitment.updated_at = now
        for verification in await repository.verifications(commitment.id):
            if verification.status == "open":
                verification.due_on = due_date(updated, "verification_due")
        session.add(
            CommitmentEvent(
                commitment_id=commitment.id,
                event="deadline_recomputed",
                from_status=commitment.status,
                to_status=commitment.status,
                occurred_at=now,
                actor=principal.sub,
                department=principal.department,
                citation=None,
                details=changes,
            )
        )
        await record(
            session,
            principal,
            action="commitment.deadline_recomputed",
            target_type="commitment",
            target_id=str(commitment.id),
            purpose="calendar loaded",
            details=changes,
        )
        changed += 1
    await session.flush()
    return changed
