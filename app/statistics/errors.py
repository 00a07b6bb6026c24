"""The statistics' own refusals of a request (422), each with its machine code."""

from __future__ import annotations

from app.core.errors import FieldError, NotFound, UnprocessableEntity


class StatisticsPeriodInvalid(UnprocessableEntity):
    """A period runs forward and lasts at most a year (366 days)."""

    code = "statistics_period_invalid"

    def __init__(self, detail: str, field: str, message: str) -> None:
        super().__init__(detail, errors=[FieldError(field=field, code=self.code, message=message)])


class StatisticsDepartmentUnknown(NotFound):
    """The report is of one department the service knows."""

    code = "statistics_department_unknown"
