"""The projector board from 15 m: at 1280x720 and 1920x1080, with 8 and 16 rooms, before publishing
(the topic wall) and after (the grid). Nothing is cut off: the board pages through what does not
fit, and every topic or session is shown on some page; titles are big and never broken mid-word;
the announcement covers nothing; an empty board is its join code. Pages are walked with the arrow
keys, as an organizer with a clicker would; the board also turns them by itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clock import midday_zone
from tests.e2e.boardpages import BuiltEvent, boxes, build_event, contrast, overlaps, titles
from tests.e2e.conftest import ARTIFACTS, LAPTOP, SCREENSHOTS, LiveApp
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SIZES = {"720": {"width": 1280, "height": 720}, "1080": {"width": 1920, "height": 1080}}
TITLE = ".board-title, .cell-title"


@pytest.fixture(scope="module")
def events(live_app: LiveApp) -> dict[str, BuiltEvent]:
    """Days made over the API: 16 rooms published, 16 rooms still proposing (44 topics), a small
    school with more slots than rooms."""
    return {
        "grid16": build_event(live_app.url, rooms=16, slots=4, topics=60, publish=True, name="Statewide Summit"),
        "wall16": build_event(
            live_app.url, rooms=16, slots=4, topics=44, publish=False, name="Statewide Summit: proposals"
        ),
        "grid3": build_event(live_app.url, rooms=3, slots=5, topics=14, publish=True, name="Edcamp Small School"),
    }


def _code(live_app: LiveApp, events: dict[str, BuiltEvent], which: str) -> str:
    return {"wall8": live_app.morning.code, "grid8": live_app.published.code}.get(which) or events[which].code


def _board(browser: Browser, size: str, url: str, **context: object) -> Iterator[Page]:
    ctx = browser.new_context(viewport=SIZES[size], color_scheme="dark", **context)  # type: ignore[arg-type]
    page = ctx.new_page()
    page.goto(url)
    expect(page.locator("#board-main")).to_be_attached()
    yield page
    ctx.close()


def _walk(page: Page) -> Iterator[int]:
    """Each page of the board in turn (1, 2, ...), stepped with the right arrow key."""
    main = page.locator("#board-main")
    pages = int(main.get_attribute("data-pages") or "1")
    for number in range(1, pages + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            expect(main).to_have_attribute("data-page", str(number))
        yield number


@pytest.mark.parametrize("size", ["720", "1080"])
@pytest.mark.parametrize("which", ["wall8", "wall16", "grid8", "grid16"])
def test_board_shows_everything_on_some_page_and_clips_nothing(
    browser: Browser, live_app: LiveApp, events: dict[str, BuiltEvent], which: str, size: str
) -> None:
    """Before: at 1080p 9 of the demo's 24 topics were cut off, at 720p 18; words broke mid-word."""
    url = f"{live_app.url}/e/{_code(live_app, events, which)}/board?page_seconds=60"
    for page in _board(browser, size, url):
        everything = {t["text"] for t in titles(page, TITLE)}
        assert len(everything) >= (24 if which.startswith("wall") else 20), everything
        seen: set[str] = set()
        pages = int(page.locator("#board-main").get_attribute("data-pages") or "1")
        for number in _walk(page):
            shown = [t for t in titles(page, TITLE) if t["visible"]]
            assert shown, f"page {number} is empty"
            clipped = [
                t["text"]
                for t in shown
                if not (
                    t["clip"]["left"] - 1 <= t["left"]
                    and t["right"] <= t["clip"]["right"] + 1
                    and t["clip"]["top"] - 1 <= t["top"]
                    and t["bottom"] <= t["clip"]["bottom"] + 1
                )
            ]
            assert not clipped, f"page {number} of {pages}: {len(clipped)} of {len(shown)} titles cut off: {clipped}"
            overflowing = [t for t in shown if t["scrollWidth"] > t["width"] + 1 or t["widest"] > t["width"] + 1]
            assert not overflowing, f"a word is wider than its box: {overflowing[:2]}"
            breakable = [
                t
                for t in shown
                if t["wrap"] != "normal" or t["wordBreak"] != "normal" or t["hyphens"] not in ("manual", "none")
            ]
            assert not breakable, f"words may be broken mid-word: {breakable[:2]}"
            # 28 px at 1080p; the same physical size at 720p (every size follows the screen).
            small = [t for t in shown if t["fontSize"] < 28 * SIZES[size]["height"] / 1080 - 0.5]
            assert not small, small[:2]
            cramped = page.evaluate("""() => [...document.querySelectorAll('.board-grid th, .board-header > *, .board-join > *')]
              .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())""")
            assert not cramped, f"text wider than its box: {cramped}"
            # The join address breaks before "/e/" if it must, never inside the host or the code.
            lines = page.evaluate("""() => [...document.querySelector('.board-link strong').childNodes]
              .filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
              .map(n => { const r = document.createRange(); r.selectNodeContents(n);
                          return [n.textContent, new Set([...r.getClientRects()].map(b => Math.round(b.top))).size]; })""")
            assert lines and all(count == 1 for _text, count in lines), f"the join address is broken mid-word: {lines}"
            seen |= {t["text"] for t in shown}
            pager = page.locator("#board-pager")
            if pages > 1:
                more = len(everything) - len(shown)
                noun = "topics" if which.startswith("wall") else "sessions"
                expect(pager).to_be_visible()
                expect(pager).to_have_text(re.compile(rf"^Page {number} of {pages} · and {more} more {noun}"))
            else:
                expect(pager).to_be_hidden()
            if number == 1:
                label = {
                    "wall8": "board-wall",
                    "wall16": "board-wall-44topics",
                    "grid8": "board-grid-8rooms",
                    "grid16": "board-grid-16rooms",
                }[which]
                screenshot(page, ARTIFACTS / f"{label}-{size}.png", SCREENSHOTS / f"{label}-{size}.png")
        assert seen == everything, f"never shown: {everything - seen}"
        if which == "grid8":  # the demo's published day has an announcement: it takes its own row
            bar = boxes(page, "#board-announcement")
            assert bar, "the announcement is not shown"
            for selector in ("#board-main", ".board-join", ".board-header", TITLE):
                for box in boxes(page, selector):
                    assert not overlaps(bar[0], box), f"the announcement covers {selector}: {box}"
            assert bar[0]["bottom"] <= SIZES[size]["height"] + 0.5


def test_grid_puts_rooms_as_rows_when_they_outnumber_slots(
    browser: Browser, live_app: LiveApp, events: dict[str, BuiltEvent]
) -> None:
    # grid8 is the demo's day, which opens with a plenary and breaks for lunch: each is a full-width
    # row, so its slots stay rows though its 8 rooms outnumber them.
    for which, rows_are in (("grid16", "rooms"), ("grid8", "slots"), ("grid3", "slots")):
        for page in _board(browser, "1080", f"{live_app.url}/e/{_code(live_app, events, which)}/board?page_seconds=60"):
            heads = page.locator(".board-grid thead th[data-col]").all_inner_texts()
            sides = page.evaluate(
                "() => [...document.querySelectorAll('.board-grid tbody th')].map(t => t.textContent.trim())"
            )
            rooms = set(page.evaluate("() => [...document.querySelectorAll('td[data-room]')].map(t => t.dataset.room)"))
            if rows_are == "rooms":
                assert set(sides) == rooms and len(heads) < len(sides), (which, heads, sides)
            else:
                assert {h.strip() for h in heads} == rooms, (which, heads, sides)
                assert len(heads) < len(sides) or which == "grid8", (which, heads, sides)
            # An empty cell says so, quietly: smaller and dimmer than a title.
            free = page.locator("td.is-free:not([hidden]) .cell-free")
            if free.count():
                expect(free.first).to_have_text(re.compile(r"^(Free|Closed)$"))
                size = float(free.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
                title = float(
                    page.locator(".cell-title").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                )
                assert size < title
            if which == "grid3":
                screenshot(page, ARTIFACTS / "board-grid-3rooms-1080.png", SCREENSHOTS / "board-grid-3rooms-1080.png")


def test_now_and_next_are_highlighted(browser: Browser, live_app: LiveApp) -> None:
    zone, local = midday_zone()
    start = local.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    slots = [
        {
            "start": f"{(start + timedelta(hours=i)).strftime('%H:%M')}",
            "end": f"{(start + timedelta(hours=i + 1)).strftime('%H:%M')}",
        }
        for i in range(4)
    ]  # no gaps
    code = build_event(
        live_app.url,
        rooms=3,
        slots=4,
        topics=6,
        publish=True,
        name="Edcamp Right Now",
        seconds=1,
        date=local.strftime("%Y-%m-%d"),
        zone=zone,
        slot_times=slots,
    ).code
    for page in _board(browser, "1080", f"{live_app.url}/e/{code}/board"):
        # Three rooms, four slots: rooms are the columns, slots the rows; the second slot runs now.
        now_row = page.locator(".board-grid tbody tr.is-now")
        expect(now_row).to_have_count(1)
        expect(now_row.locator(".tag-now")).to_have_text("Now")
        expect(page.locator(".board-grid tbody tr.is-next .tag-next")).to_have_text("Next")
        colours = page.evaluate("""() => ['tr.is-now td', 'tr.is-next td', 'tbody tr:not(.is-now):not(.is-next) td']
          .map(s => getComputedStyle(document.querySelector(s)).backgroundColor)""")
        assert len(set(colours)) == 3, colours
        screenshot(page, ARTIFACTS / "board-grid-now-1080.png", SCREENSHOTS / "board-grid-now-1080.png")


def test_an_empty_board_is_its_join_code(browser: Browser, live_app: LiveApp) -> None:
    with httpx.Client(base_url=live_app.url, timeout=30) as http:
        created = (
            http.post(
                "/api/v1/events",
                json={
                    "name": "Edcamp First Light",
                    "date": "2027-03-13",
                    "rooms": [{"name": "Library", "capacity": 40}],
                    "slots": [{"start": "09:00", "end": "09:50"}],
                },
            )
            .raise_for_status()
            .json()
        )
        code = created["code"]
        http.post(
            f"/api/v1/events/{code}/phase",
            json={"phase": "proposing"},
            headers={"Authorization": f"Bearer {created['organizer_token']}"},
        ).raise_for_status()
    for size in ("720", "1080"):
        for page in _board(browser, size, f"{live_app.url}/e/{code}/board"):
            height = SIZES[size]["height"]
            qr = page.locator(".welcome-qr").bounding_box()
            code_box = page.locator(".welcome-code").bounding_box()
            assert qr and qr["height"] >= 0.55 * height, qr
            assert code_box and code_box["height"] >= 0.12 * height, code_box
            expect(page.locator(".welcome-code")).to_have_text(re.compile(code))
            expect(page.locator(".board-empty")).to_be_visible()
            assert (
                page.locator(".board-empty").evaluate(
                    "e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))"
                )
                <= 3
            )
            expect(page.locator(".board-join img")).to_be_hidden()  # no second, smaller code
            screenshot(page, ARTIFACTS / f"board-empty-{size}.png", SCREENSHOTS / f"board-empty-{size}.png")
            assert not serious(axe(page)), describe(serious(axe(page)))
            if size == "1080":
                # The first topic arrives live: the wall replaces the code, which moves to its corner.
                with httpx.Client(base_url=live_app.url, timeout=30) as http:
                    token = http.post(f"/api/v1/events/{code}/attendees", json={}).json()["token"]
                    http.post(
                        f"/api/v1/events/{code}/topics",
                        json={"title": "Restorative circles that students run"},
                        headers={"Authorization": f"Bearer {token}"},
                    ).raise_for_status()
                expect(page.locator(".board-topic")).to_have_count(1)
                expect(page.locator(".board-join img")).to_be_visible()
                expect(page.locator(".welcome-qr")).to_have_count(0)


def test_paging_survives_a_push_and_goes_on_by_itself(
    browser: Browser, live_app: LiveApp, events: dict[str, BuiltEvent]
) -> None:
    event = events["wall16"]
    for page in _board(browser, "1080", f"{live_app.url}/e/{event.code}/board"):  # 10 s a page
        page.evaluate("() => { window.__samePage = 'yes'; }")
        main = page.locator("#board-main")
        assert int(main.get_attribute("data-pages") or "1") >= 3
        page.keyboard.press("ArrowRight")
        turned = time.monotonic()
        expect(main).to_have_attribute("data-page", "2")
        top = page.locator(".board-topic").first
        topic_id = int((top.get_attribute("id") or "").rsplit("-", 1)[1])
        before = int(top.locator(".board-count").text_content() or "")
        with httpx.Client(base_url=live_app.url, timeout=30) as http:
            token = http.post(f"/api/v1/events/{event.code}/attendees", json={}).json()["token"]
            http.put(
                f"/api/v1/events/{event.code}/topics/{topic_id}/interest", headers={"Authorization": f"Bearer {token}"}
            ).raise_for_status()
        counted = page.locator(f"#board-topic-{topic_id} .board-count")
        expect(counted).to_have_text(str(before + 1))  # the push has landed...
        expect(page.locator(f"#board-topic-{topic_id}.is-changed")).to_be_attached()  # ...and glows
        assert page.locator(f"#board-topic-{topic_id}").evaluate("e => getComputedStyle(e).animationName") == "tf-glow"
        expect(main).to_have_attribute("data-page", "2", timeout=500)  # ...on the same page
        expect(page.locator("#board-pager .pager-page")).to_have_text(re.compile(r"^Page 2 of \d+$"))
        # and the board still turns its pages by itself.
        expect(main).to_have_attribute("data-page", "3", timeout=25_000)
        assert time.monotonic() - turned >= 9, "pages turn slowly enough to read: 10 s each"
        # An announcement arrives: it takes its own row, and the page is measured again around it.
        console = browser.new_context(**LAPTOP).new_page()
        console.goto(event.organize)
        announce = console.locator("form[action$='/organize/announcement']")
        announce.locator("input[name=announcement]").fill("Lunch is in the cafeteria at 12:00, bring your badge")
        announce.locator("button[type=submit]").click()
        expect(page.locator("#board-announcement")).to_be_visible()
        page.wait_for_timeout(300)  # the resize observer reports after the next layout
        bar = boxes(page, "#board-announcement")[0]
        shown = [t for t in titles(page, TITLE) if t["visible"]]
        assert shown and not [t["text"] for t in shown if overlaps(bar, t)], "the announcement covers a title"
        assert not [t["text"] for t in shown if t["bottom"] > t["clip"]["bottom"] + 1], "a title is cut off"
        announce.locator("input[name=announcement]").fill("")
        announce.locator("button[type=submit]").click()
        expect(page.locator("#board-announcement")).to_be_hidden()
        console.context.close()
        assert page.evaluate("() => window.__samePage") == "yes"


def test_a_change_is_outlined_not_animated_without_motion(
    browser: Browser, live_app: LiveApp, events: dict[str, BuiltEvent]
) -> None:
    event = events["wall16"]
    for page in _board(
        browser, "1080", f"{live_app.url}/e/{event.code}/board?page_seconds=60", reduced_motion="reduce"
    ):
        top = page.locator(".board-topic").first
        topic_id = int((top.get_attribute("id") or "").rsplit("-", 1)[1])
        with httpx.Client(base_url=live_app.url, timeout=30) as http:
            token = http.post(f"/api/v1/events/{event.code}/attendees", json={}).json()["token"]
            http.put(
                f"/api/v1/events/{event.code}/topics/{topic_id}/interest", headers={"Authorization": f"Bearer {token}"}
            ).raise_for_status()
        changed = page.locator(f"#board-topic-{topic_id}.is-changed")
        expect(changed).to_be_attached()
        style = changed.evaluate("e => [getComputedStyle(e).animationName, getComputedStyle(e).outlineStyle]")
        assert style == ["none", "solid"], style


@pytest.mark.parametrize("which", ["wall16", "grid16"])
def test_light_theme_by_address_and_by_the_organizer(
    browser: Browser, live_app: LiveApp, events: dict[str, BuiltEvent], which: str
) -> None:
    event = events[which]
    for page in _board(browser, "1080", f"{live_app.url}/e/{event.code}/board?theme=light&page_seconds=60"):
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(255, 255, 255)"
        faint = [c for c in contrast(page, TITLE) if c["ratio"] < 7]
        assert not faint, faint[:3]
        found = serious(axe(page))
        assert not found, describe(found)
        contrast_issues = axe(page, rules=["color-contrast"])
        assert not contrast_issues, describe(contrast_issues)
        label = "board-wall-light" if which == "wall16" else "board-grid-16rooms-light"
        screenshot(page, ARTIFACTS / f"{label}-1080.png", SCREENSHOTS / f"{label}-1080.png")
    if which != "wall16":
        return
    # The organizer's choice: the board already on the projector turns light without a reload.
    for board in _board(browser, "720", f"{live_app.url}/e/{event.code}/board?page_seconds=60"):
        board.evaluate("() => { window.__samePage = 'yes'; }")
        assert board.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        console = browser.new_context(**LAPTOP).new_page()
        console.goto(event.organize)
        console.get_by_label("Light: for a bright room or a TV in daylight").check()
        console.get_by_role("button", name="Use these colours").click()
        expect(console.get_by_text("The board is light now.")).to_be_visible()
        expect(board.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")
        assert board.evaluate("() => window.__samePage") == "yes"
        screenshot(board, ARTIFACTS / "board-wall-light-720.png", SCREENSHOTS / "board-wall-light-720.png")
        # ?theme=dark still holds one screen dark.
        dark = board.context.new_page()
        dark.goto(f"{live_app.url}/e/{event.code}/board?theme=dark")
        assert dark.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
        console.get_by_label("Dark: for a projector in a dim room").check()
        console.get_by_role("button", name="Use these colours").click()
        expect(board.locator("body")).to_have_css("background-color", "rgb(13, 17, 23)")
        console.context.close()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_door_view_reads_from_the_corridor(browser: Browser, live_app: LiveApp, theme: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = ctx.new_page()
    page.goto(f"{live_app.url}/e/{live_app.published.code}/board")
    room_id = (page.locator("td[id^=cell-]").first.get_attribute("id") or "").split("-")[1]
    page.goto(f"{live_app.url}/e/{live_app.published.code}/rooms/{room_id}?theme={theme}")
    expect(page.locator("#door-room")).to_be_visible()
    faint = [c for c in contrast(page, ".door-title, #door-room, .door-when") if c["ratio"] < 4.5]
    assert not faint, faint
    found = serious(axe(page))
    assert not found, describe(found)
    screenshot(page, ARTIFACTS / f"door-view-{theme}.png", SCREENSHOTS / f"door-view-{theme}.png")
    ctx.close()
