"""A teacher's day in Spanish, on a 375 px phone whose browser asks for Spanish (es-MX, touch).

She joins, proposes a topic (typed key by key, so the similar-topics lookup answers in Spanish too),
marks two topics; the organizer publishes the schedule through the API; then "my day", a session's
page and its notes. No page may show the interface's English (the catalog's messages: user-written
titles are Spanish here), and each says ``lang="es"``. One tap on "English" gives the same page in
English, and the next page remembers it. Screenshots of the wall, my day and a session page go to
``test-artifacts/spanish/`` (and ``TWOFEET_SHOTS``, when set) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, LiveApp
from tests.e2e.events import make_event
from tests.e2e.pages import english_chrome, screenshot

pytestmark = pytest.mark.slow

SPANISH_PHONE = {**PHONE, "viewport": {"width": 375, "height": 740}, "locale": "es-MX"}
ROOMS = [
    {"name": "Biblioteca", "capacity": 40},
    {"name": "Aula 12", "capacity": 25},
    {"name": "Sala de arte", "capacity": 20},
]
ON_THE_WALL = ["Evaluación formativa con rúbricas", "Aprendizaje basado en proyectos", "Lectura en voz alta"]
MINE = "Evaluación formativa en primaria"
DEBOUNCE_MS = 400  # the title field's similar-topics lookup (hx-trigger delay) in attendee/wall.html


def _shots(name: str) -> list[Path]:
    paths = [ARTIFACTS / "spanish" / name]
    if os.environ.get("TWOFEET_SHOTS"):
        paths.append(Path(os.environ["TWOFEET_SHOTS"]) / name)
    return paths


def _untranslated_labels() -> tuple[str, ...]:
    """Phase labels a Spanish page still shows in English (another part of issue 19 words them):
    left out until they read in Spanish, then this is empty and they are checked like every word."""
    from app import i18n
    from app.models import Phase

    with i18n.using("es"):
        spanish = [str(p.label) for p in Phase]
    with i18n.using("en"):
        english = [str(p.label) for p in Phase]
    return tuple(en for en, es in zip(english, spanish, strict=True) if en == es)


def _in_spanish(page: Page, where: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    left = english_chrome(page, besides=_untranslated_labels())
    assert not left, f"{where} ({page.url}) still shows English: {left}"


def test_a_teachers_day_in_spanish(browser: Browser, live_app: LiveApp) -> None:
    event = make_event(live_app.url, name="Edcamp Primavera", rooms=ROOMS)
    luis, marta = event.attendee("Luis"), event.attendee("Marta")
    for title in ON_THE_WALL:
        event.propose(luis, title, facilitate=True)
        event.mark(marta, title)

    page = browser.new_context(**SPANISH_PHONE).new_page()  # type: ignore[arg-type]
    page.goto(f"{live_app.url}/e/{event.code}")
    _in_spanish(page, "the join page")
    page.get_by_label("Tu nombre").press_sequentially("Profe Ana", delay=30)
    page.get_by_role("button", name="Entrar al muro").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Temas"))).to_be_visible()
    _in_spanish(page, "the wall")

    # She proposes a topic; while she types, the wall offers the one like it, in Spanish.
    page.get_by_label("Título").press_sequentially(MINE, delay=40)
    page.wait_for_timeout(DEBOUNCE_MS * 2)  # past the lookup's debounce, as a person pausing
    similar = page.locator("#similar")
    expect(similar).to_contain_text("¿Ya está en el muro?")
    expect(similar.get_by_role("button", name="Marcar este en su lugar")).to_be_visible()
    _in_spanish(page, "the wall with similar topics")
    screenshot(page, *_shots("wall_propose.png"), full_page=True)
    page.locator("#propose").get_by_role("button", name="Proponer un tema").tap()
    expect(page.get_by_text("Tu tema está en el muro.")).to_be_visible()
    expect(page.get_by_role("link", name=MINE)).to_be_visible()
    page.locator("article.topic-card", has=page.get_by_role("link", name=MINE)).get_by_role("link", name="Editar").tap()
    expect(page.get_by_role("heading", name="Editar tu tema")).to_be_visible()
    _in_spanish(page, "the edit form")
    page.get_by_role("navigation", name="Evento").get_by_role("link", name="Temas").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^Temas"))).to_be_visible()
    expect(page.get_by_role("link", name=MINE)).to_be_visible()

    # She marks two topics.
    for title in ON_THE_WALL[:2]:
        card = page.locator("article.topic-card", has=page.get_by_role("link", name=title))
        card.get_by_role("button", name=f"Marcar: {title}").tap()
        expect(card.get_by_role("button", name=f"Marcado: {title}")).to_have_text("Marcado ✓")
    expect(page.locator("#marks-left")).to_have_text("Marca todos los que quieras")
    _in_spanish(page, "the wall after marking")
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, *_shots("wall.png"))

    # The organizer closes proposing, builds and publishes (the API, as from the console).
    event.phase("voting")
    event.build()
    event.publish()

    page.get_by_role("navigation", name="Evento").get_by_role("link", name="Mi día").tap()
    expect(page.get_by_role("heading", name="Mi día", exact=True)).to_be_visible()
    sessions = page.locator(".my-day .my-session a")
    expect(sessions.first).to_be_visible()
    titles = sessions.all_inner_texts()
    assert set(ON_THE_WALL[:2]) <= set(titles), titles
    _in_spanish(page, "my day")
    screenshot(page, *_shots("my_day.png"), full_page=True)

    page.locator(".my-day .my-session").get_by_role("link", name=ON_THE_WALL[0]).tap()
    expect(page.get_by_role("heading", name=ON_THE_WALL[0])).to_be_visible()
    expect(page.get_by_role("region", name="Dónde y cuándo")).to_be_visible()
    _in_spanish(page, "a session's page")
    screenshot(page, *_shots("session.png"), full_page=True)

    page.get_by_role("link", name="Notas y recursos").tap()
    expect(page.get_by_role("heading", name="Notas compartidas")).to_be_visible()
    _in_spanish(page, "the notes, empty")
    page.get_by_text("Empezar las notas").tap()
    page.locator("#note-text").fill("- Rúbricas con los alumnos\n- Autoevaluación al cierre")
    page.get_by_role("button", name="Guardar las notas").tap()
    expect(page.get_by_text("Versión 1, guardada por Profe Ana")).to_be_visible()
    _in_spanish(page, "the notes")
    screenshot(page, *_shots("notes.png"), full_page=True)
    notes_path = re.sub(r"#.*$", "", page.url)
    page.get_by_role("link", name="Historial").tap()
    expect(page.get_by_role("heading", name="Historial de las notas")).to_be_visible()
    _in_spanish(page, "the notes' history")

    # Feedback on the session, then the day's other pages: the calendar, the guide, the home page.
    page.goto(notes_path)
    page.get_by_role("button", name="¿Qué tal esta sesión?").tap()
    expect(page.get_by_role("heading", name=f"¿Qué tal «{ON_THE_WALL[0]}»?")).to_be_visible()
    _in_spanish(page, "the feedback form")
    page.get_by_role("radio", name="4").check()
    page.get_by_label("¿Qué vas a probar en tu aula?").press_sequentially("Rúbricas con mis alumnos", delay=20)
    page.get_by_role("button", name="Enviar mi respuesta").tap()
    expect(page.get_by_role("status")).to_contain_text("Gracias: tu respuesta está guardada.")
    _in_spanish(page, "the feedback form, answered")
    screenshot(page, *_shots("feedback.png"), full_page=True)
    for path, heading in [("/calendar", "Añadir a tu calendario"), ("/guide", "Guía de recursos")]:
        page.goto(f"{live_app.url}/e/{event.code}{path}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        _in_spanish(page, heading)
    screenshot(page, *_shots("guide.png"), full_page=True)
    page.goto(f"{live_app.url}/")
    expect(page.get_by_role("heading", name="Entrar a un evento")).to_be_visible()
    _in_spanish(page, "the home page")

    # One tap on "English": the same page in English, and the next page remembers it.
    page.goto(notes_path)
    page.get_by_role("link", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(notes_path)
    expect(page.get_by_role("heading", name="Shared notes")).to_be_visible()
    expect(page.get_by_text("Version 1, saved by Profe Ana")).to_be_visible()
    assert {"Shared notes", "Share the link"} <= set(english_chrome(page))  # the helper sees English
    page.get_by_role("navigation", name="Event").get_by_role("link", name="My day").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My day", exact=True)).to_be_visible()
    # And back: "Español" is offered on the English page.
    page.get_by_role("link", name="Español").tap()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Mi día", exact=True)).to_be_visible()
    page.context.close()
