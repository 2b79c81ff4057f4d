"""Check-in in a real browser: a 375 px touch phone "scans" the Library's door sign (opens its link,
as a camera app does), joins on the way, is checked in, then taps "I'm here" on the session next door
in the same slot and is moved; the door sign prints with its check-in code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.clock import midday_zone
from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import screenshot

pytestmark = pytest.mark.slow

SMALL_PHONE = {**PHONE, "viewport": {"width": 375, "height": 740}}


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=15_000)


def test_a_phone_scans_the_door_joins_is_checked_in_and_moves(browser: Browser, live_app: LiveApp) -> None:  # noqa: F811
    zone, local = midday_zone()  # a slot from 10:00 to 14:00 there is running now, whatever the hour here
    event = make_event(
        live_app.url,
        name="Edcamp Check-in",
        rooms=[{"name": "Library", "capacity": 30}, {"name": "Gym", "capacity": 60}],
        slots=[{"start": "10:00", "end": "14:00"}],
        date=local.date().isoformat(),
        timezone=zone,
    )
    rivera, okafor = event.attendee("Ms. Rivera"), event.attendee("Mr. Okafor")
    event.propose(rivera, "Math talks", facilitate=True)
    event.propose(okafor, "Robotics club", facilitate=True)
    event.mark(okafor, "Math talks")
    event.mark(rivera, "Robotics club")
    event.phase("voting")
    event.build()
    event.publish()
    rooms = {str(r["name"]): r["id"] for r in event.rooms()}

    phone = browser.new_context(**SMALL_PHONE).new_page()  # type: ignore[arg-type]
    door_link = f"{live_app.base_url}/e/{event.code}/rooms/{rooms['Library']}/here"  # what the QR code holds
    phone.goto(door_link)
    expect(phone.get_by_text("Join first (your name is optional), and you are checked in.")).to_be_visible()
    phone.get_by_label("Your name").press_sequentially("Ana", delay=40)
    phone.get_by_role("button", name="Join the wall").tap()
    expect(phone).to_have_url(door_link)
    expect(phone.get_by_role("heading", name="You're checked in")).to_be_visible()
    here_title = phone.locator(".here-title").inner_text()
    assert here_title in ("Math talks", "Robotics club")
    expect(phone.locator(".here-where")).to_have_text(re.compile(r"^in the Library, since \d\d:\d\d$"))
    expect(phone.locator(".here-count")).to_have_text("1 here · 30 seats")
    screenshot(phone, ARTIFACTS / "checkin-here-375.png", full_page=True)
    before = phone.locator(".here-title").bounding_box()
    assert before is not None and before["x"] + before["width"] <= 375
    phone.reload()  # a second scan changes nothing
    expect(phone.locator(".here-count")).to_have_text("1 here · 30 seats")

    other = "Robotics club" if here_title == "Math talks" else "Math talks"
    site = live_app.base_url  # the phone stays on the address the QR code gave it (its cookie is there)
    phone.goto(f"{site}/e/{event.code}/sessions/{event.topic_ids[other]}")
    screenshot(phone, ARTIFACTS / "checkin-session-before-375.png", full_page=True)
    phone.get_by_role("button", name="I'm here").tap()
    expect(phone.get_by_text("You're checked in here")).to_be_visible()
    expect(phone.get_by_role("button", name="I'm here")).to_have_count(0)
    screenshot(phone, ARTIFACTS / "checkin-session-375.png", full_page=True)
    phone.goto(f"{site}/e/{event.code}/here")
    expect(phone.locator(".here-title")).to_have_text(other)
    expect(phone.locator(".here-where")).to_have_text(re.compile(r"^in the Gym, since "))

    # The Library's door has nobody now; the door sign prints its check-in code.
    tablet = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    tablet.goto(f"{live_app.url}/e/{event.code}/rooms/{rooms['Gym']}")
    expect(tablet.locator(".door-headcount")).to_have_text("1 here · 60 seats")
    expect(tablet.get_by_text("Scan to check in")).to_be_visible()
    screenshot(tablet, ARTIFACTS / "checkin-door-view-1280.png")
    qr_box = tablet.locator(".door-checkin svg").bounding_box()
    assert qr_box is not None and qr_box["y"] + qr_box["height"] <= 800  # in view on the tablet, no scrolling
    paper = organizer_page(browser, event, viewport={"width": 800, "height": 1130})
    paper.goto(f"{live_app.url}/e/{event.code}/print/doors")
    paper.emulate_media(media="print")
    qr = paper.locator(".checkin-qr svg").first
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 290, box  # 80 mm at 96 px per inch: scans from a metre
    screenshot(paper, ARTIFACTS / "checkin-door-sign-print.png", full_page=True)

    # The organizer checks Ms. Rivera in by hand, by keyboard alone, and sees who is where.
    paper.emulate_media(media="screen")
    paper.set_viewport_size({"width": 1280, "height": 800})
    paper.goto(f"{live_app.url}/e/{event.code}/organize/attendance")
    expect(paper.locator("#attendance-total")).to_have_text("1 person has checked in today.")
    paper.get_by_label(re.compile(r"^Who")).focus()
    paper.keyboard.type("Ms. Rivera", delay=30)
    paper.keyboard.press("Tab")
    paper.keyboard.press("ArrowDown")  # the second session of the slot
    paper.keyboard.press("Tab")
    expect(paper.get_by_role("button", name="Check in", exact=True)).to_be_focused()
    paper.keyboard.press("Enter")
    expect(paper.locator("#attendance-notice")).to_have_text("Ms. Rivera is checked in.")
    expect(paper.locator("#attendance-total")).to_have_text("2 people have checked in today.")
    paper.locator(".attendance-people summary").first.click()
    screenshot(paper, ARTIFACTS / "checkin-attendance-1280.png", full_page=True)
    for page in (phone, tablet, paper):
        page.context.close()
