"""Feedback on each session and on the day, and what organizers read of it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.deps import (
    AttendeeDep,
    CsrfChecked,
    CsrfToken,
    CurrentAttendee,
    EventDep,
    FormDep,
    OrganizerDep,
    RowId,
    SessionDep,
)
from app.domain import feedback, guide, talk_feedback, topics
from app.domain.errors import DomainError
from app.models import Attendee, Event, Topic
from app.routes import forms
from app.templating import render

router = APIRouter(prefix="/e/{code}")


def _feedback_page(
    request: Request,
    session: SessionDep,
    event: Event,
    attendee: Attendee | None,
    csrf: str,
    topic: Topic,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    answer = feedback.get_session_feedback(session, topic=topic, attendee=attendee)
    place = guide.session_place(session, event=event, topic=topic)
    values = (
        form
        if form is not None
        else {"rating": str(answer.rating) if answer else "", "will_try": answer.will_try if answer else ""}
    )
    return render(
        request,
        "attendee/feedback.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "topic": topic,
            "place": place,
            "answer": answer,
            "values": values,
            "error": error,
            "saved": saved,
            "can_give": feedback.can_give(event),
            "ratings": feedback.RATINGS,
        },
        status_code=status_code,
    )


@router.get("/sessions/{topic_id}/feedback", name="session_feedback")
def session_feedback(
    request: Request, session: SessionDep, event: EventDep, topic_id: RowId, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The feedback form for one session (showing the attendee's answer, to edit)."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    return _feedback_page(
        request, session, event, attendee, csrf, topic, saved=request.query_params.get("saved") == "1"
    )


@router.post("/sessions/{topic_id}/feedback", name="session_feedback_save", dependencies=[CsrfChecked])
def session_feedback_save(
    request: Request,
    session: SessionDep,
    event: EventDep,
    topic_id: RowId,
    attendee: AttendeeDep,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Save (or change) the attendee's feedback on a session."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    return _save_feedback(request, session, event, attendee, csrf, form, topic)


def _save_feedback(
    request: Request, session: Session, event: Event, attendee: Attendee, csrf: str, form: FormData, topic: Topic
) -> Response:
    """Save the attendee's feedback on ``topic``, then show its form again saying so; a refusal comes
    back on the form with what was typed kept (the day's feedback is the exit survey: survey_pages)."""
    try:
        typed = forms.FeedbackForm.parse(form).model_dump()
        feedback.give_session_feedback(session, event=event, topic=topic, attendee=attendee, **typed)
        back = request.url_for("session_feedback", code=event.code, topic_id=topic.id)
    except DomainError as error:
        kept = forms.kept(form)
        return _feedback_page(
            request, session, event, attendee, csrf, topic, error=error, form=kept, status_code=error.status_code
        )
    return RedirectResponse(back.include_query_params(saved=1), status_code=303)


@router.get("/organize/feedback", name="feedback_results")
def feedback_results(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Feedback results for the organizers, with a bar chart of ratings per session."""
    return render(
        request,
        "organizer/feedback.html",
        {
            "event": event,
            "csrf": csrf,
            "results": feedback.results(session, event=event),
            "talk_results": talk_feedback.results(session, event=event),
            "ratings": feedback.RATINGS,
        },
    )
