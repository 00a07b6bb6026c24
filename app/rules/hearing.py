"""陈述申辩 as a hearing, 申诉 after the window, and the mark of a breach referred for a
penalty (LZ §2, §5(1)2, §5(1)4-5; DZ art. 16). Pure: values in, a decision out.

- A statement (陈述申辩) may contest the facts, the legal basis or the proportionality of
  the intended listing (LZ §5(1)4 "听取其陈述申辩意见"): its grounds are recorded, and the
  review (复核) upholds, overturns or amends. An amendment corrects a fact or shortens the
  management period where another rule allows it (LZ §5(1)5 "有关法律法规规章对管理期限
  另有规定的，依照其规定执行"): the shorter period names that rule.
- After the objection window, the subject's complaint (申诉, LZ §2 "异议申诉") that an
  entry is wrong starts the department's duty to correct or remove it within 2 working
  days (LZ §5(1)4 "发现信息有误或者发生变更时，应当在2个工作日内通过原途径予以修改或
  移除"), closed by a correction or a reasoned rejection.
- The list is for dishonesty short of a penalty (LZ §5(1)2 "尚不构成行政处罚"; "未达到
  行政处罚"). A breach marked for an administrative penalty or referred to the judicial
  organs (DZ art. 16 ¶1) proposes no listing, and a listing not yet published is withdrawn
  for it. A published listing is not withdrawn by the mark: the change (发生变更) gives the
  department the 2-working-day duty to correct or remove it, which the department decides
  (the service records the mark, it does not decide the penalty).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from app.rules.citations import (
    DZ_16_1,
    LZ_2_APPEAL,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_HEARING,
    LZ_5_1_5_OTHER_PERIOD,
    Citation,
)
from app.rules.lifecycles.guards import Refusal
from app.rules.periods import Deadline, add_months


class ObjectionGround(StrEnum):
    """What a statement contests (陈述申辩的理由)."""

    FACTS = "facts"  # 事实认定
    LEGAL_BASIS = "legal_basis"  # 认定依据
    PROPORTIONALITY = "proportionality"  # 处理是否适当（期限等）


class ReferralKind(StrEnum):
    """A breach taken beyond the list (DZ art. 16 ¶1)."""

    ADMINISTRATIVE_PENALTY = "administrative_penalty"  # 构成行政处罚的，依法给予行政处罚
    JUDICIAL = "judicial"  # 涉嫌犯罪的，依法移送司法机关

    @property
    def label_zh(self) -> str:
        return _REFERRAL_LABELS_ZH[self]

    @property
    def citation(self) -> Citation:
        return DZ_16_1


_REFERRAL_LABELS_ZH: Final[dict[ReferralKind, str]] = {
    ReferralKind.ADMINISTRATIVE_PENALTY: "依法给予行政处罚",
    ReferralKind.JUDICIAL: "涉嫌犯罪，依法移送司法机关",
}


class DutyOrigin(StrEnum):
    """What started a correction duty (更正义务)."""

    COMPLAINT = "complaint"  # 申诉: the subject says an entry is wrong (LZ §2)
    REFERRAL = "referral"  # 发生变更: a published listing's breach was referred (DZ art. 16)


DUTY_CITATIONS: Final[dict[DutyOrigin, Citation]] = {
    DutyOrigin.COMPLAINT: LZ_2_APPEAL,
    DutyOrigin.REFERRAL: LZ_5_1_4_CORRECTION,
}

HEARING: Final = LZ_5_1_4_HEARING
OTHER_PERIOD: Final = LZ_5_1_5_OTHER_PERIOD


@dataclass(frozen=True, slots=True)
class PeriodAmendment:
    """A listing's own management period set by another rule, and that rule."""

    months: int
    basis: str


def period_amendment_refusal(current_months: int | None, requested: int) -> Refusal | None:
    """A review may only shorten the period, and only where the listing has one; the rule
    that sets it is required by the schema (LZ §5(1)5)."""
    if current_months is None:
        return Refusal(
            "listing_has_no_period",
            "The profile sets no management period to shorten.",
            LZ_5_1_5_OTHER_PERIOD,
        )
    if not 1 <= requested < current_months:
        return Refusal(
            "amended_period_not_shorter",
            f"An amended period is at least 1 month and shorter than {current_months}.",
            LZ_5_1_5_OTHER_PERIOD,
        )
    return None


def own_period_end(published_on: date, months: int) -> Deadline:
    """The end of a listing's own period, set by another rule (LZ §5(1)5): ``months``
    from publication (民法典 arts. 201-202), never moved for a holiday."""
    deadline = add_months(published_on, months)
    return dataclasses.replace(deadline, citation=(*deadline.citation, LZ_5_1_5_OTHER_PERIOD))
