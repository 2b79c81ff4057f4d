"""Routers, grouped by audience, included in one place."""

from __future__ import annotations

from fastapi import FastAPI

from app.routes import (
    access,
    aftersession,
    api,
    api_checkins,
    api_layout,
    api_schedule,
    api_series,
    api_talks,
    attendance_pages,
    attendee,
    certificates,
    checkin_pages,
    closing,
    drafts,
    feedback_pages,
    home,
    layout_pages,
    live,
    moderate,
    organizer,
    qr,
    raffle,
    session_notes,
    smackdown,
    survey_pages,
    talk_pages,
    talks,
)


def include_routers(app: FastAPI) -> None:
    # FastAPI tries routers in this order, route by route; matching cost ~2 ms per request when the
    # mark was ~100 routes down the list. Hot paths first: marks (API, then phones), the board and
    # its websocket. No two routers share a path, so the order changes nothing else.
    # /openapi.json describes the JSON API alone: pages, fragments and health checks stay out of it.
    app.include_router(api.router)
    app.include_router(api_checkins.router)
    app.include_router(live.router, include_in_schema=False)
    app.include_router(live.health_router, include_in_schema=False)
    app.include_router(attendee.router, include_in_schema=False)
    app.include_router(checkin_pages.router, include_in_schema=False)
    app.include_router(api_schedule.router)
    app.include_router(api_talks.router)
    app.include_router(api_layout.router)
    app.include_router(api_series.router)
    app.include_router(session_notes.router, include_in_schema=False)
    app.include_router(feedback_pages.router, include_in_schema=False)
    app.include_router(aftersession.router, include_in_schema=False)
    app.include_router(home.router, include_in_schema=False)
    app.include_router(qr.router, include_in_schema=False)
    app.include_router(drafts.router, include_in_schema=False)
    app.include_router(organizer.router, include_in_schema=False)
    app.include_router(moderate.router, include_in_schema=False)
    app.include_router(talks.router, include_in_schema=False)
    app.include_router(layout_pages.router, include_in_schema=False)
    app.include_router(talk_pages.router, include_in_schema=False)
    app.include_router(access.router, include_in_schema=False)
    app.include_router(closing.router, include_in_schema=False)
    app.include_router(survey_pages.router, include_in_schema=False)
    app.include_router(raffle.router, include_in_schema=False)
    app.include_router(smackdown.router, include_in_schema=False)
    app.include_router(attendance_pages.router, include_in_schema=False)
    app.include_router(certificates.router, include_in_schema=False)
