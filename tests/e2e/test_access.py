"""Access needs in the browser: two 375 px phones say what they need (one by keyboard alone, one by
tapping), the organizer sees the counts (never who), notes a Spanish interpreter, builds, and the
session lands in the step-free room; the session page and my day then say an interpreter will be there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE, LiveApp
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious, tab_to

pytestmark = pytest.mark.slow

SHOTS = Path("/tmp/shots_wF")
PHONE_375 = {**PHONE, "viewport": {"width": 375, "height": 740}}
ROOMS = [
    {"name": "Library", "capacity": 40},
    {"name": "Room 12", "capacity": 25},
    {"name": "Art room", "capacity": 20, "features": ["step_free"]},  # the smallest: no session's first choice
]


def _phone_marks(browser: Browser, base: str, code: str, name: str, topic_id: int) -> Page:
    """A 375 px phone joins, then marks one session from its page, tapping."""
    page = browser.new_context(**PHONE_375).new_page()  # type: ignore[arg-type]
    page.goto(f"{base}/e/{code}")
    page.get_by_label(re.compile("name", re.I)).fill(name)
    page.get_by_role("button", name="Join the wall").tap()
    expect(page.locator("#wall")).to_be_visible()
    page.goto(f"{base}/e/{code}/sessions/{topic_id}")
    page.locator(f"#topic-{topic_id} .mark-button").tap()
    expect(page.locator(f"#topic-{topic_id} .mark-button")).to_have_attribute("aria-pressed", "true")
    return page


def test_access_needs_from_two_phones_to_the_organizer_and_back(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url, name="Edcamp Access", rooms=ROOMS)
    host = event.attendee("Host")
    outdoor = event.propose(host, "Outdoor learning")
    robots = event.propose(host, "Robots and recess")
    for n in range(4):  # Robots is the most wanted: left alone it would take the biggest room
        someone = event.attendee(f"Fan {n}")
        event.mark(someone, "Robots and recess")
    event.mark(host, "Outdoor learning")

    # Ana, by keyboard alone: my day, Access needs, the step-free box, Spanish, save.
    ana = _phone_marks(browser, live_app.url, event.code, "Ana Keys", outdoor)
    ana.goto(f"{live_app.url}/e/{event.code}/my")
    tab_to(ana, "#access-link")
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("heading", name="Access needs")).to_be_visible()
    expect(ana.locator("#access-who")).to_contain_text("Only the organizers see this")
    tab_to(ana, "#access-step-free")
    ana.keyboard.press("Space")
    tab_to(ana, "input[name=interpretation]")
    ana.keyboard.press("ArrowDown")  # from None to Spanish, as radio buttons move
    expect(ana.locator("#access-interpretation-es")).to_be_checked()
    tab_to(ana, "button.primary-action")
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("status")).to_have_text("Saved. The organizers will see it in their counts.")
    expect(ana.locator("#access-step-free")).to_be_checked()
    expect(ana.locator("#access-interpretation-es")).to_be_checked()
    assert ana.evaluate("document.documentElement.scrollWidth") <= 375, "nothing wider than the phone"
    problems = serious(axe(ana))
    assert not problems, describe(problems)
    screenshot(ana, SHOTS / "phone-access-keyboard-375.png", full_page=True)

    # Ben, by tapping: the box and ASL.
    ben = _phone_marks(browser, live_app.url, event.code, "Ben Taps", outdoor)
    ben.goto(f"{live_app.url}/e/{event.code}/my")
    ben.get_by_role("link", name="Access needs").tap()
    ben.get_by_label("I need a step-free room").tap()
    ben.get_by_label("ASL (American Sign Language)").tap()
    ben.get_by_role("button", name="Save my access needs").tap()
    expect(ben.get_by_role("status")).to_have_text("Saved. The organizers will see it in their counts.")
    expect(ben.get_by_role("button", name="Remove my access needs")).to_be_visible()
    screenshot(ben, SHOTS / "phone-access-tapped-375.png", full_page=True)

    # The organizer: counts, never who; a Spanish interpreter noted.
    org = organizer_page(browser, event, "/access")
    row = org.locator(f"#access-{outdoor}")
    expect(row).to_contain_text("2 people")
    expect(row).to_contain_text("Spanish: 1 person")
    expect(row).to_contain_text("ASL: 1 person")
    expect(org.locator("main")).not_to_contain_text("Ana Keys")
    expect(org.locator("main")).not_to_contain_text("Ben Taps")
    row.get_by_label("Spanish").check()
    row.get_by_role("button", name=re.compile("^Save")).click()
    expect(org.get_by_role("status")).to_contain_text("Saved the interpreters for “Outdoor learning”.")
    expect(org.locator(f"#access-{outdoor}").get_by_label("Spanish")).to_be_checked()
    screenshot(org, SHOTS / "organizer-access-1280.png", full_page=True)

    # A build puts Outdoor learning in the step-free room; the schedule page shows the counts.
    event.build()
    org.goto(f"{live_app.url}/e/{event.code}/organize/schedule")
    art = org.locator("tr", has=org.get_by_role("rowheader", name=re.compile("^Art room")))
    expect(art).to_contain_text("Outdoor learning")
    expect(art).to_contain_text("2 need a step-free room · 1 asked for Spanish · 1 asked for ASL")
    expect(art).to_contain_text("A Spanish interpreter will be there")
    expect(org.locator("#access-warnings")).to_have_count(0)
    assert robots
    screenshot(org, SHOTS / "organizer-schedule-access-1280.png", full_page=True)
    event.publish()

    # Everyone's session page says so; Ben's my day too; and Ben removes his needs by tapping.
    ben.goto(f"{live_app.url}/e/{event.code}/sessions/{outdoor}")
    expect(ben.locator(".access-note")).to_have_text("A Spanish interpreter will be there")
    screenshot(ben, SHOTS / "phone-session-interpreter-375.png", full_page=True)
    ben.goto(f"{live_app.url}/e/{event.code}/my")
    expect(ben.locator(".my-day .access-note")).to_have_text("A Spanish interpreter will be there")
    ben.get_by_role("link", name="Access needs").tap()
    ben.get_by_role("button", name="Remove my access needs").tap()
    expect(ben.get_by_role("status")).to_have_text("Saved: you have no access needs on record.")
    expect(ben.locator("#access-step-free")).not_to_be_checked()
    expect(ben.locator("#access-interpretation-none")).to_be_checked()
    for page in (ana, ben, org):
        page.context.close()
