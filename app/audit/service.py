"""The one helper every write (and every read of credit data) goes through."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.audit.repository import AuditRepository
from app.auth import Principal
from app.db import utcnow
from app.errors import UnprocessableEntity
from app.logs import request_id_var
from app.pagination import Page, decode_cursor, encode_cursor

from .schemas import AuditEntryRead


async def record(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    target_type: str,
    target_id: str,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an audit entry in the caller's transaction (it commits or rolls back with it)."""
    entry = AuditEntry(
        recorded_at=utcnow(),
        actor=principal.sub,
        roles=sorted(role.value for role in principal.roles),
        department=principal.department,
        action=action,
        target_type=target_type,
        target_id=target_id,
        purpose=purpose,
        request_id=request_id_var.get(),
        details=details,
    )
    AuditRepository(session).add(entry)
    await session.flush()
    return entry


async def list_entries(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    target_type: str | None,
    target_id: str | None,
    actor: str | None,
    action: str | None,
) -> Page[AuditEntryRead]:
    after_id: int | None = None
    if cursor is not None:
        position = decode_cursor(cursor)
        after = position.get("after")
        if not isinstance(after, int):
            raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
        after_id = after
    rows = await AuditRepository(session).list_after(
        after_id=after_id,
        limit=limit + 1,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        action=action,
    )
    items = [AuditEntryRead.model_validate(row) for row in rows[:limit]]
    next_cursor = encode_cursor({"after": rows[limit - 1].id}) if len(rows) > limit else None
    return Page[AuditEntryRead](items=items, next_cursor=next_cursor)
