"""Matters excluded from credit facilitation (DZ art. 2 ¶2); ``app.rules.profiles`` names
the categories each profile excludes."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class HighRiskCategory(StrEnum):
    """Matters excluded from credit facilitation (DZ art. 2 ¶2)."""

    NATIONAL_SECURITY = "national_security"
    STATE_SECRETS = "state_secrets"
    PUBLIC_SAFETY = "public_safety"
    FINANCIAL_PRUDENTIAL_SUPERVISION = "financial_prudential_supervision"
    ECOLOGICAL_ENVIRONMENTAL_PROTECTION = "ecological_environmental_protection"
    PERSONAL_HEALTH_LIFE_PROPERTY = "personal_health_life_property"
    MAJOR_FOREIGN_AFFAIRS = "major_foreign_affairs"

    @property
    def label_zh(self) -> str:
        return _CATEGORY_LABELS_ZH[self]


_CATEGORY_LABELS_ZH: Final[dict[HighRiskCategory, str]] = {
    HighRiskCategory.NATIONAL_SECURITY: "国家安全",
    HighRiskCategory.STATE_SECRETS: "国家秘密",
    HighRiskCategory.PUBLIC_SAFETY: "公共安全",
    HighRiskCategory.FINANCIAL_PRUDENTIAL_SUPERVISION: "金融业审慎监管",
    HighRiskCategory.ECOLOGICAL_ENVIRONMENTAL_PROTECTION: "生态环境保护",
    HighRiskCategory.PERSONAL_HEALTH_LIFE_PROPERTY: "人身健康、生命财产安全",
    HighRiskCategory.MAJOR_FOREIGN_AFFAIRS: "重要涉外",
}
