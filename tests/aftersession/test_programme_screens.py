"""Plenaries and breaks on every screen, in time order: the board, the doors, "my day", the feeds, print."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from jinja2_fragments import render_block
from sqlmodel import Session

from app.domain import events, marking, timetable
from app.domain.errors import Conflict
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import Phase, SlotKind
from app.realtime import render
from tests.aftersession.helpers import as_attendee
from tests.factories import make_attendee, make_topic, publish_cells

LA = ZoneInfo("America/Los_Angeles")
DAY = [
    SlotSpec("08:30", "09:15", kind="plenary", title="Opening keynote", room="Auditorium"),
    SlotSpec("09:30", "10:20"),
    SlotSpec("10:30", "11:20"),
    SlotSpec("12:20", "13:10", kind="break", title="Lunch in the cafeteria"),
    SlotSpec("13:20", "14:00", kind="break"),
]


def _day(session: Session):  # type: ignore[no-untyped-def]
    """A published day: a keynote, two sessions slots, lunch, a passing break; one attendee's marks."""
    created = events.create_event(
        session,
        name="Summit <Day>",
        date="2027-03-13",
        timezone="America/Los_Angeles",
        rooms=[RoomSpec("Auditorium", 200), RoomSpec("Library", 40), RoomSpec("Room 12", 30)],
        slots=DAY,
    )
    event = created.event
    events.set_phase(session, event=event, phase=Phase.proposing, actor=created.organizer)
    me = make_attendee(session, event, "Ms. Rivera")
    made = [make_topic(session, event, me, title=t) for t in ("Math talks", "Read-alouds")]
    for topic in made:
        marking.mark_topic(session, event=event, attendee=me, topic=topic)
    rooms, slots = events.list_rooms(session, event), events.list_slots(session, event)
    sessions = [s for s in slots if s.kind == SlotKind.sessions]
    publish_cells(
        session,
        created,
        [(made[0].id, rooms[1].id, sessions[0].id), (made[1].id, rooms[2].id, sessions[1].id)],  # type: ignore[list-item]
    )
    return created, me, rooms, slots


def _in_order(text: str, *parts: str) -> bool:
    at = [text.find(part) for part in parts]
    return all(i >= 0 for i in at) and at == sorted(at)


def test_the_board_shows_a_plenary_and_a_break_as_full_width_rows_in_time_order(
    client: TestClient, session: Session
) -> None:
    created, _me, rooms, slots = _day(session)
    page = client.get(f"/e/{created.event.code}/board").text
    assert 'data-orientation="rooms-as-columns"' in page
    keynote = re.search(r'<td class="programme-cell" colspan="3" id="programme-(\d+)">(.*?)</td>', page, re.S)
    assert keynote and int(keynote.group(1)) == slots[0].id
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", keynote.group(2))).split() == [
        "Plenary",
        "Opening",
        "keynote",
        "Auditorium",
    ]
    # No empty room cells in a plenary's or a break's row: one cell says what it is.
    for slot in (slots[0], slots[3], slots[4]):
        assert all(f'id="cell-{room.id}-{slot.id}"' not in page for room in rooms)
    assert _in_order(page, "08:30–09:15", "Math talks", "Read-alouds", "Lunch in the cafeteria", "13:20–14:00")
    assert page.count('class="programme-row') == 3


def test_the_door_says_what_comes_next_when_it_is_a_plenary(client: TestClient, session: Session) -> None:
    created, _me, rooms, _slots = _day(session)
    door = html.unescape(client.get(f"/e/{created.event.code}/rooms/{rooms[1].id}").text)  # before the day
    assert "Next: Opening keynote in the Auditorium at 08:30" in door


def test_the_door_during_lunch_says_so_and_offers_no_pop_up(session: Session) -> None:
    created, me, rooms, _slots = _day(session)
    event = created.event
    lunch = datetime(2027, 3, 13, 12, 30, tzinfo=LA)
    view = timetable.door(session, event=event, room_id=rooms[2].id, now=lunch)  # type: ignore[arg-type]
    assert view.now_item is not None and view.now_item.line == "Lunch in the cafeteria"
    assert view.next_item is not None and view.next_item.line == "Break"
    assert timetable.free_rooms_now(view.grid) == []
    with pytest.raises(Conflict) as refused:
        timetable.start_popup(session, event=event, attendee=me, room_id=rooms[2].id, title="Chess", now=lunch)  # type: ignore[arg-type]
    assert "Lunch in the cafeteria is on now (break)" in refused.value.message
    before = timetable.door(session, event=event, room_id=rooms[2].id, now=datetime(2027, 3, 13, 10, 0, tzinfo=LA))  # type: ignore[arg-type]
    assert before.now is None and before.now_item is None and before.next is not None


def test_my_day_shows_the_whole_day_in_order(app: FastAPI, client: TestClient, session: Session) -> None:
    created, me, _rooms, _slots = _day(session)
    day = client.get(f"/e/{created.event.code}/my", headers=as_attendee(app, me)).text
    listed = day[day.index('<ol class="my-day"') :]
    assert _in_order(
        listed,
        "08:30–09:15",
        "Opening keynote",
        "Math talks",
        "Read-alouds",
        "12:20–13:10",
        "Lunch in the cafeteria",
        "13:20–14:00",
        '<span class="my-room">Break</span>',
    )
    assert '<span class="my-room">Auditorium</span>' in listed


def _feed(client: TestClient, url: str, **kwargs: object) -> dict[str, object]:
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    return {str(item["summary"]): item for item in Calendar.from_ical(response.content).walk("VEVENT")}


def test_both_calendar_feeds_carry_the_plenaries_and_the_breaks_marked_as_such(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    created, me, _rooms, _slots = _day(session)
    code = created.event.code
    for items in (
        _feed(client, f"/e/{code}/schedule.ics"),
        _feed(client, f"/e/{code}/my.ics", headers=as_attendee(app, me)),
    ):
        assert sorted(items) == [
            "Break",
            "Break: Lunch in the cafeteria",
            "Math talks",
            "Opening keynote",
            "Read-alouds",
        ]
        keynote, lunch = items["Opening keynote"], items["Break: Lunch in the cafeteria"]
        assert str(keynote["location"]) == "Auditorium"  # type: ignore[index]
        assert keynote.decoded("dtstart") == datetime(2027, 3, 13, 8, 30, tzinfo=LA)  # type: ignore[attr-defined]
        assert [str(c) for c in keynote["categories"].cats] == ["Plenary"]  # type: ignore[index]
        assert [str(c) for c in lunch["categories"].cats] == ["Break"]  # type: ignore[index]
        assert str(lunch["transp"]) == "TRANSPARENT"  # type: ignore[index]
        assert "location" not in lunch  # type: ignore[operator]


def test_the_printed_board_and_door_signs_show_the_day_in_order(client: TestClient, session: Session) -> None:
    created, _me, rooms, _slots = _day(session)
    code = created.event.code
    board = client.get(f"/e/{code}/print/board").text
    assert _in_order(board, "Opening keynote", "Math talks", "Read-alouds", "Lunch in the cafeteria")
    assert board.count('class="print-page print-board"') == 5
    doors = client.get(f"/e/{code}/print/doors").text
    library = doors[doors.index(f'id="room-{rooms[1].id}"') : doors.index(f'id="room-{rooms[2].id}"')]
    assert _in_order(
        library, "Opening keynote in the Auditorium", "Math talks", "Lunch in the cafeteria", "13:20–14:00"
    )
    assert "Read-alouds" not in library


def test_the_pushed_board_block_shows_the_same_programme_rows(app: FastAPI, session: Session) -> None:
    created, _me, _rooms, slots = _day(session)
    from starlette.requests import Request  # noqa: PLC0415 - only this test needs a bare request

    request = Request({"type": "http", "app": app, "headers": [], "path": "/", "server": ("twofeet.test", 80)})
    ctx = render.board_context(session, created.event, request)
    pushed = render_block(app.state.templates.env, "board/board.html", "board_main", **ctx)
    assert f'id="programme-{slots[0].id}"' in pushed and "Opening keynote" in pushed
    assert pushed.count('class="programme-row') == 3
