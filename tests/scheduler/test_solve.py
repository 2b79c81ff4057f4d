"""solve(): infeasible instances, reasons for topics left out, determinism, progress and stopping."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.scheduler import Config, EventFileError, Pin, Progress, Status, solve, violations
from app.scheduler.instance import Room
from bench.sched_gen import generate
from tests.scheduler.builders import make_instance, room, topic

FAST = Config(time_limit=2, seed=0)


def test_solve_names_pins_that_share_a_room_and_slot() -> None:
    inst = make_instance(
        rooms=[room("r")], slots=1, topics=[topic("t1", pin=Pin("r", "s1")), topic("t2", pin=Pin("r", "s1"))]
    )
    sol = solve(inst, FAST)
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts == ("topics[1].pinned: topics 't1' and 't2' are both pinned to room 'r' in slot 's1'",)


def test_solve_names_every_pin_of_a_conflict_only_the_solver_sees() -> None:
    # Three topics pinned to room r, which has two slots: no two of the pins clash on their own.
    inst = make_instance(
        rooms=[room("r"), room("q")], slots=2, topics=[topic(f"t{i}", pin=Pin("r", None)) for i in (1, 2, 3)] + ["t4"]
    )
    sol = solve(inst, FAST)
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts[1:] == tuple(f"topic 't{i}' is pinned to room 'r'" for i in (1, 2, 3))
    assert "cannot all hold together" in sol.conflicts[0]


def test_solve_names_a_facilitator_with_more_pinned_topics_than_slots() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=[topic(f"t{i}", facilitators=["f"], pin=Pin()) for i in (1, 2, 3)] + [topic("t4", pin=Pin())],
    )
    sol = solve(inst, FAST)
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts[1:] == tuple(f"topic 't{i}' is pinned" for i in (1, 2, 3))


def test_solve_names_a_pin_no_room_can_hold() -> None:
    inst = make_instance(rooms=[room("r")], slots=1, topics=[topic("t1", needs=["projector"], pin=Pin(None, "s1"))])
    sol = solve(inst, FAST)
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts == ("topic 't1' is pinned to slot 's1', but no room has projector there",)


def test_solve_raises_on_unknown_ids() -> None:
    inst = make_instance(rooms=[room("r")], slots=1, topics=[topic("t1", facilitators=["ghost"])])
    inst = inst.__class__(inst.event, inst.rooms, inst.slots, (), inst.topics, ())
    with pytest.raises(EventFileError) as err:
        solve(inst, FAST)
    assert (err.value.key, err.value.id) == ("topics[0].facilitators", "ghost")


def test_solve_refuses_keep_before_without_previous() -> None:
    inst = make_instance(rooms=[room("r")], slots=2, topics=["t1"])
    with pytest.raises(ValueError, match="keep_before needs the previous schedule"):
        solve(inst, FAST, keep_before="s2")


def test_solve_explains_each_topic_left_out_when_there_are_too_many() -> None:
    inst = make_instance(
        rooms=[room("r")],
        slots=1,
        topics=["t1", "t2", "t3", "t4"],
        marks={"a": ["t1", "t2"], "b": ["t1", "t2"], "c": ["t1", "t3"], "d": ["t1"]},
    )
    sol = solve(inst, FAST)
    assert [p.topic for p in sol.placements] == ["t1"]
    assert {u.topic: u.reason for u in sol.unscheduled} == {
        "t2": "all 1 room-slots are taken, and it has fewer marks (2) than every scheduled topic",
        "t3": "all 1 room-slots are taken, and it has fewer marks (1) than every scheduled topic",
        "t4": "nobody marked it and nobody facilitates it",
    }


def test_solve_explains_a_topic_left_out_for_a_better_spread() -> None:
    # t2 has more marks than t3, but everyone who marked it already has t1.
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=1,
        topics=["t1", "t2", "t3"],
        marks={"a": ["t1", "t2"], "b": ["t1", "t2"], "c": ["t1"], "d": ["t3"]},
    )
    sol = solve(inst, FAST)
    assert sorted(p.topic for p in sol.placements) == ["t1", "t3"]
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [
        (
            "t2",
            "all 2 room-slots are taken, and the topics scheduled instead give at least as many people a session "
            "they marked in a slot that would otherwise have none (it has 2 marks)",
        )
    ]


def test_solve_is_deterministic_for_the_same_seed_and_work() -> None:
    inst = generate("medium", 1)
    # Reproducible runs count work, not seconds; the clock is only a generous cap here,
    # since a run it cuts short is not reproducible.
    config = Config(work=1.5, time_limit=120, seed=7)
    first = solve(inst, config)
    second = solve(inst, config)
    assert first.placements == second.placements
    assert first.unscheduled == second.unscheduled
    assert first.stats is not None and second.stats is not None
    assert (first.stats.attendance, first.stats.overflow, first.stats.clashes) == (
        second.stats.attendance,
        second.stats.overflow,
        second.stats.clashes,
    )


def test_solve_with_one_worker_is_deterministic_too() -> None:
    inst = generate("small", 3)
    config = Config(work=1, time_limit=120, seed=3, workers=1)
    assert solve(inst, config).placements == solve(inst, config).placements


def test_solve_reports_progress() -> None:
    inst = generate("medium", 2)
    seen: list[Progress] = []
    sol = solve(inst, Config(time_limit=1), on_progress=seen.append)
    assert sol.stats is not None
    assert seen, "the callback was never called"
    attendance = [p.attendance for p in seen]
    assert attendance == sorted(attendance)
    assert attendance[-1] == sol.stats.attendance
    assert all(p.upper_bound == sol.stats.upper_bound for p in seen)
    assert all(p.bound is None or p.attendance <= p.bound <= p.upper_bound for p in seen)
    elapsed = [p.elapsed for p in seen]
    assert elapsed == sorted(elapsed)


def test_solve_stops_early_with_a_valid_schedule() -> None:
    inst = generate("large", 1)
    stop = threading.Event()

    def halt(progress: Progress) -> None:
        stop.set()

    sol = solve(inst, Config(time_limit=30), on_progress=halt, stop=stop)
    assert sol.status is Status.FEASIBLE
    assert sol.stats is not None and sol.stats.solve_seconds < 5
    assert violations(inst, sol.placements) == []


def test_solve_handles_an_event_with_nothing_to_schedule() -> None:
    inst = make_instance(rooms=[Room("r", "R", 5)], slots=1, topics=[])
    sol = solve(inst, FAST)
    assert (sol.status, sol.placements, sol.unscheduled) == (Status.OPTIMAL, (), ())
    assert sol.stats is not None and sol.stats.attendance == 0


def test_solve_runs_a_viable_topic_in_a_free_room_even_if_it_only_splits_audiences() -> None:
    # A free room is left in s2; t3's two fans already have t2 there and t1 in s1. Before,
    # t3 was left out "because adding it would only split audiences": a teacher who proposed
    # a session people want expects it to run while a room is free.
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=[topic("t1", pin=Pin("r", "s1")), topic("t2", pin=Pin("r", "s2")), "t3"],
        marks={"a": ["t1", "t2", "t3"], "b": ["t1", "t2", "t3"]},
    )
    sol = solve(inst, FAST)
    assert sorted(p.topic for p in sol.placements) == ["t1", "t2", "t3"]
    assert sol.stats is not None and (sol.stats.sessions_run, sol.stats.viable_left_out) == (3, 0)


def test_solve_leaves_out_a_topic_fewer_people_want_than_the_event_asks() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=[topic("t1", pin=Pin("r", "s1")), topic("t2", pin=Pin("r", "s2")), "t3"],
        marks={"a": ["t1", "t2", "t3"], "b": ["t1", "t2"]},
    )
    sol = solve(inst, FAST)
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [
        ("t3", "only 1 person wants it (marks and facilitators), fewer than the 2 a session needs at this event")
    ]
    assert sol.stats is not None and (sol.stats.sessions_run, sol.stats.viable_left_out) == (2, 0)
    lower = replace(inst, event=replace(inst.event, min_interest=1))
    assert sorted(p.topic for p in solve(lower, FAST).placements) == ["t1", "t2", "t3"]


def test_solve_explains_a_topic_whose_facilitator_is_busy_wherever_a_room_is_free() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=1,
        topics=[topic("t1", facilitators=["f"]), topic("t2", facilitators=["f"])],
        marks={"a": ["t1", "t2"], "b": ["t1"]},
    )
    sol = solve(inst, FAST)
    assert [p.topic for p in sol.placements] == ["t1"]
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [
        ("t2", "every free room-slot is ruled out: 'q' in 's1': facilitator 'f' runs another session then")
    ]
