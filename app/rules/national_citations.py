"""National rules cited by credit repair on application (信用修复申请), verbatim:

- ``国家发展改革委令第36号``: 信用修复管理办法 (in force 2026-04-01), by article and
  paragraph: "国家发展改革委令第36号 art. 3 ¶1".
- ``国办发〔2025〕22号``: 关于进一步完善信用修复制度的实施方案, by section: "国办发〔2025〕22号
  art. 二".

The sources' names and titles are in :mod:`app.rules.citations`.
"""

from __future__ import annotations

from typing import Final

from app.rules.citations import GB_2025_22, NDRC_36, Citation

NDRC_36_2_RIGHT: Final = Citation(
    NDRC_36,
    "2",
    None,
    "信用主体依法享有信用修复的权利。除法律、法规或党中央、国务院政策文件明确规定不可修复的"
    "情形外，满足相关条件的信用主体均可按要求申请信用修复。",
)

NDRC_36_3_REPAIR: Final = Citation(
    NDRC_36,
    "3",
    "1",
    "本办法所称的信用修复，是指信用主体为积极改善自身信用状况，在纠正失信行为、履行相关义务后，"
    "有关方面按照规定终止公示、停止共享和使用失信信息，同步依法依规解除失信惩戒措施的活动。",
)

NDRC_36_3_PUBLICATION: Final = Citation(
    NDRC_36,
    "3",
    "2",
    "本办法所称的终止公示，是指信用主体完成信用修复后，包括“信用中国”网站在内的各领域信用"
    "信息系统不再公开信用主体的已修复失信信息。",
)

NDRC_36_3_SHARING: Final = Citation(
    NDRC_36,
    "3",
    "3",
    "本办法所称的停止共享和使用，是指信用主体完成信用修复后，全国信用信息共享平台、“信用中国”"
    "网站停止向相关行业主管部门、地方政府和第三方信用服务机构共享已修复的失信信息并更新信用"
    "主体的信用状态。有关方面应当更新信用评价结果，依法依规解除相关失信惩戒措施。",
)

GB_2025_22_2_MINOR: Final = Citation(
    GB_2025_22,
    "二",
    None,
    "轻微失信信息可以不予公示或法定责任义务履行完毕即可申请修复，确有必要公示的，公示期最长为3个月",
)
