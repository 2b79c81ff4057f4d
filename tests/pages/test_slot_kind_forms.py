"""Slot kinds typed on the home page's "new event" form and sent to the API's create-event."""

from __future__ import annotations

import copy
import html
import re

from fastapi.testclient import TestClient

from tests.api.test_api import assert_problem
from tests.factories import EVENT_BODY
from tests.pages.test_pages import EVENT_FORM, csrf

DAY_FORM = {
    **EVENT_FORM,
    "slot_start": ["08:30", "09:30", "12:20"],
    "slot_end": ["09:15", "10:20", "13:10"],
    "slot_kind": ["plenary", "sessions", "break"],
    "slot_title": ["Opening keynote", "", "Lunch in the cafeteria"],
    "slot_room": ["library", "", ""],
}


def test_the_form_offers_a_kind_title_and_room_per_slot_row(client: TestClient) -> None:
    page = client.get("/").text
    assert page.count('name="slot_kind"') == 4
    assert '<option value="plenary">Plenary</option>' in page
    assert '<option value="break">Break</option>' in page
    assert page.count('name="slot_title"') == page.count('name="slot_room"') == 4
    assert 'aria-label="Slot 1 kind"' in page


def test_the_form_makes_a_day_with_a_plenary_and_a_break(client: TestClient) -> None:
    response = client.post("/events", data={**DAY_FORM, "csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    code = re.search(r"/e/([A-Z2-9]{6})/", response.headers["location"]).group(1)  # type: ignore[union-attr]
    event = client.get(f"/api/v1/events/{code}").json()
    library = next(r["id"] for r in event["rooms"] if r["name"] == "Library")
    assert [(s["start"], s["kind"], s["title"], s["room_id"]) for s in event["slots"]] == [
        ("08:30", "plenary", "Opening keynote", library),
        ("09:30", "sessions", "", None),
        ("12:20", "break", "Lunch in the cafeteria", None),
    ]


def test_a_plenary_without_a_title_is_refused_beside_its_row_and_keeps_what_was_typed(client: TestClient) -> None:
    form = {**DAY_FORM, "slot_title": ["", "", "Lunch <b>now</b>"], "csrf_token": csrf(client)}
    response = client.post("/events", data=form)
    assert response.status_code == 422
    assert 'id="slot0-title-error"' in response.text
    assert "a plenary needs a title" in response.text
    assert 'href="#slot0-title"' in response.text
    assert 'value="Lunch &lt;b&gt;now&lt;/b&gt;"' in response.text  # kept, and escaped
    assert '<option value="break" selected>Break</option>' in response.text


def test_an_unknown_room_is_refused_naming_the_slot_row(client: TestClient) -> None:
    form = {**DAY_FORM, "slot_room": ["Gym", "", ""], "csrf_token": csrf(client)}
    response = client.post("/events", data=form)
    assert response.status_code == 422
    assert 'id="slot0-room-error"' in response.text
    assert "'Gym' is not one of the event's rooms" in html.unescape(response.text)


def test_the_api_creates_slot_kinds_and_says_them_back(client: TestClient) -> None:
    body = copy.deepcopy(EVENT_BODY)
    body["slots"] = [
        {"start": "08:30", "end": "09:15", "kind": "plenary", "title": "Opening keynote", "room": "Library"},
        {"start": "09:30", "end": "10:20"},
        {"start": "12:20", "end": "13:10", "kind": "break", "title": "Lunch"},
    ]
    created = client.post("/api/v1/events", json=body)
    assert created.status_code == 201, created.text
    event = client.get(f"/api/v1/events/{created.json()['code']}").json()
    library = next(r["id"] for r in event["rooms"] if r["name"] == "Library")
    assert [(s["kind"], s["title"], s["room_id"]) for s in event["slots"]] == [
        ("plenary", "Opening keynote", library),
        ("sessions", "", None),
        ("break", "Lunch", None),
    ]


def test_the_api_refuses_a_bad_slot_kind_title_or_room_naming_the_field(client: TestClient) -> None:
    def slots(**first: str) -> dict[str, object]:
        return {**EVENT_BODY, "slots": [{"start": "09:00", "end": "10:00", **first}]}

    assert_problem(client.post("/api/v1/events", json=slots(kind="lunch")), 422, field="slots[0].kind")
    assert_problem(
        client.post("/api/v1/events", json=slots(kind="plenary")), 422, field="slots[0].title", mentions="needs a title"
    )
    assert_problem(
        client.post("/api/v1/events", json=slots(kind="break", room="Gym")), 422, field="slots[0].room", mentions="Gym"
    )
    assert_problem(client.post("/api/v1/events", json=slots(title="Keynote")), 422, field="slots[0].title")


def test_building_a_day_of_plenaries_only_is_refused_with_the_reason(client: TestClient) -> None:
    body = {**EVENT_BODY, "slots": [{"start": "09:00", "end": "10:00", "kind": "plenary", "title": "Keynote"}]}
    created = client.post("/api/v1/events", json=body).json()
    headers = {"Authorization": f"Bearer {created['organizer_token']}"}
    build = client.post(f"/api/v1/events/{created['code']}/schedule/build", json={}, headers=headers)
    assert_problem(build, 409, field="slots", mentions="nowhere to place sessions")
