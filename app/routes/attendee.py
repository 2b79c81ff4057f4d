"""Phone pages: join, the wall (propose, mark, lead), a topic's edit form, my day."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

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
    SettingsDep,
    SignerDep,
    authenticated_attendee,
)
from app.domain import attendance, attendees, claims, events, marking, moderation, myday, phases, timetable, topics
from app.domain.errors import DomainError
from app.models import Attendee, Event, Topic, saved_id
from app.routes import forms
from app.routes.cookies import set_attendee_cookie
from app.security import Signer
from app.templating import hx_retarget, is_htmx, public_url, render

router = APIRouter(prefix="/e/{code}")


def join_url(request: Request, code: str) -> str:
    """The join link phones are given (QR codes, posters, the board): on the base URL, always."""
    return public_url(request, "event_page", code=code)


def _wall_context(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: str, **extra: object
) -> dict[str, object]:
    sort = request.query_params.get("sort")
    tag = request.query_params.get("tag")
    language = request.query_params.get("language")
    return {
        "event": event,
        "attendee": attendee,
        "csrf": csrf,
        "wall": topics.wall(session, event=event, viewer=attendee, sort=sort, tag=tag, language=language),
        "can": {action: phases.is_allowed(event, action) for action in phases.ALLOWED},
        "now_possible": phases.NOW_POSSIBLE[event.phase],
        "propose_error": None,
        "propose_form": {},
        **extra,
    }


@router.get("", name="event_page")
def event_page(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The phone page: a join form for a new device, else the wall."""
    if attendee is None:
        return render(
            request,
            "attendee/join.html",
            {"event": event, "csrf": csrf, "error": None, "can_join": phases.is_allowed(event, "join")},
        )
    return render(request, "attendee/wall.html", _wall_context(request, session, event, attendee, csrf), block="wall")


class NextForm(forms.FormModel):
    next: forms.Text = ""


def after_join(request: Request, event: Event, form: FormDep) -> str:
    """Where a phone goes once joined: back to the page that sent it through joining (``next``, a
    path of this event only, such as a door's check-in link), else the wall."""
    try:
        wanted = NextForm.parse(form).next
    except DomainError:
        wanted = ""
    prefix = f"/e/{event.code}/"
    if wanted.startswith(prefix) and "//" not in wanted and "\\" not in wanted:
        return wanted
    return str(request.url_for("event_page", code=event.code))


@router.post("/join", name="attendee_join", dependencies=[CsrfChecked])
def attendee_join(
    request: Request,
    session: SessionDep,
    event: EventDep,
    attendee: CurrentAttendee,
    signer: SignerDep,
    settings: SettingsDep,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Join with an optional name; the device keeps a signed cookie for this event."""
    if attendee is not None:  # the same phone again: keep the same attendee, maybe renamed
        name = forms.NameForm.parse(form).name
        if name.strip():
            attendees.rename_attendee(session, attendee=attendee, name=name)
        return RedirectResponse(after_join(request, event, form), status_code=303)
    try:
        name = forms.NameForm.parse(form).name
        attendee = attendees.join_event(session, event=event, name=name, limit=settings.MAX_ATTENDEES_PER_EVENT)
    except DomainError as error:
        return render(
            request,
            "attendee/join.html",
            {
                "event": event,
                "csrf": csrf,
                "error": error,
                "can_join": phases.is_allowed(event, "join"),
                "next": after_join(request, event, form),
            },
            status_code=error.status_code,
        )
    response = RedirectResponse(after_join(request, event, form), status_code=303)
    set_attendee_cookie(response, signer=signer, settings=settings, event=event, attendee=attendee)
    return response


@router.post("/name", name="attendee_rename", dependencies=[CsrfChecked])
def attendee_rename(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, form: FormDep
) -> Response:
    """Add, change or clear the display name."""
    attendees.rename_attendee(session, attendee=attendee, name=forms.NameForm.parse(form).name)
    return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)


@router.post("/topics", name="topic_create", dependencies=[CsrfChecked])
def topic_create(
    request: Request,
    session: SessionDep,
    event: EventDep,
    attendee: AttendeeDep,
    settings: SettingsDep,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Propose a topic; errors come back on the form with what was typed kept."""
    try:
        topics.propose_topic(
            session,
            event=event,
            author=attendee,
            limit=settings.MAX_TOPICS_PER_EVENT,
            **forms.ProposeForm.parse(form).model_dump(),
        )
    except DomainError as error:
        context = _wall_context(request, session, event, attendee, csrf, propose_error=error, propose_form=form)
        return render(
            request,
            "attendee/wall.html",
            context,
            block="propose",
            status_code=error.status_code,
            headers=hx_retarget("#propose"),
        )
    if is_htmx(request):
        context = _wall_context(request, session, event, attendee, csrf, proposed=True)
        return render(request, "attendee/wall.html", context, block="wall")
    return RedirectResponse(
        request.url_for("event_page", code=event.code).include_query_params(sort="newest"), status_code=303
    )


def _card(
    request: Request,
    session: SessionDep,
    event: EventDep,
    attendee: AttendeeDep,
    topic_id: RowId,
    csrf: str,
    error: DomainError | None = None,
) -> Response:
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    view = topics.topic_view(session, event=event, viewer=attendee, topic=topic)
    # The card and the "marks left" line: the one count the line needs, not the whole wall.
    context = {
        "event": event,
        "attendee": attendee,
        "csrf": csrf,
        "view": view,
        "error": error,
        "marks_left": topics.marks_left(session, event=event, attendee=attendee),
        "can": {action: phases.is_allowed(event, action) for action in phases.ALLOWED},
    }
    return render(request, "attendee/card.html", context, status_code=error.status_code if error else 200)


def _card_action(
    request: Request,
    session: Session,
    signer: Signer,
    code: str,
    topic_id: RowId,
    csrf: str,
    form: FormData,
    act: Callable[[Event, Attendee, str, Topic], object],
) -> Response:
    """Run a tap on a topic card (its form's ``action`` says which way); htmx gets the card back,
    with the refusal on it, a plain form post goes back to the wall.

    From the event's code to the answer in one worker thread: taps are the hottest requests of the
    day, and as a plain ``def`` route with the usual dependencies one took three thread hops.
    """
    event = events.require_event(session, code)
    attendee = authenticated_attendee(request, event, session, signer)
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    error = None
    try:
        act(event, attendee, forms.TapForm.parse(form).action, topic)
    except DomainError as exc:
        session.rollback()
        error = exc
    if is_htmx(request):
        return _card(request, session, event, attendee, topic_id, csrf, error)
    if error is not None:
        raise error
    return RedirectResponse(str(request.url_for("event_page", code=event.code)) + f"#topic-{topic_id}", status_code=303)


@router.post("/topics/{topic_id}/mark", name="topic_mark", dependencies=[CsrfChecked])
async def topic_mark(
    request: Request, session: SessionDep, signer: SignerDep, code: str, topic_id: RowId, csrf: CsrfToken, form: FormDep
) -> Response:
    """Mark or unmark (the form says which, so a retried tap never flips it back)."""

    def act(event: Event, attendee: Attendee, action: str, topic: Topic) -> object:
        return marking.set_mark(session, event=event, attendee=attendee, topic=topic, marked=action != "unmark")

    return await run_in_threadpool(_card_action, request, session, signer, code, topic_id, csrf, form, act)


@router.post("/topics/{topic_id}/lead", name="topic_lead", dependencies=[CsrfChecked])
async def topic_lead(
    request: Request, session: SessionDep, signer: SignerDep, code: str, topic_id: RowId, csrf: CsrfToken, form: FormDep
) -> Response:
    """Offer to lead a topic, or step back."""

    def act(event: Event, attendee: Attendee, action: str, topic: Topic) -> object:
        change = claims.release_claim if action == "release" else claims.claim_topic
        return change(session, event=event, attendee=attendee, topic=topic)

    return await run_in_threadpool(_card_action, request, session, signer, code, topic_id, csrf, form, act)


@router.get("/topics/{topic_id}/edit", name="topic_edit")
def topic_edit_form(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, topic_id: RowId, csrf: CsrfToken
) -> Response:
    """The author's form to change or withdraw a topic."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    return render(
        request,
        "attendee/edit.html",
        {
            "event": event,
            "topic": topic,
            "csrf": csrf,
            "error": None,
            "form": None,
            "attendee": attendee,
            "can_edit": phases.is_allowed(event, "edit_topic"),
        },
    )


@router.post("/topics/{topic_id}/edit", name="topic_update", dependencies=[CsrfChecked])
def topic_update(
    request: Request,
    session: SessionDep,
    event: EventDep,
    attendee: AttendeeDep,
    topic_id: RowId,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Save the author's changes."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    try:
        topics.edit_topic(session, event=event, topic=topic, by=attendee, **forms.TopicForm.parse(form).model_dump())
    except DomainError as error:
        return render(
            request,
            "attendee/edit.html",
            {
                "event": event,
                "topic": topic,
                "csrf": csrf,
                "error": error,
                "form": form,
                "attendee": attendee,
                "can_edit": phases.is_allowed(event, "edit_topic"),
            },
            status_code=error.status_code,
        )
    return RedirectResponse(str(request.url_for("event_page", code=event.code)) + f"#topic-{topic_id}", status_code=303)


@router.post("/topics/{topic_id}/withdraw", name="topic_withdraw", dependencies=[CsrfChecked])
def topic_withdraw(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, topic_id: RowId
) -> Response:
    """Take one's own topic off the wall."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    topics.withdraw_topic(session, event=event, topic=topic, by=attendee)
    return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)


@router.get("/my", name="my_day")
def my_day(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The attendee's own marks and sessions."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    return render(
        request,
        "attendee/my.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            **myday.my_day_view(session, event=event, attendee=attendee),
        },
        block="my",
    )


@router.get("/topics/similar", name="topics_similar")
def topics_similar(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken, title: str = ""
) -> Response:
    """Topics like the title being typed: mark one of those instead, or offer to co-lead it."""
    matches = moderation.similar_topics(session, event=event, title=title[:200])
    views = topics.topic_views(session, event=event, viewer=attendee, topics=[m.topic for m in matches])
    return render(
        request,
        "attendee/similar.html",
        {"event": event, "views": views, "csrf": csrf, "can": {a: phases.is_allowed(event, a) for a in phases.ALLOWED}},
    )


@router.get("/sessions/{topic_id}", name="session_page")
def session_page(
    request: Request,
    session: SessionDep,
    event: EventDep,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    topic_id: RowId,
    csrf: CsrfToken,
) -> Response:
    """One session: what it is about and who leads it."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    view = topics.topic_view(session, event=event, viewer=attendee, topic=topic, organizer=organizer is not None)
    grid = timetable.grid(session, event=event)
    # Before the schedule is out the page offers the card's own taps (mark, lead); after, where and when.
    can = {action: attendee is not None and phases.is_allowed(event, action) for action in phases.ALLOWED}
    return render(
        request,
        "attendee/session.html",
        {
            "event": event,
            "attendee": attendee,
            "view": view,
            "csrf": csrf,
            "can": can,
            "grid": grid,
            "runs": timetable.sessions_of(grid, saved_id(topic)),
            # "I'm here" while it runs (or is about to); the facilitator sees the headcount.
            "here": attendance.here_count(session, event=event, topic_id=saved_id(topic), attendee=attendee)
            if grid.published
            else None,
            "marks_left": topics.marks_left(session, event=event, attendee=attendee) if attendee else None,
        },
    )
