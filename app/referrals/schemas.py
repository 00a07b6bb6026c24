from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.core.text import text
from app.rules.hearing import ReferralKind


class ReferralCreate(BaseModel):
    """移送标记: the breach is taken to an administrative penalty or referred to the
    judicial organs (DZ art. 16 ¶1), as decided elsewhere; the service records the
    decision's reference, it does not decide it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "administrative_penalty",
                    "decision_reference": "德市监处罚〔2026〕15号",
                    "decided_on": "2026-03-05",
                    "note": "提供虚假材料骗取许可，已立案处罚",
                },
                {"kind": "judicial", "decision_reference": "德公移字〔2026〕3号"},
            ]
        },
    )

    kind: ReferralKind = Field(
        description="administrative_penalty 依法给予行政处罚; judicial 涉嫌犯罪，移送司法机关."
    )
    decision_reference: Annotated[str, text(200)] = Field(
        description="文书号: the penalty decision's or the transfer's reference."
    )
    decided_on: dt.date | None = Field(default=None, description="文书日期, when known.")
    note: Annotated[str, text(4000, multiline=True)] | None = Field(
        default=None, description="说明."
    )


PROFILE_MARKS = (
    "移送标记 (DZ art. 16 ¶1): to a clerk, the marks its own department recorded on the "
    "subject's commitments and listings (as the agency or the collecting department); "
    "empty for every other reader. Never on the public list."
)


class ReferralMark(BaseModel):
    """A breach's referral, as the owning department sees it (never on the public list)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6f2c1e-4d3a-4e2b-9c8d-7a6b5c4d3e2f",
                    "kind": "administrative_penalty",
                    "label_zh": "依法给予行政处罚",
                    "decision_reference": "德市监处罚〔2026〕15号",
                    "decided_on": "2026-03-05",
                    "note": None,
                    "department": "371400-SPJ",
                    "restriction_id": None,
                    "commitment_id": "7f3e2d1c-0b9a-4876-9543-210fedcba987",
                    "recorded_on": "2026-03-06",
                    "citation": "DZ art. 16 ¶1",
                }
            ]
        }
    )

    id: UuidStr
    kind: ReferralKind
    label_zh: str
    decision_reference: str
    decided_on: dt.date | None
    note: str | None
    department: str
    restriction_id: UuidStr | None
    commitment_id: UuidStr | None
    recorded_on: dt.date
    citation: str
