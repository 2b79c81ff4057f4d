"""The fragments that door tablets and notes pages fetch by themselves: never a 500, with or without htmx."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import events, eventspec, notes, organizers, timetable
from app.models import Phase, Placement, SessionStatus
from app.security import CSRF_COOKIE
from tests.clock import midday_zone
from tests.factories import make_attendee, make_topic, publish_cells

HTMX = {"HX-Request": "true"}


def _running_now(session: Session):  # type: ignore[no-untyped-def]
    """An event of today whose one slot runs all day: room 1 has a session now, room 2 is free.

    The event's time zone is one where it is about noon, so "now" is inside the slot at any hour.
    """
    zone, local = midday_zone()
    created = events.create_event(
        session,
        name="Edcamp Now",
        date=local.date().isoformat(),
        timezone=zone,
        rooms=[eventspec.RoomSpec("Library", 30, []), eventspec.RoomSpec("Gym", 60, [])],
        slots=[eventspec.SlotSpec("00:00", "23:59")],
    )
    event = created.event
    events.set_phase(
        session, event=event, phase=Phase.proposing, actor=organizers.require_first_organizer(session, event)
    )
    lead = make_attendee(session, event, name="Ms. Rivera")
    topic = make_topic(session, event, lead, title="Math talks", facilitate=True)
    rooms = events.list_rooms(session, event)
    slot = events.list_slots(session, event)[0]
    publish_cells(session, created, [(topic.id, rooms[0].id, slot.id)])  # type: ignore[list-item]
    return created, lead, topic, rooms


def _as(app: FastAPI, client: TestClient, attendee) -> dict[str, str]:  # type: ignore[no-untyped-def]
    client.get("/")
    token = app.state.signer.attendee_token(event_id=attendee.event_id, attendee_id=attendee.id)
    return {"Authorization": f"Bearer {token}", "X-CSRF-Token": client.cookies.get(CSRF_COOKIE) or ""}


def test_door_fragment_with_facilitator_buttons_and_popup_form_renders(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    created, lead, _topic, rooms = _running_now(session)
    code = created.event.code
    me = _as(app, client, lead)
    for headers in ({}, HTMX):
        busy = client.get(f"/e/{code}/rooms/{rooms[0].id}", headers={**me, **headers})
        assert busy.status_code == 200, busy.text[-500:]
        assert ">Room for more</button>" in busy.text and 'name="csrf_token"' in busy.text
        free = client.get(f"/e/{code}/rooms/{rooms[1].id}", headers={**me, **headers})
        assert free.status_code == 200, free.text[-500:]
        assert "Start a pop-up session here" in free.text and 'name="csrf_token"' in free.text
    fragment = client.get(f"/e/{code}/rooms/{rooms[0].id}", headers={**me, **HTMX})
    assert fragment.text.lstrip().startswith('<section id="door-main"'), "htmx gets the block, not the page"


def test_facilitator_status_tap_answers_the_updated_door(app: FastAPI, client: TestClient, session: Session) -> None:
    created, lead, topic, rooms = _running_now(session)
    running = timetable.door(session, event=created.event, room_id=rooms[0].id).now
    assert running is not None and running.topic.id == topic.id
    placement = session.get(Placement, running.placement.id)
    assert placement is not None
    answer = client.post(
        f"/e/{created.event.code}/placements/{placement.id}/status",
        data={"status": "full"},
        headers={**_as(app, client, lead), **HTMX},
    )
    assert answer.status_code == 200, answer.text[-500:]
    assert '<p class="door-status">Full</p>' in answer.text
    session.refresh(placement)
    assert placement.status == SessionStatus.full


def test_notes_live_answers_the_fragment_to_htmx_and_the_page_to_a_browser(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    created, lead, topic, _rooms = _running_now(session)
    notes.save_note(
        session, event=created.event, topic=topic, author=lead, text="# Plan\nNumber talks", base_revision=0
    )
    url = f"/e/{created.event.code}/sessions/{topic.id}/notes/live"
    fragment = client.get(url + "?after=0", headers=HTMX)
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="notes-view"')
    assert "Number talks" in fragment.text
    assert client.get(url + "?after=1", headers=HTMX).status_code == 204
    for query in ("?after=0", "?after=1", ""):
        page = client.get(url + query, headers=_as(app, client, lead))
        assert page.status_code == 200, page.text[-500:]
        assert "<html" in page.text and "Number talks" in page.text and "Shared notes" in page.text
    client.cookies.clear()  # someone who never joined, with a link to the notes
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "Number talks" in anonymous.text
