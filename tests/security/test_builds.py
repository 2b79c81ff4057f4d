"""Item 7: solver builds are bounded (time an organizer may ask for, builds at once per process) and
event creation is rate-limited per client address."""

from __future__ import annotations

import random
import time

import httpx
import pytest

from tests.security.conftest import StartServer
from tests.security.helpers import ApiEvent, create_event, join, set_phase


def _busy_event(http: httpx.Client, seed: int) -> ApiEvent:
    """An event big enough that its build uses the whole time it is given."""
    rng = random.Random(seed)
    body = {
        "rooms": [{"name": f"Room {i}", "capacity": rng.randint(8, 30)} for i in range(6)],
        "slots": [{"start": f"{9 + i:02d}:00", "end": f"{9 + i:02d}:50"} for i in range(5)],
    }
    event = create_event(http, **body)
    set_phase(http, event, "proposing")
    people = [join(http, event, f"T{i}") for i in range(40)]
    topics = []
    for i in range(45):
        made = http.post(
            f"/api/v1/events/{event.code}/topics",
            json={"title": f"Topic {i}", "facilitate": True},
            headers=people[i % len(people)],
        )
        assert made.status_code == 201, made.text
        topics.append(made.json()["id"])
    for person in people:
        for topic in rng.sample(topics, 8):
            http.put(f"/api/v1/events/{event.code}/topics/{topic}/interest", headers=person)
    return event


def test_build_time_and_builds_at_once_are_capped(start_server: StartServer) -> None:
    server = start_server(
        TWOFEET_SOLVER_MAX_TIME_LIMIT_S="8",
        TWOFEET_MAX_CONCURRENT_BUILDS="1",
        TWOFEET_MAX_QUEUED_BUILDS="0",
        TWOFEET_EVENT_CREATION_RATE="100/minute",
    )
    with httpx.Client(base_url=server.url, timeout=30) as http:
        first, second = _busy_event(http, 1), _busy_event(http, 2)
        too_long = http.post(
            f"/api/v1/events/{first.code}/schedule/build", json={"time_limit": 600}, headers=first.organizer
        )
        assert too_long.status_code == 422 and too_long.json()["field"] == "time_limit", too_long.text
        assert "at most 8 seconds" in too_long.json()["detail"]
        started = http.post(
            f"/api/v1/events/{first.code}/schedule/build", json={"time_limit": 8}, headers=first.organizer
        )
        assert started.status_code == 202, started.text
        refused = http.post(
            f"/api/v1/events/{second.code}/schedule/build", json={"time_limit": 2}, headers=second.organizer
        )
        running = http.get(f"/api/v1/events/{first.code}/schedule/build", headers=first.organizer).json()["running"]
        assert running, "the first build ended before the second was asked for; make the event bigger"
        assert refused.status_code == 429, refused.text
        assert int(refused.headers["retry-after"]) > 0
        deadline = time.monotonic() + 60
        while http.get(f"/api/v1/events/{first.code}/schedule/build", headers=first.organizer).json()["running"]:
            assert time.monotonic() < deadline
            time.sleep(0.3)
        again = http.post(
            f"/api/v1/events/{second.code}/schedule/build", json={"time_limit": 1}, headers=second.organizer
        )
        assert again.status_code == 202, again.text


@pytest.mark.parametrize("limit", ["3/minute"])
def test_event_creation_is_rate_limited_per_client_address(start_server: StartServer, limit: str) -> None:
    server = start_server(TWOFEET_EVENT_CREATION_RATE=limit)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for _ in range(3):
            create_event(http)
        refused = http.post(
            "/api/v1/events",
            json={
                "name": "Fourth",
                "date": "2027-03-13",
                "rooms": [{"name": "A", "capacity": 3}],
                "slots": [{"start": "09:00", "end": "10:00"}],
            },
        )
        assert refused.status_code == 429, refused.text
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert "try again in" in refused.json()["detail"]
        elsewhere = http.post(
            "/api/v1/events",
            json={
                "name": "Other school",
                "date": "2027-03-13",
                "rooms": [{"name": "A", "capacity": 3}],
                "slots": [{"start": "09:00", "end": "10:00"}],
            },
            headers={"X-Forwarded-For": "10.20.30.40"},
        )
        assert elsewhere.status_code == 201, elsewhere.text


def test_builds_past_the_cap_wait_their_turn_and_the_queue_is_bounded(start_server: StartServer) -> None:
    """One build runs, the next waits and is told its place, a third is refused; the queued one's
    time starts when it does, and cancelling a queued build leaves the previous draft alone."""
    server = start_server(
        TWOFEET_MAX_CONCURRENT_BUILDS="1", TWOFEET_MAX_QUEUED_BUILDS="1", TWOFEET_EVENT_CREATION_RATE="100/minute"
    )
    with httpx.Client(base_url=server.url, timeout=30) as http:
        first, second, third = _busy_event(http, 1), _busy_event(http, 2), _busy_event(http, 3)
        build = "/api/v1/events/{}/schedule/build"
        started = http.post(build.format(first.code), json={"time_limit": 4}, headers=first.organizer)
        assert started.status_code == 202 and not started.json()["queued"], started.text
        waiting = http.post(build.format(second.code), json={"time_limit": 2}, headers=second.organizer)
        assert waiting.status_code == 202, waiting.text
        assert (waiting.json()["queued"], waiting.json()["waiting"]) == (True, 1), waiting.text
        full = http.post(build.format(third.code), json={"time_limit": 1}, headers=third.organizer)
        assert full.status_code == 429 and int(full.headers["retry-after"]) > 0, full.text
        assert "waiting" in full.json()["detail"]
        again = http.post(build.format(second.code), json={"time_limit": 2}, headers=second.organizer)
        assert again.json()["queued"], "asking again for a queued build is the same build, not a second one"
        deadline = time.monotonic() + 60
        while http.get(build.format(second.code), headers=second.organizer).json()["running"]:
            assert time.monotonic() < deadline, "the queued build never ran"
            time.sleep(0.2)
        done = http.get(build.format(second.code), headers=second.organizer).json()
        assert done["error"] is None and done["version"] == 1, done
        assert done["elapsed"] <= 2 + 0.5, f"its two seconds counted from its start, not from the queue: {done}"
        first_done = http.get(build.format(first.code), headers=first.organizer).json()
        assert not first_done["running"] and first_done["version"] == 1, first_done
