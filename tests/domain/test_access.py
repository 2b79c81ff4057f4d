"""Access needs: said privately, counted per session for organizers, a step-free room when one can be kept."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.domain import access, building, claims, drafting, events, layout_rooms, marking, stepfree
from app.domain.errors import InvalidInput
from app.models import AuditEntry, Event, Organizer, Placement
from app.scheduler import Config, solve
from app.scheduler.instance import EventInfo, Instance, Pin, Room, Slot
from app.scheduler.instance import Topic as TopicIn
from tests.factories import make_attendee, make_event, make_topic, publish_cells


def _step_free(db: Session, event: Event, organizer: Organizer, room_index: int) -> None:
    room = events.list_rooms(db, event)[room_index]
    layout_rooms.edit_room(
        db,
        event=event,
        room_id=room.id,  # type: ignore[arg-type]
        name=room.name,
        capacity=room.capacity,
        features=[*room.features, "step_free"],
        actor=organizer,
        confirm=True,
    )


def _build(db: Session, event: Event, organizer: Organizer) -> drafting.ScheduleView:
    plan = building.plan_build(db, event_id=event.id, organizer_id=organizer.id, keep_before_slot=None)  # type: ignore[arg-type]
    solution = solve(plan.instance, Config(time_limit=5, workers=1, work=0.5))
    building.save_build(db, plan, solution)
    return drafting.schedule_view(db, event=event)


def test_access_needs_are_set_changed_and_cleared(db: Session) -> None:
    event = make_event(db).event
    dana = make_attendee(db, event, "Dana")

    access.set_access_needs(db, attendee=dana, step_free=True, interpretation="ASL")
    db.refresh(dana)
    assert (dana.needs_step_free, dana.interpretation) == (True, "asl")

    access.set_access_needs(db, attendee=dana, step_free=False, interpretation="")
    db.refresh(dana)
    assert (dana.needs_step_free, dana.interpretation) == (False, "")

    with pytest.raises(InvalidInput) as refused:
        access.set_access_needs(db, attendee=dana, step_free=False, interpretation="klingon")
    assert refused.value.field == "interpretation"


def test_counts_per_session_take_marks_and_leads_never_names(db: Session) -> None:
    event = make_event(db).event
    ana, ben, cy, dee = (make_attendee(db, event, n) for n in ("Ana", "Ben", "Cy", "Dee"))
    robots = make_topic(db, event, ana, "Robots")
    poetry = make_topic(db, event, ana, "Poetry")
    access.set_access_needs(db, attendee=ana, step_free=True, interpretation="es")
    access.set_access_needs(db, attendee=ben, step_free=True, interpretation="")
    access.set_access_needs(db, attendee=cy, step_free=False, interpretation="asl")
    marking.mark_topic(db, event=event, attendee=ben, topic=robots)
    marking.mark_topic(db, event=event, attendee=cy, topic=robots)
    marking.mark_topic(db, event=event, attendee=dee, topic=poetry)
    claims.claim_topic(db, event=event, attendee=ana, topic=robots)

    counts = access.needs_by_topic(db, event=event)

    assert counts == {robots.id: access.SessionNeeds(step_free=2, interpretation={"es": 1, "asl": 1})}
    rows = access.access_overview(db, event=event)
    assert [(r.topic.title, r.needs.step_free) for r in rows] == [("Robots", 2), ("Poetry", 0)]
    assert not hasattr(rows[0], "people")


def test_interpreters_are_noted_and_audited(db: Session) -> None:
    created = make_event(db)
    event, boss = created.event, created.organizer
    topic = make_topic(db, event, None, "Robots")

    access.set_interpreters(db, event=event, topic_id=topic.id, languages=["asl", "es"], actor=boss)  # type: ignore[arg-type]
    db.refresh(topic)
    assert topic.interpreters == ["es", "asl"]
    log = db.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id)).all()
    assert [e.detail for e in log if e.action == "interpreters"] == ["“Robots”: interpreters Spanish, ASL"]

    access.set_interpreters(db, event=event, topic_id=topic.id, languages=[], actor=boss)  # type: ignore[arg-type]
    db.refresh(topic)
    assert topic.interpreters == []
    with pytest.raises(InvalidInput):
        access.set_interpreters(db, event=event, topic_id=topic.id, languages=["fr"], actor=boss)  # type: ignore[arg-type]


def test_a_session_marked_by_someone_needing_step_free_goes_to_the_step_free_room(db: Session) -> None:
    created = make_event(db, rooms=2, slots=1)
    event, boss = created.event, created.organizer
    _step_free(db, event, boss, 1)  # Room 2, the bigger room (30 seats), is step-free
    people = [make_attendee(db, event, f"P{i}") for i in range(6)]
    big = make_topic(db, event, people[0], "Big")
    small = make_topic(db, event, people[0], "Small")
    for p in people[:5]:
        marking.mark_topic(db, event=event, attendee=p, topic=big)
    marking.mark_topic(db, event=event, attendee=people[4], topic=small)
    marking.mark_topic(db, event=event, attendee=people[5], topic=small)
    # Left alone, the bigger session would take the bigger room.
    access.set_access_needs(db, attendee=people[5], step_free=True, interpretation="")

    view = _build(db, event, boss)

    rooms = {r.id: r.name for r in view.rooms}
    placed = {c.topic.title: rooms[c.placement.room_id] for c in view.cells.values()}
    assert placed == {"Small": "Room 2", "Big": "Room 1"}
    assert view.access_warnings == []
    assert view.access_counts[small.id].step_free == 1
    assert big.id not in view.access_counts


def test_when_every_step_free_room_is_taken_the_schedule_builds_and_says_so(db: Session) -> None:
    created = make_event(db, rooms=2, slots=1)
    event, boss = created.event, created.organizer
    _step_free(db, event, boss, 1)
    dana, eli = make_attendee(db, event, "Dana"), make_attendee(db, event, "Eli")
    one, two = make_topic(db, event, dana, "One"), make_topic(db, event, dana, "Two")
    for person in (dana, eli):
        for topic in (one, two):
            marking.mark_topic(db, event=event, attendee=person, topic=topic)
    access.set_access_needs(db, attendee=dana, step_free=True, interpretation="")

    view = _build(db, event, boss)

    assert sorted(c.topic.title for c in view.cells.values()) == ["One", "Two"]
    assert len(view.access_warnings) == 1
    assert "every step-free room is taken then" in view.access_warnings[0]
    assert "Dana" not in view.access_warnings[0]


def test_with_step_free_gives_the_need_only_where_a_room_slot_can_hold_it() -> None:
    rooms = (Room("r1", "R1", 20, frozenset({"step_free"})), Room("r2", "R2", 30))
    slots = (Slot("s1", "09:00", "09:50"), Slot("s2", "10:00", "10:50"))
    topics = (TopicIn("a", "A"), TopicIn("b", "B"), TopicIn("c", "C"), TopicIn("d", "D", pinned=Pin(room="r2")))
    instance = Instance(EventInfo(), rooms, slots, (), topics, ())

    out = stepfree.with_step_free(instance, {"a": 1, "b": 3, "c": 2, "d": 5})

    needs = {t.id: t.needs for t in out.topics}
    # Two step-free room-slots: B (3 people) and C (2) get them; D is pinned to a room with steps.
    assert needs == {"a": frozenset(), "b": frozenset({"step_free"}), "c": frozenset({"step_free"}), "d": frozenset()}
    assert stepfree.with_step_free(instance, {"a": 1}, frozen_slots=["s1", "s2"]) == instance


def test_access_warnings_say_why_for_each_session_in_a_room_with_steps(db: Session) -> None:
    created = make_event(db, rooms=2, slots=1)
    event = created.event
    topic = make_topic(db, event, None, "Robots")
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    placement = Placement(schedule_run_id=0, topic_id=topic.id, room_id=rooms[0].id, slot_id=slots[0].id)  # type: ignore[arg-type]
    args = {"placements": [placement], "topics": {topic.id: topic}, "slots": slots}

    assert stepfree.access_warnings(wanted={}, rooms=rooms, **args) == []  # type: ignore[arg-type]
    assert stepfree.access_warnings(wanted={topic.id: 2}, rooms=rooms, **args) == [  # type: ignore[arg-type]
        "“Robots” is in Room 1, which is not step-free; 2 people who marked or lead it need a step-free room: "
        "no room is marked step-free (Rooms and slots)."
    ]
    rooms[1].features = ["step_free"]
    [line] = stepfree.access_warnings(wanted={topic.id: 1}, rooms=rooms, **args)  # type: ignore[arg-type]
    assert line.endswith(
        "1 person who marked or leads it needs a step-free room: Room 2 is step-free and free then: move it there."
    )


def test_a_re_solve_leaves_the_kept_slots_as_they_are(db: Session) -> None:
    created = make_event(db, rooms=2, slots=2)
    event, boss = created.event, created.organizer
    dana, eli = make_attendee(db, event, "Dana"), make_attendee(db, event, "Eli")
    early, late = make_topic(db, event, dana, "Early"), make_topic(db, event, dana, "Late")
    for person in (dana, eli):
        for topic in (early, late):
            marking.mark_topic(db, event=event, attendee=person, topic=topic)
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    publish_cells(db, created, [(early.id, rooms[0].id, slots[0].id), (late.id, rooms[0].id, slots[1].id)])  # type: ignore[list-item]
    _step_free(db, event, boss, 1)
    access.set_access_needs(db, attendee=dana, step_free=True, interpretation="")

    plan = building.plan_build(db, event_id=event.id, organizer_id=boss.id, keep_before_slot=slots[1].id)  # type: ignore[arg-type]

    needs = {t.title: t.needs for t in plan.instance.topics}
    assert needs == {"Early": frozenset(), "Late": frozenset({"step_free"})}, "Early is kept in Room 1, as published"
    solution = solve(
        plan.instance, Config(time_limit=5, workers=1, work=0.5), previous=plan.previous, keep_before=plan.keep_before
    )
    placed = {p.topic: p.room for p in solution.placements}
    assert placed == {f"t{early.id}": f"r{rooms[0].id}", f"t{late.id}": f"r{rooms[1].id}"}
