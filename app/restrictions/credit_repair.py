"""信用修复申请: credit repair on application under the national rules (国办发〔2025〕22号
§二; 国家发展改革委令第36号), beside the automatic repair at the period end and proof of
rectification (app.restrictions.repair, LZ §5(1)5) and early lifting (DZ art. 15).

谁认定、谁修复: the collecting department of the listing receives and decides it.
Filed with every material the rules list, the application is accepted on its day and
decided within the profile's ``credit_repair_decision``; filed with some missing, one
notice names every missing material (一次性告知) and the application waits: a supplement
that still lacks one is refused (no second notice). Granted, the listing is repaired on
the decision day: publication ends, sharing stops (the event the credit platform
receives says so) and the restriction effects end, all three together (art. 3).
Refused, the reasons and the remedy are given and the listing stays effective.

The 信用承诺书 the subject signs may later be recorded in the commitment register as a
commitment of type 信用修复: :func:`commitment_register_entry` is the seam.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.service import load_working_calendar
from app.core.context import Context
from app.lifecycle.step_dates import date_step
from app.restrictions.credit_repair_schemas import (
    CreditRepairCreate,
    CreditRepairDecisionCreate,
    CreditRepairOutcome,
    CreditRepairRead,
    CreditRepairSupplement,
    MissingMaterial,
)
from app.restrictions.models import RepairApplication, Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import (
    CreditRepairMaterialsMissing,
    CreditRepairNotAccepted,
    CreditRepairNotAvailable,
    CreditRepairNotAwaitingMaterials,
    ListingNotEffective,
    RepairApplicationDecided,
    RepairApplicationNotFound,
    RepairApplicationPending,
)
from app.restrictions.repository import RestrictionRepository
from app.restrictions.state import derived_status, listing_profile, listing_view, subject_listings
from app.restrictions.steps import step
from app.rules.credit_repair import (
    REFUSAL_REMEDY_ZH,
    Material,
    credit_repair_parameter,
    missing_materials,
    on_application,
)
from app.rules.lifecycles import Event
from app.rules.national_citations import NDRC_36_3_PUBLICATION, NDRC_36_3_REPAIR, NDRC_36_3_SHARING
from app.rules.periods import compute_deadline

NATIONAL = "national"

# What the granted event tells its receivers (the credit platform among them): the
# three effects of repair, together, on the decision day (国家发展改革委令第36号 art. 3).
REPAIR_EFFECTS: dict[str, Any] = {
    "publication": "ended",  # 终止公示
    "sharing": "stopped",  # 停止共享和使用
    "restriction_effects": "lifted",  # 同步解除失信惩戒措施
    "citations": [NDRC_36_3_REPAIR.label, NDRC_36_3_PUBLICATION.label, NDRC_36_3_SHARING.label],
}


def _read(
    restriction: Restriction, application: RepairApplication, status: str
) -> CreditRepairRead:
    decided = application.decided_on
    outcome = CreditRepairOutcome(application.outcome) if application.outcome else None
    return CreditRepairRead(
        id=str(application.id),
        listing_id=str(restriction.id),
        listing_status=status,
        filed_on=application.filed_on,
        statement=application.statement,
        materials=[Material(m) for m in application.materials or []],
        evidence_refs=list(application.evidence_refs),
        missing_materials=[
            MissingMaterial(code=Material(m), label_zh=Material(m).label_zh)
            for m in application.missing_materials or []
        ],
        materials_requested_on=application.materials_requested_on,
        accepted_on=application.accepted_on,
        decision_due=application.decision_due if application.accepted_on else None,
        outcome=outcome,
        reasons=application.reasons,
        decided_on=decided,
        late=None if decided is None else decided > application.decision_due,
        remedy_zh=REFUSAL_REMEDY_ZH if outcome is CreditRepairOutcome.refused else None,
    )


async def _status(session: AsyncSession, restriction: Restriction, on: date) -> str:
    profile = listing_profile(restriction)
    view = listing_view(
        restriction, await subject_listings(session, restriction.subject_id), on, profile
    )
    return derived_status(restriction, on, view)


async def _decision_due(session: AsyncSession, restriction: Restriction, accepted: date) -> date:
    parameter = credit_repair_parameter(listing_profile(restriction))
    assert parameter.value is not None and parameter.unit is not None
    calendar = await load_working_calendar(session)
    deadline = compute_deadline(
        calendar, accepted, parameter.value, parameter.unit, roll_forward=True
    )
    return deadline.date


async def load_application(
    session: AsyncSession, restriction: Restriction, application_id: uuid.UUID
) -> RepairApplication:
    application = await RestrictionRepository(session).get_repair_application(application_id)
    if (
        application is None
        or application.restriction_id != restriction.id
        or application.route != NATIONAL
    ):
        raise RepairApplicationNotFound(f"No credit repair application {application_id}.")
    return application


async def read_credit_repair(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID, application_id: uuid.UUID
) -> CreditRepairRead:
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    application = await load_application(session, restriction, application_id)
    return _read(restriction, application, await _status(session, restriction, ctx.today))


async def file_credit_repair(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID, data: CreditRepairCreate
) -> CreditRepairRead:
    """Filed while the listing is effective, before its period end too (minor dishonesty,
    国办发〔2025〕22号 §二); accepted at once when complete, else one notice of what is
    missing."""
    restriction = await load_listing(session, ctx, restriction_id)
    profile = listing_profile(restriction)
    if not on_application(profile).applies:
        raise CreditRepairNotAvailable(
            f"Profile {profile.name} has no credit repair on application."
        )
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"publication": restriction.published_on}
    )
    status = await _status(session, restriction, dated.on)
    if status != "effective":
        raise ListingNotEffective(
            f"The listing is {status}: credit repair is applied for against an effective listing.",
            extra={"listing_status": status},
        )
    repository = RestrictionRepository(session)
    applications = await repository.repair_applications(restriction.id)
    if any(a.outcome is None and a.route == NATIONAL for a in applications):
        raise RepairApplicationPending("A credit repair application is awaiting decision.")
    provided = sorted({m.value for m in data.materials})
    missing = [m.value for m in missing_materials({Material(m) for m in provided})]
    await step(
        session,
        ctx,
        restriction,
        Event.FILE_CREDIT_REPAIR,
        details={"materials": provided, "missing_materials": missing},
        dated=dated,
    )
    application = RepairApplication(
        restriction_id=restriction.id,
        route=NATIONAL,
        filed_on=dated.on,
        statement=data.statement,
        evidence_refs=list(data.evidence_refs),
        commitment_letter=Material.COMMITMENT_LETTER.value in provided,
        materials=provided,
        missing_materials=missing,
        materials_requested_on=dated.on if missing else None,
        accepted_on=None if missing else dated.on,
        filed_by=ctx.principal.sub,
        # provisional while materials are missing; counted again on acceptance
        decision_due=await _decision_due(session, restriction, dated.on),
    )
    repository.add(application)
    await session.flush()
    return _read(restriction, application, await _status(session, restriction, ctx.today))


async def supplement_credit_repair(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    data: CreditRepairSupplement,
) -> CreditRepairRead:
    """补正: complete, the application is accepted on its day; still incomplete, refused
    with what is missing (the notice was given once)."""
    restriction = await load_listing(session, ctx, restriction_id)
    application = await load_application(session, restriction, application_id)
    if application.outcome is not None or application.accepted_on is not None:
        raise CreditRepairNotAwaitingMaterials("The application awaits no materials.")
    provided = {Material(m) for m in application.materials or []} | set(data.materials)
    still = missing_materials(provided)
    if still:
        raise CreditRepairMaterialsMissing(
            "Materials are still missing; they were all named in the one notice.",
            extra={"missing_materials": [m.value for m in still]},
        )
    dated = date_step(
        ctx,
        data.on,
        data.late_entry_reason,
        {"materials_request": application.materials_requested_on},
    )
    await step(
        session,
        ctx,
        restriction,
        Event.SUPPLEMENT_CREDIT_REPAIR,
        details={
            "application_id": str(application.id),
            "materials": sorted(m.value for m in data.materials),
        },
        dated=dated,
    )
    application.materials = sorted(m.value for m in provided)
    application.evidence_refs = [*application.evidence_refs, *data.evidence_refs]
    application.commitment_letter = True
    application.accepted_on = dated.on
    application.decision_due = await _decision_due(session, restriction, dated.on)
    await session.flush()
    return _read(restriction, application, await _status(session, restriction, ctx.today))


async def decide_credit_repair(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    data: CreditRepairDecisionCreate,
    if_match: str | None,
) -> CreditRepairRead:
    """Granted: repaired on the decision day (publication ends, sharing stops, effects
    end). Refused: reasons and remedy; the listing stays effective."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    application = await load_application(session, restriction, application_id)
    if application.outcome is not None:
        raise RepairApplicationDecided("The application is already decided.")
    if application.accepted_on is None:
        raise CreditRepairNotAccepted(
            "Materials are missing: the application is decided once accepted.",
            extra={"missing_materials": list(application.missing_materials or [])},
        )
    dated = date_step(ctx, data.on, data.late_entry_reason, {"acceptance": application.accepted_on})
    granted = data.outcome is CreditRepairOutcome.granted
    details: dict[str, Any] = {
        "application_id": str(application.id),
        "reasons": data.reasons,
        "late": dated.on > application.decision_due,
    }
    if granted:
        details.update(REPAIR_EFFECTS)
    else:
        details["remedy_zh"] = REFUSAL_REMEDY_ZH
    await step(
        session,
        ctx,
        restriction,
        Event.GRANT_CREDIT_REPAIR if granted else Event.REFUSE_CREDIT_REPAIR,
        details=details,
        dated=dated,
    )
    if granted:
        restriction.repair_granted_on = dated.on
    application.outcome = data.outcome.value
    application.reasons = data.reasons
    application.decided_on = dated.on
    application.decided_by = ctx.principal.sub
    await session.flush()
    return _read(restriction, application, await _status(session, restriction, ctx.today))


def commitment_register_entry(application: RepairApplication) -> dict[str, object]:
    """The seam to the commitment register: what a 信用修复 commitment would record."""
    return {
        "type": "credit_repair",
        "cause": "信用修复申请",
        "signed_on": application.filed_on.isoformat(),
        "application_id": str(application.id),
    }
