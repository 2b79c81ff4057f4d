"""The organizer's console: sign in, share the links, phases and marking rules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.deps import (
    CsrfChecked,
    CsrfToken,
    CurrentOrganizer,
    EventCreationLimited,
    EventDep,
    FormDep,
    OrganizerDep,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    SignerDep,
    ThrottleDep,
    client_address,
    limit_sign_in,
)
from app.domain import events, languages, organizers, series
from app.domain.errors import DomainError, TooBusy, plain_messages
from app.i18n import _
from app.models import Phase
from app.routes import forms
from app.routes.cookies import clear_new_link_cookie, clear_organizer_cookie, set_new_link_cookie, set_organizer_cookie
from app.routes.organizing import Console, ConsoleDep, organizer_link, run_form, secret_link
from app.templating import render

router = APIRouter(prefix="/e/{code}/organize")


@router.get("", name="organize")
def organize(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: CurrentOrganizer,
    signer: SignerDep,
    settings: SettingsDep,
    csrf: CsrfToken,
    throttle: ThrottleDep,
) -> Response:
    """The console; the secret link signs in and then drops the secret from the address bar."""
    key = request.query_params.get("key")
    if key is not None:
        try:
            limit_sign_in(request, throttle, settings, event, link=True)
            organizer = organizers.organizer_by_secret(session, event=event, secret=key, source=client_address(request))
        except DomainError as error:
            return render(
                request,
                "organizer/login.html",
                {"event": event, "csrf": csrf, "error": error},
                status_code=error.status_code,
            )
        response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
        set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
        return response
    if organizer is None:
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": None})
    return Console(request, session, event, organizer, csrf, FormData()).page(notice=request.query_params.get("done"))


@router.get("/start", name="organizer_saved_link")
def organizer_saved_link(request: Request, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken) -> Response:
    """Right after the event is made (or a new link): the organizer link, once, with a copy button."""
    link = organizer_link(request, event)
    if link is None:
        return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    return render(
        request,
        "organizer/saved_link.html",
        {"event": event, "csrf": csrf, "organizer_link": link, "has_password": organizer.password_hash is not None},
    )


@router.post("/start", name="organizer_link_saved", dependencies=[CsrfChecked])
def organizer_link_saved(console: ConsoleDep) -> Response:
    """ "I've saved it": the link is not shown again; on to the console and its next steps."""
    response = console.back(_("Your organizer link is saved. Next steps are below."))
    clear_new_link_cookie(response, event=console.event)
    return response


@router.post("/login", name="organizer_login", dependencies=[CsrfChecked])
def organizer_login(
    request: Request,
    session: SessionDep,
    event: EventDep,
    signer: SignerDep,
    settings: SettingsDep,
    csrf: CsrfToken,
    form: FormDep,
    throttle: ThrottleDep,
    passwords: PasswordsDep,
) -> Response:
    """Sign in with the event's organizer password (attempts limited per address and per event)."""
    try:
        limit_sign_in(request, throttle, settings, event, link=False)
        organizer = organizers.organizer_by_password(
            session,
            event=event,
            password=forms.PasswordForm.parse(form).password,
            passwords=passwords,
            source=client_address(request),
        )
    except DomainError as error:
        response = render(
            request,
            "organizer/login.html",
            {"event": event, "csrf": csrf, "error": error},
            status_code=error.status_code,
        )
        if isinstance(error, TooBusy):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
    return response


@router.post("/logout", name="organizer_logout", dependencies=[CsrfChecked])
def organizer_logout(request: Request, session: SessionDep, event: EventDep, organizer: CurrentOrganizer) -> Response:
    """Sign out: this browser, and every other sign-in (browser or API token) of this organizer."""
    if organizer is not None:
        organizers.sign_out_everywhere(session, event=event, organizer=organizer)
    response = RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    clear_organizer_cookie(response, event=event)
    return response


@router.post("/phase", name="event_phase", dependencies=[CsrfChecked])
def event_phase(console: ConsoleDep) -> Response:
    """Move the event to another phase; closing asks first (and can be undone with reopen)."""
    event = console.event

    def move(form: forms.PhaseForm) -> str:
        events.set_phase(console.session, event=event, phase=form.phase, actor=console.organizer)
        if event.phase == Phase.closed:
            return _("The event is closed: nothing new can be proposed or marked.")
        return _("The event is now in “{phase}”.").format(phase=event.phase.label)

    try:
        asked = forms.PhaseForm.parse(console.form)
    except DomainError as error:
        return console.page(error=error)
    if asked.phase == Phase.closed.value and event.phase != Phase.closed and asked.confirm != "yes":
        return console.page(confirm_close=True)
    return console.run(forms.PhaseForm, move, "")


@router.post("/reopen", name="event_reopen", dependencies=[CsrfChecked])
def event_reopen(console: ConsoleDep) -> Response:
    """Undo closing: back to the phase the event was closed from."""

    def reopen(form: forms.FormModel) -> str:
        events.reopen_event(console.session, event=console.event, actor=console.organizer)
        return _("Reopened: the event is in “{phase}” again.").format(phase=console.event.phase.label)

    return console.run(forms.FormModel, reopen, "")


@router.post("/settings", name="event_settings", dependencies=[CsrfChecked])
def event_settings(console: ConsoleDep) -> Response:
    """The marking rules: marks per attendee, hidden counts, shuffled order."""

    def save(form: forms.MarkingRulesForm) -> str:
        events.update_settings(console.session, event=console.event, actor=console.organizer, **form.model_dump())
        return _("Marking rules saved.")

    return console.run(forms.MarkingRulesForm, save, "#settings", keep=True)


@router.post("/language", name="event_language", dependencies=[CsrfChecked])
def event_language(console: ConsoleDep) -> Response:
    """The event's main language, and whether its board and printed pages speak both."""

    def save(form: forms.EventLanguageForm) -> str:
        languages.set_event_language(
            console.session,
            event=console.event,
            language=form.language,
            bilingual=form.bilingual,
            actor=console.organizer,
        )
        return _("Languages saved.")

    return console.run(forms.EventLanguageForm, save, "#settings", keep=True)


@router.post("/password", name="organizer_password", dependencies=[CsrfChecked])
def organizer_password(console: ConsoleDep, passwords: PasswordsDep) -> Response:
    """Set or change the password this organizer signs in with."""
    try:
        form = forms.PasswordForm.parse(console.form)
        organizers.set_organizer_password(
            console.session, organizer=console.organizer, password=form.password, passwords=passwords
        )
    except DomainError as error:
        return console.page(error=error, section="people")
    return console.page(notice=_("Password saved."), section="people")


@router.post("/link", name="organizer_link", dependencies=[CsrfChecked])
def organizer_link_rotate(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    settings: SettingsDep,
    signer: SignerDep,
) -> Response:
    """Make a new organizer link; the old one stops working, with every sign-in made from it."""
    secret = organizers.rotate_organizer_secret(session, event=event, actor=organizer)
    response = RedirectResponse(request.url_for("organizer_saved_link", code=event.code), status_code=303)
    set_new_link_cookie(response, settings=settings, event=event, secret=secret)
    # The one who asked stays signed in here (their token version may just have changed).
    set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
    return response


@router.post("/announcement", name="event_announcement", dependencies=[CsrfChecked])
def event_announcement(console: ConsoleDep) -> Response:
    """Set or clear the line across the bottom of the board."""

    def announce(form: forms.AnnouncementForm) -> str:
        events.set_announcement(console.session, event=console.event, text=form.announcement, actor=console.organizer)
        return (
            _("The announcement is on the board.") if console.event.announcement else _("The announcement is cleared.")
        )

    return console.run(forms.AnnouncementForm, announce, "", keep=True)


@router.post("/board-theme", name="event_board_theme", dependencies=[CsrfChecked])
def event_board_theme(console: ConsoleDep) -> Response:
    """Dark or light colours on the projector board (they sit in the overview, beside its announcement)."""

    def paint(form: forms.BoardThemeForm) -> str:
        events.set_board_theme(console.session, event=console.event, theme=form.board_theme, actor=console.organizer)
        return _("The board is light now.") if console.event.board_theme == "light" else _("The board is dark now.")

    return console.run(forms.BoardThemeForm, paint, "#board-look-heading")


@router.post("/organizers", name="organizer_invite", dependencies=[CsrfChecked])
def organizer_invite(console: ConsoleDep) -> Response:
    """Add a co-organizer; their private link is shown once."""
    try:
        form = forms.NameForm.parse(console.form)
        invited, secret = organizers.invite(
            console.session, event=console.event, name=form.name, actor=console.organizer
        )
    except DomainError as error:
        return console.page(error=error, section="people", keep=True)
    return console.page(
        new_co_organizer=(invited.name, secret_link(console.request, console.event, secret)),
        notice=_("{name} can now run the event with their own link (below).").format(name=invited.name),
        section="people",
    )


@router.post("/organizers/remove", name="organizer_remove", dependencies=[CsrfChecked])
def organizer_remove(console: ConsoleDep) -> Response:
    """Take a co-organizer's access away."""

    def remove(form: forms.OrganizerIdForm) -> str:
        removed = organizers.remove(
            console.session, event=console.event, organizer_id=form.organizer_id, actor=console.organizer
        )
        return _("{name} no longer has access.").format(name=removed.name)

    return console.run(forms.OrganizerIdForm, remove, "#people")


@router.post("/name", name="organizer_rename", dependencies=[CsrfChecked])
def organizer_rename(console: ConsoleDep) -> Response:
    """The name the audit log shows for this organizer."""

    def rename(form: forms.NameForm) -> str:
        organizers.rename(console.session, event=console.event, organizer=console.organizer, name=form.name)
        return _("Name saved.")

    return console.run(forms.NameForm, rename, "#people")


@router.post("/copy", name="event_copy", dependencies=[CsrfChecked, EventCreationLimited])
def event_copy(console: ConsoleDep, signer: SignerDep, settings: SettingsDep) -> Response:
    """A new event like this one (rooms, slots, talks, marking rules) on a new date; on to its own
    console, signed in, with its organizer link shown once as for a new event."""

    def copy(form: forms.CopyEventForm) -> events.CreatedEvent:
        return series.copy_event(
            console.session, source=console.event, actor=console.organizer, date=form.date, name=form.name
        )

    def done(created: events.CreatedEvent) -> Response:
        event = created.event
        url = console.request.url_for("organizer_saved_link", code=event.code)
        response = RedirectResponse(url, status_code=303)
        set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=created.organizer)
        set_new_link_cookie(response, settings=settings, event=event, secret=created.secret)
        return response

    def refused(error: DomainError) -> Response:
        # Beside its own fields: the console's other forms have a "name" too.
        response = console.page(
            section="settings",
            copy_error=error,
            copy_problems=plain_messages(error),
            copy_typed=forms.kept(console.form),
        )
        response.status_code = error.status_code
        return response

    return run_form(console.session, console.form, forms.CopyEventForm, copy, refused=refused, done=done)
