"""The national rules on credit repair (国家信用修复规定) as a layer over a local scheme.

- 国办发〔2025〕22号 §二 classes dishonesty information as 轻微 / 一般 / 严重 and caps the
  publicity (公示期) of minor dishonesty at 3 months ("确有必要公示的，公示期最长为3个月").
- The Linzi scheme's listings are exactly minor dishonesty: it was made "填补政务服务领域
  轻微失信行为管理空白" (LZ preamble), for acts short of an administrative penalty
  (LZ §5(1)2).
- 国家发展改革委令第36号 (in force 2026-04-01): repair is a right (art. 2) and means 终止公示、
  停止共享和使用, 同步解除失信惩戒措施 together (art. 3 ¶1).

The publicity period is separate from the management period (LZ §5(1)5): the public list
shows a listing within its publicity period only, the restriction effects (LZ §5(2)) follow
the management period. A profile applying the national rules (``Profile.national``) takes
effect on :data:`NATIONAL_RULES_FROM`: a listing published earlier keeps the publicity of
the local text (its own dates: the period is fixed on publication, 公示期限自认定之日起计算).

Numbers the stored copies of the texts do not confirm (36号令's article on the classes,
its time limits) are not cited here; the repair application's limits are deployment
choices in :mod:`app.rules.repair`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from app.rules.citations import (
    CIVIL_CODE_202,
    GB_22_2,
    LZ,
    LZ_5_1_2_SHORT_OF_PENALTY,
    LZ_5_1_5_PERIOD,
    NDRC_36_2,
    NDRC_36_3_1,
    NDRC_36_IN_FORCE,
    Citation,
)
from app.rules.parameters import Parameter, ParameterName
from app.rules.periods import Unit

if TYPE_CHECKING:
    from app.rules.profiles import Profile

# The date of effect of 国家发展改革委令第36号 ("自2026年4月1日起施行").
NATIONAL_RULES_FROM: Final = date(2026, 4, 1)

LZ_PREAMBLE_MINOR: Final = Citation(
    LZ,
    "preamble",
    None,
    "创新建立政务服务“失信制约”制度，填补政务服务领域轻微失信行为管理空白",
)


class Severity(StrEnum):
    """失信信息分类 (国办发〔2025〕22号 §二)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"

    @property
    def label_zh(self) -> str:
        return {"minor": "轻微", "general": "一般", "serious": "严重"}[self.value]


# 国办发〔2025〕22号 §二: the longest publicity of each class, in months.
PUBLICITY_CAP_MONTHS: Final[dict[Severity, int]] = {
    Severity.MINOR: 3,
    Severity.GENERAL: 12,
    Severity.SERIOUS: 36,
}

PUBLICITY_PERIOD_NATIONAL: Final = Parameter(
    ParameterName.PUBLICITY_PERIOD,
    PUBLICITY_CAP_MONTHS[Severity.MINOR],
    Unit.MONTHS,
    GB_22_2,
    "公示期限3个月，自公布之日起计算，期满日为到期月的对应日（民法典第二百零二条），不因节假日顺延；"
    "与管理期限分别计算：公示期满后名单不再公示，但管理期内仍按LZ §5(2)限制便利措施。"
    "临淄方案的名单属轻微失信（“填补政务服务领域轻微失信行为管理空白”），国办发〔2025〕22号第二部分规定"
    "确有必要公示的，公示期最长为3个月；自国家发展改革委令第36号施行之日（2026-04-01）起公布的名单适用。",
    "Publicity of 3 months from publication, ending on the corresponding day of the month "
    "(Civil Code art. 202), never moved for a holiday; separate from the management period: "
    "after it the listing leaves the public list but still restricts (LZ §5(2)) until the "
    "management period ends. Linzi listings are minor dishonesty; 国办发〔2025〕22号 §二 caps "
    "the publicity of minor dishonesty at 3 months. Applies to listings published from "
    "2026-04-01, the date of effect of NDRC Order No. 36.",
    also_cites=(LZ_PREAMBLE_MINOR, NDRC_36_IN_FORCE, CIVIL_CODE_202, LZ_5_1_5_PERIOD),
)


@dataclass(frozen=True, slots=True)
class NationalRules:
    """How a profile applies the national rules: from ``in_force_from``, its listings are
    of ``listing_severity`` and their publicity is at most the class's cap."""

    in_force_from: date
    listing_severity: Severity
    severity_citations: tuple[Citation, ...]
    # The publicity of listings published before ``in_force_from`` (the local text's).
    publicity_before: Parameter
    repair_citations: tuple[Citation, ...] = (NDRC_36_2, NDRC_36_3_1)

    @property
    def publicity_cap_months(self) -> int:
        return PUBLICITY_CAP_MONTHS[self.listing_severity]

    def to_dict(self) -> dict[str, object]:
        return {
            "in_force_from": self.in_force_from.isoformat(),
            "in_force_citation": NDRC_36_IN_FORCE.to_dict(),
            "listing_severity": self.listing_severity.value,
            "listing_severity_label_zh": self.listing_severity.label_zh,
            "severity_citations": [c.to_dict() for c in self.severity_citations],
            "publicity_cap_months": self.publicity_cap_months,
            "publicity_cap_citation": GB_22_2.to_dict(),
            "publicity_before": self.publicity_before.to_dict(),
            "repair_citations": [c.to_dict() for c in self.repair_citations],
        }


def national_rules(publicity_before: Parameter) -> NationalRules:
    """The national rules over the Linzi listing scheme: its listings are minor dishonesty."""
    return NationalRules(
        in_force_from=NATIONAL_RULES_FROM,
        listing_severity=Severity.MINOR,
        severity_citations=(LZ_PREAMBLE_MINOR, LZ_5_1_2_SHORT_OF_PENALTY, GB_22_2),
        publicity_before=publicity_before,
    )


def publicity_months(profile: Profile, published_on: date) -> int | None:
    """The publicity period of a listing published on ``published_on`` under ``profile``:
    the national one from the date of effect, the local text's before it."""
    national = profile.national
    if national is not None and published_on < national.in_force_from:
        return national.publicity_before.value
    return profile.publicity_period_months


class PublicityOverNationalCap(ValueError):
    """A profile applying the national rules publishes longer than its class allows."""

    def __init__(self, profile: str, months: int, cap: int, severity: Severity) -> None:
        self.profile = profile
        self.months = months
        self.cap = cap
        super().__init__(
            f"rule profile {profile!r} refused: publicity period of {months} months exceeds "
            f"the cap of {cap} months for {severity.label_zh}失信信息 ({GB_22_2.label}: "
            f"“{GB_22_2.text_zh}”)"
        )


def check_publicity_cap(profile: Profile) -> None:
    """Refuse a profile applying the national rules whose publicity period exceeds the cap
    of its listings' class (国办发〔2025〕22号 §二)."""
    national = profile.national
    months = profile.publicity_period_months
    if national is None or months is None:
        return
    if months > national.publicity_cap_months:
        raise PublicityOverNationalCap(
            profile.name, months, national.publicity_cap_months, national.listing_severity
        )


def check_profiles(profiles: Iterable[Profile]) -> None:
    """Start-up check of every profile the service knows (:func:`check_publicity_cap`)."""
    for profile in profiles:
        check_publicity_cap(profile)
