"""``solve()``: the scheduler's entry point.

How it works
------------
1. Check the instance (:mod:`app.scheduler.checks`): reference problems raise, pins
   that break a hard constraint give ``INFEASIBLE``.
2. Hold the pins and the kept placements (:mod:`app.scheduler.fixed`), build the CP-SAT
   model over room *classes* (:mod:`app.scheduler.model`) and a greedy schedule
   (:mod:`app.scheduler.warmstart`).
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
   that never lowers attendance (:mod:`app.scheduler.polish`), then the sessions of the
   day's minority language spread over the slots (:mod:`app.scheduler.spread`).
6. Choose concrete rooms per slot by an exact min-cost matching on the real
   headcounts (:mod:`app.scheduler.rooms`), score with :func:`~app.scheduler.score.score`
   (:mod:`app.scheduler.finish`).

Steps 3 to 5 are :class:`~app.scheduler.stages.Stages`, each a method, and the time or work
each gets is :class:`~app.scheduler.budget.Budget`'s to share out.

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
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from app.scheduler.budget import DETERMINISTIC_PER_SECOND, POLISH_WORK_PER_SECOND, WORK_PER_SECOND, Budget
from app.scheduler.checks import pin_problems, reference_problems
from app.scheduler.eventfile import EventFileError
from app.scheduler.finish import finish
from app.scheduler.fixed import explain_conflict, held_placements, kept_problems, unplaceable
from app.scheduler.instance import Instance, sessions_day
from app.scheduler.model import build_model
from app.scheduler.run import Config, Progress, Run
from app.scheduler.score import score
from app.scheduler.solution import Placement, Solution, Status, Unscheduled
from app.scheduler.stages import Stages

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


def suggested_time_limit(instance: Instance, *, most: float = 60.0) -> float:
    """Seconds worth spending on ``instance`` by the clock: a 10-topic, one-slot day needs 3.

    Grows with topics × slots (the search's size); measured on the benchmark's days:
    small (15 × 3) 3 s, medium (35 × 4) 5 s, large (90 × 5) 11 s, huge (260 × 6) 33 s.

    >>> from app.scheduler.instance import EventInfo, Room, Slot, Topic
    >>> suggested_time_limit(Instance(EventInfo(), (Room("r", "R", 9),), (Slot("s", "09:00", "10:00"),), (),
    ...     tuple(Topic(f"t{i}", "T") for i in range(10)), ()))
    3.0
    """
    return suggested_seconds(len(instance.topics), len(instance.session_slots), most=most)


def suggested_seconds(topics: int, slots: int, *, most: float = 60.0) -> float:
    """:func:`suggested_time_limit` from the counts alone (a page can say it without building the day)."""
    size = topics * max(1, slots)
    return float(min(most, max(2, math.ceil(2 + size / 50))))


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

    Long for its reference below (the public entry point); the steps are :func:`_solve`'s.

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
    day, first_open = sessions_day(instance), _first_open_slot(instance, previous, keep_before)
    run = Run(day, config, on_progress, stop)
    try:
        return _solve(instance, day, config, run, previous, first_open)
    finally:
        run.close()


def _first_open_slot(instance: Instance, previous: Sequence[Placement] | None, keep_before: str | None) -> int:
    """Where ``keep_before`` falls among the sessions slots (0 without it: the sessions slots before
    it), once the arguments are known to be sound (else raise)."""
    problems = reference_problems(instance)
    if problems:
        raise EventFileError.from_problem(problems[0])
    slot_ids = instance.slot_ids
    if keep_before is not None:
        if keep_before not in slot_ids:
            raise ValueError(f"keep_before: unknown slot {keep_before!r}")
        if previous is None:
            raise ValueError("keep_before needs the previous schedule")
    before = instance.slots[: slot_ids.index(keep_before)] if keep_before is not None else ()
    return sum(1 for slot in before if slot.holds_topics)


def _no_sessions_slot(instance: Instance, run: Run) -> Solution:
    """The empty schedule of a day of plenaries and breaks only: no topic has anywhere to go."""
    run.close()
    reason = "the day has no sessions slot, only plenaries and breaks"
    stats = score(instance, (), solve_seconds=run.elapsed())
    return Solution(Status.OPTIMAL, (), tuple(Unscheduled(t.id, reason) for t in instance.topics), stats)


def _solve(
    whole: Instance, instance: Instance, config: Config, run: Run, previous: Sequence[Placement] | None, first_open: int
) -> Solution:
    """The steps of :func:`solve` once its arguments are checked (see the module docstring), on
    ``instance``, the sessions slots of ``whole`` (a pin into a plenary or break is a conflict)."""
    conflicts = [str(p) for p in pin_problems(whole)]
    if conflicts:
        return run.infeasible(conflicts)
    if not instance.slots:
        return _no_sessions_slot(instance, run)
    held = held_placements(instance, previous, first_open)
    bad_kept = kept_problems(instance, held.kept)
    if bad_kept:
        return run.infeasible(bad_kept)
    re_solve = previous is not None
    sm = build_model(instance, held.fixed, first_open_slot=first_open, previous=held.later if re_solve else None)
    nowhere = unplaceable(instance, sm, held.fixed, first_open)
    if nowhere:
        return run.infeasible(nowhere)

    stages = Stages(instance, sm, run, Budget.from_now(config, run.start), held.later, re_solve)
    stages.start()
    if stages.fewest_moves() == cp_model.INFEASIBLE or stages.most_attendance() == cp_model.INFEASIBLE:
        return explain_conflict(instance, held.fixed, first_open, run)
    stages.most_sessions()
    stages.least_overflow_proxies()
    stages.polish()
    stages.fill()
    stages.spread()

    if stages.best is None:
        return Solution(Status.TIMEOUT, (), (), None)
    return finish(
        instance,
        sm,
        stages.best,
        held,
        run,
        first_open=first_open,
        re_solve=re_solve,
        proven=stages.proven and not run.stopped(),
        proven_bound=stages.proven_bound,
    )
