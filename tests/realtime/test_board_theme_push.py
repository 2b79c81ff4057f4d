"""The organizer's board colours reach the projector live, and only the projector."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.requests import Request

from app.domain import events, organizers
from app.models import Event
from app.realtime.render import render_batch
from tests.factories import make_event


def _request(app: FastAPI) -> Request:
    return Request(
        {
            "type": "http",
            "app": app,
            "method": "GET",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": "/",
            "root_path": "",
            "headers": [],
            "query_string": b"",
            "router": app.router,
        }
    )


def test_board_theme_is_pushed_to_the_board_alone(app: FastAPI, client: TestClient) -> None:
    """(``client`` runs the app's lifespan, which closes its database connections at the end.)"""
    with Session(app.state.engine, expire_on_commit=False) as session:
        event = make_event(session).event
        start = session.get(Event, event.id).board_sequence  # type: ignore[union-attr]
        events.set_board_theme(
            session, event=event, theme="light", actor=organizers.require_first_organizer(session, event)
        )
    batch = render_batch(
        app.state.engine,
        app.state.templates.env,
        _request(app),
        event_id=event.id,  # type: ignore[arg-type]
        after=start,
        views=["board", "wall", "my", "room-1"],
    )
    assert batch is not None and batch.last == start + 1
    board = batch.pushes["board"]
    assert board.action == "delta" and '<div id="board-theme" hidden data-theme="light"></div>' in board.body
    assert 'id="board-main"' not in board.body  # nothing else is redrawn
    assert batch.pushes["wall"].action == "delta" and "board-theme" not in batch.pushes["wall"].body
    assert batch.pushes["my"].action == "delta" and batch.pushes["room-1"].action == "delta"  # no phone refetches
