"""Departments (部门) and the rule profile each applies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.concurrency import check_version
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.departments.errors import (
    DepartmentProfileUnresolved,
    ProfileOutsideJurisdiction,
    ProfileUnknown,
)
from app.departments.models import Department
from app.departments.repository import DepartmentRepository
from app.departments.schemas import DepartmentCreate, DepartmentRead, DepartmentUpdate
from app.rules import regions
from app.rules.profiles import PROFILES, Profile, get_profile
from app.web.auth import Principal


def resolve_profile(
    region_code: str, given: str | None, deployment: str | None
) -> regions.ProfileChoice:
    """The department's profile by the precedence of ``app.rules.regions``: its own, the
    deployment's explicit choice (ZWFW_PROFILE), its region's; else a 422."""
    if given is not None and given not in PROFILES:
        raise ProfileUnknown(given)
    try:
        return regions.resolve_department_profile(region_code, given, deployment)
    except regions.ProfileOutsideJurisdiction as exc:
        raise ProfileOutsideJurisdiction(str(exc)) from None
    except regions.ProfileUnresolved as exc:
        raise DepartmentProfileUnresolved(str(exc)) from None


async def get_department(session: AsyncSession, code: str) -> Department:
    department = await DepartmentRepository(session).get(code)
    if department is None:
        raise NotFound(f"No department {code}.", code="department_not_found")
    return department


async def profile_of(session: AsyncSession, code: str | None, deployment: str | None) -> Profile:
    """The profile a department applies; for a department not registered, the one it
    would be given (the deployment's explicit choice, else its region's), else a 422."""
    department = await DepartmentRepository(session).get(code) if code else None
    return department_profile(code, department.profile if department else None, deployment)


def department_profile(code: str | None, registered: str | None, deployment: str | None) -> Profile:
    """:func:`profile_of` once the department's registered profile (None: not registered)
    has been read."""
    if registered is not None:
        return get_profile(registered)
    try:
        return regions.resolve_department_profile((code or "")[:6], None, deployment).profile
    except regions.ProfileUnresolved as exc:
        raise DepartmentProfileUnresolved(str(exc), field="department") from None


async def create_department(
    session: AsyncSession,
    principal: Principal,
    data: DepartmentCreate,
    deployment_profile: str | None,
) -> DepartmentRead:
    """Register a department with its profile: given, else the deployment's explicit
    choice, else its region's (DZ art. 2 ¶1; LZ §3); none applying, a 422."""
    if not data.code.startswith(data.region_code + "-"):
        raise UnprocessableEntity(
            "The department code must start with its region code.",
            code="department_code_region_mismatch",
            errors=[
                FieldError(
                    field="body.code",
                    code="department_code_region_mismatch",
                    message=f"expected a code starting with {data.region_code}-",
                )
            ],
        )
    repository = DepartmentRepository(session)
    if await repository.get(data.code) is not None:
        raise Conflict(f"Department {data.code} exists.", code="department_exists")
    choice = resolve_profile(data.region_code, data.profile or None, deployment_profile)
    now = utcnow()
    department = Department(
        code=data.code,
        name=data.name,
        region_code=data.region_code,
        profile=choice.profile.name,
        contact_phone=data.contact_phone,
        created_at=now,
        updated_at=now,
    )
    repository.add(department)
    await session.flush()
    result = DepartmentRead.model_validate(department)
    await record(
        session,
        principal,
        action="department.create",
        target_type="department",
        target_id=department.code,
        details={
            "after": result.model_dump(mode="json"),
            "profile_from": choice.source,
            "profile_basis": choice.area.citation.label if choice.area else None,
        },
    )
    return result


async def update_department(
    session: AsyncSession,
    principal: Principal,
    code: str,
    data: DepartmentUpdate,
    if_match: str | None,
) -> DepartmentRead:
    department = await get_department(session, code)
    check_version(department.version, if_match, f"Department {code}")
    before = DepartmentRead.model_validate(department).model_dump(mode="json")
    changes = data.model_dump(exclude_unset=True)
    if "profile" in changes:
        given = changes["profile"] or ""
        changes["profile"] = resolve_profile(department.region_code, given, None).profile.name
    for field, value in changes.items():
        if field == "name" and value is None:
            continue
        setattr(department, field, value)
    department.updated_at = utcnow()
    await session.flush()
    result = DepartmentRead.model_validate(department)
    await record(
        session,
        principal,
        action="department.update",
        target_type="department",
        target_id=code,
        details={"before": before, "after": result.model_dump(mode="json")},
    )
    return result


async def list_departments(
    session: AsyncSession, limit: int, cursor: str | None
) -> Page[DepartmentRead]:
    after = decode_cursor(cursor).get("after") if cursor else None
    if after is not None and not isinstance(after, str):
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
    rows = await DepartmentRepository(session).list_after(after, limit + 1)
    items = [DepartmentRead.model_validate(row) for row in rows[:limit]]
    next_cursor = encode_cursor({"after": rows[limit - 1].code}) if len(rows) > limit else None
    return Page[DepartmentRead](items=items, next_cursor=next_cursor)
