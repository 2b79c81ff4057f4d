"""Rooms and slots changed in the console, at a person's pace: rename a room by keyboard, add a lunch
break, then remove a room that holds sessions of the draft, its consequences read before saying yes.
Screenshots at laptop and phone width in test-artifacts/."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

PAUSE = 700  # a person reads what changed before the next step
TOPICS = ["Maker space on a budget", "Podcasts in ELA", "Restorative circles", "Math talks", "Genius hour"]


def _shoot(page: Page, name: str) -> None:
    page.locator("#layout").scroll_into_view_if_needed()
    screenshot(page, ARTIFACTS / f"layout-{name}.png")


def _settings(page: Page) -> None:
    page.locator('a[data-tab="settings"]').click()
    expect(page.get_by_role("heading", name="Rooms and slots")).to_be_visible()
    page.wait_for_timeout(PAUSE)


def test_an_organizer_renames_a_room_adds_a_slot_and_removes_a_room_with_sessions(
    live_app: LiveApp, browser: Browser
) -> None:
    event = make_event(live_app.url, name="Edcamp Layout")
    people = [event.attendee(f"T{i}") for i in range(6)]
    for i, title in enumerate(TOPICS):
        event.propose(people[i], title, facilitate=True)
    for i, who in enumerate(people):
        for title in TOPICS[i % 5 : i % 5 + 3]:
            event.mark(who, title)
    event.build()  # a draft with sessions in every room; nothing published
    page = organizer_page(browser, event)
    _settings(page)

    # Rename the Library, by keyboard only: open its row, clear the name, type, Enter.
    page.locator("#layout summary", has_text="Library").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the room's name field, first in its form
    expect(page.locator("#layout input[name=name]").first).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Reading room", delay=60)
    page.wait_for_timeout(PAUSE)
    page.keyboard.press("Enter")
    expect(page.locator("#layout-notice")).to_have_text("Renamed Library to Reading room.")
    expect(page.locator("#layout summary").first).to_contain_text("Reading room")
    page.wait_for_timeout(PAUSE)
    _shoot(page, "renamed")

    # A lunch break after the sessions; first a mistake (it overlaps), shown beside the field.
    page.get_by_text("Add a slot", exact=True).click()
    page.locator("#new-slot-start").fill("11:00")
    page.locator("#new-slot-end").fill("12:00")
    page.locator("#new-slot-kind").select_option("break")
    page.locator("#new-slot-title").press_sequentially("Lunch in the cafeteria", delay=40)
    page.wait_for_timeout(PAUSE)
    page.get_by_role("button", name="Add the slot").click()
    error = page.locator("#new-slot-start-error")
    expect(error).to_have_text("Slot 3: 11:00 AM–12:00 PM overlaps Slot 2 (10:30 AM–11:20 AM).")
    expect(page.locator("#new-slot-title")).to_have_value("Lunch in the cafeteria")
    _shoot(page, "slot-refused")
    page.wait_for_timeout(PAUSE)
    page.locator("#new-slot-start").fill("12:20")
    page.locator("#new-slot-end").fill("13:10")
    page.get_by_role("button", name="Add the slot").click()
    expect(page.locator("#layout-notice")).to_have_text("Added the slot 12:20–13:10 (break: Lunch in the cafeteria).")
    page.wait_for_timeout(PAUSE)

    # The Art room one place up, by keyboard: the focus stays on its arrow to move it again.
    art_up = page.get_by_role("button", name="Move Art room up")
    art_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#layout-notice")).to_have_text("Moved Art room up (now Room 2).")
    expect(page.get_by_role("button", name="Move Art room up")).to_be_focused()
    expect(page.locator("#layout ol[aria-labelledby=rooms-heading] summary strong")).to_have_text(
        ["Reading room", "Art room", "Room 12"]
    )
    page.wait_for_timeout(PAUSE)

    # Remove Room 12: its sessions are listed first, with who leads them and how many marked them.
    page.locator("#layout summary", has_text="Room 12").click()
    page.get_by_role("button", name="Remove Room 12…").click()
    confirm = page.locator(".layout-confirm")
    expect(confirm.get_by_role("heading")).to_have_text("Remove the room Room 12?")
    lost = confirm.locator(".affected li")
    expect(lost.first).to_contain_text("(Room 12, ")
    expect(lost.first).to_contain_text("led by T")
    count = lost.count()
    assert count >= 1
    found = serious(axe(page))
    assert not found, describe(found)
    page.wait_for_timeout(PAUSE)
    _shoot(page, "remove-preview")
    expect(page.locator("#layout summary", has_text="Room 12")).to_have_count(1)  # nothing removed yet
    page.get_by_role("link", name="Keep it as it is").click()  # second thoughts: nothing changes
    expect(confirm).to_have_count(0)
    expect(page.locator("#layout summary", has_text="Room 12")).to_have_count(1)
    page.wait_for_timeout(PAUSE)
    page.locator("#layout summary", has_text="Room 12").click()
    page.get_by_role("button", name="Remove Room 12…").click()
    expect(confirm.get_by_role("heading")).to_have_text("Remove the room Room 12?")
    page.get_by_role("button", name="Yes, remove the room Room 12").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#layout-notice")).to_have_text(
        f"Removed the room Room 12; {count} session{'s' if count != 1 else ''} to the draft's unplaced list."
    )
    expect(page.locator("#layout summary", has_text="Room 12")).to_have_count(0)
    page.wait_for_timeout(PAUSE)
    _shoot(page, "removed")

    rooms = [r["name"] for r in event.rooms()]
    assert rooms == ["Reading room", "Art room"]
    draft = httpx.get(f"{event.api}/schedule", headers=event.organizer, timeout=30).json()
    assert draft["published"] is False and len(draft["left_out"]) >= count

    phone = browser.new_context(**PHONE).new_page()  # type: ignore[arg-type]
    phone.goto(f"{event.base}/e/{event.code}/organize?key={event.secret}")
    _settings(phone)
    phone.locator("#layout summary", has_text="Art room").click()
    phone.wait_for_timeout(PAUSE)
    _shoot(phone, "phone")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the panel fits a small phone ({width}px wide)"
