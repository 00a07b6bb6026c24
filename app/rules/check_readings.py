"""The readings (释义规则) of the listing's hearing, the referral mark, consent and the
joint punishment lists, stated for the profiles to list (``GET /api/v1/profiles``).

The rules that carry them out are in :mod:`app.rules.hearing`, :mod:`app.rules.consent`,
:mod:`app.rules.joint_punishment` and :mod:`app.rules.eligibility`; those modules import the
profiles, so the readings are stated here, beside nothing but their citations.
"""

from __future__ import annotations

from typing import Final

from app.rules.citations import (
    DZ_6_2,
    DZ_16_1,
    LZ_2_APPEAL,
    LZ_3_JOINT,
    LZ_4_1,
    LZ_5_1_2_SHORT_OF_PENALTY,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_HEARING,
    LZ_5_1_5_OTHER_PERIOD,
    LZ_5_1_6_CONSENT,
    Basis,
)
from app.rules.readings import Reading, ReadingName

HEARING: Final = Reading(
    ReadingName.HEARING,
    LZ_5_1_4_HEARING,
    "陈述申辩是听证而非仅事实异议：当事人可以就事实认定、认定依据或处理是否适当提出意见"
    "（grounds）；复核可以维持、撤销或变更——更正事实、依据、文书或情形，或依其他规定缩短"
    "管理期限（须载明该规定），变更前后内容随复核一并记录。",
    "A statement is a hearing, not only a factual objection: it may contest the facts, the "
    "legal basis or the proportionality; the review upholds, overturns or amends (corrected "
    "facts, basis, documents or situation, or a shorter period under the other rule that "
    "sets it), the before and after recorded with the review.",
    also_cites=(LZ_2_APPEAL, LZ_5_1_5_OTHER_PERIOD),
)

COMPLAINT_OPENS_CORRECTION: Final = Reading(
    ReadingName.COMPLAINT_OPENS_CORRECTION,
    LZ_5_1_4_CORRECTION,
    "陈述申辩期限届满后，当事人申诉名单信息有误的，视为部门“发现信息有误”：自收到申诉之日起"
    "2个工作日内修改、移除或说明理由不予更正。",
    "After the objection window, the subject's complaint that an entry is wrong is the "
    "department's discovery of an error: within 2 working days of its receipt the entry is "
    "corrected or removed, or the complaint rejected with reasons.",
    also_cites=(LZ_2_APPEAL,),
)

_REFERRAL_ZH = (
    "失信制约名单只管理尚不构成行政处罚的失信行为。违法行为被标记为给予行政处罚或移送司法机关"
    "（载明文书号）的，不再提出列入建议；尚未公布的列入建议以此撤回；已公布的，部门应在2个"
    "工作日内修改或移除（由部门判断处罚是否针对同一行为）。本系统只记录标记，不作处罚决定。"
)
_REFERRAL_EN = (
    "The list is for dishonesty short of a penalty. A breach marked for an administrative "
    "penalty or referred to the judicial organs (with the decision's reference) proposes no "
    "listing; a listing not yet published is withdrawn for it; a published one is to be "
    "corrected or removed by the department within 2 working days (the department judges "
    "whether the penalty covers the same act). The service records the mark; it decides "
    "no penalty."
)
REFERRAL_SHORT_OF_PENALTY_DZ: Final = Reading(
    ReadingName.REFERRAL_SHORT_OF_PENALTY, DZ_16_1, _REFERRAL_ZH, _REFERRAL_EN
)
REFERRAL_SHORT_OF_PENALTY_LZ: Final = Reading(
    ReadingName.REFERRAL_SHORT_OF_PENALTY,
    LZ_5_1_2_SHORT_OF_PENALTY,
    _REFERRAL_ZH,
    _REFERRAL_EN,
    also_cites=(LZ_5_1_4_CORRECTION,),
)
REFERRAL_SHORT_OF_PENALTY_BOTH: Final = Reading(
    ReadingName.REFERRAL_SHORT_OF_PENALTY,
    LZ_5_1_2_SHORT_OF_PENALTY,
    _REFERRAL_ZH,
    _REFERRAL_EN,
    also_cites=(DZ_16_1, LZ_5_1_4_CORRECTION),
)

CONSENT_STATES_SCOPE: Final = Reading(
    ReadingName.CONSENT_STATES_SCOPE,
    LZ_5_1_6_CONSENT,
    "授权须载明范围（可查询的信用信息类别），未载明的授权无效；授权可限于一个事项或一次申请。"
    "核验只查询授权范围内的信息：授权在其他方面无效时，不查询任何名单。",
    "A consent states its scope (the categories of credit information it lets be read); "
    "one that states none is invalid. It may be limited to one matter or one application. "
    "The check reads only what the consent covers, and nothing under a consent invalid "
    "in any other respect.",
)

JOINT_PUNISHMENT_AS_MEMORANDUM: Final = Reading(
    ReadingName.JOINT_PUNISHMENT_AS_MEMORANDUM,
    LZ_3_JOINT,
    "纳入国家联合奖惩名单的，按该名单所依据的合作备忘录规定的措施处理：每类名单只限制备忘录"
    "规定的便利化办理方式（见 GET /api/v1/joint-punishment/list-types），其余方式仍可适用。"
    "各类名单限制哪些方式，是本部署对备忘录的理解。",
    "A subject on a national joint-punishment list is handled as that list's memorandum "
    "provides: each list type bars the modes its memorandum provides (GET "
    "/api/v1/joint-punishment/list-types) and leaves the others open. Which modes each "
    "type bars is this deployment's reading of the memorandum.",
    Basis.DEPLOYMENT_CHOICE,
)

_NOT_PERFORMED_ZH = (
    "无法查询联合奖惩名单（服务中断，或命中的名单类别无法识别）时，核验结果为“未完成”"
    "（not_performed），不是“核验未通过”：本次按一般程序办理，不记录失信或未通过，可再次核验；"
    "未完成的核验不能用于签订承诺书。"
)
_NOT_PERFORMED_EN = (
    "While the joint-punishment lists cannot be read (an outage, or a hit of a list type "
    "not known), the check is not_performed, not 'failed': the ordinary procedure applies "
    "for now, no failure is recorded, the check can be run again, and it never backs a "
    "commitment."
)
CHECK_NOT_PERFORMED_DZ: Final = Reading(
    ReadingName.CHECK_NOT_PERFORMED, DZ_6_2, _NOT_PERFORMED_ZH, _NOT_PERFORMED_EN
)
CHECK_NOT_PERFORMED_LZ: Final = Reading(
    ReadingName.CHECK_NOT_PERFORMED, LZ_4_1, _NOT_PERFORMED_ZH, _NOT_PERFORMED_EN
)

# What each built-in profile lists besides its commitment readings.
DEZHOU_CHECK_READINGS: Final = (REFERRAL_SHORT_OF_PENALTY_DZ, CHECK_NOT_PERFORMED_DZ)
LINZI_CHECK_READINGS: Final = (
    HEARING,
    COMPLAINT_OPENS_CORRECTION,
    REFERRAL_SHORT_OF_PENALTY_LZ,
    CONSENT_STATES_SCOPE,
    JOINT_PUNISHMENT_AS_MEMORANDUM,
    CHECK_NOT_PERFORMED_LZ,
)
COMBINED_CHECK_READINGS: Final = (
    HEARING,
    COMPLAINT_OPENS_CORRECTION,
    REFERRAL_SHORT_OF_PENALTY_BOTH,
    CONSENT_STATES_SCOPE,
    JOINT_PUNISHMENT_AS_MEMORANDUM,
    CHECK_NOT_PERFORMED_DZ,
)
