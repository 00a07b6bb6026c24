from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from app.core.identifiers import SubjectType
from app.core.text import text
from app.privacy.masking import masked_identity, viewer_needs_identity

_PERSON: dict[str, Any] = {
    "subject_type": "person",
    "id_number": "11010519491231002X",
    "name": "张三",
    "address": "山东省德州市德城区新湖大街1号",
}
_ORGANIZATION: dict[str, Any] = {
    "subject_type": "organization",
    "id_number": "91350100M000100Y43",
    "name": "德州市某某食品有限公司",
    "address": "山东省德州市德城区天衢路100号",
}


class SubjectIn(BaseModel):
    """申请人或代理人. `id_number`: 统一社会信用代码 (organization) or 居民身份证号码 (person);
    checked against its standard and stored upper case without spaces."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_ORGANIZATION, _PERSON]}
    )

    subject_type: SubjectType
    id_number: str = Field(min_length=1, max_length=40)
    name: Annotated[str, text(200)] = Field(description="名称或姓名.")
    address: Annotated[str, text(500, min_length=0)] | None = Field(
        default=None, description="住所或居住地: registered address or residence."
    )


class SubjectRead(BaseModel):
    """申请人. A person's name and ID number are masked, and the address withheld, for a
    caller whose role does not need them (app.privacy.masking); organisations are public."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ORGANIZATION]})

    subject_type: SubjectType
    id_number: str
    name: str
    address: str | None = None

    @model_serializer(mode="wrap")
    def mask_for_viewer(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if self.subject_type is SubjectType.person and not viewer_needs_identity():
            data["name"], data["id_number"] = masked_identity(
                self.subject_type, self.name, self.id_number
            )
            data["address"] = None
        return data
