"""The projector board (read-only, no login)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import EventDep, SessionDep
from app.domain import topics
from app.routes.attendee import join_url
from app.templating import render

router = APIRouter(prefix="/e/{code}")


@router.get("/board", name="board")
def board_page(request: Request, session: SessionDep, event: EventDep) -> Response:
    """The topic wall for the projector, most wanted first; htmx refreshes the wall block."""
    wall = topics.wall(session, event=event, viewer=None, sort="wanted")
    return render(request, "board/board.html", {"event": event, "wall": wall, "join_link": join_url(request, event.code)},
                  block="wall")
