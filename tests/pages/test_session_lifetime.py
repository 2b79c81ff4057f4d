"""A request's database session is closed before its response is sent."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_attendee, make_event, make_topic


def test_no_connection_is_held_while_a_response_goes_out(app: FastAPI) -> None:
    pool = app.state.engine.pool
    held_at_send: list[int] = []
    inner = app.build_middleware_stack()

    async def watching(scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def send_and_look(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                held_at_send.append(pool.checkedout())
            await send(message)

        await inner(scope, receive, send_and_look)

    app.middleware_stack = watching  # type: ignore[assignment]
    with TestClient(app) as client, Session(app.state.engine, expire_on_commit=False) as session:
        event = make_event(session).event
        make_topic(session, event, make_attendee(session, event))
        held_at_send.clear()
        for path in (f"/e/{event.code}", f"/e/{event.code}/board", f"/api/v1/events/{event.code}/topics"):
            assert client.get(path).status_code == 200
    assert held_at_send == [0, 0, 0]
