"""Headcounts on the board: "12 / 30" per session of the slot running now, the paper count, and
"room for more" by itself once the slot has settled (the facilitator's own status still wins)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import event as sa_event
from sqlmodel import Session

from app.domain import events, headcounts, timetable
from app.models import Attendee, CheckIn, Event, PaperCount, SessionStatus, saved_id
from app.models.util import utcnow
from tests.factories import make_attendee, make_event, make_topic, publish_cells
from tests.pages.test_live_fragments import _running_now

AT_0915 = datetime(2027, 3, 13, 17, 15, tzinfo=UTC)  # 09:15 in Los Angeles: 15 minutes into slot 1
AT_0905 = datetime(2027, 3, 13, 17, 5, tzinfo=UTC)  # 5 minutes in: people still walking in


def _day(session: Session, rooms: int = 3):  # type: ignore[no-untyped-def]
    """Rooms of 20, 30, 40 seats; one session per room in slot 1 (09:00-09:50), one in slot 2."""
    created = make_event(session, rooms=rooms, slots=2)
    event = created.event
    author = make_attendee(session, event, name="Ana")
    topics = [make_topic(session, event, author, title=f"Topic {i}") for i in range(rooms + 1)]
    room_ids = [r.id for r in events.list_rooms(session, event)]
    slot_ids = [s.id for s in events.list_slots(session, event)]
    cells = [(topics[i].id, room_ids[i], slot_ids[0]) for i in range(rooms)]
    publish_cells(session, created, [*cells, (topics[rooms].id, room_ids[0], slot_ids[1])])  # type: ignore[list-item]
    return created, topics, room_ids, slot_ids


def _check_in(session: Session, event: Event, slot_id: int, topic_id: int, n: int, *, left: bool = False) -> None:
    """``n`` new people checked into a session (or checked in and gone again), as rows."""
    people = [Attendee(event_id=saved_id(event), name=f"P{topic_id}-{i}") for i in range(n)]
    session.add_all(people)
    session.flush()
    for person in people:
        session.add(
            CheckIn(
                event_id=saved_id(event),
                attendee_id=saved_id(person),
                slot_id=slot_id,
                topic_id=topic_id,
                left_at=utcnow() if left else None,
            )
        )
    session.commit()


def _counts(session: Session, event: Event, at: datetime) -> headcounts.HeadcountsView:
    grid = timetable.grid(session, event=event, now=at)
    return headcounts.headcounts(session, event=event, grid=grid, now=at)


def test_headcounts_count_open_check_ins_of_the_slot_running_now(session: Session) -> None:
    created, topics, _rooms, slots = _day(session)
    event = created.event
    _check_in(session, event, slots[0], topics[0].id, 12)  # type: ignore[arg-type]
    _check_in(session, event, slots[0], topics[0].id, 3, left=True)  # type: ignore[arg-type]  # moved on
    _check_in(session, event, slots[0], topics[1].id, 4)  # type: ignore[arg-type]
    _check_in(session, event, slots[1], topics[3].id, 7)  # type: ignore[arg-type]  # another slot
    view = _counts(session, event, AT_0915)
    assert view.slot_id == slots[0]
    assert {t: (c.here, c.seats) for t, c in view.by_topic.items()} == {
        topics[0].id: (12, 20),
        topics[1].id: (4, 30),
        topics[2].id: (0, 40),
    }


def test_room_for_more_comes_by_itself_after_the_slot_settles_under_half_the_seats(session: Session) -> None:
    created, topics, _rooms, slots = _day(session)
    event = created.event
    _check_in(session, event, slots[0], topics[0].id, 10)  # type: ignore[arg-type]  # 10 of 20: half, not under
    _check_in(session, event, slots[0], topics[1].id, 14)  # type: ignore[arg-type]  # 14 of 30: under half
    early = _counts(session, event, AT_0905)
    assert not any(c.room_for_more for c in early.by_topic.values())
    settled = _counts(session, event, AT_0915)
    assert {t: c.room_for_more for t, c in settled.by_topic.items()} == {
        topics[0].id: False,
        topics[1].id: True,
        topics[2].id: True,
    }


def test_the_facilitators_own_status_wins_over_the_derived_one(session: Session) -> None:
    created, topics, _rooms, slots = _day(session)
    event = created.event
    _check_in(session, event, slots[0], topics[1].id, 2)  # type: ignore[arg-type]
    grid = timetable.grid(session, event=event, now=AT_0915)
    cell = next(c for c in grid.cells.values() if c.topic.id == topics[1].id)
    timetable.set_session_status(
        session, event=event, placement=cell.placement, status="full", attendee=None, organizer=True
    )
    view = _counts(session, event, AT_0915)
    assert view.by_topic[topics[1].id].room_for_more is False  # type: ignore[index]
    assert view.by_topic[topics[1].id].here == 2  # type: ignore[index]


def test_the_larger_of_paper_count_and_check_ins_is_shown(session: Session) -> None:
    created, topics, _rooms, slots = _day(session)
    event = created.event
    _check_in(session, event, slots[0], topics[0].id, 8)  # type: ignore[arg-type]
    _check_in(session, event, slots[0], topics[1].id, 20)  # type: ignore[arg-type]
    for topic, count in ((topics[0], 18), (topics[1], 5)):
        session.add(PaperCount(event_id=event.id, slot_id=slots[0], topic_id=topic.id, count=count))  # type: ignore[arg-type]
    session.commit()
    view = _counts(session, event, AT_0915)
    first, second = view.by_topic[topics[0].id], view.by_topic[topics[1].id]  # type: ignore[index]
    assert (first.checked_in, first.paper, first.here, first.room_for_more) == (8, 18, 18, False)
    assert (second.checked_in, second.paper, second.here) == (20, 5, 20)


def test_nothing_is_shown_or_derived_when_nobody_counts_or_nothing_runs(session: Session) -> None:
    created, topics, _rooms, slots = _day(session)
    event = created.event
    assert _counts(session, event, AT_0915).by_topic == {}  # no check-ins: no "0 / 30", no "room for more"
    _check_in(session, event, slots[0], topics[0].id, 5)  # type: ignore[arg-type]
    between = datetime(2027, 3, 13, 17, 55, tzinfo=UTC)  # 09:55, between the slots
    assert _counts(session, event, between).by_topic == {}


def test_headcounts_take_two_queries_whatever_the_number_of_rooms(session: Session) -> None:
    created, topics, _rooms, slots = _day(session, rooms=8)
    event = created.event
    for topic in topics[:8]:
        _check_in(session, event, slots[0], topic.id, 2)  # type: ignore[arg-type]
    grid = timetable.grid(session, event=event, now=AT_0915)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind()
    sa_event.listen(engine, "before_cursor_execute", seen)
    try:
        view = headcounts.headcounts(session, event=event, grid=grid, now=AT_0915)
    finally:
        sa_event.remove(engine, "before_cursor_execute", seen)
    assert len(view.by_topic) == 8
    assert len(statements) == 2


def test_the_board_shows_the_headcount_and_room_for_more_with_a_spoken_form(
    client: TestClient, session: Session
) -> None:
    created, _lead, topic, rooms = _running_now(session)  # Library: 30 seats; one slot all day (settled)
    event = created.event
    slot = events.list_slots(session, event)[0]
    _check_in(session, event, slot.id, topic.id, 12)  # type: ignore[arg-type]
    page = client.get(f"/e/{event.code}/board").text
    cell = page.split(f'id="cell-{rooms[0].id}-{slot.id}"', 1)[1].split("</td>", 1)[0]
    assert '<span aria-hidden="true">12 / 30</span>' in cell
    assert '<span class="visually-hidden">12 people here, 30 seats</span>' in cell
    assert "status-room_for_more" in cell and "Room for more" in cell
    spanish = client.get(f"/e/{event.code}/board?lang=es").text
    assert "12 personas aquí, 30 asientos" in spanish and "Hay sitio" in spanish
    timetable.set_session_status(
        session,
        event=session.get(Event, event.id),  # type: ignore[arg-type]
        placement=timetable.grid(session, event=event).cell(rooms[0], slot).placement,  # type: ignore[union-attr]
        status=SessionStatus.full,
        attendee=None,
        organizer=True,
    )
    full = client.get(f"/e/{event.code}/board").text.split(f'id="cell-{rooms[0].id}-{slot.id}"', 1)[1].split("</td>")[0]
    assert "status-full" in full and "Room for more" not in full and "12 / 30" in full
