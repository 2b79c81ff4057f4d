"""Check-in pages: the door sign's QR code (``/rooms/{room_id}/here``), "I'm here" on a session's
page, undoing either, and where this phone is checked in now."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CsrfChecked, CsrfToken, CurrentAttendee, EventDep, RowId, SessionDep
from app.domain import attendance, checkins, phases, timetable
from app.domain.errors import Conflict, DomainError, plain_messages
from app.i18n import _
from app.models import Attendee, Event
from app.routes.attendee import join_url
from app.templating import render

router = APIRouter(prefix="/e/{code}")


def _here_page(
    request: Request,
    session: SessionDep,
    event: Event,
    attendee: Attendee,
    csrf: str,
    *,
    room_id: int | None = None,
    notice: str = "",
    error: DomainError | None = None,
) -> Response:
    """This phone's check-in now; or, with ``room_id`` and nothing to check into, what comes next there."""
    door = timetable.door(session, event=event, room_id=room_id) if room_id is not None and error else None
    return render(
        request,
        "attendee/here.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "here": attendance.here_view(session, event=event, attendee=attendee),
            "door": door,
            "opens_at": checkins.opens_at,
            "notice": notice,
            "error": error,
            "error_text": " ".join(plain_messages(error).values()) or (error.message if error else ""),
        },
        status_code=error.status_code if error and not isinstance(error, Conflict) else 200,
    )


@router.get("/rooms/{room_id}/here", name="room_here")
def room_here(
    request: Request, session: SessionDep, event: EventDep, room_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The door sign's QR code: scanning it checks this phone into what runs in the room now
    (again changes nothing). A phone that has not joined joins first, then comes back here."""
    if attendee is None:
        return render(
            request,
            "attendee/join.html",
            {
                "event": event,
                "csrf": csrf,
                "error": None,
                "can_join": phases.is_allowed(event, "join"),
                "next": request.url.path,
                "why": _("Join first (your name is optional), and you are checked in."),
            },
        )
    try:
        checkins.check_in(session, event=event, attendee=attendee, room_id=room_id, source="door")
    except DomainError as error:
        return _here_page(request, session, event, attendee, csrf, room_id=room_id, error=error)
    return _here_page(request, session, event, attendee, csrf)


@router.post("/sessions/{topic_id}/here", name="session_here", dependencies=[CsrfChecked])
def session_here(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """ "I'm here": check into this session now (a move, if checked in elsewhere in the slot)."""
    if attendee is None:
        return RedirectResponse(join_url(request, event.code), status_code=303)
    try:
        checkins.check_in(session, event=event, attendee=attendee, topic_id=topic_id, source="tap")
    except DomainError as error:
        return _here_page(request, session, event, attendee, csrf, error=error)
    url = request.url_for("session_page", code=event.code, topic_id=topic_id)
    return RedirectResponse(f"{url}#check-in", status_code=303)


@router.get("/here", name="checkin_status")
def checkin_status(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """Where this phone is checked in now, if anywhere."""
    if attendee is None:
        return RedirectResponse(join_url(request, event.code), status_code=303)
    return _here_page(request, session, event, attendee, csrf, notice=request.query_params.get("done", ""))


@router.post("/here/undo", name="checkin_undo", dependencies=[CsrfChecked])
def checkin_undo(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """ "Undo / not here": forget this phone's check-in of now (a move it made is undone too)."""
    if attendee is None:
        return RedirectResponse(join_url(request, event.code), status_code=303)
    try:
        removed = checkins.undo_check_in(session, event=event, attendee=attendee)
    except DomainError as error:
        return _here_page(request, session, event, attendee, csrf, error=error)
    done = _("Check-in undone.") if removed is not None else _("You were not checked in.")
    url = request.url_for("checkin_status", code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)
