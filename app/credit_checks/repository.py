from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.credit_checks.models import CreditCheck

_CHECKS: Table = CreditCheck.__table__  # type: ignore[assignment]
_AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
_AUDITED = [c for c in _AUDIT.columns if c.key not in ("id", "prev_hash", "hash", "position")]


def _check_and_audit() -> Any:
    """PostgreSQL: the check and its audit entry in one statement (a data-modifying CTE),
    every value bound (``c_<column>`` and ``a_<column>``); built once."""
    check = (
        insert(_CHECKS)
        .values({c.key: bindparam("c_" + c.key, type_=c.type) for c in _CHECKS.columns})
        .returning(_CHECKS.c.id)
        .cte("new_check")
    )
    entry = select(*(bindparam("a_" + c.key, type_=c.type) for c in _AUDITED)).select_from(check)
    return insert(_AUDIT).from_select([c.key for c in _AUDITED], entry)


_CHECK_AND_AUDIT = _check_and_audit()
_CHECK = insert(_CHECKS)
_ENTRY = insert(_AUDIT)


async def insert_check(
    session: AsyncSession, check: dict[str, object], audit_entry: dict[str, Any]
) -> None:
    """Write a credit check and its audit entry in the caller's transaction: one round
    trip on PostgreSQL, two on SQLite (which has no INSERT in a WITH)."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        parameters = {"c_" + k: v for k, v in check.items()}
        parameters.update({"a_" + k: v for k, v in audit_entry.items()})
        await connection.execute(_CHECK_AND_AUDIT, parameters)
        return
    await connection.execute(_CHECK, check)
    await connection.execute(_ENTRY, audit_entry)


class CreditCheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, check_id: uuid.UUID) -> CreditCheck | None:
        return await self.session.get(CreditCheck, check_id)

    def add(self, check: CreditCheck) -> None:
        self.session.add(check)
