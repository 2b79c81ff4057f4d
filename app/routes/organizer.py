"""The organizer's console: sign in, share the links, phases and marking rules."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.deps import (
    PasswordsDep,
    ThrottleDep,
    client_address,
    limit_sign_in,
    CsrfChecked,
    CsrfToken,
    CurrentOrganizer,
    EventDep,
    FormDep,
    OrganizerDep,
    SessionDep,
    SettingsDep,
    SignerDep,
)
from app.domain import attendees, audit, events, moderation, organizers, topics
from app.domain.errors import DomainError, TooBusy
from app.models import Event, Organizer, Phase
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
             status_code: int = 200, notice: str | None = None, organizer: Organizer | None = None,
             new_co_organizer: tuple[str, str] | None = None, paper_form: dict[str, str] | None = None) -> Response:
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
        "me": organizer,
        "organizers": organizers.list_organizers(session, event=event),
        "new_co_organizer": new_co_organizer,
        "duplicates": moderation.likely_duplicates(session, event=event),
        "off_wall": moderation.hidden_topics(session, event=event),
        "attendees": attendees.list_attendees(session, event=event),
        "audit": audit.entries(session, event=event, limit=100),
        "paper_form": paper_form or {},
    }
    return render(request, "organizer/console.html", context, status_code=status_code)


@router.get("", name="organize")
def organize(request: Request, session: SessionDep, event: EventDep, organizer: CurrentOrganizer,
             signer: SignerDep, settings: SettingsDep, csrf: CsrfToken, throttle: ThrottleDep) -> Response:
    """The console; the secret link signs in and then drops the secret from the address bar."""
    key = request.query_params.get("key")
    if key is not None:
        try:
            limit_sign_in(request, throttle, settings, event, link=True)
            organizer = events.organizer_by_secret(session, event=event, secret=key)
        except DomainError as error:
            return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": error},
                          status_code=error.status_code)
        response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
        set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
        return response
    if organizer is None:
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": None})
    return _console(request, session, event, csrf, organizer=organizer, notice=request.query_params.get("done"))


@router.post("/login", name="organizer_login", dependencies=[CsrfChecked])
def organizer_login(request: Request, session: SessionDep, event: EventDep, signer: SignerDep,
                    settings: SettingsDep, csrf: CsrfToken, form: FormDep, throttle: ThrottleDep,
                    passwords: PasswordsDep) -> Response:
    """Sign in with the event's organizer password (attempts limited per address and per event)."""
    try:
        limit_sign_in(request, throttle, settings, event, link=False)
        organizer = events.organizer_by_password(session, event=event, password=forms.text(form, "password"),
                                                 passwords=passwords, source=client_address(request))
    except DomainError as error:
        response = render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": error},
                          status_code=error.status_code)
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
def event_phase(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                csrf: CsrfToken, form: FormDep) -> Response:
    """Move the event to another phase."""
    try:
        events.set_phase(session, event=event, phase=forms.text(form, "phase"), actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)


@router.post("/settings", name="event_settings", dependencies=[CsrfChecked])
def event_settings(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                   csrf: CsrfToken, form: FormDep) -> Response:
    """The marking rules: vote budget, hidden counts, shuffled order."""
    try:
        raw_budget = forms.text(form, "vote_budget").strip()
        budget = forms.whole_number(raw_budget, field_name="vote_budget") if raw_budget else None
        raw_limit = forms.text(form, "facilitator_limit").strip()
        events.update_settings(session, event=event, vote_budget=budget,
                               hide_counts=forms.checkbox(form, "hide_counts"),
                               shuffle_topics=forms.checkbox(form, "shuffle_topics"),
                               facilitator_limit=forms.whole_number(raw_limit, field_name="facilitator_limit")
                               if raw_limit else None,
                               actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)


@router.post("/password", name="organizer_password", dependencies=[CsrfChecked])
def organizer_password(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                       csrf: CsrfToken, form: FormDep, passwords: PasswordsDep) -> Response:
    """Set or change the password this organizer signs in with."""
    try:
        events.set_organizer_password(session, organizer=organizer, password=forms.text(form, "password"),
                                      passwords=passwords)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return _console(request, session, event, csrf, notice="Password saved.", organizer=organizer)


@router.post("/link", name="organizer_link", dependencies=[CsrfChecked])
def organizer_link_rotate(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                          settings: SettingsDep, signer: SignerDep) -> Response:
    """Make a new organizer link; the old one stops working, with every sign-in made from it."""
    secret = events.rotate_organizer_secret(session, event=event, actor=organizer)
    response = RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    set_new_link_cookie(response, settings=settings, event=event, secret=secret)
    # The one who asked stays signed in here (their token version may just have changed).
    set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=organizer)
    return response


@router.post("/announcement", name="event_announcement", dependencies=[CsrfChecked])
def event_announcement(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                       csrf: CsrfToken, form: FormDep) -> Response:
    """Set or clear the line across the bottom of the board."""
    try:
        events.set_announcement(session, event=event, text=forms.text(form, "announcement"), actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)


def _back(request: Request, event: EventDep, done: str, anchor: str = "") -> Response:
    """Post/redirect/get back to the console, with a line saying what happened."""
    url = request.url_for("organize", code=event.code).include_query_params(done=done)
    return RedirectResponse(f"{url}{anchor}", status_code=303)


def _act(request: Request, session: SessionDep, event: Event, organizer: Organizer, csrf: str, form: FormData,
         action: Callable[[FormData], str], anchor: str) -> Response:
    """Run one console form: the action returns the line to show; a refusal shows the console with it."""
    try:
        done = action(form)
    except DomainError as error:
        session.rollback()  # nothing half-done is shown with the refusal, or kept
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return _back(request, event, done, anchor)


def _topic_id(form: object, name: str = "topic_id") -> int:
    return forms.whole_number(forms.text(form, name), field_name=name)  # type: ignore[arg-type]


@router.post("/topics/hide", name="topic_hide", dependencies=[CsrfChecked])
def topic_hide(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
               csrf: CsrfToken, form: FormDep) -> Response:
    """Take a topic off the wall, with a reason its author sees."""
    def action(form: FormData) -> str:
        topic = moderation.hide_topic(session, event=event, topic_id=_topic_id(form),
                                      reason=forms.text(form, "reason"), actor=organizer)
        return f"Hid “{topic.title}”."
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/topics/edit", name="topic_moderate_edit", dependencies=[CsrfChecked])
def topic_moderate_edit(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                        csrf: CsrfToken, form: FormDep) -> Response:
    """Tidy a topic's title, description or tags (any phase)."""
    def action(form: FormData) -> str:
        topic = moderation.edit_topic(session, event=event, topic_id=_topic_id(form), title=forms.text(form, "title"),
                                      description=forms.text(form, "description"), tags=forms.text(form, "tags"),
                                      actor=organizer)
        return f"Saved “{topic.title}”."
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/topics/restore", name="topic_restore", dependencies=[CsrfChecked])
def topic_restore(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                  csrf: CsrfToken, form: FormDep) -> Response:
    """Put a hidden or withdrawn topic back on the wall."""
    def action(form: FormData) -> str:
        topic = moderation.restore_topic(session, event=event, topic_id=_topic_id(form), actor=organizer)
        return f"“{topic.title}” is back on the wall."
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/topics/merge", name="topic_merge", dependencies=[CsrfChecked])
def topic_merge(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                csrf: CsrfToken, form: FormDep) -> Response:
    """Merge a duplicate into the topic that stays; marks are united."""
    def action(form: FormData) -> str:
        keep = moderation.merge_topics(session, event=event, keep_id=_topic_id(form, "keep_id"),
                                       merge_id=_topic_id(form, "merge_id"), actor=organizer)
        return f"Merged into “{keep.title}”."
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/topics/paper", name="topic_paper", dependencies=[CsrfChecked])
def topic_paper(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                csrf: CsrfToken, form: FormDep) -> Response:
    """Type in a card from the paper wall with its hand-counted marks."""
    try:
        topic = moderation.add_paper_topic(session, event=event, title=forms.text(form, "title"),
                                           paper_marks=forms.text(form, "paper_marks"),
                                           tags=forms.text(form, "tags"), actor=organizer)
    except DomainError as error:
        typed = {key: forms.text(form, key) for key in ("title", "paper_marks", "tags")}
        return _console(request, session, event, csrf, error=error, status_code=error.status_code,
                        organizer=organizer, paper_form=typed)
    return _back(request, event, f"Added “{topic.title}” with {topic.paper_marks} paper marks.", "#paper")


@router.post("/topics/paper-marks", name="topic_paper_marks", dependencies=[CsrfChecked])
def topic_paper_marks(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                      csrf: CsrfToken, form: FormDep) -> Response:
    """Correct a topic's hand-counted paper marks."""
    def action(form: FormData) -> str:
        topic = moderation.set_paper_marks(session, event=event, topic_id=_topic_id(form),
                                           paper_marks=forms.text(form, "paper_marks"), actor=organizer)
        return f"“{topic.title}” has {topic.paper_marks} paper marks."
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/topics/facilitators", name="topic_facilitators", dependencies=[CsrfChecked])
def topic_facilitators(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                       csrf: CsrfToken, form: FormDep) -> Response:
    """Assign (action=assign) or remove (action=remove) a facilitator."""
    def action(form: FormData) -> str:
        topic_id, attendee_id = _topic_id(form), _topic_id(form, "attendee_id")
        if forms.text(form, "action") == "remove":
            moderation.remove_facilitator(session, event=event, topic_id=topic_id, attendee_id=attendee_id,
                                          actor=organizer)
            done = "Facilitator removed."
        else:
            moderation.assign_facilitator(session, event=event, topic_id=topic_id, attendee_id=attendee_id,
                                          actor=organizer)
            done = "Facilitator assigned."
        return done
    return _act(request, session, event, organizer, csrf, form, action, "#moderation")


@router.post("/organizers", name="organizer_invite", dependencies=[CsrfChecked])
def organizer_invite(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                     csrf: CsrfToken, form: FormDep) -> Response:
    """Add a co-organizer; their private link is shown once."""
    try:
        invited, secret = organizers.invite(session, event=event, name=forms.text(form, "name"), actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    link = str(request.url_for("organize", code=event.code).include_query_params(key=secret))
    return _console(request, session, event, csrf, organizer=organizer, new_co_organizer=(invited.name, link),
                    notice=f"{invited.name} can now run the event with their own link (below).")


@router.post("/organizers/remove", name="organizer_remove", dependencies=[CsrfChecked])
def organizer_remove(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                     csrf: CsrfToken, form: FormDep) -> Response:
    """Take a co-organizer's access away."""
    def action(form: FormData) -> str:
        removed = organizers.remove(session, event=event, organizer_id=_topic_id(form, "organizer_id"),
                                    actor=organizer)
        return f"{removed.name} no longer has access."
    return _act(request, session, event, organizer, csrf, form, action, "#organizers")


@router.post("/name", name="organizer_rename", dependencies=[CsrfChecked])
def organizer_rename(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep,
                     csrf: CsrfToken, form: FormDep) -> Response:
    """The name the audit log shows for this organizer."""
    def action(form: FormData) -> str:
        organizers.rename(session, event=event, organizer=organizer, name=forms.text(form, "name"))
        return "Name saved."
    return _act(request, session, event, organizer, csrf, form, action, "#organizers")
