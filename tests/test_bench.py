"""The benchmark's own arithmetic: how windows of a route are ordered and combined."""

from __future__ import annotations

import pytest

from bench import run


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
