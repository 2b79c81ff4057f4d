"""``solve()``: the scheduler's entry point.

How it works
------------
1. Check the instance (:mod:`app.scheduler.checks`): reference problems raise, pins
   that break a hard constraint give ``INFEASIBLE``.
2. Build the CP-SAT model over room *classes* (:mod:`app.scheduler.model`) and a
   greedy schedule (:mod:`app.scheduler.warmstart`).
3. Without a previous schedule: a short CP-SAT run on attendance (small days are
   proven optimal here), then independent annealing runs
   (:mod:`app.scheduler.search`, one worker process per ``Config.workers``) from the
   better of the two, which on this coverage objective find good schedules much
   faster than CP-SAT does.
4. Solve lexicographically, one CP-SAT run per objective, each hinted with the best
   schedule so far and fixing the previous optimum (or best found) as a constraint:
   fewest moves (only with a previous schedule), most attendance (this run supplies
   the proven bound), then the overflow/clash proxies.
5. Without a previous schedule: a local search on the exact overflow and clashes
   that never lowers attendance (:mod:`app.scheduler.polish`).
6. Choose concrete rooms per slot by an exact min-cost matching on the real
   headcounts (:mod:`app.scheduler.rooms`), score with :func:`~app.scheduler.score.score`.

Determinism
-----------
CP-SAT with several workers and a wall-clock limit is not reproducible: what is found
depends on thread timing. So every run is limited by CP-SAT's *deterministic* time
(a count of work, ``max_deterministic_time``), converted from ``Config.time_limit``
with :data:`DETERMINISTIC_PER_SECOND`, and with more than one worker the portfolio is
run with ``interleave_search`` (workers step in lock-stepped batches). The annealing
and polishing stages count their length in work units (``WORK_PER_SECOND``,
``POLISH_WORK_PER_SECOND``), not seconds. Same instance,
seed, time limit and worker count therefore give the same schedule, on any machine;
only the wall time varies. A wall-clock cap (``Config.wall_limit``, by default ``time_limit`` × :data:`WALL_SLACK`)
guards against a slow machine; when it cuts a run short (``Solution`` is still
valid), that run is no longer reproducible. Setting ``stop`` likewise ends the search
wherever it is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from app.scheduler.checks import pin_problems, reference_problems
from app.scheduler.eventfile import EventFileError
from app.scheduler.instance import Instance
from app.scheduler.model import Fixed, SchedulingModel, build_model
from app.scheduler.reasons import _no_cell_reason, unscheduled_reasons
from app.scheduler.rooms import assign_rooms
from app.scheduler.score import score, upper_bound, violations
from app.scheduler.polish import polish
from app.scheduler.search import anneal_restarts
from app.scheduler.solution import Placement, Solution, Status, Unscheduled
from app.scheduler.warmstart import greedy_cells

__all__ = ["DETERMINISTIC_PER_SECOND", "POLISH_WORK_PER_SECOND", "WALL_SLACK", "WORK_PER_SECOND", "Config", "Progress", "solve"]

#: CP-SAT deterministic-time units granted per second of ``Config.time_limit``.
#: Measured on the development machine (2 cores) so that a run takes about
#: ``time_limit`` wall seconds there; see BENCHMARKS.md.
DETERMINISTIC_PER_SECOND = 1.0

#: The wall-clock safety cap, as a multiple of ``Config.time_limit``.
WALL_SLACK = 2.0

# Share of the deterministic budget per objective stage; the attendance stage gets
# the rest. Unused budget of a stage that proves its optimum passes on.
_MOVES_SHARE = 0.15
_SECONDARY_SHARE = 0.2
#: Share of the time limit given to the annealing start (:mod:`app.scheduler.search`).
_ANNEAL_SHARE = 0.65
#: The annealing share on big models (more than :data:`BIG_MODEL_CELLS` x variables,
#: the benchmark's large and huge days). Measured there: within seconds CP-SAT moves
#: neither the schedule nor its bound (which stays at the format's upper bound),
#: while the annealing search keeps improving, so it gets nearly all the time.
_ANNEAL_SHARE_BIG = 0.8
BIG_MODEL_CELLS = 3000
#: Above this many x variables the annealing search's long runs start hotter still.
LONG_RUN_CELLS = 10000
#: Share of the deterministic budget for the first, short CP-SAT run.
_QUICK_SHARE = 0.05
#: Share of the time limit for the exact overflow/clash polish (:mod:`app.scheduler.polish`).
_POLISH_SHARE = 0.05

#: Polishing work units per second of ``Config.time_limit`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
POLISH_WORK_PER_SECOND = 1_000_000

#: Annealing work units per second of ``Config.time_limit`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
WORK_PER_SECOND = 4_000_000


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
        Seconds of work (converted to deterministic time; see the module docstring).
    seed : int
        CP-SAT's random seed.
    workers : int
        CP-SAT search workers, and processes for the annealing search (a fresh
        interpreter each, so a build in a server never holds the server's GIL).
    wall_limit : float or None
        The wall-clock safety cap in seconds; ``None`` means ``time_limit`` ×
        :data:`WALL_SLACK`. A run cut by it is valid but no longer reproducible, so
        tests of determinism on a busy machine raise it.

    Examples
    --------
    >>> Config(time_limit=5, seed=1)
    Config(time_limit=5, seed=1, workers=2, wall_limit=None)
    """

    time_limit: float = 10.0
    seed: int = 0
    workers: int = 2
    wall_limit: float | None = None


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
        if p.num_workers > 1:
            p.interleave_search = True
        p.max_deterministic_time = max(0.01, dtime)
        p.max_time_in_seconds = max(0.05, wall)
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
            int(round(self.objective_value)) + self.offset,
            int(self.best_objective_bound + 1e-6) + self.offset,
        )


def _hint(model: cp_model.CpModel, values: dict[cp_model.IntVar, int]) -> None:
    model.clear_hints()
    for var, value in values.items():
        model.add_hint(var, value)


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
        ``OPTIMAL`` when attendance (and, with ``previous``, the number of moves) is
        proven best; overflow and clashes are then minimised within the time left
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
    instance: Instance,
    config: Config,
    run: _Run,
    previous: Sequence[Placement] | None,
    first_open: int,
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
            fixed[t.id] = Fixed(t.pinned.room, t.pinned.slot, f"topic {t.id!r} is pinned" + (f" to {where}" if where else ""))
    later: dict[str, tuple[str, str]] = {}
    kept: list[Placement] = []
    dropped_unknown = 0
    for p in previous or ():
        known = p.topic in topics and p.room in rooms and p.slot in slot_ids
        if known and slot_ids.index(p.slot) < first_open:
            fixed[p.topic] = Fixed(p.room, p.slot, f"topic {p.topic!r} is kept in room {p.room!r}, slot {p.slot!r} (before the keep-before slot)")
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
    has_cell = {t.id: any(key[0] == i for key in sm.x) for i, t in enumerate(instance.topics)}
    nowhere = [
        f"{fixed[t.id].why}, but {_no_cell_reason(instance, t, first_open)} there"
        for t in instance.topics
        if t.id in fixed and not has_cell[t.id]
    ]
    if nowhere:
        return _infeasible(nowhere, run)

    total_dtime = max(0.05, config.time_limit * DETERMINISTIC_PER_SECOND)
    wall_cap = config.time_limit * WALL_SLACK if config.wall_limit is None else config.wall_limit
    deadline = run.start + wall_cap
    remaining_dtime = total_dtime * (1.0 - _POLISH_SHARE)
    model = sm.model

    def run_stage(objective: cp_model.LinearExprT, maximize: bool, dtime: float, offset: int = 0,
                  progress: bool = False) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        if maximize:
            model.maximize(objective)
        else:
            model.minimize(objective)
        wall = max(0.05, deadline - time.perf_counter())
        solver = run.solver(dtime, wall)
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
            solver, status = run_stage(sm.attendance, True, total_dtime * _QUICK_SHARE, progress=True)
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
                share = _ANNEAL_SHARE_BIG if len(sm.x) > BIG_MODEL_CELLS else _ANNEAL_SHARE
                cells = anneal_restarts(
                    instance,
                    sm,
                    greedy,
                    floor=cells,
                    work=int(config.time_limit * share * WORK_PER_SECOND),
                    seed=config.seed,
                    deadline=run.start + wall_cap * (_QUICK_SHARE + share),
                    should_stop=run.stopped,
                    on_improve=lambda found: run.report(_attendance(sm, found)),
                    ceiling=quick_bound,
                    # Measured on the benchmark's days: on large and huge ones, one
                    # long, hotter run per process beats restarts (which win on the
                    # smaller ones).
                    max_runs=1 if len(sm.x) > BIG_MODEL_CELLS else 4,
                    t_start=2.0 if len(sm.x) > LONG_RUN_CELLS else 1.0 if len(sm.x) > BIG_MODEL_CELLS else None,
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
        solver, status = run_stage(sum(sm.stay.values()), True, total_dtime * _MOVES_SHARE)
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
        solver, status = run_stage(sm.attendance, True, max(0.02, remaining_dtime * share), progress=True)
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
            if best is not None and stay_fixed is None:
                model.add(sm.attendance >= hint_value)  # stage 2 must not trade attendance away

    # Stage 2: overflow and clash proxies, attendance held.
    if best is not None and not run.stopped() and remaining_dtime > 0.01:
        solver, status = run_stage(sm.secondary, False, remaining_dtime)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = _values(solver, sm)

    # Stage 3: exact overflow and clashes by local search (not with a previous
    # schedule, where every extra move counts against stability).
    if best is not None and previous is None and not run.stopped():
        polished = polish(
            instance,
            sm,
            {ti: (ci, si) for (ti, ci, si), var in sm.x.items() if best.get(var)},
            work=int(config.time_limit * _POLISH_SHARE * POLISH_WORK_PER_SECOND),
            seed=config.seed,
            deadline=run.start + wall_cap,
            should_stop=run.stopped,
        )
        best = _greedy_values(sm, polished)

    if best is None:
        return Solution(Status.TIMEOUT, (), (), None)
    return _finish(instance, sm, best, fixed, later, previous, first_open, run,
                   proven=proven and not run.stopped(), proven_bound=proven_bound,
                   dropped_unknown=dropped_unknown)


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
            (Placement(t, room_of[t], slot_of[t]) for t in slot_of),
            key=lambda p: (order[p.slot], room_order[p.room]),
        )
    )
    has_cell = {t.id: any(key[0] == i for key in sm.x) for i, t in enumerate(instance.topics)}
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
    instance: Instance,
    sm: SchedulingModel,
    slot_of: dict[str, str],
    class_of: dict[str, int],
    required: dict[str, str],
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
