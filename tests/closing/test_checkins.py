"""Check-in per session, the write side: the door's QR code, "I'm here", moves, by hand, paper counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.domain import attendance, checkins, events
from app.domain.errors import Conflict, InvalidInput, NotFound, WrongPhase
from app.models import AuditEntry, BoardEvent, Phase
from app.models.closing import CheckIn, PaperCount
from tests.closing.checkin_day import checkin_day
from tests.factories import make_attendee


def _changes(session: Session, event_id: int) -> int:
    return len(
        session.exec(select(BoardEvent).where(BoardEvent.event_id == event_id, BoardEvent.kind == "checked_in")).all()
    )


def test_moving_between_rooms_keeps_both_times_and_a_rescan_changes_nothing(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event, name="Ana")
    first = checkins.check_in(
        session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("10:05")
    )
    assert (first.topic_id, first.source, first.left_at) == (day.topics["Math talks"].id, "door", None)
    assert checkins.as_utc(first.at) == day.at("10:05")
    changes = _changes(session, day.event.id)  # type: ignore[arg-type]
    again = checkins.check_in(
        session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("10:07")
    )
    assert again.id == first.id and _changes(session, day.event.id) == changes  # type: ignore[arg-type]
    moved = checkins.check_in(
        session, event=day.event, attendee=me, topic_id=day.topics["Robotics"].id, source="tap", now=day.at("10:30")
    )
    session.refresh(first)
    assert checkins.as_utc(first.left_at) == day.at("10:30")  # type: ignore[arg-type]
    assert (moved.topic_id, moved.room_id, moved.left_at) == (day.topics["Robotics"].id, day.rooms["Gym"].id, None)
    assert checkins.as_utc(moved.at) == day.at("10:30")
    assert _changes(session, day.event.id) == changes + 1  # type: ignore[arg-type]
    here = checkins.where_now(session, event=day.event, attendee=me, now=day.at("10:40"))
    assert here is not None and here.id == moved.id
    assert checkins.headcounts(session, event=day.event, slot_id=day.slots[1].id) == {day.topics["Robotics"].id: 1}  # type: ignore[arg-type]


def test_check_in_opens_ten_minutes_early_and_the_plenary_has_no_session(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event)
    early = checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Hall"].id, now=day.at("13:52"))
    assert (early.slot_id, early.topic_id, early.room_id) == (day.slots[2].id, None, day.rooms["Hall"].id)
    # At 13:52 the Library's door still checks in to Math talks? No: the plenary starts soon, and it is in the Hall.
    library = checkins.check_in(
        session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("13:53")
    )
    assert (library.slot_id, library.topic_id) == (day.slots[1].id, day.topics["Math talks"].id)
    with pytest.raises(Conflict) as refused:
        checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Hall"].id, now=day.at("13:30"))
    assert str(refused.value).startswith("room_id: nothing runs in the Hall now")


def test_refusals_name_the_field(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event)
    with pytest.raises(Conflict) as free:
        checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Hall"].id, now=day.at("10:05"))
    assert free.value.field == "room_id"
    with pytest.raises(Conflict) as later:
        checkins.check_in(session, event=day.event, attendee=me, topic_id=day.topics["Reading"].id, now=day.at("10:05"))
    assert later.value.field == "topic_id" and "Reading is not running now" in str(later.value)
    with pytest.raises(NotFound) as unknown:
        checkins.check_in(session, event=day.event, attendee=me, room_id=999999, now=day.at("10:05"))
    assert unknown.value.field == "room_id"
    with pytest.raises(InvalidInput) as nothing:
        checkins.check_in(session, event=day.event, attendee=me, now=day.at("10:05"))
    assert nothing.value.field == "room_id"
    with pytest.raises(Conflict):  # a break: nothing to check into
        checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Hall"].id, now=day.at("15:10"))
    events.set_phase(session, event=day.event, phase=Phase.closed, actor=day.created.organizer)
    with pytest.raises(WrongPhase):
        checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("10:05"))


def test_undo_forgets_the_check_in_and_reopens_the_one_it_left(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event)
    first = checkins.check_in(
        session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("10:05")
    )
    checkins.check_in(session, event=day.event, attendee=me, room_id=day.rooms["Gym"].id, now=day.at("10:20"))
    removed = checkins.undo_check_in(session, event=day.event, attendee=me, now=day.at("10:21"))
    assert removed is not None and removed.topic_id == day.topics["Robotics"].id
    session.refresh(first)
    assert first.left_at is None
    assert checkins.where_now(session, event=day.event, attendee=me, now=day.at("10:22")).id == first.id  # type: ignore[union-attr]
    assert checkins.undo_check_in(session, event=day.event, attendee=me, now=day.at("10:23")) is not None
    assert checkins.undo_check_in(session, event=day.event, attendee=me, now=day.at("10:24")) is None


def test_a_hand_check_in_is_the_whole_slot_and_audited(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event)
    org = day.created.organizer
    row = checkins.check_in_by_hand(
        session,
        event=day.event,
        attendee_id=me.id,
        slot_id=day.slots[0].id,
        topic_id=day.topics["Reading"].id,
        actor=org,  # type: ignore[arg-type]
    )
    assert (row.source, checkins.as_utc(row.at), row.left_at, row.room_id) == (
        "organizer",
        day.at("09:00"),
        None,
        day.rooms["Library"].id,
    )
    same = checkins.check_in_by_hand(
        session,
        event=day.event,
        attendee_id=me.id,
        slot_id=day.slots[0].id,
        topic_id=day.topics["Reading"].id,
        actor=org,  # type: ignore[arg-type]
    )
    assert same.id == row.id
    plenary = checkins.check_in_by_hand(
        session,
        event=day.event,
        attendee_id=me.id,
        slot_id=day.slots[2].id,
        topic_id=None,
        actor=org,  # type: ignore[arg-type]
    )
    assert (plenary.topic_id, plenary.room_id) == (None, day.rooms["Hall"].id)
    for slot, topic, field in (
        (day.slots[1].id, day.topics["Reading"].id, "topic_id"),  # not in that slot
        (day.slots[1].id, None, "topic_id"),
        (day.slots[2].id, day.topics["Reading"].id, "topic_id"),  # a plenary has no sessions
        (day.slots[3].id, None, "slot_id"),  # a break
    ):
        with pytest.raises(InvalidInput) as refused:
            checkins.check_in_by_hand(
                session, event=day.event, attendee_id=me.id, slot_id=slot, topic_id=topic, actor=org
            )  # type: ignore[arg-type]
        assert refused.value.field == field
    with pytest.raises(NotFound) as nobody:
        checkins.check_in_by_hand(
            session, event=day.event, attendee_id=999999, slot_id=day.slots[0].id, topic_id=None, actor=org
        )  # type: ignore[arg-type]
    assert nobody.value.field == "attendee_id"
    checkins.remove_check_in(session, event=day.event, check_in_id=plenary.id, actor=org)  # type: ignore[arg-type]
    assert session.get(CheckIn, plenary.id) is None
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.event_id == day.event.id)).all()
    assert actions.count("check_in_by_hand") == 2 and "remove_check_in" in actions


def test_a_hand_check_in_ends_the_door_one_of_the_same_slot(session: Session) -> None:
    day = checkin_day(session)
    me = make_attendee(session, day.event)
    door = checkins.check_in(
        session, event=day.event, attendee=me, room_id=day.rooms["Library"].id, now=day.at("10:05")
    )
    hand = checkins.check_in_by_hand(
        session,
        event=day.event,
        attendee_id=me.id,
        slot_id=day.slots[1].id,
        topic_id=day.topics["Robotics"].id,
        actor=day.created.organizer,  # type: ignore[arg-type]
    )
    session.refresh(door)
    assert door.left_at is not None and hand.left_at is None
    assert checkins.as_utc(door.left_at) <= day.at("14:00")


def test_paper_count_is_one_per_session_and_bounded(session: Session) -> None:
    day = checkin_day(session)
    org = day.created.organizer
    slot, topic = day.slots[1].id, day.topics["Math talks"].id
    checkins.set_paper_count(session, event=day.event, slot_id=slot, topic_id=topic, count=12, actor=org)  # type: ignore[arg-type]
    checkins.set_paper_count(session, event=day.event, slot_id=slot, topic_id=topic, count=14, actor=org)  # type: ignore[arg-type]
    checkins.set_paper_count(session, event=day.event, slot_id=day.slots[2].id, topic_id=None, count=150, actor=org)  # type: ignore[arg-type]
    counts = session.exec(
        select(PaperCount.count).where(PaperCount.event_id == day.event.id).order_by(PaperCount.count)
    ).all()
    assert counts == [14, 150]
    for bad in (-1, 10001):
        with pytest.raises(InvalidInput) as refused:
            checkins.set_paper_count(session, event=day.event, slot_id=slot, topic_id=topic, count=bad, actor=org)  # type: ignore[arg-type]
        assert refused.value.field == "count"
    view = attendance.attendance(session, event=day.event)
    now_slot = next(s for s in view.slots if s.slot.id == slot)
    assert [(s.title, s.paper, s.seats) for s in now_slot.sessions] == [("Math talks", 14, 30), ("Robotics", None, 60)]


def test_attendance_per_slot_and_session_names_people(session: Session) -> None:
    day = checkin_day(session)
    ana = make_attendee(session, day.event, name="Ana")
    anon = make_attendee(session, day.event)
    for person, room in ((ana, "Library"), (anon, "Library")):
        checkins.check_in(session, event=day.event, attendee=person, room_id=day.rooms[room].id, now=day.at("10:05"))
    checkins.check_in(session, event=day.event, attendee=anon, room_id=day.rooms["Gym"].id, now=day.at("10:15"))
    view = attendance.attendance(session, event=day.event)
    assert view.people == 2
    now_slot = next(s for s in view.slots if s.slot.id == day.slots[1].id)
    math, robotics = now_slot.sessions
    assert (math.checked_in, math.here, robotics.checked_in, robotics.here, now_slot.checked_in) == (2, 1, 1, 1, 2)
    assert sorted(p.name for p in math.people) == sorted(["Ana", f"Attendee #{anon.id}"])
    assert [s.title for s in view.slots[-1].sessions] == ["Closing smackdown"]
    assert timedelta(0) < day.at("10:15") - day.at("10:05")
