"""The whole day in a real browser: an organizer, five phones and the projector board together.

The board page is opened once, right after the event is made, and never reloaded: a marker set on
its ``window`` at the start must still be there at the end, so every change it shows came live.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE, PROJECTOR, SCREENSHOTS, LiveApp
from tests.e2e.pages import board_grid, my_day, placed, screenshot

pytestmark = pytest.mark.slow

ROOMS = [("Library", "40", "projector"), ("Room 12", "25", ""), ("Art room", "20", "sinks")]
SLOTS = [("09:30", "10:20"), ("10:30", "11:20")]
TITLES = [
    "Math talks in a multilingual classroom",
    "Student podcasts for history",
    "Outdoor science with no equipment",
    "Restorative circles students run",
    "Coding without computers",
]
NAMES = ["Ms. Rivera", "Mr. Okafor", "Dana", "Lee", ""]  # the last phone never gives a name
# Phone i proposes TITLES[i] and marks these (its own included).
MARKS = {0: [0, 1, 2], 1: [1, 0], 2: [2, 0, 3], 3: [3, 1, 4], 4: [4, 0, 2]}
LEADS = {0: [0], 2: [3]}  # phone 0 offers to lead its own topic when proposing; phone 2 claims topic 3
MARKER = "() => window.__e2eSamePage"


def _counts() -> dict[str, int]:
    counts = dict.fromkeys(TITLES, 0)
    for marks in MARKS.values():
        for i in marks:
            counts[TITLES[i]] += 1
    return counts


def _expected_day(phone: int, grid: dict[str, tuple[str, str]]) -> set[tuple[str, str, str]]:
    mine = {TITLES[i] for i in MARKS[phone]} | {TITLES[i] for i in LEADS.get(phone, [])} | {TITLES[phone]}
    return {(grid[t][0], grid[t][1], t) for t in mine if t in grid}


def _settled_day(phone: Page, expected: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The phone's day once it shows ``expected``, or as it stands after 5 s.

    The page is live: once, in a CI run on a loaded machine, a day read empty just after loading,
    most likely while a live update was re-fetching it. A day that stays wrong still fails.
    """
    for _ in range(50):
        day = my_day(phone)
        if day == expected:
            return day
        phone.wait_for_timeout(100)
    return my_day(phone)


def _open_day(phone: Page, url: str) -> None:
    """Go to the phone's day; a page left on the wall reloads itself once the schedule is out.

    That reload comes 0.2-2.2 s after the push (spread so a room of phones does not ask at once)
    and may cut this navigation short (seen in CI as "interrupted by another navigation" and as
    net::ERR_ABORTED): then wait for it and go again if it went elsewhere.
    """
    for _ in range(3):
        try:
            phone.goto(url, timeout=10_000)
            return
        except PlaywrightError as error:
            # Under a loaded CI machine the wall's own reload has also been seen to swallow the
            # navigation without a word (goto waits for a load that never comes): a person would
            # see the wall again and tap once more, so this goes again too.
            if not any(
                sign in str(error)
                for sign in ("interrupted by another navigation", "ERR_ABORTED", "Timeout 10000ms exceeded")
            ):
                raise
        # The interrupting navigation may itself be a reload of the day (the page had already
        # reached it): let the spread-out reload fire and settle, then look where we are.
        phone.wait_for_timeout(2500)
        phone.wait_for_load_state()
        if phone.url == url:
            return
    phone.goto(url)


def _assert_same_board(board: Page) -> None:
    assert board.evaluate(MARKER) == "still here", "the board page was reloaded"


def _build_and_publish(org: Page, version: int, *, keep_before: int | None = None) -> None:
    if keep_before is not None:
        org.locator("#keep_before").select_option(index=keep_before + 1)  # 0 is "build the whole day afresh"
    org.locator("#time_limit").fill("5")
    org.locator(".build-form button[type=submit]").click()
    # The progress bar polls; when the build ends the page refreshes itself onto the draft.
    expect(org.get_by_role("heading", name=f"Draft version {version}")).to_be_visible(timeout=60_000)
    org.get_by_role("button", name=re.compile(f"Publish version {version}")).click()
    expect(org.get_by_text("is on the board and every phone")).to_be_visible()


def test_the_whole_day(browser: Browser, live_app: LiveApp) -> None:
    base = live_app.url
    ARTIFACTS.mkdir(exist_ok=True)

    # The organizer creates the event from the home page.
    org = browser.new_context(**LAPTOP).new_page()
    org.goto(base + "/")
    org.get_by_label("Event name").fill("Edcamp Browser Day")
    org.get_by_label("Date").fill("2027-03-13")
    org.get_by_label("Time zone").fill("America/Chicago")
    for i, (name, seats, features) in enumerate(ROOMS):
        org.get_by_label(f"Room {i + 1} name").fill(name)
        org.get_by_label(f"Room {i + 1} seats").fill(seats)
        org.get_by_label(f"Room {i + 1} features").fill(features)
    for i, (start, end) in enumerate(SLOTS):
        org.get_by_label(f"Slot {i + 1} start").fill(start)
        org.get_by_label(f"Slot {i + 1} end").fill(end)
    org.get_by_role("button", name="Create the event").click()
    expect(org.get_by_role("heading", name="Save your organizer link")).to_be_visible()
    code = re.search(r"/e/(\w+)/organize", org.url).group(1)  # type: ignore[union-attr]
    org.get_by_role("button", name="I've saved it").click()
    expect(org.get_by_role("heading", name="Phase: Setting up")).to_be_visible()

    # The projector opens the board now and keeps it open all day.
    board = browser.new_context(**PROJECTOR).new_page()
    board.goto(f"{base}/e/{code}/board")
    board.evaluate("() => { window.__e2eSamePage = 'still here'; }")
    expect(board.locator(".board-code strong")).to_have_text(code)
    expect(board.locator(".board-empty")).to_be_visible()

    org.get_by_role("button", name="Open proposing").click()
    expect(org.get_by_role("heading", name="Phase: Proposing and marking")).to_be_visible()

    # Five phones join by typing the code on the home page (lower case on one: codes are case-insensitive).
    phones: list[Page] = []
    for i, name in enumerate(NAMES):
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(base + "/")
        phone.get_by_label("Event code").fill(code.lower() if i == 1 else code)
        phone.get_by_role("button", name="Join", exact=True).click()
        expect(phone).to_have_url(f"{base}/e/{code}")
        if name:
            phone.get_by_label("Your name").fill(name)
        phone.get_by_role("button", name="Join the wall").click()
        expect(phone.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
        expect(phone.locator(".hello")).to_contain_text(f"Hello, {name}." if name else "Hello.")
        phones.append(phone)

    # Each proposes a topic; the board shows each one as it comes.
    for i, phone in enumerate(phones):
        phone.get_by_label("Title").fill(TITLES[i])
        if i in LEADS and i in LEADS[i]:
            phone.get_by_label("I'll facilitate it").check()
        phone.get_by_role("button", name="Propose a topic").click()
        expect(phone.locator(".topic-card", has_text=TITLES[i])).to_be_visible()
        expect(phone.get_by_text("Your topic is on the wall.")).to_be_visible()
        expect(board.locator(".board-topic", has_text=TITLES[i])).to_be_visible()
    expect(board.locator(".board-topic")).to_have_count(len(TITLES))
    expect(board.locator(".board-topic", has_text=TITLES[0]).locator(".needs-lead")).to_have_count(0)
    expect(board.locator(".board-topic", has_text=TITLES[3]).locator(".needs-lead")).to_be_visible()

    # Marks: instant on the phone, confirmed by the server, counted on the board.
    for i, phone in enumerate(phones):
        phone.reload()
        for t in MARKS[i]:
            phone.get_by_role("button", name=f"Mark: {TITLES[t]}").click()
            confirmed = phone.get_by_role("button", name=f"Marked: {TITLES[t]}")
            expect(confirmed).to_have_attribute("aria-pressed", "true")
            expect(confirmed).to_have_text("Marked ✓")
    for title, count in _counts().items():
        expect(board.locator(".board-topic", has_text=title).locator(".board-count")).to_have_text(str(count))
    expect(board.locator(".board-topic").first).to_contain_text(TITLES[0])  # most wanted first
    screenshot(board, ARTIFACTS / "board-wall.png")
    phones[0].evaluate("() => window.scrollTo(0, 0)")
    screenshot(phones[0], ARTIFACTS / "phone-wall.png", SCREENSHOTS / "phone.png")

    # One phone offers to lead a topic that needed a facilitator.
    claimer = phones[2]
    claimer.locator(".topic-card", has_text=TITLES[3]).get_by_role("button", name="I'll lead this").click()
    expect(
        claimer.locator(".topic-card", has_text=TITLES[3]).get_by_role("button", name="Step back from leading")
    ).to_be_visible()
    expect(board.locator(".board-topic", has_text=TITLES[3]).locator(".needs-lead")).to_have_count(0)

    # The organizer closes marking, builds the schedule and publishes it.
    org.get_by_text("Change the phase by hand").click()
    org.get_by_role("button", name="Schedule being drafted").click()
    expect(org.get_by_role("heading", name="Phase: Schedule being drafted")).to_be_visible()
    phones[4].reload()
    expect(phones[4].locator(".mark-button")).to_have_count(0)
    org.goto(f"{base}/e/{code}/organize/schedule")
    expect(org.get_by_role("heading", name="No schedule yet")).to_be_visible()
    _build_and_publish(org, 1)
    expect(org.locator(".draft-grid")).to_be_visible()
    screenshot(org, ARTIFACTS / "organizer-grid.png", full_page=True)

    # The board turns into the grid by itself.
    # (The scheduler may leave a topic out when placing it would only split audiences.)
    on_schedule = org.locator(".draft-grid .draft-card strong").all_inner_texts()
    assert len(on_schedule) >= len(TITLES) - 1, on_schedule
    expect(board.locator(".board-grid")).to_be_visible()
    expect(board.locator(".board-grid .cell-title")).to_have_count(len(on_schedule))
    _assert_same_board(board)
    cells = board_grid(board)
    grid = placed(cells)
    assert set(grid) == set(on_schedule) and set(grid) <= set(TITLES), cells
    assert {c["room"] for c in cells} == {name for name, _, _ in ROOMS}
    board.wait_for_timeout(300)  # let the changed-cell glow settle before the picture
    screenshot(board, ARTIFACTS / "board-grid.png", SCREENSHOTS / "board.png")

    # Every phone's day: its sessions, slot by slot, with their rooms.
    for i, phone in enumerate(phones):
        _open_day(phone, f"{base}/e/{code}/my")
        assert _settled_day(phone, _expected_day(i, grid)) == _expected_day(i, grid), f"phone {i}"
    screenshot(phones[2], ARTIFACTS / "phone-my-day.png")

    # Mid-day a room in use after the first slot closes; the rest of the day is re-solved, slot 1 kept.
    later = [c for c in cells if c["slot"] == f"{SLOTS[1][0]}–{SLOTS[1][1]}" and c["title"]]
    closed = later[0]
    org.locator("#close-room").select_option(label=closed["room"])
    org.locator("#close-from").select_option(label=SLOTS[1][0])
    org.get_by_role("button", name="Close it").click()
    expect(org.locator("td.is-closed")).to_have_count(1)
    _build_and_publish(org, 2, keep_before=1)

    expect(board.locator(f"#{closed['id']} .cell-title")).to_have_count(0)
    expect(board.locator("#board-announcement")).to_be_visible()
    _assert_same_board(board)
    after = placed(board_grid(board))
    for title, (slot, room) in grid.items():
        if slot == f"{SLOTS[0][0]}–{SLOTS[0][1]}":
            assert after.get(title) == (slot, room), f"{title} moved although its slot was kept"
    assert after.get(closed["title"]) != (closed["slot"], closed["room"])
    screenshot(board, ARTIFACTS / "board-after-closing.png")
    affected = 0
    for i, phone in enumerate(phones):
        _open_day(phone, f"{base}/e/{code}/my")
        day = _settled_day(phone, _expected_day(i, after))
        assert day == _expected_day(i, after), f"phone {i} after the room closed"
        if (closed["slot"], closed["room"], closed["title"]) in _expected_day(i, grid):
            affected += 1
            assert (closed["slot"], closed["room"], closed["title"]) not in day
    assert affected, "no phone had the session in the closed room"
    _assert_same_board(board)
