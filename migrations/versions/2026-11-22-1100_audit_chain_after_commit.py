"""audit chain after commit

Audit entries are written unchained with the change they record and linked into the
hash chain after commit (``app.audit.service.chain_pending``), so no write waits for
another to commit. The chain's order becomes ``position``; entries already chained were
chained in id order, so their position is their id. ``prev_hash`` and ``hash`` are null
until an entry is chained.

Downgrade chains every entry again in id order from the genesis value (the layout
before this revision), which changes the hashes of entries chained out of id order.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db
from app.audit.chain import GENESIS_HASH, ChainContent, entry_hash

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH_SIZE = 1000
_UNCHAINED = sa.text("position IS NULL")
_CONTENT = (
    "recorded_at",
    "actor",
    "roles",
    "department",
    "action",
    "target_type",
    "target_id",
    "purpose",
    "request_id",
    "details",
)
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
    sa.column("position", sa.BigInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.BigInteger(), nullable=True))
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
    op.execute(sa.update(_audit_log).values(position=_audit_log.c.id))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_position"), ["position"])
        batch_op.create_index(
            "ix_audit_log_unchained",
            ["id"],
            unique=False,
            postgresql_where=_UNCHAINED,
            sqlite_where=_UNCHAINED,
        )


def _chain_in_id_order() -> None:
    connection = op.get_bind()
    columns = _audit_log.c
    update = (
        sa.update(_audit_log)
        .where(columns.id == sa.bindparam("entry_id"))
        .values(prev_hash=sa.bindparam("new_prev_hash"), hash=sa.bindparam("new_hash"))
    )
    prev_hash = GENESIS_HASH
    after_id = 0
    while rows := connection.execute(
        sa.select(columns.id, *(columns[name] for name in _CONTENT))
        .where(columns.id > after_id)
        .order_by(columns.id)
        .limit(_BATCH_SIZE)
    ).all():
        changes = []
        for row in rows:
            content = ChainContent(**{name: getattr(row, name) for name in _CONTENT})
            digest = entry_hash(content, prev_hash)
            changes.append({"entry_id": row.id, "new_prev_hash": prev_hash, "new_hash": digest})
            prev_hash = digest
        # Clear the old links of this batch first: prev_hash is unique.
        connection.execute(
            sa.update(_audit_log)
            .where(columns.id.in_([row.id for row in rows]))
            .values(prev_hash=None, hash=None)
        )
        connection.execute(update, changes)
        after_id = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_unchained")
        batch_op.drop_constraint(batch_op.f("uq_audit_log_position"), type_="unique")
        batch_op.drop_column("position")
    _chain_in_id_order()
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
