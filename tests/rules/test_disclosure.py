"""Which listing events leave the department (LZ §5(1)4 "对确定列为失信制约的主体信息…推送")."""

from __future__ import annotations

import pytest

from app.rules.disclosure import (
    DETERMINED_LISTING_STATES,
    LISTING_DISCLOSURE_CITATION,
    Audience,
    listing_event_audience,
)
from app.rules.lifecycles import TABLES, Event, Machine, RestrictionState

E = Event
RS = RestrictionState
IN = Audience.INTERNAL
OUT = Audience.EXTERNAL

# (source, event, target, audience with nothing disclosed before), stated by hand.
STEPS = [
    # collection, proposal, verification, notice, objection, review: the department's own
    (RS.COLLECTED, "collect", RS.COLLECTED, IN),
    (RS.PROPOSED, "propose", RS.PROPOSED, IN),
    (RS.PROPOSED, E.TAKE_UP, RS.COLLECTED, IN),
    (RS.PROPOSED, E.DISMISS, RS.WITHDRAWN, IN),
    (RS.COLLECTED, E.VERIFY, RS.VERIFIED, IN),
    (RS.VERIFIED, E.ISSUE_NOTICE, RS.NOTIFIED, IN),
    (RS.NOTIFIED, E.RECORD_RECEIPT, RS.NOTIFIED, IN),
    (RS.NOTIFIED, E.OBJECT, RS.UNDER_REVIEW, IN),
    (RS.UNDER_REVIEW, E.REVIEW_OVERTURNED, RS.WITHDRAWN, IN),
    # withdrawn before confirmation: nothing ever left, the withdrawal does not either
    (RS.NOTIFIED, E.CORRECT_REMOVE, RS.WITHDRAWN, IN),
    (RS.VERIFIED, E.DISCOVER_ERROR, RS.VERIFIED, IN),
    (RS.UNDER_REVIEW, E.CORRECT_FIX, RS.UNDER_REVIEW, IN),
    (RS.NOTIFIED, "deadline_recomputed", RS.NOTIFIED, IN),
    # confirmation (确定列为失信制约) and everything after it
    (RS.NOTIFIED, E.OBJECTION_WINDOW_LAPSED, RS.CONFIRMED, OUT),
    (RS.UNDER_REVIEW, E.REVIEW_UPHELD, RS.CONFIRMED, OUT),
    (RS.CONFIRMED, E.OBJECTION_WINDOW_REOPENED, RS.NOTIFIED, OUT),
    (RS.CONFIRMED, E.PUBLISH, RS.EFFECTIVE, OUT),
    (RS.CONFIRMED, E.CORRECT_REMOVE, RS.WITHDRAWN, OUT),
    (RS.EFFECTIVE, E.RECORD_RECTIFICATION, RS.EFFECTIVE, OUT),
    (RS.EFFECTIVE, E.REPAIR, RS.REPAIRED, OUT),
    (RS.EFFECTIVE, E.REQUEST_LIFTING, RS.EFFECTIVE, OUT),
    (RS.EFFECTIVE, E.LIFT, RS.LIFTED, OUT),
    (RS.EFFECTIVE, E.CORRECT_FIX, RS.EFFECTIVE, OUT),
    (RS.EFFECTIVE, E.CORRECT_REMOVE, RS.WITHDRAWN, OUT),
    (RS.EFFECTIVE, "deadline_recomputed", RS.EFFECTIVE, OUT),
]


@pytest.mark.parametrize(("source", "event", "target", "audience"), STEPS)
def test_a_listing_leaves_the_department_from_its_confirmation(
    source: RestrictionState, event: str, target: RestrictionState, audience: Audience
) -> None:
    assert listing_event_audience(source, target, disclosed=False) is audience


@pytest.mark.parametrize(("source", "event", "target", "audience"), STEPS)
def test_once_a_listing_left_every_later_event_follows(
    source: RestrictionState, event: str, target: RestrictionState, audience: Audience
) -> None:
    # e.g. a window reopened after the confirmation was delivered, then the objection
    # overturned: the receivers that were told "confirmed" learn of the withdrawal.
    assert listing_event_audience(source, target, disclosed=True) is OUT


def test_every_row_of_the_table_has_an_audience_by_its_states() -> None:
    """A row before confirmation is internal, a row from or into a determined state
    external: new rows need no change to the rule."""
    for row in TABLES[Machine.RESTRICTION]:
        touches = {row.source, row.target} & DETERMINED_LISTING_STATES
        expected = OUT if touches else IN
        assert listing_event_audience(row.source, row.target, disclosed=False) is expected


def test_the_rule_is_cited() -> None:
    assert LISTING_DISCLOSURE_CITATION.label == "LZ §5(1)4"
    assert "对确定列为失信制约的主体信息" in LISTING_DISCLOSURE_CITATION.text_zh
    assert "推送" in LISTING_DISCLOSURE_CITATION.text_zh
    assert {RS.CONFIRMED, RS.EFFECTIVE, RS.REPAIRED, RS.LIFTED} == DETERMINED_LISTING_STATES
