"""A room renamed or a slot retimed reaches the board in full, doors and "my day" by their own GET."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import layout_rooms, layout_slots, rows
from app.models import Event
from app.realtime.render import render_batch
from tests.factories import make_attendee, make_event, make_topic, publish_cells
from tests.realtime.test_board_theme_push import _request


def test_a_renamed_room_and_a_retimed_slot_reach_the_board_doors_and_phones(app: FastAPI, client: TestClient) -> None:
    """(``client`` runs the app's lifespan, which closes its database connections at the end.)"""
    with Session(app.state.engine, expire_on_commit=False) as session:
        created = make_event(session)
        event, boss = created.event, created.organizer
        topic = make_topic(session, event, make_attendee(session, event, "Ana"), title="Maker space")
        room, slot = rows.rooms(session, event)[0], rows.slots(session, event)[0]
        publish_cells(session, created, [(topic.id, room.id, slot.id)])  # type: ignore[list-item]
        start = session.get(Event, event.id).board_sequence  # type: ignore[union-attr]
        layout_rooms.edit_room(
            session, event=event, room_id=room.id, name="Makerspace lab", capacity=20, features=[], actor=boss
        )  # type: ignore[arg-type]
        layout_slots.edit_slot(
            session, event=event, slot_id=slot.id, start="09:05", end="09:55", kind="sessions", actor=boss, confirm=True
        )  # type: ignore[arg-type]
    batch = render_batch(
        app.state.engine,
        app.state.templates.env,
        _request(app),
        event_id=event.id,  # type: ignore[arg-type]
        after=start,
        views=["board", "wall", "my", f"room-{room.id}"],
    )
    assert batch is not None and batch.last == start + 2
    board = batch.pushes["board"]
    assert 'id="board-main"' in board.body and "Makerspace lab" in board.body and "09:05" in board.body
    assert "Room 1" not in board.body
    assert batch.pushes["wall"].action == "delta" and "Makerspace" not in batch.pushes["wall"].body
    assert batch.pushes["my"].action == "refetch" and batch.pushes[f"room-{room.id}"].action == "refetch"
