"""Each plenary's talks in the event file (``slots[].talks``), and importing only an event file's set-up."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlmodel import Session

from app.domain import eventfile, events, series, talks
from app.domain.errors import InvalidInput
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import SlotKind
from tests.factories import make_attendee, make_topic


def _day_with_talks(db: Session) -> events.CreatedEvent:
    created = events.create_event(
        db,
        name="Edcamp Talks",
        date="2027-03-13",
        timezone="America/Denver",
        rooms=[RoomSpec("Auditorium", 300, ["projector"]), RoomSpec("Library", 40)],
        slots=[
            SlotSpec("08:45", "09:30", kind="plenary", title="Opening and EdTalks", room="Auditorium"),
            SlotSpec("09:40", "10:30"),
            SlotSpec("12:00", "12:45", kind="break", title="Lunch"),
        ],
        vote_budget=3,
    )
    plenary = events.list_slots(db, created.event)[0]
    for speaker, title, minutes in (("Ms. Rivera", "Why I teach", 12), ("Mr. Okafor", "Math talks", 15)):
        talks.add_talk(
            db,
            event=created.event,
            slot_id=plenary.id,  # type: ignore[arg-type]
            speaker=speaker,
            title=title,
            minutes=minutes,
            bio=f"{speaker} teaches.",
            actor=created.organizer,
        )
    events.set_board_theme(db, event=created.event, theme="light", actor=created.organizer)
    return created


def test_export_writes_each_plenarys_talks_under_its_slot_and_import_brings_them_back(db: Session) -> None:
    created = _day_with_talks(db)
    document = eventfile.export_event(db, created.event)
    assert [slot.get("talks") for slot in document["slots"]] == [
        [
            {"speaker": "Ms. Rivera", "title": "Why I teach", "minutes": 12, "bio": "Ms. Rivera teaches."},
            {"speaker": "Mr. Okafor", "title": "Math talks", "minutes": 15, "bio": "Mr. Okafor teaches."},
        ],
        None,
        None,
    ]
    assert document["settings"]["board_theme"] == "light"
    imported = eventfile.import_event(db, document)
    assert imported.talks == 2 and imported.created.event.board_theme == "light"
    again = eventfile.export_event(db, imported.created.event)
    assert [s.get("talks") for s in again["slots"]] == [s.get("talks") for s in document["slots"]]


def _refused(db: Session, document: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        eventfile.import_event(db, document)
    db.rollback()
    return refused.value


def test_a_bad_talk_is_refused_naming_its_key_and_slot(db: Session) -> None:
    document = eventfile.export_event(db, _day_with_talks(db).event)
    before = events.count_events(db)
    bad_minutes = copy.deepcopy(document)
    bad_minutes["slots"][0]["talks"][1]["minutes"] = 0
    error = _refused(db, bad_minutes)
    plenary = document["slots"][0]["id"]
    assert error.field == "slots[0].talks[1].minutes" and f"slot '{plenary}'" in error.message
    no_speaker = copy.deepcopy(document)
    no_speaker["slots"][0]["talks"][0]["speaker"] = 42
    assert _refused(db, no_speaker).field == "slots[0].talks[0].speaker"
    in_sessions = copy.deepcopy(document)
    in_sessions["slots"][1]["talks"] = [{"speaker": "Ms. Rivera", "title": "Why I teach"}]
    error = _refused(db, in_sessions)
    assert error.field == "slots[1].talks" and "not a plenary" in error.message
    not_a_list = copy.deepcopy(document)
    not_a_list["slots"][0]["talks"] = "Ms. Rivera"
    assert _refused(db, not_a_list).field == "slots[0].talks"
    assert events.count_events(db) == before  # nothing was left behind by any refusal


def test_a_setup_only_import_leaves_the_day_out_and_says_what(db: Session) -> None:
    created = _day_with_talks(db)
    event = created.event
    events.set_phase(db, event=event, phase="proposing", actor=created.organizer)
    rivera = make_attendee(db, event, "Ms. Rivera")
    make_topic(db, event, rivera, title="Number talks")
    make_topic(db, event, rivera, title="Recess duty swaps")
    document = eventfile.export_event(db, event)
    setup = series.import_setup(db, document, date="2028-03-11")
    new = setup.imported.created.event
    assert setup.left_out == {"attendee": 1, "topics": 2}
    assert (setup.imported.topics, setup.imported.attendees, setup.imported.interests) == (0, 0, 0)
    assert (new.name, new.date, new.timezone, new.vote_budget, new.phase.value) == (
        "Edcamp Talks",
        "2028-03-11",
        "America/Denver",
        3,
        "setup",
    )
    slots = events.list_slots(db, new)
    assert [(s.start, s.kind, s.title) for s in slots] == [
        ("08:45", SlotKind.plenary, "Opening and EdTalks"),
        ("09:40", SlotKind.sessions, ""),
        ("12:00", SlotKind.break_, "Lunch"),
    ]
    assert slots[0].room_id == events.list_rooms(db, new)[0].id
    assert [(t.speaker, t.position) for t in talks.talks_of(db, slot=slots[0])] == [
        ("Ms. Rivera", 0),
        ("Mr. Okafor", 1),
    ]
    exported = eventfile.export_event(db, new)
    assert (exported["attendees"], exported["topics"], exported["interests"]) == ([], [], [])


def test_a_setup_only_import_refuses_a_bad_date_and_still_checks_the_setup(db: Session) -> None:
    document = eventfile.export_event(db, _day_with_talks(db).event)
    with pytest.raises(InvalidInput) as refused:
        series.import_setup(db, document, date="2028-02-30")
    assert refused.value.field == "date"
    broken = copy.deepcopy(document)
    broken["rooms"][0]["capacity"] = -1
    broken["topics"] = "not even a list"  # left out, so not the reason
    with pytest.raises(InvalidInput) as refused:
        series.import_setup(db, broken)
    assert refused.value.field == "rooms[0].capacity"
    db.rollback()
    assert events.count_events(db) == 1
