"""The organizer's console: sign in, share the links, phases and marking rules."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import URL, FormData

from app.deps import (
    CsrfChecked,
    CsrfToken,
    CurrentOrganizer,
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
from app.domain import attendees, audit, console, events, moderation, organizers, topics
from app.domain.errors import DomainError, TooBusy, plain_messages
from app.models import Event, Organizer, Phase
from app.routes import forms
from app.routes.attendee import join_url
from app.routes.cookies import (
    clear_new_link_cookie,
    clear_organizer_cookie,
    new_link_cookie_name,
    set_new_link_cookie,
    set_organizer_cookie,
)
from app.templating import public_url, render

router = APIRouter(prefix="/e/{code}/organize")


SECTIONS = ("overview", "topics", "people", "settings", "log")


def _organizer_link(request: Request, event: Event) -> str | None:
    """The organizer link made a moment ago (its secret rides in a short-lived cookie), else None."""
    secret = request.cookies.get(new_link_cookie_name(event.code))
    return (
        str(URL(public_url(request, "organize", code=event.code)).include_query_params(key=secret)) if secret else None
    )


def _console(
    request: Request,
    session: SessionDep,
    event: EventDep,
    csrf: str,
    *,
    error: DomainError | None = None,
    status_code: int = 200,
    notice: str | None = None,
    organizer: Organizer | None = None,
    new_co_organizer: tuple[str, str] | None = None,
    paper_form: dict[str, str] | None = None,
    section: str = "overview",
    open_form: str = "",
    confirm_close: bool = False,
    typed: FormData | None = None,
) -> Response:
    """The console page; ``section`` is the part shown first (a refusal shows the form it refuses)."""
    organizer_link = _organizer_link(request, event)
    wall = topics.wall(session, event=event, viewer=None, sort="wanted", organizer=True)
    duplicates = moderation.likely_duplicates(session, event=event)
    off_wall = moderation.hidden_topics(session, event=event)
    undo = request.query_params.get("undo", "")
    context = {
        "event": event,
        "csrf": csrf,
        "rooms": events.list_rooms(session, event),
        "slots": events.list_slots(session, event),
        "wall": wall,
        "join_link": join_url(request, event.code),
        "organizer_link": organizer_link,
        "phases": list(Phase),
        "view": console.console_view(
            session,
            event=event,
            link_pending=organizer_link is not None,
            topics=len(wall.topics),
            duplicates=len(duplicates),
            leaderless=sum(1 for v in wall.topics if v.needs_facilitator),
        ),
        "error": error,
        "problems": plain_messages(error),
        "notice": notice,
        "section": section if section in SECTIONS else "overview",
        "open_form": open_form,
        "confirm_close": confirm_close,
        "undo_merge": next((t for t in off_wall if str(t.id) == undo and t.merge_undo), None),
        "me": organizer,
        "organizers": organizers.list_organizers(session, event=event),
        "new_co_organizer": new_co_organizer,
        "duplicates": duplicates,
        "off_wall": off_wall,
        "attendees": attendees.list_attendees(session, event=event),
        "audit": audit.entries(session, event=event, limit=100),
        "paper_form": paper_form or {},
        # What a refused form held, so the person's input is still there beside the message.
        "typed": {key: value for key, value in (typed or {}).items() if isinstance(value, str) and key != "csrf_token"},
    }
    return render(request, "organizer/console.html", context, status_code=status_code)


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
    return _console(request, session, event, csrf, organizer=organizer, notice=request.query_params.get("done"))


@router.get("/start", name="organizer_saved_link")
def organizer_saved_link(request: Request, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken) -> Response:
    """Right after the event is made (or a new link): the organizer link, once, with a copy button."""
    link = _organizer_link(request, event)
    if link is None:
        return RedirectResponse(request.url_for("organize", code=event.code), status_code=303)
    return render(
        request,
        "organizer/saved_link.html",
        {"event": event, "csrf": csrf, "organizer_link": link, "has_password": organizer.password_hash is not None},
    )


@router.post("/start", name="organizer_link_saved", dependencies=[CsrfChecked])
def organizer_link_saved(request: Request, event: EventDep, organizer: OrganizerDep) -> Response:
    """ "I've saved it": the link is not shown again; on to the console and its next steps."""
    response = _back(request, event, "Your organizer link is saved. Next steps are below.")
    clear_new_link_cookie(response, event=event)
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
            password=forms.text(form, "password"),
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
def event_phase(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Move the event to another phase; closing asks first (and can be undone with reopen)."""
    phase = forms.text(form, "phase")
    if phase == Phase.closed.value and event.phase != Phase.closed and forms.text(form, "confirm") != "yes":
        return _console(request, session, event, csrf, organizer=organizer, confirm_close=True)
    try:
        events.set_phase(session, event=event, phase=phase, actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    if event.phase == Phase.closed:
        return _back(request, event, "The event is closed: nothing new can be proposed or marked.")
    return _back(request, event, f"The event is now in “{event.phase.label}”.")


@router.post("/reopen", name="event_reopen", dependencies=[CsrfChecked])
def event_reopen(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Undo closing: back to the phase the event was closed from."""
    try:
        events.reopen_event(session, event=event, actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer)
    return _back(request, event, f"Reopened: the event is in “{event.phase.label}” again.")


@router.post("/settings", name="event_settings", dependencies=[CsrfChecked])
def event_settings(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """The marking rules: vote budget, hidden counts, shuffled order."""
    try:
        numbers = forms.optional_numbers(form, "vote_budget", "facilitator_limit", "min_interest")
        events.update_settings(
            session,
            event=event,
            vote_budget=numbers["vote_budget"],
            hide_counts=forms.checkbox(form, "hide_counts"),
            shuffle_topics=forms.checkbox(form, "shuffle_topics"),
            facilitator_limit=numbers["facilitator_limit"],
            min_interest=numbers["min_interest"],
            actor=organizer,
        )
    except DomainError as error:
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            section="settings",
            typed=form,
        )
    return _back(request, event, "Marking rules saved.", "#settings")


@router.post("/password", name="organizer_password", dependencies=[CsrfChecked])
def organizer_password(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    csrf: CsrfToken,
    form: FormDep,
    passwords: PasswordsDep,
) -> Response:
    """Set or change the password this organizer signs in with."""
    try:
        organizers.set_organizer_password(
            session, organizer=organizer, password=forms.text(form, "password"), passwords=passwords
        )
    except DomainError as error:
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            section="people",
        )
    return _console(request, session, event, csrf, notice="Password saved.", organizer=organizer, section="people")


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
def event_announcement(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Set or clear the line across the bottom of the board."""
    try:
        events.set_announcement(session, event=event, text=forms.text(form, "announcement"), actor=organizer)
    except DomainError as error:
        return _console(
            request, session, event, csrf, error=error, status_code=error.status_code, organizer=organizer, typed=form
        )
    return _back(
        request, event, "The announcement is on the board." if event.announcement else "The announcement is cleared."
    )


@router.post("/board-theme", name="event_board_theme", dependencies=[CsrfChecked])
def event_board_theme(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Dark or light colours on the projector board."""
    try:
        events.set_board_theme(session, event=event, theme=forms.text(form, "board_theme"), actor=organizer)
    except DomainError as error:  # the board's colours sit in the overview, beside its announcement
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            section="overview",
        )
    done = "The board is light now." if event.board_theme == "light" else "The board is dark now."
    return _back(request, event, done, "#board-look-heading")


def _back(request: Request, event: EventDep, done: str, anchor: str = "", **params: str) -> Response:
    """Post/redirect/get back to the console, with a line saying what happened."""
    url = request.url_for("organize", code=event.code).include_query_params(done=done, **params)
    return RedirectResponse(f"{url}{anchor}", status_code=303)


def _act(
    request: Request,
    session: SessionDep,
    event: Event,
    organizer: Organizer,
    csrf: str,
    form: FormData,
    action: Callable[[FormData], str | tuple[str, dict[str, str]]],
    anchor: str,
    open_form: str = "",
) -> Response:
    """Run one console form: the action returns the line to show (and any query for the page, such
    as what can be undone); a refusal shows the console at the same section, the form still open."""
    try:
        done = action(form)
    except DomainError as error:
        session.rollback()  # nothing half-done is shown with the refusal, or kept
        opened = f"{open_form}-{forms.text(form, 'topic_id')}" if open_form else ""
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            section=anchor.lstrip("#"),
            open_form=opened,
        )
    line, params = done if isinstance(done, tuple) else (done, {})
    return _back(request, event, line, anchor, **params)


def _topic_id(form: object, name: str = "topic_id") -> int:
    return forms.whole_number(forms.text(form, name), field_name=name)  # type: ignore[arg-type]


@router.post("/topics/hide", name="topic_hide", dependencies=[CsrfChecked])
def topic_hide(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Take a topic off the wall, with a reason its author sees."""

    def action(form: FormData) -> str:
        topic = moderation.hide_topic(
            session, event=event, topic_id=_topic_id(form), reason=forms.text(form, "reason"), actor=organizer
        )
        return f"Hid “{topic.title}”."

    return _act(request, session, event, organizer, csrf, form, action, "#topics", open_form="hide")


@router.post("/topics/edit", name="topic_moderate_edit", dependencies=[CsrfChecked])
def topic_moderate_edit(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Tidy a topic's title, description or tags (any phase)."""

    def action(form: FormData) -> str:
        topic = moderation.edit_topic(
            session,
            event=event,
            topic_id=_topic_id(form),
            title=forms.text(form, "title"),
            description=forms.text(form, "description"),
            tags=forms.text(form, "tags"),
            actor=organizer,
        )
        return f"Saved “{topic.title}”."

    return _act(request, session, event, organizer, csrf, form, action, "#topics", open_form="edit")


@router.post("/topics/restore", name="topic_restore", dependencies=[CsrfChecked])
def topic_restore(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Put a hidden or withdrawn topic back on the wall."""

    def action(form: FormData) -> str:
        topic = moderation.restore_topic(session, event=event, topic_id=_topic_id(form), actor=organizer)
        return f"“{topic.title}” is back on the wall."

    return _act(request, session, event, organizer, csrf, form, action, "#topics")


@router.post("/topics/merge", name="topic_merge", dependencies=[CsrfChecked])
def topic_merge(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Merge a duplicate into the topic that stays; marks are united. A likely pair sends both ids
    (topic_a, topic_b) and the organizer's choice of the title that stays (keep_id)."""

    def action(form: FormData) -> tuple[str, dict[str, str]]:
        keep_id = _topic_id(form, "keep_id")
        if forms.text(form, "topic_a"):
            pair = (_topic_id(form, "topic_a"), _topic_id(form, "topic_b"))
            merge_id = pair[1] if keep_id == pair[0] else pair[0]
        else:
            merge_id = _topic_id(form, "merge_id")
        keep = moderation.merge_topics(session, event=event, keep_id=keep_id, merge_id=merge_id, actor=organizer)
        return f"Merged into “{keep.title}”.", {"undo": str(merge_id)}

    return _act(request, session, event, organizer, csrf, form, action, "#topics")


@router.post("/topics/unmerge", name="topic_unmerge", dependencies=[CsrfChecked])
def topic_unmerge(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Undo a merge: both topics are on the wall again with their own marks."""

    def action(form: FormData) -> str:
        back, into = moderation.unmerge_topic(session, event=event, topic_id=_topic_id(form), actor=organizer)
        return f"Undone: “{back.title}” and “{into.title}” are both on the wall again, with their own marks."

    return _act(request, session, event, organizer, csrf, form, action, "#topics")


@router.post("/topics/paper", name="topic_paper", dependencies=[CsrfChecked])
def topic_paper(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Type in a card from the paper wall with its hand-counted marks."""
    try:
        topic = moderation.add_paper_topic(
            session,
            event=event,
            title=forms.text(form, "title"),
            paper_marks=forms.text(form, "paper_marks"),
            tags=forms.text(form, "tags"),
            actor=organizer,
        )
    except DomainError as error:
        typed = {key: forms.text(form, key) for key in ("title", "paper_marks", "tags")}
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            paper_form=typed,
            section="topics",
        )
    return _back(
        request, event, f"Added “{topic.title}” with {topic.paper_marks} paper marks.", "#topics", paper="next"
    )


@router.post("/topics/paper-marks", name="topic_paper_marks", dependencies=[CsrfChecked])
def topic_paper_marks(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Correct a topic's hand-counted paper marks."""

    def action(form: FormData) -> str:
        topic = moderation.set_paper_marks(
            session, event=event, topic_id=_topic_id(form), paper_marks=forms.text(form, "paper_marks"), actor=organizer
        )
        return f"“{topic.title}” has {topic.paper_marks} paper marks."

    return _act(request, session, event, organizer, csrf, form, action, "#topics", open_form="paper")


@router.post("/topics/facilitators", name="topic_facilitators", dependencies=[CsrfChecked])
def topic_facilitators(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Assign (action=assign) or remove (action=remove) a facilitator."""

    def action(form: FormData) -> str:
        topic_id, attendee_id = _topic_id(form), _topic_id(form, "attendee_id")
        if forms.text(form, "action") == "remove":
            moderation.remove_facilitator(
                session, event=event, topic_id=topic_id, attendee_id=attendee_id, actor=organizer
            )
            done = "Facilitator removed."
        else:
            moderation.assign_facilitator(
                session, event=event, topic_id=topic_id, attendee_id=attendee_id, actor=organizer
            )
            done = "Facilitator assigned."
        return done

    return _act(request, session, event, organizer, csrf, form, action, "#people")


@router.post("/organizers", name="organizer_invite", dependencies=[CsrfChecked])
def organizer_invite(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Add a co-organizer; their private link is shown once."""
    try:
        invited, secret = organizers.invite(session, event=event, name=forms.text(form, "name"), actor=organizer)
    except DomainError as error:
        return _console(
            request,
            session,
            event,
            csrf,
            error=error,
            status_code=error.status_code,
            organizer=organizer,
            section="people",
            typed=form,
        )
    link = str(URL(public_url(request, "organize", code=event.code)).include_query_params(key=secret))
    return _console(
        request,
        session,
        event,
        csrf,
        organizer=organizer,
        new_co_organizer=(invited.name, link),
        notice=f"{invited.name} can now run the event with their own link (below).",
        section="people",
    )


@router.post("/organizers/remove", name="organizer_remove", dependencies=[CsrfChecked])
def organizer_remove(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Take a co-organizer's access away."""

    def action(form: FormData) -> str:
        removed = organizers.remove(session, event=event, organizer_id=_topic_id(form, "organizer_id"), actor=organizer)
        return f"{removed.name} no longer has access."

    return _act(request, session, event, organizer, csrf, form, action, "#people")


@router.post("/name", name="organizer_rename", dependencies=[CsrfChecked])
def organizer_rename(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """The name the audit log shows for this organizer."""

    def action(form: FormData) -> str:
        organizers.rename(session, event=event, organizer=organizer, name=forms.text(form, "name"))
        return "Name saved."

    return _act(request, session, event, organizer, csrf, form, action, "#people")
