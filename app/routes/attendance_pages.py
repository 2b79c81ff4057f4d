"""The organizer's attendance page: per slot and session, who checked in, the paper counts and the
seats; checking someone in by hand, removing a mistaken check-in, typing a paper count."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import CsrfChecked, CsrfToken, EventDep, FormDep, OrganizerDep, RowId, SessionDep
from app.domain import attendance, checkins
from app.domain.errors import DomainError, InvalidInput, about, plain_messages
from app.i18n import _
from app.models import Event
from app.routes import forms
from app.templating import render

router = APIRouter(prefix="/e/{code}")


class HandForm(forms.FormModel):
    attendee: forms.Text = ""
    session: forms.Text = ""  # "slot_id:topic_id", or "slot_id:" for a plenary


class PaperForm(forms.FormModel):
    slot_id: forms.WholeNumber
    topic_id: forms.OptionalNumber = None
    count: forms.WholeNumber


def _slot_and_topic(value: str) -> tuple[int, int | None]:
    slot, _sep, topic = value.partition(":")
    if not slot.isdigit() or not (topic == "" or topic.isdigit()) or len(value) > 20:
        raise InvalidInput(about("session", _("choose a session from the list.")), field="session")
    return int(slot), int(topic) if topic else None


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
    return render(
        request,
        "organizer/attendance.html",
        {
            "event": event,
            "csrf": csrf,
            "view": attendance.attendance(session, event=event),
            "notice": notice,
            "error": error,
            "error_text": " ".join(plain_messages(error).values()) or (error.message if error else ""),
            "typed": typed or {},
            "as_local": lambda moment: checkins.event_now(event, moment).strftime("%H:%M"),
        },
        status_code=error.status_code if error else 200,
    )


def _done(request: Request, event: Event, message: str, anchor: str = "") -> Response:
    url = request.url_for("attendance_console", code=event.code).include_query_params(done=message)
    return RedirectResponse(f"{url}{anchor}", status_code=303)


@router.get("/organize/attendance", name="attendance_console")
def attendance_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Who was where: per slot, per session (and plenary), the check-ins, paper counts and seats."""
    return _page(request, session, event, csrf, notice=request.query_params.get("done", ""))


@router.post("/organize/attendance/checkins", name="attendance_check_in", dependencies=[CsrfChecked])
def attendance_check_in(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Check someone in by hand: present for the whole slot."""
    try:
        f = HandForm.parse(form)
        person = attendance.find_attendee(session, event=event, typed=f.attendee)
        slot_id, topic_id = _slot_and_topic(f.session)
        checkins.check_in_by_hand(
            session, event=event, attendee_id=person.id or 0, slot_id=slot_id, topic_id=topic_id, actor=organizer
        )
    except DomainError as error:
        return _page(request, session, event, csrf, error=error, typed=forms.kept(form))
    name = attendance.attendee_name(person.id or 0, person.name)
    return _done(request, event, _("{name} is checked in.").format(name=name), "#attendance-hand")


@router.post("/organize/attendance/checkins/{check_in_id}/remove", name="attendance_remove", dependencies=[CsrfChecked])
def attendance_remove(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, check_in_id: RowId
) -> Response:
    """Remove a mistaken check-in."""
    try:
        checkins.remove_check_in(session, event=event, check_in_id=check_in_id, actor=organizer)
    except DomainError as error:
        return _page(request, session, event, csrf, error=error)
    return _done(request, event, _("Check-in removed."))


@router.post("/organize/attendance/paper", name="attendance_paper", dependencies=[CsrfChecked])
def attendance_paper(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """The paper fallback: a head count typed for one session (or plenary) of one slot."""
    try:
        f = PaperForm.parse(form)
        checkins.set_paper_count(
            session, event=event, slot_id=f.slot_id, topic_id=f.topic_id, count=f.count, actor=organizer
        )
    except DomainError as error:
        return _page(request, session, event, csrf, error=error, typed=forms.kept(form))
    return _done(request, event, _("Paper count saved."), f"#slot-{f.slot_id}")
