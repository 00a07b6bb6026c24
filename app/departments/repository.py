from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.departments.models import Department


class DepartmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> Department | None:
        return await self.session.get(Department, code)

    async def get_many(self, codes: Iterable[str]) -> dict[str, Department]:
        wanted = set(codes)
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Department).where(Department.code.in_(wanted)))
        return {row.code: row for row in rows}

    async def list_after(self, after_code: str | None, limit: int) -> Sequence[Department]:
        query = select(Department).order_by(Department.code).limit(limit)
        if after_code is not None:
            query = query.where(Department.code > after_code)
        return (await self.session.scalars(query)).all()

    def add(self, department: Department) -> None:
        self.session.add(department)
