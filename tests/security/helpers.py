"""Small clients for probing a real server: the API with tokens, and a browser-like form poster."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')

EVENT_BODY: dict[str, Any] = {
    "name": "Security Edcamp",
    "date": "2027-03-13",
    "timezone": "America/Los_Angeles",
    "rooms": [{"name": "Library", "capacity": 60}, {"name": "Room 2", "capacity": 25}],
    "slots": [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}],
}


@dataclass
class ApiEvent:
    code: str
    organizer_token: str
    organize_link: str

    @property
    def organizer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.organizer_token}"}


def create_event(http: httpx.Client, **changes: Any) -> ApiEvent:
    response = http.post("/api/v1/events", json={**EVENT_BODY, **changes})
    assert response.status_code == 201, response.text
    body = response.json()
    return ApiEvent(body["code"], body["organizer_token"], body["links"]["organize"])


def set_phase(http: httpx.Client, event: ApiEvent, phase: str) -> None:
    response = http.post(f"/api/v1/events/{event.code}/phase", json={"phase": phase}, headers=event.organizer)
    assert response.status_code == 200, response.text


def join(http: httpx.Client, event: ApiEvent, name: str = "Ana") -> dict[str, str]:
    response = http.post(f"/api/v1/events/{event.code}/attendees", json={"name": name})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def csrf_from(client: httpx.Client, path: str) -> str:
    """Open a page as a browser does, so the CSRF cookie is set, and read the token from its form."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    found = CSRF_INPUT.search(page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def post_form(client: httpx.Client, path: str, data: dict[str, str], *, page: str) -> httpx.Response:
    token = csrf_from(client, page)
    return client.post(path, data={**data, "csrf_token": token})


def count_rows(database_url: str, table: str, **where: int) -> int:
    """Rows of ``table`` in the server's database, read directly (not through the app)."""
    import sqlalchemy as sa  # inline: only the tests that count rows need an engine

    engine = sa.create_engine(database_url)
    try:
        clause = " and ".join(f"{key} = :{key}" for key in where)
        with engine.connect() as connection:
            return int(
                connection.execute(
                    sa.text(f'select count(*) from "{table}"' + (f" where {clause}" if clause else "")), where
                ).scalar_one()
            )
    finally:
        engine.dispose()


def organizer_browser(base_url: str, event: ApiEvent) -> httpx.Client:
    """A browser signed in to the console through the organizer link (cookie, as a person does)."""
    client = httpx.Client(base_url=base_url, timeout=30)
    signed_in = client.get("/e/" + event.organize_link.split("/e/", 1)[1])
    assert signed_in.status_code == 303, signed_in.text[:300]
    client.close()
    return httpx.Client(base_url=base_url, timeout=30, cookies=client.cookies)


def published_event(http: httpx.Client) -> tuple[ApiEvent, list[int]]:
    """An event with three topics, a built and published schedule; returns it and its topic ids."""
    import time  # inline: polling only here

    event = create_event(http)
    set_phase(http, event, "proposing")
    attendee = join(http, event)
    ids = []
    for title in ("Robots", "Reading circles", "Mastery grading"):
        made = http.post(f"/api/v1/events/{event.code}/topics", json={"title": title}, headers=attendee)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
        assert http.put(f"/api/v1/events/{event.code}/topics/{ids[-1]}/interest", headers=attendee).status_code == 200
    started = http.post(f"/api/v1/events/{event.code}/schedule/build", json={"time_limit": 2}, headers=event.organizer)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 60
    while http.get(f"/api/v1/events/{event.code}/schedule/build", headers=event.organizer).json()["running"]:
        assert time.monotonic() < deadline, "the build did not finish"
        time.sleep(0.2)
    published = http.post(f"/api/v1/events/{event.code}/schedule/publish", json={}, headers=event.organizer)
    assert published.status_code == 200, published.text
    return event, ids
