"""A phone back from a wifi blip: it reconnects on its own within seconds and shows the exact wall.

The phone's server goes away for ten seconds while 250 marks are made (through a second server on
the same database, as a second worker would take them). When its server is back the phone, on its
own retry schedule (full jitter capped at 4 s, ``app.js``), reconnects saying the last change it
saw, and is caught up by state: one push with the current counts, no GET of its whole wall.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ARTIFACTS, PUBLIC_NAME, serve, stop
from tests.e2e.events import join_on_phone
from tests.e2e.pages import screenshot
from tests.realtime.live import free_port, make_event, mark

pytestmark = pytest.mark.slow
COUNT = re.compile(r'id="count-(\d+)"><strong>(\d+)</strong>')


def test_a_phone_back_from_a_blip_shows_the_exact_wall_within_seconds_without_refetching(
    browser: Browser, tmp_path: Path
) -> None:
    db, log = tmp_path / "blip.db", tmp_path / "server.log"
    port, other_port = free_port(), free_port()
    base_url = f"http://{PUBLIC_NAME}:{port}"
    url = f"http://127.0.0.1:{port}"
    server = serve(db, log, port, base_url)
    page = None
    try:
        event = make_event(url, attendees=50, topics=5)
        page = join_on_phone(browser, url, event.code, "Ana")
        expect(page.locator("#live-status")).to_be_hidden()
        wall_gets: list[float] = []
        page.on(
            "request",
            lambda r: (
                wall_gets.append(time.monotonic())
                if r.method == "GET" and r.url.split("?")[0].endswith(f"/e/{event.code}")
                else None
            ),
        )

        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # reading down the wall
        stop(server)  # the phone's connection drops (a restart says 1012: try again)
        gone = time.monotonic()
        expect(page.locator("#live-status")).to_have_text("Reconnecting…")
        expect(page.locator("#live-status")).to_be_in_viewport()  # said where the phone is looking, scrolled down
        screenshot(page, ARTIFACTS / "phone-reconnecting.png")
        page.emulate_media(media="print")  # a wall printed meanwhile carries no connection notice
        expect(page.locator("#live-status")).to_be_hidden()
        page.emulate_media(media="screen")
        other = serve(db, tmp_path / "other.log", other_port, f"http://{PUBLIC_NAME}:{other_port}")
        try:
            pairs = [(t, topic) for t in event.attendee_tokens for topic in event.topic_ids][:250]
            for token, topic in pairs:
                mark(f"http://127.0.0.1:{other_port}", event.code, token, topic)
        finally:
            stop(other)
        time.sleep(max(0.0, gone + 10 - time.monotonic()))  # away ten seconds: its retries have backed off
        server = serve(db, log, port, base_url)
        back = time.monotonic()

        expected = dict(COUNT.findall(page.context.request.get(f"{url}/e/{event.code}").text()))
        assert len(expected) == 5 and all(int(n) > 0 for n in expected.values())
        for topic, count in expected.items():
            expect(page.locator(f"#count-{topic} strong")).to_have_text(count, timeout=8_000)
        caught_up = time.monotonic() - back
        expect(page.locator("#live-status")).to_be_hidden()
        assert caught_up < 6, f"the phone showed the current wall {caught_up:.1f} s after its server was back"
        assert not wall_gets, "the phone GOT its whole wall again instead of being caught up by state"
        assert dict(COUNT.findall(page.locator("#wall").evaluate("el => el.outerHTML"))) == expected
    finally:
        if page is not None:
            page.context.close()
        stop(server)


def test_a_phone_leaving_its_wall_on_slow_wifi_is_not_pulled_back_by_the_walls_reload(
    browser: Browser, tmp_path: Path
) -> None:
    """The organizer opens marking while a teacher taps "My day" on slow wifi.

    The wall reloads itself 0.2-2.2 s after a phase change. The page being left must not: its
    reload would cancel the teacher's navigation (the slow answer below outlasts that delay) and
    put them back on the wall.
    """
    db, log = tmp_path / "leave.db", tmp_path / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = serve(db, log, port, f"http://{PUBLIC_NAME}:{port}")
    page = None
    try:
        event = make_event(url, attendees=2, topics=3)
        page = join_on_phone(browser, url, event.code, "Ana")
        page.evaluate("""() => { window.pushes = 0;
            document.addEventListener("htmx:wsAfterMessage", () => { window.pushes += 1; }); }""")
        page.route("**/my", lambda route: (time.sleep(3), route.continue_()))  # the wifi is slow today
        httpx.post(
            f"{url}/api/v1/events/{event.code}/phase",
            json={"phase": "voting"},
            headers={"Authorization": f"Bearer {event.organizer_token}"},
            timeout=10,
        ).raise_for_status()
        page.wait_for_function("() => window.pushes > 0")  # the wall was told to reload
        page.get_by_role("link", name="My day").tap()
        expect(page.get_by_role("heading", name="My day")).to_be_visible(timeout=10_000)
        page.wait_for_timeout(2500)  # past any reload the wall had planned
        assert page.url == f"{url}/e/{event.code}/my"
        expect(page.get_by_role("heading", name="My day")).to_be_visible()
    finally:
        if page is not None:
            page.context.close()
        stop(server)
