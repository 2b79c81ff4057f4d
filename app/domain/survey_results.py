"""What the organizers read of the exit survey: a chart per scale, a count per choice, the written
answers, and every response as a CSV row. Anonymous: no names, no attendee ids.

Only the questions the survey asks now are reported; a removed question's answers stay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.domain import survey
from app.domain.feedback import Ratings
from app.i18n import pgettext
from app.models import Event, EventFeedback, SurveyQuestion


@dataclass
class QuestionResult:
    """One question's answers: ``ratings`` for a scale, ``choices`` (choice, count) for a choice,
    ``texts`` for text, in the order they were given."""

    key: str  # the standard field's name, or str(question id)
    kind: str
    prompt: str
    hint: str = ""
    ratings: Ratings = field(default_factory=Ratings)
    choices: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    responses: int
    questions: list[QuestionResult]


def response_count(session: Session, *, event: Event) -> int:
    """How many attendees have answered the survey."""
    return session.scalar(select(func.count()).where(EventFeedback.event_id == event.id)) or 0


def responses(session: Session, *, event: Event) -> list[EventFeedback]:
    return list(
        session.scalars(select(EventFeedback).where(EventFeedback.event_id == event.id).order_by(col(EventFeedback.id)))
    )


def _value(row: EventFeedback, key: str, custom: bool) -> object:
    return (row.answers or {}).get(key) if custom else getattr(row, key)


def _result(
    kind: str, key: str, prompt: str, hint: str, rows: list[EventFeedback], options: list[str]
) -> QuestionResult:
    custom = key.isdigit()
    result = QuestionResult(key=key, kind=kind, prompt=prompt, hint=hint)
    values = [_value(r, key, custom) for r in rows]
    if kind == "scale":
        for value in values:
            if isinstance(value, int) and value in survey.SCALE:
                result.ratings.add(value, "")
    elif kind == "choice":
        result.choices = [(option, sum(1 for v in values if v == option)) for option in options]
    else:
        result.texts = [v for v in values if isinstance(v, str) and v]
    return result


def results(session: Session, *, event: Event) -> SurveyResults:
    """Every question of the survey, the standard ones first, with its answers gathered."""
    rows = responses(session, event=event)
    gathered = [_result(s.kind, s.key, str(s.prompt), str(s.hint), rows, []) for s in survey.STANDARD]
    gathered += [
        _result(q.kind, str(q.id), q.prompt, "", rows, q.choices) for q in survey.questions(session, event=event)
    ]
    return SurveyResults(responses=len(rows), questions=gathered)


@dataclass
class SurveyTable:
    """Every response as a row, a column per question (CSV)."""

    header: list[str]
    rows: list[list[object]]


def _cell(value: object) -> object:
    return "" if value is None else value


def table(session: Session, *, event: Event) -> SurveyTable:
    """One row per response, in the order they came: when it was last changed, then each standard
    question (headers in the reader's language), then the organizer's own (headed by their words)."""
    asked: list[SurveyQuestion] = survey.questions(session, event=event)
    header = [
        pgettext("CSV column", "response"),
        pgettext("CSV column", "updated_at"),
        pgettext("CSV column", "overall_value"),
        pgettext("CSV column", "will_change_practice"),
        pgettext("CSV column", "connected_other_schools"),
        pgettext("CSV column", "will_try"),
        pgettext("CSV column", "keep"),
        pgettext("CSV column", "change"),
    ] + [q.prompt for q in asked]
    lines: list[list[object]] = []
    for number, row in enumerate(responses(session, event=event), start=1):
        answers = row.answers or {}
        lines.append(
            [number, _when(row.updated_at), row.rating, _cell(row.practice), _cell(row.connected)]
            + [row.will_try, row.keep, row.change]
            + [_cell(answers.get(str(q.id))) for q in asked]
        )
    return SurveyTable(header=header, rows=lines)


def _when(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
