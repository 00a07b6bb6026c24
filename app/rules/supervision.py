"""The regulator's work (DZ art. 12) and the order it leads to (DZ art. 13 ¶2).

- Which commitments a regulator (行业主管部门) supervises: those of a matter exempt from
  verification, under routine supervision (日常监管, DZ art. 12 ¶2); and, where agency and
  regulator differ, those of a matter whose verification content the catalog puts under
  in-process supervision (事中事后监管, DZ art. 12 ¶1).
- :data:`RECTIFICATION_ORDER_DZ`: within how long of a nonconforming supervision feedback
  the agency issues the order to rectify. DZ art. 13 ¶2 says the agency 应当责令其限期整改
  and sets no time for the order itself: a deployment choice bounded by it, carried by
  the profiles that apply the Dezhou measures to commitments.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from app.rules.citations import DZ_12_1, DZ_12_2, DZ_13_2, Citation
from app.rules.jurisdiction import Regime
from app.rules.periods import Unit
from app.rules.profiles import (
    Basis,
    Parameter,
    ParameterName,
    ParameterNotInProfile,
    Profile,
)

RECTIFICATION_ORDER: Final = ParameterName.RECTIFICATION_ORDER

RECTIFICATION_ORDER_DZ: Final = Parameter(
    RECTIFICATION_ORDER,
    3,
    Unit.WORKING_DAYS,
    DZ_13_2,
    "行业主管部门反馈申请人实际情况与承诺内容不符的，政务服务实施机关应当责令其限期整改"
    "（DZ第十三条第二款）。办法未规定作出责令的期限：自反馈之日起3个工作日内作出责令"
    "为本系统的部署选择（反馈当日不计入），受该款约束。",
    "When the regulator feeds back that the applicant's situation does not match the "
    "commitment, the agency orders rectification within a time limit (DZ art. 13 ¶2). The "
    "measures set no time for issuing the order: within 3 working days of the feedback "
    "(its day not counted) is a deployment choice bounded by that paragraph.",
    Basis.DEPLOYMENT_CHOICE,
    (DZ_12_1,),
)


class SupervisionBasis(StrEnum):
    """Why a commitment is the regulator's: 日常监管 (DZ art. 12 ¶2) or 事中事后监管 (¶1)."""

    ROUTINE = "routine"
    IN_PROCESS = "in_process"

    @property
    def citation(self) -> Citation:
        return DZ_12_2 if self is SupervisionBasis.ROUTINE else DZ_12_1


def supervision_basis(
    *, exempt: bool, in_process: bool, agency: str, regulator: str
) -> SupervisionBasis | None:
    """The regulator's ground for a decided commitment: an exempt matter goes to routine
    supervision whoever the regulator is (¶2); in-process supervision of the verification
    content is the regulator's where agency and regulator differ (¶1)."""
    if exempt:
        return SupervisionBasis.ROUTINE
    if in_process and agency != regulator:
        return SupervisionBasis.IN_PROCESS
    return None


def supervision_parameters(profile: Profile) -> tuple[Parameter, ...]:
    """The parameters of ``profile`` this module adds: those of the Dezhou measures."""
    return (RECTIFICATION_ORDER_DZ,) if Regime.DZ in profile.jurisdiction.regimes else ()


def supervision_parameter(profile: Profile, name: ParameterName) -> Parameter:
    for parameter in supervision_parameters(profile):
        if parameter.name is name:
            return parameter
    raise ParameterNotInProfile(profile.name, name)
