"""The regulator's queue's own refusals, each with its machine code."""

from __future__ import annotations

from app.core.errors import UnprocessableEntity


class DecidedRangeInvalid(UnprocessableEntity):
    """``decided_from`` lies after ``decided_to``: the range holds no day."""

    code = "decided_range_invalid"
