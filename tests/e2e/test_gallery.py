"""Every screen at a phone's, a laptop's and a projector's size: nothing wider than the screen, and a
gallery for people to look at.

``TWOFEET_UPDATE_SCREENSHOTS=1 pytest tests/e2e/test_gallery.py`` rewrites docs/screenshots/ (and
its index, docs/screenshots/README.md); an ordinary run writes the pictures to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE, SCREENSHOTS, LiveApp

pytestmark = pytest.mark.slow

SIZES = {
    "phone": PHONE,
    "laptop": LAPTOP,
    "projector": {"viewport": {"width": 1920, "height": 1080}, "color_scheme": "dark"},
}


@dataclass(frozen=True)
class Screen:
    name: str
    what: str  # a line for the index
    audience: str  # "attendee", "organizer" or "anyone"
    path: Callable[[LiveApp], str]
    shows: str  # a selector that is visible once the screen is ready


def _first_topic(page: Page) -> None:
    page.locator(".topic-title a").first.click()


SCREENS = [
    Screen("home", "The home page: create an event, or type a join code", "anyone", lambda a: "/", "main"),
    Screen("join", "Joining from the QR code: a name, optional", "new", lambda a: f"/e/{a.morning.code}", "form"),
    Screen(
        "wall",
        "The phone's topic wall: mark, offer to lead, propose",
        "attendee",
        lambda a: f"/e/{a.morning.code}",
        "#wall",
    ),
    Screen(
        "session",
        "One session before the schedule: the card's own taps",
        "attendee",
        lambda a: f"/e/{a.morning.code}",
        ".topic-card",
    ),
    Screen("my-day", "My day once the schedule is out", "attendee", lambda a: f"/e/{a.published.code}/my", ".my-day"),
    Screen(
        "session-published",
        "One session once the schedule is out: room and time",
        "attendee",
        lambda a: f"/e/{a.published.code}",
        ".topic-card",
    ),
    Screen(
        "board-wall",
        "The projector before publishing: the topic wall",
        "anyone",
        lambda a: f"/e/{a.morning.code}/board",
        "#board-main",
    ),
    Screen(
        "board-grid",
        "The projector after publishing: rooms and slots",
        "anyone",
        lambda a: f"/e/{a.published.code}/board",
        "#board-main",
    ),
    Screen("notes", "A session's shared notes and resources", "attendee", lambda a: f"/e/{a.published.code}", "main"),
    Screen(
        "feedback", "The day's feedback, from a phone", "attendee", lambda a: f"/e/{a.published.code}/feedback", "main"
    ),
    Screen(
        "door",
        "A room's door view on a tablet: now and next",
        "anyone",
        lambda a: f"/e/{a.published.code}/board",
        "#door-room",
    ),
    Screen(
        "guide", "The resource guide everyone takes home", "anyone", lambda a: f"/e/{a.published.code}/guide", "main"
    ),
    Screen("not-found", "A wrong address, in plain words", "anyone", lambda a: "/e/NOPE00", "main"),
    Screen(
        "organizer-sign-in", "Signing in as an organizer", "new", lambda a: f"/e/{a.published.code}/organize", "form"
    ),
    Screen(
        "console", "The organizer's console, morning", "organizer", lambda a: f"/e/{a.morning.code}/organize", "main"
    ),
    Screen(
        "console-published",
        "The organizer's console once the schedule is out",
        "organizer",
        lambda a: f"/e/{a.published.code}/organize",
        "main",
    ),
    Screen(
        "schedule",
        "The schedule workspace: build, adjust, publish",
        "organizer",
        lambda a: f"/e/{a.published.code}/organize/schedule",
        "main",
    ),
    Screen(
        "feedback-results",
        "What attendees said, for the organizers",
        "organizer",
        lambda a: f"/e/{a.published.code}/organize/feedback",
        "main",
    ),
    Screen("print-board", "The printable board", "organizer", lambda a: f"/e/{a.published.code}/print/board", "main"),
    Screen(
        "print-doors", "The printable door signs", "organizer", lambda a: f"/e/{a.published.code}/print/doors", "main"
    ),
    Screen("print-poster", "The join poster", "organizer", lambda a: f"/e/{a.morning.code}/print/poster", "main"),
]


def _open(page: Page, live_app: LiveApp, screen: Screen) -> None:
    page.goto(live_app.url + screen.path(live_app))
    if screen.name.startswith("session"):
        _first_topic(page)
    elif screen.name == "notes":
        _first_topic(page)
        page.get_by_role("link", name="Notes and resources").click()
    elif screen.name == "door":  # the board's first session leads to its room's door view
        cell = page.locator(".board-grid td[id^=cell-]").first.get_attribute("id") or ""
        page.goto(f"{live_app.url}/e/{live_app.published.code}/rooms/{cell.split('-')[1]}")
    expect(page.locator(screen.shows).first).to_be_visible()
    page.wait_for_load_state("load")


def _login(page: Page, live_app: LiveApp) -> None:
    for event in (live_app.morning, live_app.published):
        page.goto(f"{live_app.url}/e/{event.code}/organize?key={event.secret}")


def _join(page: Page, live_app: LiveApp) -> None:
    for event in (live_app.morning, live_app.published):
        page.goto(f"{live_app.url}/e/{event.code}")
        page.get_by_label(re.compile("name", re.I)).fill("Ms. Gallery")
        page.get_by_role("button", name=re.compile("join", re.I)).click()
        expect(page.locator("#wall")).to_be_visible()
    page.goto(f"{live_app.url}/e/{live_app.morning.code}")
    page.locator(".mark-button").first.click()
    expect(page.locator('.mark-button[aria-pressed="true"]').first).to_be_visible()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_screen_fits_its_screen(browser: Browser, live_app: LiveApp, size: str) -> None:
    update_docs = os.environ.get("TWOFEET_UPDATE_SCREENSHOTS") == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    contexts = {}
    for audience in ("attendee", "organizer", "anyone", "new"):
        context = browser.new_context(**SIZES[size])  # type: ignore[arg-type]
        page = context.new_page()
        if audience == "attendee":
            _join(page, live_app)
        elif audience == "organizer":
            _login(page, live_app)
        contexts[audience] = page
    too_wide = []
    for screen in SCREENS:
        page = contexts[screen.audience]
        _open(page, live_app, screen)
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1] + 1:
            too_wide.append(f"{screen.name}: {width[0]} px wide on a {width[1]} px screen")
        name = f"{screen.name}-{size}.png"
        page.screenshot(path=str(ARTIFACTS / name), animations="disabled", caret="hide")
        if update_docs:
            page.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide")
    for page in contexts.values():
        page.context.close()
    assert not too_wide, "screens that scroll sideways:\n" + "\n".join(too_wide)
    if update_docs and size == list(SIZES)[-1]:
        _write_index()


def _write_index() -> None:
    lines = [
        "# The screens of Two Feet",
        "",
        "Written by the browser suite: `TWOFEET_UPDATE_SCREENSHOTS=1 pytest tests/e2e/test_gallery.py`",
        "(on the demo events; a phone is 390x780, a laptop 1280x800, a projector 1920x1080 in its dark theme).",
        "",
        "| screen | phone | laptop | projector |",
        "|---|---|---|---|",
    ]
    for screen in SCREENS:
        cells = [f"![{screen.what}, {size}]({screen.name}-{size}.png)" for size in SIZES]
        lines.append(f"| {screen.what} | " + " | ".join(cells) + " |")
    ours = {f"{screen.name}-{size}.png" for screen in SCREENS for size in SIZES}
    others = sorted(p.name for p in SCREENSHOTS.glob("*.png") if p.name not in ours)
    if others:  # the pictures other browser tests write (the board's sizes and themes, the console's phases)
        lines += ["", "## More, from the tests of each screen", ""]
        lines += [f"- [{name.removesuffix('.png')}]({name})" for name in others]
    (SCREENSHOTS / "README.md").write_text("\n".join(lines) + "\n")
