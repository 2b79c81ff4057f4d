"""The door view on a tablet and a facilitator's phone: live, and the rule-of-two-feet taps answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.clock import midday_zone
from tests.e2e.conftest import PROJECTOR, LiveApp
from tests.e2e.events import join_on_phone, make_event

pytestmark = pytest.mark.slow


def test_facilitator_taps_full_and_every_door_screen_follows(browser: Browser, live_app: LiveApp) -> None:
    # Today, where it is about noon, one slot all day: the session is running now, and the second room is free.
    zone, local = midday_zone()
    event = make_event(
        live_app.url,
        rooms=[{"name": "Library", "capacity": 30}, {"name": "Gym", "capacity": 60}],
        slots=[{"start": "00:00", "end": "23:59"}],
        date=local.date().isoformat(),
        timezone=zone,
    )
    phone = join_on_phone(browser, live_app.url, event.code, "Ms. Rivera")
    phone.get_by_label("Title").press_sequentially("Math talks", delay=40)
    phone.wait_for_timeout(700)  # past the similar-topics lookup
    phone.get_by_label("I'll facilitate it").tap()
    phone.get_by_role("button", name="Propose a topic", exact=True).tap()
    expect(phone.locator(".topic-card", has_text="Math talks")).to_be_visible()
    event.phase("voting")
    event.build()
    event.publish()
    grid = browser.new_context(**PROJECTOR).new_page()
    grid.goto(f"{live_app.url}/e/{event.code}/board")
    cell = grid.locator(".board-grid td", has_text="Math talks")
    room_id = (cell.get_attribute("id") or "").split("-")[1]

    tablet = browser.new_context(**PROJECTOR).new_page()  # the door's tablet: nobody signed in
    tablet.goto(f"{live_app.url}/e/{event.code}/rooms/{room_id}")
    expect(tablet.locator(".door-title").first).to_have_text("Math talks")
    tablet.evaluate("() => { window.__sameTablet = true; }")

    phone.goto(f"{live_app.url}/e/{event.code}/rooms/{room_id}")
    phone.get_by_role("button", name="Full", exact=True).tap()
    expect(phone.locator(".door-status")).to_have_text("Full")
    expect(phone.locator("#door-main .error-message")).to_have_count(0)
    phone.get_by_role("button", name="Room for more").tap()  # the answer's own buttons work too
    expect(phone.locator(".door-status")).to_have_text("Room for more")
    expect(tablet.locator(".door-status")).to_have_text("Room for more")  # came live, no reload
    assert tablet.evaluate("() => window.__sameTablet") is True

    # A phone at the free room's door has the pop-up form; it refetches its part after every change.
    free = join_on_phone(browser, live_app.url, event.code, "Dana")
    rooms = {r["name"]: r["id"] for r in event.rooms()}
    free_id = rooms["Gym"] if str(rooms["Library"]) == room_id else rooms["Library"]
    free.goto(f"{live_app.url}/e/{event.code}/rooms/{free_id}")
    expect(free.get_by_label("Start a pop-up session here")).to_be_visible()
    with free.expect_response(
        lambda r: f"/rooms/{free_id}" in r.url and r.request.method == "GET", timeout=15_000
    ) as refetched:
        phone.get_by_role("button", name="Ended early").tap()
        expect(phone.locator(".door-status")).to_have_text("Ended early")
    assert refetched.value.status == 200, refetched.value.text()[:300]
    expect(tablet.locator(".door-status")).to_have_text("Ended early")
    expect(free.get_by_label("Start a pop-up session here")).to_be_visible()
    for page in (phone, grid, tablet, free):
        page.context.close()
