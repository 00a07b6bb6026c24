"""The one helper every write (and every read of credit data) goes through."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import GENESIS_HASH, ChainContent, check_link, entry_hash
from app.audit.models import AuditEntry
from app.audit.repository import AuditRepository
from app.auth import Principal
from app.db import utcnow
from app.errors import UnprocessableEntity
from app.logs import request_id_var
from app.pagination import Page, decode_cursor, encode_cursor

from .schemas import AuditChainVerification, AuditEntryRead

VERIFY_BATCH_SIZE = 500


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
    """Append an audit entry in the caller's transaction (it commits or rolls back with it).

    The entry is chained to the current head of the log (``app.audit.chain``). Appends
    are serialised until the transaction ends, so call this after the change it records:
    the caller's own changes are flushed first, before the chain is locked.
    """
    repository = AuditRepository(session)
    await session.flush()
    await repository.lock_chain()
    prev_hash = await repository.last_hash() or GENESIS_HASH
    content = ChainContent(
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
    entry = AuditEntry(
        recorded_at=content.recorded_at,
        actor=content.actor,
        roles=content.roles,
        department=content.department,
        action=content.action,
        target_type=content.target_type,
        target_id=content.target_id,
        purpose=content.purpose,
        request_id=content.request_id,
        details=content.details,
        prev_hash=prev_hash,
        hash=entry_hash(content, prev_hash),
    )
    repository.add(entry)
    await session.flush()
    return entry


async def verify_chain(
    session: AsyncSession,
    *,
    from_id: int | None,
    to_id: int | None,
    batch_size: int = VERIFY_BATCH_SIZE,
) -> AuditChainVerification:
    """Re-walk the entries ``from_id..to_id`` in id order, a batch at a time.

    Stops at the first entry whose link or content does not match. The first entry of
    the range is checked against the entry before it (or the genesis value).
    """
    if from_id is not None and to_id is not None and from_id > to_id:
        raise UnprocessableEntity("from_id must not be greater than to_id.", code="invalid_range")
    repository = AuditRepository(session)
    expected = GENESIS_HASH
    after_id: int | None = None
    if from_id is not None:
        expected = await repository.hash_before(from_id) or GENESIS_HASH
        after_id = from_id - 1
    checked = 0
    last_id: int | None = None
    while True:
        batch = await repository.chain_batch(after_id=after_id, to_id=to_id, limit=batch_size)
        for link in batch:
            checked += 1
            broken = check_link(link, expected)
            if broken is not None:
                return AuditChainVerification(
                    checked=checked,
                    intact=False,
                    first_broken_id=link.id,
                    reason=broken,
                    last_id=last_id,
                    last_hash=expected if last_id is not None else None,
                )
            expected = link.hash
            last_id = link.id
        if len(batch) < batch_size:
            break
        after_id = batch[-1].id
    return AuditChainVerification(
        checked=checked,
        intact=True,
        first_broken_id=None,
        reason=None,
        last_id=last_id,
        last_hash=expected if last_id is not None else None,
    )


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
