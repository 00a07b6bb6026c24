"""A commitment signed (签署承诺书, DZ art. 7-9): checked against the credit check that
backs it and the matter's modes, its letter and first deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.service import load_working_calendar
from app.catalog.repository import CatalogRepository
from app.catalog.schemas import MatterModes
from app.commitments.conditions import conditions_to_meet
from app.commitments.content import AFFIRMATION_TEXT, notice_snapshot
from app.commitments.models import Commitment
from app.commitments.reads import commitment_read
from app.commitments.register import register_case
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import Affirmations, CommitmentCreate, CommitmentRead
from app.commitments.steps import COMMITMENTS, MACHINES, count_deadline, period_of
from app.core.context import Context
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.credit_checks.errors import CreditCheckNotPerformed
from app.credit_checks.repository import CreditCheckRepository
from app.departments.repository import DepartmentRepository
from app.lifecycle.deadlines import deadline_json
from app.lifecycle.engine import record_transition
from app.lifecycle.step_dates import check_date
from app.rules.eligibility import CheckResult
from app.rules.lifecycles import DeadlineRule, initial_state
from app.rules.profiles import Mode, get_profile

_SIGNATURE_SKEW = timedelta(minutes=5)


def _affirmation_errors(affirmations: Affirmations) -> list[FieldError]:
    errors = []
    for name, value in affirmations.model_dump().items():
        if value is not True:
            code = "affirmation_missing" if value is None else "affirmation_false"
            errors.append(
                FieldError(
                    field=f"body.affirmations.{name}",
                    code=code,
                    message=f"must be affirmed: {AFFIRMATION_TEXT[name]} (DZ art. 9 ¶1)",
                )
            )
    return errors


async def create_commitment(
    session: AsyncSession, ctx: Context, data: CommitmentCreate
) -> CommitmentRead:
    errors = _affirmation_errors(data.affirmations)
    if errors:
        raise UnprocessableEntity(
            "Every affirmation of DZ art. 9 must be made explicitly.",
            code="affirmations_incomplete",
            errors=errors,
        )
    if data.signed_at > ctx.now + _SIGNATURE_SKEW:
        raise UnprocessableEntity(
            "The commitment cannot be signed in the future.",
            code="signed_in_future",
            errors=[FieldError(field="body.signed_at", code="signed_in_future", message="future")],
        )
    check = await CreditCheckRepository(session).get(data.credit_check_id)
    if check is None:
        raise NotFound(f"No credit check {data.credit_check_id}.", code="credit_check_not_found")
    if check.result == CheckResult.NOT_PERFORMED:
        raise CreditCheckNotPerformed("The credit check was not performed; run it again.")
    if check.result != CheckResult.PASS:
        raise Conflict("The credit check did not pass.", code="credit_check_failed")
    # Signed after the check that backs it: a signature dated before is a typo, not a breach.
    check_date(
        data.signed_at.astimezone(ctx.settings.tz).date(),
        ctx.today,
        {"credit_check": check.checked_on},
        field="body.signed_at",
    )
    if ctx.today > check.valid_until:
        raise Conflict(
            f"The credit check was valid until {check.valid_until.isoformat()}; run a new one.",
            code="credit_check_expired",
        )
    if data.mode.value not in check.eligible_modes or data.mode not in MACHINES:
        raise UnprocessableEntity(
            f"The credit check does not allow a {data.mode.value} commitment.",
            code="mode_not_allowed",
            errors=[
                FieldError(
                    field="body.mode",
                    code="mode_not_allowed",
                    message=f"allowed: {', '.join(check.eligible_modes) or 'none'}",
                )
            ],
        )
    assert check.matter_version_id is not None
    version = await CatalogRepository(session).get_version(check.matter_version_id)
    assert version is not None
    # Made with the matter's agency only: the route's owner (agency), app.web.ownership.
    repository = CommitmentRepository(session)
    if await repository.get_by_credit_check(check.id) is not None:
        raise Conflict("The credit check already backs a commitment.", code="credit_check_used")

    modes = MatterModes.model_validate(version.modes)
    missing = list(dict.fromkeys(data.missing_materials))
    if data.mode is Mode.TOLERANCE:
        assert modes.tolerance is not None
        tolerable = set(modes.tolerance.tolerable_missing_materials)
        wrong = [m for m in missing if m not in tolerable]
        if not missing or wrong:
            raise UnprocessableEntity(
                "Name the missing materials, each one tolerable for this matter.",
                code="materials_not_tolerable",
                errors=[
                    FieldError(
                        field="body.missing_materials",
                        code="materials_not_tolerable",
                        message=f"tolerable: {', '.join(sorted(tolerable))}",
                    )
                ],
            )
    elif missing:
        raise UnprocessableEntity(
            "Missing materials are named for tolerance only.",
            code="materials_not_tolerable",
            errors=[
                FieldError(
                    field="body.missing_materials",
                    code="materials_not_tolerable",
                    message="notify_commit has no tolerated materials",
                )
            ],
        )

    agency = await DepartmentRepository(session).get(version.agency_code)
    assert agency is not None
    notice = notice_snapshot(
        mode=data.mode,
        matter_code=version.matter_code,
        matter_name=version.name,
        matter_version=version.version,
        agency_code=agency.code,
        agency_name=agency.name,
        modes=modes,
        legal_basis=version.legal_basis,
        legal_liability=version.legal_liability,
        verification_power=version.verification_power,
        other_notice=version.other_notice,
        missing_materials=missing,
    )
    profile = get_profile(check.profile)
    calendar = await load_working_calendar(session)
    start = data.signed_at.astimezone(ctx.settings.tz).date()
    machine = MACHINES[data.mode]
    status = initial_state(machine)
    terms: dict[str, Any] = {}
    if data.mode is Mode.TOLERANCE:
        assert modes.tolerance is not None
        name, rule = "supplement_due", DeadlineRule.SUPPLEMENT_DUE
        period = period_of(modes.tolerance.supplement_deadline)
        exempt = False
    else:
        assert modes.notify_commit is not None
        name, rule = "decision_due", DeadlineRule.DECISION_DUE
        period = period_of(modes.notify_commit.completion_limit)
        exempt = modes.notify_commit.exempt_from_verification
        terms = modes.notify_commit.model_dump(mode="json")
    deadline = count_deadline(rule, calendar, profile, start, period, "body.mode")
    conditions, meet_by = conditions_to_meet(
        data, modes, profile, calendar, signed_on=start, decision_due=deadline.date
    )
    commitment = Commitment(
        credit_check_id=check.id,
        subject_id=check.subject_id,
        agent_id=check.agent_id,
        matter_code=version.matter_code,
        matter_version_id=version.id,
        mode=data.mode.value,
        status=status.value,
        profile=profile.name,
        department=version.agency_code,
        notice={**notice.model_dump(mode="json"), "terms": terms},
        affirmations=data.affirmations.model_dump(),
        missing_materials=missing,
        conditions_to_meet=conditions,
        meet_by=meet_by,
        signed_by=data.signed_by,
        signed_at=data.signed_at,
        exempt_from_verification=exempt,
        deadlines={name: deadline_json(name, deadline)},
        current_due_on=deadline.date,
        created_by=ctx.principal.sub,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    repository.add(commitment)
    await session.flush()
    await record_transition(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        "create",
        status.value,
        deadline.citation[0] if deadline.citation else None,
        {
            "credit_check_id": str(check.id),
            name: deadline.date.isoformat(),
            **({"meet_by": meet_by.isoformat()} if meet_by else {}),
        },
    )
    await register_case(session, ctx, commitment, data.disclosure)
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)
