"""catalog consents credit checks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_departments_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "matters",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_matters")),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
        sa.UniqueConstraint(
            "subject_type", "id_number", name=op.f("uq_subjects_subject_type_id_number")
        ),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("granted_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("evidence_ref", sa.String(length=500), nullable=False),
        sa.Column("revoked_at", app.core.db.UTCDateTime(), nullable=True),
        sa.Column("revocation_reason", sa.String(length=1000), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_consents_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "matter_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("regulator_code", sa.String(length=32), nullable=False),
        sa.Column("onsite_verifier_code", sa.String(length=32), nullable=True),
        sa.Column("excluded_categories", sa.JSON(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("legal_liability", sa.Text(), nullable=False),
        sa.Column("verification_power", sa.Text(), nullable=True),
        sa.Column("other_notice", sa.Text(), nullable=True),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["departments.code"],
            name=op.f("fk_matter_versions_agency_code_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["matter_code"], ["matters.code"], name=op.f("fk_matter_versions_matter_code_matters")
        ),
        sa.ForeignKeyConstraint(
            ["onsite_verifier_code"],
            ["departments.code"],
            name=op.f("fk_matter_versions_onsite_verifier_code_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["regulator_code"],
            ["departments.code"],
            name=op.f("fk_matter_versions_regulator_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_versions")),
        sa.UniqueConstraint(
            "matter_code", "version", name=op.f("uq_matter_versions_matter_code_version")
        ),
    )
    with op.batch_alter_table("matter_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_matter_versions_effective", ["matter_code", "effective_from"], unique=False
        )

    op.create_table(
        "restrictions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("situation", sa.String(length=32), nullable=False),
        sa.Column("source_channel", sa.String(length=32), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("legal_documents", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("collecting_department", sa.String(length=32), nullable=False),
        sa.Column("commitment_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("notice_issued_on", sa.Date(), nullable=True),
        sa.Column("notice_received_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collecting_department"],
            ["departments.code"],
            name=op.f("fk_restrictions_collecting_department_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_restrictions_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restrictions")),
    )
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.create_index("ix_restrictions_status", ["status"], unique=False)
        batch_op.create_index(
            "ix_restrictions_subject_published", ["subject_id", "published_on"], unique=False
        )

    op.create_table(
        "credit_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("matter_version_id", sa.Uuid(), nullable=True),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=True),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("eligible_modes", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("checked_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["subjects.id"], name=op.f("fk_credit_checks_agent_id_subjects")
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consents.id"], name=op.f("fk_credit_checks_consent_id_consents")
        ),
        sa.ForeignKeyConstraint(
            ["matter_version_id"],
            ["matter_versions.id"],
            name=op.f("fk_credit_checks_matter_version_id_matter_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_credit_checks_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_checks")),
    )
    with op.batch_alter_table("credit_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_checks_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_checks_subject_id"))

    op.drop_table("credit_checks")
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_restrictions_subject_published")
        batch_op.drop_index("ix_restrictions_status")

    op.drop_table("restrictions")
    with op.batch_alter_table("matter_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_matter_versions_effective")

    op.drop_table("matter_versions")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_subject_id"))

    op.drop_table("consents")
    op.drop_table("subjects")
    op.drop_table("matters")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_region_code"))

    op.drop_table("departments")
