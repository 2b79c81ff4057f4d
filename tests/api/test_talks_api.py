"""Plenaries through the JSON API and the console's pages: the running order, refusals, "next talk"."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import events
from app.models import Event
from tests.api.test_api import bearer, create
from tests.factories import make_plenary
from tests.pages.test_pages import create_event, csrf


def _plenary_day(client: TestClient, app: FastAPI) -> tuple[dict[str, Any], int, int]:
    """An event made over the API whose first slot is a plenary: (created, plenary id, sessions slot id)."""
    created = create(client)
    with Session(app.state.engine, expire_on_commit=False) as session:
        event = events.require_event(session, created["code"])
        plenary = make_plenary(session, event, slot=0, title="Opening EdTalks")
        other = [s.id for s in events.list_slots(session, event) if s.id != plenary.id][0]
    return created, plenary.id, other  # type: ignore[return-value]


def _talk(speaker: str, **extra: Any) -> dict[str, Any]:
    return {"speaker": speaker, "title": f"{speaker} on <b>play</b>", "minutes": 10, **extra}


def test_the_running_order_through_the_api(client: TestClient, app: FastAPI) -> None:
    created, plenary, _ = _plenary_day(client, app)
    code, org = created["code"], bearer(created["organizer_token"])
    base = f"/api/v1/events/{code}"
    ids = []
    for name in ("Ana", "Ben", "Cy"):
        made = client.post(f"{base}/plenaries/{plenary}/talks", json=_talk(name, bio="Grade 4"), headers=org)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    assert made.json() | {"id": 0} == {
        "id": 0, "slot_id": plenary, "position": 2, "speaker": "Cy", "title": "Cy on <b>play</b>", "minutes": 10,
        "bio": "Grade 4", "started_at": None, "ended_at": None,
    }  # fmt: skip
    moved = client.post(f"{base}/talks/{ids[2]}/move", json={"direction": "up"}, headers=org)
    assert [t["speaker"] for t in moved.json()["talks"]] == ["Ana", "Cy", "Ben"]
    edited = client.put(f"{base}/talks/{ids[0]}", json=_talk("Ana Ruiz", minutes=12), headers=org)
    assert (edited.json()["speaker"], edited.json()["minutes"]) == ("Ana Ruiz", 12)
    assert client.delete(f"{base}/talks/{ids[1]}", headers=org).status_code == 204
    listed = client.get(f"{base}/plenaries").json()  # anyone may read it
    assert [(p["title"], [t["speaker"] for t in p["talks"]]) for p in listed] == [
        ("Opening EdTalks", ["Ana Ruiz", "Cy"])
    ]


def test_refusals_name_the_field_and_change_nothing(client: TestClient, app: FastAPI) -> None:
    created, plenary, sessions = _plenary_day(client, app)
    code, org = created["code"], bearer(created["organizer_token"])
    base = f"/api/v1/events/{code}"
    cases = [
        (f"{base}/plenaries/{plenary}/talks", _talk("Ana", minutes=0), 422, "minutes"),
        (f"{base}/plenaries/{plenary}/talks", _talk("Ana", minutes=241), 422, "minutes"),
        (f"{base}/plenaries/{plenary}/talks", _talk("Ana", bio="b" * 281), 422, "bio"),
        (f"{base}/plenaries/{plenary}/talks", _talk("x" * 81), 422, "speaker"),
        (f"{base}/plenaries/{plenary}/talks", _talk("   "), 422, "speaker"),
        (f"{base}/plenaries/{plenary}/talks", {"speaker": "Ana", "title": ""}, 422, "title"),
        (f"{base}/plenaries/{sessions}/talks", _talk("Ana"), 422, "slot_id"),
        (f"{base}/plenaries/999999/talks", _talk("Ana"), 404, "slot_id"),
    ]
    for url, body, status, field in cases:
        refused = client.post(url, json=body, headers=org)
        assert refused.status_code == status, (body, refused.text)
        problem = refused.json()
        assert field in (problem.get("field"), *(e.get("field") for e in problem.get("errors", []))), problem
    assert client.post(f"{base}/plenaries/{plenary}/talks", json=_talk("Ana")).status_code == 401
    assert client.get(f"{base}/plenaries").json()[0]["talks"] == []
    assert client.post(f"{base}/talks/999999/move", json={"direction": "up"}, headers=org).status_code == 404
    refused = client.post(f"{base}/plenaries/{plenary}/next", json={}, headers=org)
    assert refused.status_code == 409 and "no talks yet" in refused.json()["detail"]


def test_next_talk_through_the_api_and_a_stale_press(client: TestClient, app: FastAPI) -> None:
    created, plenary, _ = _plenary_day(client, app)
    code, org = created["code"], bearer(created["organizer_token"])
    base = f"/api/v1/events/{code}"
    for name in ("Ana", "Ben"):
        client.post(f"{base}/plenaries/{plenary}/talks", json=_talk(name), headers=org)
    first = client.post(f"{base}/plenaries/{plenary}/next", json={"expected_talk_id": 0}, headers=org).json()
    assert (first["now"]["speaker"], first["next"]["speaker"]) == ("Ana", "Ben") and first["ends_at"]
    stale = client.post(f"{base}/plenaries/{plenary}/next", json={"expected_talk_id": 0}, headers=org)
    assert stale.status_code == 409 and "Ana is on stage now" in stale.json()["detail"]
    on = client.get(f"{base}/plenaries/{plenary}/stage").json()
    assert on["now"]["speaker"] == "Ana"
    second = client.post(f"{base}/plenaries/{plenary}/next", json={"expected_talk_id": on["now"]["id"]}, headers=org)
    assert second.json()["now"]["speaker"] == "Ben" and second.json()["next"] is None
    grid = client.post(f"{base}/plenaries/{plenary}/stop", headers=org).json()
    assert (grid["now"], grid["next"]) == (None, None)
    assert "board-stage" not in client.get(f"/e/{code}/board").text


def _console_plenary(client: TestClient, app: FastAPI) -> tuple[str, int]:
    code, _ = create_event(client)
    with Session(app.state.engine, expire_on_commit=False) as session:
        event = events.require_event(session, code)
        plenary = make_plenary(session, event, slot=0, title="EdTalks")
    return code, plenary.id  # type: ignore[return-value]


def test_the_console_edits_the_running_order_and_keeps_what_was_typed(client: TestClient, app: FastAPI) -> None:
    code, plenary = _console_plenary(client, app)
    page = client.get(f"/e/{code}/organize").text
    assert 'id="plenaries"' in page and "Add a talk" in page and "No talks yet." in page
    form = {"slot_id": str(plenary), "speaker": "Ana <i>Ruiz</i>", "title": "", "minutes": "0", "bio": "Grade 4"}
    refused = client.post(f"/e/{code}/organize/talks", data={**form, "csrf_token": csrf(client)})
    assert refused.status_code == 422
    section = refused.text[refused.text.index('id="plenaries"') :]
    assert f'id="new-talk-{plenary}-title-error"' in section and f'id="new-talk-{plenary}-minutes-error"' in section
    assert 'value="Ana &lt;i&gt;Ruiz&lt;/i&gt;"' in section and ">Grade 4</textarea>" in section  # kept, escaped
    for speaker in ("Ana <i>Ruiz</i>", "Ben Okafor"):
        done = client.post(
            f"/e/{code}/organize/talks",
            data={**form, "speaker": speaker, "title": "Play", "minutes": "15", "csrf_token": csrf(client)},
        )
        assert done.status_code == 200 and "Added" in done.text
    ids = re.findall(r'id="talk-(\d+)" class="talk-row', done.text)
    assert len(ids) == 2 and "Ana &lt;i&gt;Ruiz&lt;/i&gt;" in done.text
    moved = client.post(
        f"/e/{code}/organize/talks/move",
        data={"talk_id": ids[1], "direction": "up", "csrf_token": csrf(client)},
        headers={"HX-Request": "true"},
    )
    assert re.findall(r'id="talk-(\d+)" class="talk-row', moved.text) == [ids[1], ids[0]]
    assert "Moved Ben Okafor up." in moved.text[moved.text.index('id="plenaries-body"') :]  # said inside the swap
    bad = client.post(
        f"/e/{code}/organize/talks/edit",
        data={"talk_id": ids[0], "speaker": "Ana", "title": "Play", "minutes": "999", "bio": "", "csrf_token": csrf(client)},
    )  # fmt: skip
    assert bad.status_code == 422 and f'id="talk-{ids[0]}-minutes-error"' in bad.text and 'value="999"' in bad.text
    gone = client.post(f"/e/{code}/organize/talks/remove", data={"talk_id": ids[1], "csrf_token": csrf(client)})
    assert re.findall(r'id="talk-(\d+)" class="talk-row', gone.text) == [ids[0]]


def test_the_phone_page_runs_the_plenary(client: TestClient, app: FastAPI) -> None:
    code, plenary = _console_plenary(client, app)
    for speaker in ("Ana", "Ben"):
        client.post(
            f"/e/{code}/organize/talks",
            data={"slot_id": plenary, "speaker": speaker, "title": "Play", "minutes": "15", "csrf_token": csrf(client)},
        )
    page = client.get(f"/e/{code}/organize/plenaries/{plenary}").text
    assert "Start the first talk" in page and 'name="expected" value="0"' in page
    started = client.post(
        f"/e/{code}/organize/plenaries/{plenary}/next", data={"expected": "0", "csrf_token": csrf(client)}
    )
    assert "On stage now" in started.text and "Next talk" in started.text and "15:00" in started.text
    board = client.get(f"/e/{code}/board").text
    assert (
        'class="board-stage"' in board
        and "Ana" in board
        and "data-ends-at=" in board
        and "Next</span> <strong>Ben" in board
    )
    stale = client.post(
        f"/e/{code}/organize/plenaries/{plenary}/next", data={"expected": "0", "csrf_token": csrf(client)}
    )
    assert stale.status_code == 409 and "Ana is on stage now" in stale.text and "Next talk" in stale.text
    expected = re.search(r'name="expected" value="(\d+)"', started.text).group(1)  # type: ignore[union-attr]
    last = client.post(
        f"/e/{code}/organize/plenaries/{plenary}/next", data={"expected": expected, "csrf_token": csrf(client)}
    )
    assert "Back to the grid" in last.text
    client.cookies.clear()
    assert "Sign in" in client.get(f"/e/{code}/organize/plenaries/{plenary}").text
    assert client.post(f"/e/{code}/organize/plenaries/{plenary}/next", data={"expected": "0"}).status_code in (401, 403)


def test_a_sessions_slot_has_no_run_page(client: TestClient, app: FastAPI, session: Session) -> None:
    code, _ = _console_plenary(client, app)
    event = events.require_event(session, code)
    assert isinstance(event, Event)
    sessions = events.list_slots(session, event)[1]
    refused = client.get(f"/e/{code}/organize/plenaries/{sessions.id}")
    assert refused.status_code == 422 and "only plenary slots hold talks" in refused.text
