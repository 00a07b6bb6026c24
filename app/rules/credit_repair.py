"""信用修复申请: national credit repair on application, beside the automatic repair at
the period end (LZ §5(1)5) and early lifting (DZ art. 15).

- Who may apply, and when: a listing of the Linzi scheme is minor dishonesty
  (轻微失信); under 国办发〔2025〕22号 §二 such information "法定责任义务履行完毕即可申请
  修复", so on every profile that runs the Linzi listing procedure the subject may apply
  while the listing is effective, before the period end too (:func:`on_application`).
- What to file: proof that the obligations are fulfilled and a 信用承诺书
  (:data:`REQUIRED_MATERIALS`); the service checks them at filing and names every missing
  one in one notice (一次性告知); the application then waits for them.
- When to decide: :data:`CREDIT_REPAIR_DECISION_NATIONAL`, counted from acceptance.
- What repair is (国家发展改革委令第36号 art. 3): 终止公示, 停止共享和使用, and 同步解除
  失信惩戒措施, all on the decision day.

The working-day limits for accepting and deciding were not confirmed from a clean copy
of either national text: the decision limit is a deployment choice saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.rules.citations import Citation
from app.rules.national_citations import (
    GB_2025_22_2_MINOR,
    NDRC_36_2_RIGHT,
    NDRC_36_3_PUBLICATION,
    NDRC_36_3_REPAIR,
    NDRC_36_3_SHARING,
)
from app.rules.periods import Unit
from app.rules.profiles import Basis, Parameter, ParameterName, ParameterNotInProfile, Profile

CREDIT_REPAIR_DECISION: Final = ParameterName.CREDIT_REPAIR_DECISION

CREDIT_REPAIR_DECISION_NATIONAL: Final = Parameter(
    CREDIT_REPAIR_DECISION,
    5,
    Unit.WORKING_DAYS,
    NDRC_36_3_REPAIR,
    "信用修复申请材料齐全的，认定部门（谁认定、谁修复）自受理之日起5个工作日内作出是否予以"
    "修复的决定并说明理由。国家发展改革委令第36号及国办发〔2025〕22号规定的受理、办理时限"
    "未能从可核对的文本中逐字确认：5个工作日为部署选择，不短于国家规定时请按其调整。",
    "With complete materials the collecting department (谁认定、谁修复) decides within 5 "
    "working days of acceptance, with reasons. The acceptance and decision limits of "
    "NDRC order 36 and 国办发〔2025〕22号 could not be confirmed verbatim from a checkable "
    "copy: 5 working days is a deployment choice; set it to the national limit where "
    "that is shorter.",
    Basis.DEPLOYMENT_CHOICE,
    (GB_2025_22_2_MINOR,),
)


class Material(StrEnum):
    """申请材料 of a credit repair application."""

    FULFILMENT_PROOF = "fulfilment_proof"  # 法定责任义务履行完毕的证明材料
    COMMITMENT_LETTER = "commitment_letter"  # 信用承诺书

    @property
    def label_zh(self) -> str:
        return _MATERIAL_ZH[self]


_MATERIAL_ZH: Final = {
    Material.FULFILMENT_PROOF: "法定责任义务履行完毕（失信行为已纠正）的证明材料",
    Material.COMMITMENT_LETTER: "信用承诺书（由本系统生成，当事人签字或盖章）",
}

REQUIRED_MATERIALS: Final[tuple[Material, ...]] = (
    Material.FULFILMENT_PROOF,
    Material.COMMITMENT_LETTER,
)


@dataclass(frozen=True, slots=True)
class OnApplication:
    """Whether, and from when, a listing may be repaired on application."""

    applies: bool
    before_period_end: bool
    citation: Citation
    basis: Basis
    description_en: str

    def to_dict(self) -> dict[str, object]:
        return {
            "applies": self.applies,
            "before_period_end": self.before_period_end,
            "materials": [{"code": m.value, "label_zh": m.label_zh} for m in REQUIRED_MATERIALS],
            "repair_means": [
                NDRC_36_3_PUBLICATION.to_dict(),
                NDRC_36_3_SHARING.to_dict(),
            ],
            "right": NDRC_36_2_RIGHT.to_dict(),
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
            "description_en": self.description_en,
        }


_MINOR: Final = OnApplication(
    applies=True,
    before_period_end=True,
    citation=GB_2025_22_2_MINOR,
    basis=Basis.REGULATION,
    description_en="Linzi listings are minor dishonesty: once the obligations are "
    "fulfilled the subject may apply for repair, before the period end too.",
)
_NONE: Final = OnApplication(
    applies=False,
    before_period_end=False,
    citation=NDRC_36_2_RIGHT,
    basis=Basis.REGULATION,
    description_en="No listing procedure, no listing to repair on application.",
)


def on_application(profile: Profile) -> OnApplication:
    """Repair on application applies with the Linzi listing procedure (minor dishonesty)."""
    return _MINOR if profile.listing_procedure else _NONE


def credit_repair_parameter(profile: Profile) -> Parameter:
    if not profile.listing_procedure:
        raise ParameterNotInProfile(profile.name, CREDIT_REPAIR_DECISION)
    return CREDIT_REPAIR_DECISION_NATIONAL


def missing_materials(provided: set[Material] | frozenset[Material]) -> tuple[Material, ...]:
    """Every required material not provided, in the order of the list (一次性告知)."""
    return tuple(m for m in REQUIRED_MATERIALS if m not in provided)


# 救济途径 named in a refusal. The national texts' own wording on 申诉/复核 could not be
# confirmed verbatim here: the remedy is stated in general terms (复核 by the deciding
# department, then the ordinary administrative remedies), a deployment choice.
REFUSAL_REMEDY_ZH: Final = (
    "对本决定有异议的，可以向作出决定的部门申请复核（申诉）；"
    "也可以依法申请行政复议或者提起行政诉讼。不予修复的，失信信息继续有效，"
    "当事人纠正失信行为、履行相关义务后可以再次申请信用修复。"
)
