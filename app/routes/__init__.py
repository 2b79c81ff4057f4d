"""Routers, grouped by audience, included in one place."""

from __future__ import annotations

from fastapi import FastAPI

from app.routes import aftersession, api, api_schedule, attendee, board, home, organizer, schedule


def include_routers(app: FastAPI) -> None:
    app.include_router(home.router)
    app.include_router(schedule.router)
    app.include_router(organizer.router)
    app.include_router(board.router)
    app.include_router(board.health_router)
    app.include_router(attendee.router)
    app.include_router(aftersession.router)
    app.include_router(api.router)
    app.include_router(api_schedule.router)
