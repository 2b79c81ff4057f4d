"""The organizer's "Closing the day" page: attendance, certificates, the exit survey, the smackdown
and the raffle, each a section of one page with its own page behind it.

Each part of the day's close adds its section as ``organizer/closing/<part>.html`` (included when
present); the parts' own pages and actions live in their own route modules.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import CsrfChecked, CsrfToken, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import attendance, boardmode, smackdown, survey_results
from app.domain.errors import DomainError
from app.i18n import _
from app.models import Event
from app.routes import forms
from app.routes.attendee import join_url
from app.templating import render

router = APIRouter(prefix="/e/{code}")

# In the order the day closes; each names its section template under organizer/closing/.
PARTS = ("attendance", "certificates", "survey", "smackdown", "raffle")


@router.get("/organize/closing", name="closing_console")
def closing_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """The close of the day on one page: who was where, PD hours, the survey, the smackdown, the raffle."""
    return _closing_page(request, session, event, csrf, notice=request.query_params.get("done", ""))


def _closing_page(
    request: Request, session: Session, event: Event, csrf: str, *, notice: str = "", error: DomainError | None = None
) -> Response:
    return render(
        request,
        "organizer/closing.html",
        {
            "event": event,
            "session": session,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "parts": PARTS,
            "smackdown": smackdown.smackdown_view(session, event=event),
            "attendance": attendance.attendance(session, event=event),
            "notice": notice,
            "error": error,
            "survey_responses": survey_results.response_count(session, event=event),
        },
        status_code=error.status_code if error else 200,
    )


class BoardModeForm(forms.FormModel):
    mode: forms.Text = ""
    # The page to come back to: the Closing page, or the smackdown's or the raffle's own page.
    back: forms.Text = ""


BACK_PAGES = {"smackdown": "smackdown_run", "raffle": "raffle_console"}


@router.post("/organize/board-mode", name="board_mode", dependencies=[CsrfChecked])
def board_mode(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Show the smackdown or the raffle on the board, or the grid again; back to the Closing page."""
    try:
        f = BoardModeForm.parse(form)
        boardmode.set_board_mode(session, event=event, mode=f.mode, actor=organizer)
    except DomainError as error:
        return _closing_page(request, session, event, csrf, error=error)
    done = {"smackdown": _("The board shows the smackdown."), "raffle": _("The board shows the raffle.")}.get(
        f.mode, _("The board shows the schedule again.")
    )
    page = BACK_PAGES.get(f.back, "closing_console")
    url = request.url_for(page, code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)
