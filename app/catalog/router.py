from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path

from app.catalog import service
from app.catalog.schemas import MATTER_CODE_PATTERN, MatterCreate, MatterRead, MatterUpdate
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute

router = APIRouter(prefix="/api/v1/matters", tags=["catalog"], route_class=KeepingRoute)
public_router = APIRouter(
    prefix="/api/v1/public/matters", tags=["catalog"], route_class=KeepingRoute
)

Code = Annotated[str, Path(pattern=MATTER_CODE_PATTERN, examples=["SPJ-FOOD-001"])]
IfMatch = Annotated[
    str | None, Header(max_length=64, description="The matter's current `version`.")
]


@router.post(
    "",
    response_model=MatterRead,
    status_code=201,
    summary="Add a matter to the catalog (admin)",
    description=(
        "A matter that directly concerns a high-risk category (DZ art. 2 ¶2) is refused "
        "for every facilitation mode with `matter_excluded_high_risk`."
    ),
    responses=problem_responses(401, 403, 409, 422),
)
async def create_matter(
    session: SessionDep, principal: Authorized, clock: ClockDep, body: MatterCreate
) -> MatterRead:
    return await service.create_matter(session, principal, body, clock.now())


@router.get(
    "",
    response_model=Page[MatterRead],
    summary="List catalog entries, withdrawn ones included (admin)",
    responses=problem_responses(401, 403, 422),
)
async def list_matters(
    session: SessionDep,
    _principal: Authorized,
    clock: ClockDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[MatterRead]:
    return await service.list_matters(session, clock.now(), limit, cursor, public=False)


@router.get(
    "/{code}",
    response_model=MatterRead,
    summary="Read a matter's current version (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_matter(
    session: SessionDep, _principal: Authorized, clock: ClockDep, code: Code
) -> MatterRead:
    return await service.current_matter(session, code, clock.now(), public=False)


@router.get(
    "/{code}/versions",
    response_model=list[MatterRead],
    summary="A matter's version history (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
async def matter_versions(
    session: SessionDep, _principal: Authorized, code: Code
) -> list[MatterRead]:
    return await service.matter_history(session, code)


@router.patch(
    "/{code}",
    response_model=MatterRead,
    summary="Change a matter: a new version (admin)",
    description="Every change adds a version; earlier versions and the checks that used "
    "them are kept unchanged (动态调整, DZ art. 5).",
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def update_matter(
    session: SessionDep,
    principal: Authorized,
    clock: ClockDep,
    code: Code,
    body: MatterUpdate,
    if_match: IfMatch = None,
) -> MatterRead:
    return await service.update_matter(session, principal, code, body, if_match, clock.now())


@router.delete(
    "/{code}",
    response_model=MatterRead,
    summary="Withdraw a matter from the catalog (admin)",
    description="Adds a `withdrawn` version; the history stays.",
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def withdraw_matter(
    session: SessionDep,
    principal: Authorized,
    clock: ClockDep,
    code: Code,
    if_match: IfMatch = None,
) -> MatterRead:
    return await service.withdraw_matter(session, principal, code, if_match, clock.now())


@public_router.get(
    "",
    response_model=Page[MatterRead],
    summary="The published catalog (公开清单), no login",
    description="Current versions of the matters that may use credit facilitation.",
    responses=problem_responses(422),
)
async def public_matters(
    session: SessionDep,
    clock: ClockDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[MatterRead]:
    return await service.list_matters(session, clock.now(), limit, cursor, public=True)


@public_router.get(
    "/{code}",
    response_model=MatterRead,
    summary="One published matter, no login",
    responses=problem_responses(404, 422),
)
async def public_matter(session: SessionDep, clock: ClockDep, code: Code) -> MatterRead:
    return await service.current_matter(session, code, clock.now(), public=True)
