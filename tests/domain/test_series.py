"""A new event like this one: what is copied (rooms, slots, talks, marking rules), and, explicitly,
everything that stays with the earlier day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, SQLModel, col, func, select

from app.domain import audit, claims, events, feedback, marking, notes, organizers, series
from app.domain.errors import InvalidInput, NotAllowed
from app.domain.events import CreatedEvent
from app.models import AuditEntry, Event, Organizer, Phase, Placement, Room, SlotKind, Talk, TalkFeedback, TimeSlot
from tests.factories import make_attendee, make_event, make_topic, publish_cells

# Tables that hold the day itself: none of their rows may reach the copy.
COPIED = {"room", "time_slot", "talk", "organizer"}


def _earlier_day(db: Session) -> CreatedEvent:
    """Last year's event, lived through: a plenary with talks (one run on the day), a lunch, a room
    closed at lunch, marking rules changed, people, topics, marks, a claim, a published schedule,
    notes, feedback, an announcement, a co-organizer and an audit log."""
    created = make_event(db, rooms=3, slots=3, name="Edcamp Valley")
    event, owner = created.event, created.organizer
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    slots[0].kind, slots[0].title, slots[0].room_id = SlotKind.plenary, "Welcome and EdTalks", rooms[1].id
    slots[2].kind, slots[2].title = SlotKind.break_, "Lunch in the cafeteria"
    rooms[2].unavailable_slots = [slots[2].id]  # type: ignore[list-item]
    db.add_all([slots[0], slots[2], rooms[2]])
    started = datetime(2026, 3, 13, 16, 0, tzinfo=UTC)
    first_talk = Talk(
        event_id=event.id,  # type: ignore[arg-type]
        slot_id=slots[0].id,  # type: ignore[arg-type]
        position=0,
        speaker="Ms. Rivera",
        title="Why I teach",
        minutes=12,
        bio="Teaches 4th grade.",
        started_at=started,
        ended_at=started,
    )
    db.add(first_talk)
    db.add(Talk(event_id=event.id, slot_id=slots[0].id, position=1, speaker="Mr. Okafor", title="Math talks"))  # type: ignore[arg-type]
    db.commit()
    events.update_settings(
        db,
        event=event,
        vote_budget=5,
        hide_counts=True,
        shuffle_topics=True,
        facilitator_limit=2,
        min_interest=4,
        actor=owner,
    )
    events.set_board_theme(db, event=event, theme="light", actor=owner)
    organizers.invite(db, event=event, name="Sam", actor=owner)
    rivera, lee = make_attendee(db, event, "Ms. Rivera"), make_attendee(db, event, "Mr. Lee")
    topic = make_topic(db, event, rivera, title="Math talks")
    marking.mark_topic(db, event=event, attendee=lee, topic=topic)
    claims.claim_topic(db, event=event, attendee=rivera, topic=topic)
    publish_cells(db, created, [(topic.id, rooms[0].id, slots[1].id)])  # type: ignore[list-item]
    notes.save_note(db, event=event, topic=topic, author=lee, text="Number talks, every morning", base_revision=0)
    feedback.give_session_feedback(db, event=event, topic=topic, attendee=lee, rating=5, will_try="number talks")
    feedback.give_event_feedback(db, event=event, attendee=lee, rating=4)
    notes.add_resource(db, event=event, topic=topic, by=lee, url="https://example.org/number-talks")
    db.add(TalkFeedback(event_id=event.id, talk_id=first_talk.id, attendee_id=lee.id, rating=5))  # type: ignore[arg-type]
    events.set_announcement(db, event=event, text="Lunch is in the cafeteria", actor=owner)
    events.set_phase(db, event=event, phase=Phase.closed, actor=owner)
    return created


def _placements_in(db: Session, event: Event) -> int:
    """Placements (of any schedule version) in the event's rooms."""
    rooms = [r.id for r in events.list_rooms(db, event)]
    return db.scalar(select(func.count()).select_from(Placement).where(col(Placement.room_id).in_(rooms))) or 0


def _rows_of(db: Session, event: Event) -> dict[str, int]:
    """Rows of every table with an ``event_id``, for ``event``."""
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        if "event_id" in table.columns:
            counts[table.name] = db.scalar(select(func.count()).select_from(table).where(table.c.event_id == event.id))
    return counts


def test_the_new_event_has_the_rooms_slots_talks_and_rules(db: Session) -> None:
    earlier = _earlier_day(db)
    source, owner = earlier.event, earlier.organizer
    owner.name = "Alex"
    db.add(owner)
    db.commit()
    created = series.copy_event(db, source=source, actor=owner, date="2027-03-11", name="Edcamp Valley 2027")
    new = created.event
    assert (new.name, new.date, new.timezone, new.phase) == (
        "Edcamp Valley 2027",
        "2027-03-11",
        source.timezone,
        Phase.setup,
    )
    assert new.code != source.code and new.organizer_secret_hash != source.organizer_secret_hash
    rules = ("vote_budget", "hide_counts", "shuffle_topics", "facilitator_limit", "min_interest", "board_theme")
    assert [getattr(new, rule) for rule in rules] == [5, True, True, 2, 4, "light"]
    old_rooms, new_rooms = events.list_rooms(db, source), events.list_rooms(db, new)
    new_slots = events.list_slots(db, new)
    assert [(r.name, r.capacity, r.features, r.position) for r in new_rooms] == [
        (r.name, r.capacity, r.features, r.position) for r in old_rooms
    ]
    assert {r.id for r in new_rooms}.isdisjoint({r.id for r in old_rooms})
    assert [(s.start, s.end, s.kind, s.title) for s in new_slots] == [
        ("09:00", "09:50", SlotKind.plenary, "Welcome and EdTalks"),
        ("10:00", "10:50", SlotKind.sessions, ""),
        ("11:00", "11:50", SlotKind.break_, "Lunch in the cafeteria"),
    ]
    assert [s.room_id for s in new_slots] == [new_rooms[1].id, None, None]  # the copy's own room
    assert [s.id for s in new_slots] != [s.id for s in events.list_slots(db, source)]
    assert [r.unavailable_slots for r in new_rooms] == [[], [], [new_slots[2].id]]
    talks = list(db.scalars(select(Talk).where(Talk.event_id == new.id).order_by(col(Talk.position))))
    assert [(t.slot_id, t.position, t.speaker, t.title, t.minutes, t.bio) for t in talks] == [
        (new_slots[0].id, 0, "Ms. Rivera", "Why I teach", 12, "Teaches 4th grade."),
        (new_slots[0].id, 1, "Mr. Okafor", "Math talks", 15, ""),
    ]
    assert [(t.started_at, t.ended_at) for t in talks] == [(None, None), (None, None)]  # not yet run


def test_nothing_of_the_day_itself_is_copied(db: Session) -> None:
    earlier = _earlier_day(db)
    source = earlier.event
    before = _rows_of(db, source)
    created = series.copy_event(db, source=source, actor=earlier.organizer, date="2027-03-11")
    new = created.event
    copied = _rows_of(db, new)
    # Each of these held rows on the earlier day, and none of them is in the copy.
    for table in ("attendee", "topic", "interest", "facilitator_claim", "schedule_run", "session_note", "resource"):
        assert before[table] > 0 and copied[table] == 0, table
    for table in ("session_feedback", "event_feedback", "talk_feedback", "board_event", "audit_entry"):
        assert before[table] > 0 and copied[table] == 0, table
    assert _placements_in(db, source) > 0 and _placements_in(db, new) == 0
    # ... and no other table holds anything of it either.
    assert {table for table, count in copied.items() if count} == COPIED
    assert (new.announcement, new.board_sequence, new.phase_before_close) == ("", 0, None)
    # The one who made it is its only organizer, made as event creation makes one: no password,
    # the new event's own link (shown once); the co-organizer Sam stays with the earlier day.
    people = organizers.list_organizers(db, event=new)
    assert [(o.id, o.name, o.password_hash, o.secret_hash) for o in people] == [
        (created.organizer.id, earlier.organizer.name, None, None)
    ]
    # The earlier event is untouched, and its log says who made the copy.
    after = _rows_of(db, source)
    assert after == {**before, "audit_entry": before["audit_entry"] + 1}
    line = audit.entries(db, event=source)[0]
    assert (line.action, line.organizer_id) == ("new_event_like_this", earlier.organizer.id)
    assert new.code in line.detail and "2027-03-11" in line.detail
    assert organizers.organizer_by_secret(db, event=new, secret=created.secret).id == created.organizer.id
    with pytest.raises(NotAllowed):
        organizers.organizer_by_secret(db, event=source, secret=created.secret)


def test_the_name_stays_the_same_unless_a_new_one_is_given(db: Session) -> None:
    created = make_event(db, name="Edcamp Series")
    copy = series.copy_event(db, source=created.event, actor=created.organizer, date="2028-01-08", name="   ")
    assert copy.event.name == "Edcamp Series"


@pytest.mark.parametrize(
    ("date", "name", "field"),
    [("", "", "date"), ("2027-02-30", "", "date"), ("next year", "", "date"), ("2027-03-11", "x" * 121, "name")],
)
def test_a_bad_date_or_name_is_refused_naming_it_and_nothing_is_made(
    db: Session, date: str, name: str, field: str
) -> None:
    created = make_event(db)
    with pytest.raises(InvalidInput) as refused:
        series.copy_event(db, source=created.event, actor=created.organizer, date=date, name=name)
    assert refused.value.field == field and refused.value.message.startswith(f"{field}: ")
    db.rollback()
    assert events.count_events(db) == 1


def test_only_an_organizer_of_the_event_may_copy_it(db: Session) -> None:
    mine, theirs = make_event(db, name="Mine"), make_event(db, name="Theirs")
    with pytest.raises(NotAllowed, match="Only an organizer of this event"):
        series.copy_event(db, source=mine.event, actor=theirs.organizer, date="2028-01-08")
    sam, _secret = organizers.invite(db, event=mine.event, name="Sam", actor=mine.organizer)
    organizers.remove(db, event=mine.event, organizer_id=sam.id, actor=mine.organizer)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        series.copy_event(db, source=mine.event, actor=sam, date="2028-01-08")
    assert events.count_events(db) == 2
    assert db.scalar(select(func.count()).select_from(Room)) == 4
    assert db.scalar(select(func.count()).select_from(TimeSlot)) == 4
    assert db.scalar(select(func.count()).select_from(Organizer)) == 3
    assert not [e for e in db.scalars(select(AuditEntry)) if e.action == "new_event_like_this"]


def test_a_co_organizer_may_copy_it_and_runs_the_copy_alone(db: Session) -> None:
    created = make_event(db)
    sam, _secret = organizers.invite(db, event=created.event, name="Sam", actor=created.organizer)
    copy = series.copy_event(db, source=created.event, actor=sam, date="2028-01-08")
    assert [o.name for o in organizers.list_organizers(db, event=copy.event)] == ["Sam"]


def test_a_sessions_slot_is_copied_without_a_title_or_room_an_older_row_kept(db: Session) -> None:
    created = make_event(db, slots=2)
    rooms, slots = events.list_rooms(db, created.event), events.list_slots(db, created.event)
    slots[1].title, slots[1].room_id = "Was the keynote", rooms[0].id  # still a sessions slot
    db.add(slots[1])
    db.commit()
    copy = series.copy_event(db, source=created.event, actor=created.organizer, date="2028-01-08")
    assert [(s.kind, s.title, s.room_id) for s in events.list_slots(db, copy.event)] == [
        (SlotKind.sessions, "", None),
        (SlotKind.sessions, "", None),
    ]
