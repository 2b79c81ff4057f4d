"""The smackdown: the phone page that joins its queue, and the organizer's page that runs it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import (
    AttendeeDep,
    CsrfChecked,
    CsrfToken,
    CurrentAttendee,
    CurrentOrganizer,
    EventDep,
    FormDep,
    SessionDep,
)
from app.domain import phases, smackdown
from app.domain.errors import DomainError
from app.i18n import _
from app.models import Attendee, Event
from app.models.closing import SHARE_TITLE_MAX, SHARE_URL_MAX, SHARE_WHY_MAX
from app.models.util import utcnow
from app.routes import forms
from app.routes.organizing import ConsoleDep
from app.routes.qr import qr_image
from app.templating import public_url, render

router = APIRouter(prefix="/e/{code}")
F = TypeVar("F", bound=forms.FormModel)


class ShareForm(forms.FormModel):
    """One resource as the teacher types it; the domain checks each field, naming it."""

    name: forms.Text
    title: forms.Text
    url: forms.Text
    why: forms.Text


class ShareIdForm(forms.FormModel):
    share_id: forms.WholeNumber


class MoveShareForm(ShareIdForm):
    direction: forms.Text


class ExpectedForm(forms.FormModel):
    """``expected``: the share the page showed up (0: none), so two presses never skip a teacher."""

    expected: forms.WholeNumber


class RequeueForm(ExpectedForm):
    to_end: forms.Checkbox = False


class OpenForm(forms.FormModel):
    open: forms.Checkbox = False


def _beside_fields(error: DomainError | None) -> dict[str, str]:
    """Each refused field's message, to show under its own labelled input ("Use a web link ...")."""
    said = error.field_errors if error else []
    return {e.field: e.message[:1].upper() + e.message[1:] for e in said}


# -- the phone ------------------------------------------------------------------------------------


def _phone_page(
    request: Request,
    session: Session,
    event: Event,
    attendee: Attendee | None,
    csrf: str,
    *,
    error: DomainError | None = None,
    typed: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    view = smackdown.smackdown_view(session, event=event)
    mine = smackdown.my_share(session, event=event, attendee=attendee)
    if typed is None:
        typed = (
            {"name": mine.name, "title": mine.title, "url": mine.url, "why": mine.why}
            if mine
            else {"name": attendee.name if attendee else "", "title": "", "url": "", "why": ""}
        )
    return render(
        request,
        "attendee/smackdown.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "view": view,
            "mine": mine,
            "place": view.place(mine) if mine else 0,
            "typed": typed,
            "error": error,
            "problems": _beside_fields(error),
            "notice": notice,
            "can_join": phases.is_allowed(event, "join_smackdown") and event.smackdown_open,
            "limits": {
                "name": smackdown.NAME_MAX,
                "title": SHARE_TITLE_MAX,
                "url": SHARE_URL_MAX,
                "why": SHARE_WHY_MAX,
            },
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/smackdown", name="smackdown_page")
def smackdown_page(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """Join the smackdown from a phone: one resource, then one's place in the queue and who is up."""
    return _phone_page(request, session, event, attendee, csrf, notice=request.query_params.get("done", ""))


@router.post("/smackdown", name="smackdown_save", dependencies=[CsrfChecked])
def smackdown_save(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Join the queue with a resource, or change the one waiting in it."""
    try:
        f = ShareForm.parse(form)
        typed = f.model_dump()
        if smackdown.my_share(session, event=event, attendee=attendee):
            smackdown.edit_my_share(session, event=event, attendee=attendee, **typed)
            done = _("Saved: your share is changed and keeps its place.")
        else:
            smackdown.join_smackdown(session, event=event, attendee=attendee, **typed)
            done = _("You're in the queue. Watch the board for your turn.")
    except DomainError as error:
        session.rollback()
        return _phone_page(request, session, event, attendee, csrf, error=error, typed=forms.kept(form))
    url = request.url_for("smackdown_page", code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)


@router.post("/smackdown/withdraw", name="smackdown_withdraw", dependencies=[CsrfChecked])
def smackdown_withdraw(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, csrf: CsrfToken
) -> Response:
    """Leave the queue."""
    try:
        smackdown.withdraw_my_share(session, event=event, attendee=attendee)
    except DomainError as error:
        session.rollback()
        return _phone_page(request, session, event, attendee, csrf, error=error)
    done = _("You left the queue. You can join again while it is open.")
    url = request.url_for("smackdown_page", code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)


@router.get("/smackdown/qr.svg", name="smackdown_qr")
def smackdown_qr(request: Request, event: EventDep) -> Response:
    """The smackdown page's link as a QR code, for the board's "join from your phone" screen."""
    link = public_url(request, "smackdown_page", code=event.code)
    etag = '"' + hashlib.sha256(link.encode()).hexdigest()[:16] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(qr_image(link), media_type="image/svg+xml", headers=headers)


# -- the organizer ----------------------------------------------------------------------------------


def _run_page(
    request: Request,
    session: Session,
    event: Event,
    csrf: str,
    *,
    error: DomainError | None = None,
    notice: str = "",
    focus: str = "",
) -> Response:
    return render(
        request,
        "organizer/smackdown.html",
        {
            "event": event,
            "csrf": csrf,
            "view": smackdown.smackdown_view(session, event=event),
            "error": error,
            "notice": notice,
            "focus": focus,
            "phone_link": public_url(request, "smackdown_page", code=event.code),
            "server_now": utcnow().isoformat(),
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/organize/smackdown", name="smackdown_run")
def smackdown_run(
    request: Request, session: SessionDep, event: EventDep, organizer: CurrentOrganizer, csrf: CsrfToken
) -> Response:
    """Run the smackdown: who is up, the time left, the queue to reorder, and one big "Next"."""
    if organizer is None:
        return render(request, "organizer/login.html", {"event": event, "csrf": csrf, "error": None})
    query = request.query_params
    return _run_page(request, session, event, csrf, notice=query.get("done", ""), focus=query.get("focus", ""))


def _act(console: ConsoleDep, model: type[F], action: Callable[[F], str], focus: str = "") -> Response:
    """Parse, act, and back to the run page saying what happened (``focus``: the button to keep
    the keyboard on, e.g. the moved share's); a refusal shows the page with it."""
    try:
        done = action(model.parse(console.form))
    except DomainError as error:
        console.session.rollback()
        return _run_page(console.request, console.session, console.event, console.csrf, error=error)
    params = {"done": done, **({"focus": focus} if focus else {})}
    url = console.request.url_for("smackdown_run", code=console.event.code).include_query_params(**params)
    return RedirectResponse(url, status_code=303)


def _name(share: object) -> str:
    return getattr(share, "name", "") or _("A teacher")


@router.post("/organize/smackdown/open", name="smackdown_open", dependencies=[CsrfChecked])
def smackdown_open(console: ConsoleDep) -> Response:
    """Open or close the queue to phones."""

    def toggle(form: OpenForm) -> str:
        smackdown.set_open(console.session, event=console.event, is_open=form.open, actor=console.organizer)
        return _("The queue is open: phones can join.") if form.open else _("The queue is closed to phones.")

    return _act(console, OpenForm, toggle)


@router.post("/organize/smackdown/move", name="smackdown_move", dependencies=[CsrfChecked])
def smackdown_move(console: ConsoleDep) -> Response:
    """Move a share up or down the queue."""
    typed = forms.kept(console.form)

    def move(form: MoveShareForm) -> str:
        share = smackdown.move_share(
            console.session,
            event=console.event,
            share_id=form.share_id,
            direction=form.direction,
            actor=console.organizer,
        )
        return (_("Moved {name} up.") if form.direction == "up" else _("Moved {name} down.")).format(name=_name(share))

    return _act(console, MoveShareForm, move, focus=f"{typed.get('direction', '')}-{typed.get('share_id', '')}")


@router.post("/organize/smackdown/remove", name="smackdown_remove", dependencies=[CsrfChecked])
def smackdown_remove(console: ConsoleDep) -> Response:
    """Take a share out of the smackdown."""

    def remove(form: ShareIdForm) -> str:
        share = smackdown.remove_share(
            console.session, event=console.event, share_id=form.share_id, actor=console.organizer
        )
        return _("Removed “{title}”.").format(title=share.title)

    return _act(console, ShareIdForm, remove)


@router.post("/organize/smackdown/next", name="smackdown_next", dependencies=[CsrfChecked])
def smackdown_next(console: ConsoleDep) -> Response:
    """ "Next": the share up is done, the first in the queue comes up."""

    def press(form: ExpectedForm) -> str:
        up = smackdown.next_share(console.session, event=console.event, actor=console.organizer, expected=form.expected)
        return _("{name} is up.").format(name=_name(up)) if up else _("Nobody is up: the queue is empty.")

    return _act(console, ExpectedForm, press, focus="next")


@router.post("/organize/smackdown/requeue", name="smackdown_requeue", dependencies=[CsrfChecked])
def smackdown_requeue(console: ConsoleDep) -> Response:
    """The share up goes back to the queue: at its front, or at its end ("Skip", the next comes up)."""

    def back(form: RequeueForm) -> str:
        share = smackdown.requeue_share(
            console.session, event=console.event, actor=console.organizer, to_end=form.to_end, expected=form.expected
        )
        said = (
            _("{name} waits at the end of the queue.")
            if form.to_end
            else _("{name} is back at the front of the queue.")
        )
        return said.format(name=_name(share))

    return _act(console, RequeueForm, back, focus="next")
