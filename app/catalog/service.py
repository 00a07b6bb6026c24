"""The catalog (清单, DZ art. 5): versioned, public, refusing high-risk matters (art. 2 ¶2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog.models import Matter, MatterVersion
from app.catalog.repository import CatalogRepository
from app.catalog.schemas import (
    MatterCreate,
    MatterModes,
    MatterRead,
    MatterStatus,
    MatterUpdate,
    VerificationMethod,
)
from app.core.concurrency import check_version
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.departments.repository import DepartmentRepository
from app.rules.eligibility import MatterTerms
from app.rules.profiles import HighRiskCategory, Mode, get_profile
from app.web.auth import Principal

_DEPARTMENT_FIELDS = ("agency_department", "regulator_department", "onsite_verification_department")


def matter_read(row: MatterVersion) -> MatterRead:
    modes = MatterModes.model_validate(row.modes)
    return MatterRead(
        code=row.matter_code,
        version=row.version,
        version_id=str(row.id),
        status=MatterStatus(row.status),
        effective_from=row.effective_from,
        name=row.name,
        agency_department=row.agency_code,
        regulator_department=row.regulator_code,
        onsite_verification_department=row.onsite_verifier_code,
        excluded_categories=[HighRiskCategory(c) for c in row.excluded_categories],
        legal_basis=row.legal_basis,
        legal_liability=row.legal_liability,
        verification_power=row.verification_power,
        other_notice=row.other_notice,
        modes=modes,
        offered_modes=modes.offered() if row.status == MatterStatus.active else [],
    )


def matter_terms(row: MatterVersion | None, code: str) -> MatterTerms | None:
    """The rule module's view of a catalog entry; None when the matter is unknown."""
    if row is None:
        return None
    return matter_terms_of(row.modes, row.excluded_categories, row.status, code)


def matter_terms_of(
    modes: dict[str, Any], excluded_categories: list[str], status: str, code: str
) -> MatterTerms:
    """:func:`matter_terms` from the version's stored columns."""
    return MatterTerms(
        code=code,
        offered_modes=frozenset(MatterModes.model_validate(modes).offered()),
        excluded_categories=frozenset(HighRiskCategory(c) for c in excluded_categories),
        in_catalog=status == MatterStatus.active,
    )


async def _validate(session: AsyncSession, content: dict[str, Any]) -> None:
    """Departments exist; on-site verifier named where needed; no high-risk facilitation."""
    codes = {content[f] for f in _DEPARTMENT_FIELDS if content.get(f)}
    known = await DepartmentRepository(session).get_many(codes)
    unknown = [
        FieldError(field=f"body.{f}", code="department_unknown", message=f"no department {c}")
        for f in _DEPARTMENT_FIELDS
        if (c := content.get(f)) and c not in known
    ]
    if unknown:
        raise UnprocessableEntity("Unknown department.", code="department_unknown", errors=unknown)
    modes = MatterModes.model_validate(content["modes"])
    notify = modes.notify_commit
    if (
        content["agency_department"] != content["regulator_department"]
        and notify is not None
        and VerificationMethod.onsite in notify.verification_methods
        and not content.get("onsite_verification_department")
    ):
        raise UnprocessableEntity(
            "Agency and regulator differ: the catalog must name the on-site verification "
            "department (DZ art. 11 ¶2).",
            code="onsite_verifier_required",
            errors=[
                FieldError(
                    field="body.onsite_verification_department",
                    code="onsite_verifier_required",
                    message="required when agency and regulator differ (DZ art. 11 ¶2)",
                )
            ],
        )
    profile = get_profile(known[content["agency_department"]].profile)
    flagged = set(content["excluded_categories"])
    refused = [c for c in HighRiskCategory if c in flagged and c in profile.excluded_categories]
    if refused and modes.offered():
        labels = "、".join(c.label_zh for c in refused)
        raise UnprocessableEntity(
            f"直接涉及{labels}的事项不适用信用便利化办理 (DZ art. 2 ¶2): "
            f"{', '.join(c.value for c in refused)}.",
            code="matter_excluded_high_risk",
            errors=[
                FieldError(
                    field="body.excluded_categories",
                    code="matter_excluded_high_risk",
                    message=f"{c.value} ({c.label_zh}) may not be offered any facilitation mode",
                )
                for c in refused
            ],
            extra={"categories": [c.value for c in refused]},
        )


def _content_of(data: MatterCreate) -> dict[str, Any]:
    return {
        "name": data.name,
        "agency_department": data.agency_department,
        "regulator_department": data.regulator_department,
        "onsite_verification_department": data.onsite_verification_department,
        "excluded_categories": [c.value for c in data.excluded_categories],
        "legal_basis": data.legal_basis,
        "legal_liability": data.legal_liability,
        "verification_power": data.verification_power,
        "other_notice": data.other_notice,
        "modes": data.modes.model_dump(mode="json", exclude_none=True),
    }


def _content_from_row(row: MatterVersion) -> dict[str, Any]:
    return {
        "name": row.name,
        "agency_department": row.agency_code,
        "regulator_department": row.regulator_code,
        "onsite_verification_department": row.onsite_verifier_code,
        "excluded_categories": list(row.excluded_categories),
        "legal_basis": row.legal_basis,
        "legal_liability": row.legal_liability,
        "verification_power": row.verification_power,
        "other_notice": row.other_notice,
        "modes": dict(row.modes),
    }


def _new_version(
    code: str,
    version: int,
    content: dict[str, Any],
    status: MatterStatus,
    effective_from: datetime,
    principal: Principal,
    now: datetime,
) -> MatterVersion:
    return MatterVersion(
        matter_code=code,
        version=version,
        effective_from=effective_from,
        status=status.value,
        name=content["name"],
        agency_code=content["agency_department"],
        regulator_code=content["regulator_department"],
        onsite_verifier_code=content["onsite_verification_department"],
        excluded_categories=content["excluded_categories"],
        legal_basis=content["legal_basis"],
        legal_liability=content["legal_liability"],
        verification_power=content["verification_power"],
        other_notice=content["other_notice"],
        modes=content["modes"],
        created_by=principal.sub,
        created_at=now,
    )


async def create_matter(
    session: AsyncSession, principal: Principal, data: MatterCreate, now: datetime
) -> MatterRead:
    repository = CatalogRepository(session)
    if await repository.get_matter(data.code) is not None:
        raise Conflict(f"Matter {data.code} is already in the catalog.", code="matter_exists")
    content = _content_of(data)
    await _validate(session, content)
    repository.add(Matter(code=data.code, latest_version=1, created_at=now))
    await session.flush()
    row = _new_version(
        data.code, 1, content, MatterStatus.active, data.effective_from or now, principal, now
    )
    repository.add(row)
    await session.flush()
    result = matter_read(row)
    await record(
        session,
        principal,
        action="matter.create",
        target_type="matter",
        target_id=data.code,
        details={"version": 1, "after": result.model_dump(mode="json")},
    )
    return result


async def _append_version(
    session: AsyncSession,
    principal: Principal,
    code: str,
    if_match: str | None,
    now: datetime,
    change: dict[str, Any],
    status: MatterStatus,
    effective_from: datetime | None,
    action: str,
) -> MatterRead:
    repository = CatalogRepository(session)
    matter = await repository.get_matter(code, for_update=True)
    latest = await repository.latest_version(code)
    if matter is None or latest is None:
        raise NotFound(f"No matter {code} in the catalog.", code="matter_not_found")
    check_version(matter.latest_version, if_match, f"Matter {code}")
    content = {**_content_from_row(latest), **change}
    if status is MatterStatus.active:
        await _validate(session, content)
    version = matter.latest_version + 1
    matter.latest_version = version
    row = _new_version(code, version, content, status, effective_from or now, principal, now)
    repository.add(row)
    await session.flush()
    result = matter_read(row)
    await record(
        session,
        principal,
        action=action,
        target_type="matter",
        target_id=code,
        details={
            "version": version,
            "before": matter_read(latest).model_dump(mode="json"),
            "after": result.model_dump(mode="json"),
        },
    )
    return result


async def update_matter(
    session: AsyncSession,
    principal: Principal,
    code: str,
    data: MatterUpdate,
    if_match: str | None,
    now: datetime,
) -> MatterRead:
    given = data.model_dump(exclude_unset=True, exclude={"effective_from"})
    change: dict[str, Any] = {}
    for field, value in given.items():
        if field == "modes" and data.modes is not None:
            change["modes"] = data.modes.model_dump(mode="json", exclude_none=True)
        elif field == "excluded_categories":
            change[field] = [HighRiskCategory(c).value for c in value or []]
        elif value is not None or field in ("onsite_verification_department", "other_notice"):
            change[field] = value
    return await _append_version(
        session,
        principal,
        code,
        if_match,
        now,
        change,
        MatterStatus.active,
        data.effective_from,
        "matter.update",
    )


async def withdraw_matter(
    session: AsyncSession, principal: Principal, code: str, if_match: str | None, now: datetime
) -> MatterRead:
    return await _append_version(
        session, principal, code, if_match, now, {}, MatterStatus.withdrawn, None, "matter.withdraw"
    )


async def current_matter(
    session: AsyncSession, code: str, now: datetime, *, public: bool
) -> MatterRead:
    row = await CatalogRepository(session).current_version(code, now)
    if row is None or (public and row.status != MatterStatus.active):
        raise NotFound(f"No matter {code} in the catalog.", code="matter_not_found")
    return matter_read(row)


async def matter_history(session: AsyncSession, code: str) -> list[MatterRead]:
    rows = await CatalogRepository(session).versions(code)
    if not rows:
        raise NotFound(f"No matter {code} in the catalog.", code="matter_not_found")
    return [matter_read(row) for row in rows]


async def list_matters(
    session: AsyncSession, now: datetime, limit: int, cursor: str | None, *, public: bool
) -> Page[MatterRead]:
    after = decode_cursor(cursor).get("after") if cursor else None
    if after is not None and not isinstance(after, str):
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
    rows = await CatalogRepository(session).current_versions_after(
        now, after, limit + 1, status=MatterStatus.active.value if public else None
    )
    items = [matter_read(row) for row in rows[:limit]]
    next_cursor = (
        encode_cursor({"after": rows[limit - 1].matter_code}) if len(rows) > limit else None
    )
    return Page[MatterRead](items=items, next_cursor=next_cursor)


def offered_modes(row: MatterVersion) -> list[Mode]:
    return MatterModes.model_validate(row.modes).offered()
