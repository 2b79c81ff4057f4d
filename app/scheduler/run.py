"""One ``solve()`` call's settings and shared state: the clock, the stop flag, progress.

:class:`Config` is what the caller chooses, :class:`Progress` what it is told along the way.
:class:`Run` is handed to every stage of :func:`app.scheduler.solve.solve`: it knows when the
call started, whether the caller asked it to stop (a watcher thread then ends the CP-SAT run in
progress), the best attendance and bound reported so far, and it makes every stage's CP-SAT
solver with the same seed, workers and reproducibility settings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.scheduler.instance import Instance
from app.scheduler.score import upper_bound
from app.scheduler.solution import Solution, Status

__all__ = ["Config", "Progress", "Run", "SolutionProgress"]


@dataclass(frozen=True)
class Progress:
    """A snapshot of the search, for a progress bar.

    Attributes
    ----------
    attendance : int
        Best attendance found so far.
    bound : int or None
        Proven upper bound on attendance so far, when known.
    upper_bound : int
        The format's trivial upper bound (the bar's 100 %).
    elapsed : float
        Seconds since ``solve`` started.
    """

    attendance: int
    bound: int | None
    upper_bound: int
    elapsed: float


@dataclass(frozen=True)
class Config:
    """Solver settings.

    Attributes
    ----------
    time_limit : float
        Wall-clock seconds from the call to the answer, model building included
        (see :mod:`app.scheduler.solve`). With ``work`` it is only a safety cap.
    seed : int
        CP-SAT's random seed, and the search's.
    workers : int
        CP-SAT search workers, and processes for the annealing search (a fresh
        interpreter each, so a build in a server never holds the server's GIL).
    work : float or None
        Reproducible runs: seconds of *work* (converted to deterministic units and move
        counts) instead of the clock. ``None`` (the default) runs by the clock.
    spread_languages : bool
        Spread the sessions of the day's minority language over the slots, after attendance
        and sessions run (:mod:`app.scheduler.spread`); False only to measure what it changes.

    Examples
    --------
    >>> Config(time_limit=5, seed=1)
    Config(time_limit=5, seed=1, workers=2, work=None, spread_languages=True)
    >>> Config(work=2, time_limit=120).reproducible
    True
    """

    time_limit: float = 10.0
    seed: int = 0
    workers: int = 2
    work: float | None = None
    spread_languages: bool = True

    @property
    def reproducible(self) -> bool:
        return self.work is not None


class Run:
    """One solve call's shared state: clock, stop watcher, progress reporting."""

    def __init__(
        self,
        instance: Instance,
        config: Config,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
    ) -> None:
        self.start = time.perf_counter()
        self.config = config
        self.on_progress = on_progress
        self.stop = stop
        self.upper_bound = upper_bound(instance)
        self.best_attendance = 0
        self.best_bound: int | None = None
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._watcher: threading.Thread | None = None
        if stop is not None:
            self._watcher = threading.Thread(target=self._watch, name="scheduler-stop", daemon=True)
            self._watcher.start()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def _watch(self) -> None:
        assert self.stop is not None
        while not self._done.is_set():
            if self.stop.wait(0.05):
                with self._lock:
                    if self._solver is not None:
                        self._solver.stop_search()
                return

    def close(self) -> None:
        self._done.set()
        if self._watcher is not None:
            self._watcher.join()

    def infeasible(self, messages: Sequence[str]) -> Solution:
        """End the call with an ``INFEASIBLE`` answer whose conflicts are ``messages``."""
        self.close()
        return Solution(Status.INFEASIBLE, (), (), None, None, tuple(messages))

    def report(self, attendance: int | None = None, bound: int | None = None) -> None:
        if attendance is not None and attendance > self.best_attendance:
            self.best_attendance = attendance
        if bound is not None:
            # Early in a search CP-SAT's bound can be weaker than the format's own.
            bound = min(bound, self.upper_bound)
            self.best_bound = bound if self.best_bound is None else min(self.best_bound, bound)
        if self.on_progress is not None:
            self.on_progress(Progress(self.best_attendance, self.best_bound, self.upper_bound, self.elapsed()))

    def solver(self, dtime: float, wall: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = self.config.seed
        p.num_workers = max(1, self.config.workers)
        if p.num_workers > 1 and self.config.reproducible:
            p.interleave_search = True  # workers in lock-stepped batches: the same result every time
        p.max_deterministic_time = max(0.01, dtime)
        p.max_time_in_seconds = max(0.001, wall)
        with self._lock:
            self._solver = solver
        if self.stopped():
            # stop_search() before solve() starts is not seen; end at once instead.
            p.max_time_in_seconds = 0.001
            p.max_deterministic_time = 0.001
        return solver


class SolutionProgress(cp_model.CpSolverSolutionCallback):
    """Reports each attendance solution of a CP-SAT stage, and its bound, to the run."""

    def __init__(self, run: Run) -> None:
        super().__init__()
        self.run = run

    def on_solution_callback(self) -> None:
        self.run.report(int(round(self.objective_value)), int(self.best_objective_bound + 1e-6))
