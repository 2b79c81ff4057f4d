"""Property tests: for random valid instances every returned schedule keeps every hard
constraint, its stats are the scoring module's, and on instances small enough to
enumerate, OPTIMAL really is optimal and INFEASIBLE really is infeasible."""

from __future__ import annotations

import json
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scheduler import (
    Config,
    Instance,
    Pin,
    Status,
    event_to_document,
    parse_event,
    schedule_to_document,
    score,
    solve,
    violations,
)
from app.scheduler.checks import pin_problems
from app.scheduler.score import viable_topics
from app.scheduler.solution import Placement
from tests.scheduler.builders import make_instance, room, topic

FEATURES = ("projector", "accessible")


def _subset(draw: st.DrawFn, items: list[str], p_max: int | None = None) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(items), unique=True, max_size=p_max)) if items else []
    return sorted(chosen)


@st.composite
def instances(draw: st.DrawFn, max_rooms: int = 3, max_slots: int = 3, max_topics: int = 7) -> Instance:
    n_slots = draw(st.integers(1, max_slots))
    slot_ids = [f"s{i + 1}" for i in range(n_slots)]
    rooms = [
        room(
            f"r{i + 1}",
            draw(st.integers(1, 6)),
            features=_subset(draw, list(FEATURES)),
            unavailable=_subset(draw, slot_ids, 1),
        )
        for i in range(draw(st.integers(1, max_rooms)))
    ]
    room_ids = [r.id for r in rooms]
    people = [f"a{i + 1}" for i in range(draw(st.integers(0, 6)))]
    topics = []
    for i in range(draw(st.integers(0, max_topics))):
        pin = None
        if draw(st.integers(0, 5)) == 0:
            pin = Pin(draw(st.none() | st.sampled_from(room_ids)), draw(st.none() | st.sampled_from(slot_ids)))
        topics.append(
            topic(
                f"t{i + 1}",
                facilitators=_subset(draw, people, 2),
                unavailable=_subset(draw, slot_ids, 1) if draw(st.booleans()) else (),
                needs=_subset(draw, list(FEATURES), 1) if draw(st.integers(0, 3)) == 0 else (),
                pin=pin,
            )
        )
    topic_ids = [t.id for t in topics]
    marks = {p: _subset(draw, topic_ids) for p in people}
    pairs = list(combinations(topic_ids, 2))
    avoid = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2)) if pairs else []
    inst = make_instance(rooms=rooms, slots=n_slots, topics=topics, marks=marks, avoid_clash=avoid)
    # Facilitators who marked nothing are attendees too; make_instance adds them.
    return inst


def _check(inst: Instance, seed: int) -> None:
    sol = solve(inst, Config(time_limit=1, seed=seed))
    if sol.status is Status.INFEASIBLE:
        assert sol.conflicts and all(isinstance(c, str) and c for c in sol.conflicts)
        assert sol.placements == () and sol.stats is None
        return
    assert sol.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert violations(inst, sol.placements) == []
    assert sol.stats == score(
        inst, sol.placements, solve_seconds=sol.stats.solve_seconds, proven_bound=sol.stats.proven_bound
    )
    assert sol.stats.proven_bound is None or sol.stats.attendance <= sol.stats.proven_bound <= sol.stats.upper_bound
    placed = {p.topic for p in sol.placements}
    assert sorted(u.topic for u in sol.unscheduled) == sorted(t.id for t in inst.topics if t.id not in placed)
    assert all(u.reason for u in sol.unscheduled)
    assert not any("split audiences" in u.reason for u in sol.unscheduled)
    _no_viable_topic_left_out_beside_a_free_cell(inst, sol.placements)
    json.dumps(schedule_to_document(sol))


def _no_viable_topic_left_out_beside_a_free_cell(inst: Instance, placements: tuple[Placement, ...]) -> None:
    """A viable topic is never left out while some room is free in a slot where it breaks no hard constraint."""
    viable = viable_topics(inst)
    placed = {p.topic for p in placements}
    for t in inst.topics:
        if t.id not in viable or t.id in placed:
            continue
        for s in inst.slots:
            for r in inst.rooms:
                if any(p.room == r.id and p.slot == s.id for p in placements):
                    continue
                candidate = (*placements, Placement(t.id, r.id, s.id))
                assert violations(inst, candidate) != [], (
                    f"viable {t.id!r} left out though room {r.id!r} is free in {s.id!r}: {placements}"
                )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 3))
def test_solve_keeps_every_hard_constraint_and_reports_the_scored_stats(inst: Instance, seed: int) -> None:
    _check(inst, seed)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_rooms=5, max_slots=4, max_topics=20), st.integers(0, 3))
def test_solve_keeps_every_hard_constraint_on_bigger_instances(inst: Instance, seed: int) -> None:
    _check(inst, seed)


def _best_attendance(inst: Instance) -> tuple[int, int] | None:
    """Enumerate every valid schedule: the best (attendance, sessions run), in that order of
    importance; ``None`` when none keeps the pins."""
    viable = viable_topics(inst)
    cells = [(r.id, s.id) for s in inst.slots for r in inst.rooms]
    pairs = {frozenset(p) for p in inst.avoid_clash}
    rooms = {r.id: r for r in inst.rooms}
    people: dict[str, set[str]] = {}
    for i in inst.interests:
        people.setdefault(i.attendee, set()).add(i.topic)
    for t in inst.topics:
        for p in t.facilitators:
            people.setdefault(p, set()).add(t.id)
    best: tuple[int, int] | None = None
    slot_of: dict[str, str] = {}
    used: set[tuple[str, str]] = set()

    def fits(t, cell) -> bool:  # type: ignore[no-untyped-def]
        r, s = cell
        if cell in used or s in t.unavailable_slots or s in rooms[r].unavailable_slots:
            return False
        if not t.needs <= rooms[r].features:
            return False
        if t.pinned is not None and (t.pinned.room not in (None, r) or t.pinned.slot not in (None, s)):
            return False
        others = [inst.topics[j] for j in range(len(inst.topics)) if slot_of.get(inst.topics[j].id) == s]
        if any(set(t.facilitators) & set(o.facilitators) for o in others):
            return False
        return not any(frozenset((t.id, o.id)) in pairs for o in others)

    def walk(i: int) -> None:
        nonlocal best
        if i == len(inst.topics):
            value = (
                sum(len({slot_of[t] for t in ts if t in slot_of}) for ts in people.values()),
                sum(1 for t in slot_of if t in viable),
            )
            best = value if best is None else max(best, value)
            return
        t = inst.topics[i]
        if t.pinned is None:
            walk(i + 1)
        for cell in cells:
            if fits(t, cell):
                used.add(cell)
                slot_of[t.id] = cell[1]
                walk(i + 1)
                del slot_of[t.id]
                used.discard(cell)

    walk(0)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_rooms=2, max_slots=3, max_topics=5))
def test_solve_matches_exhaustive_search_on_tiny_instances(inst: Instance) -> None:
    """Most attendance, then the most sessions run: no schedule with the same attendance runs more
    viable sessions. (Reproducible work, so that a loaded machine cannot cut a proof short.)"""
    sol = solve(inst, Config(work=2, time_limit=60))
    best = _best_attendance(inst)
    if best is None:
        assert sol.status is Status.INFEASIBLE
    else:
        assert sol.status is Status.OPTIMAL
        assert sol.stats is not None and sol.stats.attendance == best[0] == sol.stats.proven_bound
        assert sol.stats.sessions_run == best[1], (sol.stats, best)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_rooms=2, max_slots=3, max_topics=5))
def test_by_the_clock_too_the_most_attendance_then_sessions(inst: Instance) -> None:
    sol = solve(inst, Config(time_limit=2))
    best = _best_attendance(inst)
    if best is not None:
        assert sol.stats is not None and (sol.stats.attendance, sol.stats.sessions_run) == best


@settings(max_examples=40, deadline=None)
@given(instances())
def test_event_document_round_trips(inst: Instance) -> None:
    doc = json.loads(json.dumps(event_to_document(inst)))
    if pin_problems(inst):
        return  # such a file is refused; see test_command.py
    assert parse_event(doc) == inst
