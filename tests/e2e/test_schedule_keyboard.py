"""The schedule workspace by keyboard alone, and by drag and drop: focus and notices after each action.

After every key that does something, the test reads ``document.activeElement``: a keyboard user
must never be thrown back to the top of the page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.events import ApiEvent, make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious, tab_to

pytestmark = pytest.mark.slow
TITLES = [
    "Math talks in a multilingual classroom",
    "Student podcasts for history",
    "Outdoor science on no budget",
    "Restorative circles students run",
    "Coding without computers",
]


def _event(base: str) -> ApiEvent:
    event = make_event(base)
    people = [event.attendee(name) for name in ("Ms. Rivera", "Mr. Okafor", "Dana", "Lee")]
    for i, title in enumerate(TITLES):
        event.propose(people[i % len(people)], title, facilitate=True)
    for i, person in enumerate(people):
        for title in TITLES[i : i + 3]:
            event.mark(person, title)
    event.phase("scheduled")
    return event


def _active(page: Page) -> str:
    return str(
        page.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      return el.outerHTML.slice(0, 160);
    }""")
    )


def _focus_is(page: Page, selector: str) -> None:
    matches = page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)
    assert matches, f"expected the focus on {selector}, found {_active(page)}"


def _cell_of(page: Page, placement: str) -> tuple[str, str]:
    td = page.locator(f".draft-card[data-placement='{placement}']").locator("xpath=ancestor::td[1]")
    return td.get_attribute("data-room") or "", td.get_attribute("data-slot") or ""


def test_building_moving_and_publishing_by_keyboard_alone(browser: Browser, live_app: LiveApp) -> None:
    event = _event(live_app.url)
    page = organizer_page(browser, event, "/schedule")
    expect(page.get_by_role("heading", name="No schedule yet")).to_be_visible()

    # Build: type the time to spend, then Enter on the button.
    tab_to(page, "#time_limit")
    page.keyboard.press("Control+A")
    page.keyboard.type("3", delay=60)
    page.keyboard.press("Tab")
    _focus_is(page, ".build-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Draft version 1")).to_be_visible(timeout=60_000)
    built = page.locator("#schedule-notice")
    expect(built).to_contain_text("Built draft version 1")
    _focus_is(page, "#schedule-notice")  # what happened, where the keyboard is

    # Move: open the first card's "Move", choose a cell; the consequences show before moving.
    card = page.locator(".draft-card").first
    placement = card.get_attribute("data-placement") or ""
    before = _cell_of(page, placement)
    summary = f"#placement-{placement} summary"
    tab_to(page, summary, limit=120)
    page.keyboard.press("Enter")
    _focus_is(page, summary)
    why = page.locator(f"#why-{placement}")
    verdict = re.compile(r"Allowed\.|Refused:")
    expect(why.locator(".move-preview")).to_contain_text(verdict)  # the first choice's, as soon as it opens
    page.keyboard.press("Tab")
    select = f"#to-{placement}"
    _focus_is(page, select)
    # Down the menu until a choice is allowed, reading the consequences of each on the way.
    options = page.locator(f"{select} option").count()
    chosen = page.locator(select).input_value()
    for _ in range(options - 1):
        page.keyboard.press("ArrowDown")
        assert page.locator(select).input_value() != chosen
        chosen = page.locator(select).input_value()
        expect(why.locator(f".move-preview[data-cell='{chosen}']")).to_contain_text(verdict)
        expect(why).not_to_contain_text("detail")  # not a refused request's JSON
        _focus_is(page, select)
        if "Allowed." in why.inner_text():
            break
    expect(why).to_contain_text("Allowed.")
    expect(why).to_contain_text("Attendance")
    screenshot(page, ARTIFACTS / "schedule-move-preview.png")
    page.keyboard.press("Tab")
    _focus_is(page, f"#placement-{placement} form[action$='/move'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#schedule-notice")).to_contain_text("Moved")
    assert _cell_of(page, placement) == tuple(chosen.split(":")), "the session is where it was sent"
    assert _cell_of(page, placement) != before
    expect(page.get_by_text("Built draft version 1")).to_have_count(0)
    _focus_is(page, summary)  # back on the moved card, not the top of the page
    assert page.evaluate("() => window.scrollY") > 0, "the page is scrolled to the card"

    # Pin it, by keyboard, from where the focus is now.
    page.keyboard.press("Enter")
    tab_to(page, f"#placement-{placement} form[action$='/pin'] button", limit=8)
    page.keyboard.press("Enter")
    expect(page.locator("#schedule-notice")).to_contain_text("Pinned")
    expect(page.locator(f"#placement-{placement}")).to_contain_text("Pinned")
    _focus_is(page, summary)
    assert not serious(axe(page)), describe(serious(axe(page)))

    # Publish: the notice says so and has the focus; nothing older is left on screen.
    tab_to(page, "#publish-note", limit=200)
    page.keyboard.type("Welcome! The schedule is out.", delay=20)
    page.keyboard.press("Tab")
    _focus_is(page, "form[action$='/publish'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#schedule-notice")).to_contain_text("is on the board and every phone")
    _focus_is(page, "#schedule-notice")
    expect(page.get_by_text("Built draft version 1")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^Moved.*Attendance"))).to_have_count(0)
    screenshot(page, ARTIFACTS / "schedule-published.png")
    page.context.close()


def test_dropping_a_card_back_on_its_own_cell_does_nothing(browser: Browser, live_app: LiveApp) -> None:
    event = _event(live_app.url)
    event.build()
    page = organizer_page(browser, event, "/schedule")
    expect(page.get_by_role("heading", name="Draft version 1")).to_be_visible()
    card = page.locator(".draft-card").first
    placement = card.get_attribute("data-placement") or ""
    room, slot = _cell_of(page, placement)
    own = page.locator(f"td[data-room='{room}'][data-slot='{slot}']")
    card.drag_to(own, target_position={"x": 8, "y": 8})
    page.wait_for_timeout(700)  # long enough for a submit to have come back
    expect(page.locator(".error-message")).to_have_count(0)
    expect(page.get_by_text("is not a whole number")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/organize/schedule$"))
    assert _cell_of(page, placement) == (room, slot)

    # Dragged onto another cell, the consequences show before it is let go, and the drop moves it.
    other = page.locator("td[data-room]:not(:has(.draft-card))").first
    target = (other.get_attribute("data-room") or "", other.get_attribute("data-slot") or "")
    card.hover()
    page.mouse.down()
    other.hover(position={"x": 10, "y": 10})
    other.hover(position={"x": 14, "y": 14})
    preview = page.locator("#drag-preview .move-preview")
    expect(preview).to_contain_text(re.compile(r"Allowed\.|Refused:"))
    allowed = "Allowed." in preview.inner_text()
    other.hover(position={"x": 16, "y": 16})  # still holding it, reading what it would do
    page.mouse.up()
    if allowed:
        expect(page.locator("#schedule-notice")).to_contain_text("Moved")
        assert _cell_of(page, placement) == target
        _focus_is(page, f"#placement-{placement} summary")
    else:
        expect(page.locator("#schedule-error")).to_contain_text("refused")
        _focus_is(page, "#schedule-error")
    page.context.close()
