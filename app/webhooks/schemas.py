from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from app.core.schema_types import UuidStr
from app.core.text import text

EVENT_PATTERN = r"^[a-z_]+(\.[a-z_*]+)?$|^\*$"
# The column holds 2,000 characters of the URL as normalised (an IDN host grows as punycode).
MAX_URL_LENGTH = 2000


class SubscriptionCreate(BaseModel):
    """A webhook subscription (事件订阅): URL, event types and the signing secret."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "山东省政务服务平台",
                    "url": "https://zwfw.example.gov.cn/hooks/credit",
                    "event_types": ["commitment.*", "restriction.publish"],
                    "secret": "a-long-random-secret-shared-with-the-receiver",
                    "personal_data": True,
                }
            ]
        },
    )

    name: Annotated[str, text(200)] = Field(description="订阅方名称.")
    url: HttpUrl = Field(description=f"At most {MAX_URL_LENGTH} characters.")
    # As long as the events table's type column.
    event_types: list[Annotated[str, Field(pattern=EVENT_PATTERN, max_length=80)]] = Field(
        min_length=1,
        max_length=50,
        description="Exact types or `prefix.*`; `*` for every event.",
    )
    secret: Annotated[str, text(200, min_length=16)] = Field(description="签名密钥 (HMAC).")
    personal_data: bool = Field(
        default=False,
        description="授权接收个人信息: deliver the subject's full ID number and name "
        "instead of the masked ones. `https://` URLs only (otherwise 422 "
        "`personal_data_requires_https`); recorded in the audit log.",
    )

    @field_validator("url")
    @classmethod
    def _url_fits(cls, url: HttpUrl) -> HttpUrl:
        if len(str(url)) > MAX_URL_LENGTH:
            raise ValueError(f"the URL is longer than {MAX_URL_LENGTH} characters")
        return url


class SubscriptionRead(BaseModel):
    id: UuidStr
    name: str
    url: str
    event_types: list[str]
    active: bool
    system: bool
    personal_data: bool = Field(
        description="Deliveries carry the full identity; otherwise the subject is masked."
    )
    created_at: datetime


class PersonalDataGrant(BaseModel):
    """授权接收个人信息: why this receiver needs the subject's full identity."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"basis": "鲁信用办〔2026〕5号 信用信息共享协议"}]},
    )

    basis: Annotated[str, text(500)] = Field(
        description="The agreement or legal basis for sharing (recorded in the audit log).",
    )


class DeliveryRead(BaseModel):
    id: UuidStr
    subscription_id: UuidStr
    event_id: UuidStr
    event_type: str
    status: str = Field(
        description="pending, delivered, dead (dead-letter) or withheld (its event may not "
        "leave the department, LZ §5(1)4: never sent)."
    )
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
