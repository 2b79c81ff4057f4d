"""Slot kinds: a day of sessions, plenaries and breaks, as people type it and as the event file carries it."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from app.domain import attendees, building, drafting, eventfile, events, marking, midday, moves, topics
from app.domain.errors import Conflict, InvalidInput
from app.domain.eventspec import RoomSpec, SlotSpec, validate_slots
from app.jobs import BuildJobs
from app.models import Event, SlotKind, TimeSlot, saved_id

ROOMS = [RoomSpec("Auditorium", 200), RoomSpec("Library", 40), RoomSpec("Cafeteria", 120)]
DAY = [
    SlotSpec("08:30", "09:15", kind="plenary", title="Opening keynote", room="auditorium"),
    SlotSpec("09:30", "10:20"),
    SlotSpec("12:20", "13:10", kind="break", title="Lunch in the cafeteria", room="Cafeteria"),
    SlotSpec("10:30", "11:20"),
    SlotSpec("13:20", "14:00", kind="break"),
]


def _create(db: Session, slots: list[SlotSpec], rooms: list[RoomSpec] = ROOMS) -> events.CreatedEvent:
    return events.create_event(
        db, name="Summit", date="2027-03-13", timezone="America/Los_Angeles", rooms=rooms, slots=slots
    )


def _day(db: Session, event: Event) -> list[tuple[str, str, SlotKind, str, str | None]]:
    rooms = {r.id: r.name for r in events.list_rooms(db, event)}
    return [
        (s.start, s.end, s.kind, s.title, rooms.get(s.room_id) if s.room_id else None)
        for s in events.list_slots(db, event)
    ]


def test_create_event_keeps_each_slot_kind_title_and_room_in_time_order(db: Session) -> None:
    created = _create(db, DAY)
    assert _day(db, created.event) == [
        ("08:30", "09:15", SlotKind.plenary, "Opening keynote", "Auditorium"),
        ("09:30", "10:20", SlotKind.sessions, "", None),
        ("10:30", "11:20", SlotKind.sessions, "", None),
        ("12:20", "13:10", SlotKind.break_, "Lunch in the cafeteria", "Cafeteria"),
        ("13:20", "14:00", SlotKind.break_, "", None),
    ]


def test_a_day_of_plenaries_only_is_allowed(db: Session) -> None:
    created = _create(db, [SlotSpec("09:00", "10:00", kind="plenary", title="Keynote")])
    assert [s.kind for s in events.list_slots(db, created.event)] == [SlotKind.plenary]


@pytest.mark.parametrize(
    ("slot", "field", "words"),
    [
        (SlotSpec("09:00", "10:00", kind="plenary"), "slots[0].title", "a plenary needs a title"),
        (SlotSpec("09:00", "10:00", kind="plenary", title="   "), "slots[0].title", "a plenary needs a title"),
        (SlotSpec("09:00", "10:00", kind="lunch", title="Lunch"), "slots[0].kind", "'lunch' is not a kind of slot"),
        (
            SlotSpec("09:00", "10:00", kind="break", room="Gym"),
            "slots[0].room",
            "'Gym' is not one of the event's rooms",
        ),
        (SlotSpec("09:00", "10:00", kind="plenary", title="x" * 121), "slots[0].title", "at most 120 characters"),
        (SlotSpec("09:00", "10:00", title="Keynote"), "slots[0].title", "a sessions slot"),
        (SlotSpec("09:00", "10:00", room="Library"), "slots[0].room", "a sessions slot"),
    ],
)
def test_a_slot_that_breaks_its_kind_is_refused_naming_the_field(
    db: Session, slot: SlotSpec, field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(db, [slot])
    assert refused.value.field == field
    assert words in refused.value.message
    assert events.count_events(db) == 0


def test_overlapping_slots_are_refused_whatever_their_kind(db: Session) -> None:
    slots = [SlotSpec("09:00", "10:00", kind="plenary", title="Keynote"), SlotSpec("09:30", "10:30", kind="break")]
    with pytest.raises(InvalidInput) as refused:
        _create(db, slots)
    assert [e.field for e in refused.value.field_errors] == ["slots[1].start"]


def test_every_slot_problem_is_told_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_slots(
            [SlotSpec("09:00", "10:00", kind="plenary"), SlotSpec("10:00", "09:00", kind="nap")], rooms=["Library"]
        )
    assert [e.field for e in refused.value.field_errors] == ["slots[0].title", "slots[1].kind", "slots[1].end"]


def test_a_slot_room_is_left_unchecked_when_the_rooms_are_unknown() -> None:
    valid = validate_slots([SlotSpec("09:00", "10:00", kind="break", title="Lunch", room="Gym")], rooms=None)
    assert [(s.kind, s.title, s.room) for s in valid] == [(SlotKind.break_, "Lunch", "Gym")]


def test_a_blank_form_row_with_the_default_kind_is_skipped() -> None:
    valid = validate_slots([SlotSpec("09:00", "10:00"), SlotSpec("", "", kind="sessions", title=" ", room="")])
    assert [(s.start, s.kind) for s in valid] == [("09:00", SlotKind.sessions)]


# --- the event file -----------------------------------------------------------------------------


def _slots_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    names = {room["id"]: room["name"] for room in document["rooms"]}
    return [{**slot, "id": None, "room": names.get(slot.get("room"))} for slot in document["slots"]]


def test_export_writes_kind_title_and_room_and_import_brings_them_back(db: Session) -> None:
    created = _create(db, DAY)
    exported = eventfile.export_event(db, created.event)
    auditorium = next(r["id"] for r in exported["rooms"] if r["name"] == "Auditorium")
    assert exported["slots"][0] == {
        "id": exported["slots"][0]["id"],
        "start": "08:30",
        "end": "09:15",
        "kind": "plenary",
        "title": "Opening keynote",
        "room": auditorium,
    }
    # A sessions slot is written as before kinds (the format's default), so older readers see the same.
    assert exported["slots"][1] == {"id": exported["slots"][1]["id"], "start": "09:30", "end": "10:20"}
    assert [s.get("kind") for s in exported["slots"]] == ["plenary", None, None, "break", "break"]

    imported = eventfile.import_event(db, exported)
    assert _day(db, imported.created.event) == _day(db, created.event)
    assert _slots_of(eventfile.export_event(db, imported.created.event)) == _slots_of(exported)


def test_an_older_file_without_kinds_reads_as_session_slots(db: Session) -> None:
    old = {
        "format": "twofeet.event/1",
        "event": {"name": "Edcamp 2025", "date": "2025-03-13", "timezone": "America/Los_Angeles"},
        "rooms": [{"id": "lib", "name": "Library", "capacity": 40}],
        "slots": [{"id": "s1", "start": "09:30", "end": "10:20"}, {"id": "s2", "start": "10:30", "end": "11:20"}],
    }
    imported = eventfile.import_event(db, old)
    assert _day(db, imported.created.event) == [
        ("09:30", "10:20", SlotKind.sessions, "", None),
        ("10:30", "11:20", SlotKind.sessions, "", None),
    ]


def _count_events(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize(
    ("change", "key", "ident"),
    [
        (lambda d: d["slots"][0].__setitem__("kind", "keynote"), "slots[0].kind", "keynote"),
        (lambda d: d["slots"][3].__setitem__("room", "r-gym"), "slots[3].room", "r-gym"),
        (lambda d: d["slots"][3].__setitem__("room", 7), "slots[3].room", "7"),
        (lambda d: d["slots"][0].pop("title"), "slots[0].title", None),
        (lambda d: d["slots"][1].__setitem__("title", "Lunch"), "slots[1].title", None),
    ],
)
def test_a_file_with_a_bad_slot_kind_or_room_is_refused_by_key_and_id(
    db: Session, change: Any, key: str, ident: str | None
) -> None:
    document = copy.deepcopy(eventfile.export_event(db, _create(db, DAY).event))
    before = (_count_events(db), db.scalar(select(func.count()).select_from(TimeSlot)))
    change(document)
    with pytest.raises(InvalidInput) as refused:
        eventfile.import_event(db, document)
    assert refused.value.field == key
    assert refused.value.message.startswith(key)
    if ident is not None:
        assert ident in refused.value.message
    db.rollback()
    assert (_count_events(db), db.scalar(select(func.count()).select_from(TimeSlot))) == before


# --- the schedule: topics only in sessions slots -------------------------------------------------


def _marked_day(db: Session) -> tuple[events.CreatedEvent, list[int]]:
    created = _create(db, DAY)
    event = created.event
    events.set_phase(db, event=event, phase="proposing", actor=created.organizer)
    people = [attendees.join_event(db, event=event, name=f"T{i}") for i in range(6)]
    made = [topics.propose_topic(db, event=event, author=people[i], title=f"Topic {i}") for i in range(5)]
    for i, person in enumerate(people):
        for k in range(3):  # three marks each, more than the two sessions slots
            marking.mark_topic(db, event=event, attendee=person, topic=made[(i + k) % 5])
    return created, [saved_id(t) for t in made]


def test_a_build_places_sessions_only_in_sessions_slots(engine: sa.Engine, db: Session) -> None:
    created, _made = _marked_day(db)
    jobs = BuildJobs(engine, time_limit=5)
    job = jobs.start(event_id=saved_id(created.event), organizer_id=created.organizer.id)
    deadline = time.monotonic() + 60
    while job.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.done and job.error is None, job.error
    draft = drafting.current_draft(db, event=created.event)
    assert draft is not None
    kinds = {s.id: s.kind for s in events.list_slots(db, created.event)}
    placed = drafting.placements_of(db, draft)
    assert len(placed) == 5
    assert {kinds[p.slot_id] for p in placed} == {SlotKind.sessions}
    assert draft.stats["upper_bound"] == 6 * 2  # two sessions slots: S is 2, not the day's 5 slots


def test_a_build_of_a_day_without_sessions_slots_is_refused_before_it_starts(db: Session) -> None:
    created = _create(db, [SlotSpec("09:00", "10:00", kind="plenary", title="Keynote")])
    with pytest.raises(Conflict) as refused:
        building.check_build(db, event=created.event, keep_before_slot=None)
    assert refused.value.field == "slots"
    assert "nowhere to place sessions" in refused.value.message


def test_placing_or_moving_a_session_into_a_plenary_or_a_break_is_refused_naming_the_slot(db: Session) -> None:
    created, made = _marked_day(db)
    event, organizer = created.event, created.organizer
    slots = events.list_slots(db, event)
    rooms = events.list_rooms(db, event)
    keynote, lunch = slots[0], slots[3]
    sessions = [s for s in slots if s.kind == SlotKind.sessions]
    with pytest.raises(Conflict) as refused:
        moves.place(
            db, event=event, topic_id=made[0], room_id=saved_id(rooms[0]), slot_id=saved_id(keynote), actor=organizer
        )
    assert refused.value.field == "slot_id"
    assert refused.value.message == (
        "The 08:30 slot (Opening keynote) is a plenary, not a sessions slot; sessions go only in sessions slots."
    )
    placement = moves.place(
        db, event=event, topic_id=made[0], room_id=saved_id(rooms[1]), slot_id=saved_id(sessions[0]), actor=organizer
    )
    with pytest.raises(Conflict) as refused:
        moves.move(
            db,
            event=event,
            placement_id=saved_id(placement),
            room_id=saved_id(rooms[1]),
            slot_id=saved_id(lunch),
            actor=organizer,
        )
    assert refused.value.field == "slot_id" and "is a break" in refused.value.message
    with pytest.raises(Conflict):
        moves.preview_move(
            db, event=event, placement_id=saved_id(placement), room_id=saved_id(rooms[1]), slot_id=saved_id(lunch)
        )
    db.refresh(placement)
    assert placement.slot_id == sessions[0].id


def test_closing_a_room_from_a_break_is_refused_naming_the_slot(db: Session) -> None:
    created, _made = _marked_day(db)
    event = created.event
    lunch = events.list_slots(db, event)[3]
    room = events.list_rooms(db, event)[1]
    events.set_phase(db, event=event, phase="voting", actor=created.organizer)
    with pytest.raises(Conflict) as refused:
        midday.close_room_from(
            db, event=event, room_id=saved_id(room), slot_id=saved_id(lunch), actor=created.organizer
        )
    assert refused.value.field == "slot_id" and "Lunch in the cafeteria" in refused.value.message
    db.refresh(room)
    assert room.unavailable_slots == []
