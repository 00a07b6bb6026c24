"""复核变更 (LZ §5(1)4 "听取其陈述申辩意见"): what an amending review changes in a listing,
before and after, and the shorter period another rule sets (LZ §5(1)5)."""

from __future__ import annotations

from typing import Any

from app.core.errors import FieldError, UnprocessableEntity
from app.restrictions.hearing_schemas import ReviewAmendments
from app.restrictions.models import Restriction
from app.restrictions.schemas import ReviewCreate, ReviewOutcome
from app.rules.hearing import period_amendment_refusal
from app.rules.profiles import Profile


class ReviewAmendmentsRequired(UnprocessableEntity):
    """An amending review names what it changes; another outcome changes nothing."""

    code = "review_amendments_required"


class AmendedPeriodRefused(UnprocessableEntity):
    code = "amended_period_not_shorter"


def amendments_of(data: ReviewCreate) -> ReviewAmendments | None:
    """The review's amendments: required for ``amended``, refused for the others (422)."""
    amended = data.outcome is ReviewOutcome.amended
    changes = data.amendments.changes() if data.amendments else {}
    if amended and changes:
        return data.amendments
    if not amended and not changes:
        return None
    message = "an amended review names its changes" if amended else "only `amended` changes"
    raise ReviewAmendmentsRequired(
        f"body.amendments: {message}.",
        errors=[
            FieldError(field="body.amendments", code=ReviewAmendmentsRequired.code, message=message)
        ],
    )


def amendment_diff(
    restriction: Restriction, amendments: ReviewAmendments, profile: Profile
) -> dict[str, Any]:
    """{field: {before, after}} of what the review changes; a shorter period is checked
    against the listing's current one (its own, else the profile's)."""
    changes = amendments.changes()
    if amendments.period_months is not None:
        current = restriction.period_months or profile.management_period_months
        refusal = period_amendment_refusal(current, amendments.period_months)
        if refusal is not None:
            raise AmendedPeriodRefused(
                refusal.message,
                code=refusal.code,
                errors=[
                    FieldError(
                        field="body.amendments.period_months",
                        code=refusal.code,
                        message=refusal.message,
                    )
                ],
                extra={"citation": refusal.citation.label},
            )
    return {
        field: {"before": getattr(restriction, field), "after": value}
        for field, value in changes.items()
    }


def apply_amendments(restriction: Restriction, diff: dict[str, Any]) -> None:
    for field, change in diff.items():
        setattr(restriction, field, change["after"])
