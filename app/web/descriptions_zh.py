"""Chinese descriptions (中文说明) the document adds where a route or a field has none.

Keyed by operation id and by ``Schema.field``; an entry for an operation or field that
does not exist is an error, so a rename cannot leave a description behind.
"""

from __future__ import annotations

import re
from typing import Any, Final

_CHINESE = re.compile(r"[\u4e00-\u9fff]")

OPERATIONS_ZH: Final[dict[str, str]] = {
    "healthz": "存活检查：进程在运行即返回 200，不访问数据库。",
    "readyz": "就绪检查：数据库可用时返回 200，否则返回 503。",
    "metrics_endpoint": "Prometheus 格式的运行指标，供监控系统抓取。",
    "read_profile": "读取一个规则配置：每个参数及其依据条款。",
    "get_calendar_year": "读取某一年的工作日历：法定节假日与调休上班日。",
    "list_departments": "部门列表，含各部门适用的规则配置。",
    "read_department": "读取一个部门。",
    "update_department": "修改部门名称、适用规则配置或联系电话（管理员）。",
    "create_matter": "向清单新增一个可适用信用便利措施的事项（管理员）。",
    "list_matters": "清单事项列表，含已移出的事项（管理员）。",
    "read_matter": "读取事项的现行版本（管理员）。",
    "withdraw_matter": "将事项移出清单（管理员）：新增一个“已移出”版本，历史版本保留。",
    "matter_versions": "事项的版本历史（管理员）。",
    "public_matters": "公开清单：可适用信用便利措施的事项现行版本，无需登录。",
    "public_matter": "公开清单中的一个事项，无需登录。",
    "record_consent": "登记申请人使用信用信息的授权：用途、方式、范围与期限。",
    "read_consent": "读取一项授权（限授权对象部门或审计员，读取留痕）。",
    "revoke_consent": "撤回授权：立即生效，此后依该授权的信用核验不予通过。",
    "run_credit_check": (
        "信用核验：核对清单、授权、失信制约名单与联合奖惩名单，给出可适用的便利方式。"
    ),
    "read_credit_check": "读取一次信用核验（限作出核验的部门或审计员，读取留痕）。",
    "read_commitment": "读取一项承诺：告知内容、承诺书、各项期限与办理历史。",
    "commitment_notice_pdf": "一次性告知书（PDF，可打印）。",
    "letter_pdf": "承诺书（PDF，可打印）。",
    "record_supplement": "登记补齐补正的材料；材料不符合要求的视为未补正。",
    "record_commitment_rectification": "登记按期整改到位：承诺履行完毕。",
    "revoke": "撤销办理结果，并提出以“承诺不实”为情形的失信制约建议。",
    "open_verification": "发起核查：网上核查、现场核查或协助核查。",
    "read_restriction": "读取一条失信制约记录，含按日期推算的各项日期与状态。",
    "listing_notice_pdf": "政务服务失信制约认定告知书（PDF，可打印）。",
    "record_receipt": "登记当事人签收告知书的日期：陈述申辩期自该日起算。",
    "list_subscriptions": "事件订阅列表（管理员）。",
    "unsubscribe": "停用一个事件订阅（管理员）。",
    "grant_personal_data": "授权订阅接收个人信息（管理员）：此后推送含完整证件号码与名称。",
    "withdraw_personal_data": "撤回订阅接收个人信息的授权（管理员）：尚未推送的事件重新脱敏。",
    "list_deliveries": "事件推送记录列表，例如已进入死信的推送（管理员）。",
    "requeue": "将一条已进入死信的推送重新排队（管理员）。",
    "supervision_targets": "重点核查对象：监管部门辖区内失信制约生效中的主体。",
    "list_audit_entries": "审计日志：按写入顺序列出，只增不改。",
    "verify_audit_chain": "审计日志防篡改校验：重新计算哈希链并报告首个断点。",
    "get_joint_punishment_import": (
        "读取一个联合奖惩名单导入批次：导入人、时间、格式与各类行数（管理员）。"
    ),
}

_SUBJECT = "申请人（主体）：类型、证件号码与名称。"
_NOTE = "备注（可选）。"

FIELDS_ZH: Final[dict[str, str]] = {
    "CalendarYearWrite.holidays": "法定节假日（放假日期）。",
    "CalendarYearWrite.makeup_workdays": "调休上班日（周末上班的日期）。",
    "DepartmentCreate.contact_phone": "部门联系电话（印在文书上）。",
    "DepartmentUpdate.name": "部门名称；省略则不变。",
    "DepartmentUpdate.profile": "部门适用的规则配置；省略则不变。",
    "DepartmentUpdate.contact_phone": "部门联系电话；省略则不变。",
    "MatterCreate.code": "事项编码。",
    "MatterCreate.modes": "事项可适用的便利方式及各自条件。",
    "MatterModes.tolerance": "容缺受理的条件；省略则不适用容缺受理。",
    "MatterModes.notify_commit": "告知承诺的条件；省略则不适用告知承诺。",
    "MatterModes.green_channel": "绿色通道的条件；省略则不适用绿色通道。",
    "ToleranceTerms.conditions": "容缺受理的其他条件（文字说明）。",
    "PeriodSpec.amount": "期限的数量。",
    "PeriodSpec.unit": "期限的单位：工作日、自然日或月。",
    "MatterUpdate.name": "事项名称；省略则不变。",
    "MatterUpdate.agency_department": "实施机关部门代码；省略则不变。",
    "MatterUpdate.regulator_department": "监管部门代码；省略则不变。",
    "MatterUpdate.onsite_verification_department": "现场核查部门代码；省略则不变。",
    "MatterUpdate.excluded_categories": "事项涉及的高风险领域；省略则不变。",
    "MatterUpdate.legal_basis": "设定依据；省略则不变。",
    "MatterUpdate.legal_liability": "承诺不实的法律责任；省略则不变。",
    "MatterUpdate.verification_power": "核查权限；省略则不变。",
    "MatterUpdate.other_notice": "其他告知事项；省略则不变。",
    "MatterUpdate.modes": "可适用的便利方式及条件；省略则不变。",
    "MatterUpdate.effective_from": "新版本的生效时间；省略则立即生效。",
    "ConsentCreate.subject": _SUBJECT,
    "ConsentCreate.purpose": "授权用途。",
    "ConsentCreate.method": "授权方式：书面签字、电子签名或平台授权。",
    "SubjectIn.subject_type": "主体类型：自然人或法人和非法人组织。",
    "SubjectIn.id_number": "证件号码：公民身份号码或统一社会信用代码。",
    "CreditCheckCreate.subject": _SUBJECT,
    "CreditCheckCreate.matter_code": "办理的清单事项编码。",
    "CreditCheckCreate.mode": "申请适用的便利方式。",
    "CreditCheckCreate.purpose": "核验用途，须在授权用途之内。",
    "CommitmentCreate.credit_check_id": "作为依据的信用核验（须已通过且在有效期内）。",
    "CommitmentCreate.mode": "承诺方式：容缺受理或告知承诺。",
    "CommitmentCreate.affirmations": "申请人在承诺书中确认的各项承诺。",
    "CommitmentCreate.signed_at": "承诺书签署时间。",
    "SupplementCreate.compliant": "补正材料是否符合要求；否则视为未补正。",
    "SupplementCreate.materials": "本次收到的材料。",
    "SupplementCreate.note": _NOTE,
    "NoteCreate.note": _NOTE,
    "ReminderCreate.period": "催告期限；省略则按规则配置。",
    "ReminderCreate.note": _NOTE,
    "OrderReceiptCreate.received_on": "当事人签收通知的日期。",
    "ReasonCreate.reason": "理由。",
    "RevocationCreate.reason": "撤销理由。",
    "RevocationCreate.still_nonconforming": "整改后仍不符合承诺。",
    "VerificationCreate.method": "核查方式：网上、现场或协助核查。",
    "VerificationCreate.note": _NOTE,
    "SupervisionFeedbackCreate.result": "监管反馈结果：符合承诺、不符合承诺或其他。",
    "RestrictionCreate.subject": "失信主体：类型、证件号码与名称。",
    "RestrictionCreate.situation": "失信情形。",
    "RestrictionCreate.source_channel": "信息来源渠道。",
    "RestrictionCreate.commitment_id": "所涉承诺（承诺不实、未履约时填写）。",
    "NoticeIssue.method": "告知书送达方式：当面或邮寄。",
    "ReceiptCreate.received_on": "当事人签收告知书的日期。",
    "ReviewCreate.outcome": "复核结果：维持、撤销或变更。",
    "ReviewAmendments.legal_documents": "变更后的法律文书。",
    "LiftingDecisionCreate.outcome": "移出决定：予以移出或不予移出。",
    "CorrectionCreate.kind": "更正方式：更正或删除。",
    "CorrectionCreate.discovered_on": "发现错误的日期。",
    "CorrectionCreate.changes": "更正的内容（更正时填写）。",
    "RestrictionChanges.facts": "更正后的失信事实。",
    "RestrictionChanges.legal_basis": "更正后的认定依据。",
    "RestrictionChanges.legal_documents": "更正后的法律文书。",
    "RestrictionChanges.address": "更正后的地址。",
    "RestrictionChanges.situation": "更正后的失信情形。",
    "RestrictionChanges.source_channel": "更正后的信息来源渠道。",
    "RepairNoticeIssue.method": "整改告知书送达方式：当面或邮寄。",
    "RepairDecisionCreate.outcome": "认定结果：已整改或未整改。",
    "CreditRepairSupplement.materials": "补正的修复材料。",
    "CreditRepairSupplement.evidence_refs": "补正材料的凭证编号。",
    "CreditRepairDecisionCreate.outcome": "信用修复决定：予以修复或不予修复。",
    "CreditProfileLookup.subject_type": "主体类型：自然人或法人和非法人组织。",
    "CreditProfileLookup.id_number": "证件号码：公民身份号码或统一社会信用代码。",
    "RectificationOrderCreate.note": _NOTE,
}


def add_chinese_descriptions(
    operations: dict[str, dict[str, Any]], schemas: dict[str, Any]
) -> None:
    """Lead each operation whose description has no Chinese with its Chinese description,
    and describe each field that has no description."""
    for operation_id, text in OPERATIONS_ZH.items():
        operation = operations[operation_id]
        existing = operation.get("description", "")
        if not _CHINESE.search(existing):
            operation["description"] = f"{text}\n\n{existing}".strip()
    for key, text in FIELDS_ZH.items():
        schema_name, field = key.split(".")
        prop = schemas[schema_name]["properties"][field]
        prop.setdefault("description", text)
