from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.clock import ClockDep
from app.core.db import MAX_BIGINT, SessionDep
from app.core.errors import problem_responses
from app.events import service
from app.events.schemas import EventPage
from app.web.ownership import ListScope
from app.webhooks.service import fan_out

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get(
    "",
    response_model=EventPage,
    summary="The event feed, in commit order (事件流)",
    description=(
        "Every state change: `commitment.*`, `verification.*`, `restriction.*`, "
        "`credit_record.appended`. Page with `after` = the last `position` seen; positions "
        "are given in the order events commit, so a reader never misses one or sees one "
        "twice. The same events are pushed to webhook subscriptions. The subject of an "
        "event is masked here for every role (个人信息去标识化).\n\n"
        "A listing leaves its department only once determined (对确定列为失信制约的主体信息…"
        "推送, LZ §5(1)4): its steps before the confirmation are `internal`, shown only to "
        "the department that collected it (and to auditors) and never delivered; from the "
        "confirmation on, its events are `external`. A reader's positions therefore skip "
        "other departments' internal events."
    ),
    responses=problem_responses(401, 403, 422),
)
async def read_events(
    session: SessionDep,
    scope: ListScope,
    clock: ClockDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_BIGINT, description="Last position seen; 0 from the start.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventPage:
    # Sequence what has committed, so the feed never waits for the worker.
    events = await service.sequence(session)
    await fan_out(session, events, clock.now())
    return await service.feed(
        session, after, limit, every=scope.department is None, department=scope.department
    )
