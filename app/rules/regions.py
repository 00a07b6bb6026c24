"""Which profile a department applies (DZ art. 2 ¶1 本市行政区域内; LZ §3 临淄区范围内).

Precedence, first that applies:

1. the profile given for the department (a city profile only within its territory);
2. the deployment's explicit choice, ``ZWFW_PROFILE``, where it may apply (the combined
   profile anywhere it is chosen, a city profile within its territory): an operator who
   names a profile means it for every department without one of its own;
3. the profile of the department's region, :data:`REGION_PROFILES`, keyed by the GB/T
   2260 prefix of its code;
4. none: the department is refused (no regulation governs it, nobody chose one).

The deployment's choice comes before the region table: if the table came first, a
deployment choosing the combined profile would get it only for departments outside both
cities, where neither text applies at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.rules.jurisdiction import DEZHOU_AREA, LINZI_AREA, Area
from app.rules.profiles import DEZHOU_2023, LINZI_2022, Profile, get_profile

# The region table: a department's region decides when neither it nor the deployment does.
REGION_PROFILES: Final[tuple[tuple[Area, Profile], ...]] = (
    (DEZHOU_AREA, DEZHOU_2023),  # DZ art. 2 ¶1: 本市行政区域内 (3714xx)
    (LINZI_AREA, LINZI_2022),  # LZ §3: 临淄区范围内 (370305)
)


class ProfileOutsideJurisdiction(ValueError):
    def __init__(self, profile: Profile, region_code: str) -> None:
        self.profile = profile
        self.region_code = region_code
        areas = "; ".join(f"{a.name_zh} ({a.citation.label})" for a in profile.jurisdiction.areas)
        super().__init__(f"{profile.name} applies only in {areas}, not in region {region_code}")


class ProfileUnresolved(LookupError):
    def __init__(self, region_code: str) -> None:
        self.region_code = region_code
        super().__init__(
            f"no rule profile for region {region_code}: it is in no regulation's territory "
            "and the deployment names no profile (ZWFW_PROFILE); give the department's profile"
        )


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """The profile of a department and where it came from: ``department`` (given),
    ``deployment`` (ZWFW_PROFILE) or ``region`` (:data:`REGION_PROFILES`, with the area)."""

    profile: Profile
    source: str
    area: Area | None = None


def resolve_department_profile(
    region_code: str, given: str | None, deployment: str | None
) -> ProfileChoice:
    """The department's own profile, else the deployment's explicit choice where it may
    apply, else its region's; else :class:`ProfileUnresolved`. A profile bound to a
    territory never applies outside it (:class:`ProfileOutsideJurisdiction`)."""
    if given is not None:
        profile = get_profile(given)
        if not profile.jurisdiction.covers(region_code):
            raise ProfileOutsideJurisdiction(profile, region_code)
        return ProfileChoice(profile, "department")
    if deployment is not None and get_profile(deployment).jurisdiction.covers(region_code):
        return ProfileChoice(get_profile(deployment), "deployment")
    for area, profile in REGION_PROFILES:
        if area.covers(region_code):
            return ProfileChoice(profile, "region", area)
    raise ProfileUnresolved(region_code)
