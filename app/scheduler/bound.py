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
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from app.scheduler.instance import Instance
from app.scheduler.score import interest_sets, upper_bound
from app.scheduler.workers import ENDED, WorkerProcess, lower_priority, worker_side

__all__ = ["BoundProgress", "attendance_bound", "prove_in_worker"]

#: Multipliers are rounded down to multiples of 1/SCALE so that slot problems have
#: integer objectives; the bound stays exact (a valid bound for the rounded multipliers).
SCALE = 1000
#: A column enters the master when its reduced value (scaled) exceeds this.
_EPS = 1


@dataclass(frozen=True)
class BoundProgress:
    """A proven upper bound on attendance, after ``elapsed`` seconds and ``iterations`` rounds."""

    bound: int
    elapsed: float
    iterations: int


@dataclass
class _SlotProblem:
    """One slot problem, shared by ``count`` identical slots."""

    count: int
    topics: tuple[int, ...]  # admissible topic indices
    #: Hall's condition: (topic indices needing one of a set of need-types, rooms able to host them)
    hall: list[tuple[tuple[int, ...], int]]
    groups: list[tuple[int, tuple[int, ...]]]  # (weight, admissible topics) with 2+ topics
    single: dict[int, int]  # topic -> weight of attendees it alone can cover here
    conflicts: list[tuple[int, ...]]  # at most one of each (facilitators, avoid_clash)


def _prepare(instance: Instance) -> tuple[int, list[_SlotProblem]]:
    """Return (number of topics, slot problems)."""
    topic_index = {t.id: i for i, t in enumerate(instance.topics)}
    room_of = {r.id: r for r in instance.rooms}
    covering: dict[str, set[int]] = defaultdict(set)
    for person, marked in interest_sets(instance).items():
        covering[person] |= {topic_index[t] for t in marked if t in topic_index}
    runs: dict[str, list[int]] = defaultdict(list)
    for ti, topic in enumerate(instance.topics):
        for person in topic.facilitators:
            covering[person].add(ti)
            runs[person].append(ti)
    group_count: dict[frozenset[int], int] = defaultdict(int)
    for person in sorted(covering):
        if covering[person]:
            group_count[frozenset(covering[person])] += 1

    by_key: dict[object, _SlotProblem] = {}
    for slot in instance.slots:
        rooms = [r for r in instance.rooms if slot.id not in r.unavailable_slots]
        feature_count: dict[frozenset[str], int] = defaultdict(int)
        for r in rooms:
            feature_count[r.features] += 1
        admissible: list[int] = []
        need_of: dict[int, frozenset[str]] = {}
        for ti, topic in enumerate(instance.topics):
            if slot.id in topic.unavailable_slots:
                continue
            needs = topic.needs
            pin = topic.pinned
            if pin is not None:
                if pin.slot is not None and pin.slot != slot.id:
                    continue
                if pin.room is not None:
                    pinned_room = room_of.get(pin.room)
                    if pinned_room is None or slot.id in pinned_room.unavailable_slots:
                        continue
                    needs = needs | pinned_room.features
            if not any(needs <= f for f in feature_count):
                continue
            admissible.append(ti)
            need_of[ti] = needs
        need_types = sorted({need_of[ti] for ti in admissible}, key=lambda s: sorted(s))
        hall: list[tuple[tuple[int, ...], int]] = []
        for k in range(1, len(need_types) + 1):
            for combo in itertools.combinations(need_types, k):
                members = tuple(ti for ti in admissible if need_of[ti] in combo)
                capacity = sum(n for f, n in feature_count.items() if any(nt <= f for nt in combo))
                if len(members) > capacity:
                    hall.append((members, capacity))
        key = (tuple(admissible), tuple(hall))
        if key in by_key:
            by_key[key].count += 1
            continue
        allowed = set(admissible)
        groups: list[tuple[int, tuple[int, ...]]] = []
        single: dict[int, int] = defaultdict(int)
        for tis, mult in group_count.items():
            here = tuple(sorted(tis & allowed))
            if len(here) == 1:
                single[here[0]] += mult
            elif here:
                groups.append((mult, here))
        conflicts: list[tuple[int, ...]] = []
        for tis in runs.values():
            here = tuple(ti for ti in tis if ti in allowed)
            if len(here) > 1:
                conflicts.append(here)
        for a, b in instance.avoid_clash:
            if a in topic_index and b in topic_index:
                pair = (topic_index[a], topic_index[b])
                if pair[0] in allowed and pair[1] in allowed and pair[0] != pair[1]:
                    conflicts.append(pair)
        by_key[key] = _SlotProblem(1, tuple(admissible), hall, sorted(groups), dict(single), conflicts)
    return len(instance.topics), [p for p in by_key.values() if p.topics]


class _Pricer:
    """Solves one slot problem for given integer penalties (multipliers × SCALE)."""

    def __init__(self, problem: _SlotProblem, n_topics: int, seed: int) -> None:
        self.problem = problem
        self.seed = seed
        self.topics = problem.topics
        self.groups_of: dict[int, list[int]] = {t: [] for t in problem.topics}
        for gi, (_, tis) in enumerate(problem.groups):
            for t in tis:
                self.groups_of[t].append(gi)
        self.weight = [SCALE * w for w, _ in problem.groups]
        self.single = {t: SCALE * problem.single.get(t, 0) for t in problem.topics}
        self.limits: list[tuple[set[int], int]] = [(set(m), c) for m, c in problem.hall]
        self.limits += [(set(c), 1) for c in problem.conflicts]
        self.limits_of: dict[int, list[int]] = {t: [] for t in problem.topics}
        for li, (members, _) in enumerate(self.limits):
            for t in members:
                self.limits_of[t].append(li)
        # The CP-SAT model; only its objective changes between calls.
        self.model = cp_model.CpModel()
        self.y = {t: self.model.new_bool_var(f"y{t}") for t in problem.topics}
        self.z: list[cp_model.IntVar] = []
        for gi, (_, tis) in enumerate(problem.groups):
            z = self.model.new_bool_var(f"z{gi}")
            self.model.add_bool_or([self.y[t] for t in tis]).only_enforce_if(z)
            self.z.append(z)
        for members, cap in self.limits:
            if cap == 1:
                self.model.add_at_most_one([self.y[t] for t in members])
            else:
                self.model.add(sum(self.y[t] for t in members) <= cap)

    def coverage(self, chosen: set[int]) -> int:
        """Attendees of this slot problem covered by ``chosen``."""
        covered = {gi for t in chosen for gi in self.groups_of[t]}
        return (sum(self.weight[gi] for gi in covered) + sum(self.single[t] for t in chosen)) // SCALE

    def crude(self, penalty: list[int]) -> int:
        """An upper bound without search: every group covered, every positive topic taken."""
        return sum(self.weight) + sum(max(0, self.single[t] - penalty[t]) for t in self.topics)

    def value(self, chosen: set[int], penalty: list[int]) -> int:
        covered = {gi for t in chosen for gi in self.groups_of[t]}
        return sum(self.weight[gi] for gi in covered) + sum(self.single[t] - penalty[t] for t in chosen)

    def heuristic(
        self, penalty: list[int], start: set[int] | None = None, stop: Callable[[], bool] | None = None
    ) -> tuple[int, set[int]]:
        """Greedy, then best-improvement add/drop/swap moves; returns (value, topics).

        ``stop`` is polled between moves; the set so far is returned when it says so.
        """
        chosen: set[int] = set()
        count = [0] * len(self.weight)
        used = [0] * len(self.limits)

        def fits(t: int, without: int | None = None) -> bool:
            for li in self.limits_of[t]:
                extra = 1 if without is not None and without in self.limits[li][0] else 0
                if used[li] - extra + 1 > self.limits[li][1]:
                    return False
            return True

        def add(t: int) -> None:
            chosen.add(t)
            for gi in self.groups_of[t]:
                count[gi] += 1
            for li in self.limits_of[t]:
                used[li] += 1

        def drop(t: int) -> None:
            chosen.discard(t)
            for gi in self.groups_of[t]:
                count[gi] -= 1
            for li in self.limits_of[t]:
                used[li] -= 1

        def gain(t: int) -> int:
            return self.single[t] - penalty[t] + sum(self.weight[gi] for gi in self.groups_of[t] if count[gi] == 0)

        def loss(t: int) -> int:
            return self.single[t] - penalty[t] + sum(self.weight[gi] for gi in self.groups_of[t] if count[gi] == 1)

        for t in start or ():
            if fits(t):
                add(t)
        while True:
            best, best_t = 0, None
            for t in self.topics:
                if t not in chosen and fits(t):
                    g = gain(t)
                    if g > best:
                        best, best_t = g, t
            if best_t is None:
                break
            add(best_t)
        while stop is None or not stop():
            best, move = 0, None
            for t_out in list(chosen):
                lo = loss(t_out)
                if -lo > best:
                    best, move = -lo, (t_out, None)
                drop(t_out)
                for t_in in self.topics:
                    if t_in not in chosen and t_in != t_out and fits(t_in):
                        d = gain(t_in) - lo
                        if d > best:
                            best, move = d, (t_out, t_in)
                add(t_out)
            for t_in in self.topics:
                if t_in not in chosen and fits(t_in):
                    g = gain(t_in)
                    if g > best:
                        best, move = g, (None, t_in)
            if move is None:
                break
            if move[0] is not None:
                drop(move[0])
            if move[1] is not None:
                add(move[1])
        return self.value(chosen, penalty), chosen

    def exact(
        self, penalty: list[int], hint: set[int], time_limit: float, should_stop: Callable[[], bool] | None
    ) -> tuple[int, int, set[int]]:
        """CP-SAT on the slot problem: (proven upper bound, value found, its topics)."""
        m = self.model
        m.maximize(
            sum(self.weight[gi] * z for gi, z in enumerate(self.z))
            + sum((self.single[t] - penalty[t]) * self.y[t] for t in self.topics)
        )
        m.clear_hints()
        for t in self.topics:
            m.add_hint(self.y[t], 1 if t in hint else 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        # The LP of the coverage constraints is what proves these bounds: without it
        # CP-SAT's bound on a medium day stays far above the optimum for many seconds.
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = self.seed
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        status = _solve_interruptible(solver, m, should_stop)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # No solution found in time: fall back on the trivial bound of this problem.
            return self.crude(penalty), self.value(hint, penalty), set(hint)
        ub = math.ceil(solver.best_objective_bound - 1e-6)
        chosen = {t for t in self.topics if solver.boolean_value(self.y[t])}
        return ub, int(round(solver.objective_value)), chosen


def _solve_interruptible(
    solver: cp_model.CpSolver, model: cp_model.CpModel, should_stop: Callable[[], bool] | None
) -> int:
    if should_stop is None:
        return solver.solve(model)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if should_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="bound-stop", daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()


class _Master:
    """The Dantzig–Wolfe master LP: slot columns, topic rows "at most once"."""

    def __init__(self, n_topics: int, problems: list[_SlotProblem]) -> None:
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
    start = time.perf_counter()
    deadline = start + time_limit

    def left() -> float:
        return deadline - time.perf_counter()

    def stopped() -> bool:
        return left() <= 0 or (should_stop is not None and should_stop())

    best = BoundProgress(upper_bound(instance), 0.0, 0)
    iterations = 0

    def offer(value: int) -> None:
        nonlocal best
        if value < best.bound:
            best = BoundProgress(value, time.perf_counter() - start, iterations)
            if on_improve is not None:
                on_improve(best)

    n_topics, problems = _prepare(instance)
    if not problems:
        offer(0)
        return best
    pricers = [_Pricer(p, n_topics, seed) for p in problems]
    master = _Master(n_topics, problems)
    zero = [0] * n_topics
    last: list[set[int]] = []
    for pi, pricer in enumerate(pricers):
        _, chosen = pricer.heuristic(zero, stop=stopped)
        last.append(chosen)
        master.add(pi, chosen, pricer.coverage(chosen))
    proven_round = False  # an exact round has run since the last heuristic stall
    while not stopped():
        iterations += 1
        _, duals, slot_duals = master.solve()
        penalty = [math.floor(d * SCALE) for d in duals]
        added = 0
        # Price with the heuristic first; prove a bound when it stalls, or, if it has
        # not stalled by half time, with what the multipliers are then.
        if proven_round or time.perf_counter() - start < time_limit / 2:
            for pi, pricer in enumerate(pricers):
                value, chosen = pricer.heuristic(penalty, last[pi], stop=stopped)
                last[pi] = chosen
                if value - slot_duals[pi] * SCALE > _EPS:
                    added += master.add(pi, chosen, pricer.coverage(chosen))
            if added or stopped():
                continue
        proven_round = True
        total = sum(penalty)
        for pi, pricer in enumerate(pricers):
            budget = left() / (len(pricers) - pi)
            if budget > 0.02 and not (should_stop is not None and should_stop()):
                ub, value, chosen = pricer.exact(penalty, last[pi], budget, should_stop)
                if value - slot_duals[pi] * SCALE > _EPS:
                    added += master.add(pi, chosen, pricer.coverage(chosen))
                    last[pi] = chosen
            else:
                ub = pricer.crude(penalty)
            total += pricer.problem.count * max(0, ub)
        offer(total // SCALE)
        if not added:
            break  # the master LP is optimal: its value is the best this method can prove
    return best


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
