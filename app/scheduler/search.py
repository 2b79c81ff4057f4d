"""The search's restarts: several seeded runs of the annealing search (:mod:`app.scheduler.anneal`)
or the tabu search (:mod:`app.scheduler.tabu`) from one start, in worker processes when there are
several, the best run kept.

The runs are reproducible (counted in work, seeded by their number, compared in seed order), so
the result depends on the seed and the number of processes, never on which process ended first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.scheduler.anneal import Cell, anneal
from app.scheduler.instance import Instance
from app.scheduler.model import RoomClass, SchedulingModel
from app.scheduler.tabu import tabu
from app.scheduler.workers import ENDED, WorkerProcess, worker_side

__all__ = ["SearchSpace", "anneal", "anneal_restarts"]


@dataclass(frozen=True)
class SearchSpace:
    """What the search reads of a :class:`SchedulingModel`, without its CP-SAT objects.

    It pickles, so restarts can run in worker processes.
    """

    x: tuple[tuple[int, int, int], ...]
    classes: tuple[RoomClass, ...]
    must: frozenset[int]
    groups: tuple[tuple[int, tuple[int, ...]], ...]

    @classmethod
    def of(cls, sm: SchedulingModel | SearchSpace) -> SearchSpace:
        if isinstance(sm, SearchSpace):
            return sm
        return cls(tuple(sorted(sm.x)), tuple(sm.classes), frozenset(sm.must), tuple(sm.groups))


def anneal_restarts(
    instance: Instance,
    sm: SchedulingModel | SearchSpace,
    start: dict[int, Cell],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[dict[int, Cell]], None] | None = None,
    ceiling: int | None = None,
    floor: dict[int, Cell] | None = None,
    max_runs: int = 4,
    t_start: float | None = None,
    processes: int = 1,
    by_time: bool = False,
    method: str = "anneal",
) -> dict[int, Cell]:
    """Several independent :func:`anneal` runs from ``start``; the best result wins.

    ``method`` "tabu" makes each run a :func:`app.scheduler.tabu.tabu` search instead (same
    contract; ``t_start`` is then unused).

    With ``by_time`` the number of runs still follows ``work`` (what the time allows),
    but each run has no work budget of its own: it cools over its share of the time to
    ``deadline`` and ends there (not reproducible; the solver's clock mode).

    One run's result varies a lot with its seed (a few attendance units on the
    benchmark's medium and large days), so independent restarts beat one long run of
    the same total ``work``. Each run gets at least :data:`MIN_RUN_WORK` units and
    :data:`RUN_WORK_PER_TOPIC` per topic;
    restarts are seeded from ``seed``, so the result is reproducible. ``floor``, when
    given, is returned unless a run beats it. ``max_runs`` and ``t_start`` (the start
    temperature, default :data:`T_START`) let the caller ask for fewer, hotter runs.

    With ``processes`` above one, each process makes as many runs as one process
    would in ``work`` (so the wall time stays about the same and the result is never
    worse than with one process), in worker processes because the search is pure
    Python and one interpreter uses one core. Runs are seeded by their number and
    compared in that order, so the result depends on ``processes`` but not on which
    process finished first. If no worker process can start, the runs are made here.
    """
    runs, per_run = _plan(instance, work, max_runs, by_time)
    seeds = [seed * 7919 + k for k in range(runs * max(1, processes))]
    best = dict(start)
    if floor is not None and _value(sm, floor) > _value(sm, best):
        best = dict(floor)  # a known better schedule is the result to beat
    reached = ceiling is not None and _value(sm, best) >= ceiling
    stopped = should_stop is not None and should_stop()
    if processes > 1 and per_run >= MIN_RUN_WORK and not reached and not stopped:
        job = _Job(instance, SearchSpace.of(sm), start, tuple(seeds), per_run, t_start, ceiling, deadline, method)
        try:
            results = _parallel_runs(job, processes, should_stop, _progress(sm, best, ceiling, on_improve))
        except OSError:
            results = {}  # no worker processes here (a sandbox, a frozen app): make the runs in this one
        if results:
            # In seed order, whichever process finished first: the first best run wins.
            return _best_of(sm, [best, *(results[s] for s in seeds if s in results)])
    job = _Job(instance, sm, start, tuple(seeds[:runs]), per_run, t_start, ceiling, deadline, method)
    return _runs_here(job, best, should_stop, on_improve)


def _plan(instance: Instance, work: int, max_runs: int, by_time: bool) -> tuple[int, int]:
    """How many runs one process makes, and each one's work (:data:`_BY_TIME_WORK` by time)."""
    # Bigger days need longer runs to settle (measured on the benchmark's days).
    min_run = max(MIN_RUN_WORK, RUN_WORK_PER_TOPIC * len(instance.topics))
    runs = max(1, min(max_runs, work // min_run))
    return runs, (max(1, work // runs) if not by_time else _BY_TIME_WORK)


def _progress(
    sm: SchedulingModel | SearchSpace,
    best: dict[int, Cell],
    ceiling: int | None,
    on_improve: Callable[[dict[int, Cell]], None] | None,
) -> Callable[[dict[int, Cell]], bool]:
    """What sees each run's result as a worker process reports it: ``on_improve`` for each better
    one (the result itself is chosen in seed order afterwards); true once ``ceiling`` is reached."""
    shown = _value(sm, best)

    def arrived(cells: dict[int, Cell]) -> bool:
        nonlocal shown
        value = _value(sm, cells)
        if on_improve is not None and value > shown:
            shown = value
            on_improve(cells)
        return ceiling is not None and value >= ceiling

    return arrived


def _best_of(sm: SchedulingModel | SearchSpace, candidates: list[dict[int, Cell]]) -> dict[int, Cell]:
    """The first of the best of ``candidates``."""
    return max(candidates, key=lambda cells: _value(sm, cells))


def _runs_here(
    job: _Job,
    best: dict[int, Cell],
    should_stop: Callable[[], bool] | None,
    on_improve: Callable[[dict[int, Cell]], None] | None,
) -> dict[int, Cell]:
    """Make the runs of ``job`` one after the other in this process; the best of them and ``best``."""
    best_value = _value(job.space, best)
    for k, run_seed in enumerate(job.seeds):
        if time.perf_counter() > job.deadline or (should_stop is not None and should_stop()):
            break
        if job.ceiling is not None and best_value >= job.ceiling:
            break
        cells = job.run(run_seed, _share(job.deadline, len(job.seeds) - k), should_stop)
        value = _value(job.space, cells)
        if value > best_value:
            best, best_value = cells, value
            if on_improve is not None:
                on_improve(best)
    return best


def _share(deadline: float, runs_left: int) -> float:
    """The deadline of the next of ``runs_left`` runs: an equal share of the time left."""
    if deadline == float("inf") or runs_left <= 1:
        return deadline
    now = time.perf_counter()
    return now + max(0.0, deadline - now) / runs_left


@dataclass(frozen=True)
class _Job:
    """Runs of :func:`anneal_restarts`, one per seed, and what each needs; pickled to a worker process
    (:func:`work`), with ``deadline`` turned into the worker's own clock on the way."""

    instance: Instance
    space: SchedulingModel | SearchSpace
    start: dict[int, Cell]
    seeds: tuple[int, ...]
    work: int
    t_start: float | None
    ceiling: int | None
    deadline: float  # time.perf_counter() of the process that holds the job
    method: str = "anneal"

    def run(self, seed: int, deadline: float, should_stop: Callable[[], bool] | None) -> dict[int, Cell]:
        """One run of the search, seeded ``seed``, ending by ``deadline`` at the latest."""
        return _method(self.method)(
            self.instance,
            self.space,
            self.start,
            work=self.work,
            seed=seed,
            deadline=deadline,
            should_stop=should_stop,
            ceiling=self.ceiling,
            t_start=self.t_start,
        )


def _parallel_runs(
    job: _Job, processes: int, should_stop: Callable[[], bool] | None, on_result: Callable[[dict[int, Cell]], bool]
) -> dict[int, dict[int, Cell]]:
    """Make the runs of ``job`` in ``processes`` worker processes: seed -> result.

    Each worker is ``app.scheduler._worker`` (:func:`work`, through
    :class:`app.scheduler.workers.WorkerProcess`, whose docstring says why not
    :class:`concurrent.futures.ProcessPoolExecutor`): it gets every ``processes``-th seed and
    reports a ``(seed, cells)`` per finished run; a stop makes it end its current run early and
    report it. ``on_result`` sees each result as it arrives and returns true to stop the rest.
    """
    deadline = job.deadline
    results: dict[int, dict[int, Cell]] = {}
    workers: list[WorkerProcess] = []
    try:
        count = min(processes, len(job.seeds))
        # All start first (each spends a moment importing), then each is fed its job.
        for _ in range(count):
            workers.append(WorkerProcess("app.scheduler._worker"))
        epoch = time.time() + max(0.0, deadline - time.perf_counter())
        for p, worker in enumerate(workers):
            worker.give(replace(job, seeds=job.seeds[p::count], deadline=epoch))
        open_workers = list(workers)
        halted = False
        while open_workers:
            now = time.perf_counter()
            if now > deadline + _KILL_GRACE:
                break  # a worker that does not answer its stop in time is killed below
            if not halted and (now > deadline + _REPORT_GRACE or (should_stop is not None and should_stop())):
                halted = _halt(workers)
            for worker in list(open_workers):
                item = worker.next(timeout=0.05 / len(open_workers))
                if item is ENDED:
                    open_workers.remove(worker)
                elif item is not None:
                    results[item[0]] = item[1]
                    if on_result(item[1]) and not halted:
                        halted = _halt(workers)
    finally:
        for worker in workers:
            worker.close()
    return results


def _halt(workers: list[WorkerProcess]) -> bool:
    """Ask every worker to report its current run and stop."""
    for worker in workers:
        worker.stop()
    return True


def work() -> None:
    """The worker process: run the job it is given, report each run as it ends."""
    job, stop, report = worker_side()
    deadline = time.perf_counter() + (job.deadline - time.time())  # it came as time.time()
    for k, run_seed in enumerate(job.seeds):
        if stop.is_set() or time.perf_counter() > deadline:
            break
        report((run_seed, job.run(run_seed, _share(deadline, len(job.seeds) - k), stop.is_set)))


#: A run's work budget when it runs by time: more than any run does before its deadline.
_BY_TIME_WORK = 10**15

#: How long past the deadline worker processes get to report before they are stopped,
#: and then before they are killed (seconds).
_REPORT_GRACE = 0.1
_KILL_GRACE = 0.3

#: Fewest work units of one annealing run in :func:`anneal_restarts`.
MIN_RUN_WORK = 2_000_000
#: Fewest work units of one run per topic of the instance.
RUN_WORK_PER_TOPIC = 60_000


def _method(name: str) -> Callable[..., dict[int, Cell]]:
    """The search a run makes: "anneal" (:func:`anneal`) or "tabu" (:func:`app.scheduler.tabu.tabu`).

    Any other name is a programming error and raises KeyError (never a silent fall back to annealing).
    """
    return {"anneal": anneal, "tabu": tabu}[name]


def _value(sm: SchedulingModel | SearchSpace, cells: dict[int, Cell]) -> int:
    """Attendance of topic -> (class, slot) cells."""
    return sum(mult * len({cells[ti][1] for ti in tis if ti in cells}) for mult, tis in sm.groups)
