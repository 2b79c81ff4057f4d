"""A teacher's phone through the day, at a person's pace: taps on a touch screen, the keyboard alone,
a 320 px phone, and "my day" when the schedule changes under it.

Each test makes its own event through the JSON API (the organizer's side is not what is tested
here); the phone itself only taps and types.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, SCREENSHOTS, LiveApp
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
TITLES = ["Student podcasts for history", "Outdoor science with no equipment", "Restorative circles students run"]


@dataclass
class ApiEvent:
    base: str
    code: str
    organizer: httpx.Client
    organize_link: str
    topics: dict[str, int]  # title -> id

    def close(self) -> None:
        self.organizer.close()


def _new_event(live_app: LiveApp, *, rooms: int = 3, marks_per_topic: int = 3) -> ApiEvent:
    """An event in the proposing phase with TITLES proposed and marked by a few API attendees."""
    base = live_app.url
    created = (
        httpx.post(
            f"{base}/api/v1/events",
            json={
                "name": "Edcamp Phone Walk",
                "date": "2027-03-13",
                "timezone": "America/Chicago",
                "rooms": [{"name": f"Room {i + 1}", "capacity": 30} for i in range(rooms)],
                "slots": [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}],
            },
        )
        .raise_for_status()
        .json()
    )
    code = created["code"]
    organizer = httpx.Client(
        base_url=f"{base}/api/v1/events/{code}", headers={"Authorization": f"Bearer {created['organizer_token']}"}
    )
    organizer.post("/phase", json={"phase": "proposing"}).raise_for_status()
    people = [
        httpx.post(f"{base}/api/v1/events/{code}/attendees", json={"name": f"Teacher {i}"})
        .raise_for_status()
        .json()["token"]
        for i in range(marks_per_topic)
    ]
    topics: dict[str, int] = {}
    for title in TITLES:
        topics[title] = (
            httpx.post(
                f"{base}/api/v1/events/{code}/topics",
                json={"title": title},
                headers={"Authorization": f"Bearer {people[0]}"},
            )
            .raise_for_status()
            .json()["id"]
        )
        for token in people:
            httpx.put(
                f"{base}/api/v1/events/{code}/topics/{topics[title]}/interest",
                headers={"Authorization": f"Bearer {token}"},
            ).raise_for_status()
    return ApiEvent(base, code, organizer, created["links"]["organize"], topics)


def _build_and_publish(event: ApiEvent, announcement: str | None = None) -> dict[str, Any]:
    event.organizer.post("/schedule/build", json={"time_limit": 3}).raise_for_status()
    deadline = time.monotonic() + 60
    while event.organizer.get("/schedule/build").raise_for_status().json()["running"]:
        assert time.monotonic() < deadline, "the build did not finish"
        time.sleep(0.2)  # polling the build's progress, as the console's progress bar does
    body = {"announcement": announcement} if announcement else {}
    return event.organizer.post("/schedule/publish", json=body).raise_for_status().json()  # type: ignore[no-any-return]


@pytest.fixture
def phone_event(live_app: LiveApp) -> Iterator[ApiEvent]:
    event = _new_event(live_app)
    yield event
    event.close()


def _join(context: BrowserContext, event: ApiEvent, name: str = "") -> Page:
    """Open the join link on the phone, type a name at a person's pace, tap Join."""
    page = context.new_page()
    page.goto(f"{event.base}/e/{event.code}")
    if name:
        page.get_by_label(re.compile("name", re.I)).press_sequentially(name, delay=60)
        page.wait_for_timeout(700)
    page.get_by_role("button", name=re.compile("join", re.I)).tap()
    expect(page.locator("#wall")).to_be_visible()
    return page


def _shot(page: Page, name: str) -> None:
    """For people to look at: test-artifacts/ always, docs/screenshots/ with TWOFEET_UPDATE_SCREENSHOTS=1."""
    screenshot(page, ARTIFACTS / f"{name}.png", SCREENSHOTS / f"{name}.png")


def _card(page: Page, event: ApiEvent, title: str) -> Any:
    return page.locator(f"#topic-{event.topics[title]}")


def test_the_session_page_offers_the_cards_taps_before_the_schedule_and_room_and_time_after(
    browser: Browser, phone_event: ApiEvent
) -> None:
    context = browser.new_context(**PHONE)
    page = _join(context, phone_event, "Ms. Rivera")
    title = TITLES[0]
    page.get_by_role("link", name=title).tap()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    card = _card(page, phone_event, title)
    mark = card.locator(".mark-button")
    expect(mark).to_have_text("Mark")
    mark.tap()
    expect(card.locator(".mark-button")).to_have_text("Marked ✓")
    expect(card.locator(".mark-button")).to_have_attribute("aria-pressed", "true")
    card.get_by_role("button", name="I'll lead this").tap()
    expect(_card(page, phone_event, title).get_by_role("button", name="Step back from leading")).to_be_visible()
    expect(page.locator(".session-where")).to_have_count(0)  # nothing to say about where, yet
    _shot(page, "phone-session-before")

    schedule = _build_and_publish(phone_event)
    ours = next(s for s in schedule["sessions"] if s["title"] == title)
    rooms = {
        r["id"]: r["name"] for r in httpx.get(f"{phone_event.base}/api/v1/events/{phone_event.code}").json()["rooms"]
    }
    slots = {s["id"]: s for s in httpx.get(f"{phone_event.base}/api/v1/events/{phone_event.code}").json()["slots"]}
    page.reload()
    where = page.locator(".session-where .session-run")
    expect(where.locator(".session-room")).to_have_text(rooms[ours["room_id"]])
    slot = slots[ours["slot_id"]]
    expect(where.locator(".session-time")).to_contain_text(f"{slot['start']}–{slot['end']}")
    expect(page.locator(".mark-button")).to_have_count(0)  # marking is over once the day is live
    problems = serious(axe(page))
    assert not problems, describe(problems)
    _shot(page, "phone-session-after")
    context.close()


def test_my_day_says_you_lead_this_shows_the_announcement_and_flags_what_changed(
    browser: Browser, phone_event: ApiEvent
) -> None:
    context = browser.new_context(**PHONE)
    page = _join(context, phone_event, "Dana")
    led, marked = TITLES[0], TITLES[1]
    _card(page, phone_event, marked).locator(".mark-button").tap()
    expect(_card(page, phone_event, marked).locator(".mark-button")).to_have_attribute("aria-pressed", "true")
    _card(page, phone_event, led).get_by_role("button", name="I'll lead this").tap()
    expect(_card(page, phone_event, led).get_by_role("button", name="Step back from leading")).to_be_visible()

    first = _build_and_publish(phone_event, announcement="Coffee is in the library")
    page.goto(f"{phone_event.base}/e/{phone_event.code}/my")
    expect(page.locator("#announcement")).to_have_text("Coffee is in the library")
    mine = page.locator(".my-session", has_text=led)
    expect(mine.locator(".badge.is-lead")).to_have_text("You lead this")
    expect(page.locator(".my-session", has_text=marked).locator(".badge.is-lead")).to_have_count(0)
    expect(page.locator(".badge.is-news")).to_have_count(0)  # the first look: nothing to compare with

    # The organizer closes the room of the session this teacher leads and publishes again, while
    # the phone stays on "my day": the day changes under it, live, and says what changed.
    before = next(s for s in first["sessions"] if s["title"] == led)
    org = browser.new_context()
    org_page = org.new_page()
    # The link names the event's public address; this laptop reaches the same server on loopback.
    org_page.goto(phone_event.base + "/e/" + phone_event.organize_link.split("/e/", 1)[1])
    csrf = next(c["value"] for c in org.cookies() if c["name"] == "tf_csrf")
    closed = org_page.request.post(
        f"{phone_event.base}/e/{phone_event.code}/organize/schedule/close-room",
        form={"room_id": str(before["room_id"]), "slot_id": str(before["slot_id"]), "csrf_token": csrf},
    )
    assert closed.ok, closed.text()
    second = _build_and_publish(phone_event, announcement="Room change after the break")
    after = next(s for s in second["sessions"] if s["title"] == led)
    assert (after["room_id"], after["slot_id"]) != (before["room_id"], before["slot_id"])
    expect(page.locator("#announcement")).to_have_text("Room change after the break", timeout=20_000)
    rooms = {
        r["id"]: r["name"] for r in httpx.get(f"{phone_event.base}/api/v1/events/{phone_event.code}").json()["rooms"]
    }
    moved = page.locator(".my-session", has_text=led)
    if after["slot_id"] == before["slot_id"]:
        expect(moved.locator(".badge.is-news")).to_have_text(
            f"Moved: was in {rooms[before['room_id']]}", timeout=20_000
        )
    else:
        expect(moved.locator(".badge.is-news")).to_have_text("New since you last looked", timeout=20_000)
        expect(page.locator(f"#my-slot-{before['slot_id']} .my-gone")).to_contain_text(led)
    expect(moved.locator(".my-room")).to_have_text(rooms[after["room_id"]])
    _shot(page, "phone-my-day-changed")

    # Looked at once, the change is no longer news.
    page.reload()
    expect(page.locator(".my-session", has_text=led).locator(".my-room")).to_have_text(rooms[after["room_id"]])
    expect(page.locator(".badge.is-news")).to_have_count(0)
    context.close()
    org.close()


def test_the_propose_bar_never_hides_a_cards_buttons_on_a_small_phone(browser: Browser, phone_event: ApiEvent) -> None:
    context = browser.new_context(**SMALL_PHONE)
    page = _join(context, phone_event)
    bar = page.locator(".fab")
    expect(bar).to_be_visible()
    # What a person sees is painted only once the page's stylesheets are in (the phone's own sheet
    # moves the bar and leaves room under it); a script can ask for layout before that.
    page.wait_for_load_state("load")
    covered = page.evaluate("""() => {
      const bar = document.querySelector('.fab');
      const hidden = [];
      for (const button of document.querySelectorAll('.card-actions button')) {
        // As a person scrolls down to a card: the card's buttons come to rest at the bottom edge.
        button.scrollIntoView({block: 'end'});
        const box = button.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (!top || !(button === top || button.contains(top))) hidden.push(button.textContent.trim());
      }
      return hidden;
    }""")
    assert covered == [], f"the propose bar covers {covered}"
    # The form's own button is never under the bar: the bar steps aside while the form shows.
    page.locator("#propose").scroll_into_view_if_needed()
    expect(bar).to_be_hidden()
    expect(page.locator("#propose button[type=submit]")).to_be_in_viewport()
    # And the bar takes the thumb to the form.
    page.evaluate("() => window.scrollTo(0, 0)")
    expect(bar).to_be_visible()
    bar.tap()
    expect(page.locator("#propose")).to_be_in_viewport()
    _shot(page, "phone-propose-320")
    context.close()


def test_the_facilitate_switch_looks_and_acts_like_a_switch(browser: Browser, phone_event: ApiEvent) -> None:
    context = browser.new_context(**SMALL_PHONE)
    page = _join(context, phone_event)
    page.wait_for_load_state("load")  # its styles applied, as a person sees it
    switch = page.get_by_role("switch", name="I'll facilitate it")
    box = switch.bounding_box()
    assert box is not None and box["width"] >= 1.6 * box["height"], f"a switch is a pill, wider than tall: {box}"
    assert box["height"] < 44, "the track is its own size; the label around it is the 44 px target"
    label = page.locator("label.switch-label")
    assert (label.bounding_box() or {}).get("height", 0) >= 44
    expect(switch).not_to_be_checked()
    label.tap()
    expect(switch).to_be_checked()
    context.close()


def _focus_ring(page: Page) -> dict[str, Any]:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
              width: parseFloat(style.outlineWidth), outline: style.outlineStyle, color: style.outlineColor};
    }""")


def test_the_phone_page_by_keyboard_alone_shows_where_focus_is(browser: Browser, phone_event: ApiEvent) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 780})  # a phone with a keyboard case
    page = context.new_page()
    page.goto(f"{phone_event.base}/e/{phone_event.code}")
    name = page.get_by_label(re.compile("name", re.I))
    name.focus()
    name.press_sequentially("Lee", delay=80)
    page.wait_for_timeout(600)
    page.keyboard.press("Enter")
    expect(page.locator("#wall")).to_be_visible()
    # Tab through the whole page, top to bottom: every stop (link, button, field) shows a ring.
    seen: list[dict[str, Any]] = []
    shot = False
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break  # past the last stop
        ring = _focus_ring(page)
        if seen and ring == seen[0]:
            break  # wrapped round to the first stop
        seen.append(ring)
        assert ring["outline"] != "none" and ring["width"] >= 3, f"no visible focus ring on {ring}"
        if not shot and page.evaluate("() => document.activeElement.classList.contains('mark-button')"):
            _shot(page, "phone-keyboard-focus")
            shot = True
    assert shot, f"Tab never reached a Mark button: {seen}"
    stops = {ring["tag"] for ring in seen}
    assert {"A", "BUTTON", "INPUT"} <= stops and len(seen) > 10, seen
    context.close()


def test_mark_is_the_cards_primary_action_and_leading_its_secondary(browser: Browser, phone_event: ApiEvent) -> None:
    context = browser.new_context(**PHONE)
    page = _join(context, phone_event, "Ms. Ito")
    card = _card(page, phone_event, TITLES[0])
    looks = card.evaluate("""card => ['.mark-button', '.lead-button'].map(s => {
      const style = getComputedStyle(card.querySelector(s));
      return {background: style.backgroundColor, colour: style.color, border: style.borderTopColor};
    })""")
    mark, lead = looks
    assert mark["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), f"Mark is a solid button: {mark}"
    assert lead["background"] in ("rgba(0, 0, 0, 0)", "transparent"), f"I'll lead this is an outline: {lead}"
    assert lead["border"] != "rgba(0, 0, 0, 0)", f"the outline can be seen: {lead}"
    context.close()


def test_gallery_of_phone_screens(browser: Browser, phone_event: ApiEvent) -> None:
    """The phone screens at 390 and 320 px, written for people to look at (docs/screenshots)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, options in (("390", PHONE), ("320", SMALL_PHONE)):
        context = browser.new_context(**options)
        page = _join(context, phone_event, "Ms. Okafor")
        _card(page, phone_event, TITLES[1]).locator(".mark-button").tap()
        expect(_card(page, phone_event, TITLES[1]).locator(".mark-button")).to_have_attribute("aria-pressed", "true")
        page.evaluate("() => window.scrollTo(0, 0)")
        _shot(page, f"phone-wall-{size}")
        page.locator("#propose").scroll_into_view_if_needed()
        _shot(page, f"phone-propose-form-{size}")
        context.close()
