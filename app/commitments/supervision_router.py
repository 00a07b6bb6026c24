"""The agency's order on the regulator's finding (责令限期整改, DZ art. 12, 13 ¶2)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from app.commitments import verifications
from app.commitments.router import _DATED, STEP_RESPONSES, IfMatch, _context
from app.commitments.schemas import CommitmentRead
from app.commitments.supervision_schemas import RectificationOrderCreate
from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/commitments", tags=["commitments"], route_class=KeepingRoute)


@router.post(
    "/{commitment_id}/rectification-order",
    response_model=CommitmentRead,
    summary="Order rectification on the regulator's finding (责令限期整改, DZ art. 13 ¶2)",
    description="行业主管部门反馈不符合承诺后，政务服务实施机关责令申请人限期整改 (DZ art. 13 "
    "¶2): the task `order_rectification` is due within the profile's `rectification_order` "
    "(德州: 3 working days of the feedback). The case becomes `rectification_ordered`, its "
    "period counted from the order's service (`rectification_service`: in person that day; "
    "by post or electronically the day of receipt, recorded at `…/order-receipt`), then "
    "`…/rectification` or `…/revocation` follow as after a failed verification. A case "
    "fulfilled on its decision (免于核查) is reopened. Without a nonconforming feedback "
    "awaiting its order: 409 `no_nonconforming_supervision_feedback`; not before the "
    "feedback's day." + _DATED,
    responses=STEP_RESPONSES,
)
async def order_rectification(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: RectificationOrderCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await verifications.order_rectification(session, ctx, commitment_id, body, if_match)
