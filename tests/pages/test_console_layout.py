"""The console's rooms and slots: a change with consequences is previewed, then confirmed or kept."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import drafting, events, moves, organizers, rows, topics
from tests.pages.test_pages import create_event, csrf

HX = {"HX-Request": "true"}


def _post(client: TestClient, code: str, htmx: bool = True, **data: str) -> object:
    return client.post(
        f"/e/{code}/organize/layout",
        data={**data, "csrf_token": csrf(client)},
        headers=HX if htmx else {},
        follow_redirects=False,
    )


def test_rename_add_and_refusals_beside_the_field_keep_what_was_typed(client: TestClient, session: Session) -> None:
    code, _link = create_event(client)
    console = client.get(f"/e/{code}/organize").text
    assert 'id="layout"' in console and "Add a room" in console and "Add a slot" in console
    event = events.require_event(session, code)
    library = rows.rooms(session, event)[0]
    renamed = _post(client, code, action="edit_room", room_id=str(library.id), name="Reading <room>", capacity="40")
    assert renamed.status_code == 200  # type: ignore[attr-defined]
    panel = renamed.text  # type: ignore[attr-defined]
    assert panel.startswith("{# ") is False and panel.lstrip().startswith('<section id="layout"'), (
        "htmx: the panel alone"
    )
    assert "Renamed Library to Reading &lt;room&gt;; Reading &lt;room&gt; has 40 seats (was" in panel
    refused = _post(client, code, action="add_room", name="Gym", capacity="lots", features="accessible")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    form = re.search(r"<summary>Add a room</summary>(.*?)</form>", refused.text, re.S).group(1)  # type: ignore[attr-defined,union-attr]
    assert 'value="Gym"' in form and 'value="lots"' in form and 'value="accessible"' in form, "what was typed stays"
    assert re.search(r'id="new-room-seats"[^>]*aria-invalid="true"', form)
    assert 'id="new-room-seats-error" class="field-error">Seats must be a whole number from 1 to 10000.' in form
    overlap = _post(client, code, action="add_slot", start="09:45", end="10:30", kind="sessions")
    assert overlap.status_code == 422  # type: ignore[attr-defined]
    assert "Slot 3: 9:45 AM–10:30 AM overlaps Slot 1" in overlap.text  # type: ignore[attr-defined]
    untitled = _post(client, code, action="add_slot", start="08:30", end="08:55", kind="plenary", title="")
    assert untitled.status_code == 422  # type: ignore[attr-defined]
    assert 'id="new-slot-title-error" class="field-error">Slot 3: a plenary needs a title' in untitled.text  # type: ignore[attr-defined]
    plain = _post(client, code, htmx=False, action="add_slot", start="12:20", end="13:10", kind="break", title="Lunch")
    assert plain.status_code == 303 and plain.headers["location"].endswith("#settings")  # type: ignore[attr-defined]
    assert [(s.start, s.title) for s in rows.slots(session, event)][-1] == ("12:20", "Lunch")


def test_removing_a_room_with_sessions_asks_first_then_sends_them_to_the_draft(
    client: TestClient, session: Session
) -> None:
    code, _link = create_event(client)
    event = events.require_event(session, code)
    boss = organizers.require_first_organizer(session, event)
    events.set_phase(session, event=event, phase="proposing", actor=boss)
    topic = topics.propose_topic(session, event=event, author=None, title="Robotics club")
    library, slot = rows.rooms(session, event)[0], rows.slots(session, event)[0]
    moves.place(session, event=event, topic_id=topic.id, room_id=library.id, slot_id=slot.id, actor=boss)  # type: ignore[arg-type]
    asked = _post(client, code, action="remove_room", room_id=str(library.id))
    text = asked.text  # type: ignore[attr-defined]
    assert asked.status_code == 200 and "Remove the room Library?" in text  # type: ignore[attr-defined]
    assert "“Robotics club”</strong> (Library, 09:30–10:20)" in text and "no facilitator yet" in text
    assert "0 people marked it" in text
    assert re.search(r'name="confirm" value="yes">\s*<button[^>]*>Yes, remove the room Library</button>', text)
    assert "Keep it as it is" in text
    session.expire_all()
    assert rows.rooms(session, event)[0].id == library.id, "nothing removed before the yes"
    without_js = _post(client, code, htmx=False, action="remove_room", room_id=str(library.id))
    assert without_js.status_code == 200 and "Remove the room Library?" in without_js.text  # type: ignore[attr-defined]
    assert 'id="settings" class="console-section is-current"' in without_js.text  # type: ignore[attr-defined]
    done = _post(client, code, action="remove_room", room_id=str(library.id), confirm="yes")
    assert "Removed the room Library; 1 session to the draft&#39;s unplaced list." in done.text  # type: ignore[attr-defined]
    session.expire_all()
    assert [r.name for r in rows.rooms(session, event)] == ["Room 12"]
    view = drafting.schedule_view(session, event=event)
    assert [(t.title, reason) for t, reason in view.left_out] == [("Robotics club", "Library was removed")]
    last = _post(client, code, action="remove_room", room_id=str(rows.rooms(session, event)[0].id), confirm="yes")
    assert last.status_code == 409  # type: ignore[attr-defined]
    assert re.search(
        r'role="alert">\s*<p>Room 12 is the event&#39;s only room: add another before removing it.</p>', last.text
    )  # type: ignore[attr-defined]
