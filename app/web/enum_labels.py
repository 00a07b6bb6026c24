"""Chinese labels of the enumerations the API shows (枚举值中文名称).

An enumeration with a ``label_zh`` property labels itself (the rule module's situations,
modes, categories...); the others are labelled here, by schema name. The OpenAPI
document carries each label as ``x-enum-descriptions`` and the member name as
``x-enum-varnames``, which client generators turn into named, documented constants.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Final

LABELS_ZH: Final[dict[str, dict[str, str]]] = {
    "Audience": {"external": "外部（向社会或其他部门）", "internal": "内部（本部门）"},
    "ChainBreak": {"hash_mismatch": "摘要不符", "chain_broken": "链条断裂"},
    "CheckResult": {"pass": "通过", "fail": "未通过", "not_performed": "未能核验"},
    "ConsentMethod": {
        "written_signature": "书面签字",
        "electronic_signature": "电子签名",
        "platform_authorization": "平台授权",
    },
    "ConsentPurpose": {
        "credit_facilitation": "信用便利（容缺受理、告知承诺、绿色通道）",
        "rating_consultation": "信用评价查询",
    },
    "CorrectionKind": {"fix": "更正", "remove": "删除"},
    "CreditRepairOutcome": {"granted": "予以修复", "refused": "不予修复"},
    "DayKind": {
        "weekday": "工作日（计入）",
        "makeup_workday": "调休上班日（计入）",
        "weekend": "休息日（不计）",
        "holiday": "法定节假日（不计）",
        "calendar_day": "日历日（计入）",
    },
    "DocumentKind": {
        "listing_notice": "政务服务失信制约认定告知书",
        "repair_notice": "政务服务失信制约整改告知书",
        "credit_repair_commitment": "信用承诺书（信用修复申请用）",
        "credit_repair_decision": "信用修复决定书",
        "commitment_notice": "一次性告知书",
        "commitment_letter": "承诺书",
        "statistics_report": "年度考核报告",
    },
    "DutyOrigin": {"complaint": "异议申诉", "referral": "移送"},
    "FeedbackResult": {"conforms": "符合承诺", "nonconforming": "不符合承诺", "other": "其他"},
    "ImportFormat": {"csv": "CSV 表格", "ndjson": "NDJSON（每行一个 JSON 对象）"},
    "InformationCategory": {
        "restriction_list": "失信制约名单",
        "joint_punishment": "联合奖惩名单",
        "credit_record": "信用记录",
        "commitment_history": "承诺履约记录",
    },
    "LiftingOutcome": {"lifted": "予以移出", "refused": "不予移出"},
    "MatterStatus": {"active": "在清单中", "withdrawn": "已移出清单"},
    "Measure": {
        "notices": "告知",
        "reviews": "复核",
        "corrections": "更正",
        "lifting_decisions": "移出决定",
        "decisions": "决定",
    },
    "NoticeMethod": {"in_person": "当面送达", "mail": "邮寄送达"},
    "ObjectionGround": {
        "facts": "事实认定有误",
        "legal_basis": "依据不当",
        "proportionality": "措施不相当",
    },
    "RepairOutcome": {"rectified": "已整改", "not_rectified": "未整改"},
    "ReviewOutcome": {"upheld": "维持", "overturned": "撤销", "amended": "变更"},
    "ServiceMethod": {"in_person": "当面送达", "post": "邮寄送达", "electronic": "电子送达"},
    "SourceChannel": {
        "investigation": "事实调查",
        "platform_query": "平台查询",
        "supervision_push": "审管互动平台推送",
        "public_report": "群众举报核查",
        "other": "其他",
    },
    "SubjectType": {"person": "自然人", "organization": "法人和非法人组织"},
    "SupervisionBasis": {"routine": "日常监管", "in_process": "事中事后监管"},
    "SupervisionStatus": {"open": "待反馈", "nonconforming": "不符合承诺", "closed": "已办结"},
    "TaskKind": {
        "take_up_proposal": "失信制约建议待认定",
        "issue_listing_notice": "认定告知书待送达",
        "review_objection": "陈述申辩待复核",
        "decide_lifting": "移出申请待核实",
        "await_supplement": "容缺材料待补齐补正",
        "send_reminder": "逾期待催告",
        "terminate_or_accept": "催告期满待处理",
        "decide_commitment": "承诺事项待作出决定",
        "carry_out_verification": "承诺待核查",
        "follow_rectification": "整改期满待处理",
        "issue_repair_notice": "整改告知书待送达",
        "decide_repair": "信用修复申请待认定",
        "correct_listing": "失信记录待更正",
        "record_order_receipt": "通知送达回执待登记",
        "order_rectification": "待责令限期整改",
    },
    "TerminationGround": {
        "non_submission": "逾期未补齐补正",
        "deficient_submission": "补正材料不符合要求",
    },
    "Unit": {"working_days": "工作日", "days": "自然日", "months": "月"},
    "VerificationMethod": {"online": "网上核查", "onsite": "现场核查", "assisted": "协助核查"},
}


def _subclasses(cls: type[enum.Enum]) -> Iterator[type[enum.Enum]]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def enum_class(name: str, values: list[object]) -> type[enum.Enum] | None:
    """The enumeration behind the schema ``name`` with exactly ``values``."""
    for candidate in _subclasses(enum.Enum):
        if candidate.__name__ == name and [m.value for m in candidate] == values:
            return candidate
    return None


def label_zh(name: str, member: enum.Enum) -> str:
    """The Chinese label of ``member`` of the schema ``name``; KeyError when it has none."""
    own = getattr(member, "label_zh", None) or getattr(member, "title_zh", None)
    if isinstance(own, str) and own:
        return own
    return LABELS_ZH[name][str(member.value)]
