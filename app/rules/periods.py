"""期间计算: deadlines in working days, calendar days and months.

Day semantics (the same everywhere in the service):

- The start day is not counted (民法典 art. 201). "Within N units of day D" ends at
  the end of :attr:`Deadline.date`; an act on that day is in time, on the next day late.
- Working days (工作日) skip weekends and statutory holidays and count make-up working
  days (行政许可法 art. 82: licensing periods are working days).
- Months (民法典 art. 202): the same day N months later, or that month's last day when
  it has no such day. Never rolled forward: a management period must not grow because
  its last day is a holiday.
- Calendar days with ``roll_forward=True`` (民法典 art. 203): when the last day is not a
  working day it moves to the next working day. "法定休假日" is read as every rest day,
  the weekly rest days (公休日, Saturday and Sunday) included, as Chinese courts apply
  art. 203; a make-up working day (调休上班日) is a working day and does not move. This is
  for deadlines for an act (object, supplement, decide, verify), never for the end of a
  restriction.
- A deadline whose result depends on a year without calendar data is ``provisional``.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from enum import StrEnum

from app.rules.calendar import WorkingCalendar
from app.rules.citations import (
    CIVIL_CODE_201,
    CIVIL_CODE_202,
    CIVIL_CODE_203,
    LICENSING_LAW_82,
    Citation,
    join_labels,
)

_ONE_DAY = dt.timedelta(days=1)
_MONTHS_PER_YEAR = 12


class Unit(StrEnum):
    """Unit of a period: 工作日 / 日 / 月."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a period, with how it was computed and why.

    ``date`` is the last day (inclusive). ``rolled_from`` is the unrolled last day when
    民法典 art. 203 moved it.
    """

    date: dt.date
    provisional: bool
    unit: Unit
    amount: int
    start: dt.date
    citation: tuple[Citation, ...]
    rolled_from: dt.date | None = None

    @property
    def citation_label(self) -> str:
        return join_labels(self.citation)

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "provisional": self.provisional,
            "unit": self.unit.value,
            "amount": self.amount,
            "start": self.start.isoformat(),
            "rolled_from": self.rolled_from.isoformat() if self.rolled_from else None,
            "citation": self.citation_label,
        }


def _require_not_negative(n: int) -> None:
    if n < 0:
        raise ValueError(f"period length must not be negative: {n}")


def add_working_days(cal: WorkingCalendar, start: dt.date, n: int) -> Deadline:
    """N working days after ``start`` (民法典 art. 201, 行政许可法 art. 82)."""
    _require_not_negative(n)
    end = cal.add_working_days(start, n)
    provisional = n > 0 and cal.is_provisional(start + _ONE_DAY, end)
    return Deadline(
        date=end,
        provisional=provisional,
        unit=Unit.WORKING_DAYS,
        amount=n,
        start=start,
        citation=(CIVIL_CODE_201, LICENSING_LAW_82),
    )


def add_days(cal: WorkingCalendar, start: dt.date, n: int, *, roll_forward: bool) -> Deadline:
    """N calendar days after ``start`` (民法典 art. 201).

    With ``roll_forward`` a last day that is a rest day (weekend or statutory holiday)
    moves to the next working day (民法典 art. 203). The result is provisional when the
    unrolled last day or the roll touched a year without calendar data.
    """
    _require_not_negative(n)
    raw = start + dt.timedelta(days=n)
    if not roll_forward:
        return Deadline(raw, False, Unit.DAYS, n, start, (CIVIL_CODE_201,))
    end = cal.next_working_day_on_or_after(raw)
    return Deadline(
        date=end,
        provisional=cal.is_provisional(raw, end),
        unit=Unit.DAYS,
        amount=n,
        start=start,
        citation=(CIVIL_CODE_201, CIVIL_CODE_203),
        rolled_from=raw if end != raw else None,
    )


def shift_months(start: dt.date, n: int) -> dt.date:
    """The corresponding day ``n`` months later, or the month's last day (民法典 art. 202)."""
    _require_not_negative(n)
    month_index = start.month - 1 + n
    year = start.year + month_index // _MONTHS_PER_YEAR
    month = month_index % _MONTHS_PER_YEAR + 1
    day = min(start.day, monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_months(start: dt.date, n: int) -> Deadline:
    """N months after ``start`` (民法典 arts. 201, 202); never rolled forward."""
    return Deadline(
        date=shift_months(start, n),
        provisional=False,
        unit=Unit.MONTHS,
        amount=n,
        start=start,
        citation=(CIVIL_CODE_201, CIVIL_CODE_202),
    )


def compute_deadline(
    cal: WorkingCalendar,
    start: dt.date,
    amount: int,
    unit: Unit,
    *,
    roll_forward: bool = True,
) -> Deadline:
    """Dispatch on ``unit``; ``roll_forward`` only matters for calendar days."""
    match unit:
        case Unit.WORKING_DAYS:
            return add_working_days(cal, start, amount)
        case Unit.DAYS:
            return add_days(cal, start, amount, roll_forward=roll_forward)
        case Unit.MONTHS:
            return add_months(start, amount)
