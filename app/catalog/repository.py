from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Matter, MatterVersion
from app.departments.models import Department

# Built once (the credit check's hot path): no statement construction per request.
_VERSION_AND_AGENCY_PROFILE = (
    select(MatterVersion, Department.profile)
    .outerjoin(Department, Department.code == MatterVersion.agency_code)
    .where(
        MatterVersion.matter_code == bindparam("matter_code"),
        MatterVersion.effective_from <= bindparam("at"),
    )
    .order_by(MatterVersion.version.desc())
    .limit(1)
)


class CatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_matter(self, code: str, *, for_update: bool = False) -> Matter | None:
        query = select(Matter).where(Matter.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query)).one_or_none()

    async def get_version(self, version_id: uuid.UUID) -> MatterVersion | None:
        return await self.session.get(MatterVersion, version_id)

    async def current_version(self, code: str, at: datetime) -> MatterVersion | None:
        """The latest version already in effect at ``at``."""
        query = (
            select(MatterVersion)
            .where(MatterVersion.matter_code == code, MatterVersion.effective_from <= at)
            .order_by(MatterVersion.version.desc())
            .limit(1)
        )
        return (await self.session.scalars(query)).one_or_none()

    async def current_version_and_agency_profile(
        self, code: str, at: datetime
    ) -> tuple[MatterVersion | None, str | None]:
        """The version in effect at ``at`` and the profile its agency applies (None when
        the agency is not a known department), in one round trip."""
        parameters = {"matter_code": code, "at": at}
        row = (await self.session.execute(_VERSION_AND_AGENCY_PROFILE, parameters)).one_or_none()
        return (row[0], row[1]) if row is not None else (None, None)

    async def latest_version(self, code: str) -> MatterVersion | None:
        query = (
            select(MatterVersion)
            .where(MatterVersion.matter_code == code)
            .order_by(MatterVersion.version.desc())
            .limit(1)
        )
        return (await self.session.scalars(query)).one_or_none()

    async def versions(self, code: str) -> Sequence[MatterVersion]:
        query = (
            select(MatterVersion)
            .where(MatterVersion.matter_code == code)
            .order_by(MatterVersion.version)
        )
        return (await self.session.scalars(query)).all()

    async def current_versions_after(
        self, at: datetime, after_code: str | None, limit: int, *, status: str | None = None
    ) -> Sequence[MatterVersion]:
        """Per matter, the version in effect at ``at``; ordered by matter code."""
        latest = (
            select(
                MatterVersion.matter_code.label("code"),
                func.max(MatterVersion.version).label("version"),
            )
            .where(MatterVersion.effective_from <= at)
            .group_by(MatterVersion.matter_code)
            .subquery()
        )
        query = (
            select(MatterVersion)
            .join(
                latest,
                (MatterVersion.matter_code == latest.c.code)
                & (MatterVersion.version == latest.c.version),
            )
            .order_by(MatterVersion.matter_code)
            .limit(limit)
        )
        if after_code is not None:
            query = query.where(MatterVersion.matter_code > after_code)
        if status is not None:
            query = query.where(MatterVersion.status == status)
        return (await self.session.scalars(query)).all()

    def add(self, row: Matter | MatterVersion) -> None:
        self.session.add(row)
