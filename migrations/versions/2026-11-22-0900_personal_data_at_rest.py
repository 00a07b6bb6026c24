"""personal data at rest

Citizen ID numbers, personal names and addresses become AES-GCM ciphertext with blind
indexes for lookups (app.privacy.crypto). Existing rows are encrypted in place, which needs the
keys (ZWFW_DATA_KEY, ZWFW_BLIND_INDEX_KEY) when any such row exists.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.privacy import crypto

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def _keyring() -> crypto.Keyring:
    try:
        return crypto.keyring()
    except RuntimeError:
        raise RuntimeError(
            "this migration encrypts existing personal data: set ZWFW_DATA_KEY and "
            "ZWFW_BLIND_INDEX_KEY"
        ) from None


def _rewrite(table: sa.TableClause, change: Callable[[Any], dict[str, Any] | None]) -> None:
    """Apply ``change`` to every row of ``table``, in primary-key order and batches."""
    connection = op.get_bind()
    key = table.c.id
    last = None
    while True:
        query = sa.select(table).order_by(key).limit(_BATCH)
        if last is not None:
            query = query.where(key > last)
        rows = connection.execute(query).all()
        if not rows:
            return
        for row in rows:
            values = change(row)
            if values:
                connection.execute(table.update().where(key == row.id).values(**values))
        last = rows[-1].id


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
        sa.column("name_index", sa.String()),
        sa.column("address", sa.String()),
        sa.column("address_secret", sa.Text()),
        sa.column("key_id", sa.String()),
    )


def _entries() -> sa.TableClause:
    return sa.table(
        "joint_punishment_entries",
        sa.column("id", sa.Uuid()),
        sa.column("subject_type", sa.String()),
        sa.column("id_number", sa.Text()),
        sa.column("id_number_index", sa.String()),
        sa.column("name", sa.Text()),
    )


def _simple(name: str, column: str) -> sa.TableClause:
    return sa.table(name, sa.column("id", sa.Uuid()), sa.column(column, sa.Text()))


def upgrade() -> None:
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("id_number_index", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("name_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("name_index", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("address_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.alter_column("id_number", existing_type=sa.VARCHAR(length=18), nullable=True)
        batch_op.alter_column("name", existing_type=sa.VARCHAR(length=200), nullable=True)
        batch_op.drop_constraint("uq_subjects_subject_type_id_number", type_="unique")
    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_index", sa.String(length=64), nullable=True))
        batch_op.alter_column("id_number", existing_type=sa.VARCHAR(length=18), type_=sa.Text())
        batch_op.alter_column("name", existing_type=sa.VARCHAR(length=200), type_=sa.Text())
        batch_op.drop_index("ix_joint_punishment_entries_id_number")
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.alter_column("address", existing_type=sa.VARCHAR(length=500), type_=sa.Text())
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("signed_by", existing_type=sa.VARCHAR(length=200), type_=sa.Text())

    def subject(row: Any) -> dict[str, Any]:
        ring = _keyring()
        values: dict[str, Any] = {
            "id_number_index": ring.blind_index(f"id:{row.subject_type}", row.id_number),
            "name_index": ring.blind_index("name", (row.name or "").strip()),
        }
        if row.subject_type == "person":
            values |= {
                "id_number_secret": ring.encrypt(row.id_number),
                "name_secret": ring.encrypt(row.name or ""),
                "address_secret": ring.encrypt(row.address) if row.address else None,
                "id_number": None,
                "name": None,
                "address": None,
                "key_id": ring.active_id,
            }
        return values

    def entry(row: Any) -> dict[str, Any]:
        ring = _keyring()
        return {
            "id_number_index": ring.blind_index(f"id:{row.subject_type}", row.id_number),
            "id_number": ring.encrypt(row.id_number),
            "name": ring.encrypt(row.name) if row.name else None,
        }

    def encrypt(column: str) -> Callable[[Any], dict[str, Any] | None]:
        def change(row: Any) -> dict[str, Any] | None:
            value = getattr(row, column)
            return {column: _keyring().encrypt(value)} if value else None

        return change

    _rewrite(_subjects(), subject)
    _rewrite(_entries(), entry)
    _rewrite(_simple("restrictions", "address"), encrypt("address"))
    _rewrite(_simple("commitments", "signed_by"), encrypt("signed_by"))

    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.alter_column("id_number_index", existing_type=sa.String(64), nullable=False)
        batch_op.alter_column("name_index", existing_type=sa.String(64), nullable=False)
        batch_op.create_index("ix_subjects_key_id", ["key_id"], unique=False)
        batch_op.create_index("ix_subjects_name_index", ["name_index"], unique=False)
        batch_op.create_unique_constraint(
            "uq_subjects_subject_type_id_number_index", ["subject_type", "id_number_index"]
        )
    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.alter_column("id_number_index", existing_type=sa.String(64), nullable=False)
        batch_op.create_index(
            "ix_joint_punishment_entries_id_number_index", ["id_number_index", "subject_type"]
        )


def downgrade() -> None:
    def subject(row: Any) -> dict[str, Any] | None:
        if row.subject_type != "person":
            return None
        ring = _keyring()
        return {
            "id_number": ring.decrypt(row.id_number_secret),
            "name": ring.decrypt(row.name_secret) if row.name_secret else "",
            "address": ring.decrypt(row.address_secret) if row.address_secret else None,
        }

    def decrypt(*columns: str) -> Callable[[Any], dict[str, Any] | None]:
        def change(row: Any) -> dict[str, Any] | None:
            ring = _keyring()
            values = {c: ring.decrypt(getattr(row, c)) for c in columns if getattr(row, c)}
            return values or None

        return change

    _rewrite(_subjects(), subject)
    _rewrite(_entries(), decrypt("id_number", "name"))
    _rewrite(_simple("restrictions", "address"), decrypt("address"))
    _rewrite(_simple("commitments", "signed_by"), decrypt("signed_by"))

    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subjects_subject_type_id_number_index", type_="unique")
        batch_op.drop_index("ix_subjects_name_index")
        batch_op.drop_index("ix_subjects_key_id")
        batch_op.create_unique_constraint(
            "uq_subjects_subject_type_id_number", ["subject_type", "id_number"]
        )
        batch_op.alter_column("name", existing_type=sa.VARCHAR(length=200), nullable=False)
        batch_op.alter_column("id_number", existing_type=sa.VARCHAR(length=18), nullable=False)
        batch_op.drop_column("key_id")
        batch_op.drop_column("address_secret")
        batch_op.drop_column("name_index")
        batch_op.drop_column("name_secret")
        batch_op.drop_column("id_number_index")
        batch_op.drop_column("id_number_secret")
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.alter_column("address", existing_type=sa.Text(), type_=sa.VARCHAR(length=500))
    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_joint_punishment_entries_id_number_index")
        batch_op.create_index(
            "ix_joint_punishment_entries_id_number", ["id_number", "subject_type"]
        )
        batch_op.alter_column("name", existing_type=sa.Text(), type_=sa.VARCHAR(length=200))
        batch_op.alter_column("id_number", existing_type=sa.Text(), type_=sa.VARCHAR(length=18))
        batch_op.drop_column("id_number_index")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("signed_by", existing_type=sa.Text(), type_=sa.VARCHAR(length=200))
