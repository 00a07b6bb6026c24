"""The commitment register's rules, by hand: the number, the default disclosure class and
the fulfilment each state of a case means."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.commitment_register import (
    CaseFacts,
    Disclosure,
    Fulfilment,
    case_fulfilment,
    commitment_number,
    default_disclosure,
    region_of,
)

MATERIALS = ("食品安全管理制度文本",)


def test_the_number_reads_region_day_and_serial() -> None:
    assert commitment_number("371400", date(2026, 12, 1), 123) == "371400-20261201-000123"
    assert region_of("371400-SPJ") == "371400"
    with pytest.raises(ValueError):
        commitment_number("371400", date(2026, 12, 1), 0)
    with pytest.raises(ValueError):
        commitment_number("371400", date(2026, 12, 1), 1_000_000)
    with pytest.raises(ValueError):
        region_of("SPJ")


def test_the_default_class_publishes_organisations_only() -> None:
    assert default_disclosure("organization") is Disclosure.PUBLIC
    assert default_disclosure("person") is Disclosure.RESTRICTED
    assert Disclosure.UNDISCLOSED.label_zh == "不公开"


def _facts(mode: str, status: str, **overrides: object) -> CaseFacts:
    values: dict[str, object] = {
        "mode": mode,
        "status": status,
        "termination_ground": None,
        "missing_materials": MATERIALS if mode == "tolerance" else (),
        "conditions_to_meet": (),
        "failed_findings": (),
        "revocation_reason": None,
        **overrides,
    }
    return CaseFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "status", "unfulfilled"),
    [
        (_facts("tolerance", "accepted"), Fulfilment.IN_PROGRESS, ()),
        (_facts("tolerance", "overdue"), Fulfilment.IN_PROGRESS, ()),
        (_facts("tolerance", "supplemented"), Fulfilment.IN_PROGRESS, ()),
        (_facts("tolerance", "completed"), Fulfilment.FULFILLED, ()),
        (
            _facts("tolerance", "terminated", termination_ground="non_submission"),
            Fulfilment.UNFULFILLED,
            MATERIALS,
        ),
        (
            _facts("tolerance", "terminated", termination_ground="deficient_submission"),
            Fulfilment.PARTIALLY_FULFILLED,
            MATERIALS,
        ),
        (_facts("tolerance", "withdrawn"), Fulfilment.WITHDRAWN, ()),
        (_facts("notify_commit", "verifying"), Fulfilment.IN_PROGRESS, ()),
        (_facts("notify_commit", "fulfilled"), Fulfilment.FULFILLED, ()),
        (
            _facts("notify_commit", "revoked", failed_findings=("经营场所面积与承诺不符",)),
            Fulfilment.UNFULFILLED,
            ("经营场所面积与承诺不符",),
        ),
        (
            _facts(
                "notify_commit",
                "revoked",
                conditions_to_meet=("具有相适应的经营场所",),
                failed_findings=("未达到",),
            ),
            Fulfilment.UNFULFILLED,
            ("具有相适应的经营场所",),
        ),
        (
            _facts("notify_commit", "revoked", revocation_reason="逾期未整改"),
            Fulfilment.UNFULFILLED,
            ("逾期未整改",),
        ),
    ],
)
def test_the_fulfilment_each_state_means(
    facts: CaseFacts, status: Fulfilment, unfulfilled: tuple[str, ...]
) -> None:
    view = case_fulfilment(facts)
    assert (view.status, view.unfulfilled) == (status, unfulfilled)
