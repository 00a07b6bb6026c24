"""FastAPI dependency for the external joint punishment client."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.joint_punishment.adapter import JointPunishmentClient


async def get_joint_punishment_client(request: Request) -> JointPunishmentClient | None:
    """The application's client, or None when no external service is configured (async:
    called in the event loop, not on a worker thread)."""
    client: JointPunishmentClient | None = getattr(
        request.app.state, "joint_punishment_client", None
    )
    return client


JointPunishmentClientDep = Annotated[
    JointPunishmentClient | None, Depends(get_joint_punishment_client)
]
