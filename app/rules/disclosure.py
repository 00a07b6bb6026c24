"""推送: which events leave the department that owns the case (LZ §5(1)4).

LZ §5(1)4 pushes to the platform only "对确定列为失信制约的主体信息": a listing leaves the
department once it is determined — confirmed (no objection in the window, or the review
upheld it) and then published — never while it is still collected, verified, notified or
under review. Every step still writes its event (history, audit and event together); an
event's :class:`Audience` says who may receive it:

- ``external``: the event feed of every reader, webhook subscriptions and the credit
  platform;
- ``internal``: the owning department only (its reads of the feed), never delivered.

A listing's event is external when the listing leaves or has been in a determined state
by it (:data:`DETERMINED_LISTING_STATES`), or when an earlier event of the same listing
already left: what a receiver was told is followed to its end (a repair, a lifting, a
correction, a withdrawal, a reopened objection window). A listing withdrawn, dismissed or
overturned before it was ever confirmed told nobody anything: its withdrawal stays
internal too. The rule names states, not events, so a new step before confirmation stays
internal and a new step after it is delivered, with no change here; a new state before
confirmation stays internal until it is added to the determined states.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from app.rules.citations import LZ_5_1_4_PUSH, Citation
from app.rules.lifecycles.states import RestrictionState


class Audience(StrEnum):
    """Who receives an event."""

    EXTERNAL = "external"  # every reader of the feed, subscriptions, the credit platform
    INTERNAL = "internal"  # the owning department only; never delivered


# 确定列为失信制约: confirmed, and the states only a confirmed listing reaches.
DETERMINED_LISTING_STATES: Final = frozenset(
    {
        RestrictionState.CONFIRMED,
        RestrictionState.EFFECTIVE,
        RestrictionState.REPAIRED,
        RestrictionState.LIFTED,
    }
)
LISTING_DISCLOSURE_CITATION: Final[Citation] = LZ_5_1_4_PUSH
_DESCRIPTION_ZH: Final = (
    "只有确定列为失信制约的名单信息离开采集部门：确定（异议期满或复核维持）之前的各步骤事件"
    "只供采集部门查阅，不推送订阅方和信用信息平台；确定之后（含其后的修复、取消、更正、移除）"
    "的事件均推送。确定前移除的，移除事件同样不推送。"
)
_DESCRIPTION_EN: Final = (
    "Only a determined listing leaves the collecting department: its events before the "
    "confirmation (objection window lapsed, or review upheld) are read by that department "
    "alone and delivered to no subscriber and not to the credit platform; from the "
    "confirmation on (its later repair, lifting, correction or withdrawal included) they "
    "are delivered. A listing withdrawn before its confirmation is not reported at all."
)


def listing_disclosure() -> dict[str, object]:
    """The rule as ``GET /api/v1/profiles`` shows it beside a profile's listing procedure."""
    return {
        "determined_states": sorted(state.value for state in DETERMINED_LISTING_STATES),
        "citation": LISTING_DISCLOSURE_CITATION.to_dict(),
        "description_zh": _DESCRIPTION_ZH,
        "description_en": _DESCRIPTION_EN,
    }


def listing_event_audience(source: str, target: str, *, disclosed: bool) -> Audience:
    """The audience of a listing's step from ``source`` to ``target``; ``disclosed``:
    an earlier event of the listing left the department."""
    if disclosed or source in DETERMINED_LISTING_STATES or target in DETERMINED_LISTING_STATES:
        return Audience.EXTERNAL
    return Audience.INTERNAL
