"""A proven upper bound on attendance, stronger than the format's trivial one.

Method
------
Relax "a topic is placed at most once" with a multiplier ``π_t ≥ 0`` per topic
(Lagrangian relaxation). What is left falls apart into one problem per slot:
choose which topics run in that slot, at most as many as its free rooms can hold
(room features and unavailable slots included, exactly, through Hall's condition),
no facilitator twice, no ``avoid_clash`` pair together, to maximise

    (attendees who have a topic of theirs in the slot) − Σ π_t over the chosen topics.

For *any* ``π ≥ 0``, ``Σ_t π_t + Σ_slots max(slot problem)`` is an upper bound on the
best attendance, and so is it with each slot maximum replaced by any upper bound of
it (CP-SAT's proven objective bound when its search is cut short). Slots with the same
free rooms and the same admissible topics share one slot problem.

Good multipliers come from column generation on the Dantzig–Wolfe master LP (solved
by GLOP): each column is one slot's choice of topics, each row a topic's "used at most
once"; the LP's topic duals are the next multipliers. Columns are found by a greedy
plus swap local search, and by CP-SAT when the heuristic finds none. The bound of
each round is kept only if it is lower than the best so far, so what is returned is
always a valid bound, whatever the time limit.

Relaxed (which can only loosen the bound): pins only restrict a topic's slot and
room features (a pinned topic is not forced in, and a pin to a room allows any room of
the same features); room capacities and the secondary objectives do not matter to
attendance.

Here: the master LP, the rounds of column generation and the worker that runs them. The slot
problems are built in :mod:`app.scheduler.bound_slots` and priced in
:mod:`app.scheduler.bound_pricing`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from app.scheduler.bound_pricing import SCALE, Pricer
from app.scheduler.bound_slots import SlotProblem, prepare_slots
from app.scheduler.instance import Instance
from app.scheduler.score import upper_bound
from app.scheduler.workers import ENDED, WorkerProcess, lower_priority, worker_side

__all__ = ["BoundProgress", "attendance_bound", "prove_in_worker"]

#: A column enters the master when its reduced value (scaled) exceeds this.
_EPS = 1


@dataclass(frozen=True)
class BoundProgress:
    """A proven upper bound on attendance, after ``elapsed`` seconds and ``iterations`` rounds."""

    bound: int
    elapsed: float
    iterations: int


class _Master:
    """The Dantzig–Wolfe master LP: slot columns, topic rows "at most once"."""

    def __init__(self, n_topics: int, problems: list[SlotProblem]) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.lp.infinity()
        self.topic_rows = [self.lp.Constraint(-inf, 1.0) for _ in range(n_topics)]
        self.slot_rows = [self.lp.Constraint(-inf, float(p.count)) for p in problems]
        self.objective = self.lp.Objective()
        self.objective.SetMaximization()
        self.seen: set[tuple[int, frozenset[int]]] = set()

    def add(self, pi: int, topics: set[int], coverage: int) -> bool:
        key = (pi, frozenset(topics))
        if key in self.seen:
            return False
        self.seen.add(key)
        var = self.lp.NumVar(0.0, self.lp.infinity(), "")
        self.objective.SetCoefficient(var, float(coverage))
        self.slot_rows[pi].SetCoefficient(var, 1.0)
        for t in topics:
            self.topic_rows[t].SetCoefficient(var, 1.0)
        return True

    def solve(self) -> tuple[float, list[float], list[float]]:
        self.lp.Solve()
        return (
            self.objective.Value(),
            [max(0.0, r.dual_value()) for r in self.topic_rows],
            [max(0.0, r.dual_value()) for r in self.slot_rows],
        )


class _Progress:
    """The clock of one :func:`attendance_bound` call and the lowest bound it has proven."""

    def __init__(
        self,
        instance: Instance,
        time_limit: float,
        should_stop: Callable[[], bool] | None,
        on_improve: Callable[[BoundProgress], None] | None,
    ) -> None:
        self.start = time.perf_counter()
        self.deadline = self.start + time_limit
        self.should_stop = should_stop
        self.on_improve = on_improve
        self.best = BoundProgress(upper_bound(instance), 0.0, 0)
        self.iterations = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def stopped(self) -> bool:
        return self.left() <= 0 or (self.should_stop is not None and self.should_stop())

    def offer(self, value: int) -> None:
        """Keep ``value`` if it is a lower bound than the best so far, and say so."""
        if value < self.best.bound:
            self.best = BoundProgress(value, self.elapsed(), self.iterations)
            if self.on_improve is not None:
                self.on_improve(self.best)


class _ColumnGeneration:
    """The master LP, a pricer per slot problem and each one's last column; a round prices
    every slot problem for the master's duals and adds the columns that improve it."""

    def __init__(self, n_topics: int, problems: list[SlotProblem], seed: int, stopped: Callable[[], bool]) -> None:
        self.pricers = [Pricer(p, n_topics, seed) for p in problems]
        self.master = _Master(n_topics, problems)
        zero = [0] * n_topics
        self.last: list[set[int]] = []
        for pi, pricer in enumerate(self.pricers):
            _, chosen = pricer.heuristic(zero, stop=stopped)
            self.last.append(chosen)
            self.master.add(pi, chosen, pricer.coverage(chosen))

    def multipliers(self) -> tuple[list[int], list[float]]:
        """Solve the master LP: (topic penalties, its topic duals × SCALE rounded down; its slot duals)."""
        _, duals, slot_duals = self.master.solve()
        return [math.floor(d * SCALE) for d in duals], slot_duals

    def price_heuristically(self, penalty: list[int], slot_duals: list[float], stopped: Callable[[], bool]) -> int:
        """Price each slot problem with the local search; returns how many columns were added."""
        added = 0
        for pi, pricer in enumerate(self.pricers):
            value, chosen = pricer.heuristic(penalty, self.last[pi], stop=stopped)
            self.last[pi] = chosen
            if value - slot_duals[pi] * SCALE > _EPS:
                added += self.master.add(pi, chosen, pricer.coverage(chosen))
        return added

    def price_exactly(
        self,
        penalty: list[int],
        slot_duals: list[float],
        left: Callable[[], float],
        should_stop: Callable[[], bool] | None,
    ) -> tuple[int, int]:
        """Price each slot problem with CP-SAT, sharing out the time ``left``; returns (the bound
        these multipliers prove, how many columns were added)."""
        added = 0
        total = sum(penalty)
        for pi, pricer in enumerate(self.pricers):
            budget = left() / (len(self.pricers) - pi)
            if budget > 0.02 and not (should_stop is not None and should_stop()):
                ub, value, chosen = pricer.exact(penalty, self.last[pi], budget, should_stop)
                if value - slot_duals[pi] * SCALE > _EPS:
                    added += self.master.add(pi, chosen, pricer.coverage(chosen))
                    self.last[pi] = chosen
            else:
                ub = pricer.crude(penalty)
            total += pricer.problem.count * max(0, ub)
        return total // SCALE, added


def attendance_bound(
    instance: Instance,
    *,
    time_limit: float,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[BoundProgress], None] | None = None,
    seed: int = 0,
) -> BoundProgress:
    """Prove an upper bound on the attendance of any valid schedule of ``instance``.

    Parameters
    ----------
    instance : Instance
    time_limit : float
        Wall seconds; the call returns within about 0.2 s of it.
    should_stop : callable, optional
        Polled often; once it returns true the best bound so far is returned.
    on_improve : callable, optional
        Called with each new lowest bound.
    seed : int
        CP-SAT's random seed.

    Returns
    -------
    BoundProgress
        The lowest bound proven, never above :func:`app.scheduler.score.upper_bound`.
    """
    progress = _Progress(instance, time_limit, should_stop, on_improve)
    n_topics, problems = prepare_slots(instance)
    if not problems:
        progress.offer(0)
        return progress.best
    columns = _ColumnGeneration(n_topics, problems, seed, progress.stopped)
    proven_round = False  # an exact round has run since the last heuristic stall
    while not progress.stopped():
        progress.iterations += 1
        penalty, slot_duals = columns.multipliers()
        # Price with the heuristic first; prove a bound when it stalls, or, if it has
        # not stalled by half time, with what the multipliers are then.
        if proven_round or progress.elapsed() < time_limit / 2:
            if columns.price_heuristically(penalty, slot_duals, progress.stopped) or progress.stopped():
                continue
        proven_round = True
        bound, added = columns.price_exactly(penalty, slot_duals, progress.left, should_stop)
        progress.offer(bound)
        if not added:
            break  # the master LP is optimal: its value is the best this method can prove
    return progress.best


def prove_in_worker(
    instance: Instance,
    *,
    time_limit: float,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[BoundProgress], None] | None = None,
) -> BoundProgress | None:
    """:func:`attendance_bound` in a worker process (``python -m app.scheduler._bound_worker``).

    The search is mostly Python: in a server's own process it would hold the interpreter
    while attendees' requests wait. The worker gets the instance and time limit, runs at a
    lower priority and reports each new bound; ``should_stop`` makes it report and end, and
    it is killed if it outlives its limit by a second. Returns the last bound, or ``None`` if
    no worker could start (the caller may then run :func:`attendance_bound` itself).
    """
    try:
        worker = WorkerProcess("app.scheduler._bound_worker")
    except OSError:
        return None
    best: BoundProgress | None = None
    try:
        worker.give((instance, time_limit))
        deadline = time.perf_counter() + time_limit + 1.0
        asked = False
        while time.perf_counter() <= deadline:
            if not asked and should_stop is not None and should_stop():
                worker.stop()
                asked = True
                deadline = min(deadline, time.perf_counter() + 0.5)  # every bound so far is reported already
            item = worker.next(timeout=0.1)
            if item is ENDED:
                break
            if item is not None:
                best = item
                if on_improve is not None:
                    on_improve(item)
    except BrokenPipeError:
        pass  # the worker ended before it read its job: no bound
    finally:
        worker.close()
    return best


def bound_worker() -> None:
    """The worker process's side of :func:`prove_in_worker`."""
    (instance, time_limit), stop, report = worker_side()
    lower_priority(10)  # behind the attendees' requests, as the builds are
    attendance_bound(instance, time_limit=time_limit, should_stop=stop.is_set, on_improve=report)
