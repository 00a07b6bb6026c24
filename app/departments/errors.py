"""Problems of departments (部门) and the profile each applies."""

from __future__ import annotations

from app.core.errors import FieldError, UnprocessableEntity
from app.rules.profiles import PROFILES


class ProfileUnknown(UnprocessableEntity):
    code = "profile_unknown"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Unknown profile {name!r}.",
            errors=[
                FieldError(
                    field="body.profile",
                    code=self.code,
                    message=f"known profiles: {', '.join(sorted(PROFILES))}",
                )
            ],
        )


class ProfileOutsideJurisdiction(UnprocessableEntity):
    """A city's profile applies only within its territory (DZ art. 2 ¶1; LZ §3)."""

    code = "profile_outside_jurisdiction"

    def __init__(self, message: str) -> None:
        super().__init__(
            "The profile's regulation does not apply in the department's region.",
            errors=[FieldError(field="body.profile", code=self.code, message=message)],
        )


class DepartmentProfileUnresolved(UnprocessableEntity):
    """No profile given, none chosen by the deployment (ZWFW_PROFILE), and the region is
    in no regulation's territory: which rules apply is for a person to say."""

    code = "department_profile_unresolved"

    def __init__(self, message: str, field: str = "body.profile") -> None:
        super().__init__(
            "No rule profile applies to the department: give its profile.",
            errors=[FieldError(field=field, code=self.code, message=message)],
        )
