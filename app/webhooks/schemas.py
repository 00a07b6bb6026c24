from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from app.text import text

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

    @field_validator("url")
    @classmethod
    def _url_fits(cls, url: HttpUrl) -> HttpUrl:
        if len(str(url)) > MAX_URL_LENGTH:
            raise ValueError(f"the URL is longer than {MAX_URL_LENGTH} characters")
        return url


class SubscriptionRead(BaseModel):
    id: str
    name: str
    url: str
    event_types: list[str]
    active: bool
    system: bool
    created_at: datetime


class DeliveryRead(BaseModel):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or dead (dead-letter).")
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
