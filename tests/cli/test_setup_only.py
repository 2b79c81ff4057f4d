"""`twofeet import --setup-only`: a new event like the one in the file, without its day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from app.cli import main
from app.db import make_engine, upgrade_database
from app.domain import events, talks
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import Phase
from tests.factories import make_attendee, make_topic


def _lived_day(db: Path) -> str:
    """An event with a plenary of two talks, a lunch, an attendee, two topics and a mark; its code."""
    engine = make_engine(f"sqlite:///{db}")
    upgrade_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        created = events.create_event(
            session,
            name="Edcamp File",
            date="2027-03-13",
            timezone="America/Denver",
            rooms=[RoomSpec("Auditorium", 300), RoomSpec("Library", 40, ["projector"])],
            slots=[
                SlotSpec("08:45", "09:30", kind="plenary", title="EdTalks", room="Auditorium"),
                SlotSpec("09:40", "10:30"),
                SlotSpec("12:00", "12:45", kind="break", title="Lunch"),
            ],
            hide_counts=True,
        )
        event, owner = created.event, created.organizer
        plenary = events.list_slots(session, event)[0]
        for speaker in ("Ms. Rivera", "Mr. Okafor"):
            talks.add_talk(
                session, event=event, slot_id=plenary.id, speaker=speaker, title="Why I teach", minutes=10, actor=owner
            )  # type: ignore[arg-type]
        events.set_phase(session, event=event, phase=Phase.proposing, actor=owner)
        rivera = make_attendee(session, event, "Ms. Rivera")
        make_topic(session, event, rivera, title="Number talks")
        make_topic(session, event, rivera, title="Recess duty swaps")
    engine.dispose()
    return event.code


def _export(db: Path, code: str, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(["export", code, "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def test_setup_only_imports_the_setup_on_a_new_date_and_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "series.db"
    code = _lived_day(db)
    exported = _export(db, code, capsys)
    assert len(exported["topics"]) == 2 and len(exported["attendees"]) == 1
    path = tmp_path / "last-year.json"
    path.write_text(json.dumps(exported))
    assert main(["import", str(path), "--setup-only", "--date", "2028-03-11", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    new = out.split("as event ")[1][:6]
    assert new != code and f"/e/{new}/organize?key=" in out
    assert "Imported the set-up of 'Edcamp File'" in out and "on 2028-03-11" in out and "2 talks" in out
    assert "Left out (--setup-only): 1 attendee, 2 topics." in out
    copied = _export(db, new, capsys)
    assert copied["event"] == {**exported["event"], "date": "2028-03-11"}
    assert copied["settings"] == exported["settings"] and copied["settings"]["hide_counts"] is True
    assert [(r["name"], r["capacity"], r["features"]) for r in copied["rooms"]] == [
        (r["name"], r["capacity"], r["features"]) for r in exported["rooms"]
    ]

    def outline(document: dict) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
        return [(s["start"], s["end"], s.get("kind"), s.get("title"), s.get("talks")) for s in document["slots"]]

    assert outline(copied) == outline(exported)
    assert copied["slots"][0]["talks"][1]["speaker"] == "Mr. Okafor"
    assert (copied["attendees"], copied["topics"], copied["interests"]) == ([], [], [])


def test_setup_only_refuses_a_bad_date_and_a_bad_file_without_making_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "series.db"
    code = _lived_day(db)
    exported = _export(db, code, capsys)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(exported))
    assert main(["import", str(path), "--setup-only", "--date", "2028-02-30", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "date: '2028-02-30' is not a date" in err and "Traceback" not in err
    exported["slots"][1]["talks"] = [{"speaker": "Ms. Rivera", "title": "Why I teach"}]
    path.write_text(json.dumps(exported))
    assert main(["import", str(path), "--setup-only", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "slots[1].talks" in err and "not a plenary" in err
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        assert events.count_events(session) == 1
    engine.dispose()


def test_a_whole_import_may_move_to_a_new_date_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "series.db"
    code = _lived_day(db)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(_export(db, code, capsys)))
    assert main(["import", str(path), "--date", "2027-04-10", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2 topics, 1 attendees" in out
    again = _export(db, out.split("as event ")[1][:6], capsys)
    assert again["event"]["date"] == "2027-04-10" and len(again["topics"]) == 2
    assert [len(s.get("talks", [])) for s in again["slots"]] == [2, 0, 0]


def test_import_help_explains_setup_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["import", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "--setup-only" in text and "--date" in text and "left out" in text
