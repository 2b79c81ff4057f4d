"""A phone used at a person's pace: typing with pauses, tapping, the wifi dropping, the keyboard.

Each test makes its own event (tests/e2e/events.py), so what it proposes and marks stays its own.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.events import join_on_phone, make_event, organizer_page
from tests.e2e.pages import tab_to

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


def _focused(page: Page) -> str:
    """What has the keyboard focus, as '#id' or 'tag.class' (the body when focus was lost)."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      return el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className ? '.' + el.className.split(' ').join('.') : '');
    }""")


def _focus_is(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector))


def _settled(page: Page) -> None:
    """Wait until htmx has finished swapping and settling: a new card's form is live only then
    (about 20 ms after the swap, quicker than any person presses the next key)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


def test_marking_and_leading_by_keyboard_keep_the_focus_on_the_card(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url)
    someone = event.attendee("Kim")
    topic_id = event.propose(someone, "Restorative circles students run")
    phone = join_on_phone(browser, live_app.url, event.code, "Keys")
    card = f"#topic-{topic_id}"
    mark = f"{card} .mark-button"
    tab_to(phone, mark, limit=60)
    phone.keyboard.press("Space")
    expect(phone.locator(mark)).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(mark)).to_have_text("Marked ✓")
    _settled(phone)
    assert _focus_is(phone, mark), f"focus went to {_focused(phone)} after marking"
    phone.keyboard.press("Space")  # and back: the same key on the same button
    expect(phone.locator(mark)).to_have_attribute("aria-pressed", "false")
    expect(phone.locator(mark)).to_have_text("Mark")
    _settled(phone)
    assert _focus_is(phone, mark), f"focus went to {_focused(phone)} after unmarking"
    phone.keyboard.press("Tab")
    lead = f"{card} .lead-button"
    assert _focus_is(phone, lead), f"Tab from Mark went to {_focused(phone)}"
    phone.keyboard.press("Enter")
    expect(phone.locator(lead)).to_have_text("Step back from leading")
    _settled(phone)
    assert _focus_is(phone, lead), f"focus went to {_focused(phone)} after offering to lead"

    # Proposing by keyboard: the focus stays on the button, and the new topic is on the wall.
    tab_to(phone, "#title", limit=80)
    assert _focus_is(phone, "#title")
    phone.keyboard.type("Keyboard-only field trips", delay=40)
    phone.wait_for_timeout(PAUSE_MS)
    tab_to(phone, "form[data-propose-form] button[type=submit]", limit=10)
    phone.keyboard.press("Enter")
    expect(phone.locator(".topic-card", has_text="Keyboard-only field trips")).to_be_visible()
    _settled(phone)
    assert _focus_is(phone, "form[data-propose-form] button[type=submit]"), f"focus went to {_focused(phone)}"
    phone.context.close()


def test_unnamed_facilitators_are_counted_on_phones_and_in_the_console(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url)
    rivera = event.attendee("Ms. Rivera")
    topic_id = event.propose(rivera, "Restorative circles students run", facilitate=True)
    for _ in range(2):
        event.claim(event.attendee(), "Restorative circles students run")  # two who never gave a name
    phone = join_on_phone(browser, live_app.url, event.code, "Dana")
    expect(phone.locator(f"#leads-{topic_id}")).to_have_text("Led by Ms. Rivera and 2 others")
    console = organizer_page(browser, event)
    row = console.locator("tr", has_text="Restorative circles students run").first
    expect(row).to_contain_text("Ms. Rivera and 2 others")
    expect(console.get_by_text("unnamed")).to_have_count(0)
    for page in (phone, console):
        page.context.close()


def _caught_up(page: Page, sequence: int) -> None:
    """Wait until the page's live updates have covered ``sequence`` (its #live-meta says so)."""
    page.wait_for_function("n => +document.getElementById('live-meta').dataset.to >= n", arg=sequence)


def test_live_notices_are_for_others_and_pushes_skip_what_a_page_never_showed(
    browser: Browser, live_app: LiveApp
) -> None:
    event = make_event(live_app.url)
    author = join_on_phone(browser, live_app.url, event.code, "Ms. Rivera")
    other = join_on_phone(browser, live_app.url, event.code, "Dana")
    errors: list[str] = []
    for page in (author, other):
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    _type(author, "Title", "Student podcasts for history")
    author.wait_for_timeout(PAUSE_MS)
    with author.expect_response(lambda r: r.url.endswith("/topics") and r.request.method == "POST") as answer:
        author.get_by_role("button", name="Propose a topic", exact=True).tap()
    sequence = int(answer.value.headers["x-board-sequence"])
    expect(author.get_by_text("Your topic is on the wall.")).to_be_visible()
    _caught_up(author, sequence)
    _caught_up(other, sequence)
    expect(other.locator("#wall-news")).to_contain_text("New topics are on the wall")
    expect(author.locator("#wall-news")).to_be_hidden()  # not told about the topic just proposed

    # Marks on that topic reach a phone whose page predates it: nothing to update, and no error.
    topic_id = int((author.locator(".topic-card", has_text="Student podcasts").get_attribute("id") or "").split("-")[1])
    someone = event.attendee("Kim")
    marked = httpx.put(f"{event.api}/topics/{topic_id}/interest", headers=someone, timeout=30)
    marked.raise_for_status()
    _caught_up(other, int(marked.headers["x-board-sequence"]))
    expect(other.locator(f"#count-{topic_id}")).to_have_count(0)
    expect(author.locator(f"#count-{topic_id}")).to_contain_text("1")  # a page that shows it follows
    assert not [e for e in errors if "oobErrorNoTarget" in e], errors
    other.get_by_role("link", name="Show them").tap()
    expect(other.locator(f"#count-{topic_id}")).to_contain_text("1")
    for page in (author, other):
        page.context.close()
