"""The board after publishing, the door view and the rule of two feet, through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import claims, events, timetable
from app.models import Event, Phase, Placement, SessionStatus
from app.security import CSRF_COOKIE
from tests.factories import make_attendee, make_event, make_topic, publish_cells


def _published(session: Session) -> tuple[Event, list[int], list[int], list[int], object]:
    created = make_event(session, rooms=2, slots=2)
    event = created.event
    author = make_attendee(session, event, name="Ana")
    topics = [
        make_topic(session, event, author, title=title) for title in ("Math talks", "<i>Recess</i> & play", "Robots")
    ]
    claims.claim_topic(session, event=event, attendee=author, topic=topics[0])
    rooms = [r.id for r in events.list_rooms(session, event)]
    slots = [s.id for s in events.list_slots(session, event)]
    publish_cells(
        session,
        created,
        [
            (topics[0].id, rooms[0], slots[0]),
            (topics[1].id, rooms[1], slots[0]),
            (topics[2].id, rooms[0], slots[1]),  # type: ignore[list-item]
        ],
    )
    return event, rooms, slots, [t.id for t in topics], author  # type: ignore[misc]


def test_current_and_next_slot_follow_the_event_clock(session: Session) -> None:
    event, _rooms, slots, _topics, _author = _published(session)  # slots 09:00-09:50, 10:00-10:50, Los Angeles
    at_915_la = datetime(2027, 3, 13, 17, 15, tzinfo=UTC)  # 09:15 PST
    assert timetable.current_and_next(event, events.list_slots(session, event), at_915_la) == (slots[0], slots[1])
    between = datetime(2027, 3, 13, 17, 55, tzinfo=UTC)
    assert timetable.current_and_next(event, events.list_slots(session, event), between) == (None, slots[1])
    day_before = datetime(2027, 3, 12, 17, 15, tzinfo=UTC)
    assert timetable.current_and_next(event, events.list_slots(session, event), day_before) == (None, slots[0])


def test_board_shows_the_grid_after_publishing(client: TestClient, session: Session) -> None:
    event, rooms, slots, _topics, _author = _published(session)
    assert event.phase == Phase.live
    page = client.get(f"/e/{event.code}/board")
    assert page.status_code == 200
    assert 'class="board-grid"' in page.text
    assert f'id="cell-{rooms[1]}-{slots[0]}"' in page.text
    assert "&lt;i&gt;Recess&lt;/i&gt; &amp; play" in page.text and "<i>Recess</i>" not in page.text
    assert f"/e/{event.code}/ws?view=board&amp;since={event.board_sequence}" in page.text
    assert f"/e/{event.code}/qr.svg" in page.text


def test_facilitator_marks_the_room_full_and_others_cannot(app: FastAPI, client: TestClient, session: Session) -> None:
    event, rooms, slots, topic_ids, author = _published(session)
    placement = session.exec(select(Placement).where(Placement.topic_id == topic_ids[0])).one()
    signer = app.state.signer
    client.get("/")
    csrf = client.cookies.get(CSRF_COOKIE)
    lead = {
        "Authorization": f"Bearer {signer.attendee_token(event_id=event.id, attendee_id=author.id)}",  # type: ignore[attr-defined]
        "X-CSRF-Token": csrf,
    }
    other = make_attendee(session, event)
    stranger = {
        "Authorization": f"Bearer {signer.attendee_token(event_id=event.id, attendee_id=other.id)}",
        "X-CSRF-Token": csrf,
    }
    url = f"/e/{event.code}/placements/{placement.id}/status"
    refused = client.post(url, data={"status": "full"}, headers=stranger, follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(url, data={"status": "full"}, headers=lead, follow_redirects=False)
    assert done.status_code == 303
    session.refresh(placement)
    assert placement.status == SessionStatus.full
    door = client.get(f"/e/{event.code}/rooms/{rooms[0]}")
    assert door.status_code == 200 and "Math talks" in door.text
    board = client.get(f"/e/{event.code}/board")
    assert 'class="status-full' in board.text and ">Full<" in board.text
    assert client.get(f"/e/{event.code}/rooms/999999").status_code == 404


def test_popup_session_takes_a_free_room_in_the_current_slot(session: Session) -> None:
    event, rooms, slots, _topics, _author = _published(session)
    someone = make_attendee(session, event, name="Bo")
    at_10_15_la = datetime(2027, 3, 13, 18, 15, tzinfo=UTC)  # slot 2: room 2 is free
    placement = timetable.start_popup(
        session, event=event, attendee=someone, room_id=rooms[1], title="Coffee chat", now=at_10_15_la
    )
    assert (placement.slot_id, placement.is_popup) == (slots[1], True)
    grid = timetable.grid(session, event=event, now=at_10_15_la)
    assert grid.cells[(rooms[1], slots[1])].topic.title == "Coffee chat"
    assert timetable.free_rooms_now(grid) == []
