from __future__ import annotations

import pytest
from sqlmodel import Session

from app.domain import audit, events, organizers
from app.domain.errors import Conflict, InvalidInput, NotAllowed, plain_messages
from app.domain.events import CODE_ALPHABET
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import Phase
from tests.factories import make_event


def _create(db: Session, **overrides: object) -> events.CreatedEvent:
    values: dict[str, object] = {
        "name": "Edcamp",
        "date": "2027-03-13",
        "timezone": "America/Los_Angeles",
        "rooms": [RoomSpec("Library", 60, ["Projector", "projector", "accessible"])],
        "slots": [SlotSpec("9:30", "10:20")],
    }
    values.update(overrides)
    return events.create_event(db, **values)  # type: ignore[arg-type]


def test_create_event_makes_code_rooms_and_slots(db: Session) -> None:
    created = _create(db)
    assert len(created.event.code) == 6
    assert set(created.event.code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    rooms = events.list_rooms(db, created.event)
    assert [(r.name, r.capacity, r.features) for r in rooms] == [("Library", 60, ["projector", "accessible"])]
    assert [(s.start, s.end) for s in events.list_slots(db, created.event)] == [("09:30", "10:20")]
    assert created.event.phase == Phase.setup


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"date": "13/03/2027"}, "date"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"rooms": []}, "rooms"),
        ({"rooms": [RoomSpec("A", 0)]}, "rooms[0].capacity"),
        ({"rooms": [RoomSpec("A", 10), RoomSpec("a", 10)]}, "rooms[1].name"),
        ({"slots": []}, "slots"),
        ({"slots": [SlotSpec("10:00", "09:00")]}, "slots[0].end"),
        ({"slots": [SlotSpec("25:00", "26:00")]}, "slots[0].start"),
        ({"slots": [SlotSpec("09:00", "10:00"), SlotSpec("09:30", "10:30")]}, "slots[1].start"),
        ({"password": "short"}, "password"),
    ],
)
def test_create_event_refusal_names_the_field(db: Session, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _create(db, **overrides)
    assert caught.value.field == field
    assert caught.value.message.startswith(field)
    assert events.count_events(db) == 0


def test_code_lookup_ignores_case_and_spaces(db: Session) -> None:
    created = _create(db)
    code = created.event.code
    assert events.require_event(db, f" {code[:3].lower()}-{code[3:]} ").id == created.event.id


def test_organizer_secret_and_password(db: Session) -> None:
    created = _create(db, password="correct horse")
    assert organizers.organizer_by_secret(db, event=created.event, secret=created.secret).id == created.organizer.id
    assert (
        organizers.organizer_by_password(db, event=created.event, password="correct horse").id == created.organizer.id
    )
    with pytest.raises(NotAllowed):
        organizers.organizer_by_secret(db, event=created.event, secret="wrong")
    with pytest.raises(NotAllowed):
        organizers.organizer_by_password(db, event=created.event, password="wrong password")
    assert created.secret not in created.event.organizer_secret_hash


def test_rotating_the_link_invalidates_the_old_secret(db: Session) -> None:
    created = _create(db)
    new_secret = organizers.rotate_organizer_secret(
        db, event=created.event, actor=organizers.require_first_organizer(db, created.event)
    )
    with pytest.raises(NotAllowed):
        organizers.organizer_by_secret(db, event=created.event, secret=created.secret)
    assert organizers.organizer_by_secret(db, event=created.event, secret=new_secret).id == created.organizer.id


def test_set_phase_records_a_board_event(db: Session) -> None:
    created = make_event(db, phase=Phase.setup)
    events.set_phase(
        db, event=created.event, phase="voting", actor=organizers.require_first_organizer(db, created.event)
    )
    db.refresh(created.event)
    assert created.event.phase == Phase.voting
    assert created.event.board_sequence == 1
    with pytest.raises(InvalidInput) as caught:
        events.set_phase(
            db, event=created.event, phase="lunch", actor=organizers.require_first_organizer(db, created.event)
        )
    assert caught.value.field == "phase"


def test_vote_budget_out_of_range_is_refused(db: Session) -> None:
    created = make_event(db)
    with pytest.raises(InvalidInput) as caught:
        events.update_settings(
            db,
            event=created.event,
            vote_budget=0,
            hide_counts=False,
            shuffle_topics=False,
            actor=organizers.require_first_organizer(db, created.event),
        )
    assert caught.value.field == "vote_budget"


def test_create_event_reports_every_problem_at_once_in_plain_words(db: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        _create(
            db,
            name=" ",
            rooms=[
                RoomSpec("Library", "thirty"),
                RoomSpec("", "", []),
                RoomSpec("Gym", "0"),
                RoomSpec("library", "20"),
            ],
            slots=[
                SlotSpec("09:30", "09:00"),
                SlotSpec("", ""),
                SlotSpec("10:00", "11:00"),
                SlotSpec("10:30", "11:30"),
            ],
        )
    assert [e.field for e in caught.value.errors] == [
        "name",
        "rooms[0].capacity",
        "rooms[2].capacity",
        "rooms[3].name",
        "slots[0].end",
        "slots[3].start",
    ]
    plain = plain_messages(caught.value)
    assert plain["rooms[0].capacity"] == "Room 1: seats must be a whole number from 1 to 10000"
    assert plain["rooms[3].name"] == "Room 4: 'library' is listed twice (Room 1 has that name)"
    assert plain["slots[0].end"] == "Slot 1: the slot must end after it starts (9:30 AM)"
    assert plain["slots[3].start"] == "Slot 4: 10:30 AM–11:30 AM overlaps Slot 3 (10:00 AM–11:00 AM)"
    assert plain["name"] == "Name: please give a name"
    assert caught.value.message.startswith("name: please give a name.")
    assert events.count_events(db) == 0


def test_schedule_published_needs_a_published_schedule(db: Session) -> None:
    created = make_event(db, phase=Phase.scheduled)
    with pytest.raises(Conflict) as refused:
        events.set_phase(
            db, event=created.event, phase="live", actor=organizers.require_first_organizer(db, created.event)
        )
    assert refused.value.status_code == 409 and refused.value.field == "phase"
    assert "Publish" in refused.value.message
    db.refresh(created.event)
    assert created.event.phase == Phase.scheduled and created.event.board_sequence == 1


def test_closing_can_be_undone_back_to_the_phase_it_closed_from(db: Session) -> None:
    created = make_event(db, phase=Phase.voting)
    event = created.event
    events.set_phase(db, event=event, phase="closed", actor=created.organizer)
    assert event.phase == Phase.closed and events.reopen_phase(db, event=event) == Phase.voting
    events.reopen_event(db, event=event, actor=created.organizer)
    assert event.phase == Phase.voting and event.phase_before_close is None
    with pytest.raises(Conflict):
        events.reopen_event(db, event=event, actor=created.organizer)
    entries = [e.detail for e in audit.entries(db, event=event)]
    assert entries[:2] == ["Closed → Marking only (reopened)", "Marking only → Closed"]
