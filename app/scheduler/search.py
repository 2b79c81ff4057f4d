"""Simulated annealing over slots, a fast deterministic start for CP-SAT.

CP-SAT's portfolio finds good schedules quickly only with several free-running
threads, which are not reproducible; run deterministically (single worker or
interleaved) it is slow to climb from a greedy start on the medium and larger
benchmarks. This search moves topics between the model's (room class, slot) cells
with exact incremental attendance, so it climbs fast, and it is reproducible because
its length is counted in moves, not seconds. CP-SAT then starts from its result,
improves it where it can, and supplies the proven bound.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from app.scheduler.instance import Instance
from app.scheduler.model import RoomClass, SchedulingModel, estimated_headcount
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


#: Temperature at the start and the end of a run, in attendance units.
T_START = 0.7
T_END = 0.05


def anneal(
    instance: Instance,
    sm: SchedulingModel | SearchSpace,
    start: dict[int, tuple[int, int]],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: object = None,
    ceiling: int | None = None,
    t_start: float | None = None,
) -> dict[int, tuple[int, int]]:
    """Improve ``start`` (topic index -> (class, slot)) for attendance.

    Parameters
    ----------
    work : int
        Budget in work units (one per move plus one per attendee group a move
        touches); fixes the result for a given seed, whatever the machine's speed.
    deadline : float
        ``time.perf_counter()`` value after which the search stops early (a safety
        cap for slow machines; when it triggers the result is no longer reproducible).
        If the time runs out faster than the work, the search cools by time instead,
        so it still ends cold.
    should_stop : callable, optional
        Checked now and then; when it returns true the search ends.
    ceiling : int, optional
        A proven upper bound on attendance: the search ends when it reaches it.

    Returns
    -------
    dict
        The best assignment found (never worse than ``start``).
    """
    rng = random.Random(seed)
    n_topics = len(instance.topics)
    n_slots = len(instance.slots)
    classes_for: list[list[list[int]]] = [[[] for _ in range(n_slots)] for _ in range(n_topics)]
    for ti, ci, si in sorted(sm.x):
        classes_for[ti][si].append(ci)
    est = estimated_headcount(instance)
    caps = [c.capacity for c in sm.classes]
    # Try the class that fits the expected audience best first.
    for ti in range(n_topics):
        e = est[instance.topics[ti].id]
        for si in range(n_slots):
            classes_for[ti][si].sort(key=lambda ci: (max(0.0, e - caps[ci]) * 4 + max(0.0, caps[ci] - e), ci))
    movable = [ti for ti in range(n_topics) if any(classes_for[ti][si] for si in range(n_slots))]
    if not movable:
        return dict(start)
    slots_for = [[si for si in range(n_slots) if classes_for[ti][si]] for ti in range(n_topics)]
    must = set(sm.must)
    free = {(c.index, si): len(c.rooms) for c in sm.classes for si in range(n_slots)}
    groups_of: list[list[tuple[int, int]]] = [[] for _ in range(n_topics)]
    for gi, (mult, tis) in enumerate(sm.groups):
        for ti in tis:
            groups_of[ti].append((gi, mult))
    cnt = [[0] * n_slots for _ in sm.groups]
    runners = [list(t.facilitators) for t in instance.topics]
    busy: dict[str, list[int]] = defaultdict(lambda: [0] * n_slots)
    index = {t.id: i for i, t in enumerate(instance.topics)}
    partners: list[list[int]] = [[] for _ in range(n_topics)]
    for a, b in instance.avoid_clash:
        partners[index[a]].append(index[b])
        partners[index[b]].append(index[a])
    in_slot: list[list[int]] = [[] for _ in range(n_slots)]

    cell: list[tuple[int, int] | None] = [None] * n_topics

    def place(ti: int, c: int, s: int) -> None:
        cell[ti] = (c, s)
        free[(c, s)] -= 1
        in_slot[s].append(ti)
        for gi, _ in groups_of[ti]:
            cnt[gi][s] += 1
        for p in runners[ti]:
            busy[p][s] += 1

    def remove(ti: int) -> None:
        where = cell[ti]
        assert where is not None
        c, s = where
        cell[ti] = None
        free[(c, s)] += 1
        in_slot[s].remove(ti)
        for gi, _ in groups_of[ti]:
            cnt[gi][s] -= 1
        for p in runners[ti]:
            busy[p][s] -= 1

    def gain_in(ti: int, s: int) -> int:
        return sum(m for gi, m in groups_of[ti] if cnt[gi][s] == 0)

    def loss_out(ti: int, s: int) -> int:
        return sum(m for gi, m in groups_of[ti] if cnt[gi][s] == 1)

    def can_enter(ti: int, s: int, ignore: int = -1) -> bool:
        for p in runners[ti]:
            if (
                busy[p][s]
                - (
                    1
                    if ignore >= 0 and p in runners[ignore] and cell[ignore] is not None and cell[ignore][1] == s
                    else 0
                )
                > 0
            ):
                return False
        for o in partners[ti]:
            if o != ignore and cell[o] is not None and cell[o][1] == s:
                return False
        return True

    def free_class(ti: int, s: int) -> int:
        for c in classes_for[ti][s]:
            if free[(c, s)] > 0:
                return c
        return -1

    for ti in sorted(start):
        c, s = start[ti]
        place(ti, c, s)
    value = sum(m * sum(1 for x in cnt[gi] if x) for gi, (m, _) in enumerate(sm.groups))
    best_value = value
    best = {ti: cell[ti] for ti in range(n_topics) if cell[ti] is not None}
    # Nothing can beat every group covered in as many slots as it has topics (or
    # slots): stop there, which also keeps tiny instances instant.
    trivial = sum(m * min(len(tis), len(set().union(*(slots_for[ti] for ti in tis)))) for m, tis in sm.groups)
    ceiling = trivial if ceiling is None else min(ceiling, trivial)

    t_start, t_end = (T_START if t_start is None else t_start), T_END
    check_every = 2000
    spent = 0
    step = 0
    # The search cools by work done, or by time used when the deadline comes first
    # (a slow machine): either way it ends cold rather than cut off while hot.
    began = time.perf_counter()
    time_used = 0.0
    while spent < work and best_value < ceiling:
        step += 1
        if step % check_every == 0:
            now = time.perf_counter()
            if now > deadline or (should_stop is not None and should_stop()):  # type: ignore[operator]
                break
            time_used = (now - began) / (deadline - began) if deadline > began else 1.0
        temp = t_start * (t_end / t_start) ** max(spent / work, time_used)
        ti = movable[rng.randrange(len(movable))]
        spent += 4 + len(groups_of[ti])
        here = cell[ti]
        options = slots_for[ti]
        s2 = options[rng.randrange(len(options))]
        if here is not None and here[1] == s2:
            # Same slot: try dropping it in favour of nothing (only if not needed).
            continue
        s1 = here[1] if here is not None else -1
        c2 = free_class(ti, s2)
        if c2 >= 0 and can_enter(ti, s2):
            delta = gain_in(ti, s2) - (loss_out(ti, s1) if s1 >= 0 else 0)
            # gain_in counts groups where ti is absent from s2; loss_out counts ti's own slot.
            if delta >= 0 or rng.random() < math.exp(delta / temp):
                if here is not None:
                    remove(ti)
                place(ti, c2, s2)
                value += delta
        else:
            # Swap with a topic of slot s2 (or, if ti is unplaced, replace it).
            occupants = in_slot[s2]
            if not occupants:
                continue
            tj = occupants[rng.randrange(len(occupants))]
            spent += 2 * len(groups_of[tj]) + len(groups_of[ti])
            if tj in must and here is None:
                continue
            cj = cell[tj]
            assert cj is not None
            before = value
            # Remove both, then check that each fits the other's place.
            old_i = here
            if here is not None:
                remove(ti)
            remove(tj)
            delta = 0
            ok = True
            # tj leaves s2
            delta -= _loss_after_removal(groups_of[tj], cnt, s2)
            if here is not None:
                delta -= _loss_after_removal(groups_of[ti], cnt, s1)
            ci2 = free_class(ti, s2) if can_enter(ti, s2) else -1
            if ci2 < 0:
                ok = False
            else:
                place(ti, ci2, s2)
                delta += _gain_after_insert(groups_of[ti], cnt, s2)
                if here is not None:
                    cj2 = free_class(tj, s1) if can_enter(tj, s1) else -1
                    if cj2 < 0:
                        ok = False
                    else:
                        place(tj, cj2, s1)
                        delta += _gain_after_insert(groups_of[tj], cnt, s1)
            if ok and (delta >= 0 or rng.random() < math.exp(delta / temp)):
                value = before + delta
            else:
                # Undo.
                if cell[ti] is not None:
                    remove(ti)
                if cell[tj] is not None:
                    remove(tj)
                place(tj, cj[0], cj[1])
                if old_i is not None:
                    place(ti, old_i[0], old_i[1])
        if value > best_value:
            best_value = value
            best = {k: cell[k] for k in range(n_topics) if cell[k] is not None}  # type: ignore[misc]
    return best  # type: ignore[return-value]


def anneal_restarts(
    instance: Instance,
    sm: SchedulingModel | SearchSpace,
    start: dict[int, tuple[int, int]],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[dict[int, tuple[int, int]]], None] | None = None,
    ceiling: int | None = None,
    floor: dict[int, tuple[int, int]] | None = None,
    max_runs: int = 4,
    t_start: float | None = None,
    processes: int = 1,
    by_time: bool = False,
    method: str = "anneal",
) -> dict[int, tuple[int, int]]:
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
    # Bigger days need longer runs to settle (measured on the benchmark's days).
    min_run = max(MIN_RUN_WORK, RUN_WORK_PER_TOPIC * len(instance.topics))
    runs = max(1, min(max_runs, work // min_run))
    per_run = max(1, work // runs) if not by_time else _BY_TIME_WORK
    best = dict(start)
    best_value = _value(sm, best)
    if floor is not None and _value(sm, floor) > best_value:
        best, best_value = dict(floor), _value(sm, floor)  # a known better schedule is the result to beat
    seeds = [seed * 7919 + k for k in range(runs * max(1, processes))]

    def done() -> bool:
        return ceiling is not None and best_value >= ceiling

    stopped = should_stop is not None and should_stop()
    if processes > 1 and per_run >= MIN_RUN_WORK and not done() and not stopped:
        shown = best_value

        def arrived(cells: dict[int, tuple[int, int]]) -> bool:
            # Progress as runs finish; the result itself is chosen in seed order below.
            nonlocal shown
            value = _value(sm, cells)
            if on_improve is not None and value > shown:
                shown = value
                on_improve(cells)
            return ceiling is not None and value >= ceiling

        try:
            results = _parallel_runs(
                instance,
                SearchSpace.of(sm),
                start,
                seeds,
                per_run,
                processes,
                deadline,
                should_stop,
                ceiling,
                t_start,
                arrived,
                method,
            )
        except OSError:
            results = {}  # no worker processes here (a sandbox, a frozen app): make the runs in this one
        if results:
            for run_seed in seeds:
                if run_seed in results:
                    value = _value(sm, results[run_seed])
                    if value > best_value:
                        best, best_value = results[run_seed], value
            return best
    for k, run_seed in enumerate(seeds[:runs]):
        if time.perf_counter() > deadline or (should_stop is not None and should_stop()) or done():
            break
        cells = _method(method)(
            instance,
            sm,
            start,
            work=per_run,
            seed=run_seed,
            deadline=_share(deadline, runs - k),
            should_stop=should_stop,
            ceiling=ceiling,
            t_start=t_start,
        )
        value = _value(sm, cells)
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


def _parallel_runs(
    instance: Instance,
    space: SearchSpace,
    start: dict[int, tuple[int, int]],
    seeds: list[int],
    per_run: int,
    processes: int,
    deadline: float,
    should_stop: Callable[[], bool] | None,
    ceiling: int | None,
    t_start: float | None,
    on_result: Callable[[dict[int, tuple[int, int]]], bool],
    method: str = "anneal",
) -> dict[int, dict[int, tuple[int, int]]]:
    """Make the runs of ``seeds`` in ``processes`` worker processes: seed -> result.

    Each worker is ``app.scheduler._worker`` (:func:`work`, through
    :class:`app.scheduler.workers.WorkerProcess`): it gets its seeds and reports a ``(seed, cells)``
    per finished run; a stop makes it end its current run early and report it.
    ``on_result`` sees each result as it arrives and returns true to stop the rest.
    """
    deadline_epoch = time.time() + max(0.0, deadline - time.perf_counter())
    results: dict[int, dict[int, tuple[int, int]]] = {}
    workers: list[WorkerProcess] = []
    try:
        count = min(processes, len(seeds))
        # All start first (each spends a moment importing), then each is fed its job.
        for _ in range(count):
            workers.append(WorkerProcess("app.scheduler._worker"))
        for p, worker in enumerate(workers):
            worker.give(
                _Job(instance, space, start, tuple(seeds[p::count]), per_run, t_start, ceiling, deadline_epoch, method)
            )
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


@dataclass(frozen=True)
class _Job:
    """One worker process's share of a parallel :func:`anneal_restarts`."""

    instance: Instance
    space: SearchSpace
    start: dict[int, tuple[int, int]]
    seeds: tuple[int, ...]
    work: int
    t_start: float | None
    ceiling: int | None
    deadline_epoch: float
    method: str = "anneal"


def work() -> None:
    """The worker process: run the job it is given, report each run as it ends."""
    job, stop, report = worker_side()
    deadline = time.perf_counter() + (job.deadline_epoch - time.time())
    for k, run_seed in enumerate(job.seeds):
        if stop.is_set() or time.perf_counter() > deadline:
            break
        cells = _method(job.method)(
            job.instance,
            job.space,
            job.start,
            work=job.work,
            seed=run_seed,
            deadline=_share(deadline, len(job.seeds) - k),
            should_stop=stop.is_set,
            ceiling=job.ceiling,
            t_start=job.t_start,
        )
        report((run_seed, cells))


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


def _method(name: str) -> Callable[..., dict[int, tuple[int, int]]]:
    """The search a run makes: "anneal" (:func:`anneal`) or "tabu" (:func:`app.scheduler.tabu.tabu`).

    Any other name is a programming error and raises KeyError (never a silent fall back to annealing).
    """
    return {"anneal": anneal, "tabu": tabu}[name]


def _value(sm: SchedulingModel | SearchSpace, cells: dict[int, tuple[int, int]]) -> int:
    """Attendance of topic -> (class, slot) cells."""
    return sum(mult * len({cells[ti][1] for ti in tis if ti in cells}) for mult, tis in sm.groups)


def _loss_after_removal(groups: list[tuple[int, int]], cnt: list[list[int]], s: int) -> int:
    """Attendance lost by a removal already applied: groups now at zero in ``s``."""
    return sum(m for gi, m in groups if cnt[gi][s] == 0)


def _gain_after_insert(groups: list[tuple[int, int]], cnt: list[list[int]], s: int) -> int:
    """Attendance gained by an insertion already applied: groups now at one in ``s``."""
    return sum(m for gi, m in groups if cnt[gi][s] == 1)
