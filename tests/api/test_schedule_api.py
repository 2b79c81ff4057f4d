"""The schedule through the API: build in the background, read the draft, publish, permissions."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.api.test_api import assert_problem, bearer, create, join, open_proposing, propose


def test_build_poll_read_and_publish(client: TestClient) -> None:
    created = create(client)
    code, organizer = created["code"], bearer(created["organizer_token"])
    open_proposing(client, created)
    tokens = [join(client, code, f"T{i}") for i in range(6)]
    ids = [propose(client, code, tokens[i], f"Topic {i}")["id"] for i in range(5)]
    for i, token in enumerate(tokens):
        for topic_id in ids[i % 3 : i % 3 + 2]:
            client.put(f"/api/v1/events/{code}/topics/{topic_id}/interest", headers=bearer(token))
    assert_problem(client.get(f"/api/v1/events/{code}/schedule"), 404)
    assert_problem(client.post(f"/api/v1/events/{code}/schedule/build", json={}), 401)
    assert_problem(client.post(f"/api/v1/events/{code}/schedule/build", json={}, headers=bearer(tokens[0])), 401)
    assert_problem(
        client.post(f"/api/v1/events/{code}/schedule/build", json={"time_limit": 0}, headers=organizer),
        422,
        field="time_limit",
    )
    assert_problem(
        client.post(f"/api/v1/events/{code}/schedule/build", json={"keep_before": 1}, headers=organizer),
        422,
        field="keep_before",
    )
    started = client.post(f"/api/v1/events/{code}/schedule/build", json={"time_limit": 3}, headers=organizer)
    assert started.status_code == 202
    status = started.json()
    deadline = time.monotonic() + 60
    while status["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get(f"/api/v1/events/{code}/schedule/build", headers=organizer).json()
    assert not status["running"] and status["error"] is None and status["version"] == 1
    draft = client.get(f"/api/v1/events/{code}/schedule", headers=organizer).json()
    assert draft["published"] is False and len(draft["sessions"]) == 4 and len(draft["left_out"]) == 1
    assert draft["stats"]["attendance"] == status["attendance"]
    assert_problem(client.get(f"/api/v1/events/{code}/schedule"), 404), "attendees see nothing before publishing"
    assert_problem(client.post(f"/api/v1/events/{code}/schedule/publish", json={}, headers=bearer(tokens[0])), 401)
    published = client.post(
        f"/api/v1/events/{code}/schedule/publish", json={"announcement": "Grid is up!"}, headers=organizer
    )
    assert published.status_code == 200 and published.json()["published"] is True
    public = client.get(f"/api/v1/events/{code}/schedule").json()
    assert public["version"] == 1 and public["left_out"] == [] and len(public["sessions"]) == 4
    assert client.get(f"/api/v1/events/{code}").json()["phase"] == "live"
    assert_problem(client.post(f"/api/v1/events/{code}/schedule/publish", json={}, headers=organizer), 409)
