"""After the sessions: notes, resources, feedback, the resource guide, calendars, print and exports."""

from __future__ import annotations

import segno
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import URL

from app.deps import (
    AttendeeDep,
    CsrfChecked,
    CsrfToken,
    CurrentAttendee,
    CurrentOrganizer,
    EventDep,
    FormDep,
    OrganizerDep,
    RowId,
    SessionDep,
    SignerDep,
)
from app.domain import attendees, calendar, exports, feedback, guide, notes, timetable, topics
from app.domain.errors import DomainError, NotAuthenticated
from app.models import Attendee, Event, Topic
from app.routes import forms
from app.routes.attendee import join_url
from app.templating import is_htmx, public_url, render

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


def qr_svg(url: str, *, scale: int) -> Markup:
    """A QR code as inline SVG (segno writes only numbers and fixed markup, hence safe)."""
    return Markup(
        segno.make(url, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=False)
    )


# Notes and resources -------------------------------------------------------------------------------------


def _notes_page(
    request: Request,
    session: SessionDep,
    event: Event,
    topic: Topic,
    attendee: Attendee | None,
    organizer: bool,
    csrf: str,
    *,
    error: DomainError | None = None,
    draft: str | None = None,
    resource_form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    view = notes.notes_view(session, event=event, topic=topic)
    context = {
        "event": event,
        "attendee": attendee,
        "csrf": csrf,
        "topic": topic,
        "notes": view,
        "draft": view.text if draft is None else draft,
        "base_revision": view.revision if draft is None else None,
        "resources": notes.resource_views(session, event=event, topic=topic, viewer=attendee, organizer=organizer),
        "place": guide.session_place(session, event=event, topic=topic),
        "topic_view": topics.topic_view(session, event=event, viewer=attendee, topic=topic),
        "can_write": notes.can_write(event),
        "can_feedback": feedback.can_give(event),
        "error": error,
        "resource_form": resource_form or {},
    }
    if error is not None and draft is not None:
        context["base_revision"] = view.revision  # saving again writes over what is there now, knowingly
    return render(request, "attendee/notes.html", context, status_code=status_code)


@router.get("/sessions/{topic_id}/notes", name="session_notes")
def session_notes(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
) -> Response:
    """A session's shared notes and resources; anyone at the event can add to them."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    return _notes_page(request, session, event, topic, attendee, organizer is not None, csrf)


@router.get("/sessions/{topic_id}/notes/live", name="session_notes_live")
def session_notes_live(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
    after: int = 0,
) -> Response:
    """The rendered notes when they changed since revision ``after``; 204 (nothing to swap) otherwise.
    Opened in a browser rather than polled by htmx, it is the notes page."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    if not is_htmx(request):
        return _notes_page(request, session, event, topic, attendee, organizer is not None, csrf)
    view = notes.notes_view(session, event=event, topic=topic)
    if view.revision == after and is_htmx(request):
        return Response(status_code=204, headers={"Vary": "HX-Request"})
    return render(
        request,
        "attendee/notes.html",
        {"event": event, "topic": topic, "notes": view, "can_write": notes.can_write(event)},
        block="notes_view",
    )


@router.post("/sessions/{topic_id}/notes", name="session_notes_save", dependencies=[CsrfChecked])
def session_notes_save(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: AttendeeDep,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Save a new version of the notes; a clash with someone else's save keeps the typed text."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    text = forms.text(form, "text")
    try:
        base = forms.whole_number(forms.text(form, "base_revision") or "0", field_name="base_revision")
        notes.save_note(session, event=event, topic=topic, author=attendee, text=text, base_revision=base)
    except DomainError as error:
        return _notes_page(
            request,
            session,
            event,
            topic,
            attendee,
            organizer is not None,
            csrf,
            error=error,
            draft=text,
            status_code=error.status_code,
        )
    return RedirectResponse(
        str(request.url_for("session_notes", code=event.code, topic_id=topic_id)) + "#notes", status_code=303
    )


@router.get("/sessions/{topic_id}/notes/history", name="session_notes_history")
def session_notes_history(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """Every saved version of a session's notes, newest first, with who saved it."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    view = notes.notes_view(session, event=event, topic=topic, with_history=True)
    return render(
        request,
        "attendee/notes_history.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "topic": topic,
            "notes": view,
            "can_write": notes.can_write(event),
        },
    )


@router.post("/sessions/{topic_id}/notes/restore", name="session_notes_restore", dependencies=[CsrfChecked])
def session_notes_restore(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, attendee: AttendeeDep, form: FormDep
) -> Response:
    """Bring back an earlier version (saved as the newest one, so nothing is lost)."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    notes.restore_revision(
        session,
        event=event,
        topic=topic,
        author=attendee,
        number=forms.whole_number(forms.text(form, "revision"), field_name="revision"),
        base_revision=forms.whole_number(forms.text(form, "base_revision"), field_name="base_revision"),
    )
    return RedirectResponse(
        str(request.url_for("session_notes", code=event.code, topic_id=topic_id)) + "#notes", status_code=303
    )


@router.post("/sessions/{topic_id}/resources", name="resource_create", dependencies=[CsrfChecked])
def resource_create(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: AttendeeDep,
    organizer: CurrentOrganizer,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Share a link in a session."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    try:
        notes.add_resource(
            session, event=event, topic=topic, by=attendee, url=forms.text(form, "url"), line=forms.text(form, "line")
        )
    except DomainError as error:
        return _notes_page(
            request,
            session,
            event,
            topic,
            attendee,
            organizer is not None,
            csrf,
            error=error,
            resource_form={"url": forms.text(form, "url"), "line": forms.text(form, "line")},
            status_code=error.status_code,
        )
    return RedirectResponse(
        str(request.url_for("session_notes", code=event.code, topic_id=topic_id)) + "#resources", status_code=303
    )


@router.post("/resources/{resource_id}/remove", name="resource_remove", dependencies=[CsrfChecked])
def resource_remove(
    request: Request,
    session: SessionDep,
    event: EventDep,
    resource_id: RowId,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
) -> Response:
    """Take a shared link down (whoever shared it, or an organizer)."""
    if attendee is None and organizer is None:
        raise NotAuthenticated("Join the event first: open its link or type its code on the home page.")
    resource = notes.remove_resource(
        session, event=event, resource_id=resource_id, by=attendee, organizer=organizer is not None
    )
    return RedirectResponse(
        str(request.url_for("session_notes", code=event.code, topic_id=resource.topic_id)) + "#resources",
        status_code=303,
    )


# Feedback ------------------------------------------------------------------------------------------------


def _feedback_page(
    request: Request,
    session: SessionDep,
    event: Event,
    attendee: Attendee | None,
    csrf: str,
    topic: Topic | None,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    if topic is None:
        answer = feedback.get_event_feedback(session, attendee=attendee)
        place = None
    else:
        answer = feedback.get_session_feedback(session, topic=topic, attendee=attendee)
        place = guide.session_place(session, event=event, topic=topic)
    values = (
        form
        if form is not None
        else {"rating": str(answer.rating) if answer else "", "will_try": answer.will_try if answer else ""}
    )
    return render(
        request,
        "attendee/feedback.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "topic": topic,
            "place": place,
            "answer": answer,
            "values": values,
            "error": error,
            "saved": saved,
            "can_give": feedback.can_give(event),
            "ratings": feedback.RATINGS,
        },
        status_code=status_code,
    )


@router.get("/sessions/{topic_id}/feedback", name="session_feedback")
def session_feedback(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The feedback form for one session (showing the attendee's answer, to edit)."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    return _feedback_page(
        request, session, event, attendee, csrf, topic, saved=request.query_params.get("saved") == "1"
    )


@router.post("/sessions/{topic_id}/feedback", name="session_feedback_save", dependencies=[CsrfChecked])
def session_feedback_save(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: AttendeeDep,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Save (or change) the attendee's feedback on a session."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    try:
        feedback.give_session_feedback(
            session,
            event=event,
            topic=topic,
            attendee=attendee,
            rating=forms.text(form, "rating"),
            will_try=forms.text(form, "will_try"),
        )
    except DomainError as error:
        values = {"rating": forms.text(form, "rating"), "will_try": forms.text(form, "will_try")}
        return _feedback_page(
            request, session, event, attendee, csrf, topic, error=error, form=values, status_code=error.status_code
        )
    return RedirectResponse(
        request.url_for("session_feedback", code=event.code, topic_id=topic_id).include_query_params(saved=1),
        status_code=303,
    )


@router.get("/feedback", name="event_feedback")
def event_feedback(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The feedback form for the whole day."""
    return _feedback_page(request, session, event, attendee, csrf, None, saved=request.query_params.get("saved") == "1")


@router.post("/feedback", name="event_feedback_save", dependencies=[CsrfChecked])
def event_feedback_save(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Save (or change) the attendee's feedback on the day."""
    try:
        feedback.give_event_feedback(
            session,
            event=event,
            attendee=attendee,
            rating=forms.text(form, "rating"),
            will_try=forms.text(form, "will_try"),
        )
    except DomainError as error:
        values = {"rating": forms.text(form, "rating"), "will_try": forms.text(form, "will_try")}
        return _feedback_page(
            request, session, event, attendee, csrf, None, error=error, form=values, status_code=error.status_code
        )
    return RedirectResponse(
        request.url_for("event_feedback", code=event.code).include_query_params(saved=1), status_code=303
    )


@router.get("/organize/feedback", name="feedback_results")
def feedback_results(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Feedback results for the organizers, with a bar chart of ratings per session."""
    return render(
        request,
        "organizer/feedback.html",
        {"event": event, "csrf": csrf, "results": feedback.results(session, event=event), "ratings": feedback.RATINGS},
    )


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
        attendee_id = signer.read_calendar(key, event_id=event.id)  # type: ignore[arg-type]
        attendee = (
            attendees.get_attendee(session, event=event, attendee_id=attendee_id) if attendee_id is not None else None
        )
    if attendee is None:
        raise NotAuthenticated(
            "This calendar link is not valid for this event. Open 'Calendar' on your phone page to get your own link."
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
        key = signer.calendar_token(event_id=event.id, attendee_id=attendee.id)  # type: ignore[arg-type]
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
    """The published board on paper: one page per slot."""
    return render(request, "print/board.html", {"event": event, "grid": timetable.grid(session, event=event)})


@router.get("/print/poster", name="print_poster")
def print_poster(request: Request, event: EventDep) -> Response:
    """The join poster: a big QR code, the join code and the address typed out, on one page."""
    link = join_url(request, event.code)
    return render(
        request, "print/poster.html", {"event": event, "join_link": link, "address": link.split("://", 1)[-1]}
    )


@router.get("/print/doors", name="print_doors")
def print_doors(request: Request, session: SessionDep, event: EventDep) -> Response:
    """Door signs: one page per room, with QR codes to the door view and each session's notes."""
    signs = guide.door_signs(session, event=event)
    qr: dict[str, Markup] = {}
    for sign in signs:
        door_url = public_url(request, "door_page", code=event.code, room_id=sign.room.id)
        qr[door_url] = qr_svg(door_url, scale=5)
        for cell in sign.sessions:
            notes_url = public_url(request, "session_notes", code=event.code, topic_id=cell.topic.id)
            qr[notes_url] = qr_svg(notes_url, scale=3)
    return render(request, "print/doors.html", {"event": event, "signs": signs, "qr": qr})
