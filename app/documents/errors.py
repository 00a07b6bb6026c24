from __future__ import annotations

from app.core.errors import NotFound


class DocumentNotFound(NotFound):
    """No document was issued with this verification code (核验码)."""

    code = "document_not_found"
