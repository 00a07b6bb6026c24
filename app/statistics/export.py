"""The statistics as CSV for Excel: UTF-8 with a byte-order mark, Chinese headers, one
row per department and figure (long format, so every figure has one cell)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO

from app.statistics.schemas import DepartmentStatistics, StatisticsRead

BOM = "\ufeff"
HEADERS = ("部门代码", "部门名称", "起始日期", "截止日期", "类别", "项目", "数值")


def figures_of(dep: DepartmentStatistics) -> Iterator[tuple[str, str, str]]:
    """(category, item, value) of every figure of one department, in reading order."""
    checks = dep.credit_checks
    yield "信用核验", "passed", str(checks.passed)
    yield "信用核验", "failed", str(checks.failed)
    yield "信用核验", "not_performed", str(checks.not_performed)
    for code, n in checks.failed_by_reason.items():
        yield "核验不通过原因", code, str(n)
    for mode, n in dep.facilitations.items():
        yield "便利化措施", mode, str(n)
    outcomes = dep.commitments
    for name in ("fulfilled", "terminated", "revoked", "withdrawn"):
        yield "承诺结果", name, str(getattr(outcomes, name))
    for category, n in outcomes.withdrawal_reasons.items():
        yield "撤回原因", category, str(n)
    for method, result in dep.verifications.items():
        yield "核查", f"{method}:conforming", str(result.conforming)
        yield "核查", f"{method}:nonconforming", str(result.nonconforming)
    for state, n in dep.listings.by_state.items():
        yield "名单状态", state, str(n)
    for situation, n in dep.listings.by_situation.items():
        yield "失信情形", situation, str(n)
    for line in dep.timeliness:
        measure = line.measure.value
        yield "时效", f"{measure}:due", str(line.due)
        yield "时效", f"{measure}:late", str(line.late)
        yield "时效", f"{measure}:late_share", _blank(line.late_share)
        yield "时效", f"{measure}:median_working_days", _blank(line.median_working_days)


def _blank(value: float | None) -> str:
    return "" if value is None else str(value)


def render_csv(statistics: StatisticsRead) -> bytes:
    out = StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    start, end = statistics.starts_on.isoformat(), statistics.ends_on.isoformat()
    for dep in statistics.departments:
        for category, item, value in figures_of(dep):
            writer.writerow((dep.department, dep.name, start, end, category, item, value))
    return out.getvalue().encode("utf-8")
