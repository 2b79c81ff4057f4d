"""A session's shared notes (one text, every version kept) and the links people share in it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import (
    AttendeeDep,
    CsrfChecked,
    CsrfToken,
    CurrentAttendee,
    CurrentOrganizer,
    EventDep,
    FormDep,
    RowId,
    SessionDep,
)
from app.domain import feedback, guide, notes, topics
from app.domain.errors import DomainError, NotAuthenticated
from app.i18n import _
from app.models import Attendee, Event, Topic
from app.routes import forms
from app.templating import is_htmx, render

router = APIRouter(prefix="/e/{code}")


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
    text = forms.kept(form).get("text", "")
    try:
        typed = forms.NoteForm.parse(form)
        notes.save_note(
            session, event=event, topic=topic, author=attendee, text=typed.text, base_revision=typed.base_revision or 0
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
    typed = forms.RestoreRevisionForm.parse(form)
    notes.restore_revision(
        session, event=event, topic=topic, author=attendee, number=typed.revision, base_revision=typed.base_revision
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
        typed = forms.ResourceForm.parse(form)
        notes.add_resource(session, event=event, topic=topic, by=attendee, url=typed.url, line=typed.line)
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
            resource_form=forms.kept(form),
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
        raise NotAuthenticated(_("Join the event first: open its link or type its code on the home page."))
    resource = notes.remove_resource(
        session, event=event, resource_id=resource_id, by=attendee, organizer=organizer is not None
    )
    return RedirectResponse(
        str(request.url_for("session_notes", code=event.code, topic_id=resource.topic_id)) + "#resources",
        status_code=303,
    )


# Feedback ------------------------------------------------------------------------------------------------
