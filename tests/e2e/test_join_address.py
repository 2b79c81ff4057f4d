"""The projector laptop opens the board on localhost: the QR code and join link still show the base URL.

The suite's server has the base URL ``http://twofeet.test:PORT`` (tests/e2e/conftest.py), as a
real install has its school-network address; the pages below are opened on ``localhost``.
A second server, started here with a loopback base URL, shows the plain warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from app.routes.qr import qr_image
from tests.e2e.conftest import ARTIFACTS, PROJECTOR, LiveApp, serve, stop
from tests.e2e.events import make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious
from tests.realtime.live import free_port

pytestmark = pytest.mark.slow


def _on_localhost(url: str) -> str:
    return url.replace("127.0.0.1", "localhost")


def _qr_shown(page: Page, selector: str) -> bytes:
    """The bytes of the QR image the page shows (fetched by the page, on its own address)."""
    src = page.locator(selector).get_attribute("src") or ""
    assert src.startswith("/e/"), src
    return page.request.get(page.evaluate("s => new URL(s, location.href).href", src)).body()


def test_board_and_console_on_localhost_show_the_base_url(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url)
    join = f"{live_app.base_url}/e/{event.code}"
    board = browser.new_context(**PROJECTOR).new_page()
    board.goto(_on_localhost(f"{live_app.url}/e/{event.code}/board"))
    expect(board.locator(".welcome-code")).to_contain_text(event.code)
    expect(board.locator(".board-welcome")).to_contain_text(join.split("://")[1])
    assert _qr_shown(board, ".welcome-qr") == qr_image(join)
    expect(board.locator(".loopback-warning")).to_have_count(0)

    # A topic arrives live: the pushed board still says the base URL, and has no localhost link.
    someone = event.attendee("Kim")
    event.propose(someone, "Math talks")
    expect(board.locator(".board-topic", has_text="Math talks")).to_be_visible()
    expect(board.locator(".board-link")).to_have_text(f"Join at {join.split('://')[1]}")
    links = board.evaluate(
        "() => [...document.querySelectorAll('[href],[src],[hx-get]')].map("
        "e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('hx-get'))"
    )
    assert not [link for link in links if "localhost" in link], links

    console = organizer_page(browser, event, host=_on_localhost(live_app.url))
    expect(console.locator(".share .join-line a")).to_have_text(join)
    expect(console.locator(".share .join-line a")).to_have_attribute("href", join)
    assert _qr_shown(console, ".share-grid img") == qr_image(join)
    expect(console.locator(".loopback-warning")).to_have_count(0)
    for page in (board, console):
        page.context.close()


@pytest.fixture(scope="module")
def loopback_app(tmp_path_factory: pytest.TempPathFactory, live_app: LiveApp) -> Iterator[str]:
    """A second ``twofeet serve`` whose base URL is a loopback one, as a laptop started by hand."""
    folder: Path = tmp_path_factory.mktemp("loopback")
    port = free_port()
    process = serve(folder / "loopback.db", folder / "server.log", port, f"http://localhost:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_console_and_board_warn_when_phones_cannot_reach_the_join_address(browser: Browser, loopback_app: str) -> None:
    event = make_event(loopback_app, name="Edcamp on localhost")
    board = browser.new_context(**PROJECTOR).new_page()
    board.goto(f"{loopback_app}/e/{event.code}/board")
    warning = board.locator(".loopback-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Phones cannot open “localhost”")
    expect(warning).to_contain_text("--base-url")
    found = serious(axe(board))
    assert not found, describe(found)
    screenshot(board, ARTIFACTS / "board-loopback-warning.png")
    event.propose(event.attendee(), "Math talks")  # the wall replaces the welcome screen: still warned
    expect(board.locator(".board-topic", has_text="Math talks")).to_be_visible()
    expect(warning).to_be_visible()
    screenshot(board, ARTIFACTS / "board-wall-loopback-warning.png")

    console = organizer_page(browser, event)
    expect(console.locator(".loopback-warning")).to_be_visible()
    expect(console.locator(".loopback-warning")).to_contain_text("Phones cannot open this join address")
    found = serious(axe(console))
    assert not found, describe(found)
    screenshot(console, ARTIFACTS / "console-loopback-warning.png")
    for page in (board, console):
        page.context.close()
    assert httpx.get(f"{loopback_app}/healthz", timeout=5).status_code == 200
