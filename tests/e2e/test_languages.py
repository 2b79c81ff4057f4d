"""Sessions by language (issue 19), in a browser: a Spanish phone proposes a topic, which the form
holds in Spanish by itself, and filters the wall to the Spanish sessions; after the build, the
projector board and the printed board show only the Spanish sessions with ``?language=es``.

Screenshots go to ``test-artifacts/languages/`` (and ``TWOFEET_SHOTS``, when set) for a person to
look at: the wall filtered, the board filtered at 1920x1080, the printed board filtered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import make_event
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SPANISH_PHONE = {**PHONE, "viewport": {"width": 375, "height": 740}, "locale": "es-MX"}
ENGLISH = ["Reading circles in grade 3", "Math talks with number strings"]
SPANISH = "Lectura en voz alta en primaria"


def _shots(name: str) -> list[Path]:
    paths = [ARTIFACTS / "languages" / name]
    if os.environ.get("TWOFEET_SHOTS"):
        paths.append(Path(os.environ["TWOFEET_SHOTS"]) / name)
    return paths


def test_a_spanish_phone_proposes_and_filters_and_the_boards_follow(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url, name="Edcamp Bilingüe")
    luis, marta = event.attendee("Luis"), event.attendee("Marta")
    for title in ENGLISH:
        event.propose(luis, title, facilitate=True)
        event.mark(marta, title)

    page = browser.new_context(**SPANISH_PHONE).new_page()  # type: ignore[arg-type]
    page.goto(f"{live_app.url}/e/{event.code}")
    page.get_by_label("Tu nombre").press_sequentially("Profe Ana", delay=30)
    page.get_by_role("button", name="Entrar al muro").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Temas"))).to_be_visible()

    # The propose form holds the topic in Spanish, the language of her page, unless she says.
    propose = page.locator("#propose")
    expect(propose.get_by_role("radio", name="Español")).to_be_checked()
    expect(propose.get_by_role("radio", name="English")).not_to_be_checked()
    page.get_by_label("Título").fill(SPANISH)
    propose.get_by_role("switch", name="Lo facilito yo").tap()
    propose.get_by_role("button", name="Proponer un tema").tap()
    mine = page.locator("article.topic-card", has=page.get_by_role("link", name=SPANISH))
    expect(mine).to_be_visible()
    # Its card says it is held in Spanish, in a word a screen reader says; English titles on her
    # Spanish page are marked as English.
    expect(mine.get_by_role("img", name="Sesión en español")).to_have_text("ES")
    for title in ENGLISH:
        expect(page.get_by_role("link", name=title)).to_have_attribute("lang", "en")
    problems = serious(axe(page))
    assert not problems, describe(problems)

    # The wall, filtered to the sessions held in Spanish.
    page.locator("#wall select[name=language]").select_option("es")
    expect(page).to_have_url(re.compile(r"language=es"))
    expect(page.get_by_role("link", name=ENGLISH[0])).to_have_count(0)
    expect(page.get_by_role("link", name=SPANISH)).to_be_visible()
    screenshot(page, *_shots("wall_spanish.png"), full_page=True)
    # Two more people want it, so it runs.
    event.topic_ids[SPANISH] = int((mine.get_attribute("id") or "topic-0").removeprefix("topic-"))
    event.mark(luis, SPANISH)
    event.mark(marta, SPANISH)

    event.phase("voting")
    event.build()
    event.publish()

    # The projector board: every session without the filter, only the Spanish one with it.
    board = browser.new_page(viewport={"width": 1920, "height": 1080})
    board.goto(f"{live_app.url}/e/{event.code}/board")
    for title in [*ENGLISH, SPANISH]:
        expect(board.locator(".cell-title", has_text=title)).to_be_visible()
    board.goto(f"{live_app.url}/e/{event.code}/board?language=es")
    expect(board.locator(".cell-title", has_text=SPANISH)).to_be_visible()
    for title in ENGLISH:
        expect(board.locator(".cell-title", has_text=title)).to_be_hidden()
    expect(board.locator(".cell-title", has_text=SPANISH)).to_have_attribute("lang", "es")
    expect(board.get_by_text("Only the sessions held in Spanish")).to_be_visible()
    screenshot(board, *_shots("board_spanish.png"))

    # The printed board, on paper for the Spanish speakers.
    printed = browser.new_page(viewport={"width": 1123, "height": 794})
    printed.goto(f"{live_app.url}/e/{event.code}/print/board?language=es")
    expect(printed.get_by_text(SPANISH)).to_be_visible()
    expect(printed.get_by_role("img", name="Session in Spanish").first).to_have_text("ES")
    for title in ENGLISH:
        expect(printed.get_by_text(title)).to_have_count(0)
    expect(printed.get_by_text("No session in Spanish in this slot.")).to_have_count(1)  # the other slot
    screenshot(printed, *_shots("print_spanish.png"), full_page=True)
    printed.goto(f"{live_app.url}/e/{event.code}/print/board")
    for title in [*ENGLISH, SPANISH]:
        expect(printed.get_by_text(title)).to_be_visible()
