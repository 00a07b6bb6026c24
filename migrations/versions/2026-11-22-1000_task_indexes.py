"""task indexes

The work queue (GET /api/v1/tasks) reads each task kind as ranges of indexes in (due
day, id) order: commitments and listings by status and due day, for one department or
for all; open verifications by due day, for all departments, for the assigned and for
the assisting one; undecided lifting requests by decision day. The (department, status)
index of commitments and the (status) index of listings are prefixes of the new ones.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = sa.text("status = 'open'")
_UNDECIDED = sa.text("outcome IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("ix_commitments_department_status")
        batch_op.create_index(
            "ix_commitments_department_status_due_on",
            ["department", "status", "current_due_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_commitments_status_due_on", ["status", "current_due_on", "id"], unique=False
        )

    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_restrictions_status")
        batch_op.create_index(
            "ix_restrictions_status_due_on", ["status", "current_due_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_restrictions_department_status_due_on",
            ["collecting_department", "status", "current_due_on", "id"],
            unique=False,
        )

    with op.batch_alter_table("verifications", schema=None) as batch_op:
        for name, columns in (
            ("ix_verifications_open_due_on", ["due_on", "id"]),
            ("ix_verifications_open_assigned", ["assigned_department", "due_on", "id"]),
            ("ix_verifications_open_assisting", ["assisting_department", "due_on", "id"]),
        ):
            batch_op.create_index(
                name, columns, unique=False, postgresql_where=_OPEN, sqlite_where=_OPEN
            )

    with op.batch_alter_table("restriction_lifting_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_restriction_lifting_requests_undecided",
            ["decision_due", "id"],
            unique=False,
            postgresql_where=_UNDECIDED,
            sqlite_where=_UNDECIDED,
        )


def downgrade() -> None:
    with op.batch_alter_table("restriction_lifting_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_restriction_lifting_requests_undecided")

    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index("ix_verifications_open_assisting")
        batch_op.drop_index("ix_verifications_open_assigned")
        batch_op.drop_index("ix_verifications_open_due_on")

    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_restrictions_department_status_due_on")
        batch_op.drop_index("ix_restrictions_status_due_on")
        batch_op.create_index("ix_restrictions_status", ["status"], unique=False)

    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("ix_commitments_status_due_on")
        batch_op.drop_index("ix_commitments_department_status_due_on")
        batch_op.create_index(
            "ix_commitments_department_status", ["department", "status"], unique=False
        )
