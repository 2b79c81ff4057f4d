"""The JSON API through httpx: the same rules as the pages, refusals as problem details."""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import audit, events
from tests.factories import EVENT_BODY


def create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(EVENT_BODY)
    body.update(overrides)
    response = client.post("/api/v1/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def join(client: TestClient, code: str, name: str = "") -> str:
    response = client.post(f"/api/v1/events/{code}/attendees", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["token"]


def open_proposing(client: TestClient, created: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/events/{created['code']}/phase",
        json={"phase": "proposing"},
        headers=bearer(created["organizer_token"]),
    )
    assert response.status_code == 200, response.text


def propose(client: TestClient, code: str, token: str, title: str = "Math talks", **extra: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/events/{code}/topics", json={"title": title, **extra}, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()


def assert_problem(response: Any, status: int, *, field: str | None = None, mentions: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert "Traceback" not in response.text
    if field is not None:
        assert field in {e.get("field") for e in problem.get("errors", [])} | {problem.get("field")}, problem
    if mentions:
        assert mentions.lower() in problem["detail"].lower(), problem
    return problem


def test_create_event_returns_code_token_and_links(client: TestClient) -> None:
    created = create(client)
    code = created["code"]
    assert len(code) == 6 and not set(code) & set("0O1IL")
    assert created["links"]["join"].endswith(f"/e/{code}")
    assert "key=" in created["links"]["organize"]
    event = client.get(f"/api/v1/events/{code}").json()
    assert event["phase"] == "setup"
    assert [r["name"] for r in event["rooms"]] == ["Library", "Room 2"]
    assert event["rooms"][0]["features"] == ["projector"]
    assert [(s["start"], s["end"]) for s in event["slots"]] == [("09:30", "10:20"), ("10:30", "11:20")]


def test_the_whole_morning_through_the_api(client: TestClient) -> None:
    created = create(client, vote_budget=2)
    code = created["code"]
    open_proposing(client, created)
    ana, ben = join(client, code, "Ana"), join(client, code, "Ben")
    first = propose(client, code, ana, "Thinking classrooms", tags=["math", "6-8"], facilitate=True)
    second = propose(client, code, ben, "Podcasts in ELA")
    assert first["facilitators"] == ["Ana"] and first["mine"] is True

    marked = client.put(f"/api/v1/events/{code}/topics/{first['id']}/interest", headers=bearer(ben)).json()
    assert marked == {"topic_id": first["id"], "marked": True, "changed": True, "count": 1, "marks_left": 1}
    again = client.put(f"/api/v1/events/{code}/topics/{first['id']}/interest", headers=bearer(ben)).json()
    assert again["changed"] is False and again["count"] == 1, "one mark per attendee per topic, always"
    client.put(f"/api/v1/events/{code}/topics/{second['id']}/interest", headers=bearer(ben))
    third = propose(client, code, ana, "Recess for all")
    refused = client.put(f"/api/v1/events/{code}/topics/{third['id']}/interest", headers=bearer(ben))
    assert_problem(refused, 409, mentions="all 2 of your marks")

    wall = client.get(f"/api/v1/events/{code}/topics", params={"sort": "wanted"}, headers=bearer(ben)).json()
    assert [t["count"] for t in wall["topics"]] == [1, 1, 0]
    assert wall["topics"][-1]["title"] == "Recess for all"
    assert wall["marks_left"] == 0
    by_tag = client.get(f"/api/v1/events/{code}/topics", params={"tag": "math"}).json()
    assert [t["title"] for t in by_tag["topics"]] == ["Thinking classrooms"]

    unmarked = client.delete(f"/api/v1/events/{code}/topics/{second['id']}/interest", headers=bearer(ben)).json()
    assert unmarked["marked"] is False and unmarked["marks_left"] == 1

    edited = client.patch(
        f"/api/v1/events/{code}/topics/{first['id']}", json={"title": "Thinking classrooms 2"}, headers=bearer(ana)
    )
    assert edited.status_code == 200 and edited.json()["title"] == "Thinking classrooms 2"
    assert client.delete(f"/api/v1/events/{code}/topics/{third['id']}", headers=bearer(ana)).status_code == 204
    titles = [t["title"] for t in client.get(f"/api/v1/events/{code}/topics").json()["topics"]]
    assert "Recess for all" not in titles


def test_validation_errors_name_the_field(client: TestClient) -> None:
    missing = client.post("/api/v1/events", json={"name": "X"})
    assert_problem(missing, 422, field="rooms")
    bad_capacity = copy.deepcopy(EVENT_BODY)
    bad_capacity["rooms"][1]["capacity"] = 0
    assert_problem(client.post("/api/v1/events", json=bad_capacity), 422, field="rooms[1].capacity")
    bad_zone = client.post("/api/v1/events", json={**EVENT_BODY, "timezone": "Mars/Olympus"})
    assert_problem(bad_zone, 422, field="timezone")
    bad_slot = copy.deepcopy(EVENT_BODY)
    bad_slot["slots"][0]["end"] = "09:00"
    assert_problem(client.post("/api/v1/events", json=bad_slot), 422, field="slots[0].end")
    wrong_type = client.post("/api/v1/events", json={**EVENT_BODY, "rooms": "many"})
    assert_problem(wrong_type, 422, field="rooms")
    not_json = client.post("/api/v1/events", content=b"{nope", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and "Traceback" not in not_json.text  # malformed JSON: the documented 400


def test_topic_title_limits_name_the_field(client: TestClient) -> None:
    created = create(client)
    open_proposing(client, created)
    token = join(client, created["code"])
    url = f"/api/v1/events/{created['code']}/topics"
    assert_problem(client.post(url, json={"title": "   "}, headers=bearer(token)), 422, field="title")
    assert_problem(client.post(url, json={"title": "x" * 121}, headers=bearer(token)), 422, field="title")
    assert_problem(
        client.post(url, json={"title": "ok", "description": "d" * 1001}, headers=bearer(token)),
        422,
        field="description",
    )
    trimmed = propose(client, created["code"], token, "  " + "y" * 120 + "  ")
    assert trimmed["title"] == "y" * 120


def test_unknown_event_and_topic_are_404(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/events/ZZZZZZ"), 404)
    created = create(client)
    open_proposing(client, created)
    token = join(client, created["code"])
    assert_problem(client.put(f"/api/v1/events/{created['code']}/topics/99999/interest", headers=bearer(token)), 404)


def test_organizer_actions_need_the_organizer(client: TestClient) -> None:
    created = create(client)
    code = created["code"]
    attendee = join(client, code)
    phase_url = f"/api/v1/events/{code}/phase"
    assert_problem(client.post(phase_url, json={"phase": "voting"}), 401)
    assert_problem(client.post(phase_url, json={"phase": "voting"}, headers=bearer(attendee)), 401)
    assert_problem(client.post(phase_url, json={"phase": "voting"}, headers=bearer("forged.token")), 401)
    assert_problem(client.get(f"/api/v1/events/{code}/export"), 401)
    assert_problem(client.patch(f"/api/v1/events/{code}", json={"vote_budget": 3}), 401)


def test_organizer_login_refuses_a_wrong_secret_or_password(client: TestClient) -> None:
    created = create(client, password="correct horse battery")
    code = created["code"]
    key = created["links"]["organize"].split("key=")[1]
    login = f"/api/v1/events/{code}/login"
    assert_problem(client.post(login, json={"key": key[:-1] + ("A" if key[-1] != "A" else "B")}), 403)
    assert_problem(client.post(login, json={"password": "wrong"}), 403)
    assert_problem(client.post(login, json={}), 403)
    by_key = client.post(login, json={"key": key})
    by_password = client.post(login, json={"password": "correct horse battery"})
    assert by_key.status_code == by_password.status_code == 200
    phase = client.post(
        f"/api/v1/events/{code}/phase",
        json={"phase": "proposing"},
        headers=bearer(by_password.json()["organizer_token"]),
    )
    assert phase.status_code == 200 and phase.json()["phase"] == "proposing"


def test_tokens_do_not_cross_events(client: TestClient) -> None:
    one, two = create(client), create(client)
    open_proposing(client, one)
    open_proposing(client, two)
    token_one = join(client, one["code"])
    refused = client.post(f"/api/v1/events/{two['code']}/topics", json={"title": "Sneaky"}, headers=bearer(token_one))
    assert_problem(refused, 401)
    organizer_refused = client.post(
        f"/api/v1/events/{two['code']}/phase", json={"phase": "closed"}, headers=bearer(one["organizer_token"])
    )
    assert_problem(organizer_refused, 401)


def test_only_the_author_or_an_organizer_edits_or_withdraws(client: TestClient, session: Session) -> None:
    created = create(client)
    code = created["code"]
    open_proposing(client, created)
    author, other = join(client, code), join(client, code)
    topic = propose(client, code, author)
    url = f"/api/v1/events/{code}/topics/{topic['id']}"
    assert_problem(client.patch(url, json={"title": "Mine now"}, headers=bearer(other)), 403)
    assert_problem(client.delete(url, headers=bearer(other)), 403)
    assert_problem(client.delete(url), 403)
    by_organizer = client.patch(url, json={"title": "Tidied"}, headers=bearer(created["organizer_token"]))
    assert by_organizer.status_code == 200 and by_organizer.json()["title"] == "Tidied"
    assert client.delete(url, headers=bearer(created["organizer_token"])).status_code == 204
    # The API's organizer leaves the same audit lines as the console's (domain: topics.edit_topic).
    event = events.require_event(session, code)
    assert [(e.action, e.detail) for e in audit.entries(session, event=event)][:2] == [
        ("withdraw", "withdrew “Tidied”"),
        ("edit", f"edited “{topic['title']}” (now “Tidied”)"),
    ]


def test_phase_refusals_say_what_is_allowed(client: TestClient) -> None:
    created = create(client)
    code = created["code"]
    organizer = bearer(created["organizer_token"])
    token = join(client, code)
    early = client.post(f"/api/v1/events/{code}/topics", json={"title": "Too early"}, headers=bearer(token))
    assert_problem(early, 409, mentions="setting up")
    open_proposing(client, created)
    topic = propose(client, code, token)
    client.post(f"/api/v1/events/{code}/phase", json={"phase": "voting"}, headers=organizer)
    late = client.post(f"/api/v1/events/{code}/topics", json={"title": "Too late"}, headers=bearer(token))
    assert_problem(late, 409, mentions="you can still mark")
    assert client.put(f"/api/v1/events/{code}/topics/{topic['id']}/interest", headers=bearer(token)).status_code == 200
    client.post(f"/api/v1/events/{code}/phase", json={"phase": "scheduled"}, headers=organizer)
    closed = client.put(f"/api/v1/events/{code}/topics/{topic['id']}/interest", headers=bearer(token))
    assert_problem(closed, 409, mentions="marking has closed")
    edit = client.patch(f"/api/v1/events/{code}/topics/{topic['id']}", json={"title": "x"}, headers=bearer(token))
    assert_problem(edit, 409)
    unknown = client.post(f"/api/v1/events/{code}/phase", json={"phase": "party"}, headers=organizer)
    assert_problem(unknown, 422, field="phase")


def test_hidden_counts_are_null_for_attendees_but_not_organizers(client: TestClient) -> None:
    created = create(client, hide_counts=True)
    code = created["code"]
    open_proposing(client, created)
    token = join(client, code)
    topic = propose(client, code, token)
    mark = client.put(f"/api/v1/events/{code}/topics/{topic['id']}/interest", headers=bearer(token)).json()
    assert mark["count"] is None and mark["marked"] is True
    assert client.get(f"/api/v1/events/{code}/topics", headers=bearer(token)).json()["topics"][0]["count"] is None
    organizer_view = client.get(f"/api/v1/events/{code}/topics", headers=bearer(created["organizer_token"])).json()
    assert organizer_view["topics"][0]["count"] == 1


def test_shuffled_order_differs_between_attendees_and_is_stable(client: TestClient) -> None:
    created = create(client, shuffle_topics=True)
    code = created["code"]
    open_proposing(client, created)
    author = join(client, code)
    for i in range(12):
        propose(client, code, author, f"Topic {i:02d}")
    viewers = [join(client, code) for _ in range(4)]

    def order(token: str) -> list[str]:
        return [t["title"] for t in client.get(f"/api/v1/events/{code}/topics", headers=bearer(token)).json()["topics"]]

    orders = [order(token) for token in viewers]
    assert all(sorted(o) == sorted(orders[0]) for o in orders)
    assert len({tuple(o) for o in orders}) > 1, "each attendee sees their own order"
    assert order(viewers[0]) == orders[0], "and it stays put between visits"


def test_settings_change_and_are_validated(client: TestClient) -> None:
    created = create(client)
    url = f"/api/v1/events/{created['code']}"
    headers = bearer(created["organizer_token"])
    changed = client.patch(url, json={"vote_budget": 3, "hide_counts": True, "shuffle_topics": False}, headers=headers)
    assert changed.status_code == 200
    assert client.get(url).json()["settings"]["vote_budget"] == 3
    assert_problem(client.patch(url, json={"vote_budget": -1}, headers=headers), 422, field="vote_budget")


def test_openapi_describes_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{code}/topics",
        "/api/v1/events/{code}/topics/{topic_id}/interest",
        "/api/v1/events/{code}/phase",
        "/api/v1/events/{code}/attendees",
    ):
        assert path in paths, path
    assert "put" in paths["/api/v1/events/{code}/topics/{topic_id}/interest"]


def test_schedule_published_is_refused_until_a_schedule_is_published(client: TestClient) -> None:
    created = create(client)
    code, organizer = created["code"], bearer(created["organizer_token"])
    refused = client.post(f"/api/v1/events/{code}/phase", json={"phase": "live"}, headers=organizer)
    problem = assert_problem(refused, 409, field="phase", mentions="nothing has been published yet")
    assert problem["code"] == "conflict"
    assert client.get(f"/api/v1/events/{code}").json()["phase"] == "setup", "the refusal changed nothing"
    closed = client.post(f"/api/v1/events/{code}/phase", json={"phase": "closed"}, headers=organizer)
    assert closed.status_code == 200 and closed.json()["phase"] == "closed"


def test_every_refused_field_of_a_new_event_is_listed(client: TestClient) -> None:
    body = copy.deepcopy(EVENT_BODY)
    body["rooms"][1]["name"] = "library"
    body["slots"][1]["end"] = "10:00"
    problem = assert_problem(client.post("/api/v1/events", json={**body, "date": "2027-02-30"}), 422, field="date")
    assert [e["field"] for e in problem["errors"]] == ["date", "rooms[1].name", "slots[1].end"]
    assert problem["errors"][2]["message"] == "the slot must end after it starts (10:30 AM)."
