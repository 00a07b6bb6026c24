"""A listing's own management period, set by another rule (LZ §5(1)5 "有关法律法规规章对
管理期限另有规定的，依照其规定执行"): given at collection or by its own step, always with
the rule that sets it."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.text import text
from app.lifecycle.step_dates import Dated

DETERMINED_ON = (
    "认定日期 (LZ §5(1)3): the confirmation after the objection window or the review (LZ "
    "§5(1)4 确定列为失信制约); a Dezhou restriction's day (DZ art. 15 ¶1)."
)
PERIOD_MONTHS_DESCRIPTION = (
    "另有规定的管理期限（月）: the listing's own period where another law, regulation or rule "
    "sets it (LZ §5(1)5); counted from publication like the profile's. Requires "
    "`period_basis`."
)
PERIOD_BASIS_DESCRIPTION = (
    "另有规定的依据: the article of the law, regulation or rule that sets the period; "
    "required with `period_months` (422 without it)."
)


class OwnPeriod(BaseModel):
    """``period_months`` and ``period_basis``: both or neither (422)."""

    period_months: int | None = Field(
        default=None, ge=1, le=120, description=PERIOD_MONTHS_DESCRIPTION
    )
    period_basis: Annotated[str, text(1000)] | None = Field(
        default=None, description=PERIOD_BASIS_DESCRIPTION
    )

    @model_validator(mode="after")
    def _basis_with_period(self) -> Self:
        if (self.period_months is None) != (self.period_basis is None):
            raise ValueError(
                "a listing's own period (period_months) and the rule that sets it "
                "(period_basis) are given together (LZ §5(1)5)"
            )
        return self


class PeriodCreate(Dated):
    """设定另有规定的管理期限: the listing's own period and the rule that sets it, before
    publication (LZ §5(1)5); audited with before and after."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "period_months": 12,
                    "period_basis": "《某某行业信用管理办法》第十二条：失信管理期限为12个月",
                }
            ]
        },
    )

    period_months: int = Field(ge=1, le=120, description=PERIOD_MONTHS_DESCRIPTION)
    period_basis: Annotated[str, text(1000)] = Field(description=PERIOD_BASIS_DESCRIPTION)
