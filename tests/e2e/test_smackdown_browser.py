"""The smackdown in a real browser: two phones (375 px, touch) join the queue at a person's pace,
the organizer opens it and presses "Next", and the projector (1280x720, then 1920x1080) shows the
teacher up, their resource, the two minutes ticking down and who is next: all live, the board never
reloaded."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import ApiEvent, join_on_phone, make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SMALL_PHONE = {**PHONE, "viewport": {"width": 375, "height": 740}}
LONG_TITLE = "Student-led podcasts for history class: interviews with grandparents about the neighborhood"
LONG_URL = "https://docs.example.org/teachers/share/very/long/path/to/a/resource-folder-with-a-long-name?id=1234567890"


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=15_000)


def _live_event(base: str) -> ApiEvent:
    event = make_event(base, name="Edcamp Smackdown")
    who = event.attendee("Ms. Rivera")
    event.propose(who, "Math talks", facilitate=True)
    event.phase("voting")
    event.build()
    event.publish()
    return event


def _join_queue(phone: Page, title: str, url: str, why: str, *, name: str | None = None) -> None:
    phone.get_by_role("link", name="Smackdown").tap()
    expect(phone.get_by_role("heading", name="Share one resource")).to_be_visible()
    phone.get_by_label("What you will share").press_sequentially(title, delay=25)
    phone.get_by_label("Link (optional)").press_sequentially(url, delay=15)
    phone.get_by_label("Why it helps, in one line").press_sequentially(why, delay=25)
    if name is not None:
        phone.get_by_label("Your name on the board").fill(name)
    phone.wait_for_timeout(300)  # a last look before tapping
    phone.get_by_role("button", name="Join the queue").tap()


def test_two_phones_join_the_organizer_advances_the_board_counts_down(browser: Browser, live_app: LiveApp) -> None:  # noqa: F811
    event = _live_event(live_app.url)
    org = organizer_page(browser, event, "/closing")
    org.get_by_role("button", name="Smackdown", exact=True).click()
    expect(org.locator("#closing-notice")).to_have_text("The board shows the smackdown.")
    org.get_by_role("button", name="Open the queue to phones").click()

    board = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    board.goto(f"{live_app.url}/e/{event.code}/board")
    board.evaluate("() => { window.__sameBoard = true; }")
    expect(board.get_by_role("heading", name="Smackdown: join from your phone")).to_be_visible()
    screenshot(board, ARTIFACTS / "smackdown-board-join-720.png")

    ana = join_on_phone(browser, live_app.url, event.code, "Ana Ruiz", **SMALL_PHONE)
    _join_queue(ana, "Padlet exit tickets", "padlet.com/ana/exit", "Every voice in two minutes")
    expect(ana.locator(".smack-place")).to_have_text("You're #1 in the queue")
    anon = join_on_phone(browser, live_app.url, event.code, "", **SMALL_PHONE)
    _join_queue(anon, LONG_TITLE, LONG_URL, "Kids hear history from the people who lived it")
    expect(anon.locator(".smack-place")).to_have_text("You're #2 in the queue")
    screenshot(anon, ARTIFACTS / "smackdown-phone.png", full_page=True)
    assert not serious(axe(anon)), describe(serious(axe(anon)))
    expect(board.locator(".smack-waiting-big")).to_contain_text("2 teachers in the queue")

    org.goto(f"{live_app.url}/e/{event.code}/organize/smackdown")
    expect(org.get_by_role("heading", name="Run the smackdown")).to_be_visible()
    org.locator("#smack-next").focus()
    org.keyboard.press("Enter")  # the big button, by keyboard
    expect(org.locator("#smack-notice")).to_have_text("Ana Ruiz is up.")
    expect(org.locator("#smack-next")).to_be_focused()
    screenshot(org, ARTIFACTS / "smackdown-run.png", full_page=True)
    assert not serious(axe(org)), describe(serious(axe(org)))

    expect(board.locator("#smack-name")).to_have_text("Ana Ruiz")
    expect(board.locator(".smack-title")).to_have_text("Padlet exit tickets")
    expect(board.locator(".smack-url")).to_have_text("https://padlet.com/ana/exit")
    expect(board.locator(".smack-next")).to_contain_text("A teacher")
    expect(board.locator(".smack-next")).to_contain_text(LONG_TITLE)
    clock = board.locator(".smack-clock .clock-value")
    expect(clock).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    first = clock.inner_text()
    board.wait_for_timeout(2200)  # the projector ticks by itself between pushes
    assert clock.inner_text() < first, (first, clock.inner_text())
    assert board.evaluate("() => window.__sameBoard === true"), "the board reloaded"
    screenshot(board, ARTIFACTS / "smackdown-board-720.png")
    assert not serious(axe(board)), describe(serious(axe(board)))

    # The anonymous teacher, with the long title and link, on a full HD projector: wraps, never overflows.
    org.locator("#smack-next").click()
    expect(board.locator("#smack-name")).to_have_text("A teacher")
    expect(board.locator(".smack-next")).to_contain_text("Nobody else in the queue yet")
    board.set_viewport_size({"width": 1920, "height": 1080})
    for part in (".smack-title", ".smack-url", ".smack-why"):
        fits = board.locator(part).evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        assert fits, part
    main_box, page_width = board.locator("#board-main").bounding_box(), 1920
    assert main_box and main_box["x"] + main_box["width"] <= page_width
    screenshot(board, ARTIFACTS / "smackdown-board-1080.png")
    board.set_viewport_size({"width": 1280, "height": 720})
    screenshot(board, ARTIFACTS / "smackdown-board-720-long.png")

    # Past the two minutes the clock says so (its end moved back, as a late page would see it).
    board.locator(".smack-clock").evaluate(
        "e => e.setAttribute('data-ends-at', new Date(Date.now() - 5000).toISOString())"
    )
    expect(board.locator(".smack-clock .clock-word")).to_have_text("over time")
    expect(board.locator(".smack-clock")).to_have_class(re.compile("is-over"))

    anon.reload()
    expect(anon.locator(".smack-place")).to_have_text("You're up now: go to the front!")
    screenshot(anon, ARTIFACTS / "smackdown-phone-up.png")
    guide = ana.context.new_page()
    guide.goto(f"{live_app.url}/e/{event.code}/guide")
    smack = guide.locator("#guide-smackdown + ul")
    expect(smack).to_contain_text("Padlet exit tickets")
    expect(smack).to_contain_text(LONG_TITLE)

    # A bilingual day (Spanish first): the board's own words in both languages, still fitting.
    httpx.patch(
        event.api, json={"language": "es", "bilingual": True}, headers=event.organizer, timeout=30
    ).raise_for_status()
    board.reload()
    expect(board.locator(".smack-next")).to_contain_text("Siguiente / Next")
    for size, label in (({"width": 1920, "height": 1080}, "1080"), ({"width": 1280, "height": 720}, "720")):
        board.set_viewport_size(size)
        for part in ("#smack-name", ".smack-title", ".smack-url", ".smack-next-who", ".smack-clock"):
            box = board.locator(part).bounding_box()
            assert box and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], part
        screenshot(board, ARTIFACTS / f"smackdown-board-bilingual-{label}.png")
