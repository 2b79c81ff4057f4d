"""The raffle: the organizer's page (prizes, who may win, the draw) and its public page, which is
also a phone's ticket ("Your ticket: 1047", and "You won …" when it did)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import CsrfChecked, CsrfToken, CurrentAttendee, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import raffle, raffle_prizes
from app.domain.errors import DomainError, plain_messages
from app.i18n import _
from app.models import Event
from app.routes import forms
from app.routes.organizing import run_form
from app.templating import render

router = APIRouter(prefix="/e/{code}")
F = TypeVar("F", bound=forms.FormModel)


class PrizeForm(forms.FormModel):
    name: forms.Text = ""
    sponsor: forms.Text = ""


class PrizeIdForm(forms.FormModel):
    prize_id: forms.WholeNumber


class EditPrizeForm(PrizeIdForm, PrizeForm): ...


class MovePrizeForm(PrizeIdForm):
    direction: forms.Text = ""


class RuleForm(forms.FormModel):
    needs_checkin: forms.Checkbox = False
    needs_survey: forms.Checkbox = False


class WinIdForm(forms.FormModel):
    win_id: forms.WholeNumber


class NothingForm(forms.FormModel): ...


def _page(
    request: Request,
    session: Session,
    event: Event,
    csrf: str,
    *,
    notice: str = "",
    error: DomainError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    context = {
        "event": event,
        "csrf": csrf,
        "raffle": raffle.raffle_view(session, event=event),
        "eligible_count": len(raffle_prizes.eligible_tickets(session, event=event)),
        "notice": notice,
        "error": error,
        "problems": plain_messages(error),
        "typed": typed or {},
    }
    return render(request, "organizer/raffle.html", context, status_code=error.status_code if error else 200)


@router.get("/organize/raffle", name="raffle_console")
def raffle_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Prizes, who may win, and the draw, step by step."""
    return _page(request, session, event, csrf, notice=request.query_params.get("done", ""))


def _run(
    request: Request,
    session: Session,
    event: Event,
    csrf: str,
    form: FormDep,
    model: type[F],
    action: Callable[[F], str],
) -> Response:
    def done(said: str) -> Response:
        url = request.url_for("raffle_console", code=event.code).include_query_params(done=said)
        return RedirectResponse(url, status_code=303)

    return run_form(
        session,
        form,
        model,
        action,
        refused=lambda error: _page(request, session, event, csrf, error=error, typed=forms.kept(form)),
        done=done,
    )


@router.post("/organize/raffle/prizes", name="prize_add", dependencies=[CsrfChecked])
def prize_add(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Add a prize at the end of the drawing order."""

    def add(f: PrizeForm) -> str:
        prize = raffle_prizes.add_prize(session, event=event, name=f.name, sponsor=f.sponsor, actor=organizer)
        return _("Added the prize “{name}”.").format(name=prize.name)

    return _run(request, session, event, csrf, form, PrizeForm, add)


@router.post("/organize/raffle/prizes/edit", name="prize_edit", dependencies=[CsrfChecked])
def prize_edit(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Change a prize's name or sponsor."""

    def edit(f: EditPrizeForm) -> str:
        prize = raffle_prizes.edit_prize(
            session, event=event, prize_id=f.prize_id, name=f.name, sponsor=f.sponsor, actor=organizer
        )
        return _("Saved the prize “{name}”.").format(name=prize.name)

    return _run(request, session, event, csrf, form, EditPrizeForm, edit)


@router.post("/organize/raffle/prizes/remove", name="prize_remove", dependencies=[CsrfChecked])
def prize_remove(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Take a prize off the list."""

    def remove(f: PrizeIdForm) -> str:
        prize = raffle_prizes.remove_prize(session, event=event, prize_id=f.prize_id, actor=organizer)
        return _("Removed the prize “{name}”.").format(name=prize.name)

    return _run(request, session, event, csrf, form, PrizeIdForm, remove)


@router.post("/organize/raffle/prizes/move", name="prize_move", dependencies=[CsrfChecked])
def prize_move(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Move a prize up or down the drawing order."""

    def move(f: MovePrizeForm) -> str:
        prize = raffle_prizes.move_prize(
            session, event=event, prize_id=f.prize_id, direction=f.direction, actor=organizer
        )
        said = _("Moved “{name}” up.") if f.direction == "up" else _("Moved “{name}” down.")
        return said.format(name=prize.name)

    return _run(request, session, event, csrf, form, MovePrizeForm, move)


@router.post("/organize/raffle/rule", name="raffle_rule", dependencies=[CsrfChecked])
def raffle_rule(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Who may win: checked in to a session, finished the exit survey, both or anyone who joined."""

    def rule(f: RuleForm) -> str:
        raffle_prizes.set_rule(
            session, event=event, needs_checkin=f.needs_checkin, needs_survey=f.needs_survey, actor=organizer
        )
        return _("Saved who may win.")

    return _run(request, session, event, csrf, form, RuleForm, rule)


@router.post("/organize/raffle/commit", name="raffle_commit", dependencies=[CsrfChecked])
def raffle_commit(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Freeze the tickets and the seed; the board shows the seed's hash."""

    def commit(_f: NothingForm) -> str:
        draw = raffle.commit_draw(session, event=event, actor=organizer)
        return _("The draw is committed: {n} tickets, hash {hash}….").format(
            n=len(draw.tickets), hash=draw.seed_hash[:12]
        )

    return _run(request, session, event, csrf, form, NothingForm, commit)


@router.post("/organize/raffle/draw", name="raffle_draw", dependencies=[CsrfChecked])
def raffle_draw(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Draw the winner of the next prize."""

    def draw(_f: NothingForm) -> str:
        win = raffle.draw_next(session, event=event, actor=organizer)
        return _("Ticket {ticket} won a prize.").format(ticket=win.ticket)

    return _run(request, session, event, csrf, form, NothingForm, draw)


@router.post("/organize/raffle/absent", name="raffle_absent", dependencies=[CsrfChecked])
def raffle_absent(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """The winner is not in the room: mark them absent and draw again for the same prize."""

    def absent(f: WinIdForm) -> str:
        gone, again = raffle.redraw_absent(session, event=event, win_id=f.win_id, actor=organizer)
        if again is None:
            return _("Ticket {ticket} is marked absent; no tickets are left to draw.").format(ticket=gone.ticket)
        return _("Ticket {ticket} is marked absent; ticket {again} was drawn instead.").format(
            ticket=gone.ticket, again=again.ticket
        )

    return _run(request, session, event, csrf, form, WinIdForm, absent)


@router.post("/organize/raffle/reveal", name="raffle_reveal", dependencies=[CsrfChecked])
def raffle_reveal(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Show the seed: the draw is over and anyone can recompute it."""

    def reveal(_f: NothingForm) -> str:
        raffle.reveal_seed(session, event=event, actor=organizer)
        return _("The seed is revealed; anyone can now check the draw.")

    return _run(request, session, event, csrf, form, NothingForm, reveal)


@router.get("/raffle", name="raffle_page")
def raffle_page(request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee) -> Response:
    """The draw in the open: the hash, the tickets, every pick and how to check them; a phone's ticket."""
    context = {
        "event": event,
        "raffle": raffle.raffle_view(session, event=event),
        "mine": raffle.my_raffle(session, event=event, attendee=attendee) if attendee else None,
        "snippet": raffle.RECOMPUTE_SNIPPET,
    }
    return render(request, "attendee/raffle.html", context)
