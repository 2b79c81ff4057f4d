"""One way to fetch a row of an event: another event's row, a garbage id and a missing one are all "not here"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlmodel import Session

from app.domain import rows
from app.domain.errors import NotFound
from app.models import Room, TimeSlot, Topic
from tests.factories import make_attendee, make_event, make_topic

APP = Path(__file__).resolve().parents[2] / "app"


def test_a_row_of_another_event_or_a_garbage_id_is_not_found(db: Session) -> None:
    mine, theirs = make_event(db).event, make_event(db, name="Other camp").event
    topic = make_topic(db, theirs, make_attendee(db, theirs))
    assert rows.find(db, Topic, topic.id, event=theirs) is topic
    for row_id in (topic.id, 0, -3, 2**63, None):
        assert rows.find(db, Topic, row_id, event=mine) is None
    with pytest.raises(NotFound) as refused:
        rows.require(db, Topic, topic.id, event=mine, field="topic_id")
    assert refused.value.field == "topic_id"
    assert str(refused.value) == f"Topic {topic.id} is not part of this event."


def test_rooms_and_slots_come_in_one_order_everywhere(db: Session) -> None:
    event = make_event(db, rooms=3, slots=3).event
    assert [r.name for r in rows.rooms(db, event)] == ["Room 1", "Room 2", "Room 3"]
    slots = rows.slots(db, event)
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    assert all(isinstance(s, TimeSlot) for s in slots) and all(isinstance(r, Room) for r in rows.rooms(db, event))


def test_no_domain_function_fetches_a_row_and_checks_its_event_by_hand() -> None:
    """``session.get`` followed by ``x.event_id != event.id`` is what rows.find is for."""
    found = []
    for path in sorted((APP / "domain").glob("*.py")):
        if path.name == "rows.py":
            continue
        for func in ast.walk(ast.parse(path.read_text())):
            if not isinstance(func, ast.FunctionDef):
                continue
            gets = any(
                isinstance(n, ast.Call)
                and getattr(n.func, "attr", "") == "get"
                and getattr(n.func.value, "id", "") in {"session", "db"}
                for n in ast.walk(func)
            )
            checks = any(
                isinstance(n, ast.Compare) and isinstance(n.left, ast.Attribute) and n.left.attr == "event_id"
                for n in ast.walk(func)
            )
            if gets and checks:
                found.append(f"{path.name}:{func.lineno} {func.name}")
    assert not found, found
