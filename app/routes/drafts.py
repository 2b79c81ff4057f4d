"""The console's schedule workspace: build in the background, adjust by hand, publish, change mid-day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app import i18n
from app.deps import CsrfChecked, CsrfToken, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import attendees, building, drafting, midday, moves, publishing
from app.domain.errors import DomainError, InvalidInput, TooBusy
from app.i18n import _, ngettext
from app.jobs import BuildJobs
from app.models import Event, Organizer, saved_id
from app.routes import forms
from app.routes.organizing import run_form
from app.templating import hx_redirect, hx_refresh, is_htmx, render

router = APIRouter(prefix="/e/{code}/organize/schedule")
F = TypeVar("F", bound=forms.FormModel)


def builds(request: Request) -> BuildJobs:
    jobs: BuildJobs = request.app.state.builds  # main.py's lifespan puts them there
    return jobs


def _page(
    request: Request,
    session: SessionDep,
    event: Event,
    organizer: Organizer,
    csrf: str,
    *,
    error: DomainError | None = None,
    notice: str | None = None,
    status_code: int = 200,
    preview: moves.Consequences | None = None,
) -> Response:
    view = drafting.schedule_view(session, event=event)
    job = builds(request).get(saved_id(event))
    # A finished build was announced once, by the redirect its last poll made (``done``); kept
    # on the page it would still say "Built draft version 1" after later moves and publishing.
    # While its bound is still being proven, the page shows that (and polls for it), not the notice.
    shown_job = job if job is not None and (job.running or job.error or job.proving) else None
    context: dict[str, Any] = {
        "event": event,
        "csrf": csrf,
        "me": organizer,
        "view": view,
        "error": error,
        "notice": notice or request.query_params.get("done"),
        "job": shown_job,
        "announce_build": False,
        "versions": drafting.versions(session, event=event),
        "preview": preview,
        "people": attendees.list_attendees(session, event=event),
        "default_limit": building.suggested_build_seconds(
            session, event, most=request.app.state.settings.SOLVER_TIME_LIMIT_S
        ),
    }
    return render(request, "organizer/schedule.html", context, status_code=status_code)


def _back(request: Request, event: Event, done: str, *, focus: str | None = None) -> Response:
    """Back to the workspace with what happened; ``focus`` is the element (a card) the keyboard
    returns to, with the page scrolled to it even without JavaScript."""
    url = request.url_for("schedule_console", code=event.code).include_query_params(done=done)
    if focus:
        url = url.include_query_params(focus=focus).replace(fragment=focus)
    return RedirectResponse(str(url), status_code=303)


def _console_url(request: Request, event: Event, done: str) -> str:
    """The workspace showing ``done``, as a path: where a finished build sends the browser."""
    url = request.url_for("schedule_console", code=event.code).include_query_params(done=done)
    return url.path + "?" + url.query


def _built(job: Any) -> str:
    seconds = format_decimal(round(job.elapsed, 1), format="0.0", locale=i18n.current())
    values = {"version": job.version, "seconds": seconds, "found": job.attendance, "most": job.upper_bound}
    if job.moved is None:
        return _("Built draft version {version} in {seconds} s: {found} of at most {most} attendee-slots.").format(
            **values
        )
    return ngettext(
        "Built draft version {version} in {seconds} s: {found} of at most {most} attendee-slots, {n} session moved.",
        "Built draft version {version} in {seconds} s: {found} of at most {most} attendee-slots, {n} sessions moved.",
        job.moved,
    ).format(n=job.moved, **values)


@router.get("", name="schedule_console")
def schedule_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """The draft (or published) grid with its stats, left-out topics and every action."""
    return _page(request, session, event, organizer, csrf)


@router.post("/build", name="schedule_build", dependencies=[CsrfChecked])
def schedule_build(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Start the scheduler in the background (optionally keeping the slots before one fixed)."""
    try:
        typed = forms.BuildForm.parse(form)
        keep_before, limit = typed.keep_before, typed.time_limit
        building.check_build(session, event=event, keep_before_slot=keep_before)
        if limit is not None and not 1 <= limit <= 600:
            raise InvalidInput(_("time_limit: from 1 to 600 seconds."), field="time_limit")
        newest = drafting.versions(session, event=event)
        after = newest[0].version if newest else 0
        builds(request).start(
            event_id=saved_id(event),
            organizer_id=organizer.id,
            keep_before_slot=keep_before,
            time_limit=float(limit) if limit else None,
        )
    except DomainError as error:
        response = _page(request, session, event, organizer, csrf, error=error, status_code=error.status_code)
        if isinstance(error, TooBusy):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    if is_htmx(request):
        return _progress(request, session, event, csrf, after=after)
    return RedirectResponse(str(request.url_for("schedule_console", code=event.code)), status_code=303)


def _progress(
    request: Request, session: SessionDep, event: Event, csrf: str, *, after: int | None = None, proving: bool = False
) -> Response:
    """The bar for this worker's build. Behind a load balancer the poll may reach another worker,
    which knows no job: it keeps polling until a version newer than ``after`` lands in the database."""
    job = builds(request).get(saved_id(event))
    landed = False
    if job is None and after is not None:
        newest = drafting.versions(session, event=event)
        landed = bool(newest) and newest[0].version > after
    response = render(
        request,
        "organizer/build_progress.html",
        {"event": event, "job": job, "csrf": csrf, "after": after, "elsewhere": job is None and not landed},
    )
    if proving:  # the draft is shown; its bound improves in the background
        if is_htmx(request) and (job is None or not job.proving):
            response.headers.update(hx_refresh())  # the stats show the final bound
    elif is_htmx(request) and job is not None and job.done and not job.error:
        response.headers.update(hx_redirect(_console_url(request, event, _built(job))))  # the new draft, once
    elif is_htmx(request) and ((job is not None and job.done) or landed):
        response.headers.update(hx_refresh())  # show the new draft (or the build's error) on the grid
    return response


@router.get("/progress", name="schedule_progress")
def schedule_progress(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    csrf: CsrfToken,
    after: int | None = None,
    proving: bool = False,
) -> Response:
    """The progress bar: best attendance so far against its bound, and time used (or, after the
    build, the bound being proven in the background)."""
    return _progress(request, session, event, csrf, after=after, proving=proving)


@router.post("/stop", name="schedule_stop", dependencies=[CsrfChecked])
def schedule_stop(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Stop the build early and keep the best schedule found so far."""
    builds(request).stop(saved_id(event))
    if is_htmx(request):
        return _progress(request, session, event, csrf)
    return _back(request, event, _("Stopping: the best schedule found so far becomes the draft."))


@router.get("/preview", name="schedule_preview")
def schedule_preview(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """The consequences of a move, before it is made (htmx fragment, or the page with them shown).

    The target is ``room_id`` and ``slot_id`` (a drag over a cell) or ``cell=ROOM:SLOT`` (the
    keyboard path's menu), the same fields the move itself takes."""
    query = request.query_params
    try:
        asked = forms.MoveForm.parse(query)
        room_id, slot_id = asked.target()
        result = moves.preview_move(
            session, event=event, placement_id=asked.placement_id, room_id=room_id, slot_id=slot_id
        )
    except DomainError as error:
        if is_htmx(request):  # shown where the consequences would be, in place of them
            return render(request, "organizer/move_preview.html", {"error": error, "event": event})
        return _page(request, session, event, organizer, csrf, error=error, status_code=error.status_code)
    if is_htmx(request):
        return render(
            request, "organizer/move_preview.html", {"preview": result, "event": event, "cell": f"{room_id}:{slot_id}"}
        )
    return _page(request, session, event, organizer, csrf, preview=result)


def _act(
    request: Request,
    session: SessionDep,
    event: Event,
    organizer: Organizer,
    csrf: str,
    form: FormData,
    model: type[F],
    action: Callable[[F], str | tuple[str, str]],
) -> Response:
    """Run one action with its parsed form; it answers what it did, or that and the id of the card
    it leaves the focus on. A refusal (of a field, or by the domain) shows the workspace with it."""

    def refused(error: DomainError) -> Response:
        return _page(request, session, event, organizer, csrf, error=error, status_code=error.status_code)

    def done(said: str | tuple[str, str]) -> Response:
        text, focus = said if isinstance(said, tuple) else (said, None)
        return _back(request, event, text, focus=focus)

    return run_form(session, form, model, action, refused=refused, done=done)


@router.post("/move", name="schedule_move", dependencies=[CsrfChecked])
def schedule_move(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Move a session to a room and slot (swapping with one there); refused with the reason if it breaks a rule."""

    def act(form: forms.MoveForm) -> tuple[str, str]:
        room_id, slot_id = form.target()
        placement_id = form.placement_id
        result = moves.move(
            session, event=event, placement_id=placement_id, room_id=room_id, slot_id=slot_id, actor=organizer
        )
        change = result.attendance_change
        signed = f"{'+' if change >= 0 else ''}{change}"
        done = (
            _("Moved, swapped with “{title}”. Attendance {change}.").format(title=result.swapped_with, change=signed)
            if result.swapped_with
            else _("Moved. Attendance {change}.").format(change=signed)
        )
        return done, f"placement-{placement_id}"

    return _act(request, session, event, organizer, csrf, form, forms.MoveForm, act)


@router.post("/place", name="schedule_place", dependencies=[CsrfChecked])
def schedule_place(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Put a left-out topic into a free cell."""

    def act(form: forms.PlaceForm) -> tuple[str, str]:
        room_id, slot_id = form.target()
        placement = moves.place(
            session, event=event, topic_id=form.topic_id, room_id=room_id, slot_id=slot_id, actor=organizer
        )
        return _("Placed."), f"placement-{placement.id}"

    return _act(request, session, event, organizer, csrf, form, forms.PlaceForm, act)


@router.post("/unschedule", name="schedule_unschedule", dependencies=[CsrfChecked])
def schedule_unschedule(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    def act(form: forms.PlacementForm) -> str:
        topic = moves.unschedule(session, event=event, placement_id=form.placement_id, actor=organizer)
        return _("“{title}” is off the draft.").format(title=topic.title)

    return _act(request, session, event, organizer, csrf, form, forms.PlacementForm, act)


@router.post("/pin", name="schedule_pin", dependencies=[CsrfChecked])
def schedule_pin(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    def act(form: forms.PlacementForm) -> tuple[str, str]:
        placement = moves.toggle_pin(session, event=event, placement_id=form.placement_id, actor=organizer)
        return (
            _("Pinned: the next build keeps it there.") if placement.pinned else _("Unpinned."),
            f"placement-{placement.id}",
        )

    return _act(request, session, event, organizer, csrf, form, forms.PlacementForm, act)


@router.post("/draft", name="schedule_draft", dependencies=[CsrfChecked])
def schedule_draft(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Start a draft from the published version, to adjust it by hand."""

    def act(_form: forms.FormModel) -> str:
        run = drafting.ensure_draft(session, event=event)
        return _("Draft version {version} started from what is on the board.").format(version=run.version)

    return _act(request, session, event, organizer, csrf, form, forms.FormModel, act)


@router.post("/publish", name="schedule_publish", dependencies=[CsrfChecked])
def schedule_publish(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Publish the draft: the board and every phone show it at once."""

    def act(form: forms.PublishForm) -> str:
        note = form.announcement.strip()
        run = publishing.publish(session, event=event, actor=organizer, announcement=note or None)
        return _("Version {version} is on the board and every phone.").format(version=run.version)

    return _act(request, session, event, organizer, csrf, form, forms.PublishForm, act)


@router.post("/undo", name="schedule_undo", dependencies=[CsrfChecked])
def schedule_undo(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Undo the last publish."""

    def act(form: forms.UndoPublishForm) -> str:
        live = publishing.undo_publish(session, event=event, actor=organizer, version=form.version)
        return (
            _("Took it back: version {version} is live again.").format(version=live.version)
            if live
            else _("Took it back: no schedule is published now.")
        )

    return _act(request, session, event, organizer, csrf, form, forms.UndoPublishForm, act)


@router.post("/close-room", name="schedule_close_room", dependencies=[CsrfChecked])
def schedule_close_room(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    def act(form: forms.RoomFromSlotForm) -> str:
        room = midday.close_room_from(session, event=event, room_id=form.room_id, slot_id=form.slot_id, actor=organizer)
        return _("{name} is closed from then on. Re-solve to move its sessions.").format(name=room.name)

    return _act(request, session, event, organizer, csrf, form, forms.RoomFromSlotForm, act)


@router.post("/facilitator-left", name="schedule_facilitator_left", dependencies=[CsrfChecked])
def schedule_facilitator_left(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    def act(form: forms.AttendeeIdForm) -> str:
        led = midday.facilitator_leaves(session, event=event, attendee_id=form.attendee_id, actor=organizer)
        return (
            ngettext(
                "They no longer lead {n} session. Re-solve, or assign someone else.",
                "They no longer lead {n} sessions. Re-solve, or assign someone else.",
                len(led),
            ).format(n=len(led))
            if led
            else _("They were not leading anything.")
        )

    return _act(request, session, event, organizer, csrf, form, forms.AttendeeIdForm, act)


@router.post("/cancel", name="schedule_cancel", dependencies=[CsrfChecked])
def schedule_cancel(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    def act(form: forms.TopicReasonForm) -> str:
        topic = midday.cancel_session(session, event=event, topic_id=form.topic_id, reason=form.reason, actor=organizer)
        return _("“{title}” is cancelled. Re-solve to fill its place.").format(title=topic.title)

    return _act(request, session, event, organizer, csrf, form, forms.TopicReasonForm, act)
