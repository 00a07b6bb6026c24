"""Citations: every rule, number and reason code points at the sentence it comes from.

Sources and their short names:

- ``DZ``: 德州市政务服务信用信息应用办法 (德州市政府第13号令, in force 2023-12-02),
  cited by article and paragraph: "DZ art. 15 ¶2".
- ``LZ``: 临淄区建立政务服务"失信制约"制度 打造信用极简审批新模式实施方案（试行）
  (临政管办发〔2022〕3号), cited by section, subsection and item: "LZ §5(1)4".
- ``民法典``: 中华人民共和国民法典, rules on counting periods (arts. 201-203).
- ``行政许可法``: 中华人民共和国行政许可法, art. 82 (periods in working days).

``text_zh`` is copied verbatim from the source (for a long enumeration, the clause that
states the rule). Several constants may share a label when one item holds several
sentences (LZ §5(1)4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

DZ: Final = "DZ"
LZ: Final = "LZ"
CIVIL_CODE: Final = "民法典"
LICENSING_LAW: Final = "行政许可法"
NDRC_36: Final = "国家发展改革委令第36号"
GB_2025_22: Final = "国办发〔2025〕22号"

SOURCE_TITLES_ZH: Final[dict[str, str]] = {
    DZ: "德州市政务服务信用信息应用办法",
    LZ: "临淄区建立政务服务“失信制约”制度 打造信用极简审批新模式实施方案（试行）",
    CIVIL_CODE: "中华人民共和国民法典",
    LICENSING_LAW: "中华人民共和国行政许可法",
    NDRC_36: "信用修复管理办法",
    GB_2025_22: "关于进一步完善信用修复制度的实施方案",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to one sentence of a source text, with the sentence itself."""

    source: str
    article: str
    paragraph: str | None
    text_zh: str

    @property
    def label(self) -> str:
        """Short human label: "DZ art. 15 ¶2", "LZ §5(1)4", "LZ annex", "民法典 art. 201"."""
        if self.source == LZ:
            if not self.article[:1].isdigit():
                return f"{LZ} {self.article}"
            return f"{LZ} §{self.article}{self.paragraph or ''}"
        label = f"{self.source} art. {self.article}"
        return f"{label} ¶{self.paragraph}" if self.paragraph else label

    def to_dict(self) -> dict[str, str | None]:
        return {
            "label": self.label,
            "source": self.source,
            "source_title_zh": SOURCE_TITLES_ZH.get(self.source),
            "article": self.article,
            "paragraph": self.paragraph,
            "text_zh": self.text_zh,
        }


class Basis(StrEnum):
    """Where a parameter's value, or a reading (:mod:`app.rules.readings`), comes from."""

    REGULATION = "regulation"  # the number is in the cited text
    DEPLOYMENT_CHOICE = "deployment_choice"  # chosen here, bounded by the cited rule
    AGENCY_SET = "agency_set"  # set case by case by the agency; a value is a minimum


def join_labels(citations: tuple[Citation, ...]) -> str:
    """ "民法典 art. 201; 行政许可法 art. 82"."""
    return "; ".join(c.label for c in citations)


# --- 民法典 (Civil Code): counting periods ------------------------------------------

CIVIL_CODE_201: Final = Citation(
    CIVIL_CODE,
    "201",
    None,
    "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。",
)
CIVIL_CODE_202: Final = Citation(
    CIVIL_CODE,
    "202",
    None,
    "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。",
)
CIVIL_CODE_203: Final = Citation(
    CIVIL_CODE,
    "203",
    None,
    "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。",
)

# --- 行政许可法 (Administrative Licensing Law) ---------------------------------------

LICENSING_LAW_82: Final = Citation(
    LICENSING_LAW,
    "82",
    None,
    "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日。",
)

# --- DZ: 德州市政务服务信用信息应用办法 ------------------------------------------------

DZ_2_1: Final = Citation(
    DZ,
    "2",
    "1",
    "本办法适用于本市行政区域内政务服务实施机关应用公民、法人或者其他组织（以下统称申请人）"
    "的信用信息办理政务服务事项的活动。",
)
DZ_2_2: Final = Citation(
    DZ,
    "2",
    "2",
    "办理直接涉及国家安全、国家秘密、公共安全、金融业审慎监管、生态环境保护，"
    "直接关系人身健康、生命财产安全，以及重要涉外等风险较大、纠错成本较高、"
    "损害难以挽回的政务服务事项，不适用本办法。",
)
DZ_5: Final = Citation(
    DZ,
    "5",
    None,
    "可应用申请人的信用信息进行便利化办理的政务服务事项，由政务服务管理机构会同"
    "政务服务实施机关、行业主管部门共同研究论证后确定，实行清单管理和动态调整，"
    "并向社会公开。",
)
DZ_6_1: Final = Citation(
    DZ,
    "6",
    "1",
    "对于可应用信用信息进行便利化办理的政务服务事项，申请人可以自主选择是否应用"
    "信用信息进行便利化办理。",
)
DZ_6_2: Final = Citation(
    DZ,
    "6",
    "2",
    "申请人选择应用信用信息办理的，信用核验通过后，享受信用信息应用服务；"
    "不选择应用信用信息办理或者信用核验未通过的，按照一般程序办理。",
)
DZ_7_1: Final = Citation(
    DZ,
    "7",
    "1",
    "应用信用信息进行便利化办理包括容缺受理、告知承诺以及其他可以适用信用信息应用的便利服务措施。",
)
DZ_7_2: Final = Citation(
    DZ,
    "7",
    "2",
    "容缺受理，是指申请人缺少可容缺材料时，通过信用核验并签订容缺受理承诺书后，"
    "政务服务实施机关先行受理并履行一次性告知职责，申请人在承诺书载明的期限内"
    "补齐补正相应材料的工作机制。",
)
DZ_7_3: Final = Citation(
    DZ,
    "7",
    "3",
    "告知承诺，是指申请人缺少可容缺材料或者暂未完全具备办理条件时，通过信用核验后，"
    "政务服务实施机关履行一次性告知职责，申请人签订告知承诺书并按要求提交其他材料，"
    "政务服务实施机关当场或者在承诺办结时限内办结的工作机制。",
)
DZ_9_1: Final = Citation(
    DZ,
    "9",
    "1",
    "申请人选择应用信用信息进行便利化办理并作出承诺的，承诺内容应当包括已知晓告知内容，"
    "已符合相关条件，提供的材料真实有效，承诺内容是真实意思表示，"
    "愿意承担不实承诺和未履行承诺的法律责任等。",
)
DZ_9_2: Final = Citation(
    DZ,
    "9",
    "2",
    "申请人应当在承诺期限内补齐补正申请材料或者达到承诺具备的相应条件，履行承诺。",
)
DZ_10: Final = Citation(
    DZ,
    "10",
    None,
    "政务服务事项办结前，申请人有合理理由的，可以撤回承诺书，撤回后该事项应当按照一般程序办理。",
)
DZ_11_1: Final = Citation(
    DZ,
    "11",
    "1",
    "采用告知承诺的政务服务事项，政务服务实施机关作出办理决定后，应当在核查时限内"
    "通过在线核查、现场核查、协助核查等方式对申请人履行承诺情况实施核查。",
)
DZ_12_1: Final = Citation(
    DZ,
    "12",
    "1",
    "政务服务实施机关与行业主管部门不一致的，对有明确规定承诺核查内容纳入事中事后监管的事项，"
    "行业主管部门应当按照有关规定加强监管，并及时将监管结果向政务服务实施机关反馈。",
)
DZ_12_2: Final = Citation(
    DZ,
    "12",
    "2",
    "对免于核查的事项，行业主管部门要综合运用“双随机、一公开”监管、重点监管、"
    "“互联网+监管”、智慧监管等方式实施日常监管。",
)
DZ_13_1: Final = Citation(
    DZ,
    "13",
    "1",
    "对采用容缺受理的政务服务事项，申请人未在承诺期限内补齐补正申请材料，"
    "或者补齐补正不符合要求的，政务服务实施机关应当责令其限期整改；"
    "逾期不整改或者整改后仍不符合条件的，依法终止办理。",
)
DZ_13_2: Final = Citation(
    DZ,
    "13",
    "2",
    "对采用告知承诺的政务服务事项，申请人实际情况与承诺内容不符的，政务服务实施机关"
    "应当责令其限期整改；逾期不整改或者整改后仍不符合条件的，依法撤销办理结果。",
)
DZ_14: Final = Citation(
    DZ,
    "14",
    None,
    "政务服务实施机关应当依法采集、客观记录申请人履行承诺情况，并向公共信用信息平台报送。",
)
DZ_15_1: Final = Citation(
    DZ,
    "15",
    "1",
    "申请人有不实承诺或者不履行承诺的，政务服务实施机关限制其享受容缺受理、告知承诺等便利化服务。",
)
DZ_15_2: Final = Citation(
    DZ,
    "15",
    "2",
    "申请人被限制享受相关便利化服务，积极履行义务且在规定期限内完成整改的，"
    "可以申请取消限制，政务服务实施机关自接到申请之日起五日内核实。",
)
DZ_15_2_LIFT: Final = Citation(DZ, "15", "2", "经核实属实的，应当及时取消。")
DZ_16_1: Final = Citation(
    DZ,
    "16",
    "1",
    "申请人实际情况与承诺内容不符，构成行政处罚的，依法给予行政处罚；涉嫌犯罪的，依法移送司法机关。",
)

# --- LZ: 临淄区"失信制约"制度实施方案 ---------------------------------------------------

LZ_2_APPEAL: Final = Citation(
    LZ,
    "2",
    None,
    "建立健全信用修复、异议申诉等机制，保护当事人合法权益。",
)
LZ_3_AREA: Final = Citation(
    LZ,
    "3",
    None,
    "临淄区范围内申请办理政务服务事项过程中发生的守信和失信行为的认定、激励、制约及其管理。",
)
LZ_3_SCOPE: Final = Citation(
    LZ,
    "3",
    None,
    "实施对象为政务服务所有申报主体（包含代理机构和代理人），包括向企业提供各类服务的"
    "中介服务机构。",
)
LZ_3_JOINT: Final = Citation(
    LZ,
    "3",
    None,
    "对于纳入国家联合奖惩备忘录的申报主体，从其规定处理。",
)
LZ_4_1: Final = Citation(
    LZ,
    "4(1)",
    None,
    "申请人在政务服务事项办理过程中，经工作人员查询淄博市政务服务平台“联合奖惩”和"
    "“失信制约”模块，核实无不良信用记录的，即可享受激励措施。",
)
LZ_4_2: Final = Citation(
    LZ,
    "4(2)",
    None,
    "对于守信行为，政务服务部门采取以下措施予以激励：",
)
LZ_4_2_1: Final = Citation(
    LZ,
    "4(2)",
    "1",
    "实行“绿色通道”便利服务措施，提供快速办理、专人帮办、免费代办等服务；",
)
LZ_5_1_2: Final = Citation(
    LZ,
    "5(1)",
    "2",
    "列入失信制约名单的五种情形包括：冒用他人身份信息申请政务服务被核实尚不构成行政处罚的；"
    "隐瞒事实或提供虚假材料申请政务服务被核实尚不构成行政处罚的；"
    "实施“容缺受理”“容缺办理”审批后未按约定期限提报申请资料经催告后3个工作日内仍未提交的；"
    "实施“告知承诺”“承诺即入”审批后核实实际情况达不到承诺内容的；"
    "公民、法人或其他组织在政务服务中的其他失信尚不构成惩戒的行为。",
)
LZ_5_1_2_SHORT_OF_PENALTY: Final = Citation(
    LZ,
    "5(1)",
    "2",
    "办理政务服务过程中，将存在失信行为且未达到行政处罚的申请人，列入失信制约名单管理。",
)
LZ_5_1_2_SITUATION_3: Final = Citation(
    LZ,
    "5(1)",
    "2",
    "实施“容缺受理”“容缺办理”审批后未按约定期限提报申请资料经催告后3个工作日内仍未提交的；",
)
LZ_5_1_3: Final = Citation(
    LZ,
    "5(1)",
    "3",
    "基本信息包括公民、法人或其他组织名称（姓名）、统一社会信用代码（身份证号）、"
    "注册地址（住址）、失信事实、认定单位、认定依据、认定日期、有效期、法律文书等内容。",
)
LZ_5_1_4_VERIFY: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "按照“谁采集、谁核实”的原则，政务服务部门对拟纳入失信制约的公民、法人或其他组织进行真伪核实。",
)
LZ_5_1_4_NOTICE: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "按照“谁采集、谁告知”的原则，在完成信息核实后3个工作日内以书面形式现场告知或邮寄送达当事人。",
)
LZ_5_1_4_OBJECTION: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "当事人具有陈述申辩权利，如对事实认定存在异议，应在接到告知书之日起3个工作日内"
    "提出申请并提交相关证明材料，政务服务部门应当听取其陈述申辩意见并于15个工作日内"
    "进行复核。",
)
LZ_5_1_4_HEARING: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "政务服务部门应当听取其陈述申辩意见并于15个工作日内进行复核。",
)
LZ_5_1_4_CORRECTION: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "对确定列为失信制约的主体信息，由政务服务部门及时推送至淄博市政务服务平台，"
    "发现信息有误或者发生变更时，应当在2个工作日内通过原途径予以修改或移除。",
)
LZ_5_1_4_PUSH: Final = Citation(
    LZ,
    "5(1)",
    "4",
    "对确定列为失信制约的主体信息，由政务服务部门及时推送至淄博市政务服务平台",
)
LZ_5_1_5_PERIOD: Final = Citation(
    LZ,
    "5(1)",
    "5",
    "失信制约的管理期限一般为6个月，自公布之日起计算。",
)
LZ_5_1_5_REPAIR: Final = Citation(
    LZ,
    "5(1)",
    "5",
    "如管理期内原失信行为已整改且无新的失信行为发生，期满后失信主体信用自行修复，"
    "从失信名单中移除，屏蔽相关公示信息；如管理期内再次发生失信行为，则重新计算管理期限。",
)
LZ_5_1_5_OTHER_PERIOD: Final = Citation(
    LZ,
    "5(1)",
    "5",
    "有关法律法规规章对管理期限另有规定的，依照其规定执行。",
)
LZ_5_1_6_CONSENT: Final = Citation(
    LZ,
    "5(1)",
    "6",
    "政务服务部门应当遵循合法、正当、必要、最小化原则,收集使用申请人信用信息,"
    "明示收集使用信息的目的、方式和范围并经本人同意,对涉及涉密信息或载体的,"
    "应当符合国家保密规定。",
)
LZ_5_1_6_NO_LIFETIME: Final = Citation(
    LZ,
    "5(1)",
    "6",
    "禁止任何单位和个人未经授权、强制授权或一次授权终身收集使用申请人信用信息。",
)
LZ_5_2_1: Final = Citation(
    LZ,
    "5(2)",
    "1",
    "不享受绿色通道、容缺受理、容缺办理、告知承诺、承诺即入等便民惠企措施;",
)
LZ_5_2_2: Final = Citation(
    LZ,
    "5(2)",
    "2",
    "将失信制约人信息推送至淄博市政务服务平台及事中事后监管部门,"
    "监管部门在行政监管中将其列为重点核查对象;",
)
LZ_5_2_3: Final = Citation(
    LZ,
    "5(2)",
    "3",
    "在有关部门、单位、行业协会、商会评定信用等级、评先评优征求意见时予以反馈;",
)
LZ_ANNEX: Final = Citation(
    LZ,
    "annex",
    None,
    "现以书面形式告知，如有异议，可在接到本告知书之日起3个工作日内提出陈述和申辩；"
    "逾期未提出陈述或者申辩，视为放弃陈述和申辩的权利。",
)

ALL_CITATIONS: Final[tuple[Citation, ...]] = (
    CIVIL_CODE_201,
    CIVIL_CODE_202,
    CIVIL_CODE_203,
    LICENSING_LAW_82,
    DZ_2_1,
    DZ_2_2,
    DZ_5,
    DZ_6_1,
    DZ_6_2,
    DZ_7_1,
    DZ_7_2,
    DZ_7_3,
    DZ_9_1,
    DZ_9_2,
    DZ_10,
    DZ_11_1,
    DZ_12_1,
    DZ_12_2,
    DZ_13_1,
    DZ_13_2,
    DZ_14,
    DZ_15_1,
    DZ_15_2,
    DZ_15_2_LIFT,
    DZ_16_1,
    LZ_2_APPEAL,
    LZ_3_AREA,
    LZ_3_SCOPE,
    LZ_3_JOINT,
    LZ_4_1,
    LZ_4_2,
    LZ_4_2_1,
    LZ_5_1_2,
    LZ_5_1_2_SHORT_OF_PENALTY,
    LZ_5_1_2_SITUATION_3,
    LZ_5_1_3,
    LZ_5_1_4_VERIFY,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    LZ_5_1_4_HEARING,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_PUSH,
    LZ_5_1_5_PERIOD,
    LZ_5_1_5_REPAIR,
    LZ_5_1_5_OTHER_PERIOD,
    LZ_5_1_6_CONSENT,
    LZ_5_1_6_NO_LIFETIME,
    LZ_5_2_1,
    LZ_5_2_2,
    LZ_5_2_3,
    LZ_ANNEX,
)
