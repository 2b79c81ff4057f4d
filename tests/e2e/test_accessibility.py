"""axe-core on every audience's pages, the projector's contrast, and the core actions by keyboard alone.

axe-core is vendored from the npm registry (tests/e2e/vendor/, MPL-2.0) and injected into each page.
The pages are the demo events' (a full wall, and a published grid with doors and "my day").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import LAPTOP, PHONE, PROJECTOR, LiveApp
from tests.e2e.pages import axe, describe, serious, tab_to

pytestmark = pytest.mark.slow


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _phone(browser: Browser, live_app: LiveApp, code: str, scheme: str) -> Iterator[Page]:
    context = browser.new_context(**PHONE, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{code}")
    page.get_by_label("Your name").fill("Axe tester")
    page.get_by_role("button", name="Join the wall").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
    yield page
    context.close()


def _check(page: Page, what: str) -> None:
    found = serious(axe(page))
    assert not found, f"{what} ({page.url}):\n{describe(found)}"


def test_phone_pages_have_no_serious_violations(browser: Browser, live_app: LiveApp, scheme: str) -> None:
    context = browser.new_context(**PHONE, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(live_app.url + "/")
    _check(page, "home")
    page.goto(f"{live_app.url}/e/{live_app.morning.code}")
    expect(page.get_by_role("button", name="Join the wall")).to_be_visible()
    _check(page, "join")
    page.get_by_role("button", name="Join the wall").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
    page.locator(".mark-button").first.click()
    expect(page.locator('.mark-button[aria-pressed="true"]')).to_have_count(1)
    expect(page.locator(".mark-button.is-pending")).to_have_count(0)  # confirmed by the server
    _check(page, "topic list")
    page.locator(".topic-title a").first.click()
    expect(page.locator(".session .topic-card")).to_be_visible()
    _check(page, "session page before the schedule")
    page.goto(f"{live_app.url}/e/{live_app.morning.code}/my")
    _check(page, "my day before the schedule")
    context.close()
    for page in _phone(browser, live_app, live_app.published.code, scheme):
        page.goto(f"{live_app.url}/e/{live_app.published.code}/my")
        _check(page, "my day with the schedule out")
        page.goto(f"{live_app.url}/e/{live_app.published.code}")
        page.locator(".topic-title a").first.click()
        expect(page.locator(".session-where")).to_be_visible()
        _check(page, "session page with the schedule out")


@pytest.mark.parametrize("which", ["morning", "published"])
def test_board_and_doors_have_no_serious_violations(browser: Browser, live_app: LiveApp, which: str) -> None:
    event = getattr(live_app, which)
    context = browser.new_context(**PROJECTOR)
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{event.code}/board")
    expect(page.locator("#board-main")).to_be_visible()
    _check(page, "board")
    # The projector theme: every text must pass colour contrast, whatever axe's impact rating.
    contrast = axe(page, rules=["color-contrast"])
    assert not contrast, describe(contrast)
    if which == "published":
        room_id = page.locator(".board-grid td[id^=cell-]").first.get_attribute("id").split("-")[1]  # type: ignore[union-attr]
        page.goto(f"{live_app.url}/e/{event.code}/rooms/{room_id}")
        expect(page.locator("#door-room")).to_be_visible()
        _check(page, "door view")
        contrast = axe(page, rules=["color-contrast"])
        assert not contrast, describe(contrast)
    context.close()


def test_organizer_pages_have_no_serious_violations(browser: Browser, live_app: LiveApp) -> None:
    context: BrowserContext = browser.new_context(**LAPTOP)
    page = context.new_page()
    for event in (live_app.morning, live_app.published):
        page.goto(f"{live_app.url}/e/{event.code}/organize?key={event.secret}")
        expect(page.get_by_role("heading", name=re.compile(r"^Phase:"))).to_be_visible()
        _check(page, "organizer console")
        page.goto(f"{live_app.url}/e/{event.code}/organize/schedule")
        expect(page.get_by_role("heading", name="Build")).to_be_visible()
        _check(page, "schedule workspace")
    context.close()


def test_core_actions_by_keyboard_alone(browser: Browser, live_app: LiveApp) -> None:
    """Join by code, propose, mark, and (as the organizer) change the phase: Tab, type, Enter, Space."""
    base = live_app.url
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(base + "/")
    tab_to(phone, "#code")
    phone.keyboard.type(live_app.morning.code)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("button", name="Join the wall")).to_be_visible()
    tab_to(phone, "#name")
    phone.keyboard.type("Keys only")
    phone.keyboard.press("Enter")
    expect(phone.locator(".hello")).to_contain_text("Hello, Keys only.")

    # The skip link comes first and leads to the content.
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.matches('a.skip')")
    tab_to(phone, "#title", limit=400)
    phone.keyboard.type("Keyboard-only field trips", delay=40)
    phone.wait_for_timeout(700)  # a person pauses: the similar-topics lookup runs and must not empty the form
    expect(phone.locator("#title")).to_have_value("Keyboard-only field trips")
    tab_to(phone, "form[hx-post$='/topics'] button[type=submit]", limit=20)
    phone.keyboard.press("Enter")
    card = phone.locator(".topic-card", has_text="Keyboard-only field trips")
    expect(card).to_be_visible()
    assert phone.evaluate("() => document.activeElement.matches(\"form[hx-post$='/topics'] button[type=submit]\")"), (
        "focus stays on the button that was pressed"
    )
    expect(phone.locator("#title")).to_have_value("")

    target = f"#{card.get_attribute('id')} .mark-button"
    phone.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(phone, target, limit=400)
    phone.keyboard.press("Space")
    expect(phone.locator(target)).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(target)).to_have_text("Marked ✓")
    expect(phone.locator(target)).to_be_focused()

    organizer = browser.new_context(**LAPTOP).new_page()
    organizer.goto(f"{base}/e/{live_app.morning.code}/organize?key={live_app.morning.secret}")
    expect(organizer.get_by_role("heading", name="Phase: Proposing and marking")).to_be_visible()
    tab_to(organizer, "#next-action")  # the one next action: stop new topics, keep marking
    organizer.keyboard.press("Enter")
    expect(organizer.get_by_role("heading", name="Phase: Marking only")).to_be_visible()
    expect(organizer.locator("#notice")).to_be_focused()
    tab_to(organizer, ".phase-moves > summary")  # going back is a phase chosen by hand
    organizer.keyboard.press("Enter")
    tab_to(organizer, ".phase-form button[value=proposing]", limit=10)
    organizer.keyboard.press("Enter")
    expect(organizer.get_by_role("heading", name="Phase: Proposing and marking")).to_be_visible()
    expect(organizer.locator("#notice")).to_be_focused()
    organizer.context.close()
    phone.context.close()


def test_the_other_pages_have_no_serious_violations(browser: Browser, live_app: LiveApp) -> None:
    """The pages a day reaches less often: editing one's topic, a session's notes and their history,
    feedback, the resource guide, the organizer's sign-in and feedback results, and a wrong address."""
    for page in _phone(browser, live_app, live_app.morning.code, "light"):
        page.get_by_label("Title").press_sequentially("Podcasts in the classroom", delay=40)
        page.wait_for_timeout(700)  # past the similar-topics lookup
        page.get_by_role("button", name="Propose a topic", exact=True).click()
        card = page.locator(".topic-card", has_text="Podcasts in the classroom")
        expect(card).to_be_visible()
        card.get_by_role("link", name="Edit").click()
        expect(page.get_by_label("Title")).to_have_value("Podcasts in the classroom")
        _check(page, "editing one's topic")
    code = live_app.published.code
    for page in _phone(browser, live_app, code, "dark"):
        page.locator(".topic-title a").first.click()
        page.get_by_role("link", name="Notes and resources").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _check(page, "session notes")
        page.goto(page.url + "/history")
        _check(page, "notes history")
        page.go_back()
        page.go_back()
        page.get_by_role("link", name="Feedback", exact=True).click()
        expect(page.locator("form")).not_to_have_count(0)
        _check(page, "a session's feedback")
        page.goto(f"{live_app.url}/e/{code}/feedback")
        _check(page, "the day's feedback")
        page.goto(f"{live_app.url}/e/{code}/guide")
        _check(page, "resource guide")
        missing = page.goto(f"{live_app.url}/e/{code}/sessions/99999")
        assert missing is not None and missing.status == 404
        _check(page, "a session that does not exist")
        missing = page.goto(f"{live_app.url}/nowhere")
        assert missing is not None and missing.status == 404
        _check(page, "a wrong address")
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{code}/organize")
    expect(page.get_by_label("Password")).to_be_visible()
    _check(page, "organizer sign-in")
    page.goto(f"{live_app.url}/e/{code}/organize?key={live_app.published.secret}")
    page.goto(f"{live_app.url}/e/{code}/organize/feedback")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check(page, "feedback results")
    context.close()
