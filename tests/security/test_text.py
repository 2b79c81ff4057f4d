"""Item 3: control characters (a NUL above all) in user-written text are refused with a 422 naming
the field, the same on SQLite and PostgreSQL; bidi overrides never reach a title."""

from __future__ import annotations

import httpx
import pytest

from tests.realtime.live import Server
from tests.security.helpers import EVENT_BODY, create_event, join, post_form, set_phase

NUL = "Edcamp\x00 day"


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    assert field in response.text


def test_nul_in_event_name_is_refused_naming_the_field(http: httpx.Client) -> None:
    response = http.post("/api/v1/events", json={**EVENT_BODY, "name": NUL})
    _refused(response, "name")
    response = http.post("/api/v1/events", json={**EVENT_BODY, "rooms": [{"name": "Lib\x00", "capacity": 3}]})
    _refused(response, "rooms[0].name")


def test_nul_in_join_name_topic_title_and_description_is_refused(http: httpx.Client) -> None:
    event = create_event(http)
    set_phase(http, event, "proposing")
    _refused(http.post(f"/api/v1/events/{event.code}/attendees", json={"name": "An\x00a"}), "name")
    attendee = join(http, event)
    topics = f"/api/v1/events/{event.code}/topics"
    _refused(http.post(topics, json={"title": "Maker\x00space"}, headers=attendee), "title")
    _refused(http.post(topics, json={"title": "Makerspace", "description": "a\x07b"}, headers=attendee), "description")
    _refused(http.post(topics, json={"title": "Makerspace", "tags": ["ok", "b\x00d"]}, headers=attendee), "tags")
    made = http.post(
        topics, json={"title": "Makerspace", "description": "line one\nline two\ttabbed"}, headers=attendee
    )
    assert made.status_code == 201, made.text  # newline and tab are text
    topic_id = made.json()["id"]
    _refused(http.patch(f"{topics}/{topic_id}", json={"title": "x\x00"}, headers=attendee), "title")
    assert http.get(topics, params={"tag": "a\x00b"}).status_code in (200, 422)
    listed = http.get(topics).json()["topics"]
    assert [t["title"] for t in listed] == ["Makerspace"]


def test_nul_in_forms_is_refused_naming_the_field(live: Server) -> None:
    with httpx.Client(base_url=live.url, timeout=30) as api:
        event = create_event(api)
        set_phase(api, event, "proposing")
    with httpx.Client(base_url=live.url, timeout=30) as phone:
        page = f"/e/{event.code}"
        _refused(post_form(phone, f"{page}/join", {"name": "An\x00a"}, page=page), "name")
        joined = post_form(phone, f"{page}/join", {"name": "Ana"}, page=page)
        assert joined.status_code == 303, joined.text[:300]
        _refused(post_form(phone, f"{page}/topics", {"title": "Ro\x00bots", "description": ""}, page=page), "title")
        _refused(
            post_form(phone, f"{page}/topics", {"title": "Robots", "description": "\x00"}, page=page), "description"
        )
        made = post_form(phone, f"{page}/topics", {"title": "Robots", "description": "two\r\nlines"}, page=page)
        assert made.status_code == 303, made.text[:300]
    with httpx.Client(base_url=live.url, timeout=30) as home:
        _refused(
            post_form(
                home,
                "/events",
                {
                    "name": NUL,
                    "date": "2027-03-13",
                    "timezone": "UTC",
                    "room_name": "Library",
                    "room_capacity": "30",
                    "slot_start": "09:00",
                    "slot_end": "10:00",
                },
                page="/",
            ),
            "name",
        )


@pytest.mark.parametrize("override", ["\u202e", "\u2066", "\u202a"])
def test_bidi_overrides_are_stripped_from_titles(http: httpx.Client, override: str) -> None:
    event = create_event(http)
    set_phase(http, event, "proposing")
    attendee = join(http, event)
    made = http.post(f"/api/v1/events/{event.code}/topics", json={"title": f"Safe {override}txt.exe"}, headers=attendee)
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "Safe txt.exe"
    wall = http.get(f"/e/{event.code}/board").text
    assert override not in wall
