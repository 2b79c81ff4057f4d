"""Tabu search over slots: every swap weighed exactly at each step, for medium and large days.

The annealing search (:mod:`app.scheduler.search`) tries one random move at a time; on a
600-person day it makes ~50,000 a second and still ends a few attendance units short of what
ten minutes of it find. This search instead weighs *every* exchange at once and takes the best
one that is not tabu, which on these coverage objectives finds the better schedules sooner
(measured on the benchmark's medium and large days: BENCHMARKS.md, "Scheduler").

The moves, for topics i and j (a topic not placed is in a virtual slot of its own):

* **exchange**: i takes j's (room class, slot) and j takes i's; with j not placed this replaces
  i by j, with i not placed it brings i in and leaves j out;
* **move**: i goes to a free room of a slot.

How much attendance an exchange changes follows from four arrays, for the coverage counts
``cnt[g, s]`` (topics of attendee group ``g`` in slot ``s``) and ``w[g, i]`` (the group's size
if it marked topic ``i``, else 0):

* ``gain[i, s]``: groups of i with nothing in slot s (``cnt == 0``), weighed by ``w``;
* ``lose[i]``: groups whose only topic in i's slot is i (``cnt == 1``);
* ``both[i, j]``: groups counted in ``lose[i]`` that also marked j. When i and j exchange, such a
  group keeps j in i's old slot, so it does not lose it after all.

Then ``delta(i, j) = gain[i, slot j] - lose[i] + gain[j, slot i] - lose[j] + both[i, j] +
both[j, i]`` exactly, for every pair in one matrix product (float32 holds these integer sums
exactly). A group that marked both i and j never gains from the exchange: neither slot was
empty for it.

Moves that undo a recent one are tabu for a random 10-25 steps unless they beat the best
schedule found. When 300 steps bring nothing better, the search returns to the best schedule
and shakes it with a few random exchanges.

Facilitators and ``avoid_clash`` pairs are checked on the few best candidates only (most topics
have neither). The result is reproducible: its length is counted in work units, like the
annealing search's, and each step costs a fixed number of them for a given day.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import numpy as np

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from app.scheduler.search import SearchSpace

__all__ = ["tabu"]

#: A step that moves a topic out of a slot makes its return there tabu for this many steps.
TENURE = (10, 25)
#: Steps without a better schedule before the search returns to the best one and shakes it.
STALL = 300
#: Random exchanges made by one shake.
SHAKE = 10
#: Candidates looked at per step (best first) for facilitator and avoid_clash rules.
LOOK = 32


def weigh(
    weight: np.ndarray, marks: np.ndarray, cnt: np.ndarray, slot: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each step could change: ``(delta, gain, lose)`` as in the module docstring.

    ``weight`` and ``marks`` are groups x topics, ``cnt`` groups x (slots + 1) with the last
    column the topics not placed, ``slot`` each topic's slot (that last one when not placed).
    ``delta[i, j]`` is the attendance an exchange of i and j changes (meaningless where they
    share a slot), ``gain[i, s] - lose[i]`` what moving i to a free room of slot s changes.
    """
    out = cnt.shape[1] - 1
    empty = (cnt == 0).astype(np.float32)
    empty[:, out] = 0.0  # leaving the schedule gains nothing
    alone = (cnt == 1).astype(np.float32)
    alone[:, out] = 0.0
    gain = weight.T @ empty  # topics x (slots + 1)
    sole = weight * alone[:, slot]  # groups x topics: i is the group's only topic in i's slot
    lose = sole.sum(axis=0)
    both = sole.T @ marks
    into = gain[:, slot] - lose[:, None]  # into[i, j]: i enters j's slot, leaving its own
    return into + into.T + both + both.T, gain, lose


def tabu(
    instance: Instance,
    sm: SchedulingModel | SearchSpace,
    start: dict[int, tuple[int, int]],
    *,
    work: int,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
    ceiling: int | None = None,
    t_start: float | None = None,  # noqa: ARG001 - the annealing search's; a tabu search has no temperature
) -> dict[int, tuple[int, int]]:
    """Improve ``start`` (topic index -> (class, slot)) for attendance; same contract as
    :func:`app.scheduler.search.anneal`: ``work`` units fix the result for a ``seed``, the
    ``deadline`` (``time.perf_counter()``) and ``should_stop`` end it early, reaching ``ceiling``
    ends it, and the result is never worse than ``start``.
    """
    board = _Board(instance, sm, random.Random(seed))
    board.load(start)
    value = board.attendance()
    best, best_value = dict(start), value
    # Nothing beats every group covered in as many slots as it has topics (or slots): stop there,
    # which also ends at once a day nobody has marked yet.
    slots_of: list[set[int]] = [set() for _ in instance.topics]
    for ti, _, si in sm.x:
        slots_of[ti].add(si)
    trivial = sum(mult * min(len(tis), len(set().union(*(slots_of[ti] for ti in tis)))) for mult, tis in sm.groups)
    ceiling = trivial if ceiling is None else min(ceiling, trivial)
    if not sm.x or best_value >= ceiling:
        return best
    noise_rng = np.random.default_rng(seed)
    step = last_better = spent = 0
    per_step = 1 + board.n_topics * (len(sm.groups) + board.n_topics) // 12
    while spent < work:
        step += 1
        spent += per_step
        if step % 16 == 0 and (time.perf_counter() > deadline or (should_stop is not None and should_stop())):
            break
        change = board.step(step, value, best_value, noise_rng)
        if change is not None:
            value += change
        if value > best_value:
            best, best_value, last_better = board.cells(), value, step
            if best_value >= ceiling:
                break
        elif change is None or step - last_better > STALL:
            last_better = step
            value = board.restart(best)
    return best


class _Board:
    """The schedule as arrays (each topic's slot and room class, rooms used, coverage counts) and
    the steps that change it: exchange, move, shake."""

    def __init__(self, instance: Instance, sm: SchedulingModel | SearchSpace, rng: random.Random) -> None:
        self.rng = rng
        n_topics, n_slots, n_classes = len(instance.topics), len(instance.slots), len(sm.classes)
        self.n_topics, self.n_slots, self.n_classes = n_topics, n_slots, n_classes
        self.out = out = n_slots  # the virtual slot of topics not placed
        self.allowed = np.zeros((n_topics, n_classes, n_slots + 1), dtype=bool)
        for ti, ci, si in sm.x:
            self.allowed[ti, ci, si] = True
        self.rooms = np.array([len(c.rooms) for c in sm.classes], dtype=np.int64)
        self.marks = np.zeros((len(sm.groups), n_topics), dtype=np.float32)
        self.size = np.zeros(len(sm.groups), dtype=np.float32)
        for gi, (mult, tis) in enumerate(sm.groups):
            self.size[gi] = mult
            self.marks[gi, list(tis)] = 1.0
        self.weight = self.marks * self.size[:, None]
        self.must = np.zeros(n_topics, dtype=bool)
        self.must[list(sm.must)] = True
        index = {t.id: i for i, t in enumerate(instance.topics)}
        self.runners = [frozenset(t.facilitators) for t in instance.topics]
        self.partners: list[set[int]] = [set() for _ in range(n_topics)]
        for a, b in instance.avoid_clash:
            self.partners[index[a]].add(index[b])
            self.partners[index[b]].add(index[a])
        self.ruled = [bool(self.runners[i] or self.partners[i]) for i in range(n_topics)]
        self.upper = np.triu(np.ones((n_topics, n_topics), dtype=bool), 1)
        self.topics = np.arange(n_topics)
        self.slot = np.full(n_topics, out, dtype=np.int64)
        self.cls = np.zeros(n_topics, dtype=np.int64)
        self.used = np.zeros((n_classes, n_slots), dtype=np.int64)
        self.cnt = np.zeros((len(sm.groups), n_slots + 1), dtype=np.float32)
        self.tabu_until = np.zeros((n_topics, n_slots + 1), dtype=np.int64)

    def load(self, cells: dict[int, tuple[int, int]]) -> None:
        """Make ``cells`` (topic -> (class, slot)) the schedule."""
        slot, cls, used, cnt = self.slot, self.cls, self.used, self.cnt
        slot[:] = self.out
        cls[:] = 0
        used[:] = 0
        for ti, (ci, si) in cells.items():
            slot[ti], cls[ti] = si, ci
            used[ci, si] += 1
        cnt[:] = 0
        for si in range(self.n_slots):
            cnt[:, si] = self.marks[:, slot == si].sum(axis=1)

    def attendance(self) -> int:
        return int(round(float(self.size @ (self.cnt[:, : self.n_slots] > 0).sum(axis=1))))

    def cells(self) -> dict[int, tuple[int, int]]:
        slot, cls = self.slot, self.cls
        return {ti: (int(cls[ti]), int(slot[ti])) for ti in range(self.n_topics) if slot[ti] != self.out}

    def may_enter(self, i: int, s: int, leaving: int) -> bool:
        """Topic i may run in slot s once ``leaving`` has left it: its facilitators are free, no partner is there."""
        if s == self.out:
            return not self.must[i]
        if not self.ruled[i]:
            return True
        there = [o for o in np.flatnonzero(self.slot == s) if o != i and o != leaving]
        runners, partners = self.runners, self.partners
        return not any(runners[i] & runners[o] for o in there) and not any(o in partners[i] for o in there)

    def exchange(self, i: int, j: int) -> None:
        slot, cls, cnt, marks = self.slot, self.cls, self.cnt, self.marks
        si, sj = int(slot[i]), int(slot[j])
        if si != self.out:
            cnt[:, si] += marks[:, j] - marks[:, i]
        if sj != self.out:
            cnt[:, sj] += marks[:, i] - marks[:, j]
        slot[i], slot[j] = sj, si
        cls[i], cls[j] = cls[j], cls[i]

    def move(self, i: int, s: int) -> None:
        slot, cls, used, cnt = self.slot, self.cls, self.used, self.cnt
        si = int(slot[i])
        if si != self.out:
            used[cls[i], si] -= 1
            cnt[:, si] -= self.marks[:, i]
        c = next(c for c in range(self.n_classes) if self.allowed[i, c, s] and used[c, s] < self.rooms[c])
        used[c, s] += 1
        cnt[:, s] += self.marks[:, i]
        slot[i], cls[i] = s, c

    def restart(self, best: dict[int, tuple[int, int]]) -> int:
        """Back to ``best``, shaken by a few random exchanges, with nothing tabu; its attendance."""
        self.load(best)
        self.shake()
        self.tabu_until[:] = 0
        return self.attendance()

    def shake(self) -> None:
        rng, slot, cls, allowed, out = self.rng, self.slot, self.cls, self.allowed, self.out
        done = tries = 0
        while done < SHAKE and tries < 50 * SHAKE:
            tries += 1
            i, j = rng.randrange(self.n_topics), rng.randrange(self.n_topics)
            si, sj = int(slot[i]), int(slot[j])
            if si == sj or out in (si, sj) or not (allowed[i, cls[j], sj] and allowed[j, cls[i], si]):
                continue
            if self.may_enter(i, sj, j) and self.may_enter(j, si, i):
                self.exchange(i, j)
                done += 1

    def step(self, step: int, value: int, best_value: int, noise_rng: np.random.Generator) -> int | None:
        """Weigh every exchange and move, take the best allowed one: the attendance it changed, or
        None when every candidate was tabu or broke a facilitator or ``avoid_clash`` rule."""
        delta, shift = self.candidates(step, value, best_value)
        flat = np.concatenate([delta.ravel(), shift.ravel()])
        flat = flat + noise_rng.random(flat.size, dtype=np.float32) * 1e-3  # ties broken at random
        look = min(LOOK, flat.size)
        order = np.argpartition(-flat, look - 1)[:look]
        n_topics, slot, rng = self.n_topics, self.slot, self.rng
        for k in order[np.argsort(-flat[order])]:
            if flat[k] == -np.inf:
                break
            k = int(k)
            if k < n_topics * n_topics:
                i, j = divmod(k, n_topics)
                si, sj = int(slot[i]), int(slot[j])
                if not (self.may_enter(i, sj, j) and self.may_enter(j, si, i)):
                    continue
                self.exchange(i, j)
                tenure = rng.randint(*TENURE)
                self.tabu_until[i, si] = self.tabu_until[j, sj] = step + tenure
                return int(round(float(delta[i, j])))
            i, s = divmod(k - n_topics * n_topics, self.n_slots)
            if not self.may_enter(i, s, -1):
                continue
            si = int(slot[i])
            self.move(i, s)
            self.tabu_until[i, si] = step + rng.randint(*TENURE)
            return int(round(float(shift[i, s])))
        return None

    def candidates(self, step: int, value: int, best_value: int) -> tuple[np.ndarray, np.ndarray]:
        """``(delta, shift)``: what each exchange (topics x topics) and each move to a free room
        (topics x slots) would change, ``-inf`` where it is not allowed or tabu (a tabu one is
        allowed when it beats the best schedule found)."""
        slot, topics, out, tabu_until = self.slot, self.topics, self.out, self.tabu_until
        delta, gain, lose = weigh(self.weight, self.marks, self.cnt, slot)
        fits = self.allowed[topics[:, None], self.cls[None, :], slot[None, :]]  # i may take j's (class, slot)
        fits[:, slot == out] = ~self.must[:, None]
        ok = fits & fits.T & self.upper & (slot[:, None] != slot[None, :])
        barred = tabu_until[topics[:, None], slot[None, :]] > step
        barred = (barred | barred.T) & (value + delta <= best_value)
        delta = np.where(ok & ~barred, delta, -np.inf)
        free = (self.rooms[:, None] - self.used) > 0
        # any() over one axis of a 3-D array is a 2-D array (NumPy's stubs say "a bool or an array").
        room_for = cast("NDArray[np.bool_]", (self.allowed[:, :, : self.n_slots] & free[None]).any(axis=1))
        room_for[topics[slot != out], slot[slot != out]] = False
        shift = gain[:, : self.n_slots] - lose[:, None]
        shift_barred = (tabu_until[:, : self.n_slots] > step) & (value + shift <= best_value)
        return delta, np.where(room_for & ~shift_barred, shift, -np.inf)
