"""Last stage: lower overflow and clashes without losing attendance or sessions run.

CP-SAT's secondary stage works on proxies (a slot-independent headcount guess, marks
placed minus slots covered). This local search uses the exact figures of the format:
per slot, the expected headcounts of its topics, the clashes among its attendees'
marks and the least overflow over all room assignments (a min-cost matching, as in
:mod:`app.scheduler.rooms`). It moves, swaps, adds and drops topics, never accepting
a change that lowers attendance; a change that makes (overflow, clashes) worse is
taken now and then, as in simulated annealing, and the best schedule seen is the
result. Its length is counted in work units, so it is reproducible.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable

from ortools.graph.python import min_cost_flow

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel
from app.scheduler.score import interest_sets, viable_topics

__all__ = ["polish"]

_SCALE = 1000  # overflow is compared in thousandths of a person
#: Temperature of the search at its start and end, in thousandths of a person of overflow.
T_START = 300.0
T_END = 0.2


class _Slots:
    """Exact per-slot overflow and clashes for sets of topic indices."""

    def __init__(self, instance: Instance, sm: SchedulingModel) -> None:
        self.instance = instance
        index = {t.id: i for i, t in enumerate(instance.topics)}
        marks = interest_sets(instance)
        self.marked_by: list[list[str]] = [[] for _ in instance.topics]
        for person, topics in sorted(marks.items()):
            for t in topics:
                self.marked_by[index[t]].append(person)
        self.runners = [list(t.facilitators) for t in instance.topics]
        self.rooms = [[r for r in instance.rooms if s.id not in r.unavailable_slots] for s in instance.slots]
        self.pinned_room = [t.pinned.room if t.pinned is not None else None for t in instance.topics]
        self.needs = [t.needs for t in instance.topics]
        self.work = 0

    def cost(self, si: int, topics: list[int]) -> tuple[int, int] | None:
        """(overflow in 1/_SCALE persons, clashes) of slot ``si`` holding ``topics``; None if no rooms fit."""
        marked: Counter[str] = Counter()
        running: Counter[str] = Counter()
        for ti in topics:
            for p in self.marked_by[ti]:
                marked[p] += 1
            for p in self.runners[ti]:
                running[p] += 1
        clashes = sum(c * (c - 1) // 2 for c in marked.values())
        heads = []
        for ti in topics:
            h = sum(1.0 / marked[p] for p in self.marked_by[ti] if not running[p])
            h += sum(1.0 / running[p] for p in self.runners[ti])
            heads.append(h)
        rooms = self.rooms[si]
        self.work += sum(len(self.marked_by[ti]) for ti in topics) + len(topics) * len(rooms)
        if not topics:
            return 0, clashes
        flow = min_cost_flow.SimpleMinCostFlow()
        n = len(topics)
        sink = 1 + n + len(rooms)
        for i, ti in enumerate(topics):
            flow.add_arc_with_capacity_and_unit_cost(0, 1 + i, 1, 0)
            for j, room in enumerate(rooms):
                if self.pinned_room[ti] not in (None, room.id) or not self.needs[ti] <= room.features:
                    continue
                over = max(0.0, heads[i] - room.capacity)
                flow.add_arc_with_capacity_and_unit_cost(1 + i, 1 + n + j, 1, int(round(over * _SCALE)))
        for j in range(len(rooms)):
            flow.add_arc_with_capacity_and_unit_cost(1 + n + j, sink, 1, 0)
        flow.set_node_supply(0, n)
        flow.set_node_supply(sink, -n)
        if flow.solve() != flow.OPTIMAL:
            return None
        return flow.optimal_cost(), clashes


#: One step of a change: (topic index, slot index, +1 joins / -1 leaves).
_Change = tuple[int, int, int]


class _Schedule:
    """The schedule being polished: each topic's slot, each slot's topics and exact cost, and
    the coverage counts that tell a change's effect on attendance."""

    def __init__(self, instance: Instance, sm: SchedulingModel, cells: dict[int, tuple[int, int]]) -> None:
        n_slots = len(instance.slots)
        n_topics = len(instance.topics)
        self.slots = _Slots(instance, sm)
        self.allowed: list[dict[int, int]] = [{} for _ in range(n_topics)]  # slot -> a class that may hold it
        for ti, ci, si in sorted(sm.x):
            self.allowed[ti].setdefault(si, ci)
        self.must = set(sm.must)
        self.groups_of: list[list[tuple[int, int]]] = [[] for _ in range(n_topics)]
        for gi, (mult, tis) in enumerate(sm.groups):
            for ti in tis:
                self.groups_of[ti].append((gi, mult))
        self.cnt = [[0] * n_slots for _ in sm.groups]
        index = {t.id: i for i, t in enumerate(instance.topics)}
        self.partners: list[set[int]] = [set() for _ in range(n_topics)]
        for a, b in instance.avoid_clash:
            self.partners[index[a]].add(index[b])
            self.partners[index[b]].add(index[a])
        self.runners = [set(t.facilitators) for t in instance.topics]
        wanted = viable_topics(instance)
        self.viable = [t.id in wanted for t in instance.topics]
        self.slot_of: dict[int, int] = {ti: si for ti, (_ci, si) in cells.items()}
        self.members: list[list[int]] = [[] for _ in range(n_slots)]
        for ti, si in sorted(self.slot_of.items()):
            self.members[si].append(ti)
            for gi, _ in self.groups_of[ti]:
                self.cnt[gi][si] += 1
        self.costs: list[tuple[int, int]] = []
        #: False when the start does not fit the real rooms (then it is left alone).
        self.fits_rooms = True
        for si in range(n_slots):
            c = self.slots.cost(si, self.members[si])
            if c is None:
                self.fits_rooms = False
                break
            self.costs.append(c)
        self.movable = [ti for ti in range(n_topics) if self.allowed[ti]]

    def fits(self, ti: int, si: int, without: tuple[int, ...]) -> bool:
        """Topic ``ti`` may join slot ``si`` (once the topics ``without`` leave it)."""
        if si not in self.allowed[ti]:
            return False
        for other in self.members[si]:
            if other in without:
                continue
            if self.runners[ti] & self.runners[other] or other in self.partners[ti]:
                return False
        return True

    def delta_attendance(self, changes: list[_Change]) -> int:
        """Sum of attendance changes for (topic, slot, +1/-1) applied in order (then undone)."""
        total = 0
        applied = []
        for ti, si, sign in changes:
            for gi, mult in self.groups_of[ti]:
                before = self.cnt[gi][si]
                self.cnt[gi][si] += sign
                if before == 0 and sign > 0:
                    total += mult
                elif before == 1 and sign < 0:
                    total -= mult
            applied.append((ti, si, sign))
        for ti, si, sign in reversed(applied):
            for gi, _ in self.groups_of[ti]:
                self.cnt[gi][si] -= sign
        return total

    def delta_sessions(self, changes: list[_Change]) -> int:
        """Change in viable topics placed: a topic only removed is dropped, only added is new."""
        net: dict[int, int] = {}
        for ti, _si, sign in changes:
            net[ti] = net.get(ti, 0) + sign
        return sum(n for ti, n in net.items() if self.viable[ti])

    def costs_after(self, touched: dict[int, list[int]]) -> dict[int, tuple[int, int]] | None:
        """The exact cost of each touched slot holding its new topics; None if one fits no rooms."""
        new_costs = {}
        for si, topics in touched.items():
            c = self.slots.cost(si, topics)
            if c is None:
                return None
            new_costs[si] = c
        return new_costs

    def apply(self, changes: list[_Change], new_costs: dict[int, tuple[int, int]]) -> None:
        for t, si, sign in changes:
            for gi, _ in self.groups_of[t]:
                self.cnt[gi][si] += sign
            if sign < 0:
                self.members[si].remove(t)
                del self.slot_of[t]
            else:
                self.members[si].append(t)
                self.slot_of[t] = si
        for si, c in new_costs.items():
            self.costs[si] = c

    def total_cost(self) -> tuple[int, int]:
        return sum(c[0] for c in self.costs), sum(c[1] for c in self.costs)


def _propose(schedule: _Schedule, rng: random.Random) -> tuple[list[_Change], dict[int, list[int]]] | None:
    """A random drop, move or swap of a random topic: its changes and each touched slot's new topics.

    None when the draw is not a legal change (a move to where it is, a facilitator or
    avoid_clash conflict, a swap that would drop a fixed topic).
    """
    members = schedule.members
    ti = schedule.movable[rng.randrange(len(schedule.movable))]
    kind = rng.random()
    s1 = schedule.slot_of.get(ti)
    if s1 is not None and kind < 0.1 and ti not in schedule.must:
        return [(ti, s1, -1)], {s1: [t for t in members[s1] if t != ti]}  # drop
    s2 = rng.choice(list(schedule.allowed[ti]))
    if s2 == s1:
        return None
    occupants = members[s2]
    touched: dict[int, list[int]] = {}
    if kind < 0.5 or not occupants:  # move (or add) ti to s2
        if not schedule.fits(ti, s2, ()):
            return None
        touched[s2] = occupants + [ti]
        changes = [(ti, s2, +1)]
        if s1 is not None:
            touched[s1] = [t for t in members[s1] if t != ti]
            changes.insert(0, (ti, s1, -1))
        return changes, touched
    tj = occupants[rng.randrange(len(occupants))]  # swap ti with tj of s2 (or replace tj)
    if tj in schedule.must and s1 is None:
        return None
    if not schedule.fits(ti, s2, (tj,)):
        return None
    if s1 is not None and not schedule.fits(tj, s1, (ti,)):
        return None
    touched[s2] = [t for t in occupants if t != tj] + [ti]
    changes = [(tj, s2, -1), (ti, s2, +1)]
    if s1 is not None:
        touched[s1] = [t for t in members[s1] if t != ti] + [tj]
        # Removals first: a topic's slot is rewritten by its addition.
        changes = [(ti, s1, -1), (tj, s2, -1), (tj, s1, +1), (ti, s2, +1)]
    return changes, touched


def polish(
    instance: Instance,
    sm: SchedulingModel,
    cells: dict[int, tuple[int, int]],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
) -> dict[int, tuple[int, int]]:
    """Improve ``cells`` (topic index -> (class, slot)) for overflow, then clashes.

    Attendance never falls, nor (at equal attendance) the number of viable topics placed. Returns cells whose classes are those of the input where
    the topic did not move; a moved topic gets the class of some fitting room (the
    final room choice is :func:`app.scheduler.rooms.assign_rooms`, which the
    per-slot matching here mirrors).
    """
    if not cells or len(instance.slots) == 0:
        return dict(cells)
    rng = random.Random(seed)
    schedule = _Schedule(instance, sm, cells)
    if not schedule.fits_rooms or not schedule.movable:
        return dict(cells)
    best_slot_of = _search(schedule, rng, work=work, deadline=deadline, should_stop=should_stop)
    allowed = schedule.allowed
    return {
        ti: (cells[ti] if ti in cells and cells[ti][1] == si else (allowed[ti][si], si))
        for ti, si in best_slot_of.items()
    }


def _search(
    schedule: _Schedule, rng: random.Random, *, work: int, deadline: float, should_stop: Callable[[], bool] | None
) -> dict[int, int]:
    """Random changes to ``schedule`` until ``work`` is done or the deadline: the best slot_of seen.

    Better is more attendance, then more sessions run, then less overflow, then fewer clashes.
    """
    slots = schedule.slots
    attendance = 0  # relative to the start
    sessions = 0  # viable topics placed, relative to the start
    overflow, clashes = schedule.total_cost()
    best_key = (attendance, sessions, -overflow, -clashes)
    best_slot_of = dict(schedule.slot_of)
    step = 0
    # It cools by work done or by time used, whichever is further along (by the clock the solver
    # gives it more work than fits, so the deadline ends it, cold).
    began = time.perf_counter()
    time_used = 0.0
    while slots.work < work:
        step += 1
        slots.work += 20  # a try that ends before any slot is costed still costs something
        if step % 64 == 0:
            now = time.perf_counter()
            if now > deadline or (should_stop is not None and should_stop()):
                break
            time_used = (now - began) / (deadline - began) if deadline > began else 1.0
        proposed = _propose(schedule, rng)
        if proposed is None:
            continue
        changes, touched = proposed
        gain = schedule.delta_attendance(changes)
        more = schedule.delta_sessions(changes)
        if gain < 0 or (gain == 0 and more < 0):  # attendance first, then sessions run: never given up
            continue
        new_costs = schedule.costs_after(touched)
        if new_costs is None:
            continue
        if gain == 0 and more == 0:
            cooled = min(1.0, max(slots.work / work, time_used))
            if not _accepted(schedule, touched, new_costs, cooled, rng):
                continue
        schedule.apply(changes, new_costs)
        attendance += gain
        sessions += more
        overflow, clashes = schedule.total_cost()
        key = (attendance, sessions, -overflow, -clashes)
        if key > best_key:
            best_key, best_slot_of = key, dict(schedule.slot_of)
    return best_slot_of


def _accepted(
    schedule: _Schedule,
    touched: dict[int, list[int]],
    new_costs: dict[int, tuple[int, int]],
    cooled: float,
    rng: random.Random,
) -> bool:
    """Whether a change that keeps attendance and sessions run is taken.

    A better or equal (overflow, clashes) always is. A worse one is taken now and then, as
    in annealing on overflow (thousandths of a person) then clashes (one clash weighs a
    thousandth), to leave a local optimum; the best schedule seen is what is returned.
    ``cooled`` is how far along the cooling is, from 0 to 1.
    """
    old = (sum(schedule.costs[si][0] for si in touched), sum(schedule.costs[si][1] for si in touched))
    new = (sum(c[0] for c in new_costs.values()), sum(c[1] for c in new_costs.values()))
    if new <= old:
        return True
    worse = (new[0] - old[0]) + (new[1] - old[1])
    temp = T_START * (T_END / T_START) ** cooled
    return not (worse > 0 and rng.random() >= math.exp(-worse / temp))
