from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditChainVerification, AuditEntryRead
from app.core.db import MAX_BIGINT, SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.web.authz import Authorized

router = APIRouter(prefix="/api/v1/audit-log", tags=["audit"])


@router.get(
    "",
    response_model=Page[AuditEntryRead],
    summary="List audit entries (审计日志)",
    description=(
        "Append-only audit entries in write order, oldest first, with their place in the "
        "hash chain (entries committed since the last pass are chained first). Auditors only."
    ),
    responses=problem_responses(401, 403, 422),
)
async def list_audit_entries(
    session: SessionDep,
    _principal: Authorized,
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


@router.get(
    "/verification",
    response_model=AuditChainVerification,
    summary="Verify the audit log's hash chain (审计日志防篡改校验)",
    description=(
        "First chains the entries committed since the last pass, then re-computes every "
        "entry's hash in chain order, from position `from_position` to `to_position` "
        "(both optional, inclusive), and checks that each `prev_hash` is the `hash` of "
        "the link before it. Stops at the first entry that does not verify: "
        "`hash_mismatch` when its content was changed, `chain_broken` when an entry "
        "before it was deleted or inserted. The canonical form that is hashed is "
        "documented in `app/audit/chain.py`. Auditors only."
    ),
    responses=problem_responses(401, 403, 422, 429, 503),
)
async def verify_audit_chain(
    session: SessionDep,
    _principal: Authorized,
    from_position: Annotated[
        int | None,
        Query(ge=1, le=MAX_BIGINT, description="First position to check (default: the first)."),
    ] = None,
    to_position: Annotated[
        int | None,
        Query(ge=1, le=MAX_BIGINT, description="Last position to check (default: the newest)."),
    ] = None,
) -> AuditChainVerification:
    return await service.verify_chain(session, from_position=from_position, to_position=to_position)
