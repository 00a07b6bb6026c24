"""The commitment register (信用承诺记录) in the national shape: what each commitment is
recorded as, who may see it, and how far it was kept.

Sources. DZ art. 9 ¶2 ("申请人履行承诺情况记入信用记录") and DZ art. 14 ("依法采集、客观
记录申请人履行承诺情况，并向公共信用信息平台报送") require the fulfilment to be recorded
and reported. 国办发〔2020〕42号 (《关于全面推行证明事项和涉企经营许可事项告知承诺制的
指导意见》) is the national frame of 证明事项 and 涉企经营许可 commitments; 国办发〔2019〕35号
as summarised by the credit press names the kinds of 信用承诺: 审批型 (审批替代、容缺办理、
证明事项告知承诺), 主动公示型 and 修复型. No text found sets the number's shape, the
disclosure classes' default or the fulfilment labels' boundaries: each is a
``deployment_choice`` below (:data:`REGISTER_READINGS`, listed by the profiles), with the
sentence it works within.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from app.rules.citations import DZ_9_1, DZ_9_2, DZ_13_1, DZ_13_2, DZ_14, Basis
from app.rules.readings import Reading, ReadingName

# --- the number ---------------------------------------------------------------------

SERIAL_DIGITS: Final = 6
NUMBER_PATTERN: Final = r"^\d{6}-\d{8}-\d{6}$"
_REGION: Final = re.compile(r"^(\d{6})-")


def region_of(department_code: str) -> str:
    """The 6-digit administrative division (GB/T 2260) of a department code such as
    ``371400-SPJ``: the region of the commitment's accepting unit."""
    match = _REGION.match(department_code)
    if match is None:
        raise ValueError(f"department code {department_code!r} has no region")
    return match.group(1)


def commitment_number(region: str, signed_on: date, serial: int) -> str:
    """``371400-20261201-000123``: region, signing day (YYYYMMDD), serial of that region
    and day (from 1; a number once given is never given again, and gaps are allowed)."""
    if not 1 <= serial < 10**SERIAL_DIGITS:
        raise ValueError(f"serial {serial} out of range")
    return f"{region}-{signed_on:%Y%m%d}-{serial:0{SERIAL_DIGITS}d}"


# --- the type -------------------------------------------------------------------------


class CommitmentType(StrEnum):
    """信用承诺类型."""

    TOLERANCE = "tolerance"  # 容缺受理承诺 (DZ art. 7 ¶2)
    NOTIFY_COMMIT = "notify_commit"  # 告知承诺（证明事项、涉企经营许可） (DZ art. 7 ¶3)
    CREDIT_REPAIR = "credit_repair"  # 信用修复承诺 (修复型)
    VOLUNTARY = "voluntary"  # 主动公示型信用承诺

    @property
    def label_zh(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS: Final = {
    CommitmentType.TOLERANCE: "容缺受理",
    CommitmentType.NOTIFY_COMMIT: "告知承诺（证明事项、涉企经营许可）",
    CommitmentType.CREDIT_REPAIR: "信用修复",
    CommitmentType.VOLUNTARY: "主动公示",
}


def type_of_mode(mode: str) -> CommitmentType:
    """The type of a case commitment from its mode (容缺受理 or 告知承诺)."""
    return CommitmentType(mode)


# --- disclosure ---------------------------------------------------------------------


class Disclosure(StrEnum):
    """公开范围 of a commitment record."""

    PUBLIC = "public"  # 可向社会公开: on the public list (信用承诺公示)
    RESTRICTED = "restricted"  # 特定范围公开: departments and the subject only
    UNDISCLOSED = "undisclosed"  # 不公开: the accepting unit and its supervisors only

    @property
    def label_zh(self) -> str:
        return _DISCLOSURE_LABELS[self]


_DISCLOSURE_LABELS: Final = {
    Disclosure.PUBLIC: "可向社会公开",
    Disclosure.RESTRICTED: "特定范围公开",
    Disclosure.UNDISCLOSED: "不公开",
}
PERSON: Final = "person"


def default_disclosure(subject_type: str) -> Disclosure:
    """The class a commitment gets when the accepting unit names none: an organisation's
    commitment may be published (its name and code are public by law); a natural
    person's is shared within the specific range only, so that no person appears on a
    public list without the accepting unit having chosen so on the letter they signed."""
    return Disclosure.RESTRICTED if subject_type == PERSON else Disclosure.PUBLIC


# --- fulfilment -------------------------------------------------------------------------


class Fulfilment(StrEnum):
    """履约状态."""

    IN_PROGRESS = "in_progress"  # 履行期内: not yet decided by the case
    FULFILLED = "fulfilled"  # 全部履行
    PARTIALLY_FULFILLED = "partially_fulfilled"  # 部分履行
    UNFULFILLED = "unfulfilled"  # 未履行
    WITHDRAWN = "withdrawn"  # 已撤回 (DZ art. 10): no fulfilment to judge

    @property
    def label_zh(self) -> str:
        return _FULFILMENT_LABELS[self]


_FULFILMENT_LABELS: Final = {
    Fulfilment.IN_PROGRESS: "履行期内",
    Fulfilment.FULFILLED: "全部履行",
    Fulfilment.PARTIALLY_FULFILLED: "部分履行",
    Fulfilment.UNFULFILLED: "未履行",
    Fulfilment.WITHDRAWN: "已撤回",
}


@dataclass(frozen=True, slots=True)
class FulfilmentView:
    status: Fulfilment
    unfulfilled: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a case's life cycle says of its fulfilment, on the day asked."""

    mode: str
    status: str  # the status derived for the day (app.commitments.state.derived_status)
    termination_ground: str | None
    missing_materials: tuple[str, ...]
    conditions_to_meet: tuple[str, ...]
    failed_findings: tuple[str, ...]  # 核查情况说明 of each verification not fulfilled
    revocation_reason: str | None


_FULFILLED_STATES: Final = frozenset({"completed", "fulfilled"})


def case_fulfilment(facts: CaseFacts) -> FulfilmentView:
    """履约状态 derived from the case, never stored beside it:

    - completed (容缺受理) or fulfilled (告知承诺): 全部履行;
    - withdrawn: 已撤回 (DZ art. 10, the ordinary procedure follows);
    - terminated for non-submission (DZ art. 13 ¶1, nothing supplied): 未履行, every
      missing material unfulfilled; terminated for a deficient submission (materials
      supplied that fell short): 部分履行, the materials still unfulfilled;
    - revoked (DZ art. 13 ¶2): 未履行, with the conditions committed to, else the
      verification's findings, else the revocation's reason;
    - any other state: 履行期内.
    """
    if facts.status in _FULFILLED_STATES:
        return FulfilmentView(Fulfilment.FULFILLED)
    if facts.status == "withdrawn":
        return FulfilmentView(Fulfilment.WITHDRAWN)
    if facts.status == "terminated":
        status = (
            Fulfilment.PARTIALLY_FULFILLED
            if facts.termination_ground == "deficient_submission"
            else Fulfilment.UNFULFILLED
        )
        return FulfilmentView(status, facts.missing_materials)
    if facts.status == "revoked":
        unmet = facts.conditions_to_meet or facts.failed_findings
        if not unmet and facts.revocation_reason:
            unmet = (facts.revocation_reason,)
        return FulfilmentView(Fulfilment.UNFULFILLED, unmet)
    return FulfilmentView(Fulfilment.IN_PROGRESS)


# --- the choices, with what they work within -------------------------------------------


REGISTER_READINGS: Final = (
    Reading(
        ReadingName.COMMITMENT_NUMBER,
        DZ_14,
        "承诺编号为受理单位行政区划代码、签署日（北京时间）与该区划当日流水号（6位），如"
        "371400-20261201-000123；编号一经赋予不再重复使用，流水号允许空缺。",
        "A commitment's number is the accepting unit's region code, the signing day "
        "(Beijing time) and a 6-digit serial of that region and day, e.g. "
        "371400-20261201-000123; a number is never reused, gaps are allowed.",
        Basis.DEPLOYMENT_CHOICE,
    ),
    Reading(
        ReadingName.COMMITMENT_DISCLOSURE,
        DZ_9_1,
        "公开范围由受理单位在签署时确定并载明于承诺书；未确定的，法人和非法人组织的承诺"
        "可向社会公开，自然人的承诺特定范围公开。公示时自然人姓名和身份证号码遮蔽。",
        "The accepting unit sets the disclosure class at signing and the letter states it; "
        "without one, an organisation's commitment may be disclosed to the public and a "
        "natural person's only within a specific scope. Persons are masked when disclosed.",
        Basis.DEPLOYMENT_CHOICE,
    ),
    Reading(
        ReadingName.COMMITMENT_FULFILMENT,
        DZ_9_2,
        "履约状态由案件的生命周期推导：办结或履行为全部履行；经催告仍未提交而终止为未履行；"
        "补齐补正不符合要求而终止为部分履行；撤销办理结果为未履行；撤回的不评价。",
        "Fulfilment is derived from the case's life cycle: completed or fulfilled is fully "
        "kept; terminated for non-submission is not kept; terminated for a deficient "
        "submission is partly kept; revoked is not kept; a withdrawal is not assessed.",
        Basis.DEPLOYMENT_CHOICE,
        also_cites=(DZ_13_1, DZ_13_2),
    ),
)
