"""The rule profiles as GET /api/v1/profiles shows them: each profile's own document with
the rules that other modules add to it, each with its citation."""

from __future__ import annotations

from app.profiles.schemas import ProfileRead
from app.rules.disclosure import listing_disclosure
from app.rules.profiles import Profile
from app.rules.repair import profile_document
from app.rules.supervision import supervision_parameters


def profile_read(profile: Profile, deployment_profile: str | None) -> ProfileRead:
    """The profile's parameters, jurisdiction and switches, the repair rules
    (app.rules.repair), the supervision order's period (app.rules.supervision) and, beside
    a listing procedure, the rule of what leaves the department (app.rules.disclosure).
    ``default`` marks the deployment's explicit choice."""
    disclosure = listing_disclosure() if profile.listing_procedure else None
    document = profile_document(profile, deployment_profile)
    parameters = dict(document["parameters"])  # type: ignore[call-overload]
    parameters.update({p.name.value: p.to_dict() for p in supervision_parameters(profile)})
    document["parameters"] = parameters
    return ProfileRead.model_validate({**document, "listing_disclosure": disclosure})
