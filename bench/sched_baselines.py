"""The two baselines of the scheduler benchmark.

* :func:`sticky_note_greedy`: what organisers do at the wall. Slot by slot, the
  biggest free room gets the most-marked topic not yet placed that can go there.
* :func:`annealing`: a simulated-annealing scheduler of the kind public unconference
  tools use. The state is the room-by-slot grid; a move swaps the contents of two
  cells or swaps a placed topic with a waiting one, keeping every hard constraint;
  the score is attendance, with estimated overflow as a small penalty. It runs for a
  given wall-clock time.

Both keep pins. They share nothing with ``app.scheduler`` except the instance and
placement types, so they are honest baselines.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter

from app.scheduler import Instance, Placement, Topic


def _marks(instance: Instance) -> Counter[str]:
    return Counter(i.topic for i in instance.interests)


class _Grid:
    """Cells, hard-constraint checks and exact incremental attendance."""

    def __init__(self, instance: Instance) -> None:
        self.inst = instance
        self.slots = [s.id for s in instance.slots]
        self.rooms = list(instance.rooms)
        self.topics = {t.id: t for t in instance.topics}
        self.cell: dict[tuple[int, int], str | None] = {
            (ri, si): None
            for ri, r in enumerate(self.rooms)
            for si, s in enumerate(self.slots)
            if s not in r.unavailable_slots
        }
        self.where: dict[str, tuple[int, int]] = {}
        people: dict[str, set[str]] = {}
        for i in instance.interests:
            people.setdefault(i.topic, set()).add(i.attendee)
        for t in instance.topics:
            people.setdefault(t.id, set()).update(t.facilitators)
        self.people = {t: sorted(ps) for t, ps in people.items()}
        self.count: dict[tuple[str, int], int] = Counter()
        self.clash: dict[str, set[str]] = {t.id: set() for t in instance.topics}
        for a, b in instance.avoid_clash:
            self.clash[a].add(b)
            self.clash[b].add(a)
        self.busy: Counter[tuple[str, int]] = Counter()
        self.attendance = 0
        n = max(1, len(self.slots))
        per_person: Counter[str] = Counter(i.attendee for i in instance.interests)
        est: Counter[str] = Counter()
        for i in instance.interests:
            est[i.topic] += 1.0 / max(1.0, per_person[i.attendee] / n)  # type: ignore[assignment]
        for t in instance.topics:
            est[t.id] += len(t.facilitators)
        self.est = est

    def fits(self, t: Topic, ri: int, si: int, ignore: str | None = None) -> bool:
        room, slot = self.rooms[ri], self.slots[si]
        if slot in t.unavailable_slots or slot in room.unavailable_slots or not t.needs <= room.features:
            return False
        if t.pinned is not None and (t.pinned.room not in (None, room.id) or t.pinned.slot not in (None, slot)):
            return False
        for p in t.facilitators:
            if (
                self.busy[(p, si)]
                - (
                    1
                    if ignore is not None
                    and p in self.topics[ignore].facilitators
                    and self.where.get(ignore, (-1, -1))[1] == si
                    else 0
                )
                > 0
            ):
                return False
        return not any(o != ignore and self.where.get(o, (-1, -1))[1] == si for o in self.clash[t.id])

    def place(self, tid: str, ri: int, si: int) -> int:
        self.cell[(ri, si)] = tid
        self.where[tid] = (ri, si)
        gain = 0
        for p in self.people.get(tid, ()):
            if self.count[(p, si)] == 0:
                gain += 1
            self.count[(p, si)] += 1
        for p in self.topics[tid].facilitators:
            self.busy[(p, si)] += 1
        self.attendance += gain
        return gain

    def remove(self, tid: str) -> int:
        ri, si = self.where.pop(tid)
        self.cell[(ri, si)] = None
        loss = 0
        for p in self.people.get(tid, ()):
            self.count[(p, si)] -= 1
            if self.count[(p, si)] == 0:
                loss += 1
        for p in self.topics[tid].facilitators:
            self.busy[(p, si)] -= 1
        self.attendance -= loss
        return loss

    def over(self, tid: str, ri: int) -> float:
        return max(0.0, self.est[tid] - self.rooms[ri].capacity)

    def placements(self) -> list[Placement]:
        return [Placement(t, self.rooms[ri].id, self.slots[si]) for t, (ri, si) in self.where.items()]


def sticky_note_greedy(instance: Instance) -> list[Placement]:
    """Slot by slot, the biggest free room gets the most-marked topic that can go there."""
    grid = _Grid(instance)
    marks = _marks(instance)
    order = sorted(instance.topics, key=lambda t: (t.pinned is None, -marks[t.id], t.id))
    room_index = {r.id: i for i, r in enumerate(grid.rooms)}
    for t in order:  # fully pinned notes go up first
        if t.pinned is not None and t.pinned.room is not None and t.pinned.slot is not None:
            ri, si = room_index[t.pinned.room], grid.slots.index(t.pinned.slot)
            if (ri, si) in grid.cell and grid.cell[(ri, si)] is None and grid.fits(t, ri, si):
                grid.place(t.id, ri, si)
    for si in range(len(grid.slots)):
        for ri in sorted(range(len(grid.rooms)), key=lambda i: (-grid.rooms[i].capacity, i)):
            if grid.cell.get((ri, si), "closed") is not None:
                continue
            for t in order:
                if t.id not in grid.where and grid.fits(t, ri, si):
                    grid.place(t.id, ri, si)
                    break
    return grid.placements()


def annealing(instance: Instance, seconds: float, seed: int = 0) -> list[Placement]:
    """Simulated annealing from the greedy grid for ``seconds`` of wall time."""
    rng = random.Random(seed)
    grid = _Grid(instance)
    room_ids = [r.id for r in grid.rooms]
    for p in sticky_note_greedy(instance):
        grid.place(p.topic, room_ids.index(p.room), grid.slots.index(p.slot))
    cells = sorted(grid.cell)
    waiting = [t.id for t in instance.topics if t.id not in grid.where]
    penalty = 0.05  # attendance units per estimated person over capacity
    current = grid.attendance - penalty * sum(grid.over(t, ri) for t, (ri, _) in grid.where.items())
    best, best_value = grid.placements(), current
    start = time.perf_counter()
    end = start + seconds
    t0, t1 = 2.0, 0.02
    temp = t0
    step = 0

    def movable(t: str | None) -> bool:
        return t is None or grid.topics[t].pinned is None

    while True:
        step += 1
        if step % 256 == 0:
            now = time.perf_counter()
            if now >= end:
                break
            temp = t0 * (t1 / t0) ** ((now - start) / seconds)
        a = cells[rng.randrange(len(cells))]
        ta = grid.cell[a]
        if waiting and rng.random() < 0.3:
            wi = rng.randrange(len(waiting))
            tb: str | None = waiting[wi]
            b = None  # the waiting list
        else:
            b = cells[rng.randrange(len(cells))]
            tb = grid.cell[b]
            if a == b or (ta is None and tb is None):
                continue
        if not (movable(ta) and movable(tb)):
            continue
        attendance_before = grid.attendance
        over = 0.0
        for t, c in ((ta, a), (tb, b)):
            if t is not None and c is not None:
                over -= grid.over(t, c[0])
                grid.remove(t)
        ok = True
        moved: list[str] = []
        for t, c in ((tb, a), (ta, b)):
            if t is None or c is None:
                continue
            if grid.fits(grid.topics[t], *c):
                grid.place(t, *c)
                over += grid.over(t, c[0])
                moved.append(t)
            else:
                ok = False
                break
        delta = (grid.attendance - attendance_before) - penalty * over
        if ok and (delta >= 0 or rng.random() < math.exp(delta / temp)):
            current += delta
            if b is None:  # ta (maybe None) swaps places with the waiting tb
                if ta is None:
                    waiting[wi] = waiting[-1]
                    waiting.pop()
                else:
                    waiting[wi] = ta
            if current > best_value + 1e-9:
                best_value, best = current, grid.placements()
        else:
            for t in moved:
                grid.remove(t)
            for t, c in ((ta, a), (tb, b)):
                if t is not None and c is not None:
                    grid.place(t, *c)
    return best
