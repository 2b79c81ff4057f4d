"""Plenaries and breaks: the scheduler places topics only in sessions slots, and judges the day by them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.scheduler import (
    Config,
    EventFileError,
    Pin,
    Placement,
    Slot,
    Status,
    event_to_document,
    parse_event,
    score,
    solve,
    violations,
)
from app.scheduler.instance import Instance, sessions_day
from app.scheduler.score import upper_bound
from bench.sched_gen import generate
from tests.scheduler.builders import make_instance, room, topic

OPENING = Slot("k0", "08:00", "08:45", "plenary", "Opening keynote", "r1")
LUNCH = Slot("b1", "11:52", "12:38", "break", "Lunch in the cafeteria")
CLOSING = Slot("k9", "15:00", "15:30", "plenary", "Closing share-out")


def with_programme(instance: Instance) -> Instance:
    """``instance`` with an opening plenary, a lunch break between its sessions and a closing plenary."""
    before_lunch = [s for s in instance.slots if s.end <= LUNCH.start]
    after_lunch = [s for s in instance.slots if s.start >= LUNCH.end]
    assert len(before_lunch) + len(after_lunch) == len(instance.slots)
    slots = (OPENING, *before_lunch, LUNCH, *after_lunch, CLOSING)
    return replace(instance, slots=slots)


def test_a_day_with_plenaries_and_breaks_is_solved_as_its_sessions_slots_alone() -> None:
    plain = generate("small", 1)
    day = with_programme(plain)
    assert sessions_day(day) == plain
    config = Config(work=1, time_limit=60, seed=3, workers=1)
    with_them, without = solve(day, config), solve(plain, config)
    assert with_them.status == without.status == Status.OPTIMAL
    assert with_them.placements == without.placements
    assert with_them.stats is not None and without.stats is not None
    assert (with_them.stats.attendance, with_them.stats.upper_bound) == (
        without.stats.attendance,
        without.stats.upper_bound,
    )
    assert {p.slot for p in with_them.placements} <= {"s1", "s2", "s3"}
    assert violations(day, with_them.placements) == []


def test_upper_bound_counts_only_the_slots_that_hold_topics() -> None:
    # One person wants four topics; the day has two sessions slots, so at most two of them count.
    inst = make_instance(rooms=[room("r1")], slots=2, topics=["t1", "t2", "t3", "t4"], marks={"a": ["t1", "t2", "t3"]})
    assert upper_bound(inst) == 2
    assert upper_bound(replace(inst, slots=(OPENING, *inst.slots, CLOSING))) == 2
    assert upper_bound(replace(inst, slots=(OPENING, inst.slots[0], CLOSING))) == 1


def test_violations_name_a_topic_placed_in_a_plenary_or_a_break() -> None:
    inst = make_instance(rooms=[room("r1")], slots=1, topics=["t1", "t2"])
    day = replace(inst, slots=(OPENING, inst.slots[0], CLOSING))
    assert violations(day, [Placement("t1", "r1", "k0"), Placement("t2", "r1", "s1")]) == [
        "[not-a-sessions-slot] topic 't1' is placed in slot 'k0', a plenary"
    ]
    assert score(day, [Placement("t2", "r1", "s1")]).upper_bound == 0  # nobody marked anything


@pytest.mark.parametrize("slot", [OPENING, LUNCH])
def test_a_topic_pinned_to_a_plenary_or_a_break_is_refused_by_name(slot: Slot) -> None:
    inst = make_instance(rooms=[room("r1")], slots=2, topics=[topic("t1", pin=Pin(None, slot.id)), "t2"])
    day = replace(inst, slots=(slot, *inst.slots) if slot is OPENING else (*inst.slots, slot))
    words = f"topic 't1' is pinned to slot {slot.id!r}, a {slot.kind}: topics go only in sessions slots"
    sol = solve(day, Config(time_limit=2))
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts == (f"topics[0].pinned: {words}",)
    with pytest.raises(EventFileError) as refused:
        parse_event(event_to_document(day))
    assert refused.value.key == "topics[0].pinned" and refused.value.id == "t1"


def test_a_day_of_plenaries_only_places_nothing_and_says_why() -> None:
    inst = make_instance(rooms=[room("r1")], slots=0, topics=["t1"], marks={"a": ["t1"], "b": ["t1"]})
    day = replace(inst, slots=(OPENING, CLOSING))
    sol = solve(day, Config(time_limit=2))
    assert sol.status is Status.OPTIMAL
    assert sol.placements == ()
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [
        ("t1", "the day has no sessions slot, only plenaries and breaks")
    ]
    assert sol.stats is not None and (sol.stats.attendance, sol.stats.upper_bound) == (0, 0)


def test_keep_before_a_plenary_keeps_the_sessions_before_it() -> None:
    inst = make_instance(
        rooms=[room("r1"), room("r2")], slots=2, topics=["t1", "t2", "t3"], marks={"a": ["t1", "t2", "t3"]}
    )
    day = replace(inst, slots=(inst.slots[0], replace(LUNCH, start="09:55", end="09:58"), inst.slots[1]))
    previous = [Placement("t1", "r2", "s1"), Placement("t2", "r1", "s2")]
    sol = solve(day, Config(time_limit=2), previous=previous, keep_before="b1")
    assert Placement("t1", "r2", "s1") in sol.placements
    assert {p.slot for p in sol.placements} <= {"s1", "s2"}
    assert violations(day, sol.placements) == []


def test_the_file_refuses_an_unknown_kind_or_room_by_key_and_id() -> None:
    document = event_to_document(with_programme(generate("small", 1)))
    document["slots"][0]["kind"] = "keynote"
    with pytest.raises(EventFileError) as refused:
        parse_event(document)
    assert (refused.value.key, refused.value.id) == ("slots[0].kind", "k0")
    document["slots"][0]["kind"] = "plenary"
    document["slots"][0]["room"] = "gym"
    with pytest.raises(EventFileError) as refused:
        parse_event(document)
    assert (refused.value.key, refused.value.id) == ("slots[0].room", "gym")


def test_the_file_round_trips_kinds_titles_and_rooms() -> None:
    day = with_programme(generate("small", 1))
    document = event_to_document(day)
    assert document["slots"][0] == {
        "id": "k0",
        "start": "08:00",
        "end": "08:45",
        "kind": "plenary",
        "title": "Opening keynote",
        "room": "r1",
    }
    assert document["slots"][1] == {"id": "s1", "start": "09:00", "end": "09:50"}
    assert parse_event(document) == day
