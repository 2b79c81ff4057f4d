"""Paper (board and door signs), the topics CSV, and notes and resources in the event file."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.domain import eventfile, notes, topics
from app.domain.errors import InvalidInput
from app.models import Event, SessionNote, Topic
from tests.aftersession.helpers import as_attendee, as_organizer, live_event


def test_printable_board_has_one_page_per_slot(client: TestClient, session: Session) -> None:
    live = live_event(session, titles=("Math <talks>", "Labs", "Read-alouds"))
    page = client.get(f"/e/{live.code}/print/board")
    assert page.status_code == 200
    assert page.text.count('class="print-page print-board"') == 2
    first, second = page.text.split('class="print-page print-board"')[1:]
    assert ">09:00–09:50</h2>" in first and "Math &lt;talks&gt;" in first and "Labs" in first
    assert ">10:00–10:50</h2>" in second and "Read-alouds" in second and "Free" in second
    assert "print.css" in page.text


def test_door_signs_have_one_page_per_room_with_qr_codes(client: TestClient, session: Session) -> None:
    live = live_event(session)
    page = client.get(f"/e/{live.code}/print/doors")
    assert page.status_code == 200
    signs = page.text.split('class="print-page door-sign"')[1:]
    assert len(signs) == 2
    room1 = signs[0]
    assert ">Room 1</h2>" in room1 and "Math talks" in room1 and "Read-alouds" in room1
    assert (
        room1.index("09:00–09:50") < room1.index("Math talks") < room1.index("10:00–10:50") < room1.index("Read-alouds")
    )
    assert room1.count("<svg") == 4, "one to check in, one for the door view (now and next), one per session's notes"
    assert "Project-based science" in signs[1] and signs[1].count("<svg") == 3


def test_print_css_puts_each_sheet_on_its_own_page(client: TestClient) -> None:
    css = client.get("/static/print.css").text
    assert "@media print" in css and "break-after: page" in css


def test_topics_csv_has_marks_and_placements_for_organizers_only(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session, titles=("Math talks", "+Labs", "Read-alouds"))
    url = f"/e/{live.code}/organize/topics.csv"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=as_attendee(app, live.people[0])).status_code == 401
    response = client.get(url, headers=as_organizer(app, live.created))
    assert response.status_code == 200
    assert f'filename="{live.code}-topics.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["title"], r["marks"], r["facilitators"], r["room"], r["slot_start"], r["slot_end"]) for r in rows] == [
        ("Math talks", "2", "Ms. Rivera", "Room 1", "09:00", "09:50"),
        ("'+Labs", "1", "", "Room 2", "09:00", "09:50"),
        ("Read-alouds", "0", "", "Room 1", "10:00", "10:50"),
    ]
    # An organizer whose browser reads Spanish gets the header row in Spanish; the rows are the same.
    spanish = client.get(url, headers={**as_organizer(app, live.created), "Accept-Language": "es"})
    header, *lines = list(csv.reader(io.StringIO(spanish.text)))
    assert header[:3] == ["id_tema", "título", "estado"] and "marcas" in header and "sala" in header
    assert lines == list(csv.reader(io.StringIO(response.text)))[1:]
    for download in ("feedback.csv", "guide.csv"):
        path = f"/e/{live.code}/organize/{download}" if download == "feedback.csv" else f"/e/{live.code}/guide.csv"
        first = client.get(path, headers={**as_organizer(app, live.created), "Accept-Language": "es"}).text
        assert first.splitlines()[0].split(",")[0] in ("ámbito", "franja"), first.splitlines()[0]


def test_event_file_carries_notes_and_resources_and_import_restores_them(db: Session) -> None:
    live = live_event(db)
    topic = live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=live.people[0], text="First draft", base_revision=0)
    notes.save_note(
        db, event=live.event, topic=topic, author=live.people[1], text="# Notes\n\n- talk <moves>", base_revision=1
    )
    notes.add_resource(
        db, event=live.event, topic=live.topics[2], by=live.people[2], url="https://example.org/a", line="Book list"
    )
    exported = eventfile.export_event(db, live.event)
    key = f"t{topic.id}"
    assert exported["notes"][0]["topic"] == key and exported["notes"][0]["text"] == "# Notes\n\n- talk <moves>"
    assert [(r["text"], r["author"]) for r in exported["notes"][0]["revisions"]] == [
        ("First draft", "Ms. Rivera"),
        ("# Notes\n\n- talk <moves>", "Mr. Chen"),
    ]
    assert exported["resources"] == [
        {
            "topic": f"t{live.topics[2].id}",
            "url": "https://example.org/a",
            "line": "Book list",
            "added_by": "",
            "at": exported["resources"][0]["at"],
        }
    ]

    imported = eventfile.import_event(db, exported)
    new_event = imported.created.event
    restored = {t.title: t for t in _topics(db, new_event)}
    view = notes.notes_view(db, event=new_event, topic=restored["Math talks"], with_history=True)
    assert (view.text, view.revision) == ("# Notes\n\n- talk <moves>", 2)
    assert [(r.number, r.author) for r in view.history] == [(2, "Mr. Chen"), (1, "Ms. Rivera")]
    assert view.history[1].at.isoformat() == exported["notes"][0]["revisions"][0]["at"]
    resources = notes.list_resources(db, event=new_event)
    assert [(r.topic_id, r.url, r.line) for r in resources] == [
        (restored["Read-alouds"].id, "https://example.org/a", "Book list")
    ]
    again = eventfile.export_event(db, new_event)
    assert [n["text"] for n in again["notes"]] == [n["text"] for n in exported["notes"]]


def _topics(db: Session, event: Event) -> list[Topic]:
    return [v.topic for v in topics.wall(db, event=event, viewer=None, sort="newest").topics]


def test_a_file_without_extras_still_imports(db: Session) -> None:
    live = live_event(db)
    exported = eventfile.export_event(db, live.event)
    assert "notes" not in exported and "resources" not in exported
    eventfile.import_event(db, exported)


@pytest.mark.parametrize(
    ("extras", "mentions"),
    [
        ({"notes": [{"topic": "t999", "text": "x"}]}, "notes[0].topic"),
        ({"notes": "nope"}, "notes"),
        ({"resources": [{"topic": "KEY", "url": "javascript:alert(1)"}]}, "resources[0].url"),
        ({"notes": [{"topic": "KEY", "text": "x" * 20_001}]}, "notes[0].text: notes can be at most"),
        ({"notes": [{"topic": "KEY", "text": 7}]}, "notes[0].text: expected text."),
    ],
)
def test_bad_extras_are_refused_naming_the_key_and_nothing_is_created(db: Session, extras: dict, mentions: str) -> None:  # type: ignore[type-arg]
    live = live_event(db)
    exported = eventfile.export_event(db, live.event)
    key = exported["topics"][0]["id"]
    for name, value in extras.items():
        if isinstance(value, list):
            value = [{k: (key if v == "KEY" else v) for k, v in item.items()} for item in value]
        exported[name] = value
    before = (
        db.scalar(select(func.count()).select_from(Event)),
        db.scalar(select(func.count()).select_from(SessionNote)),
    )
    with pytest.raises(InvalidInput) as refused:
        eventfile.import_event(db, exported)
    assert mentions in refused.value.message
    assert refused.value.message.count("notes[0]") <= 1  # the key is named once, not repeated
    assert refused.value.field is not None and refused.value.field.startswith(mentions.split(".")[0])
    db.rollback()
    after = (
        db.scalar(select(func.count()).select_from(Event)),
        db.scalar(select(func.count()).select_from(SessionNote)),
    )
    assert after == before
