"""The benchmark's own arithmetic: how windows of a route are ordered and combined."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import run
from bench.common import ROOT, service_env


def _window(seconds: float, requests: int, p50: float, p99: float, **extra: float) -> run.Window:
    return run.Window(
        seconds=seconds,
        requests=requests,
        p50_ms=p50,
        p99_ms=p99,
        errors=int(extra.get("errors", 0)),
        non_2xx=0,
        app_cpu=extra.get("app_cpu", 0.0),
        db_cpu=extra.get("db_cpu", 0.0),
        wrk_cpu=0.0,
        other_cpu=0.0,
        backends={"idle in transaction": extra.get("idle", 0.0)},
    )


def test_scales_take_turns_forward_then_backward(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "ROUNDS", 2)
    assert run.window_order(["small", "large"]) == ["small", "large", "large", "small"]
    monkeypatch.setattr(run, "ROUNDS", 3)
    assert run.window_order(["small", "large"]) == [
        "small",
        "large",
        "large",
        "small",
        "small",
        "large",
    ]


def test_windows_combine_into_totals_over_the_total_time() -> None:
    # 10 s at 300 req/s and 10 s at 100 req/s: 4,000 requests in 20 s.
    fast = _window(10.0, 3000, p50=10.0, p99=40.0, app_cpu=6.0, db_cpu=1.5, idle=2.0)
    slow = _window(10.0, 1000, p50=30.0, p99=90.0, app_cpu=4.0, db_cpu=0.5, idle=6.0, errors=2)
    result = run.combine("credit_check", "small", [fast, slow], peak_rss_mb=120.0)
    assert result.requests == 4000
    assert result.requests_per_second == pytest.approx(200.0)
    # Weighted by requests: (3000 * 10 + 1000 * 30) / 4000.
    assert result.p50_ms == pytest.approx(15.0)
    assert result.p99_ms == 90.0
    assert result.errors == 2
    # 10 s of app CPU over 4,000 requests; 2 s of database CPU.
    assert result.app_cpu_ms_per_request == pytest.approx(2.5)
    assert result.db_cpu_ms_per_request == pytest.approx(0.5)
    # Averages over time: half the time 2, half 6.
    assert result.idle_in_transaction == pytest.approx(4.0)
    assert result.peak_rss_mb == 120.0


def _measurement(route: str, scale: str, app_cpu_ms: float) -> run.Measurement:
    return run.combine(
        route, scale, [_window(10.0, 1000, p50=10.0, p99=20.0, app_cpu=app_cpu_ms)], 100.0
    )


def test_statement_costs_are_set_against_what_the_app_spends_beyond_the_floor() -> None:
    report = run.Report(started="-", plans_scale="large")
    # 1,000 requests in 10 s: 5.0 s of CPU is 5.0 ms a check, 1.0 s is 1.0 ms.
    report.measurements = [
        _measurement("credit_check", "large", 5.0),
        _measurement("work_floor", "large", 1.0),
    ]
    report.statement_costs = {
        "SELECT 1": {"asyncpg": 40.0, "core": 150.0, "orm": 160.0},
        "subject by identifier": {"asyncpg": 50.0, "core": 170.0, "orm": 290.0},
        "joint-punishment hits": {"asyncpg": 40.0, "core": 160.0, "orm": 240.0},
    }
    text = "\n".join(run._statement_cost_lines(report))
    assert "| subject by identifier | 50 | 170 | 290 | 5.8 |" in text
    # (240 + 200) / 2 = 220 µs over raw, times the floor's 7 statements: 1.5 ms of 4.0 ms.
    assert "At 220 µs each" in text
    assert "about 1.5 ms of the 4.0 ms" in text


def test_a_service_process_imports_the_application_of_this_tree(tmp_path: Path) -> None:
    """A script outside the tree (as ``zwfw-credit`` is, in a virtualenv maybe installed
    from another checkout) started with the benchmark's environment runs this tree's code."""
    script = tmp_path / "where.py"
    script.write_text("import app\nprint(list(app.__path__)[0])\n", encoding="utf-8")
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(script)],
        env=service_env("zwfw_bench_small"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(done.stdout.strip()) == ROOT / "app"


WRK_MIXED_OUTPUT = """\
  Latency Distribution
     50%   40.00ms
     75%   60.00ms
     90%   90.00ms
     99%  250.00ms
WRK_SUMMARY {"requests": 2600, "duration_us": 20000000, "bytes": 1, "connect_errors": 0, \
"read_errors": 0, "write_errors": 0, "status_errors": 0, "timeouts": 3, "p50_us": 40000, \
"p90_us": 90000, "p99_us": 250000, "max_us": 300000}
WRK_STATUSES {"201": 1200, "200": 1390, "409": 10}
"""


def test_the_mixed_run_counts_a_step_sent_again_as_non_2xx() -> None:
    from bench import mixed

    result = mixed._result(WRK_MIXED_OUTPUT, processes=1, list_requests=2613)
    # 2,600 requests in 20 s.
    assert result.requests_per_second == pytest.approx(130.0)
    assert result.p50_ms == pytest.approx(40.0)
    assert result.p99_ms == pytest.approx(250.0)
    assert result.errors == 3
    # The 409s of steps already taken, nothing else.
    assert result.non_2xx == 10
    # 2,613 requests are 201 cycles of 13.
    assert result.cycles == 201
    # 4 credit checks in a cycle of 13: 130 * 4 / 13 = 40 per second; a task list 10.
    assert result.by_kind["credit_check"] == pytest.approx(40.0)
    assert result.by_kind["tasks"] == pytest.approx(10.0)
    assert sum(result.by_kind.values()) == pytest.approx(130.0)
    section = "\n".join(mixed.lines([result]))
    assert (
        "| 1 | 130.0 | 40.0 | 250.0 | 2,600 (2,613) | 3 | 10 | 200: 1,390, 201: 1,200, 409: 10 |"
        in section
    )
