"""A phone used at a person's pace: typing with pauses, tapping, the wifi dropping, the keyboard.

Each test makes its own event (tests/e2e/events.py), so what it proposes and marks stays its own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.events import join_on_phone, make_event

pytestmark = pytest.mark.slow
PAUSE_MS = 700  # longer than the similar-topics lookup's 400 ms debounce: a person stopping to think


def _type(page: Page, label: str, text: str) -> None:
    page.get_by_label(label).press_sequentially(text, delay=40)


def test_proposing_survives_a_pause_while_typing(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url)
    someone = event.attendee("Kim")
    event.propose(someone, "Math talks in the early grades")  # the lookup finds this one while typing
    phone = join_on_phone(browser, live_app.url, event.code, "Dana")
    _type(phone, "Title", "Math talks in early grades")
    phone.wait_for_timeout(PAUSE_MS)
    expect(phone.locator("#similar")).to_contain_text("Math talks in the early grades")  # the lookup ran
    _type(phone, "What is it about? (optional)", "Number talks, routines, what worked")
    phone.wait_for_timeout(PAUSE_MS)
    expect(phone.get_by_label("Title")).to_have_value("Math talks in early grades")
    phone.get_by_role("button", name="Propose a topic", exact=True).tap()
    expect(phone.locator(".topic-card", has_text="Math talks in early grades")).to_be_visible()
    expect(phone.get_by_text("Your topic is on the wall.")).to_be_visible()
    # Only the form's own successful answer empties it, ready for the next topic.
    expect(phone.get_by_label("Title")).to_have_value("")
    expect(phone.get_by_label("What is it about? (optional)")).to_have_value("")
    phone.context.close()


def test_proposing_offline_says_so_and_keeps_what_was_typed(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url)
    phone = join_on_phone(browser, live_app.url, event.code, "Lee")
    _type(phone, "Title", "Field trips on no budget")
    phone.wait_for_timeout(PAUSE_MS)
    _type(phone, "What is it about? (optional)", "Free places near school")
    phone.context.set_offline(True)  # the school wifi drops
    phone.get_by_role("button", name="Propose a topic", exact=True).tap()
    status = phone.locator("#propose .propose-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Offline: your topic is not saved yet")
    expect(phone.get_by_label("Title")).to_have_value("Field trips on no budget")
    expect(phone.get_by_label("What is it about? (optional)")).to_have_value("Free places near school")
    expect(phone.locator(".topic-card", has_text="Field trips on no budget")).to_have_count(0)
    phone.context.set_offline(False)  # back: the same tap again sends what was kept
    phone.get_by_role("button", name="Propose a topic", exact=True).tap()
    expect(phone.locator(".topic-card", has_text="Field trips on no budget")).to_be_visible()
    expect(status).to_be_hidden()
    expect(phone.get_by_label("Title")).to_have_value("")
    phone.context.close()
