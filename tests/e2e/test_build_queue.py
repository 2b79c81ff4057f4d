"""Two organizers on one laptop server: the second build waits its turn, says so, and can be
cancelled, by keyboard alone (issue 15: builds share the machine)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ARTIFACTS, SCREENSHOTS, LiveApp
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious, tab_to

pytestmark = pytest.mark.slow


def test_a_second_build_waits_its_turn_and_can_be_cancelled_by_keyboard(browser: Browser, live_app: LiveApp) -> None:
    busy, ours = make_event(live_app.url, name="Statewide Summit"), make_event(live_app.url, name="Edcamp Valley")
    for event, count in ((busy, 30), (ours, 5)):
        people = [event.attendee(f"Teacher {i}") for i in range(8)]
        for i in range(count):
            event.propose(people[i % len(people)], f"Session idea {i + 1}", facilitate=True)
        for p, person in enumerate(people):
            for i in range(p, count, 3):
                event.mark(person, f"Session idea {i + 1}")
        event.phase("voting")
    # Another event's long build holds the server's one build at a time.
    httpx.post(
        f"{busy.api}/schedule/build", json={"time_limit": 30}, headers=busy.organizer, timeout=30
    ).raise_for_status()

    page = organizer_page(browser, ours, "/schedule")
    tab_to(page, "#time_limit")
    page.keyboard.press("Control+A")
    page.keyboard.type("3", delay=120)
    page.wait_for_timeout(700)  # a person looks before pressing on
    tab_to(page, ".build-form button[type=submit]", limit=10)
    page.keyboard.press("Enter")
    bar = page.locator("#build-progress")
    expect(bar).to_contain_text("Waiting to build")
    expect(bar).to_contain_text("this one starts next")
    expect(bar).to_contain_text("Its time starts when it does")
    assert bar.get_attribute("role") == "status", "a screen reader hears the wait"
    found = serious(axe(page))
    assert not found, describe(found)
    screenshot(page, ARTIFACTS / "schedule-waiting.png", SCREENSHOTS / "schedule-waiting.png")

    tab_to(page, "#build-progress button", limit=40)
    expect(page.locator("#build-progress button")).to_have_text("Cancel this build")
    page.keyboard.press("Enter")
    expect(bar).to_contain_text("Stopped before it started")
    expect(page.locator("#time_limit")).to_have_value("3")  # the form stays, to build again later

    # The long build is stopped from its own console, as its organizer would.
    theirs = organizer_page(browser, busy, "/schedule")
    theirs.get_by_role("button", name="Stop and keep the best so far").click()
    expect(theirs.locator("#build-progress")).not_to_contain_text("Building the schedule", timeout=20_000)
    theirs.context.close()
    page.context.close()
