"""Fresh events for browser tests that change what they show, made through the JSON API.

The demo events are shared by the whole browser suite; a test that moves sessions, proposes or
publishes makes its own event here so that it neither disturbs nor depends on the others.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE

ROOMS = [{"name": "Library", "capacity": 40}, {"name": "Room 12", "capacity": 25}, {"name": "Art room", "capacity": 20}]
SLOTS = [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}]


@dataclass
class ApiEvent:
    base: str
    code: str
    secret: str
    organizer: dict[str, str]
    topic_ids: dict[str, int] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return f"{self.base}/api/v1/events/{self.code}"

    def phase(self, phase: str) -> None:
        httpx.post(f"{self.api}/phase", json={"phase": phase}, headers=self.organizer, timeout=30).raise_for_status()

    def rooms(self) -> list[dict[str, object]]:
        response = httpx.get(self.api, timeout=30)
        response.raise_for_status()
        return list(response.json()["rooms"])

    def attendee(self, name: str | None = None) -> dict[str, str]:
        response = httpx.post(f"{self.api}/attendees", json={"name": name}, timeout=30)
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def propose(self, who: dict[str, str], title: str, *, facilitate: bool = False) -> int:
        response = httpx.post(
            f"{self.api}/topics", json={"title": title, "facilitate": facilitate}, headers=who, timeout=30
        )
        response.raise_for_status()
        self.topic_ids[title] = int(response.json()["id"])
        return self.topic_ids[title]

    def mark(self, who: dict[str, str], title: str) -> None:
        httpx.put(f"{self.api}/topics/{self.topic_ids[title]}/interest", headers=who, timeout=30).raise_for_status()

    def claim(self, who: dict[str, str], title: str) -> None:
        httpx.put(
            f"{self.api}/topics/{self.topic_ids[title]}/facilitators/me", headers=who, timeout=30
        ).raise_for_status()

    def build(self, *, time_limit: int = 3) -> None:
        """Build a draft and wait for it (the build runs in the server's background)."""
        httpx.post(
            f"{self.api}/schedule/build", json={"time_limit": time_limit}, headers=self.organizer, timeout=30
        ).raise_for_status()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = httpx.get(f"{self.api}/schedule/build", headers=self.organizer, timeout=30).json()
            if not status["running"]:
                assert status["error"] is None, status
                return
            time.sleep(0.2)  # polling the server's background job, not synchronising with a page
        raise AssertionError(f"the build did not end: {status}")

    def publish(self) -> None:
        httpx.post(f"{self.api}/schedule/publish", json={}, headers=self.organizer, timeout=30).raise_for_status()


def make_event(
    base: str,
    *,
    name: str = "Edcamp Walk",
    rooms: list[dict[str, object]] | None = None,
    slots: list[dict[str, str]] | None = None,
    phase: str | None = "proposing",
    date: str = "2027-03-13",
    timezone: str = "America/Chicago",
) -> ApiEvent:
    body = {"name": name, "date": date, "timezone": timezone, "rooms": rooms or ROOMS, "slots": slots or SLOTS}
    response = httpx.post(f"{base}/api/v1/events", json=body, timeout=30)
    response.raise_for_status()
    created = response.json()
    secret = parse_qs(urlsplit(created["links"]["organize"]).query)["key"][0]
    event = ApiEvent(base, created["code"], secret, {"Authorization": f"Bearer {created['organizer_token']}"})
    if phase:
        event.phase(phase)
    return event


def join_on_phone(browser: Browser, base: str, code: str, name: str = "", **context: object) -> Page:
    """A phone that opens the event and joins the wall, tapping as a person does."""
    page = browser.new_context(**{**PHONE, **context}).new_page()  # type: ignore[arg-type]
    page.goto(f"{base}/e/{code}")
    if name:
        page.get_by_label("Your name").press_sequentially(name, delay=30)
    page.get_by_role("button", name="Join the wall").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
    return page


def organizer_page(
    browser: Browser, event: ApiEvent, path: str = "", *, host: str | None = None, **context: object
) -> Page:
    """The organizer signed in by their private link, on ``/e/CODE/organize{path}`` (of ``host``,
    by default the address the event was made on)."""
    page = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context}).new_page()  # type: ignore[arg-type]
    base = host or event.base
    page.goto(f"{base}/e/{event.code}/organize?key={event.secret}")
    expect(page).to_have_url(re.compile(r"/organize$"))
    if path:
        page.goto(f"{base}/e/{event.code}/organize{path}")
    return page
