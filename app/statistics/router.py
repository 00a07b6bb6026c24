"""GET /api/v1/statistics (JSON or CSV) and the annual report PDF (监督考核统计)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from app.core.context import ContextDep
from app.core.dates import IsoDate
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.statistics import service
from app.statistics.export import render_csv
from app.statistics.schemas import StatisticsRead
from app.web.authz import Authorized

router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])

_CSV_EXAMPLE = (
    "\ufeff部门代码,部门名称,起始日期,截止日期,类别,项目,数值\r\n"
    "371400-SPJ,德州市行政审批服务局,2026-07-01,2026-09-30,信用核验,passed,12\r\n"
)
_DEPARTMENT = Annotated[
    str | None, Query(max_length=32, description="部门代码；不填则列出全部部门。")
]


@router.get(
    "",
    response_model=StatisticsRead,
    summary="Oversight statistics per department and period (监督考核统计)",
    description=(
        "政务服务管理机构对各部门信用信息归集、应用情况的监督与年度考核（临政管办发〔2022〕3号 "
        "六(二)(三)；德州办法第四条、第十六条第二款）。每个部门在期间内的：信用核验（通过、按原因"
        "代码的不通过、未核验）、便利化措施按方式、承诺结果（履行、终止、撤销、撤回及撤回原因）、"
        "核查按方式与结果、名单按期末状态与情形、时效（告知书、复核、更正、取消限制决定、告知承诺"
        "办结的逾期次数、占比与工作日用时中位数）。数字由历史记录与所存日期计算，按法定时区"
        "（Asia/Shanghai）计日。`Accept: text/csv` 返回同样数字的 CSV（UTF-8 带 BOM，中文表头）。"
    ),
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
            },
            "description": "统计结果（JSON，或 CSV）。",
        },
        **problem_responses(401, 403, 422),
    },
)
async def get_statistics(
    request: Request,
    session: SessionDep,
    principal: Authorized,
    from_: Annotated[IsoDate, Query(alias="from", description="起始日（含），2000 至 2100 年间。")],
    to: Annotated[IsoDate, Query(description="截止日（含），至多起始日后一年。")],
    department: _DEPARTMENT = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    period = service.check_period(from_, to)
    statistics = await service.department_statistics(
        session, request.app.state.settings.tz, period, department
    )
    if accept is not None and "text/csv" in accept:
        return Response(
            render_csv(statistics),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="statistics.csv"'},
        )
    return statistics


@router.get(
    "/report.pdf",
    response_class=Response,
    summary="A department's annual assessment report as PDF (年度考核报告)",
    description=(
        "一个部门一个年度的考核报告（A4，中文，字体内嵌）：承诺结果柱状图、时效图与数据表；"
        "数字与 `GET /api/v1/statistics` 在该年 1 月 1 日至 12 月 31 日的结果相同。"
    ),
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "A4 PDF，中文，字体内嵌；印有核验码和二维码（GET /api/v1/public/"
            "documents/{code}）。",
        },
        **problem_responses(401, 403, 404, 422),
    },
)
async def get_statistics_report(
    session: SessionDep,
    principal: Authorized,
    ctx: ContextDep,
    department: Annotated[str, Query(min_length=1, max_length=32, description="部门代码。")],
    year: Annotated[int, Query(ge=2000, le=2100, description="考核年度。")],
) -> Response:
    content = await service.annual_report(session, ctx, department, year)
    return Response(content, media_type="application/pdf")
