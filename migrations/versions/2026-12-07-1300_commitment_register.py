"""the commitment register: a readable number, type and disclosure class per commitment

``credit_commitments`` records each commitment (信用承诺记录): its number (the region of
the accepting unit, the signing day in Asia/Shanghai, a serial of that region and day,
e.g. ``371400-20261201-000123``), its type, subject, accepting unit, signing day and
disclosure class. A case commitment's cause, content, liability and fulfilment are read
from the case, so those columns stay empty for it. ``commitment_serials`` keeps the last
serial given per region and day.

Every existing commitment is numbered here, in a fixed order (signature, creation, id),
so a re-run numbers them alike on either database; its class is the default (an
organisation's public, a natural person's restricted), its type its mode.

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-07 13:00:00
"""

import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0028"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHANGHAI = ZoneInfo("Asia/Shanghai")


def upgrade() -> None:
    op.create_table(
        "commitment_serials",
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region", "day", name=op.f("pk_commitment_serials")),
    )
    op.create_table(
        "credit_commitments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("commitment_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("disclosure", sa.String(length=16), nullable=False),
        sa.Column("commitment_id", sa.Uuid(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("liability", sa.Text(), nullable=True),
        sa.Column("fulfilment", sa.String(length=32), nullable=True),
        sa.Column("unfulfilled", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_credit_commitments_commitment_id_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["department"],
            ["departments.code"],
            name=op.f("fk_credit_commitments_department_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_credit_commitments_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_commitments")),
        sa.UniqueConstraint("commitment_id", name=op.f("uq_credit_commitments_commitment_id")),
        sa.UniqueConstraint("number", name=op.f("uq_credit_commitments_number")),
    )
    with op.batch_alter_table("credit_commitments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_credit_commitments_disclosure_signed_on",
            ["disclosure", "signed_on", "number"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_credit_commitments_subject_id"), ["subject_id"], unique=False
        )
    _backfill()


def _backfill() -> None:
    """Number every existing commitment, in the order it was signed."""
    bind = op.get_bind()
    commitments = sa.table(
        "commitments",
        sa.column("id", sa.Uuid()),
        sa.column("subject_id", sa.Uuid()),
        sa.column("department", sa.String()),
        sa.column("mode", sa.String()),
        sa.column("signed_at", app.core.db.UTCDateTime()),
        sa.column("created_at", app.core.db.UTCDateTime()),
    )
    subjects = sa.table("subjects", sa.column("id", sa.Uuid()), sa.column("subject_type"))
    records = sa.table(
        "credit_commitments",
        sa.column("id", sa.Uuid()),
        sa.column("number", sa.String()),
        sa.column("commitment_type", sa.String()),
        sa.column("subject_id", sa.Uuid()),
        sa.column("department", sa.String()),
        sa.column("signed_on", sa.Date()),
        sa.column("disclosure", sa.String()),
        sa.column("commitment_id", sa.Uuid()),
        sa.column("created_by", sa.String()),
        sa.column("created_at", app.core.db.UTCDateTime()),
    )
    serials = sa.table(
        "commitment_serials",
        sa.column("region", sa.String()),
        sa.column("day", sa.Date()),
        sa.column("last", sa.Integer()),
    )
    rows = bind.execute(
        sa.select(
            commitments.c.id,
            commitments.c.subject_id,
            commitments.c.department,
            commitments.c.mode,
            commitments.c.signed_at,
            commitments.c.created_at,
            subjects.c.subject_type,
        )
        .join(subjects, subjects.c.id == commitments.c.subject_id)
        .order_by(commitments.c.signed_at, commitments.c.created_at, commitments.c.id)
    ).all()
    last: dict[tuple[str, object], int] = {}
    values = []
    for row in rows:
        region = row.department.split("-", 1)[0]
        day = row.signed_at.astimezone(SHANGHAI).date()
        serial = last.get((region, day), 0) + 1
        last[(region, day)] = serial
        values.append(
            {
                "id": uuid.uuid4(),
                "number": f"{region}-{day:%Y%m%d}-{serial:06d}",
                "commitment_type": row.mode,
                "subject_id": row.subject_id,
                "department": row.department,
                "signed_on": day,
                "disclosure": "restricted" if row.subject_type == "person" else "public",
                "commitment_id": row.id,
                "created_by": "migration 0028",
                "created_at": row.created_at,
            }
        )
    if values:
        bind.execute(records.insert(), values)
        bind.execute(
            serials.insert(),
            [{"region": r, "day": d, "last": n} for (r, d), n in last.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_commitments_subject_id"))
        batch_op.drop_index("ix_credit_commitments_disclosure_signed_on")
    op.drop_table("credit_commitments")
    op.drop_table("commitment_serials")
