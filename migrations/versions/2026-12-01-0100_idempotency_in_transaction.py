"""idempotency answers kept with the resource, encrypted

An answer is now written in the transaction of the create it answers for, and a running
request holds its key by a transaction-level lock, so the ``pending`` records, their
owners and renewals go. The kept body (whole 201 answers: ID numbers, names, addresses)
is stored encrypted, as base64 of its bytes, like every other value that may hold
personal data. Existing answers are encrypted in place; pending holds are dropped (their
requests either committed without a kept answer, which the old scheme could not tell, or
failed). The downgrade decrypts them back.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 01:00:00
"""

import base64
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db
import app.privacy.crypto
from app.privacy import crypto

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_keys = sa.table(
    "idempotency_keys",
    sa.column("caller", sa.String),
    sa.column("key", sa.String),
    sa.column("state", sa.String),
    sa.column("body", sa.LargeBinary),
    sa.column("sealed", sa.Text),
)


def _keyring() -> crypto.Keyring:
    try:
        return crypto.keyring()
    except RuntimeError:
        raise RuntimeError(
            "this migration encrypts kept answers: set ZWFW_DATA_KEY and ZWFW_BLIND_INDEX_KEY"
        ) from None


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(_keys.delete().where(_keys.c.state != "done"))
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed", app.privacy.crypto.EncryptedText(), nullable=True))
    rows = connection.execute(sa.select(_keys.c.caller, _keys.c.key, _keys.c.body)).all()
    if rows:
        ring = _keyring()
        for caller, key, body in rows:
            sealed = ring.encrypt(base64.b64encode(bytes(body or b"")).decode("ascii"))
            connection.execute(
                _keys.update()
                .where(_keys.c.caller == caller, _keys.c.key == key)
                .values(sealed=sealed)
            )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("body")
        batch_op.drop_column("state")
        batch_op.drop_column("owner")
        batch_op.drop_column("renewed_at")
        batch_op.drop_column("completed_at")
        batch_op.alter_column("sealed", new_column_name="body", nullable=False)
        batch_op.alter_column("fingerprint", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("headers", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.alter_column("body", new_column_name="sealed", nullable=True)
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("renewed_at", app.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("completed_at", app.core.db.UTCDateTime(), nullable=True))
        batch_op.alter_column("fingerprint", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("headers", existing_type=sa.JSON(), nullable=True)
    keys = sa.table(
        "idempotency_keys",
        sa.column("caller", sa.String),
        sa.column("key", sa.String),
        sa.column("sealed", sa.Text),
        sa.column("body", sa.LargeBinary),
        sa.column("state", sa.String),
        sa.column("owner", sa.String),
        sa.column("created_at", app.core.db.UTCDateTime()),
        sa.column("renewed_at", app.core.db.UTCDateTime()),
        sa.column("completed_at", app.core.db.UTCDateTime()),
    )
    rows = connection.execute(sa.select(keys.c.caller, keys.c.key, keys.c.sealed)).all()
    if rows:
        ring = _keyring()
        for caller, key, sealed in rows:
            connection.execute(
                keys.update()
                .where(keys.c.caller == caller, keys.c.key == key)
                .values(
                    body=base64.b64decode(ring.decrypt(sealed)),
                    state="done",
                    owner="",
                    renewed_at=keys.c.created_at,
                    completed_at=keys.c.created_at,
                )
            )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("sealed")
        batch_op.alter_column("state", existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column("owner", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("renewed_at", existing_type=app.core.db.UTCDateTime(), nullable=False)
