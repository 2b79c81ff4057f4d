"""Access needs: an attendee's own private form, and the organizers' counts per session with the
interpreters they note (no page shows who asked for what)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CsrfChecked, CsrfToken, CurrentAttendee, EventDep, FormDep, OrganizerDep, RowId, SessionDep
from app.domain import access
from app.domain.errors import DomainError
from app.i18n import _
from app.models import Attendee, Event
from app.routes import forms
from app.routes.attendee import join_url
from app.templating import render

router = APIRouter(prefix="/e/{code}")


class AccessForm(forms.FormModel):
    step_free: forms.Checkbox = False
    interpretation: forms.Text = ""


class InterpretersForm(forms.FormModel):
    languages: list[forms.Text] = []


def _access_page(
    request: Request, event: Event, attendee: Attendee, csrf: str, *, saved: str = "", error: DomainError | None = None
) -> Response:
    return render(
        request,
        "attendee/access.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "languages": access.LANGUAGES,
            "saved": saved,
            "error": error,
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/my/access", name="access_needs")
def access_needs(request: Request, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken) -> Response:
    """One's own access needs: a step-free room, interpretation; only organizers see them, as counts."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    return _access_page(request, event, attendee, csrf, saved=request.query_params.get("saved", ""))


@router.post("/my/access", name="access_needs_save", dependencies=[CsrfChecked])
def access_needs_save(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken, form: FormDep
) -> Response:
    """Say, change or clear one's access needs."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    try:
        f = AccessForm.parse(form)
        access.set_access_needs(session, attendee=attendee, step_free=f.step_free, interpretation=f.interpretation)
    except DomainError as error:
        return _access_page(request, event, attendee, csrf, error=error)
    url = request.url_for("access_needs", code=event.code).include_query_params(saved="1")
    return RedirectResponse(url, status_code=303)


@router.get("/organize/access", name="access_console")
def access_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Per session, how many of its people need a step-free room or asked for interpretation."""
    return _console(request, session, event, csrf, notice=request.query_params.get("done", ""))


def _console(
    request: Request,
    session: SessionDep,
    event: Event,
    csrf: str,
    *,
    notice: str = "",
    error: DomainError | None = None,
    error_topic: int | None = None,
) -> Response:
    return render(
        request,
        "organizer/access.html",
        {
            "event": event,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "rows": access.access_overview(session, event=event),
            "languages": access.LANGUAGES,
            "notice": notice,
            "error": error,
            "error_topic": error_topic,
        },
        status_code=error.status_code if error else 200,
    )


@router.post("/organize/access/{topic_id}", name="access_interpreters", dependencies=[CsrfChecked])
def access_interpreters(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    topic_id: RowId,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Note which interpreters will be at a session (the session page, my day and its door show it)."""
    try:
        f = InterpretersForm.parse(form)
        topic = access.set_interpreters(session, event=event, topic_id=topic_id, languages=f.languages, actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, error_topic=topic_id)
    done = _("Saved the interpreters for “{title}”.").format(title=topic.title)
    url = request.url_for("access_console", code=event.code).include_query_params(done=done)
    return RedirectResponse(f"{url}#access-{topic.id}", status_code=303)
