"""Item 8: the main pages work under the Content-Security-Policy without inline script. A real
Chromium loads each page of the day; any CSP violation (a securitypolicyviolation event, or the
console's "Refused to ..." error) fails the test, and the behaviours that moved out of inline
handlers into app.js still happen."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

# Here rather than in tests/security: it shares the suite's one browser and demo server.
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE, PROJECTOR, LiveApp

WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} blocked ${e.blockedURI} in ${e.sourceFile}:${e.lineNumber}`);
}, true);"""


class Watched:
    """A browser context whose pages report CSP violations and console errors."""

    def __init__(self, browser: Browser, **options: Any) -> None:
        self.context: BrowserContext = browser.new_context(**options)
        self.context.add_init_script(WATCH)
        self.errors: list[str] = []

    def page(self) -> Page:
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        return page

    def check(self, page: Page) -> None:
        violations = page.evaluate("() => window.__csp || []")
        assert violations == [], f"{page.url}: {violations}"
        refused = [e for e in self.errors if "Content Security Policy" in e or "Refused to" in e]
        assert refused == [], refused


def test_the_pages_of_the_day_run_under_the_csp(browser: Browser, live_app: LiveApp) -> None:
    base = live_app.url
    morning, published = live_app.morning, live_app.published
    policy = httpx.get(f"{base}/e/{morning.code}").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]

    # A phone: join, propose (the form empties itself after a success: once an hx-on handler).
    phone = Watched(browser, **PHONE)
    page = phone.page()
    page.goto(f"{base}/e/{morning.code}")
    page.get_by_label("Your name").press_sequentially("Ines", delay=40)
    page.get_by_role("button", name="Join the wall").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
    title = page.get_by_label("Title")
    title.press_sequentially("Math talks in multilingual classrooms", delay=40)
    page.wait_for_timeout(700)  # longer than the similar-topics debounce, as a person pauses
    similar = page.locator("#similar button", has_text="Mark this one instead").first
    expect(similar).to_be_visible()
    similar.tap()
    expect(page.locator("#similar button", has_text="Marked ✓").first).to_be_disabled()  # was hx-on
    page.get_by_role("button", name="Propose a topic").tap()
    expect(page.locator("#wall")).to_contain_text("Math talks in multilingual classrooms")
    expect(page.get_by_label("Title")).to_have_value("")  # was hx-on::after-request ... this.reset()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "security-csp-phone-after-proposing.png"), full_page=True)
    phone.check(page)
    for path in ("/my", "/guide"):
        page.goto(f"{base}/e/{published.code}{path}")
        expect(page.locator("main")).to_be_visible()
        phone.check(page)

    # The projector, before and after publishing: live over the websocket (connect-src).
    projector = Watched(browser, **PROJECTOR)
    board = projector.page()
    board.goto(f"{base}/e/{published.code}/board")
    expect(board.locator(".board-grid")).to_be_visible()
    board.goto(f"{base}/e/{morning.code}/board")
    expect(board.get_by_role("heading", name="Topics, most wanted first")).to_be_visible()
    board.wait_for_timeout(1500)  # the socket is open and has spoken
    projector.check(board)
    room_id = httpx.get(f"{base}/api/v1/events/{published.code}").json()["rooms"][0]["id"]
    board.goto(f"{base}/e/{published.code}/rooms/{room_id}")
    expect(board.locator("main")).to_be_visible()
    projector.check(board)

    # The organizer: console, schedule workspace, the API docs (Swagger UI from the app).
    laptop = Watched(browser, **LAPTOP)
    console = laptop.page()
    console.goto(f"{base}/e/{published.code}/organize?key={published.secret}")
    expect(console.get_by_role("heading", name=re.compile(r"^Phase"))).to_be_visible()
    laptop.check(console)
    console.goto(f"{base}/e/{published.code}/organize/schedule")
    expect(console.locator("main")).to_be_visible()
    laptop.check(console)
    for path in ("/print/board", "/print/doors", "/print/poster"):
        console.goto(f"{base}/e/{published.code}{path}")
        expect(console.locator("body")).to_be_visible()
        console.wait_for_load_state("load")
        laptop.check(console)
    console.goto(f"{base}/api/docs")
    expect(console.locator(".swagger-ui .info .title")).to_contain_text("Two Feet")
    expect(console.locator(".opblock").first).to_be_visible()
    console.screenshot(path=str(ARTIFACTS / "security-api-docs.png"))
    laptop.check(console)
    console.goto(f"{base}/")
    expect(console.get_by_role("button", name="Create the event")).to_be_visible()
    laptop.check(console)
    assert [e for e in phone.errors + projector.errors + laptop.errors if "Refused" in e] == []
