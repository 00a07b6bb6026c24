"""issued documents: the register behind every printed document's verification code

``issued_documents`` (文书核验登记): one row per document issued, found by the SHA-256 of
its verification code (``code_hash``, unique); the code itself is kept encrypted, only
to print the same code again on unchanged content. Each row holds the document's kind,
number, issuing department (code and name), issue time and day, the entity it documents
(its id), the fingerprint of its content and the SHA-256 of the exact PDF bytes issued.
No personal data.

Revision ID: 0032
Revises: 0030
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0032"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("department_name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issued_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_documents")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_issued_documents_code_hash")),
    )
    op.create_index(
        "ix_issued_documents_content",
        "issued_documents",
        ["kind", "entity_id", "fingerprint"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_issued_documents_content", table_name="issued_documents")
    op.drop_table("issued_documents")
