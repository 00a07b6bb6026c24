"""联合奖惩 (LZ §3 "对于纳入国家联合奖惩备忘录的申报主体，从其规定处理"): what a hit bars.

A subject on a national joint reward and punishment list is handled as the memorandum
(联合奖惩备忘录) of that list provides, not by a blanket refusal of every facilitation
mode. Each list type below names its memorandum and the facilitation modes a hit bars
here; the other modes stay open.

The memoranda are external documents, not quoted in this repository: each is named by
its title (and its document number where one was confirmed), and which facilitation modes
its measures bar is this deployment's reading of it (``Basis.DEPLOYMENT_CHOICE``), to be
confirmed by the 政务服务管理机构 against the memorandum's text. A deployment changes this
table the way it changes a profile: a reviewed change here.

A hit whose list type is not in the table (an entry imported before types were recorded,
or an external answer naming an unknown list) cannot say which measures apply: the check
is then not performed (``not_performed``), as when the lists cannot be read at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from app.rules.citations import DZ_6_2, LZ_3_JOINT, LZ_4_1, Citation
from app.rules.profiles import Basis, Mode

__all__ = [
    "LIST_TYPE_RULES",
    "NOT_PERFORMED_CITATIONS",
    "NOT_PERFORMED_DESCRIPTION_EN",
    "NOT_PERFORMED_DESCRIPTION_ZH",
    "ListType",
    "ListTypeRule",
    "Memorandum",
    "configured_list_type",
    "list_type_of",
]


class ListType(StrEnum):
    """名单类型: the national list an entry is on."""

    DISHONEST_JUDGMENT_DEBTOR = "dishonest_judgment_debtor"  # 失信被执行人
    MAJOR_TAX_VIOLATION = "major_tax_violation"  # 重大税收违法失信主体
    UNCLASSIFIED = "unclassified"  # type not recorded or not configured: not performed


@dataclass(frozen=True, slots=True)
class Memorandum:
    """A joint reward and punishment memorandum, named as configuration (not quoted)."""

    title_zh: str
    document_number: str | None  # None: not confirmed here

    @property
    def label(self) -> str:
        """《title》, followed by （number） when the number was confirmed."""
        if self.document_number is None:
            return f"《{self.title_zh}》"
        return f"《{self.title_zh}》（{self.document_number}）"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "title_zh": self.title_zh,
            "document_number": self.document_number,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class ListTypeRule:
    """What a hit on one list type bars, under which memorandum."""

    list_type: ListType
    label_zh: str
    list_names: frozenset[str]  # names the list is published under
    memorandum: Memorandum
    barred_modes: frozenset[Mode]
    description_zh: str
    description_en: str
    basis: Basis = Basis.DEPLOYMENT_CHOICE
    citation: Citation = LZ_3_JOINT

    @property
    def open_modes(self) -> frozenset[Mode]:
        return frozenset(Mode) - self.barred_modes

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.list_type.value,
            "label_zh": self.label_zh,
            "list_names": sorted(self.list_names),
            "memorandum": self.memorandum.to_dict(),
            "barred_modes": [m.value for m in Mode if m in self.barred_modes],
            "open_modes": [m.value for m in Mode if m in self.open_modes],
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
            "description_zh": self.description_zh,
            "description_en": self.description_en,
        }


DISHONEST_JUDGMENT_DEBTOR: Final = ListTypeRule(
    ListType.DISHONEST_JUDGMENT_DEBTOR,
    "失信被执行人",
    frozenset({"失信被执行人", "失信被执行人名单"}),
    # The number as printed on the notice that issued it (发改财金〔2016〕141号).
    Memorandum("关于对失信被执行人实施联合惩戒的合作备忘录", "发改财金〔2016〕141号"),
    frozenset(Mode),
    "人民法院公布的失信被执行人，按该备忘录规定的惩戒措施处理。本系统将其措施读作"
    "不享受绿色通道、容缺受理、告知承诺全部便利化办理方式；该对应关系为部署选择，"
    "应由政务服务管理机构对照备忘录原文确认。",
    "Dishonest judgment debtors published by the courts, handled as the memorandum "
    "provides. This deployment reads its measures as barring every facilitation mode "
    "(green channel, tolerance, notify-commit); a deployment choice, to be confirmed "
    "against the memorandum's text.",
)

MAJOR_TAX_VIOLATION: Final = ListTypeRule(
    ListType.MAJOR_TAX_VIOLATION,
    "重大税收违法失信主体",
    frozenset({"重大税收违法失信主体", "重大税收违法失信主体名单", "重大税收违法案件当事人名单"}),
    Memorandum("对重大税收违法案件当事人实施联合惩戒措施的合作备忘录", None),
    frozenset({Mode.TOLERANCE, Mode.NOTIFY_COMMIT}),
    "税务机关公布的重大税收违法失信主体，按该备忘录规定的惩戒措施处理。本系统将其措施"
    "读作不享受以申请人承诺为基础的容缺受理、告知承诺，绿色通道（快速办理、专人帮办）"
    "不受影响；该对应关系及备忘录版本、文号为部署选择，应由政务服务管理机构对照原文确认。",
    "Major tax violators published by the tax authorities, handled as the memorandum "
    "provides. This deployment reads its measures as barring the modes that rest on the "
    "applicant's commitment (tolerance, notify-commit) and leaving the green channel "
    "open; the mapping, the memorandum's version and number are a deployment choice, to "
    "be confirmed against its text.",
)

LIST_TYPE_RULES: Final[Mapping[ListType, ListTypeRule]] = MappingProxyType(
    {rule.list_type: rule for rule in (DISHONEST_JUDGMENT_DEBTOR, MAJOR_TAX_VIOLATION)}
)

# A check that could not read the lists, or could not tell which measures a hit's
# memorandum provides, is not performed: not "核验未通过" (DZ art. 6 ¶2), nor a query that
# found a bad record (LZ §4(1)). The applicant takes the ordinary procedure for now.
NOT_PERFORMED_CITATIONS: Final[tuple[Citation, ...]] = (DZ_6_2, LZ_4_1)

NOT_PERFORMED_DESCRIPTION_ZH: Final = (
    "联合奖惩名单暂时无法查询（外部名单服务中断、超时或应答异常），或命中名单的类型未确认、"
    "无法确定其备忘录规定的措施时，本次核验结果为“未完成”（not_performed），不属于"
    "“信用核验未通过”：申请人现按一般程序办理，不记录任何核验失败，可随时重新核验；"
    "未完成的核验不得用于签订承诺书。"
)
NOT_PERFORMED_DESCRIPTION_EN: Final = (
    "When the joint punishment lists cannot be read (the external service is down, slow or "
    "answers badly), or a hit's list type is not known so its memorandum's measures cannot "
    "be told, the check is not performed (`not_performed`), which is not a failed check: "
    "the applicant takes the ordinary procedure now, no failure is recorded, the check may "
    "be run again at any time, and it never backs a commitment."
)

_BY_NAME: Final[Mapping[str, ListType]] = MappingProxyType(
    {name: rule.list_type for rule in LIST_TYPE_RULES.values() for name in rule.list_names}
)


def configured_list_type(code: str) -> ListType | None:
    """The configured list type of ``code``; None for an unknown code or ``unclassified``."""
    try:
        list_type = ListType(code)
    except ValueError:
        return None
    return list_type if list_type in LIST_TYPE_RULES else None


def list_type_of(list_name: str, declared: str | None = None) -> ListType:
    """The type of a list entry: the one declared, else the one published under
    ``list_name``; ``unclassified`` when neither names a configured type."""
    if declared:
        return configured_list_type(declared) or ListType.UNCLASSIFIED
    return _BY_NAME.get(list_name.strip(), ListType.UNCLASSIFIED)
