"""The projector board, the door views, the rule of two feet, and the websocket that keeps them live."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import i18n
from app.db import Engine
from app.deps import CsrfChecked, CsrfToken, CurrentAttendee, CurrentOrganizer, EventDep, FormDep, RowId, SessionDep
from app.domain import attendance, events, phases, timetable
from app.domain.errors import DomainError
from app.models import Event, saved_id
from app.realtime.hub import Hub
from app.realtime.render import board_context, view_key
from app.realtime.sockets import CLOSE_POLICY
from app.routes import forms
from app.routes.attendee import join_url
from app.routes.qr import qr_svg
from app.settings import Settings
from app.templating import is_htmx, public_url, render

router = APIRouter(prefix="/e/{code}")
health_router = APIRouter()

VIEW_PATTERN = re.compile(r"^(board|wall|my|room-\d{1,9})$")


@router.get("/board", name="board")
def board_page(request: Request, session: SessionDep, event: EventDep) -> Response:
    """The projector: the topic wall before publishing, the rooms × slots grid after; updated live."""
    context = board_context(session, event, request)
    context["join_link"] = join_url(request, event.code)
    context["theme"] = _forced_theme(request)
    context["page_seconds"] = _page_seconds(request)
    with i18n.using(board_locale(event, request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE))):
        return render(request, "board/board.html", context, block="board_main")


def board_locale(event: Event, asked: str | None, cookie: str | None) -> str:
    """The language of a screen everyone reads (the board, a door): the event's, not the browser's.

    The projector's browser asks for its laptop owner's language, not the room's, so
    ``Accept-Language`` does not count here. A screen can be held to a language with ``?lang=es``
    (as with ``?theme=``), or by the switch on another page of that browser (the cookie). A bilingual
    event's screens show both languages, its main language first, whatever was asked."""
    main = event.language if event.language in i18n.LOCALES else i18n.DEFAULT_LOCALE
    if event.bilingual:
        return main
    return next((choice for choice in (asked, cookie) if choice in i18n.LOCALES), main)


def _forced_theme(request: Request) -> str | None:
    """``?theme=light`` or ``?theme=dark`` holds this screen to it; otherwise the organizer's choice shows."""
    theme = request.query_params.get("theme")
    return theme if theme in events.BOARD_THEMES else None


def _page_seconds(request: Request) -> int:
    """How long each page of a board too big for its screen stays up (``?page_seconds=``, 4 to 60)."""
    raw = request.query_params.get("page_seconds", "")
    return min(max(int(raw), 4), 60) if raw.isdigit() and len(raw) < 4 else 10


def _door(
    request: Request,
    session: Session,
    event: EventDep,
    room_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: str,
    error: DomainError | None = None,
) -> Response:
    door = timetable.door(session, event=event, room_id=room_id)
    can_set = door.now is not None and timetable.can_set_status(
        session, placement=door.now.placement, attendee=attendee, organizer=organizer is not None
    )
    context = {
        "event": event,
        "door": door,
        "seq": event.board_sequence,
        "attendee": attendee,
        "csrf": csrf,
        "can_set_status": can_set,
        "error": error,
        "theme": _forced_theme(request) or event.board_theme,
        # The door sign's check-in code, and how many are checked in to what runs here now.
        "here_qr": qr_svg(public_url(request, "room_here", code=event.code, room_id=room_id), scale=5)
        if door.grid.published and phases.is_allowed(event, "check_in")
        else None,
        "headcount": attendance.here_count(session, event=event, room_id=room_id),
    }
    with i18n.using(board_locale(event, request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE))):
        return render(
            request, "board/door.html", context, block="door_main", status_code=error.status_code if error else 200
        )


@router.get("/rooms/{room_id}", name="door_page")
def door_page(
    request: Request,
    session: SessionDep,
    event: EventDep,
    room_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
) -> Response:
    """The door view: now and next in one room, for a tablet at the door."""
    return _door(request, session, event, room_id, attendee, organizer, csrf)


@router.post("/placements/{placement_id}/status", name="session_status", dependencies=[CsrfChecked])
def session_status(
    request: Request,
    session: SessionDep,
    event: EventDep,
    placement_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """The rule of two feet: a facilitator (or organizer) says the room is full, has room, or ended."""
    placement = timetable.require_placement(session, event=event, placement_id=placement_id)
    error = None
    try:
        timetable.set_session_status(
            session,
            event=event,
            placement=placement,
            status=forms.StatusForm.parse(form).status,
            attendee=attendee,
            organizer=organizer is not None,
        )
    except DomainError as exc:
        session.rollback()
        if not is_htmx(request):
            raise
        error = exc
    if is_htmx(request):
        return _door(request, session, event, placement.room_id, attendee, organizer, csrf, error)
    return RedirectResponse(request.url_for("door_page", code=event.code, room_id=placement.room_id), status_code=303)


@router.post("/rooms/{room_id}/popup", name="popup_start", dependencies=[CsrfChecked])
def popup_start(
    request: Request,
    session: SessionDep,
    event: EventDep,
    room_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Start a pop-up session in a room that is free in the current slot."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    try:
        title = forms.PopupForm.parse(form).title
        timetable.start_popup(session, event=event, attendee=attendee, room_id=room_id, title=title)
    except DomainError as error:
        session.rollback()
        return _door(request, session, event, room_id, attendee, organizer, csrf, error)
    return RedirectResponse(request.url_for("door_page", code=event.code, room_id=room_id), status_code=303)


def origin_allowed(origin: str | None, host: str | None, settings: Settings) -> bool:
    """Same-origin sockets only (cross-site websocket hijacking); clients without Origin are not browsers."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    if not parts.scheme or not parts.netloc:
        return False
    if host and parts.netloc.lower() == host.lower():
        return True
    allowed = {urlsplit(settings.BASE_URL).netloc.lower()}
    allowed |= {urlsplit(o.strip()).netloc.lower() for o in settings.ALLOWED_ORIGINS.split(",") if o.strip()}
    return parts.netloc.lower() in allowed


def _event(engine: Engine, code: str) -> Event | None:
    with Session(engine, expire_on_commit=False) as session:
        event = events.get_event(session, code)
        return event if event is not None and event.id is not None else None


@router.websocket("/ws", name="board_ws")
async def board_ws(websocket: WebSocket, code: str) -> None:
    """Live pushes for the board, a phone's wall or a door: ``?since=N`` replays what was missed."""
    app = websocket.app
    settings: Settings = app.state.settings
    hub: Hub = app.state.hub
    if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), settings):
        hub.stats.refused += 1
        await websocket.close(CLOSE_POLICY)
        return
    view = websocket.query_params.get("view", "board")
    raw_since = websocket.query_params.get("since", "")
    since = int(raw_since) if raw_since.isdigit() and len(raw_since) < 12 else None
    if not VIEW_PATTERN.match(view):
        await websocket.close(CLOSE_POLICY)
        return
    event = await run_in_threadpool(_event, app.state.engine, code)
    if event is None:
        await websocket.close(CLOSE_POLICY)
        return
    if view == "board" or view.startswith("room-"):
        # A screen everyone reads: in the language its page was rendered in (?lang=, see board_locale).
        locale = board_locale(event, websocket.query_params.get("lang"), websocket.cookies.get(i18n.LANG_COOKIE))
    else:
        # Pushed in the language of the page that opened it (the same cookie and browser), else the event's.
        locale = i18n.current() if i18n.chosen() else event.language
    await websocket.accept()
    await hub.serve(websocket, event_id=saved_id(event), view=view_key(view, locale), since=since)


@health_router.get("/healthz/live", name="live_health")
async def live_health(request: Request) -> dict[str, object]:
    """This process's live-update state: sockets, renders, slow or refused clients, broker health.

    Answered on the event loop from counters in memory, never queued behind the worker threads:
    it must answer while a reconnect storm or a burst of marks keeps them all busy.
    """
    hub: Hub = request.app.state.hub
    stats = hub.stats
    return {
        "connected": hub.connected(),
        "events": len(hub.channels),
        "renders": stats.renders,
        "frames": stats.frames,
        "prepared": stats.prepared,
        "overflows": stats.overflows,
        "stalled": stats.stalled,
        "refused": stats.refused,
        "garbage": stats.garbage,
        "broadcast_healthy": hub.broadcast.healthy,
        "broadcast_reconnects": getattr(hub.broadcast, "reconnects", 0),
        "gc": None if request.app.state.gc is None else request.app.state.gc.stats.as_dict(),
    }
