"""The exit survey on a 375 px touch phone, at a person's pace, in English and in Spanish: every
scale tapped, every box typed key by key, sent, thanked, within two minutes. The organizer adds
two questions of their own from a laptop first, and reads the results after."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import ApiEvent, join_on_phone, make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious, tab_to

pytestmark = pytest.mark.slow
SMALL_PHONE = {**PHONE, "viewport": {"width": 375, "height": 740}}
TWO_MINUTES = 120.0
READ_MS = 1500  # a person reads each question before answering it
TYPE_MS = 90  # a thumb on a phone keyboard

WORDS = {
    "en": {
        "keep": "What should we keep?",
        "change": "What should we change?",
        "will_try": "What will you try in your classroom?",
        "send": "Send my answers",
        "thanks": "Thank you!",
    },
    "es": {
        "keep": "¿Qué deberíamos mantener?",
        "change": "¿Qué deberíamos cambiar?",
        "will_try": "¿Qué vas a probar en tu aula?",
        "send": "Enviar mis respuestas",
        "thanks": "¡Gracias!",
    },
}


def _live_event(live_app: LiveApp) -> ApiEvent:
    event = make_event(live_app.url, name="Edcamp Survey")
    someone, other = event.attendee("Kim"), event.attendee("Sam")
    for title in ("Math talks", "Read-alouds"):
        event.propose(someone if title == "Math talks" else other, title, facilitate=True)
        event.mark(other if title == "Math talks" else someone, title)
    return event


def _publish(event: ApiEvent) -> None:
    event.phase("voting")
    event.build()
    event.publish()


def _organizer_adds_questions(browser: Browser, event: ApiEvent) -> Page:
    page = organizer_page(browser, event, "/closing")
    page.get_by_role("link", name="Questions").click()
    expect(page.get_by_role("heading", name="Exit survey", exact=True)).to_be_visible()
    add = page.locator("details.add-question")
    add.get_by_label("Kind of answer").select_option("choice")
    add.get_by_label("Question", exact=True).press_sequentially("Would you come in the spring?", delay=20)
    add.get_by_label("Choices, one per line").press_sequentially("Yes\nMaybe\nNo", delay=20)
    add.get_by_label("An answer is required").check()
    add.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("status")).to_have_text("Question added.")
    add.get_by_text("Add a question").click()
    add.get_by_label("Kind of answer").select_option("scale")
    add.get_by_label("Question", exact=True).press_sequentially("How was the lunch?", delay=20)
    add.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("status")).to_have_text("Question added.")
    # The lunch first: one tap on its "up" arrow.
    page.get_by_role("button", name="Move “How was the lunch?” up").click()
    expect(page.locator(".question-list").nth(1).locator("li > .question-row strong")).to_have_text(
        ["How was the lunch?", "Would you come in the spring?"]
    )
    screenshot(page, ARTIFACTS / "survey-questions-laptop.png", full_page=True)
    page.goto(f"{event.base}/e/{event.code}/organize/closing")
    page.locator("#closing-survey").scroll_into_view_if_needed()
    screenshot(page, ARTIFACTS / "survey-closing-section-laptop.png")
    return page


def _tap_scale(phone: Page, name: str, value: int) -> None:
    label = phone.locator(f'label:has(input[name="{name}"][value="{value}"])')
    label.scroll_into_view_if_needed()
    phone.wait_for_timeout(READ_MS)
    label.tap()
    expect(phone.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


def _fill_survey(phone: Page, lang: str, *, shots: str) -> float:
    words = WORDS[lang]
    started = time.monotonic()
    phone.goto(re.sub(r"/e/(\w+).*", r"/e/\1/feedback", phone.url))
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    _tap_scale(phone, "rating", 5)
    _tap_scale(phone, "practice", 4)
    _tap_scale(phone, "connected", 5)
    for key, text in (
        ("will_try", "Number talks on Monday"),
        ("keep", "The hallway chats"),
        ("change", "More coffee, fewer slides"),
    ):
        box = phone.get_by_label(words[key])
        phone.wait_for_timeout(READ_MS)
        box.tap()
        box.press_sequentially(text, delay=TYPE_MS)
    lunch, spring = phone.locator("fieldset.survey-scale").nth(3), phone.locator("fieldset.survey-choice")
    phone.wait_for_timeout(READ_MS)
    lunch.locator("label").nth(3).tap()
    phone.wait_for_timeout(READ_MS)
    spring.get_by_text("Maybe", exact=True).tap()
    screenshot(phone, ARTIFACTS / f"survey-phone-{shots}.png", full_page=True)
    phone.locator("form.survey-form button[type=submit]").tap()
    expect(phone.get_by_role("heading", name=words["thanks"])).to_be_visible()
    took = time.monotonic() - started
    screenshot(phone, ARTIFACTS / f"survey-phone-{shots}-thanks.png")
    # Everything sent is shown again, to change.
    expect(phone.get_by_label(words["keep"])).to_have_value("The hallway chats")
    expect(phone.locator('input[name="rating"][value="5"]')).to_be_checked()
    expect(spring.get_by_label("Maybe")).to_be_checked()
    return took


def test_the_survey_on_a_phone_in_english_and_spanish(browser: Browser, live_app: LiveApp) -> None:
    event = _live_event(live_app)
    english = join_on_phone(browser, live_app.url, event.code, "Dana", **SMALL_PHONE)
    spanish = browser.new_context(**{**SMALL_PHONE, "locale": "es-MX"}).new_page()  # type: ignore[arg-type]
    spanish.goto(f"{live_app.url}/e/{event.code}")
    spanish.get_by_label("Tu nombre").press_sequentially("Profe Ana", delay=30)
    spanish.get_by_role("button", name="Entrar al muro").tap()
    expect(spanish.get_by_role("heading", name=re.compile(r"^Temas"))).to_be_visible()
    organizer = _organizer_adds_questions(browser, event)
    _publish(event)

    took_en = _fill_survey(english, "en", shots="en")
    assert took_en < TWO_MINUTES, f"the English survey took {took_en:.0f} s"
    took_es = _fill_survey(spanish, "es", shots="es")
    assert took_es < TWO_MINUTES, f"the Spanish survey took {took_es:.0f} s"
    print(f"survey on a phone: English {took_en:.1f} s, Spanish {took_es:.1f} s")

    organizer.goto(f"{live_app.url}/e/{event.code}/organize/survey/results")
    expect(organizer.get_by_text("2 responses")).to_be_visible()
    expect(organizer.locator("svg.rating-chart")).to_have_count(4)  # the 3 standard scales, the lunch
    expect(organizer.get_by_text("More coffee, fewer slides")).to_have_count(2)
    expect(organizer.get_by_text("Dana")).to_have_count(0)
    expect(organizer.get_by_text("Profe Ana")).to_have_count(0)
    screenshot(organizer, ARTIFACTS / "survey-results-laptop.png", full_page=True)
    problems = serious(axe(organizer))
    assert not problems, describe(problems)
    for page in (english, spanish, organizer):
        page.context.close()


def test_the_phone_survey_passes_axe_and_keeps_a_refused_answer(browser: Browser, live_app: LiveApp) -> None:
    event = _live_event(live_app)
    phone = join_on_phone(browser, live_app.url, event.code, "Lee", **SMALL_PHONE)
    _publish(event)
    phone.goto(f"{live_app.url}/e/{event.code}/feedback")
    problems = serious(axe(phone))
    assert not problems, describe(problems)
    # Typed without the one required answer: the browser would stop it, so skip its check like an old phone.
    phone.get_by_label("What should we keep?").press_sequentially("Everything", delay=40)
    phone.locator("form.survey-form").evaluate("form => form.noValidate = true")
    phone.locator("form.survey-form button[type=submit]").tap()
    expect(phone.get_by_role("alert")).to_have_text("“Overall, how valuable was the day for you?”: choose from 1 to 5.")
    expect(phone.get_by_label("What should we keep?")).to_have_value("Everything")
    expect(phone.locator("#rating")).to_have_attribute("aria-invalid", "true")
    problems = serious(axe(phone))
    assert not problems, describe(problems)
    screenshot(phone, ARTIFACTS / "survey-phone-refused.png")
    # The keyboard alone: Tab into the first scale, arrows to 4, Tab on to the next question.
    phone.locator("body").focus()
    tab_to(phone, 'input[name="rating"]')
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    expect(phone.locator('input[name="rating"][value="4"]')).to_be_checked()
    phone.keyboard.press("Tab")
    expect(phone.locator('input[name="practice"][value="1"]')).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(phone.get_by_label("What should we keep?")).to_have_value("Everything")
    phone.context.close()
