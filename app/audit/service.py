"""The one helper every write (and every read of credit data) goes through."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import GENESIS_HASH, ChainBreak, ChainLink, check_link, entry_hash
from app.audit.models import AuditEntry
from app.audit.repository import AuditRepository
from app.core.db import utcnow
from app.core.errors import UnprocessableEntity
from app.core.logs import request_id_var
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.web.auth import Principal

from .schemas import AuditChainVerification, AuditEntryRead

VERIFY_BATCH_SIZE = 500
# A batch is read, hashed and linked without the event loop serving anything else while it
# hashes; the process that chains may be serving requests (``serve --worker``), so a batch
# is kept to a few milliseconds of work.
CHAIN_BATCH_SIZE = 25


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
    """Add an audit entry to the caller's transaction (it commits or rolls back with it).

    The entry is written unchained, so no write waits for another to commit; the chainer
    (:func:`chain_pending`) links it into the hash chain once it is committed. The worker
    chains on every pass, and reading or verifying the log chains first.
    """
    entry = AuditEntry(
        **audit_values(
            principal,
            action=action,
            target_type=target_type,
            target_id=target_id,
            purpose=purpose,
            details=details,
        )
    )
    AuditRepository(session).add(entry)
    return entry


async def record_now(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    target_type: str,
    target_id: str,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """As :func:`record`, but written at once in one statement, without the unit of work:
    for a read whose audit entry is all it writes (app.core.db.statements_alone)."""
    await AuditRepository(session).insert_now(
        audit_values(
            principal,
            action=action,
            target_type=target_type,
            target_id=target_id,
            purpose=purpose,
            details=details,
        )
    )


def audit_values(
    principal: Principal,
    *,
    action: str,
    target_type: str,
    target_id: str,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of the entry :func:`record` adds, for a statement that inserts it with
    the row it records (unchained, like every new entry: the chainer links it)."""
    return {
        "recorded_at": utcnow(),
        "actor": principal.sub,
        "roles": sorted(role.value for role in principal.roles),
        "department": principal.department,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "purpose": purpose,
        "request_id": request_id_var.get(),
        "details": details,
    }


async def chain_pending(session: AsyncSession, batch_size: int = CHAIN_BATCH_SIZE) -> int:
    """Link every committed, unchained entry into the hash chain, in id order.

    Runs under the chain's lock until the caller's transaction ends: commit soon after.
    Each entry gets the next position, ``prev_hash`` = the hash at the position before
    it, and its own hash. An entry committed after a later id was chained is simply
    linked later: the chain's order is its positions. Returns how many were linked.
    """
    repository = AuditRepository(session)
    await repository.lock_chain()
    head = await repository.head()
    position, prev_hash = head if head is not None else (0, GENESIS_HASH)
    linked = 0
    while True:
        rows = await repository.unchained(batch_size)
        links = []
        for entry_id, content in rows:
            position += 1
            digest = entry_hash(content, prev_hash, as_stored=True)  # read from the log
            links.append((entry_id, position, prev_hash, digest))
            prev_hash = digest
        if links:
            await repository.link(links)
        linked += len(links)
        if len(rows) < batch_size:
            return linked


async def verify_chain(
    session: AsyncSession,
    *,
    from_position: int | None,
    to_position: int | None,
    batch_size: int = VERIFY_BATCH_SIZE,
) -> AuditChainVerification:
    """Chain what is pending, then re-walk positions ``from..to`` in order, a batch at a time.

    Stops at the first entry whose link or content does not match. The first entry of
    the range is checked against the link before it (or the genesis value).
    """
    if from_position is not None and to_position is not None and from_position > to_position:
        raise UnprocessableEntity(
            "from_position must not be greater than to_position.", code="invalid_range"
        )
    await chain_pending(session)
    repository = AuditRepository(session)
    expected = GENESIS_HASH
    after: int | None = None
    if from_position is not None:
        expected = await repository.hash_before(from_position) or GENESIS_HASH
        after = from_position - 1
    checked = 0
    last: ChainLink | None = None
    broken: tuple[ChainLink, ChainBreak] | None = None
    while broken is None:
        batch = await repository.chain_batch(
            after_position=after, to_position=to_position, limit=batch_size
        )
        for link in batch:
            checked += 1
            reason = check_link(link, expected)
            if reason is not None:
                broken = (link, reason)
                break
            expected = link.hash
            last = link
        if len(batch) < batch_size:
            break
        after = batch[-1].position
    return AuditChainVerification(
        checked=checked,
        intact=broken is None,
        first_broken_id=broken[0].id if broken else None,
        first_broken_position=broken[0].position if broken else None,
        reason=broken[1] if broken else None,
        last_id=last.id if last else None,
        last_position=last.position if last else None,
        last_hash=last.hash if last else None,
        unchained=await repository.count_unchained(),
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
    await chain_pending(session)
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
