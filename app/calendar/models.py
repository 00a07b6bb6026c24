from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class CalendarYear(Base):
    """工作日历: one year's statutory holidays and make-up working days (调休).

    Dates are stored as ISO strings in JSON lists; the rule module turns them into a
    WorkingCalendar.
    """

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[str]] = mapped_column(JSON)
    makeup_workdays: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
