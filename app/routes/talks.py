"""Plenaries in the console (a running order of talks) and the phone page that runs one on the day."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CsrfChecked, CsrfToken, CurrentOrganizer, EventDep, FormDep, RowId, SessionDep
from app.domain import talks
from app.domain.errors import DomainError, plain_messages
from app.i18n import _
from app.models import Event
from app.models.util import utcnow
from app.routes import forms, talk_forms
from app.routes.organizing import Console, ConsoleDep, run_form
from app.templating import render

router = APIRouter(prefix="/e/{code}/organize")
F = TypeVar("F", bound=forms.FormModel)


def _run_talk_form(
    console: Console, model: type[F], action: Callable[[F], str], form_id: Callable[[], str], *, added: bool = False
) -> Response:
    """A running-order form: back to the plenary in the console, or the refusal beside the form it
    refuses (``form_id`` names it: ``add-<slot>`` or ``edit-<talk>``) with what was typed kept."""
    return run_form(
        console.session,
        console.form,
        model,
        action,
        refused=lambda error: console.page(error=error, section="settings", keep=True, talk_form=form_id()),
        # After an added talk the same plenary's form opens again, for the next speaker.
        done=lambda said: console.back(said, "#plenaries", **({"added": _typed(console, "slot_id")} if added else {})),
    )


def _typed(console: Console, key: str) -> str:
    return forms.kept(console.form).get(key, "")


@router.post("/talks", name="talk_add", dependencies=[CsrfChecked])
def talk_add(console: ConsoleDep) -> Response:
    """Add a talk at the end of a plenary's running order."""

    def add(form: talk_forms.NewTalkForm) -> str:
        talk = talks.add_talk(
            console.session,
            event=console.event,
            slot_id=form.slot_id,
            speaker=form.speaker,
            title=form.title,
            minutes=form.minutes,
            bio=form.bio,
            actor=console.organizer,
        )
        return _("Added {speaker}: “{title}”.").format(speaker=talk.speaker, title=talk.title)

    return _run_talk_form(console, talk_forms.NewTalkForm, add, lambda: f"add-{_typed(console, 'slot_id')}", added=True)


@router.post("/talks/edit", name="talk_edit", dependencies=[CsrfChecked])
def talk_edit(console: ConsoleDep) -> Response:
    """Change a talk's speaker, title, minutes or bio."""

    def edit(form: talk_forms.EditTalkForm) -> str:
        talk = talks.edit_talk(
            console.session,
            event=console.event,
            talk_id=form.talk_id,
            speaker=form.speaker,
            title=form.title,
            minutes=form.minutes,
            bio=form.bio,
            actor=console.organizer,
        )
        return _("Saved {speaker}: “{title}”.").format(speaker=talk.speaker, title=talk.title)

    return _run_talk_form(console, talk_forms.EditTalkForm, edit, lambda: f"edit-{_typed(console, 'talk_id')}")


@router.post("/talks/remove", name="talk_remove", dependencies=[CsrfChecked])
def talk_remove(console: ConsoleDep) -> Response:
    """Take a talk out of its plenary."""

    def remove(form: talk_forms.TalkIdForm) -> str:
        talk = talks.remove_talk(console.session, event=console.event, talk_id=form.talk_id, actor=console.organizer)
        return _("Removed {speaker}: “{title}”.").format(speaker=talk.speaker, title=talk.title)

    return _run_talk_form(console, talk_forms.TalkIdForm, remove, lambda: f"edit-{_typed(console, 'talk_id')}")


@router.post("/talks/move", name="talk_move", dependencies=[CsrfChecked])
def talk_move(console: ConsoleDep) -> Response:
    """Move a talk up or down its running order."""

    def move(form: talk_forms.MoveTalkForm) -> str:
        talk = talks.move_talk(
            console.session,
            event=console.event,
            talk_id=form.talk_id,
            direction=form.direction,
            actor=console.organizer,
        )
        return (_("Moved {speaker} up.") if form.direction == "up" else _("Moved {speaker} down.")).format(
            speaker=talk.speaker
        )

    return _run_talk_form(console, talk_forms.MoveTalkForm, move, lambda: f"edit-{_typed(console, 'talk_id')}")


# -- running it from a phone --------------------------------------------------------------------


def _stage_page(
    request: Request,
    session: SessionDep,
    event: Event,
    slot_id: int,
    csrf: str,
    *,
    error: DomainError | None = None,
    status_code: int = 200,
) -> Response:
    stage = talks.stage(session, event=event, slot_id=slot_id)
    return render(
        request,
        "organizer/stage.html",
        {
            "event": event,
            "csrf": csrf,
            "stage": stage,
            "error": error,
            "problems": plain_messages(error),
            "server_now": utcnow().isoformat(),
        },
        status_code=error.status_code if error else status_code,
    )


@router.get("/plenaries/{slot_id}", name="plenary_run")
def plenary_run(
    request: Request, session: SessionDep, event: EventDep, slot_id: RowId, organizer: CurrentOrganizer, csrf: CsrfToken
) -> Response:
    """Run a plenary from a phone: who is on, the time left, who is next, and one big "Next talk"."""
    if organizer is None:  # sign in as on the console; back here afterwards is one tap on "Plenaries"
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": None})
    return _stage_page(request, session, event, slot_id, csrf)


def _stage_action(
    request: Request, session: SessionDep, event: Event, slot_id: int, csrf: str, action: Callable[[], object]
) -> Response:
    try:
        action()
    except DomainError as error:
        session.rollback()
        return _stage_page(request, session, event, slot_id, csrf, error=error)
    return RedirectResponse(request.url_for("plenary_run", code=event.code, slot_id=slot_id), status_code=303)


@router.post("/plenaries/{slot_id}/next", name="plenary_next", dependencies=[CsrfChecked])
def plenary_next(console: ConsoleDep, slot_id: RowId, form: FormDep) -> Response:
    """ "Next talk": the talk on stage ends, the next starts (after the last: back to the grid)."""

    def press() -> object:
        expected = talk_forms.NextTalkForm.parse(form).expected
        return talks.next_talk(
            console.session, event=console.event, slot_id=slot_id, expected=expected, actor=console.organizer
        )

    return _stage_action(console.request, console.session, console.event, slot_id, console.csrf, press)


@router.post("/plenaries/{slot_id}/grid", name="plenary_grid", dependencies=[CsrfChecked])
def plenary_grid(console: ConsoleDep, slot_id: RowId) -> Response:
    """End the talk on stage now: the board shows the grid again."""

    def stop() -> object:
        return talks.back_to_grid(console.session, event=console.event, slot_id=slot_id, actor=console.organizer)

    return _stage_action(console.request, console.session, console.event, slot_id, console.csrf, stop)
