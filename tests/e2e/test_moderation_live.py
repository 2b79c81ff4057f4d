"""An organizer tidies the wall while the room is marking: phones follow without a roomful of GETs.

A merge, a hidden topic and an undone merge used to make every phone GET its whole wall. Now the
room gets the shared change (a card goes, a count moves, "New topics are on the wall") and only a
phone whose own mark or offer to lead was on the topic concerned GETs its wall, because only its
personal state ("Marked ✓", marks left) changed.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.events import join_on_phone, make_event, organizer_page
from tests.e2e.pages import screenshot

pytestmark = pytest.mark.slow
PAUSE = 700  # a person reads before the next tap
TWIN, KEPT, OTHER = "Genius hour in middle school", "Genius Hour in middle school!", "Restorative circles"


def _wall_gets(page: Page, code: str) -> list[str]:
    gets: list[str] = []
    page.on(
        "request",
        lambda r: gets.append(r.url) if r.method == "GET" and r.url.split("?")[0].endswith(f"/e/{code}") else None,
    )
    return gets


def _tap_mark(page: Page, title: str) -> None:
    card = _card(page, title)
    card.get_by_role("button", name=f"Mark: {title}").tap()
    expect(card.get_by_role("button", name=f"Marked: {title}")).to_be_visible()
    page.wait_for_timeout(PAUSE)


def _card(page: Page, title: str):  # noqa: ANN202 - a Playwright locator
    return page.locator("article.topic-card", has=page.get_by_role("heading", name=title, exact=True))


def test_merging_and_hiding_reach_phones_as_changes_and_only_concerned_phones_refetch(
    browser: Browser, live_app: LiveApp
) -> None:
    event = make_event(live_app.url, name="Moderation live")
    httpx.patch(
        event.api,
        json={"vote_budget": 3, "hide_counts": False, "shuffle_topics": False},
        headers=event.organizer,
        timeout=30,
    ).raise_for_status()
    author = event.attendee("Author")
    for title in (TWIN, KEPT, OTHER):
        event.propose(author, title)
    maya = join_on_phone(browser, live_app.url, event.code, "Maya")  # marks the twin that goes
    li = join_on_phone(browser, live_app.url, event.code, "Li")  # marks only another topic
    org = None
    try:
        _tap_mark(maya, TWIN)
        _tap_mark(li, OTHER)
        expect(maya.locator("#marks-left")).to_have_text("2 of 3 marks left")
        maya_gets, li_gets = _wall_gets(maya, event.code), _wall_gets(li, event.code)

        org = organizer_page(browser, event)
        org.locator(".console-tabs").get_by_role("link", name=re.compile("^Topics")).click()
        pair = org.locator(".duplicates li").filter(has_text=KEPT)
        pair.get_by_label(f"“{KEPT}”").check()
        org.wait_for_timeout(PAUSE)
        pair.get_by_role("button", name="Merge the two").click()
        expect(org.locator(".notice")).to_have_text(f"Merged into “{KEPT}”.")

        # Li's phone: the twin's card goes and the kept topic counts Maya's mark, with no GET.
        expect(_card(li, TWIN)).to_have_count(0)
        expect(_card(li, KEPT).locator(".count strong")).to_have_text("1")
        # Maya's phone: her mark moved to the kept topic, so it GETs its wall and shows it marked.
        expect(_card(maya, TWIN)).to_have_count(0)
        expect(_card(maya, KEPT).get_by_role("button", name=f"Marked: {KEPT}")).to_be_visible(timeout=8_000)
        li.wait_for_timeout(3_000)  # longer than any phone's refetch delay (0.2-2.2 s)
        assert li_gets == [], f"Li's phone GOT its whole wall after a merge that did not touch her marks: {li_gets}"
        assert len(maya_gets) == 1, maya_gets
        screenshot(maya, ARTIFACTS / "phone-after-merge.png")

        # The organizer undoes the merge: the twin is back for everyone as news; Maya's mark goes
        # back to it, so her phone GETs its wall; Li's phone only hears there is a topic to show.
        org.get_by_role("button", name="Undo the merge").first.click()
        expect(org.locator(".notice")).to_contain_text("both on the wall again")
        expect(li.locator("#wall-news")).to_contain_text("New topics are on the wall")
        expect(_card(li, KEPT).locator(".count strong")).to_have_text("0")
        expect(_card(maya, TWIN).get_by_role("button", name=f"Marked: {TWIN}")).to_be_visible(timeout=8_000)
        li.wait_for_timeout(3_000)
        assert li_gets == [], f"Li's phone GOT its wall after an undo that did not touch her marks: {li_gets}"
        screenshot(li, ARTIFACTS / "phone-after-unmerge.png")
        li.locator("#wall-news").get_by_role("link", name="Show them").tap()
        expect(_card(li, TWIN)).to_be_visible()

        # Hiding the topic Li marked: her card goes and her mark is given back to her (marks left).
        expect(li.locator("#marks-left")).to_have_text("2 of 3 marks left")
        li_gets.clear()
        maya_gets.clear()
        row = org.locator("table.moderation tr", has_text=OTHER)
        row.locator("summary", has_text="Hide").click()
        row.get_by_label("Take it off the wall; tell the author why").press_sequentially("Off topic today", delay=40)
        org.wait_for_timeout(PAUSE)
        row.get_by_role("button", name="Hide it").click()
        expect(_card(maya, OTHER)).to_have_count(0)
        expect(_card(li, OTHER)).to_have_count(0)
        expect(li.locator("#marks-left")).to_have_text("3 of 3 marks left", timeout=8_000)
        expect(maya.locator("#wall-count")).to_have_text("(2)")  # the heading counts what is shown
        maya.wait_for_timeout(3_000)
        assert maya_gets == [], f"Maya's phone GOT its wall after hiding a topic she had not marked: {maya_gets}"
        assert len(li_gets) == 1, li_gets

        # Putting it back: Li's mark on it counts again, though her phone no longer showed the
        # card, so her phone GETs its wall; Maya's only hears there is a topic to show.
        li_gets.clear()
        org.locator(".off-wall li", has_text=OTHER).get_by_role("button", name="Put back").click()
        expect(li.locator("#marks-left")).to_have_text("2 of 3 marks left", timeout=8_000)
        expect(_card(li, OTHER).get_by_role("button", name=f"Marked: {OTHER}")).to_be_visible()
        expect(li.locator("#wall-count")).to_have_text("(3)")
        expect(maya.locator("#wall-news")).to_contain_text("New topics are on the wall")
        maya.wait_for_timeout(3_000)
        assert maya_gets == [], f"Maya's phone GOT its wall when a topic she had not marked came back: {maya_gets}"
        assert len(li_gets) == 1, li_gets
    finally:
        for page in (maya, li, org):
            if page is not None:
                page.context.close()
