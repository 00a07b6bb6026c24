"""认定日期 (LZ §5(1)3): the day a listing is determined, a field of its own, over HTTP and
through the migration that fills it from the history.

The determination is the confirmation (LZ §5(1)4 "对确定列为失信制约的主体信息…推送"): the
notice announces an intended listing (附件 "拟将…列入"), the review or the lapsed window
determines it, publication follows. A Dezhou restriction is determined on its day
(tests/restrictions/test_early_lifting_scope.py).

Dates (tests/restrictions/conftest.py: notice received Wed 2026-03-04, window Thu 5 (1), Fri
6 (2), Mon 9 (3) -> 03-09):
- no objection: determined the day after the window, Tue 03-10; published Thu 03-12;
- objection Thu 03-05, upheld on review Thu 03-12: determined 03-12; published Fri 03-13.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import httpx
import sqlalchemy as sa
from pypdf import PdfReader

from app.core.clock import FixedClock
from app.ops.migrate import downgrade, upgrade
from tests.conftest import TokenFactory
from tests.consents.test_migration import SUBJECTS, _run
from tests.factories import ORG, ok
from tests.restrictions.conftest import at, notified, step
from tests.restrictions.test_migration import DEPARTMENTS, RESTRICTIONS, _department, _listing

URL = "/api/v1/restrictions"


async def _read(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200
    )
    return result


def _pdf_text(content: bytes) -> str:
    pages = PdfReader(BytesIO(content)).pages
    return "".join(p.extract_text() for p in pages).replace("\n", "")


async def test_a_lapsed_window_determines_the_listing_the_day_after(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-09")  # the window's last day: intended, not determined
    assert (await _read(client, auth, listing_id))["dates"]["determined_on"] is None
    notice = await client.get(f"{URL}/{listing_id}/notice.pdf", headers=auth("clerk"))
    assert "认定日期" not in _pdf_text(notice.content)
    at(clock, "2026-03-10")  # derived before anybody records the lapse
    assert (await _read(client, auth, listing_id))["dates"]["determined_on"] == "2026-03-10"
    at(clock, "2026-03-12")
    published = await step(client, auth, f"{URL}/{listing_id}/publication")
    dates = published["dates"]
    assert (dates["determined_on"], dates["published_on"]) == ("2026-03-10", "2026-03-12")
    notice = await client.get(f"{URL}/{listing_id}/notice.pdf", headers=auth("clerk"))
    assert "认定日期2026年3月10日" in _pdf_text(notice.content)


async def test_a_review_that_upholds_determines_on_its_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-05")
    objected = await step(
        client, auth, f"{URL}/{listing_id}/objections", {"statement": "不知情"}, status=201
    )
    objection_id = objected["objections"][0]["id"]
    at(clock, "2026-03-10")  # under review: not determined by the window
    assert (await _read(client, auth, listing_id))["dates"]["determined_on"] is None
    at(clock, "2026-03-12")
    upheld = await step(
        client,
        auth,
        f"{URL}/{listing_id}/objections/{objection_id}/review",
        {"outcome": "upheld", "reasons": "申辩理由不成立"},
    )
    assert upheld["dates"]["determined_on"] == "2026-03-12"
    at(clock, "2026-03-13")
    published = await step(client, auth, f"{URL}/{listing_id}/publication")
    assert (published["dates"]["determined_on"], published["dates"]["published_on"]) == (
        "2026-03-12",
        "2026-03-13",
    )


NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
LISTINGS = sa.table(
    "restrictions",
    *(sa.column(c.name, c.type) for c in RESTRICTIONS.columns),
    sa.column("profile", sa.String()),
    sa.column("confirmed_on", sa.Date()),
)
EVENTS = sa.table(
    "restriction_events",
    sa.column("restriction_id", sa.Uuid()),
    *(sa.column(c) for c in ("event", "from_status", "to_status", "actor")),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("details", sa.JSON()),
)


def _event(
    listing: dict[str, Any], event: str, to: str, at: datetime, **details: str
) -> dict[str, Any]:
    return {
        "restriction_id": listing["id"],
        "event": event,
        "from_status": "notified",
        "to_status": to,
        "actor": "alice",
        "occurred_at": at,
        "details": details,
    }


def test_stored_listings_take_their_determination_from_the_history(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0020")
    subject_id = uuid.uuid4()
    lapsed, reopened, reviewed, restricted, collected = (
        {**_listing(subject_id, "371400-SPJ"), "profile": "shandong-combined", "confirmed_on": None}
        for _ in range(5)
    )
    restricted["confirmed_on"] = date(2026, 10, 27)
    # 2026-03-11 23:30 in UTC is 07:30 on Thu 03-12 in Shanghai.
    late_evening = datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    asyncio.run(
        _run(
            empty_database,
            SUBJECTS.insert().values(
                {
                    "id": subject_id,
                    "subject_type": "organization",
                    "id_number_index": "i" * 64,
                    "name_index": "n" * 64,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ),
            DEPARTMENTS.insert().values(_department("371400-SPJ", "shandong-combined")),
            LISTINGS.insert().values([lapsed, reopened, reviewed, restricted, collected]),
            EVENTS.insert().values(
                [
                    # recorded by the worker days later: the day after the window's last
                    _event(
                        lapsed,
                        "objection_window_lapsed",
                        "confirmed",
                        NOW,
                        objection_due="2026-03-09",
                    ),
                    _event(
                        reopened,
                        "objection_window_lapsed",
                        "confirmed",
                        NOW,
                        objection_due="2026-03-09",
                    ),
                    _event(reopened, "objection_window_reopened", "notified", NOW),
                    _event(reviewed, "review_upheld", "confirmed", late_evening),
                    # a restriction dated by its `on`: the history wins over confirmed_on
                    _event(restricted, "restrict", "effective", NOW, on="2026-10-26"),
                ]
            ),
        )
    )

    upgrade(empty_database)
    rows = asyncio.run(_run(empty_database, sa.text("SELECT id, determined_on FROM restrictions")))
    found = {uuid.UUID(str(i)): d for i, d in rows}
    as_dates = {k: date.fromisoformat(str(v)) if v else None for k, v in found.items()}
    assert as_dates == {
        lapsed["id"]: date(2026, 3, 10),
        reopened["id"]: None,
        reviewed["id"]: date(2026, 3, 12),
        restricted["id"]: date(2026, 10, 26),
        collected["id"]: None,
    }

    downgrade(empty_database, "0020")
    columns = asyncio.run(_run(empty_database, sa.text("SELECT * FROM restrictions WHERE 1 = 0")))
    assert columns == []
