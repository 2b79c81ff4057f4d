"""The stages of a solve, in order, over one built model: each starts from the best schedule so far.

1. :meth:`Stages.start`: a greedy schedule; without a previous schedule, a short CP-SAT run on
   attendance and then a local search (tabu or annealing, in worker processes).
2. The lexicographic CP-SAT stages, each hinted with the best schedule so far and holding the
   optimum of the ones before as a constraint: :meth:`~Stages.fewest_moves` (re-solves only),
   :meth:`~Stages.most_attendance`, :meth:`~Stages.most_sessions`,
   :meth:`~Stages.least_overflow_proxies`.
3. :meth:`~Stages.polish` on the exact overflow and clashes (not in re-solves),
   :meth:`~Stages.fill` any free cell a viable topic fits, and :meth:`~Stages.spread` the
   sessions of the day's minority language over the slots (not in re-solves).

Each stage takes its share of the :class:`~app.scheduler.budget.Budget`, and one the clock
leaves no time for is skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.scheduler import budget as shares
from app.scheduler.assignment import (
    Cells,
    Values,
    attendance_of,
    cells_of,
    kept_rooms,
    set_hint,
    solver_cells,
    solver_values,
    values_of,
)
from app.scheduler.budget import Budget
from app.scheduler.fill import fill_viable
from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel
from app.scheduler.polish import polish
from app.scheduler.run import Run, SolutionProgress
from app.scheduler.score import viable_topics
from app.scheduler.search import anneal_restarts
from app.scheduler.spread import spread_language
from app.scheduler.warmstart import greedy_cells

__all__ = ["Stages"]

_FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class Stages:
    """The stages over ``sm``, and what they have found and proven so far.

    Attributes
    ----------
    best : dict or None
        The best complete assignment so far (None until some schedule holds the fixed topics).
    proven : bool
        Every CP-SAT stage so far proved its optimum.
    proven_bound : int or None
        Proven upper bound on attendance, once a stage has one.
    """

    instance: Instance
    sm: SchedulingModel
    run: Run
    budget: Budget
    #: Topic id -> (room, slot) of the previous schedule from ``keep_before`` on.
    later: dict[str, tuple[str, str]]
    #: A re-solve (a previous schedule is given): moves count, and no local search runs.
    re_solve: bool
    #: The greedy start holds every fixed topic (else CP-SAT must find the first schedule).
    greedy_ok: bool = False
    best: Values | None = None
    proven: bool = True
    proven_bound: int | None = None
    #: Attendance of the start: the schedule the attendance stage must not fall below.
    start_attendance: int = 0
    #: The quick CP-SAT run proved the start's attendance optimal.
    quick_optimal: bool = False
    #: The fewest moves found (re-solves), held by the later stages.
    stay_fixed: int | None = None
    #: Every CP-SAT stage proven, the last one included: the polish gets a short budget.
    settled: bool = False
    #: The placed variables of the viable topics (the sessions-run objective).
    viable_vars: list[cp_model.IntVar] = field(default_factory=list)

    def _run_stage(
        self, objective: cp_model.LinearExprT, maximize: bool, dtime: float, deadline: float, progress: bool = False
    ) -> tuple[cp_model.CpSolver | None, cp_model.CpSolverStatus]:
        """One CP-SAT run on ``objective`` within ``dtime`` (by work) or ``deadline`` (by the clock).

        The solver comes back, to read its schedule from, only when it found one (OPTIMAL or FEASIBLE);
        a run the clock left no time for, or one that found nothing, gives None.
        """
        clock, setup, model = self.budget.clock, self.budget.setup, self.sm.model
        have_one = self.greedy_ok or self.best is not None
        if clock and have_one and deadline - time.perf_counter() < 2 * setup + 0.02:
            return None, cp_model.UNKNOWN  # no time for CP-SAT to do more than set itself up
        if clock and not have_one:
            # Without any schedule yet (pins the greedy start could not keep), an answer a moment
            # late beats none: CP-SAT gets at least a short run.
            deadline = max(deadline, time.perf_counter() + max(0.25, 2 * setup))
        if maximize:
            model.maximize(objective)
        else:
            model.minimize(objective)
        solver = self.run.solver(shares.UNLIMITED_DTIME if clock else dtime, deadline - time.perf_counter())
        callback = SolutionProgress(self.run) if progress else None
        status = solver.solve(model, callback)
        self.budget.remaining_dtime -= solver.deterministic_time
        return (solver if status in _FOUND else None), status

    def _take(self, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> None:
        """Make a stage's answer the best so far and the next stage's hint."""
        self.proven &= status == cp_model.OPTIMAL
        self.best = solver_values(solver, self.sm)
        set_hint(self.sm.model, self.best)

    def start(self) -> None:
        """The greedy schedule; without a previous one, improved by a quick CP-SAT run and a local search."""
        sm = self.sm
        greedy = greedy_cells(self.instance, sm)
        self.greedy_ok = all(ti in greedy for ti in sm.must)
        if not self.greedy_ok:
            return
        cells = greedy
        self.run.report(attendance_of(sm, cells))
        if not self.re_solve:
            cells, status, quick_bound = self._quick_run(cells)
            self.quick_optimal = status == cp_model.OPTIMAL
            if status != cp_model.OPTIMAL:
                cells = self._local_search(greedy, cells, quick_bound)
        self.best = values_of(sm, cells)
        self.start_attendance = attendance_of(sm, cells)
        set_hint(sm.model, self.best)

    def _small(self) -> bool:
        """By the clock, a small day (see :data:`~app.scheduler.budget.QUICK_SHARE_SMALL`)."""
        return self.budget.clock and len(self.sm.x) <= shares.SMALL_MODEL_CELLS

    def _quick_share(self) -> float:
        return shares.QUICK_SHARE_SMALL if self._small() else shares.QUICK_SHARE

    def _quick_run(self, cells: Cells) -> tuple[Cells, cp_model.CpSolverStatus, int | None]:
        """A short CP-SAT run from ``cells``: small days are proven optimal right here, and
        its bound tells the local search when to stop. Returns the better schedule, the
        run's status and its bound."""
        sm, budget = self.sm, self.budget
        set_hint(sm.model, values_of(sm, cells))
        quick_end = budget.t0 + budget.window * self._quick_share() if budget.clock else budget.cap
        solver, status = self._run_stage(
            sm.attendance, True, budget.total_dtime * shares.QUICK_SHARE, quick_end, progress=True
        )
        quick_bound = None
        if solver is not None:
            quick_bound = int(solver.best_objective_bound + 1e-6)
            found = solver_cells(solver, sm)
            if attendance_of(sm, found) >= attendance_of(sm, cells):
                cells = found
        return cells, status, quick_bound

    def _local_search(self, greedy: Cells, floor: Cells, ceiling: int | None) -> Cells:
        """Tabu search or annealing restarts from the greedy schedule, never below ``floor``.

        The local search knows nothing of moves, so it runs only without a previous schedule.
        Restarts begin at the greedy schedule (measured: more varied, and better, than starting
        from CP-SAT's); the better start is the floor.
        """
        sm, budget, run = self.sm, self.budget, self.run
        big = len(sm.x) > shares.BIG_MODEL_CELLS
        tabu_search = shares.SMALL_MODEL_CELLS < len(sm.x) <= shares.LONG_RUN_CELLS
        share = shares.ANNEAL_SHARE_BIG if big else shares.ANNEAL_SHARE_SMALL if self._small() else shares.ANNEAL_SHARE
        if budget.clock:
            # The worker processes report after their deadline; they are given one early.
            anneal_end = budget.t0 + budget.window * (self._quick_share() + share) - min(0.5, 0.15 + budget.setup)
            # The runs' number follows the time they have; each cools by its share of it.
            anneal_work = int(max(0.0, anneal_end - time.perf_counter()) * shares.WORK_PER_SECOND)
        else:
            anneal_end = run.start + run.config.time_limit * (shares.QUICK_SHARE + share)
            anneal_work = int(budget.units * share * shares.WORK_PER_SECOND)
        cells = anneal_restarts(
            self.instance,
            sm,
            greedy,
            floor=floor,
            work=anneal_work,
            by_time=budget.clock,
            seed=run.config.seed,
            deadline=anneal_end,
            should_stop=run.stopped,
            on_improve=lambda found: run.report(attendance_of(sm, found)),
            ceiling=ceiling,
            # Measured on the benchmark's days: on medium and large ones the tabu
            # search, one run per process (it shakes itself out of dead ends), beats
            # annealing; on huge ones its steps are too slow (every exchange of 260
            # topics weighed) and one long, hot annealing run per process wins; on
            # small ones annealing's restarts reach the optimum CP-SAT then proves
            # within the 3 s (the tabu search took the whole of its share there).
            method="tabu" if tabu_search else "anneal",
            max_runs=1 if big or tabu_search else 4,
            t_start=2.0 if len(sm.x) > shares.LONG_RUN_CELLS else 1.0 if big else None,
            # The search is pure Python: one process per worker uses the
            # cores CP-SAT's threads would.
            processes=run.config.workers,
        )
        budget.remaining_dtime = max(0.0, budget.remaining_dtime - budget.total_dtime * share)
        return cells

    def fewest_moves(self) -> cp_model.CpSolverStatus:
        """Re-solves: move as few of the previous placements as can be, and hold that number."""
        sm = self.sm
        if not (self.re_solve and sm.stay and not self.run.stopped()):
            return cp_model.UNKNOWN
        stay = sum(sm.stay.values())
        solver, status = self._run_stage(
            stay, True, self.budget.total_dtime * shares.MOVES_SHARE, self.budget.until(shares.MOVES_SHARE)
        )
        if solver is not None:
            self.stay_fixed = int(round(solver.objective_value))
            sm.model.add(stay >= self.stay_fixed)
            self._take(solver, status)
        elif status != cp_model.INFEASIBLE:
            self.proven = False
        return status

    def most_attendance(self) -> cp_model.CpSolverStatus:
        """Most attendance (already proven by the quick run on small days), held from here on."""
        sm, run = self.sm, self.run
        if self.quick_optimal:
            self.proven_bound = min(self.start_attendance, run.upper_bound)
            run.report(self.start_attendance, self.proven_bound)
            sm.model.add(sm.attendance >= self.start_attendance)
            return cp_model.OPTIMAL
        if run.stopped():
            return cp_model.UNKNOWN
        share = 1.0 - shares.SECONDARY_SHARE
        solver, status = self._run_stage(
            sm.attendance, True, max(0.02, self.budget.remaining_dtime * share), self.budget.until(share), progress=True
        )
        if solver is not None:
            self.proven &= status == cp_model.OPTIMAL
            attendance = int(round(solver.objective_value))
            self.proven_bound = min(int(solver.best_objective_bound + 1e-6), run.upper_bound)
            if self.stay_fixed is None and self.best is not None and self.start_attendance > attendance:
                # CP-SAT can end a short run below a complete hint; the hint stands.
                attendance = self.start_attendance
                self.proven = False
            else:
                self.best = solver_values(solver, sm)
            run.report(attendance, self.proven_bound)
            sm.model.add(sm.attendance >= attendance)
            set_hint(sm.model, self.best)
        elif status != cp_model.INFEASIBLE:
            self.proven = False
            if self.best is not None:  # later stages must not trade attendance away
                sm.model.add(sm.attendance >= attendance_of(sm, cells_of(sm, self.best)))
        return status

    def _filled(self, best: Values) -> Values:
        """``best`` with every viable topic that fits a free cell added (never lowers attendance)."""
        sm = self.sm
        return values_of(
            sm, fill_viable(self.instance, sm, cells_of(sm, best), kept_rooms(self.instance, sm, best, self.later))
        )

    def most_sessions(self) -> None:
        """Most viable topics run, attendance held: first the fill, then CP-SAT looks for more."""
        sm, instance = self.sm, self.instance
        viable = viable_topics(instance)
        self.viable_vars = [sm.placed[ti] for ti, t in enumerate(instance.topics) if t.id in viable and ti in sm.placed]
        sessions = cp_model.LinearExpr.sum(self.viable_vars)
        if self.best is None or not self.viable_vars:
            return
        self.best = self._filled(self.best)
        filled = sum(self.best[v] for v in self.viable_vars)
        set_hint(sm.model, self.best)
        if not self.run.stopped() and filled < len(self.viable_vars):
            # On a small day proving the sessions run is what is left to prove (the proxies after it
            # are only polish): it gets most of the time.
            small = len(sm.x) <= shares.SMALL_MODEL_CELLS
            share = shares.SESSIONS_SHARE_SMALL if small else shares.SESSIONS_SHARE
            solver, status = self._run_stage(
                sessions, True, max(0.02, self.budget.remaining_dtime * share), self.budget.until(share)
            )
            if solver is not None and int(round(solver.objective_value)) >= filled:
                self._take(solver, status)
                filled = int(round(solver.objective_value))
            else:
                self.proven = False
        sm.model.add(sessions >= filled)

    def least_overflow_proxies(self) -> None:
        """Least overflow and clashes by the model's proxies, attendance and sessions run held."""
        budget = self.budget
        if self.best is None or self.run.stopped() or not (budget.clock or budget.remaining_dtime > 0.01):
            return
        solver, status = self._run_stage(self.sm.secondary, False, budget.remaining_dtime, budget.until(1.0))
        if solver is not None:
            self.best = solver_values(solver, self.sm)
        self.settled = self.proven and status == cp_model.OPTIMAL

    def polish(self) -> None:
        """Exact overflow and clashes by local search (not in re-solves, where every extra move
        counts against stability)."""
        if self.best is None or self.re_solve or self.run.stopped():
            return
        budget = self.budget
        by_work = int(budget.units * shares.POLISH_SHARE * shares.POLISH_WORK_PER_SECOND)
        polished = polish(
            self.instance,
            self.sm,
            cells_of(self.sm, self.best),
            work=shares.UNLIMITED_WORK if budget.clock and not self.settled else by_work,
            seed=self.run.config.seed,
            deadline=budget.end,
            should_stop=self.run.stopped,
        )
        self.best = values_of(self.sm, polished)

    def spread(self) -> None:
        """The minority language's sessions over the slots, attendance and sessions run held (not in
        re-solves, where every move counts against stability)."""
        if self.best is not None and not self.re_solve and self.run.config.spread_languages:
            self.best = values_of(self.sm, spread_language(self.instance, self.sm, cells_of(self.sm, self.best)))

    def fill(self) -> None:
        """Whatever the stages managed in their time: no viable topic is left out while a
        suitable cell is free."""
        if self.best is not None and self.viable_vars:
            self.best = self._filled(self.best)
