"""The bound's pricing: one slot problem solved for given multipliers (:mod:`app.scheduler.bound`).

A slot problem (:class:`app.scheduler.bound_slots.SlotProblem`) asks which topics to run in
a slot to maximise the attendees covered minus the chosen topics' penalties (the
multipliers × :data:`SCALE`). :meth:`Pricer.heuristic` answers fast and without proof
(a greedy, then add/drop/swap moves); :meth:`Pricer.exact` asks CP-SAT, whose proven
objective bound is what the attendance bound adds up.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

from app.scheduler.bound_slots import SlotProblem

__all__ = ["SCALE", "Pricer"]

#: Multipliers are rounded down to multiples of 1/SCALE so that slot problems have
#: integer objectives; the bound stays exact (a valid bound for the rounded multipliers).
SCALE = 1000


class Pricer:
    """Solves one slot problem for given integer penalties (multipliers × SCALE)."""

    def __init__(self, problem: SlotProblem, n_topics: int, seed: int) -> None:
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
        selection = _Selection(self, penalty)
        for t in start or ():
            if selection.fits(t):
                selection.add(t)
        selection.fill()
        while stop is None or not stop():
            move = selection.best_move()
            if move is None:
                break
            if move[0] is not None:
                selection.drop(move[0])
            if move[1] is not None:
                selection.add(move[1])
        return self.value(selection.chosen, penalty), selection.chosen

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


class _Selection:
    """The local search's topics in one slot problem, with what its moves look up: how many
    chosen topics cover each group and how many each limit holds."""

    __slots__ = ("chosen", "count", "groups_of", "limits", "limits_of", "penalty", "single", "topics", "used", "weight")

    def __init__(self, pricer: Pricer, penalty: list[int]) -> None:
        self.chosen: set[int] = set()
        self.count = [0] * len(pricer.weight)
        self.used = [0] * len(pricer.limits)
        self.penalty = penalty
        self.topics = pricer.topics
        self.groups_of = pricer.groups_of
        self.weight = pricer.weight
        self.single = pricer.single
        self.limits = pricer.limits
        self.limits_of = pricer.limits_of

    def fits(self, t: int) -> bool:
        """Whether ``t`` can join without breaking a limit."""
        used, limits = self.used, self.limits
        for li in self.limits_of[t]:
            if used[li] + 1 > limits[li][1]:
                return False
        return True

    def add(self, t: int) -> None:
        self.chosen.add(t)
        for gi in self.groups_of[t]:
            self.count[gi] += 1
        for li in self.limits_of[t]:
            self.used[li] += 1

    def drop(self, t: int) -> None:
        self.chosen.discard(t)
        for gi in self.groups_of[t]:
            self.count[gi] -= 1
        for li in self.limits_of[t]:
            self.used[li] -= 1

    def gain(self, t: int) -> int:
        """What adding ``t`` is worth."""
        count = self.count
        return self.single[t] - self.penalty[t] + sum(self.weight[gi] for gi in self.groups_of[t] if count[gi] == 0)

    def loss(self, t: int) -> int:
        """What dropping ``t`` costs."""
        count = self.count
        return self.single[t] - self.penalty[t] + sum(self.weight[gi] for gi in self.groups_of[t] if count[gi] == 1)

    def fill(self) -> None:
        """Greedy: add the topic worth most while one is worth something and fits."""
        while True:
            best, best_t = 0, None
            for t in self.topics:
                if t not in self.chosen and self.fits(t):
                    g = self.gain(t)
                    if g > best:
                        best, best_t = g, t
            if best_t is None:
                return
            self.add(best_t)

    def best_move(self) -> tuple[int | None, int | None] | None:
        """The best improving drop, swap or add, as (topic out, topic in); ``None`` if none improves."""
        chosen, topics, fits, gain = self.chosen, self.topics, self.fits, self.gain
        best = 0
        move: tuple[int | None, int | None] | None = None
        for t_out in list(chosen):
            lo = self.loss(t_out)
            if -lo > best:
                best, move = -lo, (t_out, None)
            self.drop(t_out)
            for t_in in topics:
                if t_in not in chosen and t_in != t_out and fits(t_in):
                    d = gain(t_in) - lo
                    if d > best:
                        best, move = d, (t_out, t_in)
            self.add(t_out)
        for t_in in topics:
            if t_in not in chosen and fits(t_in):
                g = gain(t_in)
                if g > best:
                    best, move = g, (None, t_in)
        return move


def _solve_interruptible(
    solver: cp_model.CpSolver, model: cp_model.CpModel, should_stop: Callable[[], bool] | None
) -> cp_model.CpSolverStatus:
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
