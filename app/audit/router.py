from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.audit import service
from app.audit.schemas import AuditEntryRead
from app.auth import Principal, Role, require_roles
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page

router = APIRouter(prefix="/api/v1/audit-log", tags=["audit"])

Auditor = Annotated[Principal, Depends(require_roles(Role.auditor))]


@router.get(
    "",
    response_model=Page[AuditEntryRead],
    summary="List audit entries (审计日志)",
    description="Append-only audit entries in write order, oldest first. Auditors only.",
    responses=problem_responses(401, 403, 422),
)
async def list_audit_entries(
    session: SessionDep,
    _principal: Auditor,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    target_type: Annotated[str | None, Query(max_length=64)] = None,
    target_id: Annotated[str | None, Query(max_length=128)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[AuditEntryRead]:
    return await service.list_entries(
        session,
        limit=limit,
        cursor=cursor,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        action=action,
    )
