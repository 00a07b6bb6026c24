"""年度考核报告: one department's year as a printable PDF with two charts drawn with
reportlab's own graphics (commitment outcomes; late share per deadline).

The font is the documents' CJK TrueType font, embedded in the file (subset), so the report
prints the same everywhere: app.documents.fonts (``ZWFW_REPORT_FONT``, else Debian's
``fonts-wqy-microhei``); without one the report is refused (DocumentFontMissing, 503).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.fonts import document_font
from app.documents.pdf import Verification, verification_block
from app.statistics.schemas import DepartmentStatistics, StatisticsRead

OUTCOME_ZH = (
    ("fulfilled", "履行"),
    ("terminated", "终止"),
    ("revoked", "撤销"),
    ("withdrawn", "撤回"),
)


def _step(largest: int) -> int:
    """Whole-number ticks, about five of them."""
    return max(1, -(-largest // 5))


def outcomes_chart(dep: DepartmentStatistics, font: str) -> Drawing:
    """承诺结果: a bar per outcome."""
    drawing = Drawing(160 * mm, 70 * mm, initialFontName=font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 15 * mm, 12 * mm, 135 * mm, 48 * mm
    chart.data = [[getattr(dep.commitments, key) for key, _ in OUTCOME_ZH]]
    chart.categoryAxis.categoryNames = [label for _, label in OUTCOME_ZH]
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = _step(max(chart.data[0]))
    chart.bars[0].fillColor = colors.HexColor("#3b6ea5")
    drawing.add(chart)
    drawing.add(String(15 * mm, 64 * mm, "承诺结果（件）", fontName=font, fontSize=10))
    return drawing


def timeliness_chart(dep: DepartmentStatistics, font: str) -> Drawing:
    """时效: on-time and late steps per deadline, stacked."""
    drawing = Drawing(160 * mm, 75 * mm, initialFontName=font)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45 * mm, 8 * mm, 105 * mm, 55 * mm
    chart.data = [
        [line.due - line.late for line in dep.timeliness],
        [line.late for line in dep.timeliness],
    ]
    chart.categoryAxis.categoryNames = [line.label for line in dep.timeliness]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = _step(max((line.due for line in dep.timeliness), default=0))
    chart.bars[0].fillColor = colors.HexColor("#4f9a5b")
    chart.bars[1].fillColor = colors.HexColor("#c0504d")
    drawing.add(chart)
    drawing.add(String(15 * mm, 68 * mm, "时效（绿：按期，红：逾期）", fontName=font, fontSize=10))
    return drawing


def _pairs(counts: dict[str, int]) -> str:
    return "，".join(f"{k} {v}" for k, v in counts.items()) or "无"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_report(
    statistics: StatisticsRead,
    year: int,
    font_file: str | None = None,
    verification: Verification | None = None,
) -> bytes:
    """One department's annual report (the first department of ``statistics``), with its
    verification code when given."""
    font = document_font(font_file).name
    dep = statistics.departments[0]
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=18, spaceBefore=3 * mm)
    checks = dep.credit_checks
    rows = [
        [
            "信用核验",
            f"通过 {checks.passed}，不通过 {checks.failed}，未核验 {checks.not_performed}",
        ],
        ["便利化措施", "，".join(f"{k} {v}" for k, v in dep.facilitations.items()) or "无"],
        [
            "名单（期末状态）",
            "，".join(f"{k} {v}" for k, v in dep.listings.by_state.items()) or "无",
        ],
    ]
    rows += [
        [
            line.label,
            f"应办 {line.due}，逾期 {line.late}"
            + ("" if line.late_share is None else f"（{line.late_share:.2%}）")
            + (
                ""
                if line.median_working_days is None
                else f"，用时中位数 {line.median_working_days} 个工作日"
            ),
        ]
        for line in dep.timeliness
    ]
    table = Table([[_p(a, body), _p(b, body)] for a, b in rows], colWidths=[40 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("FONTNAME", (0, 0), (-1, -1), font)]
        )
    )
    story: list[Flowable] = [
        _p(f"{dep.name} {year}年度信用信息应用考核报告", title),
        _p(
            f"部门代码 {dep.department}；统计期间 {statistics.starts_on} 至 "
            f"{statistics.ends_on}（{statistics.time_zone}）",
            body,
        ),
        Spacer(1, 3 * mm),
        _p("一、承诺结果", heading),
        outcomes_chart(dep, font),
        _p("二、时效", heading),
        timeliness_chart(dep, font),
        _p("三、数据", heading),
        table,
    ]
    if verification is not None:
        story.extend(verification_block(verification, font))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{dep.name} {year}年度考核报告",
        author="zwfw-credit",
        invariant=1,  # the same figures render the same bytes (app.documents.verification)
        initialFontName=font,
    ).build(story)
    return buffer.getvalue()
