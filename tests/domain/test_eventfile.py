"""Export and import in the twofeet.event/1 format: a round trip, and refusals that change nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.domain import claims, eventfile, events, marking, organizers
from app.domain.errors import InvalidInput
from app.models import Attendee, Event, Interest, Room, Topic
from tests.factories import make_attendee, make_event, make_topic


def _counts(db: Session) -> tuple[int, ...]:
    return tuple(
        db.scalar(select(func.count()).select_from(model)) or 0 for model in (Event, Room, Attendee, Topic, Interest)
    )


def _busy_event(db: Session) -> Event:
    event = make_event(db, rooms=3, slots=3).event
    events.update_settings(
        db,
        event=event,
        vote_budget=4,
        hide_counts=True,
        shuffle_topics=True,
        actor=organizers.require_first_organizer(db, event),
    )
    people = [make_attendee(db, event, name=f"Teacher {i}") for i in range(6)]
    made = [
        make_topic(
            db,
            event,
            people[i],
            title=f"Topic {i}",
            description=f"About {i}",
            tags="math, 6-8" if i % 2 else "ela",
            facilitate=i < 3,
        )
        for i in range(5)
    ]
    claims.claim_topic(db, event=event, attendee=people[5], topic=made[4])
    for person_index, person in enumerate(people):
        for topic in made[person_index % 3 : person_index % 3 + 3]:
            marking.mark_topic(db, event=event, attendee=person, topic=topic)
    return event


def _canonical(document: dict[str, Any]) -> dict[str, Any]:
    """A document with ids replaced by positions, so two events' files can be compared."""
    doc = copy.deepcopy(document)
    rename: dict[str, str] = {}
    for key, prefix in (("rooms", "r"), ("slots", "s"), ("attendees", "a"), ("topics", "t")):
        for index, item in enumerate(doc[key]):
            rename[item["id"]] = f"#{prefix}{index}"

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return rename.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    doc = swap(doc)
    doc["interests"] = sorted(doc["interests"], key=lambda i: (i["attendee"], i["topic"]))
    doc.get("event", {}).pop("code", None)
    return doc


def test_export_then_import_round_trips(db: Session) -> None:
    event = _busy_event(db)
    exported = eventfile.export_event(db, event)
    assert exported["format"] == "twofeet.event/1"
    assert len(exported["rooms"]) == 3 and len(exported["slots"]) == 3 and len(exported["attendees"]) == 6
    assert len(exported["interests"]) == 18
    assert sum(len(t["facilitators"]) for t in exported["topics"]) == 4
    assert exported["settings"]["vote_budget"] == 4

    imported = eventfile.import_event(db, exported)
    assert imported.created.event.code != event.code
    again = eventfile.export_event(db, imported.created.event)
    assert _canonical(again) == _canonical(exported)
    assert again["event"]["min_interest"] == event.min_interest == 2


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        (lambda d: d["topics"].append(copy.deepcopy(d["topics"][0])), "duplicate"),
        (lambda d: d["interests"].append({"attendee": "a-ghost", "topic": d["topics"][0]["id"]}), "a-ghost"),
        (lambda d: d["topics"][0].__setitem__("facilitators", ["nobody"]), "nobody"),
        (lambda d: d["rooms"][0].__setitem__("capacity", "many"), "capacity"),
        (lambda d: d["slots"].__setitem__(0, {"id": d["slots"][0]["id"], "start": "9am", "end": "10:00"}), "start"),
        (lambda d: d.__setitem__("format", "twofeet.event/9"), "format"),
        (lambda d: d["topics"][1].__setitem__("title", "   "), "title"),
        (lambda d: d["event"].__setitem__("min_interest", 0), "event.min_interest"),
        (lambda d: d["event"].__setitem__("min_interest", 5000), "event.min_interest"),
        (lambda d: d["event"].__setitem__("min_interest", "two"), "event.min_interest"),
    ],
)
def test_a_bad_file_is_refused_by_key_and_id_and_changes_nothing(db: Session, change: Any, mentions: str) -> None:
    document = eventfile.export_event(db, _busy_event(db))
    before = _counts(db)
    change(document)
    with pytest.raises(InvalidInput) as refused:
        eventfile.import_event(db, document)
    assert mentions.lower() in refused.value.message.lower()
    db.rollback()
    assert _counts(db) == before


def test_a_document_that_is_not_an_object_is_refused(db: Session) -> None:
    with pytest.raises(InvalidInput):
        eventfile.import_event(db, ["not", "an", "event"])
