"""Next year's event from this year's, at a person's pace: the organizer opens the console, makes "a new
event like this one" for next year, lands in the new event's console (its link shown once), then finds
both events on the home page. Screenshots at laptop and phone width in test-artifacts/."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

PAUSE = 700  # a person reads what changed before the next step
DAY = [
    {"start": "08:45", "end": "09:30", "kind": "plenary", "title": "Opening and EdTalks", "room": "Library"},
    {"start": "09:40", "end": "10:30"},
    {"start": "10:40", "end": "11:30"},
    {"start": "12:00", "end": "12:45", "kind": "break", "title": "Lunch in the cafeteria"},
]


def _check_axe(page: Page, what: str) -> None:
    found = serious(axe(page))
    assert not found, f"{what} ({page.url}):\n{describe(found)}"


def test_an_organizer_makes_next_years_event_and_finds_both_on_the_home_page(
    live_app: LiveApp, browser: Browser
) -> None:
    event = make_event(live_app.url, name="Edcamp Series 2027", slots=DAY)
    plenary = httpx.get(f"{event.api}/plenaries", timeout=30).json()[0]["slot_id"]
    talk = {"speaker": "Ms. Rivera", "title": "Why I teach", "minutes": 10}
    httpx.post(
        f"{event.api}/plenaries/{plenary}/talks", json=talk, headers=event.organizer, timeout=30
    ).raise_for_status()
    attendee = event.attendee("Mr. Lee")
    event.propose(attendee, "Number talks")  # the day's own: it stays behind

    page = organizer_page(browser, event)
    page.locator('a[data-tab="settings"]').click()
    form = page.locator("#copy-event")
    expect(form.get_by_role("heading", name="A new event like this one")).to_be_visible()
    form.scroll_into_view_if_needed()
    name = form.get_by_label("Name of the new event")
    expect(name).to_have_value("Edcamp Series 2027")
    page.wait_for_timeout(PAUSE)
    name.fill("")
    name.press_sequentially("Edcamp Series 2028", delay=40)
    form.get_by_label("Its date").fill("2028-03-11")
    page.wait_for_timeout(PAUSE)
    screenshot(page, ARTIFACTS / "series-copy-form-1280.png")
    form.get_by_role("button", name="Make the new event").click()

    # The new event, ready, its organizer link shown once as for any new event; then its console.
    expect(page.get_by_role("heading", name="Edcamp Series 2028 is ready")).to_be_visible()
    new = re.search(r"/e/([A-Z2-9]{6})/organize/start", page.url)
    assert new and new.group(1) != event.code
    expect(page.locator("#organizer-link")).to_have_value(re.compile(rf"/e/{new.group(1)}/organize\?key="))
    page.wait_for_timeout(PAUSE)
    screenshot(page, ARTIFACTS / "series-saved-link-1280.png")
    page.get_by_role("button", name="I've saved it: open the console").click()
    expect(page.get_by_role("heading", name="Phase: Setting up")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Edcamp Series 2028")
    page.locator('a[data-tab="settings"]').click()
    expect(page.locator("#layout")).to_contain_text("Opening and EdTalks")
    expect(page.locator("#layout")).to_contain_text("Lunch in the cafeteria")
    page.wait_for_timeout(PAUSE)
    screenshot(page, ARTIFACTS / "series-new-console-1280.png")
    copied = httpx.get(f"{live_app.url}/api/v1/events/{new.group(1)}/plenaries", timeout=30).json()
    assert [(t["speaker"], t["title"]) for t in copied[0]["talks"]] == [("Ms. Rivera", "Why I teach")]
    assert httpx.get(f"{live_app.url}/api/v1/events/{new.group(1)}/topics", timeout=30).json()["topics"] == []

    # Both on the home page, the new one first; each opens its own console.
    page.goto(f"{live_app.url}/")
    mine = page.get_by_role("list", name="Events you organize")
    expect(mine.get_by_role("listitem")).to_have_count(2)
    expect(mine.get_by_role("listitem").nth(0)).to_contain_text("Edcamp Series 2028")
    expect(mine.get_by_role("listitem").nth(0)).to_contain_text("Saturday, March 11, 2028 · Setting up")
    expect(mine.get_by_role("listitem").nth(1)).to_contain_text("Edcamp Series 2027")
    expect(mine.get_by_role("listitem").nth(1)).to_contain_text("Saturday, March 13, 2027 · Proposing and marking")
    _check_axe(page, "the home page with its events")
    page.wait_for_timeout(PAUSE)
    screenshot(page, ARTIFACTS / "series-home-1280.png")
    page.set_viewport_size(PHONE["viewport"])  # type: ignore[arg-type]
    screenshot(page, ARTIFACTS / "series-home-390.png")
    page.get_by_role("link", name="Edcamp Series 2027").click()
    expect(page).to_have_url(re.compile(rf"/e/{event.code}/organize$"))
    expect(page.get_by_role("heading", name="Phase: Proposing and marking")).to_be_visible()

    # Another browser holds none of them.
    stranger = browser.new_context().new_page()
    stranger.goto(f"{live_app.url}/")
    expect(stranger.get_by_role("heading", name="Join an event")).to_be_visible()
    expect(stranger.get_by_text("Events you organize")).to_have_count(0)
    stranger.context.close()
    page.context.close()
