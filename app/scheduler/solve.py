"""``solve()``: the scheduler's entry point.

How it works
------------
1. Check the instance (:mod:`app.scheduler.checks`): reference problems raise, pins
   that break a hard constraint give ``INFEASIBLE``.
2. Build the CP-SAT model over room *classes* (:mod:`app.scheduler.model`) and a
   greedy schedule (:mod:`app.scheduler.warmstart`).
3. Without a previous schedule: a short CP-SAT run on attendance (small days are
   proven optimal here), then independent local searches, one worker process per
   ``Config.workers``, from the better of the two, which on this coverage objective
   find good schedules much faster than CP-SAT does: a tabu search
   (:mod:`app.scheduler.tabu`) from a 200- to a 600-person day, annealing
   (:mod:`app.scheduler.search`) on smaller and bigger ones.
4. Solve lexicographically, one CP-SAT run per objective, each hinted with the best
   schedule so far and fixing the previous optimum (or best found) as a constraint:
   fewest moves (only with a previous schedule), most attendance (this run supplies
   the proven bound), then the overflow/clash proxies.
5. Without a previous schedule: a local search on the exact overflow and clashes
   that never lowers attendance (:mod:`app.scheduler.polish`).
6. Choose concrete rooms per slot by an exact min-cost matching on the real
   headcounts (:mod:`app.scheduler.rooms`), score with :func:`~app.scheduler.score.score`.

The clock, or reproducible work
-------------------------------
By default ``Config.time_limit`` is wall-clock seconds from the call to the answer,
model building included: every stage gets a share of the time left and ends by its
deadline, the search processes are stopped by then, and a stage that proves its
optimum hands the rest of its time on (a small day ends as soon as it is proven). The
result then depends on the machine's speed and load.

For tests and benchmarks that must repeat exactly, ``Config.work`` gives a budget of
*work* instead: CP-SAT's deterministic time (:data:`DETERMINISTIC_PER_SECOND` units
per second of work, with ``interleave_search`` when there are several workers) and the
annealing and polishing stages' move counts (:data:`WORK_PER_SECOND`,
:data:`POLISH_WORK_PER_SECOND`). Same instance, seed, work and worker count give the
same schedule on any machine; ``time_limit`` is then only a safety cap on the clock,
and a run it cuts short is valid but no longer reproducible. Setting ``stop`` ends the
search wherever it is, in either mode.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from app.scheduler.checks import pin_problems, reference_problems
from app.scheduler.eventfile import EventFileError
from app.scheduler.fill import fill_viable
from app.scheduler.instance import Instance
from app.scheduler.model import Fixed, SchedulingModel, build_model
from app.scheduler.polish import polish
from app.scheduler.reasons import _no_cell_reason, unscheduled_reasons
from app.scheduler.rooms import assign_rooms
from app.scheduler.score import score, upper_bound, viable_topics, violations
from app.scheduler.search import anneal_restarts
from app.scheduler.solution import Placement, Solution, Status, Unscheduled
from app.scheduler.warmstart import greedy_cells

__all__ = [
    "DETERMINISTIC_PER_SECOND",
    "POLISH_WORK_PER_SECOND",
    "WORK_PER_SECOND",
    "Config",
    "Progress",
    "solve",
    "suggested_seconds",
    "suggested_time_limit",
]

#: CP-SAT deterministic-time units granted per second of ``Config.work``.
#: Measured on the development machine (2 cores) so that a run takes about
#: ``work`` wall seconds there; see BENCHMARKS.md.
DETERMINISTIC_PER_SECOND = 1.0

#: Time kept, by the clock, for choosing rooms and scoring after the last stage:
#: this share of ``time_limit``, within [_FINISH_MIN, _FINISH_MAX] seconds.
_FINISH_SHARE = 0.03
_FINISH_MIN = 0.05
_FINISH_MAX = 0.4

# Share of the budget per objective stage; the attendance stage gets the rest. Unused
# budget of a stage that proves its optimum passes on.
_MOVES_SHARE = 0.15
_SECONDARY_SHARE = 0.2
#: Of what is left after attendance, the share of the sessions-run stage (the
#: overflow/clash proxies get the rest).
_SESSIONS_SHARE = 0.4
#: The same on small days (at most :data:`SMALL_MODEL_CELLS` x variables).
_SESSIONS_SHARE_SMALL = 0.8
#: Share of the time limit given to the annealing start (:mod:`app.scheduler.search`).
_ANNEAL_SHARE = 0.65
#: The annealing share on big models (more than :data:`BIG_MODEL_CELLS` x variables,
#: the benchmark's large and huge days). Measured there: within seconds CP-SAT moves
#: neither the schedule nor its bound (which stays at the format's upper bound),
#: while the annealing search keeps improving, so it gets nearly all the time.
_ANNEAL_SHARE_BIG = 0.8
BIG_MODEL_CELLS = 3000
#: Above this many x variables (the benchmark's huge days) the search is annealing, whose long
#: runs start hotter still; up to it and above :data:`SMALL_MODEL_CELLS`, the tabu search
#: (:mod:`app.scheduler.tabu`).
LONG_RUN_CELLS = 10000
#: Share of the deterministic budget for the first, short CP-SAT run.
_QUICK_SHARE = 0.05
#: By the clock, small models (at most :data:`SMALL_MODEL_CELLS` x variables, ten-topic days)
#: give the first CP-SAT run this share instead and the annealing search the next
#: :data:`_ANNEAL_SHARE_SMALL`: CP-SAT proves such days within a second when it has the
#: cores to itself, while annealing can only find what it then proves.
_QUICK_SHARE_SMALL = 0.3
_ANNEAL_SHARE_SMALL = 0.35
SMALL_MODEL_CELLS = 600
#: Share of the time limit for the exact overflow/clash polish (:mod:`app.scheduler.polish`).
_POLISH_SHARE = 0.05

#: Polishing work units per second of ``Config.work`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
POLISH_WORK_PER_SECOND = 1_000_000

#: Annealing work units per second of ``Config.work`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
WORK_PER_SECOND = 4_000_000

#: Work granted to a stage that runs by the clock: more than any run can do, so its
#: deadline ends it.
_UNLIMITED_WORK = 10**15
_UNLIMITED_DTIME = 1e9


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
        (see the module docstring). With ``work`` it is only a safety cap.
    seed : int
        CP-SAT's random seed, and the search's.
    workers : int
        CP-SAT search workers, and processes for the annealing search (a fresh
        interpreter each, so a build in a server never holds the server's GIL).
    work : float or None
        Reproducible runs: seconds of *work* (converted to deterministic units and move
        counts) instead of the clock. ``None`` (the default) runs by the clock.

    Examples
    --------
    >>> Config(time_limit=5, seed=1)
    Config(time_limit=5, seed=1, workers=2, work=None)
    >>> Config(work=2, time_limit=120).reproducible
    True
    """

    time_limit: float = 10.0
    seed: int = 0
    workers: int = 2
    work: float | None = None

    @property
    def reproducible(self) -> bool:
        return self.work is not None


def suggested_time_limit(instance: Instance, *, most: float = 60.0) -> float:
    """Seconds worth spending on ``instance`` by the clock: a 10-topic day needs 2, a 600-person day 10.

    Grows with topics × slots (the search's size); measured on the benchmark's days:
    small (15 × 3) 3 s, medium (35 × 4) 5 s, large (90 × 5) 11 s, huge (260 × 6) 33 s.

    >>> from app.scheduler.instance import EventInfo, Room, Slot, Topic
    >>> suggested_time_limit(Instance(EventInfo(), (Room("r", "R", 9),), (Slot("s", "09:00", "10:00"),), (),
    ...     tuple(Topic(f"t{i}", "T") for i in range(10)), ()))
    2.0
    """
    return suggested_seconds(len(instance.topics), len(instance.slots), most=most)


def suggested_seconds(topics: int, slots: int, *, most: float = 60.0) -> float:
    """:func:`suggested_time_limit` from the counts alone (a page can say it without building the day)."""
    size = topics * max(1, slots)
    return float(min(most, max(2, math.ceil(2 + size / 50))))


class _Run:
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


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, run: _Run, offset: int) -> None:
        super().__init__()
        self.run = run
        self.offset = offset

    def on_solution_callback(self) -> None:
        self.run.report(
            int(round(self.objective_value)) + self.offset, int(self.best_objective_bound + 1e-6) + self.offset
        )


def _hint(model: cp_model.CpModel, values: dict[cp_model.IntVar, int]) -> None:
    model.clear_hints()
    # Written into the proto in one go: add_hint() per variable costs ~15 µs, 0.3 s on a huge day.
    hint = model.proto.solution_hint
    hint.vars.extend([var.index for var in values])
    hint.values.extend([int(value) for value in values.values()])


def _values(solver: cp_model.CpSolver, sm: SchedulingModel) -> dict[cp_model.IntVar, int]:
    out: dict[cp_model.IntVar, int] = {}
    for var in list(sm.x.values()) + list(sm.y.values()) + list(sm.placed.values()):
        out[var] = int(solver.value(var))
    return out


def _greedy_values(sm: SchedulingModel, cells: dict[int, tuple[int, int]]) -> dict[cp_model.IntVar, int]:
    """A complete hint (CP-SAT repairs partial hints poorly) from topic -> (class, slot)."""
    out: dict[cp_model.IntVar, int] = {}
    for (gi, si), var in sm.cov.items():
        out[var] = int(any(ti in cells and cells[ti][1] == si for ti in sm.groups[gi][1]))
    for (ti, ci, si), var in sm.x.items():
        out[var] = int(cells.get(ti) == (ci, si))
    for (ti, si), var in sm.y.items():
        out[var] = int(ti in cells and cells[ti][1] == si)
    for ti, var in sm.placed.items():
        out[var] = int(ti in cells)
    return out


def _cells(solver: cp_model.CpSolver, sm: SchedulingModel) -> dict[int, tuple[int, int]]:
    """Topic index -> (class, slot) of the solver's current solution."""
    return {ti: (ci, si) for (ti, ci, si), var in sm.x.items() if solver.value(var)}


class _Skipped:
    """A CP-SAT stage the clock left no time for: no work done, nothing found."""

    deterministic_time = 0.0


def _cells_of(sm: SchedulingModel, values: dict[cp_model.IntVar, int]) -> dict[int, tuple[int, int]]:
    """Topic index -> (class, slot) of a complete assignment of the model's variables."""
    return {ti: (ci, si) for (ti, ci, si), var in sm.x.items() if values.get(var)}


def _kept_rooms(
    instance: Instance, sm: SchedulingModel, values: dict[cp_model.IntVar, int], later: dict[str, tuple[str, str]]
) -> dict[int, str]:
    """Topic index -> room, for the topics of a re-solve that stay where the previous schedule had them."""
    return {ti: later[instance.topics[ti].id][0] for ti, var in sm.stay.items() if values.get(var)}


def _attendance(sm: SchedulingModel, cells: dict[int, tuple[int, int]]) -> int:
    return sum(mult * len({cells[ti][1] for ti in tis if ti in cells}) for mult, tis in sm.groups)


def _infeasible(messages: Sequence[str], run: _Run) -> Solution:
    run.close()
    return Solution(Status.INFEASIBLE, (), (), None, None, tuple(messages))


def solve(
    instance: Instance,
    config: Config = Config(),  # noqa: B008 - frozen, so a shared default is safe
    *,
    previous: Sequence[Placement] | None = None,
    keep_before: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Solution:
    """Schedule ``instance``: most attendance, then least overflow, then fewest clashes.

    Parameters
    ----------
    instance : Instance
        The event. Reference problems (unknown or duplicate ids...) raise.
    config : Config
        Time limit, seed and workers.
    previous : sequence of Placement, optional
        The schedule in force. With it, the solver first moves as few of its placements
        as it can, and ``Solution.moved`` counts those that changed room or slot or were
        dropped (placements of topics, rooms or slots no longer in the instance count
        as dropped).
    keep_before : str, optional
        A slot id (needs ``previous``): placements in earlier slots stay exactly as
        they are, and no new topic goes into those slots.
    on_progress : callable, optional
        Called from the solving thread with a :class:`Progress` at each improvement.
    stop : threading.Event, optional
        When set, the search ends and the best schedule found so far is returned.

    Returns
    -------
    Solution
        ``OPTIMAL`` when attendance, then sessions run (and, with ``previous``, first the
        number of moves) are proven best; overflow and clashes are then minimised within the time left
        but not proven. ``INFEASIBLE`` with ``conflicts`` when pins or kept
        placements cannot all hold. ``TIMEOUT`` when nothing was found in time.

    Raises
    ------
    EventFileError
        If the instance refers to unknown ids or repeats one (a ``ValueError``).
    ValueError
        If ``keep_before`` is not a slot id or is given without ``previous``.

    Examples
    --------
    >>> from app.scheduler.instance import Attendee, EventInfo, Interest, Room, Slot, Topic
    >>> inst = Instance(EventInfo(), (Room("r", "R", 30),),
    ...     (Slot("s1", "09:00", "09:50"), Slot("s2", "10:00", "10:50")),
    ...     (Attendee("a"),), (Topic("t1", "One"), Topic("t2", "Two")),
    ...     (Interest("a", "t1"), Interest("a", "t2")))
    >>> sol = solve(inst, Config(time_limit=2))
    >>> sol.status.name, sol.stats.attendance
    ('OPTIMAL', 2)
    """
    problems = reference_problems(instance)
    if problems:
        raise EventFileError.from_problem(problems[0])
    slot_ids = instance.slot_ids
    if keep_before is not None:
        if keep_before not in slot_ids:
            raise ValueError(f"keep_before: unknown slot {keep_before!r}")
        if previous is None:
            raise ValueError("keep_before needs the previous schedule")
    first_open = slot_ids.index(keep_before) if keep_before is not None else 0

    run = _Run(instance, config, on_progress, stop)
    try:
        return _solve(instance, config, run, previous, first_open)
    finally:
        run.close()


def _solve(
    instance: Instance, config: Config, run: _Run, previous: Sequence[Placement] | None, first_open: int
) -> Solution:
    slot_ids = instance.slot_ids
    topics = {t.id: t for t in instance.topics}
    rooms = {r.id for r in instance.rooms}
    conflicts = [str(p) for p in pin_problems(instance)]
    if conflicts:
        return _infeasible(conflicts, run)

    # Pins, then kept placements (the past cannot be changed, so they win over pins).
    fixed: dict[str, Fixed] = {}
    for t in instance.topics:
        if t.pinned is not None:
            where = " and ".join(
                f"{k} {v!r}" for k, v in (("room", t.pinned.room), ("slot", t.pinned.slot)) if v is not None
            )
            fixed[t.id] = Fixed(
                t.pinned.room, t.pinned.slot, f"topic {t.id!r} is pinned" + (f" to {where}" if where else "")
            )
    later: dict[str, tuple[str, str]] = {}
    kept: list[Placement] = []
    dropped_unknown = 0
    for p in previous or ():
        known = p.topic in topics and p.room in rooms and p.slot in slot_ids
        if known and slot_ids.index(p.slot) < first_open:
            fixed[p.topic] = Fixed(
                p.room,
                p.slot,
                f"topic {p.topic!r} is kept in room {p.room!r}, slot {p.slot!r} (before the keep-before slot)",
            )
            kept.append(p)
        elif known:
            later[p.topic] = (p.room, p.slot)
        elif not (p.slot in slot_ids and slot_ids.index(p.slot) < first_open):
            dropped_unknown += 1
    # Pins are checked by the model; here only whether the kept ones still hold.
    unpinned = replace(instance, topics=tuple(replace(t, pinned=None) for t in instance.topics))
    bad_kept = violations(unpinned, kept)
    if bad_kept:
        return _infeasible([f"kept placements before the keep-before slot: {v}" for v in bad_kept], run)

    sm = build_model(instance, fixed, first_open_slot=first_open, previous=later if previous is not None else None)
    placeable = {key[0] for key in sm.x}
    has_cell = {t.id: i in placeable for i, t in enumerate(instance.topics)}
    nowhere = [
        f"{fixed[t.id].why}, but {_no_cell_reason(instance, t, first_open)} there"
        for t in instance.topics
        if t.id in fixed and not has_cell[t.id]
    ]
    if nowhere:
        return _infeasible(nowhere, run)

    # The budget: by the clock (each stage a share of the time left, ending by its
    # deadline) or, for reproducible runs, by work (deterministic units and move counts).
    clock = not config.reproducible
    units = config.time_limit if config.work is None else config.work  # seconds that scale the work budgets
    cap = run.start + config.time_limit
    t0 = time.perf_counter()
    # Building the model measures this day's size on this machine: choosing rooms and scoring at
    # the end, and each CP-SAT stage's setup (hints, presolve, reading the answer), cost about as
    # much again. By the clock those are kept out of the stages' time.
    setup = t0 - run.start
    finish = min(_FINISH_MAX, max(_FINISH_MIN, _FINISH_SHARE * config.time_limit)) + 1.5 * setup
    end = cap - finish if clock else cap
    window = max(0.0, end - t0)
    polish_start = end - window * _POLISH_SHARE if clock else cap
    total_dtime = max(0.05, units * DETERMINISTIC_PER_SECOND)
    remaining_dtime = total_dtime * (1.0 - _POLISH_SHARE)
    model = sm.model

    def until(share: float) -> float:
        """By the clock: the deadline of a stage given ``share`` of the time left before the polish."""
        now = time.perf_counter()
        return now + share * max(0.0, polish_start - now) if clock else cap

    def best_so_far() -> bool:
        """A schedule is in hand (the greedy start, or a stage's)."""
        return greedy_ok or best is not None

    def run_stage(
        objective: cp_model.LinearExprT,
        maximize: bool,
        dtime: float,
        deadline: float,
        offset: int = 0,
        progress: bool = False,
    ) -> tuple[cp_model.CpSolver | _Skipped, cp_model.CpSolverStatus]:
        if clock and best_so_far() and deadline - time.perf_counter() < 2 * setup + 0.02:
            return _Skipped(), cp_model.UNKNOWN  # no time for CP-SAT to do more than set itself up
        if clock and not best_so_far():
            # Without any schedule yet (pins the greedy start could not keep), an answer a moment
            # late beats none: CP-SAT gets at least a short run.
            deadline = max(deadline, time.perf_counter() + max(0.25, 2 * setup))
        if maximize:
            model.maximize(objective)
        else:
            model.minimize(objective)
        solver = run.solver(_UNLIMITED_DTIME if clock else dtime, deadline - time.perf_counter())
        callback = _Progress(run, offset) if progress else None
        status = solver.solve(model, callback)
        return solver, status

    greedy = greedy_cells(instance, sm)
    greedy_ok = all(ti in greedy for ti in sm.must)
    hint: dict[cp_model.IntVar, int] = {}
    hint_value = 0
    quick_bound: int | None = None
    quick_optimal = False
    if greedy_ok:
        cells = greedy
        run.report(_attendance(sm, cells))
        if previous is None:
            # A short CP-SAT run first: small days are proven optimal right here, and
            # its bound tells the annealing search when to stop.
            _hint(model, _greedy_values(sm, cells))
            small = clock and len(sm.x) <= SMALL_MODEL_CELLS
            quick_share = _QUICK_SHARE_SMALL if small else _QUICK_SHARE
            quick_end = t0 + window * quick_share if clock else cap
            solver, status = run_stage(sm.attendance, True, total_dtime * _QUICK_SHARE, quick_end, progress=True)
            remaining_dtime -= solver.deterministic_time
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                quick_bound = int(solver.best_objective_bound + 1e-6)
                found = _cells(solver, sm)
                if _attendance(sm, found) >= _attendance(sm, cells):
                    cells = found
            quick_optimal = status == cp_model.OPTIMAL
            if status != cp_model.OPTIMAL:
                # The annealing search knows nothing of moves, so it runs only
                # without a previous schedule.
                # Restarts begin at the greedy schedule (measured: more varied, and
                # better, than starting from CP-SAT's); the better start is the floor.
                big = len(sm.x) > BIG_MODEL_CELLS
                tabu_search = SMALL_MODEL_CELLS < len(sm.x) <= LONG_RUN_CELLS
                share = _ANNEAL_SHARE_BIG if big else _ANNEAL_SHARE_SMALL if small else _ANNEAL_SHARE
                if clock:
                    # The worker processes report after their deadline; they are given one early.
                    anneal_end = t0 + window * (quick_share + share) - min(0.5, 0.15 + setup)
                    # The runs' number follows the time they have; each cools by its share of it.
                    anneal_work = int(max(0.0, anneal_end - time.perf_counter()) * WORK_PER_SECOND)
                else:
                    anneal_end = run.start + config.time_limit * (_QUICK_SHARE + share)
                    anneal_work = int(units * share * WORK_PER_SECOND)
                cells = anneal_restarts(
                    instance,
                    sm,
                    greedy,
                    floor=cells,
                    work=anneal_work,
                    by_time=clock,
                    seed=config.seed,
                    deadline=anneal_end,
                    should_stop=run.stopped,
                    on_improve=lambda found: run.report(_attendance(sm, found)),
                    ceiling=quick_bound,
                    # Measured on the benchmark's days: on medium and large ones the tabu
                    # search, one run per process (it shakes itself out of dead ends), beats
                    # annealing; on huge ones its steps are too slow (every exchange of 260
                    # topics weighed) and one long, hot annealing run per process wins; on
                    # small ones annealing's restarts reach the optimum CP-SAT then proves
                    # within the 3 s (the tabu search took the whole of its share there).
                    method="tabu" if tabu_search else "anneal",
                    max_runs=1 if big or tabu_search else 4,
                    t_start=2.0 if len(sm.x) > LONG_RUN_CELLS else 1.0 if big else None,
                    # The search is pure Python: one process per worker uses the
                    # cores CP-SAT's threads would.
                    processes=config.workers,
                )
                remaining_dtime = max(0.0, remaining_dtime - total_dtime * share)
        hint = _greedy_values(sm, cells)
        hint_value = _attendance(sm, cells)
        _hint(model, hint)
    best: dict[cp_model.IntVar, int] | None = hint if greedy_ok else None
    proven = True
    proven_bound: int | None = None
    stay_fixed = None

    # Stage 0: fewest moves of the previous schedule.
    if previous is not None and sm.stay and not run.stopped():
        solver, status = run_stage(sum(sm.stay.values()), True, total_dtime * _MOVES_SHARE, until(_MOVES_SHARE))
        remaining_dtime -= solver.deterministic_time
        if status == cp_model.INFEASIBLE:
            return _explain(instance, fixed, first_open, run)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven &= status == cp_model.OPTIMAL
            stay_fixed = int(round(solver.objective_value))
            model.add(sum(sm.stay.values()) >= stay_fixed)
            best = _values(solver, sm)
            _hint(model, best)
        else:
            proven = False

    # Stage 1: attendance (already proven by the quick run on small days).
    if quick_optimal:
        proven_bound = min(hint_value, run.upper_bound)
        run.report(hint_value, proven_bound)
        model.add(sm.attendance >= hint_value)
    elif not run.stopped():
        share = 1.0 - _SECONDARY_SHARE
        solver, status = run_stage(sm.attendance, True, max(0.02, remaining_dtime * share), until(share), progress=True)
        remaining_dtime -= solver.deterministic_time
        if status == cp_model.INFEASIBLE:
            return _explain(instance, fixed, first_open, run)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven &= status == cp_model.OPTIMAL
            attendance = int(round(solver.objective_value))
            proven_bound = min(int(solver.best_objective_bound + 1e-6), run.upper_bound)
            if stay_fixed is None and best is not None and hint_value > attendance:
                # CP-SAT can end a short run below a complete hint; the hint stands.
                attendance = hint_value
                proven = False
            else:
                best = _values(solver, sm)
            run.report(attendance, proven_bound)
            model.add(sm.attendance >= attendance)
            _hint(model, best)
        else:
            proven = False
            if best is not None:  # later stages must not trade attendance away
                model.add(sm.attendance >= _attendance(sm, _cells_of(sm, best)))

    # Stage 1b: sessions run, attendance held. Every viable topic that fits a free cell
    # goes in first (adding never lowers attendance), then CP-SAT looks for more.
    viable = viable_topics(instance)
    viable_vars = [sm.placed[ti] for ti, t in enumerate(instance.topics) if t.id in viable and ti in sm.placed]
    sessions = cp_model.LinearExpr.sum(viable_vars)
    if best is not None and viable_vars:
        best = _greedy_values(
            sm, fill_viable(instance, sm, _cells_of(sm, best), _kept_rooms(instance, sm, best, later))
        )
        filled = sum(best[v] for v in viable_vars)
        _hint(model, best)
        if not run.stopped() and filled < len(viable_vars):
            # On a small day proving the sessions run is what is left to prove (the proxies after it
            # are only polish): it gets most of the time.
            sessions_share = _SESSIONS_SHARE_SMALL if len(sm.x) <= SMALL_MODEL_CELLS else _SESSIONS_SHARE
            solver, status = run_stage(
                sessions, True, max(0.02, remaining_dtime * sessions_share), until(sessions_share)
            )
            remaining_dtime -= solver.deterministic_time
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and int(round(solver.objective_value)) >= filled:
                proven &= status == cp_model.OPTIMAL
                best = _values(solver, sm)
                filled = int(round(solver.objective_value))
                _hint(model, best)
            else:
                proven = False
        model.add(sessions >= filled)

    # Stage 2: overflow and clash proxies, attendance and sessions run held.
    settled = False  # every stage proven: the exact polish below gets a short budget, not the clock's rest
    if best is not None and not run.stopped() and (clock or remaining_dtime > 0.01):
        solver, status = run_stage(sm.secondary, False, remaining_dtime, until(1.0))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = _values(solver, sm)
        settled = proven and status == cp_model.OPTIMAL

    # Stage 3: exact overflow and clashes by local search (not with a previous
    # schedule, where every extra move counts against stability).
    if best is not None and previous is None and not run.stopped():
        polished = polish(
            instance,
            sm,
            _cells_of(sm, best),
            work=_UNLIMITED_WORK if clock and not settled else int(units * _POLISH_SHARE * POLISH_WORK_PER_SECOND),
            seed=config.seed,
            deadline=end,
            should_stop=run.stopped,
        )
        best = _greedy_values(sm, polished)

    # Whatever the stages managed in their time: no viable topic is left out while a
    # suitable cell is free.
    if best is not None and viable_vars:
        best = _greedy_values(
            sm, fill_viable(instance, sm, _cells_of(sm, best), _kept_rooms(instance, sm, best, later))
        )

    if best is None:
        return Solution(Status.TIMEOUT, (), (), None)
    return _finish(
        instance,
        sm,
        best,
        fixed,
        later,
        previous,
        first_open,
        run,
        proven=proven and not run.stopped(),
        proven_bound=proven_bound,
        dropped_unknown=dropped_unknown,
    )


def _explain(instance: Instance, fixed: dict[str, Fixed], first_open: int, run: _Run) -> Solution:
    """Name a small set of pins/kept placements that cannot hold together."""
    sm = build_model(instance, fixed, first_open_slot=first_open, explain=True)
    model = sm.model
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # assumption cores need a single worker
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.random_seed = run.config.seed
    status = solver.solve(model)
    lit_to_topic = {lit.index: instance.topics[ti].id for ti, lit in sm.must.items()}
    core = []
    if status == cp_model.INFEASIBLE:
        core = [lit_to_topic[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lit_to_topic]
    if not core:
        core = sorted(fixed)
    messages = [fixed[t].why for t in core]
    lead = (
        "these placements cannot all hold together (rooms free, facilitators, avoid_clash, "
        "unavailable slots and features leave no way to schedule them all): "
    )
    return _infeasible([lead + "; ".join(messages)] + messages, run)


def _finish(
    instance: Instance,
    sm: SchedulingModel,
    values: dict[cp_model.IntVar, int],
    fixed: dict[str, Fixed],
    later: dict[str, tuple[str, str]],
    previous: Sequence[Placement] | None,
    first_open: int,
    run: _Run,
    *,
    proven: bool,
    proven_bound: int | None,
    dropped_unknown: int,
) -> Solution:
    slot_ids = instance.slot_ids
    slot_of: dict[str, str] = {}
    class_of: dict[str, int] = {}
    for (ti, ci, si), var in sm.x.items():
        if values.get(var):
            slot_of[instance.topics[ti].id] = slot_ids[si]
            class_of[instance.topics[ti].id] = ci
    required: dict[str, str] = {t: f.room for t, f in fixed.items() if f.room is not None and t in slot_of}
    for ti, var in sm.stay.items():
        tid = instance.topics[ti].id
        if values.get(var):
            required[tid] = later[tid][0]
    preferred = {t: room for t, (room, _) in later.items()}
    room_of = assign_rooms(instance, slot_of, required, preferred_room=preferred)
    if room_of is None:
        # Staying in the same class need not mean the same room is free (an invalid
        # previous schedule, a pin on that room): keep only the fixed rooms then.
        fixed_rooms = {t: f.room for t, f in fixed.items() if f.room is not None and t in slot_of}
        room_of = assign_rooms(instance, slot_of, fixed_rooms, preferred_room=preferred)
    if room_of is None:  # cannot happen for a valid class solution; keep the classes' own matching
        room_of = _rooms_from_classes(instance, sm, slot_of, class_of, required)
    order = {s: i for i, s in enumerate(slot_ids)}
    room_order = {r.id: i for i, r in enumerate(instance.rooms)}
    placements = tuple(
        sorted(
            (Placement(t, room_of[t], slot_of[t]) for t in slot_of), key=lambda p: (order[p.slot], room_order[p.room])
        )
    )
    placeable = {key[0] for key in sm.x}
    has_cell = {t.id: i in placeable for i, t in enumerate(instance.topics)}
    reasons = unscheduled_reasons(instance, slot_of, has_cell, first_open_slot=first_open, room_of=room_of)
    unscheduled = tuple(Unscheduled(t.id, reasons[t.id]) for t in instance.topics if t.id not in slot_of)
    moved = None
    if previous is not None:
        now = {p.topic: (p.room, p.slot) for p in placements}
        moved = dropped_unknown + sum(1 for t, where in later.items() if now.get(t) != where)
    elapsed = run.elapsed()
    stats = score(instance, placements, solve_seconds=round(elapsed, 3), proven_bound=proven_bound)
    run.report(stats.attendance)
    status = Status.OPTIMAL if proven and proven_bound == stats.attendance else Status.FEASIBLE
    return Solution(status, placements, unscheduled, stats, moved)


def _rooms_from_classes(
    instance: Instance, sm: SchedulingModel, slot_of: dict[str, str], class_of: dict[str, int], required: dict[str, str]
) -> dict[str, str]:
    taken: set[tuple[str, str]] = set()
    out: dict[str, str] = {}
    for t in sorted(slot_of, key=lambda t: t not in required):
        s = slot_of[t]
        candidates = [required[t]] if t in required else [r.id for r in sm.classes[class_of[t]].rooms]
        for room in candidates:
            if (room, s) not in taken:
                taken.add((room, s))
                out[t] = room
                break
    return out
