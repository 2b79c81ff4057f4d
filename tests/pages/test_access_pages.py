"""Access needs on the pages: said privately on a phone, seen by organizers only as counts, and never
in another attendee's pages, the API, the exports or the pushes."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import access
from app.models import Attendee, Event, Topic
from tests.pages.test_live_fragments import _as, _running_now
from tests.pages.test_pages import create_event, csrf, join, set_phase

SECRET = "Quinn Secretname"


def _needs_case(app: FastAPI, client: TestClient) -> tuple[str, TestClient, TestClient, int]:
    """An event with a topic that Quinn (who needs a step-free room and ASL) marked; returns the code,
    Quinn's phone and another attendee's phone, and the topic id. ``client`` is the organizer."""
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    quinn, other = TestClient(app), TestClient(app)
    join(quinn, code, SECRET)
    join(other, code, "Other Person")
    proposed = other.post(
        f"/e/{code}/topics", data={"title": "Outdoor learning", "csrf_token": csrf(other)}, follow_redirects=True
    )
    assert proposed.status_code == 200
    topic_id = int(re.findall(r'id="topic-(\d+)"', proposed.text)[0])
    marked = quinn.post(f"/e/{code}/topics/{topic_id}/mark", data={"csrf_token": csrf(quinn)})
    assert marked.status_code == 200
    return code, quinn, other, topic_id


def test_an_attendee_sets_changes_and_removes_their_needs(app: FastAPI, client: TestClient, session: Session) -> None:
    code, quinn, _other, _topic_id = _needs_case(app, client)
    my = quinn.get(f"/e/{code}/my")
    assert f'href="/e/{code}/my/access"' in my.text
    page = quinn.get(f"/e/{code}/my/access")
    assert "Only the organizers see this" in page.text and 'name="step_free"' in page.text

    saved = quinn.post(
        f"/e/{code}/my/access", data={"step_free": "1", "interpretation": "asl", "csrf_token": csrf(quinn)}
    )
    assert "Saved. The organizers will see it in their counts." in saved.text
    assert re.search(r'id="access-step-free"[^>]*checked', saved.text)
    assert re.search(r'id="access-interpretation-asl"[^>]*checked', saved.text)
    row = session.scalars(select(Attendee).where(Attendee.name == SECRET)).one()
    session.refresh(row)
    assert (row.needs_step_free, row.interpretation) == (True, "asl")

    refused = quinn.post(f"/e/{code}/my/access", data={"interpretation": "fr", "csrf_token": csrf(quinn)})
    assert refused.status_code == 422 and "Choose Spanish, ASL or no interpretation." in refused.text

    cleared = quinn.post(f"/e/{code}/my/access", data={"interpretation": "", "csrf_token": csrf(quinn)})
    assert "you have no access needs on record" in cleared.text
    session.refresh(row)
    assert (row.needs_step_free, row.interpretation) == (False, "")


def test_organizers_see_counts_never_who_and_note_an_interpreter(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, quinn, other, topic_id = _needs_case(app, client)
    quinn.post(f"/e/{code}/my/access", data={"step_free": "1", "interpretation": "es", "csrf_token": csrf(quinn)})

    page = client.get(f"/e/{code}/organize/access")
    assert page.status_code == 200
    row = re.search(rf'<tr id="access-{topic_id}">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert "Outdoor learning" in row.group(1) and "1 person" in row.group(1) and "Spanish: 1 person" in row.group(1)
    assert SECRET not in page.text
    assert other.get(f"/e/{code}/organize/access").status_code in (401, 403)
    assert quinn.get(f"/e/{code}/organize/access").status_code in (401, 403)

    noted = client.post(f"/e/{code}/organize/access/{topic_id}", data={"languages": ["es"], "csrf_token": csrf(client)})
    assert "Saved the interpreters for “Outdoor learning”." in noted.text
    session_page = other.get(f"/e/{code}/sessions/{topic_id}")
    assert "A Spanish interpreter will be there" in session_page.text
    spanish = other.get(f"/e/{code}/sessions/{topic_id}", headers={"Accept-Language": "es"})
    assert "Habrá intérprete de español" in spanish.text
    log = client.get(f"/e/{code}/organize?section=log").text
    assert "interpreters Spanish" in log


def test_needs_stay_out_of_other_pages_the_api_exports_and_pushes(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, quinn, other, topic_id = _needs_case(app, client)
    event = session.scalars(select(Event).where(Event.code == code)).one()
    sequence = event.board_sequence
    quinn.post(f"/e/{code}/my/access", data={"step_free": "1", "interpretation": "asl", "csrf_token": csrf(quinn)})
    session.refresh(event)
    assert event.board_sequence == sequence, "saying a need records no change: nothing is pushed"

    for path in ("", "/my", f"/sessions/{topic_id}", "/board"):
        text = other.get(f"/e/{code}{path}").text
        assert "need a step-free room" not in text and "needs a step-free room" not in text, path
        assert "asked for ASL" not in text and SECRET not in text, path
    api = other.get(f"/api/v1/events/{code}/topics").text
    assert "step" not in api and "asl" not in api.lower() and "interpretation" not in api
    exported = client.get(f"/api/v1/events/{code}/export")
    assert exported.status_code == 200
    document = json.dumps(exported.json())
    assert "step_free" not in document and "interpretation" not in document and "asl" not in document.lower()
    for path in ("/organize/topics.csv", "/organize/feedback.csv", "/guide.csv"):
        text = client.get(f"/e/{code}{path}").text
        assert "step" not in text.lower() and "asl" not in text.lower(), path
    topic = session.get(Topic, topic_id)
    assert topic is not None and topic.needs == []


def test_a_room_is_made_step_free_on_the_new_event_form_the_layout_page_and_the_api(client: TestClient) -> None:
    code, _ = create_event(client, room_step_free=["1"], room_features=["projector", "step-free"])
    rooms = {r["name"]: r["features"] for r in client.get(f"/api/v1/events/{code}").json()["rooms"]}
    assert rooms == {"Library": ["projector"], "Room 12": ["step_free"]}
    layout = client.get(f"/e/{code}/organize?section=settings").text
    room_id = re.search(r'id="room-(\d+)-step-free"[^>]*checked', layout)
    assert room_id is not None, "Room 12's box is ticked"
    client.post(
        f"/e/{code}/organize/layout",
        data={
            "action": "edit_room",
            "room_id": room_id.group(1),
            "name": "Room 12",
            "capacity": "25",
            "features": "quiet",
            "csrf_token": csrf(client),
        },
    )
    rooms = {r["name"]: r["features"] for r in client.get(f"/api/v1/events/{code}").json()["rooms"]}
    assert rooms["Room 12"] == ["quiet"], "unticked: no longer step-free"


def test_the_door_and_my_day_say_an_interpreter_will_be_there(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    created, lead, topic, rooms = _running_now(session)
    access.set_interpreters(session, event=created.event, topic_id=topic.id, languages=["asl"], actor=created.organizer)
    code = created.event.code
    door = client.get(f"/e/{code}/rooms/{rooms[0].id}")
    assert '<p class="door-access" data-interpreters="asl">An ASL interpreter will be there</p>' in door.text
    spanish = client.get(f"/e/{code}/rooms/{rooms[0].id}?lang=es")  # a shared screen: its own language
    assert "Habrá intérprete de ASL" in spanish.text
    my = client.get(f"/e/{code}/my", headers=_as(app, client, lead))
    assert "An ASL interpreter will be there" in my.text


def test_the_access_page_speaks_spanish(app: FastAPI, client: TestClient) -> None:
    code, quinn, _other, _topic_id = _needs_case(app, client)
    page = quinn.get(f"/e/{code}/my/access", headers={"Accept-Language": "es"})
    assert "Necesidades de acceso" in page.text and "Necesito una sala sin escalones" in page.text
    assert "Only the organizers" not in page.text


def test_a_bilingual_events_door_says_the_interpreter_in_both_languages(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    created, _lead, topic, rooms = _running_now(session)
    created.event.bilingual = True
    session.add(created.event)
    session.commit()
    access.set_interpreters(session, event=created.event, topic_id=topic.id, languages=["es"], actor=created.organizer)
    door = client.get(f"/e/{created.event.code}/rooms/{rooms[0].id}").text
    note = re.search(r'<p class="door-access"[^>]*>(.*?)</p>', door, re.S)
    assert note is not None
    assert "A Spanish interpreter will be there" in note.group(1) and "Habrá intérprete de español" in note.group(1)
