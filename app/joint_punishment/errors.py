"""Problems of the joint punishment package (联合奖惩名单)."""

from __future__ import annotations

from app.core.errors import AppError, NotFound, UnprocessableEntity


class ImportMediaTypeUnsupported(AppError):
    status = 415
    code = "unsupported_media_type"


class ImportHeaderInvalid(UnprocessableEntity):
    code = "import_header_invalid"


class ImportEmpty(UnprocessableEntity):
    code = "import_empty"


class JointPunishmentImportNotFound(NotFound):
    code = "joint_punishment_import_not_found"
