"""Optimistic concurrency: updates carry ``If-Match`` with the resource's ``version``."""

from __future__ import annotations

from app.core.errors import PreconditionFailed


def check_version(current: int | None, if_match: str | None, what: str) -> None:
    """A stale ``If-Match`` is answered 412 ``version_mismatch``; no header, no check."""
    if if_match is not None and if_match.strip().strip('"') != str(current):
        raise PreconditionFailed(
            f"{what} is at version {current}, not {if_match}.", code="version_mismatch"
        )
