"""The closing hour, as people live it: phones check in by the door's QR code, the smackdown runs on
the board with its countdown, the exit survey is filled in, a certificate downloads (its PDF holds
the name and the hours), and the raffle draws on the board, its seed committed before and shown after."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from app.routes.qr import qr_svg
from tests.clock import midday_zone
from tests.e2e.conftest import ARTIFACTS, PHONE, PROJECTOR, LiveApp
from tests.e2e.events import ApiEvent, join_on_phone, make_event, organizer_page
from tests.e2e.pages import screenshot

pytestmark = pytest.mark.slow

SHOTS = ARTIFACTS / "closing-hour"


def _day(live_app: LiveApp) -> ApiEvent:
    """Today where it is about noon: the opening keynote this morning (over), sessions running now."""
    zone, local = midday_zone()
    event = make_event(
        live_app.url,
        name="Edcamp Valley",
        rooms=[{"name": "Library", "capacity": 30}, {"name": "Room 12", "capacity": 25}],
        slots=[
            {"start": "08:00", "end": "09:00", "kind": "plenary", "title": "Opening keynote", "room": "Library"},
            {"start": "10:00", "end": "15:00"},
        ],
        date=local.date().isoformat(),
        timezone=zone,
    )
    for title in ("Math talks", "Restorative circles"):
        proposer = event.attendee(f"Lead of {title}")
        event.propose(proposer, title, facilitate=True)
        event.mark(event.attendee(), title)
    event.phase("voting")
    event.build()
    event.publish()
    return event


def _room_of(board: Page, title: str) -> str:
    cell = board.locator(".board-grid td", has_text=title)
    return (cell.get_attribute("id") or "").split("-")[1]


def _certificates(browser: Browser, event: ApiEvent, console: Page, phone: Page, base: str) -> None:
    """The organizer offers certificates (after the survey); the phone types its name, downloads the
    PDF (it parses, and holds the name and the hours its page shows) and the public check confirms it."""
    console.goto(f"{base}/e/{event.code}/organize/certificates")
    console.get_by_label("Offer PD certificates to attendees").check()
    console.get_by_label("Issuing organization").fill("Valley County Office of Education")
    console.get_by_label("Signer's name").fill("Dr. Mara Lin")
    console.get_by_label("Signer's title").fill("Director of Professional Learning")
    console.get_by_label("Place").fill("Roosevelt High School, Fresno")
    console.get_by_label("Ask for the exit survey before a certificate").check()
    console.get_by_role("button", name="Save the settings").click()
    expect(console.get_by_role("status").first).to_be_visible()

    phone.goto(f"{base}/e/{event.code}/my/certificate")
    hours = phone.locator("#cert-total").inner_text()
    assert re.search(r"\d", hours), hours  # the keynote (by hand) and the session she is in
    expect(phone.locator("#cert-items")).to_contain_text("Opening keynote")
    printed = phone.get_by_label("Your name, as it should be printed")
    expect(printed).to_have_value("Ana Ruiz")  # her display name, to correct
    printed.clear()
    printed.press_sequentially("Ana María Ruiz", delay=40)
    phone.get_by_role("button", name="Get my certificate").tap()
    expect(phone.locator("#certificate-done")).to_be_visible()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download the PDF").tap()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert len(pdf.pages) == 1
    assert "Ana María Ruiz" in text and hours in text and "Edcamp Valley" in text, text
    code = phone.locator(".cert-code").inner_text()

    check = browser.new_context(**PHONE).new_page()  # anyone, e.g. the district's HR office
    check.goto(f"{base}/e/{event.code}/certificates/{code}")
    expect(check.locator("#check-state")).to_have_text("✓ Valid certificate")
    expect(check.locator("#check-name")).to_have_text("Ana María Ruiz")
    expect(check.locator("#check-hours")).to_have_text(hours)
    expect(check.locator("main")).not_to_contain_text("Math talks")  # name, hours, event: nothing else
    screenshot(check, SHOTS / "certificate-check.png")


def _count(board: Page, title: str) -> str:
    return board.locator(".board-grid td", has_text=title).locator(".cell-count").get_attribute("data-here") or ""


def test_the_closing_hour(browser: Browser, live_app: LiveApp) -> None:
    event = _day(live_app)
    base, code = live_app.base_url, event.code  # phones scan the printed links: the public address
    board = browser.new_context(**PROJECTOR).new_page()
    board.goto(f"{base}/e/{code}/board")
    math_room, circles_room = _room_of(board, "Math talks"), _room_of(board, "Restorative circles")

    # 1. The door's QR code is the check-in link on the public address (the same code segno draws for it).
    door = httpx.get(f"{live_app.url}/e/{code}/rooms/{math_room}", timeout=30).text
    here_url = f"{base}/e/{code}/rooms/{math_room}/here"
    assert str(qr_svg(here_url, scale=5)) in door

    # Ana joined this morning; she scans the Math talks door.
    ana = join_on_phone(browser, base, code, "Ana Ruiz")
    ana.goto(here_url)
    expect(ana.get_by_role("heading", name="You're checked in")).to_be_visible()
    expect(ana.locator("main")).to_contain_text("Math talks")
    screenshot(ana, SHOTS / "phone-here.png")
    # Ben never joined: the scan takes him through the join page and back, checked in.
    ben = browser.new_context(**PHONE).new_page()
    ben.goto(f"{base}/e/{code}/rooms/{circles_room}/here")
    ben.get_by_label("Your name").press_sequentially("Ben Okafor", delay=40)
    ben.get_by_role("button", name="Join the wall").tap()
    expect(ben.get_by_role("heading", name="You're checked in")).to_be_visible()
    expect(ben.locator("main")).to_contain_text("Restorative circles")
    expect(board.locator(".board-grid td", has_text="Restorative circles").locator(".cell-count")).to_have_attribute(
        "data-here", "1"
    )
    # The rule of two feet: Ben walks to Math talks and taps "I'm here" on its page.
    ben.goto(f"{base}/e/{code}/sessions/{event.topic_ids['Math talks']}")
    ben.get_by_role("button", name="I'm here").tap()
    expect(ben.locator("#check-in")).to_contain_text("checked in")
    math_count = board.locator(".board-grid td", has_text="Math talks").locator(".cell-count")
    expect(math_count).to_have_attribute("data-here", "2")  # live, no reload
    seats = math_count.get_attribute("data-seats")
    expect(math_count.locator("[aria-hidden=true]")).to_have_text(f"2 / {seats}")  # the back row reads it
    expect(board.locator(".board-grid td", has_text="Restorative circles").locator(".cell-count")).to_have_attribute(
        "data-here", "0"
    )
    screenshot(board, SHOTS / "board-headcounts.png")

    # The organizer checks both in to this morning's keynote by hand (they signed the paper list).
    console = organizer_page(browser, event, "/attendance", host=base)
    keynote = console.locator("#hand-session option", has_text="Opening keynote").get_attribute("value") or ""
    for name in ("Ana Ruiz", "Ben Okafor"):
        form = console.locator("form.hand-form")
        form.get_by_role("combobox", name=re.compile(r"^Who")).press_sequentially(name, delay=30)
        form.get_by_label("Where (present for the whole slot)").select_option(keynote)
        form.get_by_role("button", name="Check in").click()
        expect(console.get_by_role("status").first).to_contain_text(name)

    # 2. The smackdown: the organizer opens the queue and puts it on the board; Ana joins from her phone.
    console.goto(f"{base}/e/{code}/organize/closing")
    console.get_by_role("button", name="Open the queue to phones").click()
    console.goto(f"{base}/e/{code}/organize/closing")
    console.locator("#closing-board").get_by_role("button", name="Smackdown", exact=True).click()
    expect(board.locator(".board-smackdown")).to_be_visible()
    ana.goto(f"{base}/e/{code}/smackdown")
    ana.get_by_label("What you will share").press_sequentially("Desmos classroom activities", delay=30)
    ana.get_by_label("Link (optional)").press_sequentially("https://teacher.desmos.com", delay=20)
    ana.get_by_label("Why it helps, in one line").press_sequentially("Every student graphs at once.", delay=30)
    ana.get_by_role("button", name="Join the queue").tap()
    ben.goto(f"{base}/e/{code}/smackdown")
    ben.get_by_label("What you will share").press_sequentially("Talking chips", delay=30)
    ben.get_by_role("button", name="Join the queue").tap()
    console.goto(f"{base}/e/{code}/organize/smackdown")
    console.locator("#smack-next").click()  # "Start: first share"
    up = board.locator(".board-smackdown")
    expect(up).to_contain_text("Desmos classroom activities")
    expect(up).to_contain_text("Ana Ruiz")
    expect(up).to_contain_text("Talking chips")  # who is next
    countdown = board.locator(".board-smackdown .smack-clock .clock-value")
    first = countdown.inner_text()
    board.wait_for_timeout(2_200)  # the two minutes tick on the board by themselves
    assert countdown.inner_text() != first
    screenshot(board, SHOTS / "board-smackdown.png")
    guide = httpx.get(f"{live_app.url}/e/{code}/guide.md", timeout=30).text
    assert "Desmos classroom activities" in guide and "Ana Ruiz" in guide

    # 3. The exit survey, on the phones.
    for phone in (ana, ben):
        phone.goto(f"{base}/e/{code}/feedback")
        phone.locator("fieldset#rating").get_by_label("5", exact=True).tap()
        phone.locator("fieldset#connected").get_by_label("4", exact=True).tap()
        phone.get_by_role("button", name="Send my answers").tap()
        expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()

    # 4. Certificates: the organizer turns them on; Ana types the name to print and downloads the PDF.
    _certificates(browser, event, console, ana, base)

    # 5. The raffle on the board: hash first, winners prize by prize (an absent one redrawn), the seed after.
    console.goto(f"{base}/e/{code}/organize/raffle")
    for prize, sponsor in (("A class set of novels", "Valley Books"), ("A document camera", "")):
        adding = console.locator("#prize-add")
        adding.get_by_label("Prize").press_sequentially(prize, delay=20)
        if sponsor:
            adding.get_by_label("Sponsor (optional)").press_sequentially(sponsor, delay=20)
        adding.get_by_role("button", name="Add the prize").click()
        expect(console.locator(f"input[value='{prize}']")).to_have_count(1)
    console.goto(f"{base}/e/{code}/organize/closing")
    console.locator("#closing-board").get_by_role("button", name="Raffle", exact=True).click()
    console.goto(f"{base}/e/{code}/organize/raffle")
    console.get_by_role("button", name="Commit the draw").click()
    seed_hash = board.locator("#board-hash")
    expect(seed_hash).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    console.get_by_role("button", name="Draw next prize").click()
    winner = board.locator("#raffle-winner")
    expect(winner).to_have_text(re.compile(r"Ana Ruiz|Ben Okafor"))
    first_winner = winner.inner_text()
    console.get_by_role("button", name="Absent — redraw").click()
    other = "Ben Okafor" if "Ana" in first_winner else "Ana Ruiz"
    expect(winner).to_have_text(other)  # nobody wins twice: the only other ticket
    console.get_by_role("button", name="Reveal the seed").click()
    seed = board.locator("#board-seed")
    expect(seed).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert hashlib.sha256(seed.inner_text().encode()).hexdigest() == seed_hash.inner_text()
    screenshot(board, SHOTS / "board-raffle.png")
    console.goto(f"{base}/e/{code}/organize/closing")
    screenshot(console, SHOTS / "console-closing.png", full_page=True)
    ana.goto(f"{base}/e/{code}/my")
    screenshot(ana, SHOTS / "phone-my-day.png")
