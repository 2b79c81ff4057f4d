"""The annealing restarts in worker processes: same pick as in one process, a stop is obeyed, a fallback."""

from __future__ import annotations

import sys
import time

import pytest

from app.scheduler.model import build_model
from app.scheduler.search import MIN_RUN_WORK, RUN_WORK_PER_TOPIC, _value, anneal, anneal_restarts
from app.scheduler.warmstart import greedy_cells
from bench.sched_gen import generate


@pytest.fixture(scope="module")
def medium():
    inst = generate("medium", 2)
    sm = build_model(inst, {})
    return inst, sm, greedy_cells(inst, sm)


def _one_run_of_work(inst) -> int:
    return max(MIN_RUN_WORK, RUN_WORK_PER_TOPIC * len(inst.topics))


def test_worker_processes_pick_the_run_one_process_would(medium) -> None:
    inst, sm, start = medium
    work = _one_run_of_work(inst)
    seed = 5
    parallel = anneal_restarts(inst, sm, start, work=work, seed=seed, deadline=float("inf"), processes=2)
    # The same two runs, made here, compared in seed order.
    runs = [anneal(inst, sm, start, work=work, seed=seed * 7919 + k, deadline=float("inf")) for k in range(2)]
    expected = max(runs, key=lambda cells: _value(sm, cells))  # max() keeps the first of equals
    if _value(sm, expected) <= _value(sm, start):
        expected = start
    assert parallel == expected
    one = anneal_restarts(inst, sm, start, work=work, seed=seed, deadline=float("inf"), processes=1)
    assert one == runs[0] or _value(sm, runs[0]) <= _value(sm, start)
    assert _value(sm, parallel) >= _value(sm, one)


def test_worker_processes_report_progress_in_rising_order(medium) -> None:
    inst, sm, start = medium
    seen: list[int] = []
    best = anneal_restarts(
        inst,
        sm,
        start,
        work=_one_run_of_work(inst),
        seed=2,
        deadline=float("inf"),
        processes=2,
        on_improve=lambda cells: seen.append(_value(sm, cells)),
    )
    assert seen, "no progress was reported"
    assert seen == sorted(set(seen))
    assert seen[-1] == _value(sm, best)


def test_a_stop_ends_the_worker_processes_with_their_best_so_far(medium) -> None:
    inst, sm, start = medium
    began = time.perf_counter()

    def after_half_a_second() -> bool:
        return time.perf_counter() - began > 0.5

    # About a minute of work per run, stopped after half a second.
    cells = anneal_restarts(
        inst,
        sm,
        start,
        work=400 * MIN_RUN_WORK,
        seed=1,
        deadline=float("inf"),
        processes=2,
        max_runs=1,
        should_stop=after_half_a_second,
    )
    assert time.perf_counter() - began < 15
    assert _value(sm, cells) >= _value(sm, start)


def test_without_worker_processes_the_runs_are_made_here(medium, monkeypatch) -> None:
    inst, sm, start = medium
    work = _one_run_of_work(inst)
    here = anneal_restarts(inst, sm, start, work=work, seed=3, deadline=float("inf"), processes=1)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    fallback = anneal_restarts(inst, sm, start, work=work, seed=3, deadline=float("inf"), processes=2)
    assert fallback == here


def test_a_run_stops_at_its_deadline_with_its_best_so_far(medium) -> None:
    inst, sm, start = medium
    began = time.perf_counter()
    cut = anneal(inst, sm, start, work=500 * MIN_RUN_WORK, seed=4, deadline=began + 1.5)
    assert time.perf_counter() - began < 10  # minutes of work, cut at a second and a half
    assert _value(sm, cut) > _value(sm, start)
