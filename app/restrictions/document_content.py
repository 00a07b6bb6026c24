"""What the restriction list's documents say, from plain values (no session, no clock):
the listing notice (失信制约认定告知书, LZ annex), the repair notice (整改告知书, LZ §5(1)5)
and the two letters of credit repair on application (信用承诺书, 信用修复决定书).

The modules that print them (documents.py, repair_documents.py,
credit_repair_documents.py) load the records and call these builders; the reference
renderings of tests/documents build the same documents from fixed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.documents.pdf import DeadlineLine, Document, Section, day_zh
from app.restrictions.notice_route import FREE_OF_CHARGE_ZH
from app.rules.citation_zh import basis_zh, cite_zh, label_zh
from app.rules.citations import LZ_5_1_4_OBJECTION, LZ_5_1_5_REPAIR, Citation
from app.rules.credit_repair import REFUSAL_REMEDY_ZH
from app.rules.national_citations import (
    GB_2025_22_2_MINOR,
    NDRC_36_2_RIGHT,
    NDRC_36_3_PUBLICATION,
    NDRC_36_3_REPAIR,
    NDRC_36_3_SHARING,
)


@dataclass(frozen=True, slots=True)
class Party:
    """The listed subject as a document names it."""

    name: str
    id_number: str
    address: str = ""


@dataclass(frozen=True, slots=True)
class Issuer:
    """The collecting department (认定部门) that issues the document."""

    name: str
    phone: str = ""


def basis_lines(*citations: Citation) -> tuple[str, ...]:
    """Each citation in Chinese legal form with its text."""
    return tuple(f"{cite_zh(c)}：{c.text_zh}" for c in citations)


def _party_fields(party: Party, legal_basis: str) -> list[tuple[str, str]]:
    return [
        ("当事人（公民、法人或其他组织）", party.name),
        ("证件号码", party.id_number),
        ("住所（注册地址）", party.address),
        ("认定依据", basis_zh(legal_basis)),
    ]


def listing_notice_document(
    *,
    number: str,
    party: Party,
    issuer: Issuer,
    facts: str,
    situation_zh: str,
    channel_zh: str,
    legal_basis: str,
    repair_route: tuple[str, ...],
    objection: DeadlineLine | None,
    determined_on: date | None,
    issued_on: date,
) -> Document:
    """政务服务失信制约认定告知书 (LZ annex), with the repair route (两书同达)."""
    intro = (
        f"{issuer.name}（窗口）通过{channel_zh}途径，发现你/你单位存在{facts}"
        f"（{situation_zh}）行为，依据市区政务服务“失信制约”制度有关规定，"
        "现拟将被告知单位（人）列入政务服务部门失信制约名单。"
    )
    right = (
        "现以书面形式告知，如有异议，可在接到本告知书之日起3个工作日内提出陈述和申辩；"
        "逾期未提出陈述或者申辩，视为放弃陈述和申辩的权利。"
    )
    if objection is not None:
        right += f"依本告知书的签收日期计算，提出陈述和申辩的最后一日为{day_zh(objection.on)}。"
    fields = _party_fields(party, legal_basis)
    # 认定日期 (LZ §5(1)3) once the listing is determined: a notice printed before then
    # announces an intended listing (拟将…列入) and has none.
    if determined_on is not None:
        fields.append(("认定日期", day_zh(determined_on)))
    fields.append(("联系电话", issuer.phone))
    return Document(
        title="政务服务失信制约认定告知书",
        reference=f"编号：{number}",
        fields=tuple(fields),
        sections=(
            Section("告知事项", paragraphs=(intro,)),
            Section("陈述和申辩的权利", paragraphs=(right,)),
            Section("信用修复途径", paragraphs=repair_route),
        ),
        deadlines=(objection,) if objection is not None else (),
        footer=basis_lines(LZ_5_1_4_OBJECTION),
        dated=issued_on,
        issuer=issuer.name,
    )


def objection_line(on: date, provisional: bool, citation: str) -> DeadlineLine:
    """The objection deadline of a listing notice, its stored citation in Chinese form."""
    return DeadlineLine("提出陈述和申辩的期限", on, provisional, label_zh(citation))


def repair_notice_document(
    *,
    number: str,
    party: Party,
    issuer: Issuer,
    facts: str,
    situation_zh: str,
    legal_basis: str,
    published_on: date | None,
    period_ends_on: date,
    remains_zh: str,
    how_to_prove_zh: str,
    decision_limit_zh: str,
    issued_on: date,
) -> Document:
    """政务服务失信制约整改告知书: what remains to rectify after the period and how to prove it."""
    published = day_zh(published_on) if published_on else ""
    text = (
        f"你/你单位因{facts}（{situation_zh}），自{published}起被列入政务服务"
        f"失信制约名单，管理期限已于{day_zh(period_ends_on)}届满。经核查，原失信行为"
        "尚未整改，依据临淄区政务服务“失信制约”制度，名单继续有效，直至整改完成。"
    )
    apply = (
        f"你/你单位可随时通过政务服务平台或到{issuer.name}窗口提交整改证明材料。"
        f"我单位自收到之日起{decision_limit_zh}内作出认定；认定已整改的，当日完成信用修复，"
        "从失信制约名单中移除并屏蔽相关公示信息；认定未整改的，将书面说明理由，"
        "你/你单位可补充材料后再次提交。"
    )
    return Document(
        title="政务服务失信制约整改告知书",
        reference=f"编号：{number}",
        fields=(
            *_party_fields(party, legal_basis),
            ("管理期限届满日", day_zh(period_ends_on)),
            ("联系电话", issuer.phone),
        ),
        sections=(
            Section("告知事项", paragraphs=(text,)),
            Section("尚待整改的事项", paragraphs=(remains_zh,)),
            Section("如何证明已整改", paragraphs=(how_to_prove_zh,)),
            Section("提交方式与认定期限", paragraphs=(apply, FREE_OF_CHARGE_ZH)),
        ),
        footer=basis_lines(LZ_5_1_5_REPAIR),
        dated=issued_on,
        issuer=issuer.name,
    )


def credit_commitment_document(
    *,
    number: str,
    party: Party,
    department: str,
    facts: str,
    situation_zh: str,
    published_on: date | None,
    today: date,
) -> Document:
    """信用承诺书 for a listing, signed by the subject and filed with its application."""
    return Document(
        title="信用承诺书",
        reference=f"（信用修复申请用）名单编号：{number}",
        fields=(
            ("承诺人", party.name),
            ("证件号码", party.id_number),
            ("失信行为", f"{facts}（{situation_zh}）"),
            ("认定部门", department),
            ("列入日期", day_zh(published_on) if published_on else ""),
        ),
        sections=(
            Section(
                "承诺事项",
                paragraphs=(
                    f"本人（本单位）因上述失信行为被{department}列入政务服务失信制约名单，"
                    "现申请信用修复，郑重承诺：",
                ),
                bullets=(
                    "已纠正上述失信行为，法定责任义务已履行完毕；",
                    "申请信用修复所提交的全部材料真实、合法、有效；",
                    "今后申请政务服务提交的身份信息和材料真实，不再发生同类失信行为；",
                    "如违反本承诺，自愿接受撤销信用修复决定、重新列入名单等处理，并依法承担相应责任；",
                    "同意本承诺书按规定记录并公示。",
                ),
            ),
        ),
        signatures=("承诺人（签字或盖章）", "签署日期"),
        footer=basis_lines(NDRC_36_2_RIGHT, GB_2025_22_2_MINOR),
        dated=today,
    )


@dataclass(frozen=True, slots=True)
class RepairDecision:
    """A decided application (信用修复申请) as its decision letter states it."""

    granted: bool
    reasons: str
    filed_on: date
    accepted_on: date | None
    decided_on: date


def credit_decision_document(
    *, number: str, party: Party, issuer: Issuer, facts: str, decision: RepairDecision
) -> Document:
    """信用修复决定书: decision, reasons, legal basis, date, department; a refusal's remedy."""
    day = day_zh(decision.decided_on)
    if decision.granted:
        decided = (
            f"予以信用修复。自{day}起，终止公示该失信信息，停止共享和使用该失信信息，"
            "同步解除相关失信惩戒措施（政务服务失信制约），并已推送信用信息平台。"
        )
    else:
        decided = "不予信用修复。该失信信息继续有效，相关失信惩戒措施继续执行。"
    sections = [
        Section("决定", paragraphs=(decided,)),
        Section("理由", paragraphs=(decision.reasons,)),
        Section(
            "依据",
            paragraphs=basis_lines(
                NDRC_36_3_REPAIR, NDRC_36_3_PUBLICATION, NDRC_36_3_SHARING, GB_2025_22_2_MINOR
            ),
        ),
    ]
    if not decision.granted:
        sections.append(Section("救济途径", paragraphs=(REFUSAL_REMEDY_ZH,)))
    return Document(
        title="信用修复决定书",
        reference=f"编号：{number}",
        fields=(
            ("申请人", party.name),
            ("证件号码", party.id_number),
            ("失信行为", facts),
            ("申请日期", day_zh(decision.filed_on)),
            ("受理日期", day_zh(decision.accepted_on) if decision.accepted_on else ""),
            ("决定日期", day),
            ("联系电话", issuer.phone),
        ),
        sections=tuple(sections),
        dated=decision.decided_on,
        issuer=issuer.name,
    )
