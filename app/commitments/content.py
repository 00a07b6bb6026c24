"""What a commitment says: the one-time notice (DZ art. 8) and the letter (DZ art. 9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.catalog.schemas import MatterModes
from app.commitments.schemas import NoticeItem, NoticeRead
from app.documents.pdf import DeadlineLine, Document, Section
from app.lifecycle.deadlines import StoredDeadline
from app.rules.citation_zh import cite_zh, label_zh
from app.rules.citations import DZ_7_2, DZ_12_2
from app.rules.profiles import Mode

# DZ art. 9 ¶1, one sentence per affirmation.
AFFIRMATION_TEXT: dict[str, str] = {
    "knows_notice": "本人（本单位）已知晓政务服务实施机关一次性告知的全部内容。",
    "meets_conditions": "本人（本单位）已符合相关条件。",
    "materials_true": "本人（本单位）提供的材料真实有效。",
    "true_intention": "本承诺内容是本人（本单位）的真实意思表示。",
    "accepts_liability": "本人（本单位）愿意承担不实承诺和未履行承诺的法律责任。",
}

# The affirmation of DZ art. 9 ¶1 for an applicant who commits to meet named conditions
# later (DZ art. 7 ¶3 暂未完全具备办理条件): those conditions are not affirmed as met.
MEETS_OTHER_CONDITIONS = "除下列承诺达到的条件外，本人（本单位）已符合相关条件。"


def day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def conditions_commitment(conditions: list[str], meet_by: date) -> str:
    """The sentence of DZ art. 9 ¶2 the letter adds: which conditions, met by when."""
    listed = "；".join(f"（{n}）{c}" for n, c in enumerate(conditions, start=1))
    return f"本人（本单位）承诺于{day_zh(meet_by)}前（含当日）达到下列条件：{listed}。"


def letter_affirmations(conditions: list[str], meet_by: date | None) -> list[str]:
    """What the letter says the applicant affirms and commits to (DZ art. 9)."""
    if not conditions or meet_by is None:
        return list(AFFIRMATION_TEXT.values())
    texts = {**AFFIRMATION_TEXT, "meets_conditions": MEETS_OTHER_CONDITIONS}
    return [*texts.values(), conditions_commitment(conditions, meet_by)]


DEADLINE_LABELS: dict[str, str] = {
    "supplement_due": "补齐补正期限",
    "decision_due": "承诺办结期限",
    "reminder_due": "催告（限期整改）期限",
    "verification_due": "核查期限",
    "rectification_due": "整改期限",
}

_MODE_TITLES = {
    Mode.TOLERANCE: ("容缺受理一次性告知书", "容缺受理承诺书"),
    Mode.NOTIFY_COMMIT: ("告知承诺一次性告知书", "告知承诺书"),
}

_METHOD_LABELS = {"online": "在线核查", "onsite": "现场核查", "assisted": "协助核查"}
_UNIT_LABELS = {"working_days": "个工作日", "days": "日", "months": "个月"}


def _period(spec: dict[str, Any]) -> str:
    amount = spec["amount"]
    if amount == 0:
        return "当场"
    return f"{amount}{_UNIT_LABELS[spec['unit']]}"


def notice_snapshot(
    *,
    mode: Mode,
    matter_code: str,
    matter_name: str,
    matter_version: int,
    agency_code: str,
    agency_name: str,
    modes: MatterModes,
    legal_basis: str,
    legal_liability: str,
    verification_power: str | None,
    other_notice: str | None,
    missing_materials: list[str],
) -> NoticeRead:
    """The notice items DZ art. 8 requires for the mode, from the catalog version."""
    items: list[tuple[str, list[str]]] = []
    if mode is Mode.TOLERANCE and modes.tolerance is not None:
        terms = modes.tolerance
        items += [
            ("补齐补正的材料", missing_materials),
            (
                "补齐补正的时限和方式",
                [
                    f"自受理之日起{_period(terms.supplement_deadline.model_dump())}内补齐补正"
                    "（受理当日不计入）",
                    terms.submission_method,
                ],
            ),
        ]
    elif mode is Mode.NOTIFY_COMMIT and modes.notify_commit is not None:
        terms_nc = modes.notify_commit
        verification = (
            [f"本事项免于核查，由行业主管部门实施日常监管（{cite_zh(DZ_12_2)}）。"]
            if terms_nc.exempt_from_verification
            else [
                "办理决定作出后"
                + _period(
                    terms_nc.verification_limit.model_dump()
                    if terms_nc.verification_limit
                    else {"amount": 0, "unit": "days"}
                )
                + "内，通过"
                + "、".join(_METHOD_LABELS[m.value] for m in terms_nc.verification_methods)
                + "等方式对履行承诺情况实施核查。"
            ]
        )
        items += [
            ("事项设定依据", [legal_basis]),
            ("办理条件", [terms_nc.conditions]),
            ("材料要求", list(terms_nc.material_requirements)),
            ("承诺办结时限", [_period(terms_nc.completion_limit.model_dump())]),
            (
                "政务服务实施机关核查权力",
                [verification_power or "实施机关有权核查承诺内容。", *verification],
            ),
        ]
    items.append(("不实承诺的法律责任", [legal_liability]))
    if other_notice:
        items.append(("其他应当告知的内容", [other_notice]))
    return NoticeRead(
        title=_MODE_TITLES[mode][0],
        agency_code=agency_code,
        agency_name=agency_name,
        matter_code=matter_code,
        matter_name=matter_name,
        matter_version=matter_version,
        items=[NoticeItem(heading=h, lines=lines) for h, lines in items],
    )


def _deadline_lines(deadlines: list[StoredDeadline]) -> tuple[DeadlineLine, ...]:
    """Each deadline, with its explanation in one line when it carries one."""
    return tuple(
        DeadlineLine(
            DEADLINE_LABELS.get(d.name, d.name),
            d.date,
            d.provisional,
            label_zh(d.citation),
            d.explanation.summary if d.explanation is not None else None,
        )
        for d in deadlines
    )


def _header(notice: NoticeRead, subject_name: str, subject_id: str) -> tuple[tuple[str, str], ...]:
    return (
        ("政务服务实施机关", f"{notice.agency_name}（{notice.agency_code}）"),
        (
            "政务服务事项",
            f"{notice.matter_name}（{notice.matter_code}，第{notice.matter_version}版）",
        ),
        ("申请人", subject_name),
        ("证件号码", subject_id),
    )


def notice_document(
    notice: NoticeRead,
    deadlines: list[StoredDeadline],
    *,
    reference: str,
    subject_name: str,
    subject_id: str,
    issued_on: date | None = None,
) -> Document:
    """一次性告知书, issued by the agency on ``issued_on`` (the day of acceptance)."""
    return Document(
        title=notice.title,
        reference=reference,
        fields=_header(notice, subject_name, subject_id),
        sections=tuple(Section(item.heading, bullets=tuple(item.lines)) for item in notice.items),
        deadlines=_deadline_lines(deadlines),
        signatures=("告知人（经办人）", "申请人（签收）"),
        footer=(
            "依据《德州市政务服务信用信息应用办法》第八条一次性告知。期限自所列起算日的次日开始计算"
            "（《中华人民共和国民法典》第二百零一条）；标注“暂定”的期限所涉年度节假日安排尚未公布。",
        ),
        dated=issued_on,
        issuer=notice.agency_name,
    )


def _lines(notice: NoticeRead, heading: str) -> list[str]:
    return next((item.lines for item in notice.items if item.heading == heading), [])


def supplement_section(notice: NoticeRead, deadlines: list[StoredDeadline]) -> tuple[Section, ...]:
    """What the letter binds the applicant to supply, by when and how (DZ art. 7 ¶2: "在承诺书
    载明的期限内补齐补正相应材料"): the materials and the way of submission of the notice,
    the supplement deadline. None for a commitment with nothing to supply."""
    materials = _lines(notice, "补齐补正的材料")
    due = next((d for d in deadlines if d.name == "supplement_due"), None)
    if not materials or due is None:
        return ()
    timing = _lines(notice, "补齐补正的时限和方式")
    method = timing[1] if len(timing) > 1 else "向政务服务实施机关提交"
    provisional = "（暂定，以当年节假日安排为准）" if due.provisional else ""
    return (
        Section(
            f"补齐补正的材料、期限和方式（{cite_zh(DZ_7_2)}）",
            paragraphs=(
                f"补齐补正期限：{day_zh(due.date)}前（含当日）{provisional}。",
                f"提交方式：{method.rstrip('。')}。",
                "应当补齐补正的材料：",
            ),
            bullets=tuple(materials),
        ),
    )


def letter_document(
    notice: NoticeRead,
    deadlines: list[StoredDeadline],
    affirmations: list[str],
    *,
    reference: str,
    subject_name: str,
    subject_id: str,
    signed_by: str,
    signed_on: str,
    conditions: tuple[str, ...] = (),
    meet_by: date | None = None,
    record: tuple[str, str] | None = None,
    issued_on: date | None = None,
) -> Document:
    """``record``: the register's number and disclosure class label, stated on the letter
    so that the applicant signs knowing whether the commitment will be published; the
    accepting agency's seal and ``issued_on`` close it."""
    registered = (
        (
            Section(
                "信用承诺记录",
                paragraphs=(
                    f"承诺编号：{record[0]}。本承诺及其履行情况的公开范围：{record[1]}"
                    "（由受理单位确定）。",
                ),
            ),
        )
        if record is not None
        else ()
    )
    to_meet = (
        (
            Section(
                "承诺达到的办理条件（《德州市政务服务信用信息应用办法》第七条第三款、第九条第二款）",
                paragraphs=(
                    f"承诺人暂未完全具备下列办理条件，承诺于{day_zh(meet_by)}前（含当日）达到；"
                    "政务服务实施机关自该日起对其实施核查。",
                ),
                bullets=conditions,
            ),
        )
        if conditions and meet_by is not None
        else ()
    )
    return Document(
        title=letter_title_from(notice),
        reference=reference,
        fields=_header(notice, subject_name, subject_id),
        sections=(
            Section(
                "承诺内容（《德州市政务服务信用信息应用办法》第九条）", bullets=tuple(affirmations)
            ),
            *supplement_section(notice, deadlines),
            *to_meet,
            Section(
                "履行承诺",
                paragraphs=(
                    "申请人应当在承诺期限内补齐补正申请材料或者达到承诺具备的相应条件，履行承诺。"
                    "履行承诺情况记入信用记录，作为事中事后监管的重要依据。",
                ),
            ),
            *registered,
        ),
        deadlines=_deadline_lines(deadlines),
        signatures=(f"承诺人（签字/盖章）：{signed_by}", "签署日期：" + signed_on),
        dated=issued_on,
        issuer=notice.agency_name,
    )


def letter_title_from(notice: NoticeRead) -> str:
    mode = Mode.TOLERANCE if notice.title == _MODE_TITLES[Mode.TOLERANCE][0] else Mode.NOTIFY_COMMIT
    return _MODE_TITLES[mode][1]
