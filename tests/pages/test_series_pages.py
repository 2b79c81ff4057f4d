"""The home page lists the events this browser organizes; the console makes a new event like this one."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import events
from app.models import Event
from app.security import organizer_cookie_name
from tests.pages.test_pages import create_event, csrf, set_phase

LISTED = re.compile(r'<a href="/e/([A-Z2-9]{6})/organize" class="my-event-name">([^<]*)</a>')


def listed(client: TestClient) -> list[tuple[str, str]]:
    """(code, name) of each event the home page lists as this browser's, in its order."""
    page = client.get("/")
    assert page.status_code == 200
    return LISTED.findall(page.text)


def test_two_events_organized_in_one_browser_are_both_listed(client: TestClient) -> None:
    assert listed(client) == []
    assert "Events you organize" not in client.get("/").text
    first, _ = create_event(client, name="Edcamp Spring", date="2027-03-13")
    second, _ = create_event(client, name="Edcamp <Fall>", date="2027-10-02")
    set_phase(client, first, "proposing")
    page = client.get("/")
    assert listed(client) == [(second, "Edcamp &lt;Fall&gt;"), (first, "Edcamp Spring")]  # latest first, escaped
    assert "Edcamp <Fall>" not in page.text
    assert "Saturday, March 13, 2027" in page.text and "Saturday, October 2, 2027" in page.text
    assert re.search(r"Saturday, March 13, 2027</time> · Proposing and marking · code " + first, page.text)
    assert re.search(r"Saturday, October 2, 2027</time> · Setting up · code " + second, page.text)
    assert page.headers["cache-control"] == "private, no-store"


def test_another_browser_sees_none(app: FastAPI, client: TestClient) -> None:
    code, _ = create_event(client, name="Edcamp Mine")
    with TestClient(app) as stranger:
        assert listed(stranger) == []
        # Holding this event's cookie name with someone else's token (or garbage) lists nothing either.
        stranger.get("/")
        mine = client.cookies.get(organizer_cookie_name(code))
        assert mine
        other, _ = create_event(stranger, name="Edcamp Theirs")
        stranger.cookies.set(organizer_cookie_name(code), stranger.cookies.get(organizer_cookie_name(other)) or "")
        stranger.cookies.set(organizer_cookie_name("ABCDEF"), "garbage")
        assert listed(stranger) == [(other, "Edcamp Theirs")]
    assert listed(client) == [(code, "Edcamp Mine")]


def test_a_revoked_sign_in_or_a_deleted_event_is_left_out(app: FastAPI, client: TestClient, session: Session) -> None:
    kept, _ = create_event(client, name="Edcamp Kept")
    revoked, link = create_event(client, name="Edcamp Revoked")
    gone, _ = create_event(client, name="Edcamp Gone")
    assert {code for code, _name in listed(client)} == {kept, revoked, gone}
    # Another browser signs in with the organizer link and makes a new one: every sign-in made
    # with the old link (this browser's included) stops working, so it is no longer listed here.
    with TestClient(app) as other:
        assert other.get(link, follow_redirects=False).status_code == 303
        token = csrf(other)
        assert (
            other.post(f"/e/{revoked}/organize/link", data={"csrf_token": token}, follow_redirects=False).status_code
            == 303
        )
        assert listed(other) == [(revoked, "Edcamp Revoked")]
    event = events.get_event(session, gone)
    assert isinstance(event, Event)
    session.delete(event)
    session.commit()
    assert {code for code, _name in listed(client)} == {kept}
    # As the console itself refuses it: the revoked sign-in no longer opens it.
    assert 'id="organizers"' not in client.get(f"/e/{revoked}/organize").text
    assert 'id="organizers"' in client.get(f"/e/{kept}/organize").text


def test_signing_out_takes_the_event_off_the_list(client: TestClient) -> None:
    code, _ = create_event(client, name="Edcamp Out")
    assert listed(client) == [(code, "Edcamp Out")]
    answer = client.post(f"/e/{code}/organize/logout", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert answer.status_code == 303
    assert listed(client) == []


def test_the_console_makes_a_new_event_like_this_one(client: TestClient, session: Session) -> None:
    code, _ = create_event(client, name="Edcamp Valley")
    console = client.get(f"/e/{code}/organize")
    assert 'id="copy-heading"' in console.text and 'value="Edcamp Valley"' in console.text
    answer = client.post(
        f"/e/{code}/organize/copy",
        data={"name": "Edcamp Valley 2028", "date": "2028-03-11", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    new = re.fullmatch(r"http://testserver/e/([A-Z2-9]{6})/organize/start", answer.headers["location"])
    assert new and new.group(1) != code
    start = client.get(answer.headers["location"])
    # Its organizer link, shown once, as for a new event; this browser is signed in to both.
    assert start.status_code == 200 and f"/e/{new.group(1)}/organize?key=" in start.text
    assert [c for c, _name in listed(client)] == [new.group(1), code]
    copied = events.require_event(session, new.group(1))
    assert (copied.name, copied.date, copied.phase.value) == ("Edcamp Valley 2028", "2028-03-11", "setup")
    assert [(r.name, r.capacity) for r in events.list_rooms(session, copied)] == [("Library", 60), ("Room 12", 25)]


def test_a_refused_copy_says_why_beside_the_field_and_keeps_what_was_typed(
    client: TestClient, session: Session
) -> None:
    code, _ = create_event(client, name="Edcamp Valley")
    page = client.post(
        f"/e/{code}/organize/copy",
        data={"name": "Edcamp <Next>", "date": "2028-02-30", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert page.status_code == 422
    assert re.search(r'id="copy-date"[^>]*aria-invalid="true" aria-describedby="copy-date-error"', page.text)
    assert re.search(r'<small id="copy-date-error" class="field-error">Date: [^<]*not a date', page.text)
    assert 'value="Edcamp &lt;Next&gt;"' in page.text and 'value="2028-02-30"' in page.text
    assert 'id="co-name-error"' not in page.text  # the co-organizer's "name" field is not blamed
    assert events.count_events(session) == 1
    refused = client.post(f"/e/{code}/organize/copy", data={"date": "2028-03-11"}, follow_redirects=False)
    assert refused.status_code == 403 and events.count_events(session) == 1  # no CSRF token, no event
