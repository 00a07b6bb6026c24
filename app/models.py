"""Every table of the application, imported so Alembic sees one complete metadata."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.calendar.models import CalendarYear
from app.db import Base

metadata = Base.metadata

__all__ = ["AuditEntry", "CalendarYear", "metadata"]
