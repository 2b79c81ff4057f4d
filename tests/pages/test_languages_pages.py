"""Issue 19 on the pages: the new-event form's languages, a Spanish phone's topic, the tags and filters."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import rows
from tests.factories import make_attendee, make_event, make_topic, publish_cells
from tests.pages.test_pages import EVENT_FORM, create_event, csrf, join, set_phase

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def test_the_new_event_form_sets_the_main_language_and_bilingual(client: TestClient, session: Session) -> None:
    form = client.get("/", headers=SPANISH).text
    assert 'name="language"' in form and '<option value="es" lang="es" selected>Español</option>' in form
    code, _link = create_event(client, language="es", bilingual="on")
    settings = client.get(f"/e/{code}/organize").text
    assert 'id="language-heading"' in settings
    event = client.get(f"/api/v1/events/{code}").json()["settings"]
    assert (event["language"], event["bilingual"]) == ("es", True)
    refused = client.post("/events", data={**EVENT_FORM, "language": "fr", "csrf_token": csrf(client)})
    assert refused.status_code == 422 and 'id="event-language-error"' in refused.text


def test_a_spanish_phone_proposes_in_spanish_and_filters_the_wall(client: TestClient) -> None:
    code, _link = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code)
    wall = client.get(f"/e/{code}", headers=SPANISH).text
    assert '<input type="radio" name="language" value="es" checked>' in wall
    client.post(
        f"/e/{code}/topics", data={"title": "Charlas de matemáticas", "csrf_token": csrf(client)}, headers=SPANISH
    )
    client.post(f"/e/{code}/topics", data={"title": "Reading circles", "language": "en", "csrf_token": csrf(client)})
    english = client.get(f"/e/{code}").text
    # A Spanish title on an English page is marked as Spanish, and tagged.
    assert 'lang="es">Charlas de matemáticas</a>' in english
    assert 'role="img" aria-label="Session in Spanish">ES</span>' in english
    only_spanish = client.get(f"/e/{code}", params={"language": "es"}).text
    assert "Charlas de matemáticas" in only_spanish and "Reading circles" not in only_spanish
    assert '<option value="es" lang="es" selected>' in only_spanish


def test_the_board_and_printed_board_filter_sessions_by_language(client: TestClient, session: Session) -> None:
    created = make_event(session, rooms=2, slots=1)
    event = created.event
    author = make_attendee(session, event)
    spanish = make_topic(session, event, author, title="Lectura en voz alta", language="es")
    english = make_topic(session, event, author, title="Reading aloud", language="en")
    room_ids = [r.id for r in rows.rooms(session, event)]
    slot_id = rows.slots(session, event)[0].id
    publish_cells(session, created, [(spanish.id, room_ids[0], slot_id), (english.id, room_ids[1], slot_id)])
    board = client.get(f"/e/{event.code}/board", params={"language": "es"}).text
    assert 'data-language="es"' in board and 'data-lang="es"' in board and 'data-lang="en"' in board
    printed = client.get(f"/e/{event.code}/print/board", params={"language": "es"}).text
    assert "Lectura en voz alta" in printed and "Reading aloud" not in printed
    assert "Reading aloud" in client.get(f"/e/{event.code}/print/board").text


def test_an_organizer_changes_a_topics_language_from_the_console(client: TestClient) -> None:
    code, _link = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code)
    client.post(f"/e/{code}/topics", data={"title": "Reading circles", "language": "en", "csrf_token": csrf(client)})
    topic = client.get(f"/api/v1/events/{code}/topics").json()["topics"][0]
    console = client.get(f"/e/{code}/organize").text
    assert f'<select id="edit-language-{topic["id"]}" name="language">' in console
    client.post(
        f"/e/{code}/organize/topics/edit",
        data={"topic_id": topic["id"], "title": "Reading circles", "language": "both", "csrf_token": csrf(client)},
    )
    assert client.get(f"/api/v1/events/{code}/topics").json()["topics"][0]["language"] == "both"
