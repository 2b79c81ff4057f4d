"""The exit survey's questions: the standard ones every event asks, the organizer's own, and what
an answer to each may be.

The standard survey is short on purpose (a phone, two minutes): the day's value (the feedback
rating, the one required answer), two statements to agree with (1 to 5), what to keep, what to
change and what the attendee will try. Organizers add their own questions (a 1 to 5 scale, one
choice of several, or text), each optional unless they say so. Answers to them are kept in
``EventFeedback.answers`` under the question's id; a removed question's answers leave the results
with it, and the next edit of a response drops them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.domain import audit, phases, rows
from app.domain.errors import Conflict, InvalidInput
from app.i18n import _, _l
from app.models import Event, Organizer, SurveyQuestion, saved_id
from app.models.aftersession import FEEDBACK_TEXT_MAX
from app.models.closing import QUESTION_MAX, SURVEY_KINDS

SCALE = (1, 2, 3, 4, 5)
QUESTIONS_MAX = 20  # a survey for a phone in two minutes; more is a different tool
CHOICES_MIN, CHOICES_MAX, CHOICE_MAX = 2, 10, 80
DIRECTIONS = ("up", "down")
KIND_WORDS = {"scale": _l("Scale of 1 to 5"), "choice": _l("One choice of several"), "text": _l("Text")}


@dataclass(frozen=True)
class Standard:
    """One of the standard questions: its field on EventFeedback, its kind and its words."""

    key: str
    kind: str
    prompt: object  # a lazy string, worded in the reader's language
    hint: object = ""


STANDARD = (
    Standard("rating", "scale", _l("Overall, how valuable was the day for you?"), _l("1 not at all, 5 very")),
    Standard("practice", "scale", _l("I will change my practice."), _l("1 disagree, 5 agree")),
    Standard("connected", "scale", _l("I connected with teachers from other schools."), _l("1 disagree, 5 agree")),
    Standard("will_try", "text", _l("What will you try in your classroom?")),
    Standard("keep", "text", _l("What should we keep?")),
    Standard("change", "text", _l("What should we change?")),
)


def questions(session: Session, *, event: Event) -> list[SurveyQuestion]:
    """The organizer's own questions, in the order they asked for."""
    return list(
        session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.event_id == event.id)
            .order_by(col(SurveyQuestion.position), col(SurveyQuestion.id))
        )
    )


def require_question(session: Session, *, event: Event, question_id: int) -> SurveyQuestion:
    return rows.require(
        session,
        SurveyQuestion,
        question_id,
        event=event,
        field="question_id",
        message=_("question_id: question {id} is not in this survey (it may have been removed)."),
    )


@dataclass(frozen=True)
class QuestionText:
    kind: str
    prompt: str
    choices: list[str]


def clean_question(*, kind: str, prompt: str, choices: str | list[str]) -> QuestionText:
    """A question as the organizer typed it: a known kind, a prompt, and two or more distinct
    choices (one per line) for a choice question."""
    kind = kind.strip()
    if kind not in SURVEY_KINDS:
        raise InvalidInput(_("kind: choose a scale of 1 to 5, one choice of several, or text."), field="kind")
    text = " ".join(prompt.split())
    if not text:
        raise InvalidInput(_("prompt: write the question people will answer."), field="prompt")
    if len(text) > QUESTION_MAX:
        raise InvalidInput(
            _("prompt: at most {most} characters; this has {count}.").format(most=QUESTION_MAX, count=len(text)),
            field="prompt",
        )
    lines = choices.splitlines() if isinstance(choices, str) else choices
    options: list[str] = []
    for line in lines:
        option = " ".join(line.split())
        if option and option.casefold() not in {o.casefold() for o in options}:
            options.append(option)
    if kind != "choice":
        return QuestionText(kind, text, [])
    if not CHOICES_MIN <= len(options) <= CHOICES_MAX:
        raise InvalidInput(
            _("choices: write {least} to {most} different choices, one per line.").format(
                least=CHOICES_MIN, most=CHOICES_MAX
            ),
            field="choices",
        )
    long = next((o for o in options if len(o) > CHOICE_MAX), None)
    if long is not None:
        raise InvalidInput(
            _("choices: each choice at most {most} characters; “{choice}…” is longer.").format(
                most=CHOICE_MAX, choice=long[:30]
            ),
            field="choices",
        )
    return QuestionText(kind, text, options)


def add_question(
    session: Session,
    *,
    event: Event,
    kind: str,
    prompt: str,
    choices: str | list[str] = "",
    required: bool = False,
    actor: Organizer,
) -> SurveyQuestion:
    """Add one of the organizer's own questions at the end of the survey."""
    phases.require_phase(event, "edit_survey")
    text = clean_question(kind=kind, prompt=prompt, choices=choices)
    present = questions(session, event=event)
    if len(present) >= QUESTIONS_MAX:
        raise Conflict(
            _("prompt: a survey holds at most {most} questions of your own; remove one first.").format(
                most=QUESTIONS_MAX
            ),
            field="prompt",
        )
    question = SurveyQuestion(
        event_id=saved_id(event),
        position=max((q.position for q in present), default=-1) + 1,
        kind=text.kind,
        prompt=text.prompt,
        choices=text.choices,
        required=required,
    )
    session.add(question)
    audit.record(session, event=event, actor=actor, action="add_survey_question", detail=f"“{text.prompt}”")
    session.commit()
    return question


def edit_question(
    session: Session,
    *,
    event: Event,
    question_id: int,
    kind: str,
    prompt: str,
    choices: str | list[str] = "",
    required: bool = False,
    actor: Organizer,
) -> SurveyQuestion:
    """Change a question's words, kind, choices or whether it must be answered."""
    phases.require_phase(event, "edit_survey")
    question = require_question(session, event=event, question_id=question_id)
    text = clean_question(kind=kind, prompt=prompt, choices=choices)
    question.kind, question.prompt, question.choices, question.required = text.kind, text.prompt, text.choices, required
    session.add(question)
    audit.record(session, event=event, actor=actor, action="edit_survey_question", detail=f"“{text.prompt}”")
    session.commit()
    return question


def move_question(session: Session, *, event: Event, question_id: int, direction: str, actor: Organizer) -> None:
    """Swap a question with the one before it (``up``) or after it (``down``)."""
    phases.require_phase(event, "edit_survey")
    if direction not in DIRECTIONS:
        raise InvalidInput(_("direction: up or down."), field="direction")
    question = require_question(session, event=event, question_id=question_id)
    order = questions(session, event=event)
    at = next(i for i, q in enumerate(order) if q.id == question.id)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(order):
        already = (
            _("direction: “{prompt}” is already the first question.")
            if direction == "up"
            else _("direction: “{prompt}” is already the last question.")
        )
        raise Conflict(already.format(prompt=question.prompt), field="direction")
    order[at], order[other] = order[other], order[at]
    for position, each in enumerate(order):  # renumbered, so equal positions never tie again
        each.position = position
        session.add(each)
    audit.record(
        session, event=event, actor=actor, action="move_survey_question", detail=f"“{question.prompt}” {direction}"
    )
    session.commit()


def remove_question(session: Session, *, event: Event, question_id: int, actor: Organizer) -> SurveyQuestion:
    """Take a question out of the survey; its answers leave the results (and the CSV) with it."""
    phases.require_phase(event, "edit_survey")
    question = require_question(session, event=event, question_id=question_id)
    audit.record(session, event=event, actor=actor, action="remove_survey_question", detail=f"“{question.prompt}”")
    session.delete(question)
    session.commit()
    return question


# -- answers ------------------------------------------------------------------------------------


def clean_scale(raw: object, *, field: str, label: str, required: bool) -> int | None:
    """A 1 to 5 answer; nothing at all is allowed unless the question is required."""
    typed = "" if raw is None else str(raw).strip()
    if not typed and not required:
        return None
    if typed not in {str(v) for v in SCALE}:
        raise InvalidInput(_("“{question}”: choose from 1 to 5.").format(question=label), field=field)
    return int(typed)


def clean_text(raw: object, *, field: str, label: str = "", required: bool = False) -> str:
    """A written answer, at most FEEDBACK_TEXT_MAX characters."""
    text = ("" if raw is None else str(raw)).replace("\r\n", "\n").strip()
    if len(text) > FEEDBACK_TEXT_MAX:
        raise InvalidInput(
            _("“{question}”: at most {most} characters; this has {count}.").format(
                question=label, most=FEEDBACK_TEXT_MAX, count=len(text)
            ),
            field=field,
        )
    if required and not text:
        raise InvalidInput(_("“{question}”: this one needs an answer.").format(question=label), field=field)
    return text


def answer_field(question: SurveyQuestion) -> str:
    """The form field (and refusal's field) of one of the organizer's questions."""
    return f"q{question.id}"


def clean_answers(asked: list[SurveyQuestion], raw: Mapping[str, object]) -> dict[str, int | str]:
    """The answers to the organizer's questions, keyed by str(question id): a scale 1 to 5, a choice
    among the question's own, text within its length; a required question answered. Answers to
    questions no longer asked are dropped."""
    answers: dict[str, int | str] = {}
    for question in asked:
        key, field = str(question.id), answer_field(question)
        value = raw.get(key)
        if question.kind == "scale":
            number = clean_scale(value, field=field, label=question.prompt, required=question.required)
            if number is not None:
                answers[key] = number
        elif question.kind == "choice":
            picked = "" if value is None else str(value).strip()
            if picked and picked not in question.choices:
                raise InvalidInput(
                    _("“{question}”: choose one of its answers.").format(question=question.prompt), field=field
                )
            if not picked and question.required:
                raise InvalidInput(
                    _("“{question}”: this one needs an answer.").format(question=question.prompt), field=field
                )
            if picked:
                answers[key] = picked
        else:
            text = clean_text(value, field=field, label=question.prompt, required=question.required)
            if text:
                answers[key] = text
    return answers
