"""Phone weight: each attendee page, cold, transfers under 100 KB compressed with nothing from elsewhere."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import PHONE, LiveApp

pytestmark = pytest.mark.slow
BUDGET = 100 * 1024


class Recorder:
    """Every request a page makes, with the bytes its response body took on the wire."""

    def __init__(self, page: Page) -> None:
        self.requests: list[Request] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        self.requests.append(request)

    def clear(self) -> None:
        self.requests.clear()

    def report(self) -> list[dict[str, Any]]:
        rows = []
        for request in self.requests:
            response = request.response()
            sizes = request.sizes()
            rows.append(
                {
                    "url": request.url,
                    "body": sizes["responseBodySize"],
                    "headers": sizes["responseHeadersSize"],
                    "encoding": response.headers.get("content-encoding", "") if response else "",
                }
            )
        return rows


def _load_cold(page: Page, recorder: Recorder, url: str) -> list[dict[str, Any]]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    recorder.clear()
    page.goto(url, wait_until="networkidle")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.detach()
    return recorder.report()


def test_attendee_pages_are_light_and_local(browser: Browser, live_app: LiveApp) -> None:
    base = live_app.url
    code = live_app.morning.code  # the demo's full wall: a realistic worst case
    context = browser.new_context(**PHONE)
    page = context.new_page()
    recorder = Recorder(page)
    pages = {"join": f"{base}/e/{code}", "topic wall": f"{base}/e/{code}", "my day": f"{base}/e/{code}/my"}
    totals = {}
    for name, url in pages.items():
        if name == "topic wall":
            page.get_by_role("button", name="Join the wall").click()
            expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
            page.locator(".mark-button").first.click()
            expect(page.locator(".mark-button.is-pending")).to_have_count(0)
        rows = _load_cold(page, recorder, url)
        foreign = [r["url"] for r in rows if not r["url"].startswith(base + "/")]
        assert not foreign, f"{name}: requests to elsewhere: {foreign}"
        total = sum(r["body"] + r["headers"] for r in rows)
        totals[name] = total
        detail = "\n".join(f"  {r['body']:>7} {r['encoding'] or '-':>5} {r['url']}" for r in rows)
        assert total < BUDGET, f"{name}: {total} bytes transferred (budget {BUDGET}):\n{detail}"
        # Every text resource worth compressing goes out compressed.
        big = [r for r in rows if r["body"] > 1500 and not r["url"].endswith((".png", ".svg"))]
        assert all(r["encoding"] in ("gzip", "br", "zstd") for r in big), detail
        scripts_and_styles = [r for r in rows if urlsplit(r["url"]).path.endswith((".js", ".css"))]
        assert len(scripts_and_styles) >= 3, f"{name}: scripts and styles were not counted:\n{detail}"
    print("transferred per attendee page (bytes, cold cache):", totals)
    context.close()


def test_static_files_are_fetched_once_for_the_day(browser: Browser, live_app: LiveApp) -> None:
    """Scripts and styles are addressed by content and cached: the next page fetches none of them."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(f"{live_app.url}/e/{live_app.morning.code}", wait_until="networkidle")
    first = [r for r in recorder.report() if "/static/" in r["url"]]
    assert first and all("?v=" in r["url"] for r in first), first
    page.get_by_role("button", name="Join the wall").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Topics"))).to_be_visible()
    recorder.clear()
    for path in ("", "/my", "/board"):
        page.goto(f"{live_app.url}/e/{live_app.morning.code}{path}", wait_until="networkidle")
    fetched = [r["url"] for r in recorder.report() if "/static/" in r["url"] and r["body"] > 0]
    # Only files this browser had not met yet (the board's and "my day"'s own) may come over the wire.
    assert not set(fetched) & {r["url"] for r in first}, f"fetched again: {fetched}"
    context.close()
