"""The one step-date rule: a step is dated neither after today nor before the step it
follows in the same case; the same day is in order. Dates by hand."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.step_dates import StepDateRefusal, check_step_date

TODAY = date(2026, 10, 15)


@pytest.mark.parametrize(
    ("on", "previous", "expected"),
    [
        # In order: between the previous step and today, either end included.
        (date(2026, 10, 15), {"credit_check": date(2026, 9, 30)}, None),
        (date(2026, 9, 30), {"credit_check": date(2026, 9, 30)}, None),
        (date(2026, 10, 1), {}, None),
        (date(2026, 10, 1), {"notice": None}, None),  # not recorded: it bounds nothing
        # A day after today.
        (
            date(2026, 10, 16),
            {"credit_check": date(2026, 9, 30)},
            StepDateRefusal("step_date_in_future", date(2026, 10, 16), "today", TODAY),
        ),
        # A signature three months before its credit check.
        (
            date(2026, 6, 30),
            {"credit_check": date(2026, 9, 30)},
            StepDateRefusal(
                "step_date_before_previous_step",
                date(2026, 6, 30),
                "credit_check",
                date(2026, 9, 30),
            ),
        ),
        # One day before the second of two previous steps.
        (
            date(2026, 10, 5),
            {"notice": date(2026, 10, 1), "receipt": date(2026, 10, 6)},
            StepDateRefusal(
                "step_date_before_previous_step", date(2026, 10, 5), "receipt", date(2026, 10, 6)
            ),
        ),
    ],
)
def test_check_step_date(
    on: date, previous: dict[str, date | None], expected: StepDateRefusal | None
) -> None:
    assert check_step_date(on, TODAY, previous) == expected
