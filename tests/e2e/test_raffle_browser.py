"""The raffle in a real browser: phones join, the organizer lists two prizes (a long name among
them), lets everyone who joined win, shows the raffle on the board, commits, draws both prizes (the
first winner absent and redrawn) and reveals the seed. The projector (1280x720, opened once and
never reloaded) shows the hash before any winner, then the winners, then the seed; a second board
at 1920x1080 and a phone's public page are photographed."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PROJECTOR, LiveApp
from tests.e2e.events import join_on_phone, make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SMALL_PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "color_scheme": "dark"}
LONG_PRIZE = "A year of the district's makerspace: robot kits, a 3D printer and weekly coaching for your class"
SHOTS = ARTIFACTS / "raffle"
MARKER = "() => window.__e2eSamePage"


def _press(org: Page, name: str) -> None:
    org.get_by_role("button", name=re.compile(f"^{re.escape(name)}")).click()
    expect(org.locator("#raffle-notice")).to_be_visible()


def test_the_organizer_draws_on_the_board_and_anyone_can_check_it(live_app: LiveApp, browser: Browser) -> None:  # noqa: F811
    event = make_event(live_app.url, name="Edcamp Raffle", phase="scheduled")
    names = ("Ana Ruiz", "Ben Okafor", "Cy Tran")
    phones = [join_on_phone(browser, live_app.url, event.code, name) for name in names]
    org = organizer_page(browser, event, "/raffle")
    expect(org.get_by_role("heading", name="Raffle", exact=True)).to_be_visible()

    for name, sponsor in ((LONG_PRIZE, "Valley Makers"), ("Coffee for a month", "")):
        org.locator("#prize-name").press_sequentially(name, delay=5)
        if sponsor:
            org.locator("#prize-sponsor").press_sequentially(sponsor, delay=10)
        org.locator("#prize-name").press("Enter")
        expect(org.locator("#raffle-notice")).to_contain_text("Added the prize")
    org.get_by_label("Checked in to at least one session").uncheck()
    _press(org, "Save who may win")
    expect(org.get_by_text("3 people may win now.")).to_be_visible()

    org.goto(f"{live_app.url}/e/{event.code}/organize/closing")
    org.locator("#closing-board").get_by_role("button", name="Raffle").click()
    board = browser.new_context(**PROJECTOR).new_page()  # type: ignore[arg-type]
    board.goto(f"{live_app.url}/e/{event.code}/board")
    board.evaluate("() => { window.__e2eSamePage = true; }")
    expect(board.locator(".board-raffle")).to_contain_text("The draw starts soon")
    org.goto(f"{live_app.url}/e/{event.code}/organize/raffle")
    for phone in phones:  # the phones' nav offers the raffle while the board shows it
        phone.reload()
        phone.get_by_role("link", name="Raffle").tap()
        expect(phone.locator(".raffle-ticket")).to_contain_text("Your ticket:")
        expect(phone.locator(".raffle-ok")).to_contain_text("You can win")
    screenshot(phones[0], SHOTS / "phone-ticket.png", full_page=True)

    _press(org, "Commit the draw")
    seed_hash = org.locator("#raffle-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", seed_hash)
    expect(board.locator("#board-hash")).to_have_text(seed_hash)
    expect(board.locator("#raffle-winner")).to_have_count(0)
    expect(board.locator(".board-raffle")).to_contain_text("Now drawing")
    screenshot(board, SHOTS / "board-720-committed.png")

    _press(org, "Draw next prize")
    expect(board.locator("#raffle-winner")).to_be_visible()
    first = board.locator("#raffle-winner").inner_text()
    _press(org, "Absent — redraw")
    expect(org.locator("#raffle-notice")).to_contain_text("was drawn instead")
    expect(board.locator("#raffle-winner")).not_to_have_text(first)
    _press(org, "Draw next prize")
    expect(board.locator(".raffle-prize-line")).to_contain_text("Coffee for a month")
    expect(board.locator("#raffle-winners li")).to_have_count(2)
    expect(board.locator("#board-seed")).to_have_count(0)
    screenshot(board, SHOTS / "board-720-winners.png")

    _press(org, "Reveal the seed")
    seed = org.locator("#raffle-seed").inner_text()
    expect(board.locator("#board-seed")).to_have_text(seed)
    assert board.evaluate(MARKER), "the board reloaded instead of taking the draw live"
    screenshot(board, SHOTS / "board-720-revealed.png")
    box = board.locator("#board-main").bounding_box()
    proof = board.locator(".raffle-proof").bounding_box()
    assert box and proof and proof["y"] + proof["height"] <= box["y"] + box["height"] + 1, "the seed is cut off at 720p"

    wide = browser.new_context(**FULL_HD).new_page()  # type: ignore[arg-type]
    wide.goto(f"{live_app.url}/e/{event.code}/board")
    expect(wide.locator("#board-seed")).to_have_text(seed)
    screenshot(wide, SHOTS / "board-1080-revealed.png")

    winners = org.locator("#raffle-picks li:not(.is-absent)").all_inner_texts()
    assert len(winners) == 2
    screenshot(org, SHOTS / "organizer.png", full_page=True)
    small = browser.new_context(**SMALL_PHONE).new_page()  # type: ignore[arg-type]
    small.goto(f"{live_app.url}/e/{event.code}/raffle")
    expect(small.locator("#public-seed")).to_have_text(seed)
    expect(small.locator("#public-picks tbody tr")).to_have_count(3)
    assert small.evaluate("() => document.documentElement.scrollWidth") <= 375
    # The winners' phones, left open on their ticket since before the commit, say so by themselves.
    won = [phone for phone, name in zip(phones, names, strict=True) if any(name in w for w in winners)]
    assert len(won) == 2
    for phone in won:
        expect(phone.locator("#raffle-won")).to_contain_text("Go to the front.", timeout=25_000)
    screenshot(won[0], SHOTS / "phone-won.png", full_page=True)
    screenshot(small, SHOTS / "phone-public.png", full_page=True)
    problems = serious(axe(small)) + serious(axe(board))
    assert not problems, describe(problems)


def test_a_bilingual_board_draws_in_both_languages_at_720p(live_app: LiveApp, browser: Browser) -> None:  # noqa: F811
    event = make_event(live_app.url, name="Edcamp Bilingüe", phase="scheduled")
    httpx.patch(
        event.api, json={"language": "es", "bilingual": True}, headers=event.organizer, timeout=30
    ).raise_for_status()
    for name in ("María José Fernández de la Torre", "Luis"):
        event.attendee(name)
    org = organizer_page(browser, event, "/raffle")
    org.locator("#prize-name").press_sequentially(
        "Un año de taller de robótica para toda tu clase, con impresora 3D", delay=2
    )
    org.locator("#prize-sponsor").press_sequentially("Fundación Valle Creativo", delay=5)
    org.locator("#prize-name").press("Enter")
    org.get_by_label("Checked in to at least one session").uncheck()
    _press(org, "Save who may win")
    org.goto(f"{live_app.url}/e/{event.code}/organize/closing")
    org.locator("#closing-board").get_by_role("button", name="Raffle").click()
    board = browser.new_context(**PROJECTOR).new_page()  # type: ignore[arg-type]
    board.goto(f"{live_app.url}/e/{event.code}/board")
    org.goto(f"{live_app.url}/e/{event.code}/organize/raffle")
    _press(org, "Commit the draw")
    _press(org, "Draw next prize")
    expect(board.locator(".raffle-ticket-line")).to_contain_text("¡Pasa al frente!")
    expect(board.locator(".raffle-ticket-line")).to_contain_text("Come to the front!")
    _press(org, "Reveal the seed")
    expect(board.locator("#board-seed")).to_be_visible()
    screenshot(board, SHOTS / "board-720-bilingual.png")
    main = board.locator("#board-main").bounding_box()
    for part in (".raffle-proof", "#raffle-winner", ".raffle-sponsor-line"):
        box = board.locator(part).bounding_box()
        assert main and box and box["y"] + box["height"] <= main["y"] + main["height"] + 1, f"{part} is cut off"
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 1, f"{part} runs past the main area"
