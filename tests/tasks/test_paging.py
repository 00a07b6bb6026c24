"""Paging the work queue: (due day, kind, id) order, tasks without a due day last.

The rows are written straight into the tables with the due days and ids below, so the
expected order is read off the tables by hand: ids are small numbers written in hex
(0x51 sorts before 0x59), and the kinds sort by name (await_supplement, carry_out_verification,
decide_commitment, decide_lifting, follow_rectification, issue_listing_notice,
record_order_receipt, review_objection, send_reminder, take_up_proposal,
terminate_or_accept). Today is Wed 2026-09-30. Every source of tasks holds at least two
rows with a due day and two without (a source of rows with no due day by definition,
an order whose receipt is awaited, only the latter), so paging one task at a time
crosses a page boundary inside each of them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, Verification
from app.credit_checks.models import CreditCheck
from app.restrictions.models import LiftingRequest, Restriction
from app.tasks.repository import TaskRepository
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, LINZI, ORG, REGULATOR, ok
from tests.restrictions.conftest import collect

TODAY = date(2026, 9, 30)

# (id, status, collecting department, due day)
RESTRICTIONS = [
    (0x11, "proposed", AGENCY, None),
    (0x12, "proposed", AGENCY, None),
    (0x13, "proposed", AGENCY, "2026-10-02"),
    (0x14, "proposed", REGULATOR, "2026-09-20"),
    (0x15, "proposed", AGENCY, "2026-10-09"),
    (0x21, "verified", AGENCY, "2026-10-02"),
    (0x22, "verified", AGENCY, "2026-10-02"),
    (0x23, "verified", AGENCY, None),
    (0x24, "verified", AGENCY, None),
    (0x31, "under_review", AGENCY, "2026-10-09"),
    (0x32, "under_review", AGENCY, None),
    (0x33, "under_review", AGENCY, "2026-10-05"),
    (0x34, "under_review", AGENCY, None),
    (0x35, "withdrawn", AGENCY, "2026-09-01"),  # no task
]
# (id, listing, decision day, outcome)
LIFTING_REQUESTS = [
    (0x41, 0x35, "2026-10-02", None),
    (0x42, 0x35, "2026-10-05", None),
    (0x43, 0x14, "2026-09-25", None),  # the regulator's listing
    (0x44, 0x35, "2026-09-20", "granted"),  # decided: no task
]
# (id, status, department, due day)
COMMITMENTS = [
    (0x51, "overdue", AGENCY, "2026-09-28"),
    (0x52, "overdue", AGENCY, None),
    (0x53, "accepted", AGENCY, "2026-09-29"),
    (0x54, "accepted", AGENCY, "2026-09-30"),  # due today: supplement awaited, no reminder yet
    (0x55, "accepted", AGENCY, None),  # no task
    (0x56, "overdue", REGULATOR, "2026-09-01"),
    (0x57, "overdue", AGENCY, "2026-10-02"),
    (0x58, "overdue", AGENCY, None),
    (0x59, "accepted", AGENCY, "2026-09-28"),
    (0x5A, "accepted", AGENCY, "2026-10-05"),  # supplement awaited
    (0x61, "reminded", AGENCY, "2026-09-29"),
    (0x62, "reminded", AGENCY, "2026-09-28"),
    (0x63, "reminded", AGENCY, "2026-10-08"),  # reminder period running: supplement awaited
    (0x64, "reminded", AGENCY, "2026-10-02"),  # likewise
    (0x65, "reminded", AGENCY, None),  # a reminder by post: its receipt is awaited
    (0x66, "reminded", AGENCY, None),  # likewise
    (0x71, "committed", AGENCY, "2026-10-02"),
    (0x72, "supplemented", AGENCY, "2026-10-02"),
    (0x73, "committed", AGENCY, None),
    (0x74, "supplemented", AGENCY, None),
    (0x75, "committed", AGENCY, "2026-10-05"),
    (0x76, "committed", AGENCY, None),
    (0x77, "supplemented", AGENCY, "2026-10-09"),
    (0x78, "supplemented", AGENCY, None),
    (0x81, "rectification_ordered", AGENCY, None),  # an order by post: receipt awaited
    (0x82, "rectification_ordered", AGENCY, "2026-10-09"),
    (0x83, "rectification_ordered", AGENCY, "2026-09-28"),
    (0x84, "rectification_ordered", AGENCY, None),  # likewise
    (0x86, "rectification_ordered", AGENCY, "2026-10-09"),
    (0x87, "rectification_ordered", AGENCY, "2026-09-28"),
    (0x85, "completed", AGENCY, "2026-09-01"),  # no task
]
# (id, status, assigned department, assisting department, due day)
VERIFICATIONS = [
    (0x91, "open", AGENCY, None, "2026-10-02"),
    (0x92, "open", AGENCY, AGENCY, "2026-10-05"),  # listed once
    (0x93, "open", REGULATOR, AGENCY, None),
    (0x94, "open", REGULATOR, None, "2026-09-15"),  # the regulator's alone
    (0x95, "completed", AGENCY, None, "2026-09-01"),  # no task
    (0x96, "open", AGENCY, None, None),
    (0x97, "open", AGENCY, LINZI, None),
    (0x98, "open", REGULATOR, AGENCY, "2026-10-02"),
    (0x99, "open", REGULATOR, AGENCY, "2026-10-09"),
    (0x9A, "open", REGULATOR, AGENCY, None),
]

# The agency's queue, in order: (due day, kind, id).
AGENCY_TASKS = [
    ("2026-09-28", "follow_rectification", 0x83),
    ("2026-09-28", "follow_rectification", 0x87),
    ("2026-09-28", "send_reminder", 0x51),
    ("2026-09-28", "send_reminder", 0x59),
    ("2026-09-28", "terminate_or_accept", 0x62),
    ("2026-09-29", "send_reminder", 0x53),
    ("2026-09-29", "terminate_or_accept", 0x61),
    ("2026-09-30", "await_supplement", 0x54),
    ("2026-10-02", "await_supplement", 0x64),
    ("2026-10-02", "carry_out_verification", 0x91),
    ("2026-10-02", "carry_out_verification", 0x98),
    ("2026-10-02", "decide_commitment", 0x71),
    ("2026-10-02", "decide_commitment", 0x72),
    ("2026-10-02", "decide_lifting", 0x41),
    ("2026-10-02", "issue_listing_notice", 0x21),
    ("2026-10-02", "issue_listing_notice", 0x22),
    ("2026-10-02", "send_reminder", 0x57),
    ("2026-10-02", "take_up_proposal", 0x13),
    ("2026-10-05", "await_supplement", 0x5A),
    ("2026-10-05", "carry_out_verification", 0x92),
    ("2026-10-05", "decide_commitment", 0x75),
    ("2026-10-05", "decide_lifting", 0x42),
    ("2026-10-05", "review_objection", 0x33),
    ("2026-10-08", "await_supplement", 0x63),
    ("2026-10-09", "carry_out_verification", 0x99),
    ("2026-10-09", "decide_commitment", 0x77),
    ("2026-10-09", "follow_rectification", 0x82),
    ("2026-10-09", "follow_rectification", 0x86),
    ("2026-10-09", "review_objection", 0x31),
    ("2026-10-09", "take_up_proposal", 0x15),
    (None, "carry_out_verification", 0x93),
    (None, "carry_out_verification", 0x96),
    (None, "carry_out_verification", 0x97),
    (None, "carry_out_verification", 0x9A),
    (None, "decide_commitment", 0x73),
    (None, "decide_commitment", 0x74),
    (None, "decide_commitment", 0x76),
    (None, "decide_commitment", 0x78),
    (None, "issue_listing_notice", 0x23),
    (None, "issue_listing_notice", 0x24),
    (None, "record_order_receipt", 0x65),
    (None, "record_order_receipt", 0x66),
    (None, "record_order_receipt", 0x81),
    (None, "record_order_receipt", 0x84),
    (None, "review_objection", 0x32),
    (None, "review_objection", 0x34),
    (None, "send_reminder", 0x52),
    (None, "send_reminder", 0x58),
    (None, "take_up_proposal", 0x11),
    (None, "take_up_proposal", 0x12),
]
# The regulator's own tasks, all due before the agency's first.
REGULATOR_TASKS = [
    ("2026-09-01", "send_reminder", 0x56),
    ("2026-09-15", "carry_out_verification", 0x94),
    ("2026-09-20", "take_up_proposal", 0x14),
    ("2026-09-25", "decide_lifting", 0x43),
]


def _id(number: int) -> uuid.UUID:
    return uuid.UUID(int=number)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _like(row: Any, **values: Any) -> Any:
    """A new row with every column of ``row``, but ``values``."""
    columns = {attr.key: getattr(row, attr.key) for attr in inspect(type(row)).column_attrs}
    return type(row)(**{**columns, **values})


def _due_columns(made: Commitment, status: str, due: str | None) -> dict[str, Any]:
    """Where a case in ``status`` keeps the due day of its task, as a recorded one does: an
    overdue case in its supplement deadline (the state has no due day of its own), every
    other in ``current_due_on``."""
    if status != "overdue":
        return {"current_due_on": _day(due)}
    deadlines = {k: v for k, v in made.deadlines.items() if k != "supplement_due"}
    if due is not None:
        deadlines["supplement_due"] = {**made.deadlines["supplement_due"], "date": due}
    return {"current_due_on": None, "deadlines": deadlines}


async def _fill(client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession) -> None:
    """The rows above, made like one listing and one commitment made through the API,
    which themselves leave the queue."""
    listing = await session.get(Restriction, uuid.UUID((await collect(client, auth, ORG))["id"]))
    case = await commitment(client, auth, "tolerance")
    made = await session.get(Commitment, uuid.UUID(case["id"]))
    assert listing is not None and made is not None
    check = await session.get(CreditCheck, made.credit_check_id)
    assert check is not None
    listing.status, listing.current_due_on = "withdrawn", None
    made.status, made.current_due_on = "withdrawn", None
    for number, status, department, due in RESTRICTIONS:
        session.add(
            _like(
                listing,
                id=_id(number),
                status=status,
                collecting_department=department,
                current_due_on=_day(due),
            )
        )
    await session.flush()
    for number, listing_number, due, outcome in LIFTING_REQUESTS:
        session.add(
            LiftingRequest(
                id=_id(number),
                restriction_id=_id(listing_number),
                requested_on=date(2026, 9, 1),
                reason="已整改完毕",
                evidence_refs=[],
                requested_by="alice",
                decision_due=_day(due),
                outcome=outcome,
            )
        )
    for number, status, department, due in COMMITMENTS:
        check_id = uuid.uuid4()
        session.add(_like(check, id=check_id))
        await session.flush()
        session.add(
            _like(
                made,
                id=_id(number),
                credit_check_id=check_id,
                status=status,
                department=department,
                **_due_columns(made, status, due),
            )
        )
    for number, status, assigned, assisting, due in VERIFICATIONS:
        session.add(
            Verification(
                id=_id(number),
                commitment_id=made.id,
                method="onsite",
                assigned_department=assigned,
                assisting_department=assisting,
                status=status,
                due_on=_day(due),
                opened_at=datetime(2026, 9, 1, 2, 0, tzinfo=UTC),
                opened_by="alice",
            )
        )
    await session.commit()


async def _pages(
    client: httpx.AsyncClient, headers: dict[str, str], limit: int, **params: str
) -> list[tuple[str | None, str, int]]:
    """Every task, one page of ``limit`` after the other."""
    tasks: list[tuple[str | None, str, int]] = []
    cursor: str | None = None
    for _ in range(len(REGULATOR_TASKS + AGENCY_TASKS) + 1):
        query = {"limit": str(limit), **params, **({"cursor": cursor} if cursor else {})}
        page = await ok(await client.get("/api/v1/tasks", params=query, headers=headers), 200)
        assert len(page["items"]) <= limit
        tasks += [(t["due_on"], t["kind"], uuid.UUID(t["resource_id"]).int) for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return tasks
    raise AssertionError(f"still paging after {tasks}")


async def test_pages_of_every_size_give_the_queue_in_order(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    for limit in (1, 2, 3, 5, 7, 100):
        assert await _pages(client, auth("clerk"), limit) == AGENCY_TASKS, limit


async def test_verifications_are_listed_under_the_assigned_department(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    page = await ok(
        await client.get(
            "/api/v1/tasks",
            params={"kind": "carry_out_verification", "limit": "100"},
            headers=auth("clerk"),
        ),
        200,
    )
    assert [(uuid.UUID(t["resource_id"]).int, t["department"]) for t in page["items"]] == [
        (0x91, AGENCY),
        (0x98, REGULATOR),
        (0x92, AGENCY),
        (0x99, REGULATOR),
        (0x93, REGULATOR),
        (0x96, AGENCY),
        (0x97, AGENCY),
        (0x9A, REGULATOR),
    ]


async def test_one_kind_from_two_statuses_is_paged_in_order(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    expected = [t for t in AGENCY_TASKS if t[1] == "decide_commitment"]
    assert [t[2] for t in expected] == [0x71, 0x72, 0x75, 0x77, 0x73, 0x74, 0x76, 0x78]
    for limit in (1, 3):
        tasks = await _pages(client, auth("clerk"), limit, kind="decide_commitment")
        assert tasks == expected
    reminders = await _pages(client, auth("clerk"), 1, kind="send_reminder")
    assert [t[2] for t in reminders] == [0x51, 0x59, 0x53, 0x57, 0x52, 0x58]


async def test_due_before_leaves_out_tasks_without_a_due_day(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    for limit in (1, 4):
        tasks = await _pages(client, auth("clerk"), limit, due_before="2026-10-02")
        assert tasks == AGENCY_TASKS[:18]


async def test_auditors_page_through_every_department(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    for limit in (1, 4, 100):
        tasks = await _pages(client, auth("auditor", department=None), limit)
        assert tasks == REGULATOR_TASKS + AGENCY_TASKS, limit


async def test_overdue_tasks_are_counted_per_department(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _fill(client, auth, session)
    # Before Sep 30: the agency's 0x83, 0x87, 0x51, 0x59, 0x62 (Sep 28), 0x53 and 0x61
    # (Sep 29); the regulator's 0x56, 0x94, 0x14 and 0x43.
    counts = await TaskRepository(session).overdue_by_department(TODAY)
    assert counts == {AGENCY: 7, REGULATOR: 4}
