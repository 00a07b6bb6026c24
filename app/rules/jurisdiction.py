"""Jurisdiction (适用范围): where each regime applies, and where a listing's effects reach.

- The Dezhou measures apply to the agencies 本市行政区域内 (DZ art. 2 ¶1): region codes
  3714xx. Their one effect on a breach is DZ art. 15 ¶1: an applicant with a false or
  unfulfilled commitment (不实承诺或者不履行承诺) loses 容缺受理、告知承诺等便利化服务.
- The Linzi scheme applies 临淄区范围内 (LZ §3): region code 370305. A listing made under
  it has the effects of LZ §5(2) (every situation of LZ §5(1)2) and is published (公示,
  LZ §5(1)5).
- A listing's effects apply within the jurisdiction of the regime that made it: a Linzi
  listing restricts Linzi facilitation only, a Dezhou restriction Dezhou facilitation only.
  A profile covering both regimes (the combined profile, a deployment choice) applies both.

Situations are named by their values (``app.rules.restrictions.Situation``), which imports
the profiles this module serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.rules.citations import (
    DZ_2_1,
    DZ_15_1,
    LZ_3_AREA,
    LZ_5_1_5_REPAIR,
    LZ_5_2_1,
    LZ_5_2_2,
    LZ_5_2_3,
    Citation,
)


class Regime(StrEnum):
    """A regulation and the territory it governs."""

    DZ = "DZ"  # 德州市政务服务信用信息应用办法
    LZ = "LZ"  # 临淄区政务服务"失信制约"制度实施方案


class Effect(StrEnum):
    """What a listing does, and where."""

    FACILITATION = "facilitation"  # no credit facilitation (便利化服务)
    PUBLIC_LIST = "public_list"  # 公示 on the public list
    PLATFORM_PUSH = "platform_push"  # 推送至淄博市政务服务平台; 重点核查对象
    RATING_FEEDBACK = "rating_feedback"  # 评定信用等级、评先评优征求意见时予以反馈


@dataclass(frozen=True, slots=True)
class Area:
    """The territory of one regime, by GB/T 2260 region-code prefix."""

    regime: Regime
    region_prefix: str
    name_zh: str
    citation: Citation

    def covers(self, region_code: str) -> bool:
        return region_code.startswith(self.region_prefix)

    def to_dict(self) -> dict[str, object]:
        return {
            "regime": self.regime.value,
            "region_prefix": self.region_prefix,
            "name_zh": self.name_zh,
            "citation": self.citation.to_dict(),
        }


DEZHOU_AREA: Final = Area(Regime.DZ, "3714", "德州市行政区域", DZ_2_1)
LINZI_AREA: Final = Area(Regime.LZ, "370305", "临淄区范围", LZ_3_AREA)

# DZ art. 15 ¶1: 不实承诺 (a notify-commit found untrue, DZ art. 13 ¶2) and 不履行承诺
# (a tolerance case never supplemented, DZ art. 13 ¶1). Situation values.
DZ_COMMITMENT_SITUATIONS: Final = frozenset({"commitment_untrue", "tolerance_unfulfilled"})


@dataclass(frozen=True, slots=True)
class EffectRule:
    """One effect of a regime's listing; ``situations`` None: every situation."""

    regime: Regime
    effect: Effect
    situations: frozenset[str] | None
    citation: Citation
    description_zh: str
    description_en: str

    def applies_to(self, situation: str) -> bool:
        return self.situations is None or situation in self.situations

    def to_dict(self) -> dict[str, object]:
        return {
            "regime": self.regime.value,
            "effect": self.effect.value,
            "situations": sorted(self.situations) if self.situations is not None else None,
            "citation": self.citation.to_dict(),
            "description_zh": self.description_zh,
            "description_en": self.description_en,
        }


EFFECT_RULES: Final[tuple[EffectRule, ...]] = (
    EffectRule(
        Regime.LZ,
        Effect.FACILITATION,
        None,
        LZ_5_2_1,
        "临淄方案列入的失信制约名单：在临淄区范围内不享受绿色通道、容缺受理、告知承诺等便民惠企措施。",
        "A Linzi listing (any situation): no green channel, tolerance or notify-commit in Linzi.",
    ),
    EffectRule(
        Regime.LZ,
        Effect.PUBLIC_LIST,
        None,
        LZ_5_1_5_REPAIR,
        "临淄方案的名单在管理期内公示，修复后屏蔽公示信息。",
        "A Linzi listing is on the public list while effective; shielded on repair.",
    ),
    EffectRule(
        Regime.LZ,
        Effect.PLATFORM_PUSH,
        None,
        LZ_5_2_2,
        "临淄方案的名单推送至淄博市政务服务平台及事中事后监管部门，列为重点核查对象。",
        "A Linzi listing is pushed to the Zibo platform and to supervision: a key inspection "
        "target.",
    ),
    EffectRule(
        Regime.LZ,
        Effect.RATING_FEEDBACK,
        None,
        LZ_5_2_3,
        "临淄方案的名单在评定信用等级、评先评优征求意见时予以反馈。",
        "A Linzi listing is reported when credit ratings or awards are consulted on.",
    ),
    EffectRule(
        Regime.DZ,
        Effect.FACILITATION,
        DZ_COMMITMENT_SITUATIONS,
        DZ_15_1,
        "德州办法：不实承诺或者不履行承诺的，在本市行政区域内限制享受容缺受理、告知承诺等便利化服务；"
        "其他情形不限制。办法未规定公示、推送或重点核查。",
        "Dezhou: a false or unfulfilled commitment restricts tolerance and notify-commit within "
        "Dezhou; no other situation restricts. The measures set no publication, push or "
        "key inspection.",
    ),
)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where a profile applies: the areas of its regimes. ``deployment_choice``: a profile
    combining regimes, applied where a deployment chooses it rather than by territory."""

    areas: tuple[Area, ...]
    deployment_choice: bool = False

    @property
    def regimes(self) -> frozenset[Regime]:
        return frozenset(a.regime for a in self.areas)

    def covers(self, region_code: str) -> bool:
        """May a department of ``region_code`` apply this profile?"""
        return self.deployment_choice or any(a.covers(region_code) for a in self.areas)

    @property
    def effect_rules(self) -> tuple[EffectRule, ...]:
        return tuple(r for r in EFFECT_RULES if r.regime in self.regimes)

    def to_dict(self) -> dict[str, object]:
        return {
            "regimes": [r.value for r in Regime if r in self.regimes],
            "areas": [a.to_dict() for a in self.areas],
            "deployment_choice": self.deployment_choice,
            "listing_effects": [r.to_dict() for r in self.effect_rules],
        }


def listing_effect(
    effect: Effect,
    situation: str,
    made_under: Jurisdiction,
    applied_under: Jurisdiction | None = None,
) -> EffectRule | None:
    """The rule by which a listing of ``situation`` made under ``made_under`` has
    ``effect`` where ``applied_under`` applies (a matter's agency); None when it has not.

    Only the regimes both share count: a listing's effects stay within the jurisdiction
    of the regime that made it. Without ``applied_under`` (the public list, the push to
    the platform), the listing's own regimes decide."""
    regimes = made_under.regimes
    if applied_under is not None:
        regimes = regimes & applied_under.regimes
    for rule in EFFECT_RULES:
        if rule.regime in regimes and rule.effect is effect and rule.applies_to(situation):
            return rule
    return None


def same_scheme(a: Jurisdiction, b: Jurisdiction) -> bool:
    """Do listings made under ``a`` and ``b`` belong to one scheme (a shared regime)? Only
    such a listing restarts another's management period (LZ §5(1)5)."""
    return bool(a.regimes & b.regimes)
