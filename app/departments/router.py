from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.departments import service
from app.departments.schemas import (
    DEPARTMENT_CODE_PATTERN,
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
)
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute

router = APIRouter(prefix="/api/v1/departments", tags=["departments"], route_class=KeepingRoute)

Code = Annotated[str, Path(pattern=DEPARTMENT_CODE_PATTERN, examples=["371400-SPJ"])]
IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]


@router.post(
    "",
    response_model=DepartmentRead,
    status_code=201,
    summary="Register a department (admin)",
    description="规则配置按以下顺序确定：请求中的 `profile`；部署明确设置的 `ZWFW_PROFILE`；"
    "部门代码所属行政区划（3714 德州市 → `dezhou-2023`，德州办法第二条第一款；370305 临淄区 → "
    "`linzi-2022`，临淄方案第三部分）。均不适用时拒绝。"
    "The profile is the one given, else the deployment's explicit `ZWFW_PROFILE`, else the "
    "region's (3714 Dezhou: `dezhou-2023`, DZ art. 2 ¶1; 370305 Linzi: `linzi-2022`, LZ §3). "
    "None applying: 422 `department_profile_unresolved`; a city's profile outside its "
    "city: 422 `profile_outside_jurisdiction`.",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_department(
    request: Request, session: SessionDep, principal: Authorized, body: DepartmentCreate
) -> DepartmentRead:
    deployment_profile: str | None = request.app.state.settings.profile
    return await service.create_department(session, principal, body, deployment_profile)


@router.get(
    "",
    response_model=Page[DepartmentRead],
    summary="List departments",
    responses=problem_responses(401, 422),
)
async def list_departments(
    session: SessionDep,
    _principal: Authorized,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[DepartmentRead]:
    return await service.list_departments(session, limit, cursor)


@router.get(
    "/{code}",
    response_model=DepartmentRead,
    summary="Read a department",
    responses=problem_responses(401, 404, 422),
)
async def read_department(
    session: SessionDep, _principal: Authorized, code: Code
) -> DepartmentRead:
    return DepartmentRead.model_validate(await service.get_department(session, code))


@router.patch(
    "/{code}",
    response_model=DepartmentRead,
    summary="Change a department's name, profile or phone (admin)",
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def update_department(
    session: SessionDep,
    principal: Authorized,
    code: Code,
    body: DepartmentUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> DepartmentRead:
    result = await service.update_department(session, principal, code, body, if_match)
    response.headers["ETag"] = f'"{result.version}"'
    return result
