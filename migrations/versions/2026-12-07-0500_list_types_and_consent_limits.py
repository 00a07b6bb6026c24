"""joint punishment entries carry their list type; consents and checks name an application

A joint-punishment entry bars what its list's memorandum provides (LZ §3 "从其规定处理"),
so each entry records its list type. Entries imported before this revision are typed by
their list name where it is a name a configured list is published under (the names below,
as of this revision); any other entry is ``unclassified``, which a credit check cannot
apply (its result is then ``not_performed``) until the entry is imported again with its
type.

A consent may be limited to one matter (``matter_code``) or one application
(``application_ref``); a credit check may name the application it is for. Existing
consents keep no limit. A check's result may now be ``not_performed``, longer than the
column held.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The names each configured list type is published under, as of this revision
# (app/rules/joint_punishment.py; a migration does not follow later changes).
_TYPES_BY_NAME = {
    "失信被执行人": "dishonest_judgment_debtor",
    "失信被执行人名单": "dishonest_judgment_debtor",
    "重大税收违法失信主体": "major_tax_violation",
    "重大税收违法失信主体名单": "major_tax_violation",
    "重大税收违法案件当事人名单": "major_tax_violation",
}
_UNCLASSIFIED = "unclassified"


def upgrade() -> None:
    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("list_type", sa.String(length=32), nullable=True))
    entries = sa.table(
        "joint_punishment_entries",
        sa.column("list_name", sa.String(200)),
        sa.column("list_type", sa.String(32)),
    )
    connection = op.get_bind()
    for name, list_type in _TYPES_BY_NAME.items():
        connection.execute(
            entries.update().where(entries.c.list_name == name).values(list_type=list_type)
        )
    connection.execute(
        entries.update().where(entries.c.list_type.is_(None)).values(list_type=_UNCLASSIFIED)
    )
    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.alter_column("list_type", existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("matter_code", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("application_ref", sa.String(length=64), nullable=True))

    with op.batch_alter_table("credit_checks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_ref", sa.String(length=64), nullable=True))
        batch_op.alter_column(
            "result",
            existing_type=sa.String(length=8),
            type_=sa.String(length=16),
            existing_nullable=False,
        )


def downgrade() -> None:
    checks = sa.table("credit_checks", sa.column("result", sa.String(16)))
    # The code before this revision knows two results; a check not performed never passed.
    op.get_bind().execute(
        checks.update().where(checks.c.result == "not_performed").values(result="fail")
    )
    with op.batch_alter_table("credit_checks", schema=None) as batch_op:
        batch_op.alter_column(
            "result",
            existing_type=sa.String(length=16),
            type_=sa.String(length=8),
            existing_nullable=False,
        )
        batch_op.drop_column("application_ref")

    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("application_ref")
        batch_op.drop_column("matter_code")

    with op.batch_alter_table("joint_punishment_entries", schema=None) as batch_op:
        batch_op.drop_column("list_type")
