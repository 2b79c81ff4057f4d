"""POST /api/v1/events/{code}/copy: a new event like this one, through the JSON API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import events
from tests.api.test_api import assert_problem, bearer, create, join, open_proposing, propose


def _copy(client: TestClient, code: str, token: str, **body: Any) -> Any:
    return client.post(f"/api/v1/events/{code}/copy", json=body, headers=bearer(token))


DAY = [
    {"start": "08:45", "end": "09:20", "kind": "plenary", "title": "Opening and EdTalks", "room": "Library"},
    {"start": "09:30", "end": "10:20"},
    {"start": "12:20", "end": "13:10", "kind": "break", "title": "Lunch in the cafeteria"},
]


def test_a_copy_has_the_setup_and_rules_on_the_new_date_and_nothing_of_the_day(client: TestClient) -> None:
    created = create(client, slots=DAY)
    code, token = created["code"], created["organizer_token"]
    settings = {"vote_budget": 4, "hide_counts": True, "shuffle_topics": True, "min_interest": 3}
    assert client.patch(f"/api/v1/events/{code}", json=settings, headers=bearer(token)).status_code == 200
    open_proposing(client, created)
    propose(client, code, join(client, code, "Ms. Rivera"), title="Math talks")

    answer = _copy(client, code, token, name="Edcamp API 2028", date="2028-03-11")
    assert answer.status_code == 201, answer.text
    copied = answer.json()
    new = copied["code"]
    assert new != code and f"/e/{new}/organize?key=" in copied["links"]["organize"]
    assert copied["links"]["join"].endswith(f"/e/{new}")
    event = client.get(f"/api/v1/events/{new}").json()
    before = client.get(f"/api/v1/events/{code}").json()
    assert (event["name"], event["date"], event["timezone"], event["phase"]) == (
        "Edcamp API 2028",
        "2028-03-11",
        before["timezone"],
        "setup",
    )
    assert event["settings"] == before["settings"] == {**settings, "language": "en", "bilingual": False}
    assert [(r["name"], r["capacity"], r["features"]) for r in event["rooms"]] == [
        (r["name"], r["capacity"], r["features"]) for r in before["rooms"]
    ]
    assert [(s["start"], s["end"], s["kind"], s["title"]) for s in event["slots"]] == [
        ("08:45", "09:20", "plenary", "Opening and EdTalks"),
        ("09:30", "10:20", "sessions", ""),
        ("12:20", "13:10", "break", "Lunch in the cafeteria"),
    ]
    library = event["rooms"][0]
    assert library["name"] == "Library" and library["id"] != before["rooms"][0]["id"]
    assert [s["room_id"] for s in event["slots"]] == [library["id"], None, None]
    # The token returned signs in to the new event (its organizer), not to the earlier one's topics.
    exported = client.get(f"/api/v1/events/{new}/export", headers=bearer(copied["organizer_token"]))
    assert exported.status_code == 200
    assert (exported.json()["topics"], exported.json()["attendees"], exported.json()["interests"]) == ([], [], [])
    assert client.get(f"/api/v1/events/{new}/topics").json()["topics"] == []
    assert len(client.get(f"/api/v1/events/{code}/topics").json()["topics"]) == 1  # the earlier day keeps its own


def test_the_name_defaults_to_the_same(client: TestClient) -> None:
    created = create(client, name="Edcamp Series")
    answer = _copy(client, created["code"], created["organizer_token"], date="2028-01-08")
    assert answer.status_code == 201, answer.text
    assert client.get(f"/api/v1/events/{answer.json()['code']}").json()["name"] == "Edcamp Series"


def test_refusals_name_the_date_and_need_this_events_organizer(client: TestClient, session: Session) -> None:
    created, other = create(client), create(client, name="Another Edcamp")
    code, token = created["code"], created["organizer_token"]
    assert_problem(_copy(client, code, token, date="2028-02-30"), 422, field="date", mentions="not a date")
    assert_problem(_copy(client, code, token, date=""), 422, field="date", mentions="give the day")
    assert_problem(_copy(client, code, token), 422, field="date")
    assert_problem(_copy(client, code, token, date="2028-01-08", name="x" * 121), 422, field="name")
    assert_problem(client.post(f"/api/v1/events/{code}/copy", json={"date": "2028-01-08"}), 401)
    # Another event's organizer token is no sign-in to this one.
    assert_problem(_copy(client, code, other["organizer_token"], date="2028-01-08"), 401)
    assert_problem(_copy(client, "NOSUCH", token, date="2028-01-08"), 404)
    assert_problem(_copy(client, code, "forged.token", date="2028-01-08"), 401)
    assert events.count_events(session) == 2  # no refusal left an event behind


def test_openapi_documents_the_copy(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/events/{code}/copy"]["post"]
    assert "new event like this one" in operation["description"].lower()
    assert {"201", "401", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert body == "EventCopy"
