"""Every machine ``code`` a problem can carry (问题代码), with its HTTP status and titles.

The one list a client needs to turn a problem into a message: the OpenAPI document
publishes it as the ``ProblemCode`` schema and the README as a table. A test reads app/
for every code a problem can carry and checks both directions against this list.
"""

from __future__ import annotations

from enum import StrEnum


class ProblemCode(StrEnum):
    """Machine code of a problem (`code` of `application/problem+json`), 问题代码."""

    statuses: tuple[int, ...]
    title_zh: str
    title_en: str

    def __new__(
        cls,
        value: str,
        status: int | tuple[int, ...] = (),
        title_zh: str = "",
        title_en: str = "",
    ) -> ProblemCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.statuses = status if isinstance(status, tuple) else (status,)
        member.title_zh = title_zh
        member.title_en = title_en
        return member

    # The request as a whole (every route)
    BAD_REQUEST = "bad_request", 400, "请求有误", "Bad request"
    MALFORMED_BODY = "malformed_body", 400, "请求体无法解析", "Malformed request body"
    NOT_AUTHENTICATED = "not_authenticated", 401, "需要身份认证", "Authentication required"
    TOKEN_EXPIRED = "token_expired", 401, "令牌已过期", "Token expired"
    TOKEN_INVALID = "token_invalid", 401, "令牌无效", "Token invalid"
    FORBIDDEN = "forbidden", 403, "无权访问", "Forbidden"
    ROLE_FORBIDDEN = "role_forbidden", 403, "角色无此权限", "Role not permitted"
    ROUTE_FORBIDDEN = "route_forbidden", 403, "接口未授权", "Route not authorised"
    DEPARTMENT_FORBIDDEN = "department_forbidden", 403, "非本部门事项", "Not your department"
    NOT_FOUND = "not_found", 404, "资源不存在", "Not found"
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "不支持该请求方法", "Method not allowed"
    CONFLICT = "conflict", 409, "与当前状态冲突", "Conflict"
    CONCURRENT_UPDATE = "concurrent_update", 409, "记录已被他人修改", "Concurrent update"
    PRECONDITION_FAILED = "precondition_failed", 412, "前提条件不成立", "Precondition failed"
    VERSION_MISMATCH = "version_mismatch", 412, "版本不一致，请重新读取", "Version mismatch"
    PAYLOAD_TOO_LARGE = "payload_too_large", 413, "请求体过大", "Payload too large"
    UNSUPPORTED_MEDIA_TYPE = (
        "unsupported_media_type",
        415,
        "不支持的内容类型",
        "Unsupported media type",
    )
    VALIDATION_FAILED = "validation_failed", 422, "字段校验未通过", "Validation failed"
    VALUE_OUT_OF_RANGE = "value_out_of_range", 422, "计算结果超出范围", "Value out of range"
    NUMBER_OUT_OF_RANGE = "number_out_of_range", 422, "数值超出范围", "Number out of range"
    NUL_CHARACTER = "nul_character", 422, "文本含空字符", "Text contains NUL"
    INVALID_CURSOR = "invalid_cursor", 422, "分页游标无效", "Invalid cursor"
    INVALID_RANGE = "invalid_range", 422, "区间无效", "Invalid range"
    DATE_OUT_OF_RANGE = "date_out_of_range", 422, "日期超出日历范围", "Date out of range"
    IDEMPOTENCY_KEY_INVALID = (
        "idempotency_key_invalid",
        422,
        "幂等键格式无效",
        "Invalid idempotency key",
    )
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused",
        422,
        "幂等键已用于其他请求",
        "Idempotency key reused",
    )
    IDEMPOTENCY_KEY_IN_USE = (
        "idempotency_key_in_use",
        409,
        "同一幂等键的请求正在处理",
        "Idempotency key in use",
    )
    RATE_LIMITED = "rate_limited", 429, "请求过于频繁", "Too many requests"
    INTERNAL_ERROR = "internal_error", 500, "服务内部错误", "Internal error"
    SERVICE_UNAVAILABLE = "service_unavailable", 503, "服务暂不可用", "Service unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable", 503, "数据库暂不可用", "Database unavailable"
    # Identifiers and subjects
    INVALID_USCC = "invalid_uscc", 422, "统一社会信用代码无效", "Invalid USCC"
    INVALID_RESIDENT_ID = "invalid_resident_id", 422, "公民身份号码无效", "Invalid resident ID"
    SUBJECT_NOT_FOUND = "subject_not_found", 404, "主体不存在", "Subject not found"
    AGENT_IS_SUBJECT = "agent_is_subject", 422, "代理人不能是申请人本人", "Agent is the applicant"
    # Profiles, calendar, departments, catalog
    PROFILE_UNKNOWN = "profile_unknown", (404, 422), "规则配置不存在", "Unknown profile"
    PROFILE_OUTSIDE_JURISDICTION = (
        "profile_outside_jurisdiction",
        422,
        "规则配置不适用于该部门所在地区",
        "Profile outside its jurisdiction",
    )
    CALENDAR_INVALID = "calendar_invalid", 422, "工作日历无效", "Invalid calendar"
    DEPARTMENT_NOT_FOUND = "department_not_found", 404, "部门不存在", "Department not found"
    DEPARTMENT_UNKNOWN = "department_unknown", (403, 422), "部门未登记", "Unknown department"
    DEPARTMENT_EXISTS = "department_exists", 409, "部门已存在", "Department exists"
    DEPARTMENT_CODE_REGION_MISMATCH = (
        "department_code_region_mismatch",
        422,
        "部门代码与行政区划不符",
        "Department code outside its region",
    )
    DEPARTMENT_PROFILE_UNRESOLVED = (
        "department_profile_unresolved",
        422,
        "无法确定部门适用的规则配置",
        "Department profile unresolved",
    )
    MATTER_NOT_FOUND = "matter_not_found", 404, "清单中无此事项", "Matter not found"
    MATTER_UNKNOWN = "matter_unknown", 422, "清单中无此事项", "Unknown matter"
    MATTER_EXISTS = "matter_exists", 409, "事项已在清单中", "Matter exists"
    MATTER_EXCLUDED_HIGH_RISK = (
        "matter_excluded_high_risk",
        422,
        "高风险领域事项不得适用便利措施",
        "High-risk matter excluded",
    )
    ONSITE_VERIFIER_REQUIRED = (
        "onsite_verifier_required",
        422,
        "须明确现场核查部门",
        "On-site verifier required",
    )
    # Consents and credit checks
    CONSENT_NOT_FOUND = "consent_not_found", 404, "授权不存在", "Consent not found"
    CONSENT_ALREADY_REVOKED = "consent_already_revoked", 409, "授权已撤回", "Consent revoked"
    CONSENT_GRANTED_IN_FUTURE = (
        "consent_granted_in_future",
        422,
        "授权时间晚于当前时间",
        "Consent granted in the future",
    )
    CONSENT_EXPIRY_INVALID = "consent_expiry_invalid", 422, "授权截止日期无效", "Invalid expiry"
    CONSENT_VALIDITY_TOO_LONG = (
        "consent_validity_too_long",
        422,
        "授权期限超过上限",
        "Consent validity too long",
    )
    CREDIT_CHECK_NOT_FOUND = "credit_check_not_found", 404, "信用核验不存在", "Check not found"
    CREDIT_CHECK_NOT_PERFORMED = (
        "credit_check_not_performed",
        409,
        "信用核验未能完成",
        "Credit check not performed",
    )
    CREDIT_CHECK_FAILED = "credit_check_failed", 409, "信用核验未通过", "Credit check failed"
    CREDIT_CHECK_EXPIRED = "credit_check_expired", 409, "信用核验已过期", "Credit check expired"
    CREDIT_CHECK_USED = "credit_check_used", 409, "信用核验已被使用", "Credit check used"
    # Commitments (容缺受理, 告知承诺)
    COMMITMENT_NOT_FOUND = "commitment_not_found", 404, "承诺不存在", "Commitment not found"
    MODE_NOT_ALLOWED = "mode_not_allowed", 422, "该事项不适用此办理方式", "Mode not allowed"
    MATERIALS_NOT_TOLERABLE = (
        "materials_not_tolerable",
        422,
        "所缺材料不在可容缺范围内",
        "Materials not tolerable",
    )
    AFFIRMATIONS_INCOMPLETE = (
        "affirmations_incomplete",
        422,
        "承诺事项不完整",
        "Affirmations incomplete",
    )
    SIGNED_IN_FUTURE = "signed_in_future", 422, "签署时间晚于当前时间", "Signed in the future"
    CONDITION_NOT_OF_MATTER = (
        "condition_not_of_matter",
        422,
        "条件不属于该事项",
        "Condition not of the matter",
    )
    CONDITIONS_TO_MEET_INCOMPLETE = (
        "conditions_to_meet_incomplete",
        422,
        "待达到条件不完整",
        "Conditions to meet incomplete",
    )
    CONDITIONS_TO_MEET_NOT_OFFERED = (
        "conditions_to_meet_not_offered",
        422,
        "该事项不允许后补条件",
        "Conditions to meet not offered",
    )
    CONDITIONS_NOT_YET_DUE = (
        "conditions_not_yet_due",
        409,
        "条件达到期限未届满",
        "Conditions not due",
    )
    MEET_BY_OUT_OF_RANGE = (
        "meet_by_out_of_range",
        422,
        "条件达到期限超出范围",
        "Meet-by out of range",
    )
    DEADLINE_BELOW_MINIMUM = (
        "deadline_below_minimum",
        422,
        "期限短于法定最短期限",
        "Deadline too short",
    )
    DEADLINE_PERIOD_INVALID = "deadline_period_invalid", 422, "期限无效", "Invalid deadline period"
    RECEIVED_ON_NOT_FOR_IN_PERSON = (
        "received_on_not_for_in_person",
        422,
        "当面送达无需填写签收日期",
        "Received-on not for in-person service",
    )
    STEP_DATE_IN_FUTURE = "step_date_in_future", 422, "办理日期晚于今日", "Step date in the future"
    STEP_DATE_BEFORE_PREVIOUS_STEP = (
        "step_date_before_previous_step",
        422,
        "办理日期早于上一环节",
        "Step date before the previous step",
    )
    LATE_ENTRY_REASON_REQUIRED = (
        "late_entry_reason_required",
        422,
        "补录须说明理由",
        "Late entry needs a reason",
    )
    TRANSITION_NOT_ALLOWED = (
        "transition_not_allowed",
        409,
        "当前状态不允许此操作",
        "Step not allowed",
    )
    SUPPLEMENT_DEADLINE_PASSED = (
        "supplement_deadline_passed",
        409,
        "补正期限已届满",
        "Supplement deadline passed",
    )
    SUPPLEMENT_DEADLINE_NOT_PASSED = (
        "supplement_deadline_not_passed",
        409,
        "补正期限尚未届满",
        "Supplement deadline not passed",
    )
    REMINDER_DEADLINE_PASSED = "reminder_deadline_passed", 409, "催告期限已届满", "Reminder passed"
    REMINDER_DEADLINE_NOT_PASSED = (
        "reminder_deadline_not_passed",
        409,
        "催告期限尚未届满",
        "Reminder deadline not passed",
    )
    REMINDER_NOT_SERVED = "reminder_not_served", 409, "尚未催告", "Reminder not served"
    WITHDRAWAL_REASON_MISSING = "withdrawal_reason_missing", 422, "撤回须说明理由", "Reason missing"
    WITHDRAWAL_AFTER_DECISION = (
        "withdrawal_after_decision",
        409,
        "已作出决定，不能撤回",
        "Withdrawal after decision",
    )
    WITHDRAWAL_AFTER_COMPLETION = (
        "withdrawal_after_completion",
        409,
        "已办结，不能撤回",
        "Withdrawal after completion",
    )
    VERIFICATION_NOT_FOUND = "verification_not_found", 404, "核查不存在", "Verification not found"
    VERIFICATION_CLOSED = "verification_closed", 409, "核查已结束", "Verification closed"
    VERIFICATION_REQUIRED = "verification_required", 409, "须先完成核查", "Verification required"
    VERIFICATION_METHOD_NOT_OFFERED = (
        "verification_method_not_offered",
        422,
        "清单未提供此核查方式",
        "Verification method not offered",
    )
    EXEMPT_FROM_VERIFICATION = "exempt_from_verification", 409, "该承诺免于核查", "Exempt"
    ASSISTING_DEPARTMENT_REQUIRED = (
        "assisting_department_required",
        422,
        "协助核查须指明协助部门",
        "Assisting department required",
    )
    RECTIFICATION_PERIOD_REQUIRED = (
        "rectification_period_required",
        422,
        "须明确整改期限",
        "Rectification period required",
    )
    RECTIFICATION_ORDER_NOT_SERVED = (
        "rectification_order_not_served",
        409,
        "尚未送达整改通知",
        "Rectification order not served",
    )
    ORDER_RECEIPT_NOT_AWAITED = (
        "order_receipt_not_awaited",
        409,
        "该通知无需登记签收",
        "Order receipt not awaited",
    )
    RECTIFICATION_DEADLINE_PASSED = (
        "rectification_deadline_passed",
        409,
        "整改期限已届满",
        "Rectification deadline passed",
    )
    RECTIFICATION_DEADLINE_NOT_PASSED = (
        "rectification_deadline_not_passed",
        409,
        "整改期限尚未届满",
        "Rectification deadline not passed",
    )
    NO_NONCONFORMING_SUPERVISION_FEEDBACK = (
        "no_nonconforming_supervision_feedback",
        409,
        "无监管不符合反馈",
        "No nonconforming supervision feedback",
    )
    FULFILMENT_FOLLOWS_CASE = (
        "fulfilment_follows_case",
        422,
        "履约状态由办件结果决定",
        "Fulfilment follows the case",
    )
    DECIDED_RANGE_INVALID = "decided_range_invalid", 422, "决定日期区间无效", "Invalid date range"
    # The restriction list (失信制约名单)
    RESTRICTION_NOT_FOUND = "restriction_not_found", 404, "失信制约记录不存在", "Listing not found"
    LISTING_PROCEDURE_NOT_AVAILABLE = (
        "listing_procedure_not_available",
        409,
        "本部门规则未设失信制约程序",
        "Listing procedure not available",
    )
    LISTING_PROCEDURE_REQUIRED = (
        "listing_procedure_required",
        409,
        "须经失信制约认定程序",
        "Listing procedure required",
    )
    NOTICE_RECEIPT_MISSING = (
        "notice_receipt_missing",
        409,
        "告知书尚未签收",
        "Notice receipt missing",
    )
    RECEIPT_ALREADY_RECORDED = "receipt_already_recorded", 409, "签收已登记", "Receipt recorded"
    OBJECTION_WINDOW_OPEN = "objection_window_open", 409, "申辩期尚未届满", "Objection window open"
    OBJECTION_WINDOW_CLOSED = "objection_window_closed", 409, "申辩期已届满", "Window closed"
    OBJECTION_NOT_FOUND = "objection_not_found", 404, "申辩不存在", "Objection not found"
    OBJECTION_ALREADY_REVIEWED = "objection_already_reviewed", 409, "申辩已复核", "Already reviewed"
    REVIEW_AMENDMENTS_REQUIRED = (
        "review_amendments_required",
        422,
        "变更认定须列明变更内容",
        "Review amendments required",
    )
    AMENDED_PERIOD_NOT_SHORTER = (
        "amended_period_not_shorter",
        422,
        "变更后的期限须短于原期限",
        "Amended period not shorter",
    )
    LISTING_HAS_NO_PERIOD = (
        "listing_has_no_period",
        409,
        "该记录无管理期限",
        "Listing has no period",
    )
    MANAGEMENT_PERIOD_RUNNING = (
        "management_period_running",
        409,
        "管理期限尚未届满",
        "Management period running",
    )
    CORRECTION_EMPTY = "correction_empty", 422, "更正内容为空", "Empty correction"
    CORRECTION_DUTY_NOT_FOUND = "correction_duty_not_found", 404, "更正义务不存在", "Duty not found"
    CORRECTION_DUTY_CLOSED = "correction_duty_closed", 409, "更正义务已完结", "Duty closed"
    RECTIFICATION_RECORDED = "rectification_recorded", 409, "整改已登记", "Rectification recorded"
    RECTIFICATION_MISSING = "rectification_missing", 409, "尚未登记整改", "Rectification missing"
    LIFTING_REQUEST_NOT_FOUND = (
        "lifting_request_not_found",
        404,
        "移出申请不存在",
        "Request not found",
    )
    LIFTING_REQUEST_PENDING = (
        "lifting_request_pending",
        409,
        "已有待决的移出申请",
        "Request pending",
    )
    LIFTING_REQUEST_DECIDED = "lifting_request_decided", 409, "移出申请已决定", "Request decided"
    LIFTING_NOT_REQUESTED = "lifting_not_requested", 409, "未提出移出申请", "Lifting not requested"
    EARLY_LIFTING_NOT_AVAILABLE = (
        "early_lifting_not_available",
        409,
        "不适用提前移出",
        "Early lifting not available",
    )
    LISTING_NOT_EFFECTIVE = "listing_not_effective", 409, "失信制约未生效", "Listing not effective"
    REPAIR_APPLICATION_NOT_FOUND = (
        "repair_application_not_found",
        404,
        "修复申请不存在",
        "Repair application not found",
    )
    REPAIR_APPLICATION_PENDING = (
        "repair_application_pending",
        409,
        "已有待决的修复申请",
        "Repair application pending",
    )
    REPAIR_APPLICATION_DECIDED = (
        "repair_application_decided",
        409,
        "修复申请已决定",
        "Repair application decided",
    )
    REPAIR_NOTICE_ISSUED = "repair_notice_issued", 409, "修复告知书已发出", "Repair notice issued"
    REPAIR_NOTICE_NOT_ISSUED = (
        "repair_notice_not_issued",
        409,
        "修复告知书尚未发出",
        "Repair notice not issued",
    )
    REPAIR_NOTICE_NOT_DUE = "repair_notice_not_due", 409, "尚未到发出修复告知书的时间", "Not due"
    REPAIR_NOTICE_RECEIPT_RECORDED = (
        "repair_notice_receipt_recorded",
        409,
        "修复告知书签收已登记",
        "Repair notice receipt recorded",
    )
    CREDIT_REPAIR_NOT_AVAILABLE = (
        "credit_repair_not_available",
        409,
        "不适用信用修复",
        "Credit repair not available",
    )
    CREDIT_REPAIR_NOT_ACCEPTED = (
        "credit_repair_not_accepted",
        409,
        "信用修复申请未受理",
        "Credit repair not accepted",
    )
    CREDIT_REPAIR_NOT_AWAITING_MATERIALS = (
        "credit_repair_not_awaiting_materials",
        409,
        "信用修复申请无需补正材料",
        "Credit repair not awaiting materials",
    )
    CREDIT_REPAIR_MATERIALS_MISSING = (
        "credit_repair_materials_missing",
        409,
        "信用修复材料不齐全",
        "Credit repair materials missing",
    )
    # Statistics, events, webhooks, national lists
    STATISTICS_PERIOD_INVALID = (
        "statistics_period_invalid",
        422,
        "统计期间无效",
        "Invalid statistics period",
    )
    STATISTICS_DEPARTMENT_UNKNOWN = (
        "statistics_department_unknown",
        404,
        "统计部门不存在",
        "Unknown statistics department",
    )
    SUBSCRIPTION_NOT_FOUND = "subscription_not_found", 404, "订阅不存在", "Subscription not found"
    SUBSCRIPTION_INACTIVE = "subscription_inactive", 409, "订阅已停用", "Subscription inactive"
    SUBSCRIPTION_MANAGED = "subscription_managed", 409, "订阅由配置管理", "Subscription managed"
    PERSONAL_DATA_REQUIRES_HTTPS = (
        "personal_data_requires_https",
        422,
        "推送个人信息须使用 HTTPS",
        "Personal data requires HTTPS",
    )
    DELIVERY_NOT_FOUND = "delivery_not_found", 404, "推送记录不存在", "Delivery not found"
    DELIVERY_NOT_DEAD = "delivery_not_dead", 409, "推送未终止，无需重发", "Delivery not dead"
    IMPORT_HEADER_INVALID = (
        "import_header_invalid",
        422,
        "导入文件表头无效",
        "Invalid import header",
    )
    IMPORT_EMPTY = "import_empty", 422, "导入文件为空", "Empty import"
    JOINT_PUNISHMENT_IMPORT_NOT_FOUND = (
        "joint_punishment_import_not_found",
        404,
        "导入批次不存在",
        "Import not found",
    )
    JOINT_PUNISHMENT_UNAVAILABLE = (
        "joint_punishment_unavailable",
        503,
        "联合奖惩名单服务暂不可用",
        "Joint punishment lists unavailable",
    )

    # Identity provider and printed documents
    JWKS_UNAVAILABLE = "jwks_unavailable", 503, "身份认证密钥暂不可取", "Identity keys unavailable"
    DOCUMENT_NOT_FOUND = "document_not_found", 404, "无此核验码的文书", "Document not found"


def problem_code_table() -> str:
    """The README's table of codes (Markdown), in the order of the list."""
    lines = [
        "| code | HTTP | 中文 | English |",
        "| --- | --- | --- | --- |",
    ]
    for code in ProblemCode:
        statuses = ", ".join(str(status) for status in code.statuses)
        lines.append(f"| `{code.value}` | {statuses} | {code.title_zh} | {code.title_en} |")
    return "\n".join(lines) + "\n"
