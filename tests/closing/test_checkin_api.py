"""POST /api/v1/events/{code}/checkins: an attendee checks into what runs now, by room or by session."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.test_api import assert_problem, bearer, join
from tests.closing.checkin_day import checkin_day


def test_check_in_by_room_then_move_by_session_then_again(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    me = bearer(join(client, day.code, "Ana"))
    url = f"/api/v1/events/{day.code}/checkins"
    first = client.post(url, json={"room_id": day.rooms["Library"].id}, headers=me)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["session"] == {"topic_id": day.topics["Math talks"].id, "title": "Math talks"}
    assert body["room"] == {"id": day.rooms["Library"].id, "name": "Library", "capacity": 30}
    assert (body["slot"]["start"], body["slot"]["end"], body["source"]) == ("10:00", "14:00", "door")
    assert body["since"].endswith("Z") or "+00:00" in body["since"]
    assert int(first.headers["X-Board-Sequence"]) > 0
    again = client.post(url, json={"room_id": day.rooms["Library"].id}, headers=me)
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    moved = client.post(url, json={"topic_id": day.topics["Robotics"].id}, headers=me)
    assert moved.status_code == 201, moved.text
    assert (moved.json()["session"]["title"], moved.json()["source"]) == ("Robotics", "tap")
    assert moved.json()["id"] != body["id"]


def test_check_in_refusals_are_problem_details(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    url = f"/api/v1/events/{day.code}/checkins"
    assert_problem(client.post(url, json={"room_id": day.rooms["Library"].id}), 401)
    me = bearer(join(client, day.code))
    assert_problem(client.post(url, json={"room_id": day.rooms["Hall"].id}, headers=me), 409, field="room_id")
    assert_problem(client.post(url, json={"room_id": 999999}, headers=me), 404, field="room_id")
    assert_problem(client.post(url, json={"topic_id": day.topics["Reading"].id}, headers=me), 409, field="topic_id")
    assert_problem(client.post(url, json={}, headers=me), 422)
    assert_problem(client.post(url, json={"room_id": "1"}, headers=me), 422, field="room_id")
    assert_problem(client.post("/api/v1/events/NOPE99/checkins", json={"room_id": 1}, headers=me), 404)
