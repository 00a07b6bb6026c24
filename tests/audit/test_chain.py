"""The audit log's hash chain: each entry linked to the one before, and verification."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import GENESIS_HASH, ChainContent, canonical_json, entry_hash
from app.audit.models import AuditEntry
from app.audit.repository import AuditRepository
from app.audit.service import chain_pending, record, verify_chain
from app.core.clock import FixedClock
from app.ops.worker import Worker
from app.web.auth import Principal, Role
from tests.conftest import Harness, TokenFactory
from tests.test_app import assert_problem

VERIFY = "/api/v1/audit-log/verification"
CLERK = Principal(sub="bob", roles=frozenset({Role.clerk}), department="371400-SPJ")


async def _append(session: AsyncSession, count: int) -> list[AuditEntry]:
    entries = [
        await record(
            session,
            CLERK,
            action="chain.test",
            target_type="example",
            target_id=f"t{n}",
            purpose="测试 testing",
            details={"n": n, "nested": {"b": [1, 2.5, None], "a": "值"}},
        )
        for n in range(count)
    ]
    await session.commit()
    assert all(entry.position is None and entry.hash is None for entry in entries)
    await chain_pending(session)
    await session.commit()
    for entry in entries:
        await session.refresh(entry)
    return entries


async def _verify(
    client: httpx.AsyncClient, auth: TokenFactory, **params: int | None
) -> dict[str, object]:
    response = await client.get(VERIFY, params=params, headers=auth("auditor"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_canonical_form_is_the_documented_one() -> None:
    content = ChainContent(
        recorded_at=datetime(2026, 9, 30, 2, 0, 0, 5, tzinfo=UTC),
        actor="alice",
        roles=["auditor", "clerk"],
        department=None,
        action="credit_check.create",
        target_type="credit_check",
        target_id="42",
        purpose="容缺受理",
        request_id=None,
        details={"z": 1, "a": [True, None]},
    )
    expected = (
        '{"action":"credit_check.create","actor":"alice","department":null,'
        '"details":{"a":[true,null],"z":1},"prev_hash":"' + GENESIS_HASH + '",'
        '"purpose":"容缺受理","recorded_at":"2026-09-30T02:00:00.000005Z",'
        '"request_id":null,"roles":["auditor","clerk"],"target_id":"42",'
        '"target_type":"credit_check"}'
    )
    assert canonical_json(content, GENESIS_HASH) == expected
    # Details read back from the log hash the same without the round trip.
    assert canonical_json(content, GENESIS_HASH, as_stored=True) == expected
    assert entry_hash(content, GENESIS_HASH) == hashlib.sha256(expected.encode()).hexdigest()


async def test_each_entry_is_chained_to_the_one_before(session: AsyncSession) -> None:
    await chain_pending(session)
    head_before = await AuditRepository(session).head()
    entries = await _append(session, 3)
    if head_before is None:
        assert (entries[0].position, entries[0].prev_hash) == (1, GENESIS_HASH)
    else:
        assert (entries[0].position, entries[0].prev_hash) == (head_before[0] + 1, head_before[1])
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.position == (before.position or 0) + 1
    for entry in entries:
        assert entry.prev_hash is not None
        content = ChainContent(
            recorded_at=entry.recorded_at,
            actor=entry.actor,
            roles=entry.roles,
            department=entry.department,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            purpose=entry.purpose,
            request_id=entry.request_id,
            details=entry.details,
        )
        assert entry.hash == entry_hash(content, entry.prev_hash)


async def test_an_intact_chain_verifies(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    entries = await _append(session, 3)
    body = await _verify(client, auth, from_position=entries[0].position)
    assert body == {
        "checked": 3,
        "intact": True,
        "first_broken_id": None,
        "first_broken_position": None,
        "reason": None,
        "last_id": entries[-1].id,
        "last_position": entries[-1].position,
        "last_hash": entries[-1].hash,
        "unchained": 0,
    }
    # A range in the middle is checked against the entry before it.
    middle = await _verify(
        client, auth, from_position=entries[1].position, to_position=entries[1].position
    )
    assert (middle["checked"], middle["intact"], middle["last_id"]) == (1, True, entries[1].id)


async def test_an_edited_entry_is_reported_at_its_id(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    entries = await _append(session, 3)
    await session.execute(
        text("UPDATE audit_log SET purpose = :purpose WHERE id = :id"),
        {"purpose": "something else", "id": entries[1].id},
    )
    body = await _verify(client, auth, from_position=entries[0].position)
    assert body == {
        "checked": 2,
        "intact": False,
        "first_broken_id": entries[1].id,
        "first_broken_position": entries[1].position,
        "reason": "hash_mismatch",
        "last_id": entries[0].id,
        "last_position": entries[0].position,
        "last_hash": entries[0].hash,
        "unchained": 0,
    }


async def test_an_edited_detail_is_reported_too(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    entries = await _append(session, 2)
    await session.execute(
        text("UPDATE audit_log SET details = :details WHERE id = :id"),
        {"details": '{"n": 99}', "id": entries[0].id},
    )
    body = await _verify(client, auth, from_position=entries[0].position)
    assert (body["first_broken_id"], body["reason"]) == (entries[0].id, "hash_mismatch")


async def test_a_deleted_entry_breaks_the_chain_at_the_next_id(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    entries = await _append(session, 3)
    await session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entries[1].id})
    body = await _verify(client, auth, from_position=entries[0].position)
    assert body == {
        "checked": 2,
        "intact": False,
        "first_broken_id": entries[2].id,
        "first_broken_position": entries[2].position,
        "reason": "chain_broken",
        "last_id": entries[0].id,
        "last_position": entries[0].position,
        "last_hash": entries[0].hash,
        "unchained": 0,
    }


async def test_a_rehashed_entry_breaks_the_link_of_the_next(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    """Editing an entry and recomputing its hash still shows at the entry after it."""
    entries = await _append(session, 3)
    edited = entries[1]
    assert edited.prev_hash is not None
    content = ChainContent(
        recorded_at=edited.recorded_at,
        actor="mallory",
        roles=edited.roles,
        department=edited.department,
        action=edited.action,
        target_type=edited.target_type,
        target_id=edited.target_id,
        purpose=edited.purpose,
        request_id=edited.request_id,
        details=edited.details,
    )
    await session.execute(
        text("UPDATE audit_log SET actor = 'mallory', hash = :hash WHERE id = :id"),
        {"hash": entry_hash(content, edited.prev_hash), "id": edited.id},
    )
    body = await _verify(client, auth, from_position=entries[0].position)
    assert (body["first_broken_id"], body["reason"]) == (entries[2].id, "chain_broken")


async def test_verification_walks_in_batches_across_their_boundaries(
    session: AsyncSession,
) -> None:
    entries = await _append(session, 5)
    first = entries[0].position
    result = await verify_chain(session, from_position=first, to_position=None, batch_size=2)
    assert (result.checked, result.intact, result.last_id) == (5, True, entries[-1].id)

    await session.execute(
        text("UPDATE audit_log SET target_id = 'x' WHERE id = :id"), {"id": entries[3].id}
    )
    result = await verify_chain(session, from_position=first, to_position=None, batch_size=2)
    assert (result.checked, result.first_broken_id) == (4, entries[3].id)


async def test_a_second_entry_on_the_same_head_is_refused(session: AsyncSession) -> None:
    """The unique prev_hash: even without the chainer's lock, the chain cannot fork."""
    entries = await _append(session, 1)
    fork = AuditEntry(
        recorded_at=entries[0].recorded_at,
        actor="x",
        roles=[],
        department=None,
        action="fork",
        target_type="t",
        target_id="1",
        purpose=None,
        request_id=None,
        details=None,
        prev_hash=entries[0].prev_hash,
        hash="f" * 64,
    )
    session.add(fork)
    with pytest.raises(IntegrityError):
        await session.flush()
    await session.rollback()


async def test_verification_range_and_roles_are_checked(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.get(
        VERIFY, params={"from_position": 5, "to_position": 4}, headers=auth("auditor")
    )
    assert_problem(response, 422, "invalid_range")
    response = await client.get(VERIFY, params={"from_position": 0}, headers=auth("auditor"))
    assert_problem(response, 422, "validation_failed")
    assert_problem(await client.get(VERIFY, headers=auth("clerk")), 403, "role_forbidden")
    assert_problem(await client.get(VERIFY), 401, "not_authenticated")


async def test_an_empty_range_verifies_with_nothing_checked(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    body = await _verify(client, auth, from_position=2**40)
    assert body == {
        "checked": 0,
        "intact": True,
        "first_broken_id": None,
        "first_broken_position": None,
        "reason": None,
        "last_id": None,
        "last_position": None,
        "last_hash": None,
        "unchained": 0,
    }


async def test_an_entry_is_written_unchained_and_chained_after_commit(
    session: AsyncSession,
) -> None:
    entry = await record(session, CLERK, action="t", target_type="t", target_id="1")
    await session.flush()
    stored = await session.scalar(select(AuditEntry.position).where(AuditEntry.id == entry.id))
    assert stored is None and entry.hash is None and entry.prev_hash is None
    assert await chain_pending(session) >= 1
    await session.refresh(entry)
    assert entry.position is not None and entry.hash is not None
    assert await chain_pending(session) == 0  # nothing left: chaining is idempotent


async def test_an_entry_committed_after_a_later_one_was_chained_is_linked_after_it(
    session: AsyncSession,
) -> None:
    """The chain's order is its positions, not the ids (which commits may overtake)."""
    await chain_pending(session)
    early = await record(session, CLERK, action="t", target_type="t", target_id="early")
    late = await record(session, CLERK, action="t", target_type="t", target_id="late")
    await session.flush()
    assert early.id < late.id
    # As if ``early``'s transaction had not committed yet when the chainer ran.
    await session.execute(
        text("UPDATE audit_log SET position = -1 WHERE id = :id"), {"id": early.id}
    )
    assert await chain_pending(session) == 1
    await session.execute(
        text("UPDATE audit_log SET position = NULL WHERE id = :id"), {"id": early.id}
    )
    assert await chain_pending(session) == 1
    await session.refresh(early)
    await session.refresh(late)
    assert early.position is not None and late.position is not None
    assert early.position == late.position + 1
    assert early.prev_hash == late.hash
    result = await verify_chain(session, from_position=late.position, to_position=None)
    assert (result.intact, result.checked, result.last_id) == (True, 2, early.id)


async def test_a_worker_pass_chains_the_entries_committed_since_the_last(
    session: AsyncSession, app_harness: Harness, clock: FixedClock
) -> None:
    await chain_pending(session)
    await session.commit()
    written = [
        await record(session, CLERK, action="t", target_type="t", target_id=str(n))
        for n in range(3)
    ]
    await session.commit()
    worker = Worker(app_harness.database, app_harness.settings, clock)
    try:
        report = await worker.run_once()
        again = await worker.run_once()
    finally:
        await worker.aclose()
    assert report.audit_chained >= 3 and not report.idle
    assert again.audit_chained == 0
    for entry in written:
        await session.refresh(entry)
    positions = [entry.position or 0 for entry in written]
    assert 0 not in positions and positions == sorted(positions)
    assert written[1].prev_hash == written[0].hash and written[2].prev_hash == written[1].hash
