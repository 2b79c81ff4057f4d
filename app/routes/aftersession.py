"""After the sessions: the resource guide, calendars, print and exports (notes and feedback have their own modules)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.datastructures import URL

from app.deps import CurrentAttendee, EventDep, OrganizerDep, SessionDep, SignerDep
from app.domain import attendees, calendar, exports, guide, languages, timetable
from app.domain.errors import NotAuthenticated
from app.i18n import _
from app.models import saved_id
from app.routes.attendee import join_url
from app.routes.qr import qr_svg
from app.templating import public_url, render

router = APIRouter(prefix="/e/{code}")


def _base_url(request: Request) -> str:
    """Calendar feeds are subscribed to from other devices: their links use the install's base URL."""
    return str(request.app.state.settings.BASE_URL).rstrip("/")


def _download(body: str | bytes, *, media_type: str, filename: str, attachment: bool = True) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "no-cache"},
    )


# Notes and resources -------------------------------------------------------------------------------------


@router.get("/organize/feedback.csv", name="feedback_csv")
def feedback_csv(session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Response:
    """Every feedback answer as CSV (anonymous)."""
    return _download(
        exports.feedback_csv(session, event=event),
        media_type="text/csv; charset=utf-8",
        filename=f"{event.code}-feedback.csv",
    )


@router.get("/organize/topics.csv", name="topics_csv")
def topics_csv(session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Response:
    """Every topic with its marks, facilitators and placement, as CSV."""
    return _download(
        exports.topics_csv(session, event=event),
        media_type="text/csv; charset=utf-8",
        filename=f"{event.code}-topics.csv",
    )


# The resource guide ----------------------------------------------------------------------------------------


@router.get("/guide", name="resource_guide")
def resource_guide(request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee) -> Response:
    """Every session's notes and resources by slot and room: what attendees take home (printable)."""
    return render(
        request,
        "attendee/guide.html",
        {"event": event, "attendee": attendee, "guide": guide.guide(session, event=event)},
    )


@router.get("/guide.md", name="resource_guide_md")
def resource_guide_md(session: SessionDep, event: EventDep) -> Response:
    """The resource guide as a Markdown file."""
    return _download(
        exports.guide_markdown(session, event=event),
        media_type="text/markdown; charset=utf-8",
        filename=f"{event.code}-resource-guide.md",
    )


@router.get("/guide.csv", name="resource_guide_csv")
def resource_guide_csv(session: SessionDep, event: EventDep) -> Response:
    """The resource guide as CSV: one row per resource and per session's notes."""
    return _download(
        exports.guide_csv(session, event=event),
        media_type="text/csv; charset=utf-8",
        filename=f"{event.code}-resource-guide.csv",
    )


# Calendars -----------------------------------------------------------------------------------------------


@router.get("/schedule.ics", name="schedule_ics")
def schedule_ics(request: Request, session: SessionDep, event: EventDep) -> Response:
    """The published schedule as an iCalendar feed."""
    return _download(
        calendar.schedule_feed(session, event=event, base_url=_base_url(request)),
        media_type="text/calendar; charset=utf-8",
        filename=f"{event.code}.ics",
        attachment=False,
    )


@router.get("/my.ics", name="my_day_ics")
def my_day_ics(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, signer: SignerDep
) -> Response:
    """An attendee's day as an iCalendar feed: by this device's cookie, or the private ``key`` of a subscription."""
    key = request.query_params.get("key")
    if key is not None:
        attendee_id = signer.read_calendar(key, event_id=saved_id(event))
        attendee = (
            attendees.get_attendee(session, event=event, attendee_id=attendee_id) if attendee_id is not None else None
        )
    if attendee is None:
        raise NotAuthenticated(
            _(
                "This calendar link is not valid for this event. Open 'Calendar' on your phone page to get your own link."
            )
        )
    return _download(
        calendar.my_day_feed(session, event=event, attendee=attendee, base_url=_base_url(request)),
        media_type="text/calendar; charset=utf-8",
        filename=f"{event.code}-my-day.ics",
        attachment=False,
    )


@router.get("/calendar", name="calendar_links")
def calendar_links(request: Request, event: EventDep, attendee: CurrentAttendee, signer: SignerDep) -> Response:
    """Links to add the event's schedule, or one's own day, to a calendar app."""
    my_link = None
    if attendee is not None:
        key = signer.calendar_token(event_id=saved_id(event), attendee_id=saved_id(attendee))
        my_link = str(URL(public_url(request, "my_day_ics", code=event.code)).include_query_params(key=key))
    schedule_link = public_url(request, "schedule_ics", code=event.code)
    return render(
        request,
        "attendee/calendar.html",
        {
            "event": event,
            "attendee": attendee,
            "my_link": my_link,
            "schedule_link": schedule_link,
            "webcal": lambda url: "webcal://" + url.split("://", 1)[-1],
        },
    )


# Print ---------------------------------------------------------------------------------------------------


@router.get("/print/board", name="print_board")
def print_board(request: Request, session: SessionDep, event: EventDep) -> Response:
    """The published board on paper: one page per slot (``?language=es``: only the sessions held in Spanish or both)."""
    language = languages.filter_language(request.query_params.get("language"))
    grid = timetable.grid(session, event=event)
    return render(request, "print/board.html", {"event": event, "grid": grid, "language": language})


@router.get("/print/poster", name="print_poster")
def print_poster(request: Request, event: EventDep) -> Response:
    """The join poster: a big QR code, the join code and the address typed out, on one page."""
    link = join_url(request, event.code)
    return render(
        request, "print/poster.html", {"event": event, "join_link": link, "address": link.split("://", 1)[-1]}
    )


@router.get("/print/doors", name="print_doors")
def print_doors(request: Request, session: SessionDep, event: EventDep) -> Response:
    """Door signs: one page per room, with QR codes to check in, to the door view and to each session's notes."""
    signs = guide.door_signs(session, event=event)
    qr: dict[str, Markup] = {}
    for sign in signs:
        door_url = public_url(request, "door_page", code=event.code, room_id=sign.room.id)
        qr[door_url] = qr_svg(door_url, scale=3)
        here_url = public_url(request, "room_here", code=event.code, room_id=sign.room.id)
        qr[here_url] = qr_svg(here_url, scale=8)  # print.css sizes it to scan from a metre
        for cell in sign.sessions:
            notes_url = public_url(request, "session_notes", code=event.code, topic_id=cell.topic.id)
            qr[notes_url] = qr_svg(notes_url, scale=3)
    return render(request, "print/doors.html", {"event": event, "signs": signs, "qr": qr})
