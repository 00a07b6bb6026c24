"""audit hash chain

Adds ``prev_hash`` and ``hash`` to the audit log and chains the entries already there,
in id order from the genesis value, exactly as ``app.audit.service.record`` chains new
ones (the canonical form is documented in ``app.audit.chain``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db
from app.audit.chain import GENESIS_HASH, ChainContent, entry_hash

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH_SIZE = 1000

_audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.BigInteger()),
    sa.column("recorded_at", app.core.db.UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("roles", sa.JSON()),
    sa.column("department", sa.String()),
    sa.column("action", sa.String()),
    sa.column("target_type", sa.String()),
    sa.column("target_id", sa.String()),
    sa.column("purpose", sa.String()),
    sa.column("request_id", sa.String()),
    sa.column("details", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def _chain_existing_entries() -> None:
    connection = op.get_bind()
    columns = _audit_log.c
    update = (
        sa.update(_audit_log)
        .where(columns.id == sa.bindparam("entry_id"))
        .values(prev_hash=sa.bindparam("new_prev_hash"), hash=sa.bindparam("new_hash"))
    )
    prev_hash = GENESIS_HASH
    after_id: int | None = None
    while True:
        query = sa.select(
            columns.id,
            columns.recorded_at,
            columns.actor,
            columns.roles,
            columns.department,
            columns.action,
            columns.target_type,
            columns.target_id,
            columns.purpose,
            columns.request_id,
            columns.details,
        ).order_by(columns.id)
        if after_id is not None:
            query = query.where(columns.id > after_id)
        rows = connection.execute(query.limit(_BATCH_SIZE)).all()
        if not rows:
            return
        changes = []
        for row in rows:
            content = ChainContent(
                recorded_at=row.recorded_at,
                actor=row.actor,
                roles=row.roles,
                department=row.department,
                action=row.action,
                target_type=row.target_type,
                target_id=row.target_id,
                purpose=row.purpose,
                request_id=row.request_id,
                details=row.details,
            )
            digest = entry_hash(content, prev_hash)
            changes.append({"entry_id": row.id, "new_prev_hash": prev_hash, "new_hash": digest})
            prev_hash = digest
        connection.execute(update, changes)
        after_id = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    _chain_existing_entries()

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_prev_hash"), ["prev_hash"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_prev_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
