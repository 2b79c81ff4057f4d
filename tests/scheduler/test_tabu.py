"""The tabu search: exact move weights, hard rules kept, reproducible, stops when told."""

from __future__ import annotations

import random
import time
from collections import Counter

import numpy as np
import pytest

from app.scheduler import Instance
from app.scheduler.instance import Attendee, EventInfo, Interest, Room, Slot, Topic
from app.scheduler.model import Fixed, build_model
from app.scheduler.search import _value, anneal_restarts
from app.scheduler.tabu import tabu, weigh
from app.scheduler.warmstart import greedy_cells
from bench.sched_gen import generate


@pytest.fixture(scope="module")
def medium():
    inst = generate("medium", 3)
    pins = {t.id: Fixed(t.pinned.room, t.pinned.slot, "pinned") for t in inst.topics if t.pinned is not None}
    sm = build_model(inst, pins)
    return inst, sm, greedy_cells(inst, sm)


def _attendance(marks: np.ndarray, size: np.ndarray, slot: np.ndarray, slots: int) -> int:
    return int(
        sum(
            size[g] * len({int(slot[t]) for t in np.flatnonzero(marks[g]) if slot[t] < slots})
            for g in range(marks.shape[0])
        )
    )


@pytest.mark.parametrize("seed", range(30))
def test_the_weights_of_every_exchange_and_move_are_exact(seed: int) -> None:
    rng = np.random.default_rng(seed)
    topics, slots, groups = 9, 3, 14
    marks = (rng.random((groups, topics)) < 0.35).astype(np.float32)
    size = rng.integers(1, 4, groups).astype(np.float32)
    slot = rng.integers(0, slots + 1, topics)  # slot ``slots``: not placed
    cnt = np.zeros((groups, slots + 1), dtype=np.float32)
    for s in range(slots + 1):
        cnt[:, s] = marks[:, slot == s].sum(axis=1)
    delta, gain, lose = weigh(marks * size[:, None], marks, cnt, slot)
    before = _attendance(marks, size, slot, slots)
    for i in range(topics):
        for j in range(topics):
            if slot[i] == slot[j]:
                continue
            swapped = slot.copy()
            swapped[i], swapped[j] = slot[j], slot[i]
            assert delta[i, j] == _attendance(marks, size, swapped, slots) - before, (i, j)
        for s in range(slots):
            if s != slot[i]:
                moved = slot.copy()
                moved[i] = s
                assert gain[i, s] - lose[i] == _attendance(marks, size, moved, slots) - before, (i, s)


def _keeps_the_rules(inst: Instance, sm, cells: dict[int, tuple[int, int]]) -> None:
    assert all((ti, ci, si) in sm.x for ti, (ci, si) in cells.items())
    per_cell = Counter(cells.values())
    assert all(n <= len(sm.classes[ci].rooms) for (ci, _), n in per_cell.items())
    assert set(sm.must) <= set(cells)
    runs: Counter[tuple[str, int]] = Counter()
    for ti, (_, si) in cells.items():
        for person in inst.topics[ti].facilitators:
            runs[(person, si)] += 1
    assert max(runs.values(), default=0) <= 1, "a facilitator runs two sessions at once"
    index = {t.id: i for i, t in enumerate(inst.topics)}
    for a, b in inst.avoid_clash:
        if index[a] in cells and index[b] in cells:
            assert cells[index[a]][1] != cells[index[b]][1]


def test_it_improves_the_start_and_keeps_every_hard_rule(medium) -> None:
    inst, sm, start = medium
    assert inst.avoid_clash and any(t.facilitators for t in inst.topics) and sm.must
    cells = tabu(inst, sm, start, work=3_000_000, seed=1, deadline=float("inf"))
    assert _value(sm, cells) > _value(sm, start)
    _keeps_the_rules(inst, sm, cells)


def test_facilitators_who_lead_several_topics_never_clash() -> None:
    # Six topics, two leaders with three each, three slots of two rooms: everyone wants everything,
    # so attendance alone would pack a leader's topics into one slot.
    rooms = (Room("a", "A", 30), Room("b", "B", 30))
    slots = tuple(Slot(f"s{k}", f"{9 + k}:00", f"{9 + k}:50") for k in range(3))
    people = tuple(Attendee(f"p{k}") for k in range(12))
    topics = tuple(Topic(f"t{k}", f"T{k}", facilitators=("p0" if k < 3 else "p1",)) for k in range(6))
    rng = random.Random(4)
    interests = tuple(Interest(p.id, t.id) for p in people for t in topics if rng.random() < 0.5)
    inst = Instance(EventInfo(), rooms, slots, people, topics, interests)
    sm = build_model(inst, {})
    start = greedy_cells(inst, sm)
    for seed in range(5):
        cells = tabu(inst, sm, start, work=20_000, seed=seed, deadline=float("inf"))  # 2,000 steps each
        _keeps_the_rules(inst, sm, cells)


def test_the_same_seed_and_work_give_the_same_schedule_in_worker_processes(medium) -> None:
    inst, sm, start = medium
    here = tabu(inst, sm, start, work=2_000_000, seed=7 * 7919, deadline=float("inf"))
    again = tabu(inst, sm, start, work=2_000_000, seed=7 * 7919, deadline=float("inf"))
    assert here == again
    there = anneal_restarts(
        inst, sm, start, work=2_000_000, seed=7, deadline=float("inf"), processes=2, max_runs=1, method="tabu"
    )
    assert _value(sm, there) >= _value(sm, here)  # the first of the two runs is this one


def test_it_stops_at_its_deadline_when_asked_and_at_the_ceiling(medium) -> None:
    inst, sm, start = medium
    began = time.perf_counter()
    cut = tabu(inst, sm, start, work=10**12, seed=2, deadline=began + 1.0)
    assert time.perf_counter() - began < 2.0
    assert _value(sm, cut) > _value(sm, start)
    asked = time.perf_counter()
    stopped = tabu(
        inst,
        sm,
        start,
        work=10**12,
        seed=2,
        deadline=float("inf"),
        should_stop=lambda: time.perf_counter() - asked > 0.5,
    )
    assert time.perf_counter() - asked < 1.5
    assert _value(sm, stopped) >= _value(sm, start)
    ceiling = _value(sm, start) + 1
    reached = tabu(inst, sm, start, work=10**12, seed=2, deadline=time.perf_counter() + 30, ceiling=ceiling)
    assert _value(sm, reached) >= ceiling


def test_a_day_nobody_has_marked_yet_ends_at_once() -> None:
    rooms = (Room("a", "A", 30),)
    slots = (Slot("s1", "09:00", "09:50"), Slot("s2", "10:00", "10:50"))
    inst = Instance(EventInfo(), rooms, slots, (Attendee("p0"),), (Topic("t0", "T0"), Topic("t1", "T1")), ())
    sm = build_model(inst, {})
    began = time.perf_counter()
    cells = tabu(inst, sm, greedy_cells(inst, sm), work=10**12, seed=1, deadline=began + 30)
    assert time.perf_counter() - began < 1
    _keeps_the_rules(inst, sm, cells)


@pytest.mark.parametrize("rule", ["one leader", "avoid clash"])
def test_a_rule_holds_even_where_breaking_it_would_seat_more_people(rule: str) -> None:
    # Everyone wants one A topic and one B topic: with both A topics in one slot and both B topics
    # in the other, all 40 attend twice (80). But A1 and A2 may not share a slot, so at best 60.
    rooms = (Room("a", "A", 30), Room("b", "B", 30))
    slots = (Slot("s1", "09:00", "09:50"), Slot("s2", "10:00", "10:50"))
    leader = ("lead",) if rule == "one leader" else ()
    topics = (
        Topic("A1", "A1", facilitators=leader),
        Topic("A2", "A2", facilitators=leader),
        Topic("B1", "B1"),
        Topic("B2", "B2"),
    )
    people, interests = [], []
    for a in ("A1", "A2"):
        for b in ("B1", "B2"):
            for k in range(10):
                people.append(Attendee(f"{a}{b}-{k}"))
                interests += [Interest(people[-1].id, a), Interest(people[-1].id, b)]
    avoid = (("A1", "A2"),) if rule == "avoid clash" else ()
    inst = Instance(EventInfo(), rooms, slots, (*people, Attendee("lead")), topics, tuple(interests), avoid_clash=avoid)
    sm = build_model(inst, {})
    start = {0: (0, 0), 2: (0, 1), 1: (0, 1), 3: (0, 0)}  # A1+B2 | A2+B1: 60, every rule kept
    start = {ti: (next(c.index for c in sm.classes if (ti, c.index, si) in sm.x), si) for ti, (_, si) in start.items()}
    kept = _value(sm, start)  # 60, and the leader's own two sessions
    assert kept == 60 + len(leader) * 2
    for seed in range(3):
        cells = tabu(inst, sm, start, work=3_000, seed=seed, deadline=float("inf"))  # ~1,000 steps
        _keeps_the_rules(inst, sm, cells)
        assert _value(sm, cells) == kept
