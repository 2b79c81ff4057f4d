"""Named dependencies; route signatures use only these."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app import i18n
from app.domain import attendees, events, organizers
from app.domain.errors import ID_MAX, NotAllowed, NotAuthenticated
from app.domain.passwords import PasswordChecker
from app.i18n import _, _l
from app.models import Attendee, Event, Organizer
from app.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    Signer,
    attendee_cookie_name,
    csrf_matches,
    new_csrf_token,
    organizer_cookie_name,
)
from app.settings import Settings
from app.throttle import Throttle

# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in a worker
# thread, and each such hop costs more than the work itself (a mark POST made seven of them).


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; objects stay readable after commit for the template.

    Making a Session touches nothing. Closing one that still holds a connection rolls back, which
    is I/O: done in a worker thread, except on SQLite, where it is a local call of microseconds.
    """
    engine = request.app.state.engine
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction() and engine.dialect.name != "sqlite":
            await run_in_threadpool(session.close)
        else:
            session.close()


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_signer(request: Request) -> Signer:
    return request.app.state.signer


# Closed as soon as the route has built its response, before the response is sent: a connection (and
# SQLite's write turn, see app/db.py) is never held while a slow phone receives its page.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SignerDep = Annotated[Signer, Depends(get_signer)]


async def get_throttle(request: Request) -> Throttle:
    return request.app.state.throttle


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]


def client_address(request: Request) -> str:
    """The client's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


async def limit_event_creation(request: Request, throttle: ThrottleDep, settings: SettingsDep) -> None:
    """Events one address may create in a while: each can start solver builds, so they cost CPU."""
    throttle.hit(
        settings.EVENT_CREATION_RATE,
        "create-event",
        client_address(request),
        message=_("Many events were created from this address in a short time; try again in {wait}."),
    )


EventCreationLimited = Depends(limit_event_creation)


async def get_passwords(request: Request) -> PasswordChecker:
    return request.app.state.passwords


PasswordsDep = Annotated[PasswordChecker, Depends(get_passwords)]


def limit_sign_in(request: Request, throttle: Throttle, settings: Settings, event: Event, *, link: bool) -> None:
    """Count one organizer sign-in attempt; TooBusy (429, Retry-After) past the limits.

    Passwords are limited per client address and per event; the link only per address (its
    secret cannot be guessed, and the owner must be able to use it while someone guesses)."""
    address = client_address(request)
    if link:
        throttle.hit(
            settings.LOGIN_RATE_PER_CLIENT,
            "sign-in-link",
            address,
            message=_("Too many sign-in attempts from this address; try again in {wait}."),
        )
        return
    throttle.hit(
        settings.LOGIN_RATE_PER_CLIENT,
        "sign-in",
        address,
        message=_("Too many wrong passwords from this address; try again in {wait}, or use the organizer link."),
    )
    throttle.hit(
        settings.LOGIN_RATE_PER_EVENT,
        "sign-in-event",
        event.code,
        message=_("Too many wrong passwords for this event just now; try again in {wait}, or use the organizer link."),
    )


# Every id in a path: a whole number a database integer can hold (PostgreSQL's ``integer`` ends at
# 2^31 - 1; SQLite overflows at 2^63), refused with a 422 before it reaches a query.
RowId = Annotated[int, Path(ge=1, le=ID_MAX, description="a row id", examples=[1])]


def get_event(code: str, session: SessionDep) -> Event:
    """The event named by the ``code`` path parameter, or 404; its main language is the request's
    when neither the person nor their browser chose one."""
    event = events.require_event(session, code)
    i18n.fall_back_to(event.language)
    return event


EventDep = Annotated[Event, Depends(get_event)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_current_attendee(request: Request, event: EventDep, session: SessionDep, signer: SignerDep) -> Attendee | None:
    """The attendee this device (cookie) or bearer token stands for, or None."""
    assert event.id is not None
    for token in (_bearer(request), request.cookies.get(attendee_cookie_name(event.code))):
        attendee_id = signer.read_attendee(token, event_id=event.id)
        if attendee_id is not None:
            attendee = attendees.get_attendee(session, event=event, attendee_id=attendee_id)
            if attendee is not None:
                return attendee
    return None


CurrentAttendee = Annotated[Attendee | None, Depends(get_current_attendee)]


JOIN_FIRST = _l("Join the event first: open its link or type its code on the home page.")


async def require_attendee(attendee: CurrentAttendee) -> Attendee:
    if attendee is None:
        raise NotAuthenticated(str(JOIN_FIRST))
    return attendee


def authenticated_attendee(request: Request, event: Event, session: Session, signer: Signer) -> Attendee:
    """``AttendeeDep`` as a plain call, for a route that does all its database work in one thread."""
    attendee = get_current_attendee(request, event, session, signer)
    if attendee is None:
        raise NotAuthenticated(str(JOIN_FIRST))
    return attendee


AttendeeDep = Annotated[Attendee, Depends(require_attendee)]


def get_current_organizer(
    request: Request, event: EventDep, session: SessionDep, signer: SignerDep, settings: SettingsDep
) -> Organizer | None:
    """The organizer signed in for this event (cookie or bearer token), or None.

    A token counts only while it is younger than ORGANIZER_SESSION_DAYS and carries the organizer's
    current token version: a new link, removal or signing out bumps it and so revokes every copy."""
    assert event.id is not None
    max_age = settings.ORGANIZER_SESSION_DAYS * 86400
    for token in (_bearer(request), request.cookies.get(organizer_cookie_name(event.code))):
        found = signer.read_organizer(token, event_id=event.id, max_age_s=max_age)
        if found is not None:
            organizer = organizers.get_organizer(session, event=event, organizer_id=found[0])
            if organizer is not None and organizer.token_version == found[1]:
                return organizer
    return None


CurrentOrganizer = Annotated[Organizer | None, Depends(get_current_organizer)]


async def require_organizer(organizer: CurrentOrganizer) -> Organizer:
    if organizer is None:
        raise NotAuthenticated(
            _("Only the event's organizers can do this. Sign in with the organizer link or password.")
        )
    return organizer


OrganizerDep = Annotated[Organizer, Depends(require_organizer)]


# A browser holds one organizer cookie per event it organizes; at most this many are read, so a
# request stuffed with cookies costs a bounded number of signature checks and one query.
ORGANIZER_COOKIES_READ = 50


def get_organized_events(
    request: Request, session: SessionDep, signer: SignerDep, settings: SettingsDep
) -> list[Event]:
    """The events this browser organizes: those whose organizer cookie (signed, unexpired, of the
    organizer's current token version) would open the console. Only this request's cookies count,
    so nothing of another browser's events is ever listed."""
    prefix = organizer_cookie_name("")
    max_age = settings.ORGANIZER_SESSION_DAYS * 86400
    sign_ins: list[organizers.SignIn] = []
    held = [(name, token) for name, token in request.cookies.items() if name.startswith(prefix)]
    for name, token in held[:ORGANIZER_COOKIES_READ]:
        found = signer.read_organizer_sign_in(token, max_age_s=max_age)
        if found is not None:
            sign_ins.append(organizers.SignIn(name[len(prefix) :], *found))
    return organizers.organized_events(session, sign_ins=sign_ins)


OrganizedEvents = Annotated[list[Event], Depends(get_organized_events)]


async def csrf_token(request: Request) -> str:
    """This browser's CSRF token; a new one is set as a cookie by the middleware when missing."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = new_csrf_token()
        request.state.new_csrf = token
    return token


CsrfToken = Annotated[str, Depends(csrf_token)]


async def read_form(request: Request) -> FormData:
    """The posted form (Starlette reads it once and keeps it), so form routes can be plain ``def``:
    FastAPI runs those in a worker thread, keeping their database work off the event loop."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


async def check_csrf(request: Request) -> None:
    """Refuse a form post whose token (field or htmx header) does not match this browser's cookie."""
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), sent):
        raise NotAllowed(_("This form has expired or came from another site. Reload the page and try again."))


CsrfChecked = Depends(check_csrf)
