"""How one ``solve()`` call shares out its time, or its work, among the stages.

By the clock (the default) each stage gets a share of the time left and ends by its deadline;
for reproducible runs (``Config.work``) each gets a share of a budget of CP-SAT deterministic
time and of local-search moves, and the deadlines are only the safety cap. The shares and the
conversion rates are here, with :class:`Budget`, the figures of one call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.scheduler.run import Config

__all__ = ["DETERMINISTIC_PER_SECOND", "POLISH_WORK_PER_SECOND", "WORK_PER_SECOND", "Budget"]

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
MOVES_SHARE = 0.15
SECONDARY_SHARE = 0.2
#: Of what is left after attendance, the share of the sessions-run stage (the
#: overflow/clash proxies get the rest).
SESSIONS_SHARE = 0.4
#: The same on small days (at most :data:`SMALL_MODEL_CELLS` x variables).
SESSIONS_SHARE_SMALL = 0.8
#: Share of the time limit given to the annealing start (:mod:`app.scheduler.search`).
ANNEAL_SHARE = 0.65
#: The annealing share on big models (more than :data:`BIG_MODEL_CELLS` x variables,
#: the benchmark's large and huge days). Measured there: within seconds CP-SAT moves
#: neither the schedule nor its bound (which stays at the format's upper bound),
#: while the annealing search keeps improving, so it gets nearly all the time.
ANNEAL_SHARE_BIG = 0.8
BIG_MODEL_CELLS = 3000
#: Above this many x variables (the benchmark's huge days) the search is annealing, whose long
#: runs start hotter still; up to it and above :data:`SMALL_MODEL_CELLS`, the tabu search
#: (:mod:`app.scheduler.tabu`).
LONG_RUN_CELLS = 10000
#: Share of the deterministic budget for the first, short CP-SAT run.
QUICK_SHARE = 0.05
#: By the clock, small models (at most :data:`SMALL_MODEL_CELLS` x variables, ten-topic days)
#: give the first CP-SAT run this share instead and the annealing search the next
#: :data:`ANNEAL_SHARE_SMALL`: CP-SAT proves such days within a second when it has the
#: cores to itself, while annealing can only find what it then proves.
QUICK_SHARE_SMALL = 0.3
ANNEAL_SHARE_SMALL = 0.35
SMALL_MODEL_CELLS = 600
#: Share of the time limit for the exact overflow/clash polish (:mod:`app.scheduler.polish`).
POLISH_SHARE = 0.05

#: Polishing work units per second of ``Config.work`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
POLISH_WORK_PER_SECOND = 1_000_000

#: Annealing work units per second of ``Config.work`` (measured like
#: :data:`DETERMINISTIC_PER_SECOND`).
WORK_PER_SECOND = 4_000_000

#: Work granted to a stage that runs by the clock: more than any run can do, so its
#: deadline ends it.
UNLIMITED_WORK = 10**15
UNLIMITED_DTIME = 1e9


@dataclass
class Budget:
    """One call's budget, fixed once the model is built; ``remaining_dtime`` shrinks as stages spend it.

    Attributes
    ----------
    clock : bool
        Stages end by deadlines (else by work, and the deadlines are only ``cap``).
    units : float
        Seconds that scale the work budgets: ``Config.work``, or the time limit.
    cap : float
        ``perf_counter()`` time at which the time limit runs out.
    t0 : float
        ``perf_counter()`` time at which the stages begin (the model is built).
    setup : float
        Seconds the model took to build: this day's size on this machine.
    end : float
        By the clock, when the last stage must end (choosing rooms and scoring come after).
    window : float
        Seconds from ``t0`` to ``end``.
    polish_start : float
        By the clock, when the CP-SAT stages must leave the rest to the exact polish.
    total_dtime, remaining_dtime : float
        CP-SAT's deterministic time, in all and still unspent.
    """

    clock: bool
    units: float
    cap: float
    t0: float
    setup: float
    end: float
    window: float
    polish_start: float
    total_dtime: float
    remaining_dtime: float

    @classmethod
    def from_now(cls, config: Config, start: float) -> Budget:
        """The budget of a call that began at ``start`` (``perf_counter()``) and has built its model."""
        clock = not config.reproducible
        units = config.time_limit if config.work is None else config.work
        cap = start + config.time_limit
        t0 = time.perf_counter()
        # Building the model measures this day's size on this machine: choosing rooms and scoring at
        # the end, and each CP-SAT stage's setup (hints, presolve, reading the answer), cost about as
        # much again. By the clock those are kept out of the stages' time.
        setup = t0 - start
        finish = min(_FINISH_MAX, max(_FINISH_MIN, _FINISH_SHARE * config.time_limit)) + 1.5 * setup
        end = cap - finish if clock else cap
        window = max(0.0, end - t0)
        polish_start = end - window * POLISH_SHARE if clock else cap
        total_dtime = max(0.05, units * DETERMINISTIC_PER_SECOND)
        remaining_dtime = total_dtime * (1.0 - POLISH_SHARE)
        return cls(clock, units, cap, t0, setup, end, window, polish_start, total_dtime, remaining_dtime)

    def until(self, share: float) -> float:
        """By the clock: the deadline of a stage given ``share`` of the time left before the polish."""
        now = time.perf_counter()
        return now + share * max(0.0, self.polish_start - now) if self.clock else self.cap
