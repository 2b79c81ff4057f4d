"""The board's headcounts from 15 m: "12 / 30" per session of the slot running now and "room for more"
by itself, at 1280x720 and 1920x1080 with 12 rooms (rooms as rows) and with 4 rooms over 5 slots
(rooms as columns): nothing cut off, a check-in on a phone moves the figure without a reload."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.clock import midday_zone
from tests.e2e.boardpages import build_event, titles
from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.pages import screenshot

pytestmark = pytest.mark.slow

SIZES = {"720": {"width": 1280, "height": 720}, "1080": {"width": 1920, "height": 1080}}


def _day(live_app: LiveApp, rooms: int, slots: int) -> tuple[str, list[str], list[int]]:
    """A published day whose first slot began 20 minutes ago; people checked into its rooms, a
    different number in each (a few rooms well under half their seats)."""
    zone, local = midday_zone()
    start = local - timedelta(minutes=20)
    times = [
        {"start": (start + timedelta(minutes=60 * i)).strftime("%H:%M"),
         "end": (start + timedelta(minutes=60 * i + 50)).strftime("%H:%M")}
        for i in range(slots)
    ]  # fmt: skip
    built = build_event(
        live_app.url,
        rooms=rooms,
        slots=slots,
        topics=rooms * slots + 2,
        publish=True,
        name="Edcamp Headcounts",
        seconds=1,
        date=local.strftime("%Y-%m-%d"),
        zone=zone,
        slot_times=times,
    )
    room_ids = [room["id"] for room in built.rooms]
    wanted = [3, 28, 12, 40, 7, 19, 33, 2, 25, 9, 15, 31][:rooms]
    tokens: list[str] = []
    with httpx.Client(base_url=live_app.url, timeout=30) as http:
        for room, count in zip(room_ids, wanted, strict=True):
            for i in range(count):
                token = http.post(f"/api/v1/events/{built.code}/attendees", json={"name": f"P{room}-{i}"}).json()[
                    "token"
                ]
                answer = http.post(
                    f"/api/v1/events/{built.code}/checkins",
                    json={"room_id": room},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if answer.status_code == 409:  # the schedule left this room empty now
                    break
                answer.raise_for_status()
                tokens.append(token)
    return built.code, tokens, room_ids


@pytest.mark.parametrize(("rooms", "slots"), [(12, 2), (4, 5)])
def test_headcounts_read_on_a_projector_and_follow_a_check_in(
    browser: Browser, live_app: LiveApp, rooms: int, slots: int
) -> None:
    code, _tokens, room_ids = _day(live_app, rooms, slots)
    for size, viewport in SIZES.items():
        ctx = browser.new_context(viewport=viewport, color_scheme="dark")  # type: ignore[arg-type]
        page = ctx.new_page()
        page.goto(f"{live_app.url}/e/{code}/board?page_seconds=60")
        counts = page.locator(".cell-count")
        expect(counts.first).to_be_visible()
        # Every count is on one line, inside its cell, and large enough for the back of the room.
        shown = page.evaluate("""() => [...document.querySelectorAll('.cell-count')].filter(e => e.getClientRects().length)
          .map(e => { const r = e.getBoundingClientRect(), c = e.closest('td').getBoundingClientRect();
                      const size = parseFloat(getComputedStyle(e).fontSize);
                      return {seen: e.querySelector('[aria-hidden]').textContent,
                              said: e.querySelector('.visually-hidden').textContent,
                              inside: r.left >= c.left - 1 && r.right <= c.right + 1,
                              oneLine: r.height < 1.7 * size, size}; })""")
        assert shown, "no headcount is shown"
        assert all(c["inside"] and c["oneLine"] for c in shown), shown
        assert all(c["size"] >= 24 * viewport["height"] / 1080 - 0.5 for c in shown), shown
        assert all(re.fullmatch(r"\d+ / \d+", c["seen"]) for c in shown), shown
        assert all(re.fullmatch(r"\d+ (people|person) here, \d+ seats?", c["said"]) for c in shown), shown
        # Titles are whole (not clipped) on the page shown.
        for title in titles(page, ".cell-title"):
            if title["visible"]:
                assert title["clip"]["left"] - 1 <= title["left"] and title["right"] <= title["clip"]["right"] + 1
                assert title["scrollWidth"] <= title["width"] + 1, title
        expect(page.locator("td.status-room_for_more .cell-status").first).to_have_text("Room for more")
        screenshot(page, ARTIFACTS / f"board-headcounts-{rooms}rooms-{size}.png")
        if size == "1080":
            # One more person walks into the first room: the board moves without a reload.
            held = [r for r in room_ids if page.locator(f"td[id^='cell-{r}-'].is-now .cell-count").count()]
            first = page.locator(f"td[id^='cell-{held[0]}-'].is-now .cell-count")
            before = int(first.get_attribute("data-here") or "0")
            token = httpx.post(f"{live_app.url}/api/v1/events/{code}/attendees", json={"name": "Late"}).json()["token"]
            httpx.post(
                f"{live_app.url}/api/v1/events/{code}/checkins",
                json={"room_id": held[0]},
                headers={"Authorization": f"Bearer {token}"},
            ).raise_for_status()
            expect(page.locator(f"td[id^='cell-{held[0]}-'].is-now .cell-count")).to_have_attribute(
                "data-here", str(before + 1)
            )
        ctx.close()
