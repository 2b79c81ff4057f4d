"""The organizer's "Closing the day" page: attendance, certificates, the exit survey, the smackdown
and the raffle, each a section of one page with its own page behind it.

Each part of the day's close adds its section as ``organizer/closing/<part>.html`` (included when
present); the parts' own pages and actions live in their own route modules.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import CsrfToken, EventDep, OrganizerDep, SessionDep
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
    return render(
        request,
        "organizer/closing.html",
        {
            "event": event,
            "session": session,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "parts": PARTS,
            "notice": request.query_params.get("done", ""),
        },
    )
