"""Rule profiles (规则配置), public: every parameter with its citation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.core.errors import NotFound, problem_responses
from app.profiles.schemas import ProfileRead
from app.rules.disclosure import listing_disclosure
from app.rules.profiles import PROFILES, Profile, UnknownProfile, get_profile
from app.rules.repair import profile_document

router = APIRouter(prefix="/api/v1/profiles", tags=["profiles"])


@router.get(
    "",
    response_model=list[ProfileRead],
    summary="List the rule profiles (规则配置)",
    description="Each built-in profile with every parameter, its unit and its citation.",
)
async def list_profiles() -> list[ProfileRead]:
    return [_read(profile) for profile in PROFILES.values()]


@router.get(
    "/{name}",
    response_model=ProfileRead,
    summary="Read one rule profile",
    responses=problem_responses(404),
)
async def read_profile(
    name: Annotated[str, Path(max_length=64, examples=["shandong-combined"])],
) -> ProfileRead:
    try:
        profile = get_profile(name)
    except UnknownProfile as exc:
        raise NotFound(str(exc), code="profile_unknown") from None
    return _read(profile)


def _read(profile: Profile) -> ProfileRead:
    """The profile as shown: its parameters, the repair rules (app.rules.repair) and,
    beside its listing procedure, the rule of what leaves the department
    (app.rules.disclosure)."""
    disclosure = listing_disclosure() if profile.listing_procedure else None
    return ProfileRead.model_validate(
        {**profile_document(profile), "listing_disclosure": disclosure}
    )
