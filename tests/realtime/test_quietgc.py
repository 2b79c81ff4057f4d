"""The quiet collector: no automatic full GC pass while the hub runs; its own passes only when quiet."""

from __future__ import annotations

import asyncio
import gc
import time

from app.realtime.quietgc import QuietCollector
from tests.realtime.live import run_async


def _promote_until_python_would_collect() -> list[object]:
    """Make enough young-generation passes that Python would want a full one."""
    kept: list[object] = []
    while gc.get_count()[2] < 10:
        kept.extend([i] for i in range(20_000))
    return kept


def test_full_passes_are_left_to_the_collector_while_it_runs_and_restored_after() -> None:
    before = gc.get_threshold()

    async def scenario() -> tuple[int, int, int]:
        collector = QuietCollector(lambda: 0.0, check_s=60)
        collector.start()
        during = gc.get_threshold()
        await collector.stop()
        return during

    during = run_async(scenario())
    assert during[:2] == before[:2]
    assert during[2] > 10_000  # Python itself never reaches it
    assert gc.get_threshold() == before


def test_a_pass_waits_for_a_quiet_moment_and_a_busy_board_only_freezes() -> None:
    activity = [100.0]
    collector = QuietCollector(lambda: activity[0], quiet_s=2.0, min_interval_s=20.0, freeze_s=30.0)
    collector._last_pass = collector._last_freeze = 0.0
    gc.collect()
    assert collector.due(102.5) is None  # quiet, but nothing promoted since the last pass
    kept = _promote_until_python_would_collect()
    assert collector.due(10.0) is None  # too soon after the last pass
    assert collector.due(102.5) == "quiet"
    activity[0] = 599.5
    # Busy for ten minutes without a pass: never a full pass, only a freeze every 30 s.
    assert collector.due(600.0) == "freeze"
    collector.collect(600.0, "freeze")
    assert collector.due(610.0) is None
    assert collector.stats.freezes == 1 and collector.stats.passes == 0
    del kept


def test_a_freeze_takes_what_was_promoted_out_of_every_later_young_pass() -> None:
    async def scenario() -> tuple[int, int]:
        collector = QuietCollector(lambda: 0.0, check_s=60)
        collector.start()
        try:
            kept = [[i] for i in range(50_000)]
            frozen_before = gc.get_freeze_count()
            collector.collect(asyncio.get_running_loop().time(), "freeze")
            frozen_after = gc.get_freeze_count()
            del kept
        finally:
            await collector.stop()
        return frozen_before, frozen_after

    before, after = run_async(scenario())
    assert after >= before + 50_000
    assert gc.get_freeze_count() == 0  # the last collector to stop unfreezes everything


def test_long_collector_pauses_are_logged_with_their_start() -> None:
    async def scenario() -> tuple[QuietCollector, float]:
        collector = QuietCollector(lambda: 0.0, check_s=60)
        collector.start()
        try:
            gc.unfreeze()
            kept = [[[i]] for i in range(400_000)]  # a pass over these takes tens of ms
            began = time.monotonic()
            gc.collect()
            del kept
        finally:
            await collector.stop()
        return collector, began

    collector, began = run_async(scenario())
    pauses = collector.stats.as_dict()["pauses"]
    assert pauses, "a full pass over 800,000 objects was not logged"
    at, ms, generation = pauses[-1]
    assert at >= began - 0.01 and ms >= 20 and generation == 2


def test_the_collector_runs_a_pass_when_the_board_goes_quiet() -> None:
    async def scenario() -> QuietCollector:
        loop = asyncio.get_running_loop()
        collector = QuietCollector(lambda: loop.time() - 10, quiet_s=1.0, min_interval_s=0.0, check_s=0.01)
        collector.start()
        try:
            kept = _promote_until_python_would_collect()
            for _ in range(100):
                await asyncio.sleep(0.01)
                if collector.stats.passes:
                    break
            del kept
        finally:
            await collector.stop()
        return collector

    collector = run_async(scenario())
    assert collector.stats.passes >= 1
    assert collector.stats.freezes == 0
    assert collector.stats.max_ms >= collector.stats.last_ms > 0


def test_two_collectors_in_one_process_give_python_its_threshold_back_only_when_both_stop() -> None:
    before = gc.get_threshold()

    async def scenario() -> list[int]:
        first, second = QuietCollector(lambda: 0.0, check_s=60), QuietCollector(lambda: 0.0, check_s=60)
        first.start()
        second.start()
        await first.stop()
        seen = [gc.get_threshold()[2]]
        await second.stop()
        await second.stop()  # a second stop changes nothing
        seen.append(gc.get_threshold()[2])
        return seen

    while_one_runs, after = run_async(scenario())
    assert while_one_runs > 10_000
    assert after == before[2]
    assert gc.get_threshold() == before
