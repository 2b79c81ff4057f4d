"""Rooms and slots that change until the day and during it: checks, consequences, the draft, the audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.domain import audit, drafting, events, layout_rooms, layout_slots, marking, publishing, rows
from app.domain.errors import Conflict, InvalidInput, WrongPhase
from app.models import BoardEvent, Phase, Placement, Room, SlotKind, Talk, TimeSlot
from tests.factories import make_attendee, make_event, make_topic, publish_cells


def _day(db: Session, *, rooms: int = 3, slots: int = 3):  # type: ignore[no-untyped-def]
    """An event with two topics: 'Maker space' (led by Ana, 3 marks) and 'Podcasts' (1 mark)."""
    created = make_event(db, rooms=rooms, slots=slots)
    event = created.event
    ana, ben, cy = (make_attendee(db, event, name) for name in ("Ana", "Ben", "Cy"))
    maker = make_topic(db, event, ana, title="Maker space", facilitate=True)
    pods = make_topic(db, event, ben, title="Podcasts")
    for person in (ana, ben, cy):
        marking.mark_topic(db, event=event, attendee=person, topic=maker)
    marking.mark_topic(db, event=event, attendee=cy, topic=pods)
    return created, maker, pods


def _kinds(db: Session, event_id: int) -> list[str]:
    return [e.kind for e in db.scalars(select(BoardEvent).where(BoardEvent.event_id == event_id))]


def test_rooms_are_added_renamed_resized_reordered_and_audited(db: Session) -> None:
    created, _maker, _pods = _day(db)
    event, boss = created.event, created.organizer
    added = layout_rooms.add_room(db, event=event, name="  Gym ", capacity="80", features=["Accessible"], actor=boss)
    assert added.done and added.message == "Added the room Gym (80 seats)."
    gym = rows.rooms(db, event)[-1]
    assert (gym.name, gym.capacity, gym.features, gym.position) == ("Gym", 80, ["accessible"], 3)
    renamed = layout_rooms.edit_room(
        db, event=event, room_id=gym.id, name="Big gym", capacity=90, features=["accessible"], actor=boss
    )
    assert renamed.message == "Renamed Gym to Big gym; Big gym has 90 seats (was 80)."
    layout_rooms.move_room(db, event=event, room_id=gym.id, direction="up", actor=boss)
    assert [r.name for r in rows.rooms(db, event)] == ["Room 1", "Room 2", "Big gym", "Room 3"]
    with pytest.raises(Conflict, match="Room 1 is already first"):
        layout_rooms.move_room(db, event=event, room_id=rows.rooms(db, event)[0].id, direction="up", actor=boss)
    actions = [e.action for e in audit.entries(db, event=event)][:3]
    assert actions == ["move_room", "edit_room", "add_room"]
    assert all(e.organizer_id == boss.id for e in audit.entries(db, event=event)[:3])
    assert _kinds(db, event.id)[-3:] == ["layout_changed"] * 3


@pytest.mark.parametrize(
    ("name", "seats", "field", "words"),
    [
        ("room 2", "30", "name", "'room 2' is already the name of Room 2."),
        ("", "30", "name", "Please give a name."),
        ("Annex", "0", "capacity", "Seats must be a whole number from 1 to 10000."),
        ("Annex", "10001", "capacity", "Seats must be a whole number from 1 to 10000."),
        ("Annex", "", "capacity", "How many seats does Annex have?"),
    ],
)
def test_a_room_as_typed_is_refused_naming_the_field(
    db: Session, name: str, seats: str, field: str, words: str
) -> None:
    created = make_event(db, rooms=2)
    with pytest.raises(InvalidInput) as refused:
        layout_rooms.add_room(db, event=created.event, name=name, capacity=seats, features=[], actor=created.organizer)
    assert [(e.field, e.message) for e in refused.value.field_errors] == [(field, words)]
    assert len(rows.rooms(db, created.event)) == 2


def test_the_last_room_and_the_last_slot_cannot_go(db: Session) -> None:
    created = make_event(db, rooms=1, slots=1)
    event, boss = created.event, created.organizer
    with pytest.raises(Conflict, match="Room 1 is the event's only room"):
        layout_rooms.remove_room(db, event=event, room_id=rows.rooms(db, event)[0].id, actor=boss)
    with pytest.raises(Conflict, match="09:00–09:50 is the event's only slot"):
        layout_slots.remove_slot(db, event=event, slot_id=rows.slots(db, event)[0].id, actor=boss)


def test_slots_overlapping_or_reversed_are_refused_naming_the_slot(db: Session) -> None:
    created = make_event(db, slots=3)  # 09:00–09:50, 10:00–10:50, 11:00–11:50
    event, boss = created.event, created.organizer
    third = rows.slots(db, event)[2]
    with pytest.raises(InvalidInput) as refused:
        layout_slots.edit_slot(
            db, event=event, slot_id=third.id, start="10:15", end="11:00", kind="sessions", actor=boss
        )
    assert [(e.field, e.message) for e in refused.value.field_errors] == [
        ("start", "Slot 3: 10:15 AM–11:00 AM overlaps Slot 2 (10:00 AM–10:50 AM).")
    ]
    with pytest.raises(InvalidInput) as reversed_:
        layout_slots.add_slot(db, event=event, start="14:00", end="13:00", actor=boss)
    assert [(e.field, e.message) for e in reversed_.value.field_errors] == [
        ("end", "Slot 4: the slot must end after it starts (2:00 PM).")
    ]
    with pytest.raises(InvalidInput, match="is not a time") as garbage:
        layout_slots.add_slot(db, event=event, start="noon", end="13:00", actor=boss)
    assert garbage.value.field_errors[0].field == "start"
    with pytest.raises(
        InvalidInput, match="Slot 4: .party. is not a kind of slot; use one of sessions, plenary, break"
    ):
        layout_slots.add_slot(db, event=event, start="12:00", end="13:00", kind="party", actor=boss)
    lunch = layout_slots.add_slot(db, event=event, start="12:00", end="12:45", kind="break", title="Lunch", actor=boss)
    assert lunch.done and lunch.message == "Added the slot 12:00–12:45 (break: Lunch)."
    assert [(s.start, s.kind) for s in rows.slots(db, event)][-1] == ("12:00", SlotKind.break_)


def test_a_room_with_sessions_in_the_draft_only_goes_with_its_sessions_to_the_unplaced_list(db: Session) -> None:
    created, maker, pods = _day(db)
    event, boss = created.event, created.organizer
    (r1, r2, _r3), (s1, _s2, _s3) = rows.rooms(db, event), rows.slots(db, event)
    draft = drafting.ensure_draft(db, event=event)
    db.add_all(
        [
            Placement(schedule_run_id=draft.id, topic_id=maker.id, room_id=r1.id, slot_id=s1.id),  # type: ignore[arg-type]
            Placement(schedule_run_id=draft.id, topic_id=pods.id, room_id=r2.id, slot_id=s1.id),  # type: ignore[arg-type]
        ]
    )
    db.commit()
    asked = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss)
    assert not asked.done and asked.needs_confirm
    (lost,) = asked.affected
    assert (lost.title, lost.where, lost.facilitators, lost.marks, lost.published) == (
        "Maker space",
        "Room 1, 09:00–09:50",
        ["Ana"],
        3,
        False,
    )
    assert db.get(Room, r1.id) is not None, "nothing changes before the organizer says yes"
    done = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss, confirm=True)
    assert done.done and done.message == "Removed the room Room 1; 1 session to the draft's unplaced list."
    db.expire_all()
    assert db.get(Room, r1.id) is None
    view = drafting.schedule_view(db, event=event)
    assert [t.title for t, reason in view.left_out] == ["Maker space"]
    assert {t.title: reason for t, reason in view.left_out}["Maker space"] == "Room 1 was removed"
    assert [c.topic.title for c in view.cells.values()] == ["Podcasts"]


def test_a_room_the_published_schedule_uses_waits_for_the_publish(db: Session) -> None:
    created, maker, pods = _day(db)
    event, boss = created.event, created.organizer
    (r1, r2, _r3), (s1, s2, _s3) = rows.rooms(db, event), rows.slots(db, event)
    published = publish_cells(db, created, [(maker.id, r1.id, s1.id), (pods.id, r2.id, s2.id)])  # type: ignore[list-item]
    asked = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss)
    assert [(a.title, a.published) for a in asked.affected] == [("Maker space", True)]
    assert any("published schedule stays as it is" in note for note in asked.notes)
    done = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss, confirm=True)
    assert done.done and "to remove it once the draft is published" in done.message
    db.expire_all()
    room = db.get(Room, r1.id)
    assert room is not None and room.unavailable_slots == sorted(s.id for s in rows.slots(db, event))  # type: ignore[misc]
    on_board = drafting.placements_of(db, drafting.published_run(db, event=event))  # type: ignore[arg-type]
    assert {(p.topic_id, p.room_id) for p in on_board} == {(maker.id, r1.id), (pods.id, r2.id)}, "published untouched"
    assert drafting.published_run(db, event=event).id == published.id  # type: ignore[union-attr]
    draft = drafting.current_draft(db, event=event)
    assert draft is not None and [p.topic_id for p in drafting.placements_of(db, draft)] == [pods.id]
    assert str(maker.id) in draft.stats["left_out"]
    publishing.publish(db, event=event, actor=boss)  # the organizer publishes the new draft: now it can go
    again = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss)
    assert again.done and again.message == "Removed the room Room 1."
    assert db.get(Room, r1.id) is None


def test_a_room_shrunk_below_a_sessions_marks_or_closed_in_its_slot_sends_it_to_the_draft(db: Session) -> None:
    created, maker, pods = _day(db)
    event, boss = created.event, created.organizer
    (r1, r2, _r3), (s1, s2, _s3) = rows.rooms(db, event), rows.slots(db, event)
    publish_cells(db, created, [(maker.id, r1.id, s1.id), (pods.id, r2.id, s2.id)])  # type: ignore[list-item]
    asked = layout_rooms.edit_room(db, event=event, room_id=r1.id, name="Room 1", capacity=2, features=[], actor=boss)
    assert [(a.title, a.marks) for a in asked.affected] == [("Maker space", 3)] and not asked.done
    fits = layout_rooms.edit_room(db, event=event, room_id=r1.id, name="Room 1", capacity=3, features=[], actor=boss)
    assert fits.done, "three seats hold three people: nothing to confirm"
    closed = layout_rooms.set_room_available(
        db, event=event, room_id=r2.id, slot_id=s2.id, available=False, actor=boss, confirm=True
    )
    assert closed.done and [a.title for a in closed.affected] == ["Podcasts"]
    db.expire_all()
    assert db.get(Room, r2.id).unavailable_slots == [s2.id]  # type: ignore[union-attr]
    draft = drafting.current_draft(db, event=event)
    assert [p.topic_id for p in drafting.placements_of(db, draft)] == [maker.id]  # type: ignore[arg-type]
    assert draft.stats["left_out"][str(pods.id)] == "Room 2 is closed at 10:00–10:50"  # type: ignore[union-attr]
    opened = layout_rooms.set_room_available(db, event=event, room_id=r2.id, slot_id=s2.id, available=True, actor=boss)
    assert opened.done and db.get(Room, r2.id).unavailable_slots == []  # type: ignore[union-attr]


def test_a_slot_retimed_says_so_and_one_made_a_plenary_or_removed_sends_its_sessions_to_the_draft(db: Session) -> None:
    created, maker, pods = _day(db)
    event, boss = created.event, created.organizer
    (r1, r2, _r3), (s1, s2, s3) = rows.rooms(db, event), rows.slots(db, event)
    draft = drafting.ensure_draft(db, event=event)
    db.add(Placement(schedule_run_id=draft.id, topic_id=maker.id, room_id=r1.id, slot_id=s1.id))  # type: ignore[arg-type]
    db.add(Placement(schedule_run_id=draft.id, topic_id=pods.id, room_id=r2.id, slot_id=s2.id))  # type: ignore[arg-type]
    db.commit()
    retimed = layout_slots.edit_slot(
        db, event=event, slot_id=s1.id, start="08:45", end="09:40", kind="sessions", actor=boss
    )
    assert not retimed.done and retimed.affected == []
    assert retimed.notes == [
        "1 session in 09:00–09:50 moves with it to 8:45 AM–9:40 AM; the board and phones show the new time."
    ]
    layout_slots.edit_slot(
        db, event=event, slot_id=s1.id, start="08:45", end="09:40", kind="sessions", actor=boss, confirm=True
    )
    plenary = layout_slots.edit_slot(
        db, event=event, slot_id=s2.id, start="10:00", end="10:50", kind="plenary", title="EdTalks", room_id=r1.id,
        actor=boss, confirm=True,
    )  # fmt: skip
    assert plenary.done and [a.title for a in plenary.affected] == ["Podcasts"]
    db.expire_all()
    slot = db.get(TimeSlot, s2.id)
    assert (slot.kind, slot.title, slot.room_id) == (SlotKind.plenary, "EdTalks", r1.id)  # type: ignore[union-attr]
    assert [p.topic_id for p in drafting.placements_of(db, draft)] == [maker.id]
    db.add(Talk(event_id=event.id, slot_id=s3.id, speaker="Dee"))  # type: ignore[arg-type]
    db.commit()
    db.add(Placement(schedule_run_id=draft.id, topic_id=pods.id, room_id=r2.id, slot_id=s3.id))  # type: ignore[arg-type]
    db.commit()
    removing = layout_slots.remove_slot(db, event=event, slot_id=s3.id, actor=boss)
    assert removing.notes == ["Its 1 talk goes with it."] and [a.title for a in removing.affected] == ["Podcasts"]
    layout_slots.remove_slot(db, event=event, slot_id=s3.id, actor=boss, confirm=True)
    assert [s.start for s in rows.slots(db, event)] == ["08:45", "10:00"]
    assert db.scalars(select(Talk)).all() == []


def test_the_slot_running_now_keeps_its_sessions_on_the_live_day(db: Session) -> None:
    created, maker, pods = _day(db)
    event, boss = created.event, created.organizer
    (r1, _r2, _r3), (s1, s2, _s3) = rows.rooms(db, event), rows.slots(db, event)
    publish_cells(db, created, [(maker.id, r1.id, s1.id)])  # type: ignore[list-item]
    assert event.phase == Phase.live
    during = datetime(2027, 3, 13, 17, 15, tzinfo=UTC)  # 09:15 in Los Angeles: the first slot
    with pytest.raises(Conflict, match="The slot 09:00–09:50 is running now: 1 session is going on in it"):
        layout_slots.remove_slot(db, event=event, slot_id=s1.id, actor=boss, confirm=True, now=during)
    with pytest.raises(Conflict, match="running now"):
        layout_slots.edit_slot(
            db, event=event, slot_id=s1.id, start="09:00", end="09:50", kind="break", actor=boss, now=during
        )
    free = layout_slots.remove_slot(db, event=event, slot_id=s2.id, actor=boss, now=during)
    assert free.done, "a slot with no sessions goes at once, even on the day"


def test_a_closed_event_keeps_its_rooms_and_slots(db: Session) -> None:
    created = make_event(db)
    events.set_phase(db, event=created.event, phase=Phase.closed, actor=created.organizer)
    with pytest.raises(WrongPhase, match="Reopen it to change them"):
        layout_rooms.add_room(db, event=created.event, name="Gym", capacity=30, features=[], actor=created.organizer)


def test_a_plenary_keeps_its_speaker_on_stage_and_says_what_its_room_and_talks_become(db: Session) -> None:
    created = make_event(db, rooms=2, slots=3)
    event, boss = created.event, created.organizer
    (r1, _r2), (s1, s2, _s3) = rows.rooms(db, event), rows.slots(db, event)
    layout_slots.edit_slot(
        db, event=event, slot_id=s1.id, start="09:00", end="09:50", kind="plenary", title="EdTalks", room_id=r1.id,
        actor=boss,
    )  # fmt: skip
    talk = Talk(event_id=event.id, slot_id=s1.id, speaker="Dee Rivera", started_at=datetime(2027, 3, 13, tzinfo=UTC))  # type: ignore[arg-type]
    db.add(talk)
    db.commit()
    with pytest.raises(Conflict, match="Dee Rivera is on stage in EdTalks now"):
        layout_slots.remove_slot(db, event=event, slot_id=s1.id, actor=boss, confirm=True)
    with pytest.raises(Conflict, match="can be made break once the plenary has ended"):
        layout_slots.edit_slot(db, event=event, slot_id=s1.id, start="09:00", end="09:50", kind="break", actor=boss)
    talk.ended_at = datetime(2027, 3, 13, 0, 15, tzinfo=UTC)
    db.add(talk)
    db.commit()
    to_break = layout_slots.edit_slot(
        db, event=event, slot_id=s1.id, start="09:00", end="09:50", kind="break", title="Coffee", actor=boss
    )
    assert not to_break.done, "asked first: its talks"
    assert to_break.notes == ["Its 1 talk stays in its running order, shown again if it becomes a plenary."]
    asked = layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss)
    assert not asked.done and asked.notes == ["EdTalks (plenary) will have no room: choose another."]
    layout_rooms.remove_room(db, event=event, room_id=r1.id, actor=boss, confirm=True)
    db.expire_all()
    assert db.get(TimeSlot, s1.id).room_id is None  # type: ignore[union-attr]
    assert db.get(TimeSlot, s2.id).kind == SlotKind.sessions  # type: ignore[union-attr]
