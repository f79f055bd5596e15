"""A long-running process sets its garbage collector for serving once it has started, not before: what start-up
made is then left out of every collection, and the youngest generation is collected less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from bot.app import create_app
from bot.config import Settings
from bot.run import YOUNG_COLLECTED_EVERY, settle_heap


@pytest.fixture
def collector() -> Iterator[None]:
    """The test process's collector as it was, afterwards."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settling_the_heap_freezes_what_exists_and_collects_the_young_less_often(collector: None) -> None:
    default_young, middle, old = gc.get_threshold()
    made_at_start: list[object] = []
    gc.unfreeze()
    settle_heap()
    assert all(o is not made_at_start for o in gc.get_objects())  # frozen: no collection walks it
    assert gc.get_threshold() == (YOUNG_COLLECTED_EVERY, middle, old)
    assert default_young < YOUNG_COLLECTED_EVERY


async def test_the_hook_runs_once_the_service_has_started(settings: Settings) -> None:
    seen: list[bool] = []
    app: FastAPI = create_app(settings.model_copy(update={"background_workers": True}),
                              started=lambda: seen.append(bool(app.state.service.tasks)))
    assert seen == []
    async with app.router.lifespan_context(app):
        assert seen == [True]
    assert seen == [True]
