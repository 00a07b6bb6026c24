"""取消限制 on application (DZ art. 15 ¶2): which listings a profile lets be lifted early.

DZ art. 15 ¶2 lifts "相关便利化服务" restricted under ¶1, which restricts an applicant
"有不实承诺或者不履行承诺的": a restriction for a false or unfulfilled commitment. A
listing arises from a commitment when its situation is one of the commitment's
(``tolerance_unfulfilled``: 容缺受理 not supplemented; ``commitment_untrue``: 告知承诺
not met), or when false materials were given under a commitment, whose content includes
"提供的材料真实有效" (DZ art. 9 ¶1): then the false materials are an untrue commitment.
Every other listing (identity fraud, false materials without a commitment, other
dishonesty) ends at its period's end or on an application for repair (LZ §5(1)5), not
by early lifting. A profile names its scope, so it never extends the article silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.rules.citations import DZ_9_1, DZ_15_1, DZ_15_2, Basis, Citation


@dataclass(frozen=True, slots=True)
class LiftingScope:
    """The listings that may be lifted early: ``situations`` always (they arise from a
    commitment by definition), ``under_commitment`` only when the listing arose from one
    (its ``commitment_id`` is set)."""

    situations: frozenset[str]
    under_commitment: frozenset[str]
    citation: Citation
    description_zh: str
    description_en: str
    basis: Basis = Basis.REGULATION
    also_cites: tuple[Citation, ...] = ()

    def covers(self, situation: str, from_commitment: bool) -> bool:
        """Whether a listing of ``situation`` may be lifted early under this scope."""
        return situation in self.situations or (
            from_commitment and situation in self.under_commitment
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "situations": sorted(self.situations),
            "under_commitment": sorted(self.under_commitment),
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
            "also_cites": [c.to_dict() for c in self.also_cites],
            "description_zh": self.description_zh,
            "description_en": self.description_en,
        }


COMMITMENT_LISTINGS: Final = LiftingScope(
    situations=frozenset({"tolerance_unfulfilled", "commitment_untrue"}),
    under_commitment=frozenset({"false_materials"}),
    citation=DZ_15_1,
    description_zh="可申请提前取消限制的，仅限因不实承诺或者不履行承诺受到的限制（第十五条第一款）："
    "容缺受理未补齐、告知承诺达不到承诺内容，以及在承诺下提供虚假材料"
    "（承诺内容包括“提供的材料真实有效”，第九条第一款）。其他失信制约于管理期限届满或者"
    "申请信用修复时结束。",
    description_en="Early lifting covers only restrictions for a false or unfulfilled "
    "commitment (DZ art. 15 ¶1): tolerance not supplemented, notify-commit not met, and "
    "false materials given under a commitment (whose content includes 'the materials "
    "provided are true and valid', DZ art. 9 ¶1). Other listings end at their period's "
    "end or on an application for repair.",
    also_cites=(DZ_15_2, DZ_9_1),
)
