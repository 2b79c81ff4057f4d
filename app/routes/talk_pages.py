"""A plenary talk on a phone: its page (speaker, title, when, the bio) and feedback on it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import AttendeeDep, CsrfChecked, CsrfToken, CurrentAttendee, EventDep, FormDep, RowId, SessionDep
from app.domain import feedback, talk_feedback, talks
from app.domain.errors import DomainError
from app.models import Attendee, Event, Room, Talk
from app.routes import forms
from app.templating import render

router = APIRouter(prefix="/e/{code}/talks")


@router.get("/{talk_id}", name="talk_page")
def talk_page(
    request: Request, session: SessionDep, event: EventDep, talk_id: RowId, attendee: CurrentAttendee
) -> Response:
    """One talk: who gives it, when and where, the speaker's bio, and a way to give feedback."""
    talk = talks.require_talk(session, event=event, talk_id=talk_id)
    stage = talks.stage(session, event=event, slot_id=talk.slot_id)
    room = session.get(Room, stage.slot.room_id) if stage.slot.room_id else None
    return render(
        request,
        "attendee/talk.html",
        {
            "event": event,
            "attendee": attendee,
            "talk": talk,
            "stage": stage,
            "room": room,
            "can_give": feedback.can_give(event),
        },
    )


def _talk_feedback_page(
    request: Request,
    session: SessionDep,
    event: Event,
    talk: Talk,
    attendee: Attendee | None,
    csrf: str,
    *,
    error: DomainError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    answer = talk_feedback.get_talk_feedback(session, talk=talk, attendee=attendee)
    values = (
        typed
        if typed is not None
        else {"rating": str(answer.rating) if answer else "", "will_try": answer.will_try if answer else ""}
    )
    return render(
        request,
        "attendee/feedback.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "topic": None,
            "talk": talk,
            "place": None,
            "answer": answer,
            "values": values,
            "error": error,
            "saved": request.query_params.get("saved") == "1" and error is None,
            "can_give": feedback.can_give(event),
            "ratings": feedback.RATINGS,
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/{talk_id}/feedback", name="talk_feedback")
def talk_feedback_form(
    request: Request, session: SessionDep, event: EventDep, talk_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The feedback form for one talk (showing the attendee's answer, to edit): the session form's."""
    talk = talks.require_talk(session, event=event, talk_id=talk_id)
    return _talk_feedback_page(request, session, event, talk, attendee, csrf)


@router.post("/{talk_id}/feedback", name="talk_feedback_save", dependencies=[CsrfChecked])
def talk_feedback_save(
    request: Request,
    session: SessionDep,
    event: EventDep,
    talk_id: RowId,
    attendee: AttendeeDep,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Save (or change) the attendee's feedback on a talk; a refusal keeps what was typed."""
    talk = talks.require_talk(session, event=event, talk_id=talk_id)
    try:
        typed = forms.FeedbackForm.parse(form)
        talk_feedback.give_talk_feedback(
            session, event=event, talk=talk, attendee=attendee, rating=typed.rating, will_try=typed.will_try
        )
    except DomainError as error:
        session.rollback()
        return _talk_feedback_page(request, session, event, talk, attendee, csrf, error=error, typed=forms.kept(form))
    back = request.url_for("talk_feedback", code=event.code, talk_id=talk_id)
    return RedirectResponse(back.include_query_params(saved=1), status_code=303)
