"""The exit survey: the attendee's form at /e/{code}/feedback, the organizer's questions and the
results (charts, written answers, CSV) behind the Closing page."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.deps import AttendeeDep, CsrfChecked, CsrfToken, CurrentAttendee, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import exports, feedback, survey, survey_results
from app.domain.errors import DomainError
from app.i18n import _
from app.models import Attendee, Event, EventFeedback, Organizer
from app.routes import forms
from app.routes.attendee import join_url
from app.templating import render

router = APIRouter(prefix="/e/{code}")

STANDARD_FIELDS = ("rating", "practice", "connected", "will_try", "keep", "change")


class SurveyForm(forms.FormModel):
    """The standard answers as typed (the domain says what each may be)."""

    rating: forms.Text = ""
    practice: forms.Text = ""
    connected: forms.Text = ""
    will_try: forms.Text = ""
    keep: forms.Text = ""
    change: forms.Text = ""


def _answers(form: FormData) -> dict[str, object]:
    """The answers to the organizer's questions: fields ``q<id>``, keyed by the id."""
    return {
        key[1:]: value
        for key, value in form.items()
        if key.startswith("q") and key[1:].isdigit() and isinstance(value, str)
    }


def _values(answer: EventFeedback | None) -> dict[str, str]:
    """The attendee's response as the form shows it, to change."""
    if answer is None:
        return {}
    values = {name: "" if getattr(answer, name) is None else str(getattr(answer, name)) for name in STANDARD_FIELDS}
    values.update({f"q{key}": str(value) for key, value in (answer.answers or {}).items()})
    return values


def _survey_page(
    request: Request,
    session: Session,
    event: Event,
    attendee: Attendee | None,
    csrf: str,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    answer = feedback.get_event_feedback(session, attendee=attendee)
    return render(
        request,
        "attendee/survey.html",
        {
            "event": event,
            "attendee": attendee,
            "csrf": csrf,
            "answer": answer,
            "values": form if form is not None else _values(answer),
            "error": error,
            "saved": request.query_params.get("saved") == "1" and error is None,
            "can_give": feedback.can_give(event),
            "standard": survey.STANDARD,
            "questions": survey.questions(session, event=event),
            "scale": survey.SCALE,
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/feedback", name="event_feedback")
def event_feedback(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """The exit survey (showing the attendee's response, to change)."""
    return _survey_page(request, session, event, attendee, csrf)


@router.post("/feedback", name="event_feedback_save", dependencies=[CsrfChecked])
def event_feedback_save(
    request: Request, session: SessionDep, event: EventDep, attendee: AttendeeDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Send (or change) the attendee's exit survey; a refusal comes back with everything typed kept."""
    try:
        typed = SurveyForm.parse(form).model_dump()
        feedback.give_event_feedback(session, event=event, attendee=attendee, answers=_answers(form), **typed)
    except DomainError as error:
        return _survey_page(request, session, event, attendee, csrf, error=error, form=forms.kept(form))
    back = request.url_for("event_feedback", code=event.code).include_query_params(saved=1)
    return RedirectResponse(back, status_code=303)


# -- the organizer's questions ------------------------------------------------------------------


class QuestionForm(forms.FormModel):
    question_id: forms.OptionalNumber = None
    kind: forms.Text = ""
    prompt: forms.Text = ""
    choices: forms.Text = ""
    required: forms.Checkbox = False


class MoveForm(forms.FormModel):
    question_id: forms.WholeNumber
    direction: forms.Text = ""


def _questions_page(
    request: Request,
    session: Session,
    event: Event,
    csrf: str,
    *,
    error: DomainError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "organizer/survey.html",
        {
            "event": event,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "standard": survey.STANDARD,
            "questions": survey.questions(session, event=event),
            "kinds": survey.KIND_WORDS,
            "responses": survey_results.response_count(session, event=event),
            "notice": request.query_params.get("done", "") if error is None else "",
            "error": error,
            "typed": typed or {},
        },
        status_code=error.status_code if error else 200,
    )


def _done(request: Request, event: Event, notice: str, anchor: str = "") -> Response:
    url = request.url_for("survey_console", code=event.code).include_query_params(done=notice)
    return RedirectResponse(f"{url}{anchor}", status_code=303)


@router.get("/organize/survey", name="survey_console")
def survey_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """The exit survey's questions: the standard ones, and the organizer's own to add, edit, reorder, remove."""
    return _questions_page(request, session, event, csrf)


def _question_change(
    request: Request, session: Session, event: Event, organizer: Organizer, csrf: str, form: FormData, action: str
) -> Response:
    try:
        if action == "move":
            move = MoveForm.parse(form)
            survey.move_question(
                session, event=event, question_id=move.question_id, direction=move.direction, actor=organizer
            )
            return _done(request, event, _("Question moved."), f"#question-{move.question_id}")
        f = QuestionForm.parse(form)
        if action == "add":
            added = survey.add_question(
                session,
                event=event,
                kind=f.kind,
                prompt=f.prompt,
                choices=f.choices,
                required=f.required,
                actor=organizer,
            )
            return _done(request, event, _("Question added."), f"#question-{added.id}")
        question_id = f.question_id or 0
        if action == "remove":
            survey.remove_question(session, event=event, question_id=question_id, actor=organizer)
            return _done(request, event, _("Question removed; its answers are left out of the results."))
        survey.edit_question(
            session,
            event=event,
            question_id=question_id,
            kind=f.kind,
            prompt=f.prompt,
            choices=f.choices,
            required=f.required,
            actor=organizer,
        )
        return _done(request, event, _("Question saved."), f"#question-{question_id}")
    except DomainError as error:
        typed = forms.kept(form) | {"form": action}
        return _questions_page(request, session, event, csrf, error=error, typed=typed)


@router.post("/organize/survey/{action}", name="survey_question", dependencies=[CsrfChecked])
def survey_question(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    csrf: CsrfToken,
    form: FormDep,
    action: Literal["add", "edit", "move", "remove"],
) -> Response:
    """Add, edit, move or remove one of the organizer's questions; back to the survey's page."""
    return _question_change(request, session, event, organizer, csrf, form, action)


@router.get("/organize/survey/results", name="survey_results")
def survey_results_page(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """The survey's results: a chart per scale, a count per choice, the written answers (anonymous)."""
    return render(
        request,
        "organizer/survey_results.html",
        {
            "event": event,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "results": survey_results.results(session, event=event),
        },
    )


@router.get("/organize/survey.csv", name="survey_csv")
def survey_csv(session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Response:
    """Every survey response as a CSV row, a column per question (anonymous)."""
    return Response(
        exports.survey_csv(session, event=event),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.code}-survey.csv"', "Cache-Control": "no-cache"},
    )
