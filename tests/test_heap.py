"""A served process settles its heap once started (app/ops/heap.py); an app built without
asking (every test's) leaves the collector as it was."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.db import Database
from app.main import create_app
from app.ops import cli, heap
from tests.conftest import make_settings


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as it was before the test, whatever the test did to it."""
    threshold = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


async def test_a_served_app_freezes_what_lives_once_started(
    collector: None, database_url: str
) -> None:
    app = create_app(make_settings(database_url), database=Database(database_url), settle_heap=True)
    alive = object()
    tracked = [alive]  # a container: the collector tracks it
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD
        assert not any(o is tracked for o in gc.get_objects())  # frozen: no longer scanned


async def test_an_app_not_asked_leaves_the_collector_alone(
    collector: None, database_url: str
) -> None:
    threshold = gc.get_threshold()
    app = create_app(make_settings(database_url), database=Database(database_url))
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == threshold


def test_serve_asks_for_it(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    built: dict[str, Any] = {}

    def create(settings: Any, **options: Any) -> str:
        built.update(options)
        return "app"

    monkeypatch.setattr("app.main.create_app", create)
    monkeypatch.setattr("uvicorn.run", lambda app, **_: built.setdefault("served", app))
    args = argparse.Namespace(no_migrate=True, demo=False, worker=False, host="127.0.0.1", port=0)
    assert cli._serve(args, make_settings(database_url)) == 0
    assert built == {"with_worker": False, "settle_heap": True, "served": "app"}


def test_the_worker_settles_before_it_runs(
    monkeypatch: pytest.MonkeyPatch, collector: None, database_url: str
) -> None:
    seen: dict[str, Any] = {}

    async def run_forever(self: Any, stop: Any = None) -> None:
        seen["frozen"] = gc.get_freeze_count()
        seen["threshold"] = gc.get_threshold()[0]

    monkeypatch.setattr("app.ops.worker.Worker.run_forever", run_forever)
    assert cli._worker(argparse.Namespace(once=False), make_settings(database_url)) == 0
    assert seen["frozen"] > 10_000 and seen["threshold"] == heap.YOUNG_THRESHOLD
