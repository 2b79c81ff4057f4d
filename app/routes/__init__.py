"""Routers, grouped by audience, included in one place."""

from __future__ import annotations

from fastapi import FastAPI

from app.routes import api, attendee, board, home, organizer


def include_routers(app: FastAPI) -> None:
    app.include_router(home.router)
    app.include_router(organizer.router)
    app.include_router(board.router)
    app.include_router(attendee.router)
    app.include_router(api.router)
