"""iCalendar feeds: they parse with the icalendar library, carry rooms and the event's time zone, and follow changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from app.domain import calendar
from tests.aftersession.helpers import as_attendee, live_event
from tests.factories import publish_cells

LA = ZoneInfo("America/Los_Angeles")


def _events(body: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(body)
    return {str(item["summary"]): item for item in cal.walk("VEVENT")}


def test_schedule_feed_has_rooms_local_times_and_a_vtimezone(client: TestClient, session: Session) -> None:
    live = live_event(session)
    response = client.get(f"/e/{live.code}/schedule.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal["x-wr-calname"]) == "Edcamp Test"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    items = _events(response.content)
    assert sorted(items) == ["Math talks", "Project-based science", "Read-alouds"]
    math = items["Math talks"]
    assert math["dtstart"].params["TZID"] == "America/Los_Angeles"  # type: ignore[index]
    assert math.decoded("dtstart") == datetime(2027, 3, 13, 9, 0, tzinfo=LA)  # type: ignore[attr-defined]
    assert math.decoded("dtend") == datetime(2027, 3, 13, 9, 50, tzinfo=LA)  # type: ignore[attr-defined]
    assert math.decoded("dtstart").utcoffset().total_seconds() == -8 * 3600  # type: ignore[attr-defined]
    assert str(math["location"]) == "Room 1"  # type: ignore[index]
    assert str(items["Project-based science"]["location"]) == "Room 2"  # type: ignore[index]
    assert items["Read-alouds"].decoded("dtstart") == datetime(2027, 3, 13, 10, 0, tzinfo=LA)  # type: ignore[attr-defined]
    assert "Led by Ms. Rivera." in str(math["description"])  # type: ignore[index]
    assert str(math["url"]).endswith(f"/e/{live.code}/sessions/{live.topics[0].id}/notes")  # type: ignore[index]


def test_a_moved_session_keeps_its_uid_and_gets_a_higher_sequence(db: Session) -> None:
    live = live_event(db)
    before = _events(calendar.schedule_feed(db, event=live.event, base_url="http://testserver"))
    rooms, slots, t = live.rooms, live.slots, live.topics
    publish_cells(
        db,
        live.created,
        [
            (t[0].id, rooms[0].id, slots[0].id),
            (t[1].id, rooms[1].id, slots[1].id),  # type: ignore[list-item]
            (t[2].id, rooms[0].id, slots[1].id),
        ],
    )  # type: ignore[list-item]
    after = _events(calendar.schedule_feed(db, event=live.event, base_url="http://testserver"))
    for title in before:
        assert str(after[title]["uid"]) == str(before[title]["uid"])  # type: ignore[index]
    assert [int(after[t]["sequence"]) for t in ("Math talks", "Project-based science", "Read-alouds")] == [0, 1, 0]  # type: ignore[index]
    moved = after["Project-based science"]
    assert moved.decoded("dtstart") == datetime(2027, 3, 13, 10, 0, tzinfo=LA)  # type: ignore[attr-defined]
    assert moved.decoded("last-modified") >= before["Project-based science"].decoded("last-modified")  # type: ignore[attr-defined]
    assert moved.decoded("dtstamp") >= moved.decoded("last-modified")  # type: ignore[attr-defined]


def test_feed_before_publishing_is_an_empty_calendar(client: TestClient, session: Session) -> None:
    live = live_event(session, publish=False)
    cal = Calendar.from_ical(client.get(f"/e/{live.code}/schedule.ics").content)
    assert cal.walk("VEVENT") == []


def test_my_day_feed_has_my_marked_and_led_sessions_by_cookie_or_private_key(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session)
    chen = live.people[1]  # marked Math talks and Project-based science
    by_header = client.get(f"/e/{live.code}/my.ics", headers=as_attendee(app, chen))
    assert by_header.status_code == 200
    assert sorted(_events(by_header.content)) == ["Math talks", "Project-based science"]
    page = client.get(f"/e/{live.code}/calendar", headers=as_attendee(app, live.people[0]))
    link = page.text.split('href="webcal://', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    path = "/" + link.split("/", 1)[1]
    client.cookies.clear()
    by_key = client.get(path)
    assert by_key.status_code == 200
    assert sorted(_events(by_key.content)) == ["Math talks"], "Ms. Rivera leads it"
    assert client.get(f"/e/{live.code}/my.ics", params={"key": "forged"}).status_code == 401
    key = path.split("key=", 1)[1]
    assert client.get(f"/e/{live.code}/my", headers={"Authorization": f"Bearer {key}"}).status_code in (200, 303)
    wall = client.get(f"/e/{live.code}", headers={"Authorization": f"Bearer {key}"})
    assert 'name="name"' in wall.text and "Math talks" not in wall.text, "the calendar key does not sign anyone in"


def test_a_feed_fetched_in_spanish_says_its_words_in_spanish(client: TestClient, session: Session) -> None:
    """A calendar's text follows the language of the request that fetched it; titles stay as typed."""
    live = live_event(session)
    spanish = _events(client.get(f"/e/{live.code}/schedule.ics", headers={"Accept-Language": "es-MX"}).content)
    description = str(spanish["Math talks"]["description"])  # type: ignore[index]
    assert "La facilita Ms. Rivera." in description and "Notas y recursos: http" in description
    assert "Led by" not in description
    english = _events(client.get(f"/e/{live.code}/schedule.ics").content)
    assert "Led by Ms. Rivera." in str(english["Math talks"]["description"])  # type: ignore[index]
