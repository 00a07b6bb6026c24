"""National rules cited by credit repair on application (信用修复申请), verbatim:

- ``国家发展改革委令第36号``: 信用修复管理办法 (in force 2026-04-01), by article and
  paragraph: "国家发展改革委令第36号 art. 3 ¶1".
- ``国办发〔2025〕22号``: 关于进一步完善信用修复制度的实施方案, by section: "国办发〔2025〕22号
  §二".

The sources' names, titles and documents are in :mod:`app.rules.citations`, with the
national profile's citations (its "national rules" block); those this module shares with
them are the same objects.
"""

from __future__ import annotations

from typing import Final

from app.rules.citations import GB_22_2, NDRC_36, NDRC_36_2, NDRC_36_3_1, Citation

# The article and section the national profile cites too (app.rules.citations).
NDRC_36_2_RIGHT: Final = NDRC_36_2
NDRC_36_3_REPAIR: Final = NDRC_36_3_1
GB_2025_22_2_MINOR: Final = GB_22_2

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
