"""The refusals of the repair flow (LZ §5(1)5), each with its machine code."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound


class ListingNotEffective(Conflict):
    """Proof of rectification is filed against an effective listing only (not one
    repaired, lifted, withdrawn or not yet published)."""

    code = "listing_not_effective"


class RectificationAlreadyRecorded(Conflict):
    """Rectification is recorded: the listing is repaired, or will be at its period end."""

    code = "rectification_recorded"


class RepairApplicationPending(Conflict):
    code = "repair_application_pending"


class RepairApplicationNotFound(NotFound):
    code = "repair_application_not_found"


class RepairApplicationDecided(Conflict):
    code = "repair_application_decided"


class RepairNoticeAlreadyIssued(Conflict):
    code = "repair_notice_issued"


class RepairNoticeNotIssued(Conflict):
    code = "repair_notice_not_issued"


class RepairNoticeReceiptRecorded(Conflict):
    code = "repair_notice_receipt_recorded"


class RepairNoticeNotDue(Conflict):
    """No repair notice before the period has ended unrectified."""

    code = "repair_notice_not_due"


class CreditRepairNotAvailable(Conflict):
    """The listing's profile has no repair on application (no Linzi listing procedure)."""

    code = "credit_repair_not_available"


class CreditRepairMaterialsMissing(Conflict):
    """Materials are still missing after the one notice (一次性告知): no second notice;
    the application waits for them."""

    code = "credit_repair_materials_missing"


class CreditRepairNotAwaitingMaterials(Conflict):
    """Nothing was asked for: the application is accepted or decided."""

    code = "credit_repair_not_awaiting_materials"


class CreditRepairNotAccepted(Conflict):
    """An application is decided once accepted (its materials complete)."""

    code = "credit_repair_not_accepted"
