"""The close of the day's set-up in the event file and in "new event like this one": what an organizer
prepared travels (place, certificate and raffle settings, survey questions, prizes), never the day's record."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from app.domain import eventfile, events, series
from app.models import CheckIn, Event, Organizer, Prize, SurveyQuestion, saved_id
from tests.factories import make_attendee, make_event


def _prepared(db: Session) -> Event:
    created = make_event(db, rooms=2, slots=2, name="Edcamp Valley")
    event = created.event
    event.place = "Roosevelt High School, Fresno"
    event.pd_enabled, event.pd_issuer = True, "Fresno County Office of Education"
    event.pd_signer, event.pd_signer_title, event.pd_min_minutes = "Dr. Ana Ruiz", "Director", 20
    event.pd_needs_survey, event.raffle_needs_checkin, event.raffle_needs_survey = True, False, True
    db.add(event)
    db.add(SurveyQuestion(event_id=saved_id(event), position=0, kind="scale", prompt="The snacks <b>helped</b>"))
    db.add(
        SurveyQuestion(
            event_id=saved_id(event),
            position=1,
            kind="choice",
            prompt="Come back?",
            choices=["Yes", "No"],
            required=True,
        )
    )
    db.add(Prize(event_id=saved_id(event), position=0, name="A class set of books", sponsor="Valley Books"))
    db.commit()
    return event


def _questions(db: Session, event: Event) -> list[tuple[str, str, list[str], bool]]:
    rows = db.exec(
        select(SurveyQuestion).where(SurveyQuestion.event_id == event.id).order_by(col(SurveyQuestion.position))
    )
    return [(q.kind, q.prompt, q.choices, q.required) for q in rows]


def test_the_event_file_carries_the_closing_set_up_and_imports_it(db: Session) -> None:
    event = _prepared(db)
    document = json.loads(json.dumps(eventfile.export_event(db, event)))
    closing = document["closing"]
    assert closing["place"] == "Roosevelt High School, Fresno"
    assert closing["certificates"] == {
        "enabled": True,
        "issuer": "Fresno County Office of Education",
        "signer": "Dr. Ana Ruiz",
        "signer_title": "Director",
        "min_minutes": 20,
        "needs_survey": True,
    }
    assert closing["raffle"] == {"needs_checkin": False, "needs_survey": True}
    assert closing["prizes"] == [{"name": "A class set of books", "sponsor": "Valley Books"}]

    imported = eventfile.import_event(db, document).created.event
    assert (imported.place, imported.pd_issuer, imported.pd_min_minutes) == (
        "Roosevelt High School, Fresno",
        "Fresno County Office of Education",
        20,
    )
    assert imported.pd_enabled and imported.pd_needs_survey and imported.raffle_needs_survey
    assert not imported.raffle_needs_checkin
    assert _questions(db, imported) == _questions(db, event)
    prizes = db.exec(select(Prize).where(Prize.event_id == imported.id)).all()
    assert [(p.name, p.sponsor) for p in prizes] == [("A class set of books", "Valley Books")]


def test_a_malformed_closing_extra_keeps_the_defaults_and_leaves_bad_items_out(db: Session) -> None:
    event = _prepared(db)
    document = json.loads(json.dumps(eventfile.export_event(db, event)))
    document["closing"] = {
        "place": 7,
        "certificates": {"enabled": "yes", "min_minutes": 9999, "issuer": "x" * 500},
        "raffle": {"needs_checkin": None},
        "survey": [
            {"kind": "poll", "prompt": "Unknown kind"},
            {"kind": "choice", "prompt": "One choice only", "choices": ["Yes"]},
            {"kind": "text", "prompt": "   "},
            {"kind": "choice", "prompt": "Eleven choices", "choices": [str(n) for n in range(11)]},
            {"kind": "choice", "prompt": "Not words", "choices": [1, 2]},
            {"kind": "text", "prompt": "What should we keep?"},
        ],
        "prizes": [{"name": ""}, "a mug", {"name": "A mug", "sponsor": None}, {"name": "A tote bag"}],
    }
    imported = eventfile.import_event(db, document).created.event
    assert imported.place == "" and not imported.pd_enabled and imported.pd_issuer == ""
    assert imported.pd_min_minutes == 15 and imported.raffle_needs_checkin
    assert _questions(db, imported) == [("text", "What should we keep?", [], False)]
    prizes = db.exec(select(Prize).where(Prize.event_id == imported.id)).all()
    assert [(p.name, p.sponsor) for p in prizes] == [("A tote bag", "")]


def test_a_new_event_like_this_one_keeps_the_settings_and_questions_but_not_the_prizes(db: Session) -> None:
    event = _prepared(db)
    owner = db.exec(select(Organizer).where(Organizer.event_id == event.id)).first()
    assert owner is not None
    copy = series.copy_event(db, source=event, actor=owner, date="2027-03-13").event
    assert (copy.place, copy.pd_signer, copy.pd_needs_survey, copy.raffle_needs_survey) == (
        event.place,
        "Dr. Ana Ruiz",
        True,
        True,
    )
    assert _questions(db, copy) == _questions(db, event)
    assert db.exec(select(Prize).where(Prize.event_id == copy.id)).all() == []


def test_the_days_record_of_people_stays_out_of_the_closing_extra(db: Session) -> None:
    event = _prepared(db)
    attendee = make_attendee(db, event, "Rivera")
    slot = events.list_slots(db, event)[0]
    db.add(CheckIn(event_id=saved_id(event), attendee_id=saved_id(attendee), slot_id=saved_id(slot)))
    db.commit()
    closing = eventfile.export_event(db, event)["closing"]
    assert set(closing) == {"place", "certificates", "raffle", "survey", "prizes"}
    assert "Rivera" not in json.dumps(closing)
