"""The organizer's console walked at a person's pace: create the event by keyboard (with a mistake
first), save the organizer link, then every phase of the day, with focus checked after each action,
axe on each screen and a screenshot of the console in each phase at laptop and 1080p sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, LAPTOP, SCREENSHOTS, LiveApp
from tests.e2e.pages import axe, describe, screenshot, serious, tab_to

pytestmark = pytest.mark.slow

PAUSE = 700  # longer than any debounce: a person stops typing for a moment
SIZES = {"1280": {"width": 1280, "height": 800}, "1920": {"width": 1920, "height": 1080}}
TITLES = [
    "Genius hour in middle school",
    "Genius Hour in middle school!",
    "Student-led conferences",
    "Math talks for every grade",
    "Restorative circles",
]
# attendee -> the topics (indexes into TITLES) they mark; attendee 1 marks both genius hours.
MARKS = {0: [0, 2], 1: [0, 1, 3], 2: [1], 3: [3, 4], 4: [2, 1]}


def type_slowly(page: Page, text: str) -> None:
    page.keyboard.type(text, delay=60)
    page.wait_for_timeout(PAUSE)


def check_axe(page: Page, what: str) -> None:
    found = serious(axe(page))
    assert not found, f"{what} ({page.url}):\n{describe(found)}"


def shoot(page: Page, name: str) -> None:
    """The console at both sizes, in the gallery with TWOFEET_UPDATE_SCREENSHOTS=1."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_timeout(150)
        screenshot(page, ARTIFACTS / f"console-{name}-{size}.png", SCREENSHOTS / f"console-{name}-{size}.png")
    page.set_viewport_size(SIZES["1280"])


def phase_is(page: Page, label: str) -> None:
    expect(page.get_by_role("heading", name=f"Phase: {label}")).to_be_visible()


@pytest.fixture
def organizer(browser: Browser, live_app: LiveApp) -> Iterator[Page]:
    context = browser.new_context(**LAPTOP, locale="en-US")  # type: ignore[arg-type]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_app.url)
    page = context.new_page()
    yield page
    context.close()


def _create_by_keyboard(page: Page, base: str) -> str:
    """The home page's create form, keyboard alone: a mistake first, then fixed. Returns the code."""
    page.goto(base + "/")
    tab_to(page, "#name")
    type_slowly(page, "Edcamp Keyboard Day")
    tab_to(page, "#date", limit=3)
    type_slowly(page, "03132027")
    for i, (name, seats) in enumerate([("Library", "thirty"), ("Room 12", "25")]):
        tab_to(page, f"#room{i}-name")
        type_slowly(page, name)
        page.keyboard.press("Tab")
        type_slowly(page, seats)
    for i, (start, end) in enumerate([("0930A", "0900A"), ("1030A", "1120A")]):
        tab_to(page, f"#slot{i}-start")
        type_slowly(page, start)
        tab_to(page, f"#slot{i}-end", limit=4)  # Tab steps through a time input's hour, minutes, AM/PM first
        type_slowly(page, end)
    tab_to(page, "#create-event button[type=submit]")
    page.keyboard.press("Enter")

    # Every problem at once, in plain words, beside its field; what was typed is still there.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_text(
        ["Room 1: seats must be a whole number from 1 to 10000", "Slot 1: the slot must end after it starts (9:30 AM)"]
    )
    expect(page.locator("#room0-capacity-error")).to_have_text("Room 1: seats must be a whole number from 1 to 10000")
    expect(page.locator("#slot0-end-error")).to_have_text("Slot 1: the slot must end after it starts (9:30 AM)")
    expect(page.locator("#room0-capacity")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name")).to_have_value("Edcamp Keyboard Day")
    expect(page.locator("#date")).to_have_value("2027-03-13")
    expect(page.locator("#room1-name")).to_have_value("Room 12")
    expect(page.locator("#slot1-end")).to_have_value("11:20")
    expect(page.get_by_text("24-hour")).to_have_count(0)
    check_axe(page, "home page with the create form's errors")
    page.locator("#create-event").scroll_into_view_if_needed()
    page.evaluate("() => document.activeElement.blur()")
    screenshot(page, ARTIFACTS / "home-create-errors.png", SCREENSHOTS / "home-create-errors.png", full_page=True)

    # The summary's links lead to the fields.
    page.locator(".error-summary a").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#room0-capacity")).to_be_focused()
    page.keyboard.press("Control+A")
    type_slowly(page, "30")
    tab_to(page, "#slot0-end")
    type_slowly(page, "1020A")
    tab_to(page, "#create-event button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/e/\w+/organize/start$"))
    return re.search(r"/e/(\w+)/organize", page.url).group(1)  # type: ignore[union-attr]


def _add_topics(base: str, code: str) -> None:
    """Five phones propose and mark (through the API: this test is about the console)."""
    tokens = []
    with httpx.Client(base_url=base, timeout=10) as http:
        for i in range(len(MARKS)):
            joined = http.post(f"/api/v1/events/{code}/attendees", json={"name": f"Teacher {i + 1}"})
            tokens.append({"Authorization": f"Bearer {joined.json()['token']}"})
        ids = [
            http.post(
                f"/api/v1/events/{code}/topics", json={"title": title, "facilitate": i != 4}, headers=tokens[i]
            ).json()["id"]
            for i, title in enumerate(TITLES)
        ]
        for person, marks in MARKS.items():
            for t in marks:
                assert (
                    http.put(f"/api/v1/events/{code}/topics/{ids[t]}/interest", headers=tokens[person]).status_code
                    == 200
                )


def _marks(page: Page, title: str) -> str:
    return (
        page.locator(
            "table.moderation tr", has=page.locator("td:first-child", has_text=re.compile("^" + re.escape(title)))
        )
        .locator("td")
        .nth(1)
        .inner_text()
        .split()[0]
    )


def test_the_console_walked_through_the_day(organizer: Page, live_app: LiveApp) -> None:
    page, base = organizer, live_app.url
    ARTIFACTS.mkdir(exist_ok=True)
    code = _create_by_keyboard(page, base)

    # Save your organizer link: shown once, focused, copied by a button.
    expect(page.get_by_role("heading", name="Save your organizer link")).to_be_visible()
    expect(page.locator("#organizer-link")).to_be_focused()
    expect(page.locator("#copy-link")).to_be_visible()  # shown by console.js: without it the link is selectable
    page.wait_for_timeout(PAUSE)  # the organizer reads the page
    link = page.locator("#organizer-link").input_value()
    # Shown on the event's public address (the base URL), whatever address this laptop used.
    assert re.fullmatch(rf"{re.escape(live_app.base_url)}/e/{code}/organize\?key=[\w-]+", link), link
    page.keyboard.press("Tab")
    expect(page.locator("#copy-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#copy-status")).to_have_text("Copied. Paste it somewhere safe.")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    check_axe(page, "the saved-link step")
    screenshot(page, ARTIFACTS / "console-saved-link.png", SCREENSHOTS / "console-saved-link.png")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").startswith("I've saved it")
    page.keyboard.press("Enter")

    # The console: the phase as a stepper, the next action, the checklist.
    phase_is(page, "Setting up")
    expect(page.locator("#notice")).to_be_focused()
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text(re.compile("Setup"))
    expect(page.locator("#next-action")).to_have_text("Open proposing")
    tasks = page.locator(".checklist .task-text")
    for line in (
        "Save your organizer link",
        "Open proposing",
        "Put the board on the projector",
        "Print a join poster",
        "Print door signs",
    ):
        expect(tasks.filter(has_text=line)).to_have_count(1)
    expect(page.locator('.task[data-task="link"]')).to_have_class(re.compile("is-done"))
    assert link not in page.content(), "the link is not shown again once saved"
    check_axe(page, "console, setting up")
    shoot(page, "setup")
    # A line only the organizer can tick (the board is up) stays ticked on this laptop.
    tab_to(page, "#task-board")
    page.keyboard.press("Space")
    expect(page.locator('.task[data-task="board"]')).to_have_class(re.compile("is-done"))
    page.reload()
    expect(page.locator("#task-board")).to_be_checked()
    expect(page.locator('.task[data-task="board"]')).to_have_class(re.compile("is-done"))

    # Keyboard only: the next action opens proposing; focus lands on what happened.
    tab_to(page, "#next-action")
    page.keyboard.press("Enter")
    phase_is(page, "Proposing and marking")
    expect(page.locator("#notice")).to_be_focused()
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text(re.compile("Proposing"))
    expect(page.locator('.task[data-task="open"]')).to_have_class(re.compile("is-done"))

    _add_topics(base, code)
    page.reload()
    # The paper wall, typed in like a person: title, pause, marks, Enter, and the next card is ready.
    page.locator(".console-tabs").get_by_role("link", name=re.compile("^Topics")).click()
    expect(page.locator("#topics")).to_be_visible()
    expect(page.locator("#overview")).to_be_hidden()
    page.locator("#paper-title").click()
    type_slowly(page, "Recess for teachers")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    type_slowly(page, "6")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_have_text("Added “Recess for teachers” with 6 paper marks.")
    expect(page.locator("#paper-title")).to_be_focused()
    assert _marks(page, "Recess for teachers") == "6"

    # The likely duplicates sit beside the table; the organizer keeps the second title.
    pair = page.locator(".duplicates li").filter(has_text=TITLES[1])
    expect(pair).to_be_visible()
    table_box, aside_box = page.locator("table.moderation").bounding_box(), page.locator(".topics-aside").bounding_box()
    assert table_box and aside_box and aside_box["x"] >= table_box["x"] + table_box["width"] - 1, "beside, not below"
    before = {t: _marks(page, t) for t in TITLES[:2]}
    assert before == {TITLES[0]: "2", TITLES[1]: "3"}
    check_axe(page, "console, topics")
    shoot(page, "proposing")
    pair.get_by_label(f"“{TITLES[1]}”").check()
    page.wait_for_timeout(PAUSE)
    pair.get_by_role("button", name="Merge the two").click()
    expect(page.locator(".notice")).to_have_text(f"Merged into “{TITLES[1]}”.")
    expect(
        page.locator("table.moderation td:first-child", has_text=re.compile("^" + re.escape(TITLES[0])))
    ).to_have_count(0)
    assert _marks(page, TITLES[1]) == "4", "four people: the one who marked both counts once"
    page.get_by_role("button", name="Undo the merge").first.click()
    expect(page.locator(".notice")).to_contain_text("both on the wall again")
    assert {t: _marks(page, t) for t in TITLES[:2]} == before, "undo restores both topics and their marks"
    expect(page.locator(".duplicates li").filter(has_text=TITLES[1])).to_be_visible()

    # Next: stop new topics (marking goes on), then close marking.
    page.locator("#next-action").click()
    phase_is(page, "Marking only")
    check_axe(page, "console, marking only")
    shoot(page, "voting")
    page.locator("#next-action").click()
    phase_is(page, "Schedule being drafted")
    expect(page.locator("#next-action")).to_have_text("Build and publish the schedule")

    # "Schedule published" by hand, with nothing published: refused, nothing changes.
    page.get_by_text("Change the phase by hand").click()
    page.get_by_role("button", name="Schedule published").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been published yet")
    phase_is(page, "Schedule being drafted")
    check_axe(page, "console, drafting, with a refusal")
    shoot(page, "scheduled")

    # The schedule page builds and publishes; the console follows.
    page.locator("#next-action").click()
    page.locator("#time_limit").fill("3")
    page.locator(".build-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Draft version 1")).to_be_visible(timeout=120_000)  # a loaded CI machine
    page.get_by_role("button", name=re.compile("Publish version 1")).click()
    expect(page.get_by_text("is on the board and every phone")).to_be_visible()
    page.goto(f"{base}/e/{code}/organize")
    phase_is(page, "Schedule published")
    expect(page.locator('.task[data-task="publish"]')).to_have_class(re.compile("is-done"))
    check_axe(page, "console, live")
    shoot(page, "live")

    # Close asks first (keyboard alone), and can be undone.
    tab_to(page, ".next-action button.danger")
    page.keyboard.press("Enter")
    confirm = page.locator(".confirm-panel")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text("Close the event?")
    phase_is(page, "Schedule published")
    check_axe(page, "console, close confirmation")
    screenshot(page, ARTIFACTS / "console-close-confirm.png", SCREENSHOTS / "console-close-confirm.png")
    tab_to(page, ".confirm-panel button.danger", limit=5)
    page.keyboard.press("Enter")
    phase_is(page, "Closed")
    expect(page.locator("#notice")).to_be_focused()
    expect(page.locator("#next-action")).to_have_text("Reopen the event")
    check_axe(page, "console, closed")
    shoot(page, "closed")
    tab_to(page, "#notice button")
    assert page.evaluate("() => document.activeElement.textContent") == "Undo: reopen (back to “Schedule published”)"
    page.keyboard.press("Enter")
    phase_is(page, "Schedule published")
    expect(page.locator("#notice")).to_be_focused()
    expect(page.locator(".notice")).to_have_text("Reopened: the event is in “Schedule published” again.")
    page.locator(".console-tabs").get_by_role("link", name="Log").click()
    expect(page.locator(".audit-log li").first).to_contain_text("Closed → Schedule published (reopened)")


@pytest.mark.parametrize(
    ("locale", "example"), [("en-US", "e.g. 9:30 AM to 10:20 AM"), ("en-GB", "e.g. 09:30 to 10:20")]
)
def test_the_slot_hint_reads_like_the_time_inputs(
    browser: Browser, live_app: LiveApp, locale: str, example: str
) -> None:
    """A time input shows 9:30 AM in the US and 09:30 in Britain; the hint's example follows suit."""
    context = browser.new_context(**LAPTOP, locale=locale)
    page = context.new_page()
    page.goto(live_app.url + "/")
    expect(page.locator("[data-time-example]")).to_have_text(f"(when each starts and ends, {example})")
    context.close()
