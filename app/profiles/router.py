"""Rule profiles (规则配置), public: every parameter with its citation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from app.core.errors import NotFound, problem_responses
from app.profiles.schemas import ProfileRead
from app.profiles.service import profile_read
from app.rules.profiles import PROFILES, UnknownProfile, get_profile

router = APIRouter(prefix="/api/v1/profiles", tags=["profiles"])


@router.get(
    "",
    response_model=list[ProfileRead],
    summary="List the rule profiles (规则配置)",
    description="Each built-in profile with every parameter, its unit and its citation; "
    "its jurisdiction (适用范围) and the effects of its listings, each with its citation. "
    "`default` marks the deployment's explicit choice (`ZWFW_PROFILE`), if any.",
)
async def list_profiles(request: Request) -> list[ProfileRead]:
    chosen = _deployment_profile(request)
    return [profile_read(p, chosen) for p in PROFILES.values()]


def _deployment_profile(request: Request) -> str | None:
    chosen: str | None = request.app.state.settings.profile
    return chosen


@router.get(
    "/{name}",
    response_model=ProfileRead,
    summary="Read one rule profile",
    responses=problem_responses(404),
)
async def read_profile(
    request: Request,
    name: Annotated[str, Path(max_length=64, examples=["dezhou-2023"])],
) -> ProfileRead:
    try:
        profile = get_profile(name)
    except UnknownProfile as exc:
        raise NotFound(str(exc), code="profile_unknown") from None
    return profile_read(profile, _deployment_profile(request))
