"""The statistics' arithmetic, computed by hand on a calendar written out here: 2026 with
Qingming (Sat Apr 4 - Mon Apr 6) off and no make-up working day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.documents.fonts import DocumentFontMissing, document_font
from app.main import create_app
from app.rules.calendar import WorkingCalendar, YearCalendar
from app.statistics.arithmetic import (
    handling_days,
    is_late,
    local_day,
    median,
    share,
    step_day,
    tally,
)
from app.statistics.schemas import StatisticsRead
from app.statistics.service import withdrawal_category
from tests.conftest import make_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (0, 3, 0.0), (1, 3, 0.3333), (2, 3, 0.6667), (1, 8, 0.125), (3, 3, 1.0)],
)
def test_share_rounds_half_up_to_four_places(part: int, whole: int, expected: float | None) -> None:
    assert share(part, whole) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([4], 4.0), ([3, 1], 2.0), ([5, 1, 3], 3.0), ([1, 2, 4, 10], 3.0), ([1, 2], 1.5)],
)
def test_median(values: list[int], expected: float | None) -> None:
    assert median(values) == expected


def test_late_is_after_the_due_day() -> None:
    assert not is_late(date(2026, 3, 5), date(2026, 3, 5))
    assert is_late(date(2026, 3, 6), date(2026, 3, 5))


def test_the_legal_day_of_an_instant() -> None:
    # 16:30 UTC on Mar 1 is 00:30 on Mar 2 in Shanghai.
    assert local_day(datetime(2026, 3, 1, 16, 30, tzinfo=UTC), SHANGHAI) == date(2026, 3, 2)
    assert local_day(datetime(2026, 3, 1, 15, 59, tzinfo=UTC), SHANGHAI) == date(2026, 3, 1)


def test_handling_days_count_working_days() -> None:
    qingming = frozenset({date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)})
    calendar = WorkingCalendar([YearCalendar(2026, qingming, frozenset())])
    # Mon Mar 2 -> Thu Mar 5: Tue, Wed, Thu.
    assert handling_days(calendar, date(2026, 3, 2), date(2026, 3, 5)) == 3
    # Fri Mar 6 -> Mon Mar 9: the weekend is not counted.
    assert handling_days(calendar, date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert handling_days(calendar, date(2026, 3, 6), date(2026, 3, 6)) == 0
    # Fri Apr 3 -> Wed Apr 8: the weekend and Mon Apr 6 are off; Tue, Wed count.
    assert handling_days(calendar, date(2026, 4, 3), date(2026, 4, 8)) == 2


def test_tally_sorts_keys() -> None:
    assert tally(["b", "a", "b"]) == {"a": 1, "b": 2}


def test_a_steps_day_is_the_day_entered_with_it_else_its_legal_day() -> None:
    recorded = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # Mar 2, 00:30 in Shanghai
    assert step_day({}, recorded, SHANGHAI) == date(2026, 3, 2)
    assert step_day({"on": "2026-02-27"}, recorded, SHANGHAI) == date(2026, 2, 27)
    assert step_day({"on": "not a day"}, recorded, SHANGHAI) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({}, "unspecified"),
        ({"reason_category": ""}, "unspecified"),
        ({"reason_category": "business_change"}, "business_change"),
        ({"reason_category": 3}, "unspecified"),
    ],
)
def test_the_withdrawal_category_seam(details: dict[str, object], expected: str) -> None:
    assert withdrawal_category(details) == expected


def test_the_documented_examples_validate() -> None:
    extra: Any = StatisticsRead.model_config["json_schema_extra"]
    (example,) = extra["examples"]
    assert StatisticsRead.model_validate(example).departments[0].department == "371400-SPJ"
    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    csv_example = spec["paths"]["/api/v1/statistics"]["get"]["responses"]["200"]["content"][
        "text/csv"
    ]["example"]
    assert csv_example.startswith("\ufeff部门代码,部门名称,起始日期,截止日期,类别,项目,数值")


def test_a_configured_font_file_that_is_missing_is_an_error_not_a_fallback() -> None:
    with pytest.raises(DocumentFontMissing, match=r"ZWFW_REPORT_FONT='/nonexistent/font\.ttf'"):
        document_font("/nonexistent/font.ttf")
    assert DocumentFontMissing.status == 503
