"""Simulated annealing over slots, a fast deterministic start for CP-SAT.

CP-SAT's portfolio finds good schedules quickly only with several free-running
threads, which are not reproducible; run deterministically (single worker or
interleaved) it is slow to climb from a greedy start on the medium and larger
benchmarks. This search moves topics between the model's (room class, slot) cells
with exact incremental attendance, so it climbs fast, and it is reproducible because
its length is counted in moves, not seconds. CP-SAT then starts from its result,
improves it where it can, and supplies the proven bound.

One step of the walk picks a topic and a slot at random and either *moves* the topic into a
free room of that slot or, when none is free or its facilitators or ``avoid_clash`` partners
are busy there, *swaps* it with a topic already in that slot; a worse result is accepted with
the usual probability ``exp(delta / temperature)``.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel, estimated_headcount

if TYPE_CHECKING:
    from app.scheduler.search import SearchSpace

__all__ = ["T_END", "T_START", "anneal"]

#: Temperature at the start and the end of a run, in attendance units.
T_START = 0.7
T_END = 0.05

#: Steps between two looks at the clock and at ``should_stop``.
_CHECK_EVERY = 2000

Cell = tuple[int, int]


def anneal(
    instance: Instance,
    sm: SchedulingModel | SearchSpace,
    start: dict[int, Cell],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
    ceiling: int | None = None,
    t_start: float | None = None,
) -> dict[int, Cell]:
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
    grid = _Grid(instance, sm)
    if not grid.movable:
        return dict(start)
    for ti in sorted(start):
        grid.place(ti, *start[ti])
    # Nothing can beat every group covered in as many slots as it has topics (or
    # slots): stop there, which also keeps tiny instances instant.
    trivial = sum(m * min(len(tis), len(set().union(*(grid.slots_for[ti] for ti in tis)))) for m, tis in sm.groups)
    walk = _Walk(grid, random.Random(seed), T_START if t_start is None else t_start, work, deadline)
    return walk.run(trivial if ceiling is None else min(ceiling, trivial), should_stop)


class _Grid:
    """Topics in (room class, slot) cells and what they cover: the state a step changes.

    ``cnt[g][s]`` counts the topics of attendee group ``g`` in slot ``s``, so what a move
    changes in attendance is exact and costs one pass over the moved topic's groups.
    """

    __slots__ = (
        "busy",
        "cell",
        "classes_for",
        "cnt",
        "free",
        "groups",
        "groups_of",
        "in_slot",
        "movable",
        "must",
        "partners",
        "runners",
        "slots_for",
    )

    def __init__(self, instance: Instance, sm: SchedulingModel | SearchSpace) -> None:
        n_topics = len(instance.topics)
        n_slots = len(instance.slots)
        self.classes_for = _classes_by_fit(instance, sm)
        self.slots_for = [[si for si in range(n_slots) if self.classes_for[ti][si]] for ti in range(n_topics)]
        self.movable = [ti for ti in range(n_topics) if self.slots_for[ti]]
        self.must = set(sm.must)
        self.free = {(c.index, si): len(c.rooms) for c in sm.classes for si in range(n_slots)}
        self.groups = sm.groups
        self.groups_of: list[list[tuple[int, int]]] = [[] for _ in range(n_topics)]
        for gi, (mult, tis) in enumerate(sm.groups):
            for ti in tis:
                self.groups_of[ti].append((gi, mult))
        self.cnt = [[0] * n_slots for _ in sm.groups]
        self.runners = [list(t.facilitators) for t in instance.topics]
        self.busy: dict[str, list[int]] = defaultdict(lambda: [0] * n_slots)
        index = {t.id: i for i, t in enumerate(instance.topics)}
        self.partners: list[list[int]] = [[] for _ in range(n_topics)]
        for a, b in instance.avoid_clash:
            self.partners[index[a]].append(index[b])
            self.partners[index[b]].append(index[a])
        self.in_slot: list[list[int]] = [[] for _ in range(n_slots)]
        self.cell: list[Cell | None] = [None] * n_topics

    def place(self, ti: int, c: int, s: int) -> None:
        self.cell[ti] = (c, s)
        self.free[(c, s)] -= 1
        self.in_slot[s].append(ti)
        cnt = self.cnt
        for gi, _ in self.groups_of[ti]:
            cnt[gi][s] += 1
        for p in self.runners[ti]:
            self.busy[p][s] += 1

    def remove(self, ti: int) -> None:
        where = self.cell[ti]
        assert where is not None
        c, s = where
        self.cell[ti] = None
        self.free[(c, s)] += 1
        self.in_slot[s].remove(ti)
        cnt = self.cnt
        for gi, _ in self.groups_of[ti]:
            cnt[gi][s] -= 1
        for p in self.runners[ti]:
            self.busy[p][s] -= 1

    def none_in(self, ti: int, s: int) -> int:
        """Attendees of ``ti``'s groups with no topic in slot ``s``: what placing ``ti`` there would
        gain, or what removing it (already done) lost."""
        cnt = self.cnt
        return sum(m for gi, m in self.groups_of[ti] if cnt[gi][s] == 0)

    def one_in(self, ti: int, s: int) -> int:
        """Attendees of ``ti``'s groups with one topic in slot ``s``: what removing ``ti`` (there)
        would lose, or what placing it (already done) gained. Two functions, not one with the
        count as a parameter: a constant in this innermost comparison is measurably faster."""
        cnt = self.cnt
        return sum(m for gi, m in self.groups_of[ti] if cnt[gi][s] == 1)

    def can_enter(self, ti: int, s: int) -> bool:
        """No facilitator of ``ti`` busy in slot ``s`` and no ``avoid_clash`` partner of it there."""
        busy, cell = self.busy, self.cell
        for p in self.runners[ti]:
            if busy[p][s] > 0:
                return False
        for o in self.partners[ti]:
            where = cell[o]
            if where is not None and where[1] == s:
                return False
        return True

    def free_class(self, ti: int, s: int) -> int:
        """The best-fitting class with a free room for ``ti`` in ``s``, or -1."""
        free = self.free
        for c in self.classes_for[ti][s]:
            if free[(c, s)] > 0:
                return c
        return -1

    def attendance(self) -> int:
        return sum(m * sum(1 for x in self.cnt[gi] if x) for gi, (m, _) in enumerate(self.groups))

    def cells(self) -> dict[int, Cell]:
        return {ti: c for ti, c in enumerate(self.cell) if c is not None}


def _classes_by_fit(instance: Instance, sm: SchedulingModel | SearchSpace) -> list[list[list[int]]]:
    """Per topic and slot, the classes it may use, the one that fits its expected audience best first."""
    n_slots = len(instance.slots)
    classes_for: list[list[list[int]]] = [[[] for _ in range(n_slots)] for _ in instance.topics]
    for ti, ci, si in sorted(sm.x):
        classes_for[ti][si].append(ci)
    est = estimated_headcount(instance)
    caps = [c.capacity for c in sm.classes]
    for ti, topic in enumerate(instance.topics):
        e = est[topic.id]
        for si in range(n_slots):
            classes_for[ti][si].sort(key=lambda ci: (max(0.0, e - caps[ci]) * 4 + max(0.0, caps[ci] - e), ci))
    return classes_for


class _Walk:
    """One annealing run over a :class:`_Grid`: propose, weigh, accept or undo, cool."""

    __slots__ = ("deadline", "grid", "rng", "t_start", "work")

    def __init__(self, grid: _Grid, rng: random.Random, t_start: float, work: int, deadline: float) -> None:
        self.grid = grid
        self.rng = rng
        self.t_start = t_start
        self.work = work
        self.deadline = deadline

    def run(self, ceiling: int, should_stop: Callable[[], bool] | None) -> dict[int, Cell]:
        """Walk until the work is spent, the ceiling is reached, the deadline passes or a stop.

        The search cools by work done, or by time used when the deadline comes first (a slow
        machine): either way it ends cold rather than cut off while hot.

        This is the innermost loop: its state is in locals and a move (most steps) is made inline;
        a swap is :meth:`swap`. (Measured with valgrind on the medium day: the move as a method of
        its own cost 2.7 % more instructions per step.)
        """
        grid, rng, work, deadline = self.grid, self.rng, self.work, self.deadline
        movable, slots_for, groups_of, cell = grid.movable, grid.slots_for, grid.groups_of, grid.cell
        free_class, can_enter, none_in, one_in = grid.free_class, grid.can_enter, grid.none_in, grid.one_in
        place, remove, swap = grid.place, grid.remove, self.swap
        t_start, t_end = self.t_start, T_END
        value = best_value = grid.attendance()
        best = grid.cells()
        spent = step = 0
        began = time.perf_counter()
        time_used = 0.0
        while spent < work and best_value < ceiling:
            step += 1
            if step % _CHECK_EVERY == 0:
                now = time.perf_counter()
                if now > deadline or (should_stop is not None and should_stop()):
                    break
                time_used = (now - began) / (deadline - began) if deadline > began else 1.0
            temp = t_start * (t_end / t_start) ** max(spent / work, time_used)
            ti = movable[rng.randrange(len(movable))]
            spent += 4 + len(groups_of[ti])
            here = cell[ti]
            options = slots_for[ti]
            s2 = options[rng.randrange(len(options))]
            if here is not None and here[1] == s2:
                continue  # same slot: nothing to try
            c2 = free_class(ti, s2)
            if c2 >= 0 and can_enter(ti, s2):
                # Move into a free room (inline: most steps are moves).
                delta = none_in(ti, s2) - (one_in(ti, here[1]) if here is not None else 0)
                if delta >= 0 or rng.random() < math.exp(delta / temp):
                    if here is not None:
                        remove(ti)
                    place(ti, c2, s2)
                    value += delta
            else:
                change, cost = swap(ti, here, s2, temp)
                value += change
                spent += cost
            if value > best_value:
                best_value = value
                best = grid.cells()
        return best

    def swap(self, ti: int, here: Cell | None, s2: int, temp: float) -> tuple[int, int]:
        """Swap ``ti`` with a random topic of slot ``s2`` (if ``ti`` is not placed, replace it), if
        both fit and it is accepted: (the attendance it changed, the work it took beyond the step's)."""
        grid, rng = self.grid, self.rng
        occupants = grid.in_slot[s2]
        if not occupants:
            return 0, 0
        tj = occupants[rng.randrange(len(occupants))]
        cost = 2 * len(grid.groups_of[tj]) + len(grid.groups_of[ti])
        if tj in grid.must and here is None:
            return 0, cost
        cj = grid.cell[tj]
        assert cj is not None
        # Remove both, then check that each fits the other's place.
        if here is not None:
            grid.remove(ti)
        grid.remove(tj)
        delta = -grid.none_in(tj, s2)
        if here is not None:
            delta -= grid.none_in(ti, here[1])
        ok = self.enter(ti, s2)
        if ok:
            delta += grid.one_in(ti, s2)
            if here is not None:
                ok = self.enter(tj, here[1])
                if ok:
                    delta += grid.one_in(tj, here[1])
        if ok and (delta >= 0 or rng.random() < math.exp(delta / temp)):
            return delta, cost
        # Undo.
        for t in (ti, tj):
            if grid.cell[t] is not None:
                grid.remove(t)
        grid.place(tj, *cj)
        if here is not None:
            grid.place(ti, *here)
        return 0, cost

    def enter(self, ti: int, s: int) -> bool:
        """Place ``ti`` (not placed now) in a free room of slot ``s`` if it may go there."""
        c = self.grid.free_class(ti, s) if self.grid.can_enter(ti, s) else -1
        if c < 0:
            return False
        self.grid.place(ti, c, s)
        return True
