"""webhook subscriptions granted personal data

Subscriptions gain ``personal_data``: the credit platform's (``system``) is granted when its
URL is https, every other one is not (an admin grants it, audited). Events about a subject
now store it masked beside ``subject_id``: events written before 0009 still held the
subject's ID number and name in clear, which are masked here (their ``subject_id`` found
through the blind index); events since hold only ``subject_id`` and gain the masked
subject. Unmasking needs no key, but reading a subject does: set ZWFW_DATA_KEY and
ZWFW_BLIND_INDEX_KEY when such events exist.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 03:00:00
"""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.privacy import crypto

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000
_MASK = "*"


def _keyring() -> crypto.Keyring:
    try:
        return crypto.keyring()
    except RuntimeError:
        raise RuntimeError(
            "this migration masks the subject of existing events: set ZWFW_DATA_KEY and "
            "ZWFW_BLIND_INDEX_KEY"
        ) from None


# The masking of app.privacy.masking as of this revision (a migration does not follow later
# changes).
def _mask_name(name: str) -> str:
    if len(name) <= 1:
        return _MASK
    if len(name) == 2:
        return name[0] + _MASK
    return name[0] + _MASK * (len(name) - 2) + name[-1]


def _mask_resident_id(number: str) -> str:
    if len(number) <= 8:
        return _MASK * len(number)
    return number[:4] + _MASK * (len(number) - 8) + number[-4:]


def _masked(subject_type: str, id_number: str, name: str) -> dict[str, str]:
    if subject_type == "person":
        id_number, name = _mask_resident_id(id_number), _mask_name(name)
    return {"subject_type": subject_type, "id_number": id_number, "name": name}


def _events() -> sa.TableClause:
    return sa.table("events", sa.column("id", sa.BigInteger()), sa.column("payload", sa.JSON()))


def _subjects() -> sa.TableClause:
    return sa.table(
        "subjects",
        sa.column("id", sa.Uuid()),
        sa.column("subject_type", sa.String()),
        sa.column("id_number", sa.String()),
        sa.column("id_number_secret", sa.Text()),
        sa.column("id_number_index", sa.String()),
        sa.column("name", sa.String()),
        sa.column("name_secret", sa.Text()),
    )


def _subscriptions() -> sa.TableClause:
    return sa.table(
        "webhook_subscriptions",
        sa.column("system", sa.Boolean()),
        sa.column("url", sa.String()),
        sa.column("personal_data", sa.Boolean()),
    )


def _rewrite_payloads(change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> None:
    """Apply ``change`` to every event payload, in id order and batches."""
    events = _events()
    connection = op.get_bind()
    last: int | None = None
    while True:
        query = sa.select(events).order_by(events.c.id).limit(_BATCH)
        if last is not None:
            query = query.where(events.c.id > last)
        rows = connection.execute(query).all()
        if not rows:
            return
        for row in rows:
            payload = row.payload
            if isinstance(payload, dict):
                changed = change(dict(payload))
                if changed is not None:
                    connection.execute(
                        events.update().where(events.c.id == row.id).values(payload=changed)
                    )
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("personal_data", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    subscriptions = _subscriptions()
    op.get_bind().execute(
        subscriptions.update()
        .where(
            subscriptions.c.system.is_(True),
            sa.func.lower(subscriptions.c.url).like("https://%"),
        )
        .values(personal_data=True)
    )

    connection = op.get_bind()
    subjects = _subjects()

    def subject_id_of(subject_type: str, id_number: str) -> str | None:
        index = _keyring().blind_index(f"id:{subject_type}", id_number)
        found = connection.execute(
            sa.select(subjects.c.id).where(
                subjects.c.subject_type == subject_type, subjects.c.id_number_index == index
            )
        ).scalar()
        return str(found) if found is not None else None

    def masked_subject_of(subject_id: str) -> dict[str, str] | None:
        row = connection.execute(
            sa.select(subjects).where(subjects.c.id == uuid.UUID(subject_id))
        ).first()
        if row is None:
            return None
        if row.subject_type == "person":
            ring = _keyring()
            return _masked(
                row.subject_type, ring.decrypt(row.id_number_secret), ring.decrypt(row.name_secret)
            )
        return _masked(row.subject_type, row.id_number or "", row.name or "")

    def mask(payload: dict[str, Any]) -> dict[str, Any] | None:
        subject = payload.get("subject")
        subject_id = payload.get("subject_id")
        if isinstance(subject, dict) and isinstance(subject.get("id_number"), str):
            # Written before 0009: the identity in clear. Keep it only masked.
            subject_type = str(subject.get("subject_type", "person"))
            id_number, name = subject["id_number"], str(subject.get("name", ""))
            if not isinstance(subject_id, str):
                found = subject_id_of(subject_type, id_number)
                if found is not None:
                    payload["subject_id"] = found
            payload["subject"] = _masked(subject_type, id_number, name)
            return payload
        if isinstance(subject_id, str) and subject is None:
            masked = masked_subject_of(subject_id)
            if masked is not None:
                payload["subject"] = masked
                return payload
        return None

    _rewrite_payloads(mask)


def downgrade() -> None:
    def unmask(payload: dict[str, Any]) -> dict[str, Any] | None:
        # 0014 adds the subject when an event is read, from its id; an event without one
        # keeps the masked subject (the identity is never written back in clear).
        if isinstance(payload.get("subject_id"), str) and "subject" in payload:
            del payload["subject"]
            return payload
        return None

    _rewrite_payloads(unmask)
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("personal_data")
