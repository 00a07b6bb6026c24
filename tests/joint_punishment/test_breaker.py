"""The external list service behind a circuit breaker and a short cache (outage: not performed)."""

from __future__ import annotations

from app.joint_punishment.breaker import CircuitBreaker, TTLCache


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_failures_and_tries_again_after_reset() -> None:
    ticks = Ticks()
    breaker = CircuitBreaker(threshold=3, reset_seconds=30, monotonic=ticks)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state == "closed"
    assert breaker.allow()
    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("open", False)
    ticks.now = 29.9
    assert not breaker.allow()
    ticks.now = 30
    assert breaker.allow()  # one trial
    assert not breaker.allow()  # only one
    breaker.record_failure()
    assert breaker.state == "open"  # the trial failed: open again
    ticks.now = 60
    assert breaker.allow()
    breaker.record_success()
    assert (breaker.state, breaker.failures) == ("closed", 0)


def test_cache_expires_and_evicts() -> None:
    ticks = Ticks()
    cache: TTLCache[str, int] = TTLCache(ttl=60, size=2, monotonic=ticks)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
    ticks.now = 60
    assert cache.get("b") is None
    assert TTLCache[str, int](ttl=0).get("x") is None
