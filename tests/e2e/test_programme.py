"""The demo's day with its opening plenary and lunch break, as people see it: the projector board at
1280x720 and 1920x1080 (8 rooms), a door tablet, and "my day" on a 375 px phone. Screenshots land in
test-artifacts/ (docs/screenshots/ with TWOFEET_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, SCREENSHOTS, LiveApp
from tests.e2e.pages import screenshot

pytestmark = pytest.mark.slow

SIZES = {"720": {"width": 1280, "height": 720}, "1080": {"width": 1920, "height": 1080}}


def _shot(page: Page, name: str, *, full_page: bool = False) -> None:
    screenshot(page, ARTIFACTS / f"{name}.png", SCREENSHOTS / f"{name}.png", full_page=full_page)


def _box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("size", ["720", "1080"])
def test_the_board_shows_the_plenary_and_the_break_as_rows_across_every_room(
    browser: Browser, live_app: LiveApp, size: str
) -> None:
    ctx = browser.new_context(viewport=SIZES[size], color_scheme="dark")  # type: ignore[arg-type]
    page = ctx.new_page()
    page.goto(f"{live_app.url}/e/{live_app.published.code}/board?page_seconds=60")
    main = page.locator("#board-main")
    expect(main).to_have_attribute("data-orientation", "rooms-as-columns")
    plenary = page.locator(".programme-row.is-plenary")
    expect(plenary).to_be_visible()
    expect(plenary).to_contain_text(re.compile(r"08:45–09:20.*Plenary.*Welcome and EdTalks.*Gym", re.S))
    expect(page.locator(".programme-row .programme-cell[data-room]")).to_have_count(0)  # no empty room cells
    # The row spans every room column on show (the board pages through the rooms when they do not fit).
    cell, heads = _box(page, ".programme-row.is-plenary td"), page.locator(".board-grid thead th.room-head:visible")
    first, last = heads.first.bounding_box(), heads.last.bounding_box()
    assert (
        first
        and last
        and abs(cell["x"] - first["x"]) <= 1
        and abs(cell["x"] + cell["width"] - last["x"] - last["width"]) <= 1
    )
    _shot(page, f"board-programme-{size}")
    pages = int(main.get_attribute("data-pages") or "1")
    seen_lunch = False
    for number in range(1, pages + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            expect(main).to_have_attribute("data-page", str(number))
        lunch = page.locator(".programme-row.is-break")
        if lunch.is_visible():
            expect(lunch).to_contain_text(re.compile(r"12:20–13:10.*Break.*Lunch in the cafeteria", re.S))
            if not seen_lunch:
                _shot(page, f"board-programme-lunch-{size}")
            seen_lunch = True
    assert seen_lunch, "the lunch break is on no page"
    ctx.close()


def test_a_door_says_the_plenary_comes_next_and_my_day_on_a_phone_shows_the_whole_day(
    browser: Browser, live_app: LiveApp
) -> None:
    code = live_app.published.code
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}, color_scheme="dark")
    door = tablet.new_page()
    door.goto(f"{live_app.url}/e/{code}/board")
    library = door.locator(".board-grid thead th.room-head").first.inner_text()
    room_id = door.evaluate("() => document.querySelector('td[id^=cell-]').id.split('-')[1]")
    door.goto(f"{live_app.url}/e/{code}/rooms/{room_id}")
    expect(door.locator("#door-room")).to_have_text(library)
    expect(door.locator(".door-programme")).to_have_text("Next: Welcome and EdTalks in the Gym at 08:45")
    _shot(door, "door-next-plenary")
    tablet.close()

    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(f"{live_app.url}/e/{code}")
    page.get_by_role("button", name=re.compile("join", re.I)).tap()
    expect(page.locator("#wall")).to_be_visible()
    page.goto(f"{live_app.url}/e/{code}/my")
    slots = page.locator("ol.my-day > li.my-slot")
    expect(slots).to_have_count(6)
    whens = [w.split(" ·")[0] for w in page.locator("ol.my-day .my-when").all_inner_texts()]
    assert whens == ["08:45–09:20", "09:30–10:20", "10:30–11:20", "11:30–12:20", "12:20–13:10", "13:10–14:00"]
    expect(slots.nth(0)).to_contain_text("Gym")
    expect(slots.nth(0)).to_contain_text("Welcome and EdTalks")
    expect(slots.nth(4)).to_contain_text("Lunch in the cafeteria")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"my day scrolls sideways on a phone: {width}px"
    _shot(page, "my-day-programme-375", full_page=True)
    phone.close()


def test_an_organizer_makes_a_day_with_a_keynote_and_lunch_on_a_phone(browser: Browser, live_app: LiveApp) -> None:
    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(live_app.url + "/")
    page.locator("#name").fill("Summit day")
    page.locator("#date").fill("2027-04-10")
    page.locator("#room0-name").fill("Auditorium")
    page.locator("#room0-capacity").fill("200")
    page.locator("#room1-name").fill("Library")
    page.locator("#room1-capacity").fill("40")
    page.locator("#slot0-start").fill("08:30")
    page.locator("#slot0-end").fill("09:15")
    page.locator("#slot0-kind").select_option("plenary")
    page.locator("#slot1-start").fill("09:30")
    page.locator("#slot1-end").fill("10:20")
    page.locator("#slot2-start").fill("12:00")
    page.locator("#slot2-end").fill("12:45")
    page.locator("#slot2-kind").select_option("break")
    page.locator("#slot2-title").fill("Lunch in the cafeteria")
    page.get_by_role("button", name="Create the event").tap()
    # The plenary has no title yet: refused beside its row, everything typed kept.
    expect(page.locator("#slot0-title-error")).to_have_text(re.compile("a plenary needs a title"))
    expect(page.locator("#slot0-title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#slot2-title")).to_have_value("Lunch in the cafeteria")
    expect(page.locator("#slot0-kind")).to_have_value("plenary")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the form scrolls sideways on a phone: {width}px"
    page.locator("#slot0-title").scroll_into_view_if_needed()
    _shot(page, "new-event-slot-kinds-375")
    page.locator("#slot0-title").fill("Opening keynote")
    page.locator("#slot0-room").fill("Auditorium")
    page.get_by_role("button", name="Create the event").tap()
    expect(page).to_have_url(re.compile(r"/e/\w+/organize"))
    code = re.search(r"/e/(\w+)/organize", page.url).group(1)  # type: ignore[union-attr]
    slots = page.request.get(f"{live_app.url}/api/v1/events/{code}").json()["slots"]
    assert [(s["start"], s["kind"], s["title"]) for s in slots] == [
        ("08:30", "plenary", "Opening keynote"),
        ("09:30", "sessions", ""),
        ("12:00", "break", "Lunch in the cafeteria"),
    ]
    phone.close()
