"""The organizer's console: sign in, share the links, phases and marking rules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CsrfChecked, CsrfToken, CurrentOrganizer, EventDep, OrganizerDep, SessionDep, SettingsDep, SignerDep
from app.domain import events, topics
from app.domain.errors import DomainError
from app.models import Phase
from app.routes import forms
from app.routes.attendee import join_url
from app.routes.cookies import (
    clear_organizer_cookie,
    new_link_cookie_name,
    set_new_link_cookie,
    set_organizer_cookie,
)
from app.templating import render

router = APIRouter(prefix="/e/{code}/organize")


def _console(request: Request, session: SessionDep, event: EventDep, csrf: str, *, error: DomainError | None = None,
             status_code: int = 200, notice: str | None = None) -> Response:
    secret = request.cookies.get(new_link_cookie_name(event.code))
    organizer_link = str(request.url_for("organize", code=event.code).include_query_params(key=secret)) if secret else None
    context = {
        "event": event,
        "csrf": csrf,
        "rooms": events.list_rooms(session, event),
        "slots": events.list_slots(session, event),
        "wall": topics.wall(session, event=event, viewer=None, sort="wanted", organizer=True),
        "join_link": join_url(request, event.code),
        "organizer_link": organizer_link,
        "phases": list(Phase),
        "error": error,
        "notice": notice,
    }
    return render(request, "organizer/console.html", context, status_code=status_code)


@router.get("", name="organize")
def organize(request: Request, session: SessionDep, event: EventDep, organizer: CurrentOrganizer,
             signer: SignerDep, settings: SettingsDep, csrf: CsrfToken) -> Response:
    """The console; the secret link signs in and then drops the secret from the address bar."""
    key = request.query_params.get("key")
    if key is not None:
        try:
            organizer = events.organizer_by_secret(session, event=event, secret=key)
        except DomainError as error:
            return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": error},
                          status_code=error.status_code)
        response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
        set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
        return response
    if organizer is None:
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": None})
    return _console(request, session, event, csrf)


@router.post("/login", name="organizer_login", dependencies=[CsrfChecked])
async def organizer_login(request: Request, session: SessionDep, event: EventDep, signer: SignerDep,
                          settings: SettingsDep, csrf: CsrfToken) -> Response:
    """Sign in with the event's organizer password."""
    form = await request.form()
    try:
        organizer = events.organizer_by_password(session, event=event, password=forms.text(form, "password"))
    except DomainError as error:
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": error},
                      status_code=error.status_code)
    response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
    return response


@router.post("/logout", name="organizer_logout", dependencies=[CsrfChecked])
def organizer_logout(request: Request, event: EventDep) -> Response:
    """Sign out of this event's console on this browser."""
    response = RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    clear_organizer_cookie(response, event=event)
    return response


@router.post("/phase", name="event_phase", dependencies=[CsrfChecked])
async def event_phase(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                      csrf: CsrfToken) -> Response:
    """Move the event to another phase."""
    form = await request.form()
    try:
        events.set_phase(session, event=event, phase=forms.text(form, "phase"))
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)


@router.post("/settings", name="event_settings", dependencies=[CsrfChecked])
async def event_settings(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                         csrf: CsrfToken) -> Response:
    """The marking rules: vote budget, hidden counts, shuffled order."""
    form = await request.form()
    try:
        raw_budget = forms.text(form, "vote_budget").strip()
        budget = forms.whole_number(raw_budget, field_name="vote_budget") if raw_budget else None
        events.update_settings(session, event=event, vote_budget=budget,
                               hide_counts=forms.checkbox(form, "hide_counts"),
                               shuffle_topics=forms.checkbox(form, "shuffle_topics"))
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)


@router.post("/password", name="organizer_password", dependencies=[CsrfChecked])
async def organizer_password(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                             csrf: CsrfToken) -> Response:
    """Set or change the password this organizer signs in with."""
    form = await request.form()
    try:
        events.set_organizer_password(session, organizer=organizer, password=forms.text(form, "password"))
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code)
    return _console(request, session, event, csrf, notice="Password saved.")


@router.post("/link", name="organizer_link", dependencies=[CsrfChecked])
def organizer_link_rotate(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                          settings: SettingsDep) -> Response:
    """Make a new organizer link; the old one stops working."""
    secret = events.rotate_organizer_secret(session, event=event)
    response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    set_new_link_cookie(response, settings=settings, event=event, secret=secret)
    return response


@router.post("/announcement", name="event_announcement", dependencies=[CsrfChecked])
async def event_announcement(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                             csrf: CsrfToken) -> Response:
    """Set or clear the line across the bottom of the board."""
    form = await request.form()
    try:
        events.set_announcement(session, event=event, text=forms.text(form, "announcement"))
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
