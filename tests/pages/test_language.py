"""Which language a page is in: the person's choice, their browser's, the event's; and the switch."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n
from tests.factories import make_event


def test_a_browser_asking_for_spanish_gets_spanish(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.8"})
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "Ir al contenido" in page.text
    assert page.headers["content-language"] == "es"
    assert "Accept-Language" in page.headers["vary"] and "Cookie" in page.headers["vary"]
    # The switch offers the other language, named in its own words and marked as such.
    assert 'lang="en" hreflang="en">English</a>' in page.text


def test_english_is_the_default_and_unknown_languages_fall_back(client: TestClient) -> None:
    for header in ("", "fr-FR,fr;q=0.9", "de"):
        page = client.get("/", headers={"Accept-Language": header})
        assert '<html lang="en">' in page.text and "Skip to content" in page.text
        assert 'lang="es" hreflang="es">Español</a>' in page.text


def test_one_tap_switches_and_is_remembered(client: TestClient) -> None:
    switched = client.get("/lang", params={"to": "es", "next": "/?x=1"}, follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/?x=1"
    assert "twofeet_lang=es" in switched.headers["set-cookie"]
    # The choice beats the browser's language from then on, on every page.
    page = client.get("/", headers={"Accept-Language": "en-US"})
    assert '<html lang="es">' in page.text
    client.get("/lang", params={"to": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "es"}).text


def test_the_switch_never_sends_anyone_to_another_site(client: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        answer = client.get("/lang", params={"to": "es", "next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/"
    # An unknown language changes nothing.
    answer = client.get("/lang", params={"to": "xx", "next": "/"}, follow_redirects=False)
    assert "set-cookie" not in answer.headers


def test_the_event_language_holds_when_the_browser_says_nothing(client: TestClient, session: Session) -> None:
    event = make_event(session).event
    event.language = "es"
    session.add(event)
    session.commit()
    page = client.get(f"/e/{event.code}", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in page.text
    # A browser that asks for English still gets English.
    assert '<html lang="en">' in client.get(f"/e/{event.code}", headers={"Accept-Language": "en"}).text


def test_accept_language_is_read_by_quality() -> None:
    assert i18n.negotiate(None, "en;q=0.5, es;q=0.9").locale == "es"
    assert i18n.negotiate("en", "es").locale == "en"
    assert not i18n.negotiate(None, "fr").chosen
    assert i18n.negotiate(None, "*;q=0.1, ES").locale == "es"


def test_a_rooms_features_read_as_words_in_each_language() -> None:
    from app.templating import features_line

    assert features_line(["projector", "step_free"]) == "projector, step-free"
    with i18n.using("es"):
        assert features_line(["projector", "step_free"]) == "projector, sin escalones"
