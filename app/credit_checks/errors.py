"""Problems of the credit check (信用核验)."""

from __future__ import annotations

from app.core.errors import Conflict


class CreditCheckNotPerformed(Conflict):
    """A check that could not be completed backs no commitment: run it again."""

    code = "credit_check_not_performed"
