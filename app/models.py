"""Every table of the application, imported so Alembic sees one complete metadata."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.calendar.models import CalendarYear
from app.catalog.models import Matter, MatterVersion
from app.commitments.models import Commitment, CommitmentEvent, Verification
from app.commitments.register_models import CommitmentSerial, CreditCommitment
from app.consents.models import Consent
from app.core.db import Base
from app.credit_checks.models import CreditCheck
from app.credit_records.models import CreditRecordEntry
from app.departments.models import Department
from app.documents.models import IssuedDocument
from app.events.models import Event
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.referrals.models import Referral
from app.restrictions.models import (
    Correction,
    CorrectionDuty,
    LiftingRequest,
    Objection,
    RepairApplication,
    Restriction,
    RestrictionEvent,
)
from app.subjects.models import Subject
from app.web.idempotency.models import IdempotencyRecord
from app.webhooks.models import Delivery, Subscription

metadata = Base.metadata

__all__ = [
    "AuditEntry",
    "CalendarYear",
    "Commitment",
    "CommitmentEvent",
    "CommitmentSerial",
    "Consent",
    "Correction",
    "CorrectionDuty",
    "CreditCheck",
    "CreditCommitment",
    "CreditRecordEntry",
    "Delivery",
    "Department",
    "Event",
    "IdempotencyRecord",
    "IssuedDocument",
    "JointPunishmentEntry",
    "JointPunishmentImport",
    "LiftingRequest",
    "Matter",
    "MatterVersion",
    "Objection",
    "Referral",
    "RepairApplication",
    "Restriction",
    "RestrictionEvent",
    "Subject",
    "Subscription",
    "Verification",
    "metadata",
]
