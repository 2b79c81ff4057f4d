"""Rooms and slots through the API: changes made at once, consequences answered 409 until confirmed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import drafting, events, moves, organizers, publishing
from tests.api.test_api import assert_problem, bearer, create, join, open_proposing, propose


def test_rooms_are_added_changed_moved_and_closed(client: TestClient) -> None:
    created = create(client)
    code, boss = created["code"], bearer(created["organizer_token"])
    url = f"/api/v1/events/{code}/rooms"
    assert_problem(client.post(url, json={"name": "Gym", "capacity": 80}), 401)
    added = client.post(url, json={"name": "Gym", "capacity": 80, "features": ["accessible"]}, headers=boss)
    assert added.status_code == 201 and added.json()["message"] == "Added the room Gym (80 seats)."
    assert_problem(client.post(url, json={"name": "library", "capacity": 5}, headers=boss), 422, field="name")
    assert_problem(client.post(url, json={"name": "Annex", "capacity": 0}, headers=boss), 422, field="capacity")
    assert_problem(client.post(url, json={"name": "Annex", "capacity": 10001}, headers=boss), 422, field="capacity")
    rooms = client.get(f"/api/v1/events/{code}").json()["rooms"]
    gym = rooms[-1]["id"]
    renamed = client.patch(f"{url}/{gym}", json={"name": "Big gym"}, headers=boss)
    assert renamed.json()["message"] == "Renamed Gym to Big gym."
    assert client.post(f"{url}/{gym}/move", json={"direction": "up"}, headers=boss).status_code == 200
    assert_problem(client.post(f"{url}/{rooms[0]['id']}/move", json={"direction": "up"}, headers=boss), 409)
    assert_problem(client.post(f"{url}/{gym}/move", json={"direction": "left"}, headers=boss), 422, field="direction")
    event = client.get(f"/api/v1/events/{code}").json()
    assert [(r["name"], r["capacity"], r["features"]) for r in event["rooms"]] == [
        ("Library", 60, ["projector"]),
        ("Big gym", 80, ["accessible"]),
        ("Room 2", 25, []),
    ]
    slot = event["slots"][0]["id"]
    assert client.put(f"{url}/{gym}/unavailable/{slot}", headers=boss).json()["done"] is True
    assert (
        client.delete(f"{url}/{gym}/unavailable/{slot}", headers=boss).json()["message"]
        == "Opened Big gym at 09:30–10:20."
    )
    assert_problem(client.delete(f"{url}/99999", headers=boss), 404, field="room_id")
    assert client.delete(f"{url}/{gym}", headers=boss).json()["message"] == "Removed the room Big gym."


def test_slots_are_added_retimed_and_refused_naming_the_slot(client: TestClient) -> None:
    created = create(client)  # slots 09:30–10:20, 10:30–11:20
    code, boss = created["code"], bearer(created["organizer_token"])
    url = f"/api/v1/events/{code}/slots"
    lunch = client.post(url, json={"start": "12:20", "end": "13:10", "kind": "break", "title": "Lunch"}, headers=boss)
    assert lunch.status_code == 201, lunch.text
    overlap = assert_problem(client.post(url, json={"start": "11:00", "end": "11:30"}, headers=boss), 422)
    assert [(e["field"], e["message"]) for e in overlap["errors"]] == [
        ("start", "Slot 4: 11:00 AM–11:30 AM overlaps Slot 2 (10:30 AM–11:20 AM).")
    ]
    assert_problem(client.post(url, json={"start": "14:00", "end": "13:00"}, headers=boss), 422, field="end")
    assert_problem(client.post(url, json={"start": "14:00", "end": "15:00", "kind": "party"}, headers=boss), 422)
    slots = client.get(f"/api/v1/events/{code}").json()["slots"]
    retimed = client.patch(f"{url}/{slots[0]['id']}", json={"start": "09:15"}, headers=boss)
    assert retimed.json()["message"] == "Retimed 09:30–10:20 to 09:15–10:20; the slot 09:15–10:20 is sessions."
    assert client.get(f"/api/v1/events/{code}").json()["slots"][0]["start"] == "09:15"
    first = f"{url}/{slots[0]['id']}"
    keynote = assert_problem(client.patch(first, json={"kind": "plenary"}, headers=boss), 422, field="title")
    assert keynote["errors"][0]["message"] == "Slot 1: a plenary needs a title, such as Opening keynote."
    library = client.get(f"/api/v1/events/{code}").json()["rooms"][0]["id"]
    made = client.patch(first, json={"kind": "plenary", "title": "Keynote", "room_id": library}, headers=boss)
    assert made.status_code == 200, made.text
    back = client.patch(first, json={"kind": "sessions"}, headers=boss)  # its title and room go with the kind
    assert back.status_code == 200, back.text
    again = client.get(f"/api/v1/events/{code}").json()["slots"][0]
    assert (again["kind"], again["title"], again["room_id"]) == ("sessions", "", None)


def test_a_room_with_published_sessions_asks_first_and_leaves_the_published_schedule_alone(
    client: TestClient, session: Session
) -> None:
    created = create(client)
    code, boss = created["code"], bearer(created["organizer_token"])
    open_proposing(client, created)
    ana = join(client, code, "Ana")
    topic = propose(client, code, ana, "Maker space", facilitate=True)
    event = events.require_event(session, code)
    organizer = organizers.require_first_organizer(session, event)
    info = client.get(f"/api/v1/events/{code}").json()
    library, slot = info["rooms"][0]["id"], info["slots"][0]["id"]
    moves.place(session, event=event, topic_id=topic["id"], room_id=library, slot_id=slot, actor=organizer)
    publishing.publish(session, event=event, actor=organizer)
    asked = assert_problem(client.delete(f"/api/v1/events/{code}/rooms/{library}", headers=boss), 409)
    assert asked["code"] == "confirm" and asked["done"] is False
    assert asked["affected"] == [
        {
            "topic_id": topic["id"],
            "title": "Maker space",
            "where": "Library, 09:30–10:20",
            "facilitators": ["Ana"],
            "marks": 0,
            "published": True,
        }
    ]
    done = client.delete(f"/api/v1/events/{code}/rooms/{library}?confirm=true", headers=boss)
    assert done.status_code == 200 and done.json()["done"] is True
    published = client.get(f"/api/v1/events/{code}/schedule").json()
    assert [(s["title"], s["room_id"]) for s in published["sessions"]] == [("Maker space", library)]
    draft = client.get(f"/api/v1/events/{code}/schedule", headers=boss).json()
    assert draft["published"] is False and draft["sessions"] == []
    assert [t["title"] for t in draft["left_out"]] == ["Maker space"]
    session.expire_all()
    assert drafting.current_draft(session, event=event) is not None


def test_slots_removed_and_a_room_shrunk_below_its_session_through_the_api(
    client: TestClient, session: Session
) -> None:
    created = create(client)
    code, boss = created["code"], bearer(created["organizer_token"])
    open_proposing(client, created)
    people = [join(client, code, name) for name in ("Ana", "Ben", "Cy")]
    topic = propose(client, code, people[0], "Podcasts", facilitate=True)
    for token in people:
        client.put(f"/api/v1/events/{code}/topics/{topic['id']}/interest", headers=bearer(token))
    event = events.require_event(session, code)
    info = client.get(f"/api/v1/events/{code}").json()
    (first, second), room2 = info["slots"], info["rooms"][1]["id"]
    organizer = organizers.require_first_organizer(session, event)
    moves.place(session, event=event, topic_id=topic["id"], room_id=room2, slot_id=first["id"], actor=organizer)
    shrink = assert_problem(
        client.patch(f"/api/v1/events/{code}/rooms/{room2}", json={"capacity": 2}, headers=boss), 409
    )
    assert [(a["title"], a["marks"], a["published"]) for a in shrink["affected"]] == [("Podcasts", 3, False)]
    confirmed = client.patch(f"/api/v1/events/{code}/rooms/{room2}?confirm=true", json={"capacity": 2}, headers=boss)
    assert confirmed.json()["message"] == "Room 2 has 2 seats (was 25); 1 session to the draft's unplaced list."
    removed = client.delete(f"/api/v1/events/{code}/slots/{second['id']}", headers=boss)
    assert removed.status_code == 200 and removed.json()["message"] == "Removed the slot 10:30–11:20."
    last = assert_problem(client.delete(f"/api/v1/events/{code}/slots/{first['id']}", headers=boss), 409)
    assert last["detail"] == "09:30–10:20 is the event's only slot: add another before removing it."
    assert [s["start"] for s in client.get(f"/api/v1/events/{code}").json()["slots"]] == ["09:30"]
