"""Paper: the door signs, the printed board and the join poster, printed (print media) and checked
for what a reader sees: every title dark on white paper, one poster on one page, no serious axe finding."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.boardpages import contrast
from tests.e2e.conftest import ARTIFACTS, LAPTOP, SCREENSHOTS, LiveApp
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

PAPER = {"viewport": {"width": 1123, "height": 794}}  # A4 landscape at 96 dpi


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printed_door_signs_show_every_title(browser: Browser, live_app: LiveApp, scheme: str) -> None:
    """Bug 3: the titles were white on white paper (the door view's colours leaked into print)."""
    context = browser.new_context(**LAPTOP, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{live_app.published.code}/print/doors")
    page.emulate_media(media="print")
    expect(page.locator(".door-sign").first).to_be_visible()
    for selector in (".door-sign h2", ".door-title", ".door-time"):
        found = contrast(page, selector, paper=True)
        assert found, selector
        faint = [f for f in found if f["ratio"] < 4.5]
        assert not faint, f"{selector} on paper: {faint[:3]}"
    if scheme == "light":
        screenshot(page, ARTIFACTS / "door-sign-print.png", SCREENSHOTS / "door-sign-print.png")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printed_board_shows_every_title(browser: Browser, live_app: LiveApp, scheme: str) -> None:
    context = browser.new_context(**PAPER, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{live_app.published.code}/print/board")
    page.emulate_media(media="print")
    expect(page.locator(".print-board").first).to_be_visible()
    for selector in (".print-board h2", ".print-board td strong", ".print-board th"):
        found = contrast(page, selector, paper=True)
        assert found, selector
        faint = [f for f in found if f["ratio"] < 4.5]
        assert not faint, f"{selector} on paper: {faint[:3]}"
    if scheme == "light":
        screenshot(page, ARTIFACTS / "board-print.png", SCREENSHOTS / "board-print.png")
    context.close()


def test_print_pages_have_no_serious_violations(browser: Browser, live_app: LiveApp) -> None:
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    for path in ("print/doors", "print/board", "print/poster"):
        page.goto(f"{live_app.url}/e/{live_app.published.code}/{path}")
        found = serious(axe(page))
        assert not found, f"{path}:\n{describe(found)}"
    context.close()


def test_join_poster_is_one_page_with_a_big_code(browser: Browser, live_app: LiveApp) -> None:
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 portrait at 96 dpi
    page = context.new_page()
    page.goto(f"{live_app.url}/e/{live_app.morning.code}/print/poster")
    expect(page.locator(".poster-code")).to_have_text(live_app.morning.code)
    address = f"{live_app.base_url}/e/{live_app.morning.code}".split("://", 1)[1]
    expect(page.locator(".poster-address")).to_have_text(address)
    found = serious(axe(page))
    assert not found, describe(found)
    page.emulate_media(media="print")
    qr = page.locator(".poster-qr").bounding_box()
    assert qr and qr["width"] >= 0.5 * 794, qr  # half the sheet's width: scans from a few steps away
    faint = [
        f
        for f in contrast(page, ".poster h1, .poster-code, .poster-address, .poster-step", paper=True)
        if f["ratio"] < 7
    ]
    assert not faint, faint
    pdf = page.pdf(format="A4", print_background=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the poster spills onto a second page"
    screenshot(page, ARTIFACTS / "poster.png", SCREENSHOTS / "poster.png")
    context.close()
