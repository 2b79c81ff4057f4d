"""Small clients for probing a real server: the API with tokens, and a browser-like form poster."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')

EVENT_BODY: dict[str, Any] = {
    "name": "Security Edcamp", "date": "2027-03-13", "timezone": "America/Los_Angeles",
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
