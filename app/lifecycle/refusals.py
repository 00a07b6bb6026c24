"""How a refused life-cycle step is answered: 409 with the rule's code and citation."""

from __future__ import annotations

from collections.abc import Collection

from app.core.errors import AppError, Conflict
from app.rules.lifecycles import GuardFailed, TransitionNotAllowed


def refusal(
    exc: GuardFailed | TransitionNotAllowed, closed_step_codes: Collection[str] = ()
) -> AppError:
    """``transition_not_allowed`` for a step the state has no row for (and for guard
    codes that mean the step is over); otherwise the guard's own code."""
    if isinstance(exc, TransitionNotAllowed):
        return Conflict(
            f"Event {exc.event!r} is not allowed in status {exc.state!r}.",
            code="transition_not_allowed",
            extra={"state": exc.state, "event": exc.event},
        )
    code = "transition_not_allowed" if exc.code in closed_step_codes else exc.code
    return Conflict(
        f"{exc.message} ({exc.citation.label})",
        code=code,
        extra={"reason": exc.code, "citation": exc.citation.label},
    )
