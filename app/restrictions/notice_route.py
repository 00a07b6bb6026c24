"""两书同达: the repair route printed on the listing notice (告知书), so that the subject
learns how to repair their credit with the decision that lists them.

The route names the conditions, the materials, where to apply, the time limits and that
repair is free. Each sentence is built from the profile the listing is made under and the
citations it rests on:

- conditions: LZ §5(1)5 (rectified within the period and nothing new: repaired at its end);
  under the national rules also 国办发〔2025〕22号 §二 (minor dishonesty: 法定责任义务履行完毕
  即可申请修复) and 国家发展改革委令第36号 art. 2 (repair is a right) and art. 3 ¶1 (what
  repair does);
- materials: the proof of the situation (app.rules.repair ``RECTIFICATION_LZ``);
- where: the collecting department (谁采集、谁告知, LZ §5(1)4), its name and telephone;
- time limits: the profile's ``repair_decision`` and ``repair_notice`` parameters;
- free: a statement of this deployment (:data:`FREE_OF_CHARGE_BASIS`). The stored copies
  of 22号 and 36号令 do not let the clause be confirmed, so no article is cited for it.
"""

from __future__ import annotations

from typing import Final

from app.documents.pdf import day_zh
from app.rules.citation_zh import cite_zh, join_zh
from app.rules.citations import LZ_5_1_4_NOTICE, LZ_5_1_5_REPAIR, Basis
from app.rules.national_citations import GB_2025_22_2_MINOR
from app.rules.profiles import Profile
from app.rules.repair import REPAIR_DECISION, REPAIR_NOTICE, rectification_rule, repair_parameters

FREE_OF_CHARGE_ZH: Final = (
    "信用修复不收取任何费用，只通过政务服务部门的官方渠道办理。任何声称可以付费“洗白”信用、"
    "代办信用修复的中介均非官方渠道，请勿轻信，谨防诈骗。"
)
FREE_OF_CHARGE_BASIS: Final = Basis.DEPLOYMENT_CHOICE  # no confirmed article; see above


def repair_route(
    profile: Profile, situation: str, department: str, phone: str | None
) -> tuple[str, ...]:
    """The paragraphs of the notice's repair route, in order: conditions, materials, where
    to apply, time limits, free of charge."""
    period = profile.management_period_months
    conditions = (
        f"修复条件：列入失信制约名单的管理期限为{period}个月，自公布之日起计算；管理期内原失信行为已"
        "整改且无新的失信行为的，期满后信用自行修复，从名单中移除，屏蔽公示信息"
        f"（{cite_zh(LZ_5_1_5_REPAIR)}）。"
        if period is not None
        else "修复条件：积极履行义务并完成整改后，可以申请取消限制。"
    )
    national = profile.national
    if national is not None:
        cap = national.publicity_cap_months
        conditions += (
            f"本名单属轻微失信信息：自{day_zh(national.in_force_from)}起公布的，公示期限为"
            f"{cap}个月，公示期满后不再公示，但管理期内仍不享受便民惠企措施；法定责任义务履行"
            f"完毕即可申请修复（{cite_zh(GB_2025_22_2_MINOR)}）。信用主体依法享有信用修复的权利；"
            "修复后终止公示、停止共享和使用失信信息，同步解除失信惩戒措施"
            f"（{join_zh(national.repair_citations)}）。"
        )
    rule = rectification_rule(profile, situation)
    materials = "申请材料：" + (
        rule.how_to_prove_zh if rule is not None else "已履行义务、完成整改的证明材料。"
    )
    where = (
        f"申请途径：向认定部门{department}提出，可现场提交或邮寄书面材料"
        + (f"，咨询电话{phone}" if phone else "")
        + f"（谁采集、谁告知，{cite_zh(LZ_5_1_4_NOTICE)}）。"
    )
    limits = [
        f"{p.description_zh.split('。')[0]}（{cite_zh(p.citation)}"
        + ("，部署选择" if p.basis is Basis.DEPLOYMENT_CHOICE else "")
        + "）。"
        for p in repair_parameters(profile)
        if p.name in (REPAIR_NOTICE, REPAIR_DECISION)
    ]
    time_limits = "办理时限：" + ("".join(limits) or "认定部门接到申请后及时核实。")
    return (conditions, materials, where, time_limits, FREE_OF_CHARGE_ZH)
