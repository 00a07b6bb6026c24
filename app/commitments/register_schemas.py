"""The commitment register's shapes: a commitment's record (信用承诺记录) and the public
list (信用承诺公示)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.identifiers import SubjectType
from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.rules.commitment_register import CommitmentType, Disclosure, Fulfilment

_RECORD_EXAMPLE: dict[str, Any] = {
    "number": "371400-20260930-000001",
    "commitment_type": "tolerance",
    "type_label": "容缺受理",
    "cause": "食品经营许可（容缺受理）",
    "content": ["本人（本单位）已知晓告知内容。", "本人（本单位）提供的材料真实有效。"],
    "liability": "不实承诺的，依法撤销办理结果并记入信用记录。",
    "signed_on": "2026-09-30",
    "department": "371400-SPJ",
    "department_name": "德州市行政审批服务局",
    "fulfilment": "unfulfilled",
    "fulfilment_label": "未履行",
    "unfulfilled": ["食品安全管理制度文本"],
}


class CommitmentRecordRead(BaseModel):
    """信用承诺记录: the commitment as the register keeps it. `fulfilment` is derived
    from the case's life cycle on the day asked (DZ art. 9 ¶2, 14)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**_RECORD_EXAMPLE, "disclosure": "public", "disclosure_label": "可向社会公开"}
            ]
        }
    )

    number: str = Field(
        description="承诺编号: 受理单位行政区划代码-签署日(北京时间)-当日流水号, e.g. "
        "`371400-20261201-000123`; unique, never reused, gaps allowed."
    )
    commitment_type: CommitmentType = Field(
        description="承诺类型: tolerance 容缺受理; notify_commit 告知承诺（证明事项、涉企经营"
        "许可）; credit_repair 信用修复; voluntary 主动公示."
    )
    type_label: str = Field(description="承诺类型的中文名称.")
    cause: str = Field(description="承诺事由.")
    content: list[str] = Field(description="承诺内容.")
    liability: str = Field(description="违诺责任 (不实承诺和未履行承诺的法律责任).")
    signed_on: dt.date = Field(description="承诺日期: the day of signing in Asia/Shanghai.")
    department: str = Field(description="受理单位代码.")
    department_name: str = Field(description="受理单位名称.")
    disclosure: Disclosure = Field(
        description="公开范围: public 可向社会公开 (on the public list); restricted 特定范围"
        "公开; undisclosed 不公开. Set by the accepting unit at signing; by default "
        "public for an organisation, restricted for a natural person."
    )
    disclosure_label: str = Field(description="公开范围的中文名称.")
    fulfilment: Fulfilment = Field(
        description="履约状态: in_progress 履行期内; fulfilled 全部履行; partially_fulfilled "
        "部分履行; unfulfilled 未履行; withdrawn 已撤回 (DZ art. 10)."
    )
    fulfilment_label: str = Field(description="履约状态的中文名称.")
    unfulfilled: list[str] = Field(description="未履行的内容 (部分履行、未履行 only).")


class PublicCommitment(BaseModel):
    """信用承诺公示: a commitment the accepting unit classed 可向社会公开; a natural
    person's name and ID number masked, an organisation's shown in full."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **{k: v for k, v in _RECORD_EXAMPLE.items() if k != "department"},
                    "subject_type": "organization",
                    "name": "德州市某某食品有限公司",
                    "id_number": "91371400MA3C5AB12X",
                }
            ]
        }
    )

    number: str
    commitment_type: CommitmentType
    type_label: str
    subject_type: SubjectType
    name: str = Field(description="承诺主体名称; 自然人姓名遮蔽 (张*丰).")
    id_number: str = Field(description="统一社会信用代码; 自然人身份证号码遮蔽.")
    cause: str
    content: list[str]
    liability: str
    signed_on: dt.date
    department_name: str = Field(description="受理单位.")
    fulfilment: Fulfilment
    fulfilment_label: str
    unfulfilled: list[str]


class PublicCommitmentSearch(BaseModel):
    """检索信用承诺公示: the organisation's code in the body, never in a URL."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"uscc": "91371400MA3C5AB12X"}, {"limit": 20}]},
    )

    uscc: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="统一社会信用代码 of the organisation; spaces and case do not matter.",
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        default=None, max_length=512, description="`next_cursor` of the previous page."
    )
