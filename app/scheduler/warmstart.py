"""A fast greedy schedule over the model's cells: the first hint for CP-SAT.

It also stands in as the answer when the solver is stopped before it found anything.
"""

from __future__ import annotations

from collections import defaultdict

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel, estimated_headcount


def greedy_cells(instance: Instance, sm: SchedulingModel) -> dict[int, tuple[int, int]]:
    """Topic index -> (class, slot): topics that must be scheduled first, then by
    popularity, each into the free cell that covers most uncovered attendees."""
    n_topics = len(instance.topics)
    cells_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for ti, ci, si in sm.x:
        cells_of[ti].append((ci, si))
    free = {(c.index, si): len(c.rooms) for c in sm.classes for si in range(len(instance.slots))}
    groups_of: dict[int, list[int]] = defaultdict(list)
    for gi, (_, tis) in enumerate(sm.groups):
        for ti in tis:
            groups_of[ti].append(gi)
    covered: list[set[int]] = [set() for _ in sm.groups]
    runners: dict[int, list[str]] = {ti: list(t.facilitators) for ti, t in enumerate(instance.topics)}
    busy: dict[str, set[int]] = defaultdict(set)
    index = {t.id: i for i, t in enumerate(instance.topics)}
    clash_with: dict[int, set[int]] = defaultdict(set)
    for a, b in instance.avoid_clash:
        clash_with[index[a]].add(index[b])
        clash_with[index[b]].add(index[a])
    slot_of: dict[int, int] = {}
    est = estimated_headcount(instance)
    caps = [c.capacity for c in sm.classes]

    order = sorted(range(n_topics), key=lambda ti: (ti not in sm.must, -est[instance.topics[ti].id], ti))
    result: dict[int, tuple[int, int]] = {}
    for ti in order:
        best: tuple[float, ...] | None = None
        best_cell = None
        for ci, si in cells_of.get(ti, []):
            if free[(ci, si)] <= 0:
                continue
            if any(si in busy[p] for p in runners[ti]):
                continue
            if any(slot_of.get(o) == si for o in clash_with[ti]):
                continue
            gain = sum(sm.groups[gi][0] for gi in groups_of[ti] if si not in covered[gi])
            over = max(0.0, est[instance.topics[ti].id] - caps[ci])
            waste = max(0.0, caps[ci] - est[instance.topics[ti].id])
            key = (gain, -over, -waste, -si, -ci)
            if best is None or key > best:
                best, best_cell = key, (ci, si)
        if best_cell is None or (best is not None and best[0] <= 0 and ti not in sm.must):
            continue
        ci, si = best_cell
        free[best_cell] -= 1
        result[ti] = best_cell
        slot_of[ti] = si
        for p in runners[ti]:
            busy[p].add(si)
        for gi in groups_of[ti]:
            covered[gi].add(si)
    return result
