"""Item 5: a refused request leaves nothing behind (rows counted before and after)."""

from __future__ import annotations

import httpx

from tests.realtime.live import Server
from tests.security.helpers import EVENT_BODY, count_rows, csrf_from, organizer_browser, published_event


def test_refused_event_creation_creates_no_event(http: httpx.Client, database: str) -> None:
    before = {table: count_rows(database, table) for table in ("event", "room", "time_slot", "organizer")}
    for bad in ({"vote_budget": 0}, {"vote_budget": 5000}, {"vote_budget": -1}):
        refused = http.post("/api/v1/events", json={**EVENT_BODY, **bad})
        assert refused.status_code == 422, refused.text
        assert "vote_budget" in refused.text
    after = {table: count_rows(database, table) for table in before}
    assert after == before


def test_refused_schedule_edit_makes_no_draft_version(live: Server, http: httpx.Client, database: str) -> None:
    event, _topic_ids = published_event(http)
    runs_before = count_rows(database, "schedule_run")
    placements_before = count_rows(database, "placement")
    browser = organizer_browser(live.url, event)
    with browser:
        console = f"/e/{event.code}/organize/schedule"
        token = csrf_from(browser, console)
        rooms = http.get(f"/api/v1/events/{event.code}").json()
        room_id, slot_id = rooms["rooms"][0]["id"], rooms["slots"][0]["id"]
        for data in (
            {"topic_id": "987654", "room_id": str(room_id), "slot_id": str(slot_id)},
            {"topic_id": "1", "room_id": "987654", "slot_id": str(slot_id)},
        ):
            refused = browser.post(f"{console}/place", data={**data, "csrf_token": token})
            assert refused.status_code == 404, (refused.status_code, refused.text[:300])
        for path in ("move", "unschedule", "pin"):
            refused = browser.post(
                f"{console}/{path}",
                data={"placement_id": "987654", "room_id": str(room_id), "slot_id": str(slot_id), "csrf_token": token},
            )
            assert refused.status_code == 404, (path, refused.status_code, refused.text[:300])
    assert count_rows(database, "schedule_run") == runs_before
    assert count_rows(database, "placement") == placements_before


def test_refused_create_form_creates_no_event(live: Server, database: str) -> None:
    """The home page's form, refused for every field at once, writes nothing."""
    before = {table: count_rows(database, table) for table in ("event", "room", "time_slot", "organizer")}
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        data = {
            "name": "Edcamp Refused",
            "date": "2027-03-13",
            "timezone": "America/Los_Angeles",
            "room_name": "Library",
            "room_capacity": "thirty",
            "room_features": "",
            "slot_start": "10:00",
            "slot_end": "09:30",
            "csrf_token": csrf_from(browser, "/"),
        }
        refused = browser.post("/events", data=data, headers={"Origin": live.url})
        assert refused.status_code == 422, (refused.status_code, refused.text[:300])
        assert "Room 1: seats must be a whole number" in refused.text
        assert "Slot 1: the slot must end after it starts" in refused.text
    after = {table: count_rows(database, table) for table in before}
    assert after == before
