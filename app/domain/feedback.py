"""Feedback on a session and on the day: a 1 to 5 rating and "what will you try in your classroom?".

One answer per attendee and session (and one for the day); answering again edits it. Feedback opens
once the schedule is published and stays open after the event closes (that is when it is asked
for). Organizers see results, anonymous: names are never shown with answers or exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.domain import phases, survey, timetable
from app.domain.errors import InvalidInput, NotFound
from app.i18n import _
from app.models import Attendee, Event, EventFeedback, SessionFeedback, TalkFeedback, Topic, saved_id
from app.models.aftersession import FEEDBACK_TEXT_MAX
from app.models.util import utcnow

RATINGS = (1, 2, 3, 4, 5)


def can_give(event: Event) -> bool:
    return phases.is_allowed(event, "give_feedback")


def require_open(event: Event) -> None:
    phases.require_phase(event, "give_feedback")


def clean_rating(raw: int | str | None) -> int:
    try:
        rating = int(str(raw).strip())
    except ValueError:
        rating = 0
    if rating not in RATINGS:
        raise InvalidInput(_("rating: choose from 1 (not useful) to 5 (very useful)."), field="rating")
    return rating


def clean_will_try(raw: str | None) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if len(text) > FEEDBACK_TEXT_MAX:
        raise InvalidInput(
            _("will_try: at most {most} characters; this has {count}.").format(most=FEEDBACK_TEXT_MAX, count=len(text)),
            field="will_try",
        )
    return text


def placed_topic_ids(session: Session, *, event: Event) -> set[int]:
    """Topics on the published schedule (feedback is for sessions that took place)."""
    view = timetable.grid(session, event=event)
    return {saved_id(cell.topic) for cell in view.cells.values()}


def get_session_feedback(session: Session, *, topic: Topic, attendee: Attendee | None) -> SessionFeedback | None:
    if attendee is None:
        return None
    return session.scalars(
        select(SessionFeedback).where(SessionFeedback.topic_id == topic.id, SessionFeedback.attendee_id == attendee.id)
    ).first()


def get_event_feedback(session: Session, *, attendee: Attendee | None) -> EventFeedback | None:
    if attendee is None:
        return None
    return session.scalars(select(EventFeedback).where(EventFeedback.attendee_id == attendee.id)).first()


Answer = TypeVar("Answer", SessionFeedback, EventFeedback, TalkFeedback)


def save_answer(
    session: Session,
    *,
    find: Callable[[], Answer | None],
    make: Callable[[], Answer],
    rating: int | str,
    will_try: str,
    fill: Callable[[Answer], None] | None = None,
) -> Answer:
    """Check the answer, then write it into the attendee's row (``find``) or a new one (``make``),
    and commit: one answer per attendee and question, a second replacing the first (``fill`` writes
    the rest of an answer that has more, already checked)."""
    value, text = clean_rating(rating), clean_will_try(will_try)
    for _attempt in range(2):
        row = find()
        if row is None:
            row = make()
        else:
            row.updated_at = utcnow()
        row.rating, row.will_try = value, text
        if fill is not None:
            fill(row)
        session.add(row)
        try:
            session.commit()
            return row
        except IntegrityError:  # the same phone answered twice at once: edit the answer that won
            session.rollback()
    raise InvalidInput(_("Your answer could not be saved; please try again."), field="rating")  # pragma: no cover


def give_session_feedback(
    session: Session, *, event: Event, topic: Topic, attendee: Attendee, rating: int | str, will_try: str = ""
) -> SessionFeedback:
    """Rate a session on the published schedule; a second answer replaces the first."""
    require_open(event)
    if topic.event_id != event.id or attendee.event_id != event.id:
        raise NotFound(_("Topic {id} is not on this event's wall.").format(id=topic.id), field="topic_id")
    if topic.id not in placed_topic_ids(session, event=event):
        raise NotFound(
            _("This topic is not on the published schedule, so there is no session to give feedback on."),
            field="topic_id",
        )
    return save_answer(
        session,
        find=lambda: get_session_feedback(session, topic=topic, attendee=attendee),
        make=lambda: SessionFeedback(
            event_id=saved_id(event), topic_id=saved_id(topic), attendee_id=saved_id(attendee), rating=0
        ),
        rating=rating,
        will_try=will_try,
    )


def give_event_feedback(
    session: Session,
    *,
    event: Event,
    attendee: Attendee,
    rating: int | str,
    will_try: str = "",
    practice: int | str | None = None,
    connected: int | str | None = None,
    keep: str = "",
    change: str = "",
    answers: Mapping[str, object] | None = None,
) -> EventFeedback:
    """Answer the exit survey: the day's value, the standard statements, what to keep and change,
    and the organizer's own questions (``answers`` by str(question id)). Everything is checked
    before anything is written, so a response exists only once a valid one was sent; a second
    response replaces the first."""
    require_open(event)
    if attendee.event_id != event.id:
        raise NotFound(_("Join this event to give it feedback."), field="attendee")
    words = {s.key: str(s.prompt) for s in survey.STANDARD}
    survey.clean_scale(rating, field="rating", label=words["rating"], required=True)  # in the survey's words
    agree = {
        "practice": survey.clean_scale(practice, field="practice", label=words["practice"], required=False),
        "connected": survey.clean_scale(connected, field="connected", label=words["connected"], required=False),
    }
    kept, changed = (survey.clean_text(t, field=k, label=words[k]) for k, t in (("keep", keep), ("change", change)))
    mine = survey.clean_answers(survey.questions(session, event=event), answers or {})

    def fill(row: EventFeedback) -> None:
        row.practice, row.connected = agree["practice"], agree["connected"]
        row.keep, row.change, row.answers = kept, changed, mine

    return save_answer(
        session,
        find=lambda: get_event_feedback(session, attendee=attendee),
        make=lambda: EventFeedback(event_id=saved_id(event), attendee_id=saved_id(attendee), rating=0),
        rating=rating,
        will_try=will_try,
        fill=fill,
    )


def survey_done(session: Session, *, attendee_id: int) -> bool:
    """Whether the attendee has answered the exit survey (the certificates' and the raffle's gate)."""
    found = session.scalars(select(EventFeedback.id).where(EventFeedback.attendee_id == attendee_id)).first()
    return found is not None


def survey_done_ids(session: Session, *, event_id: int) -> set[int]:
    """The attendees of an event who have answered its exit survey."""
    return set(session.scalars(select(EventFeedback.attendee_id).where(EventFeedback.event_id == event_id)))


@dataclass
class Ratings:
    """Answers to one question: how many gave each rating, the mean, and what people will try."""

    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    will_try: list[str] = field(default_factory=list)

    def add(self, rating: int, text: str) -> None:
        if rating in self.counts:
            self.counts[rating] += 1
        if text:
            self.will_try.append(text)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return sum(r * n for r, n in self.counts.items()) / self.total if self.total else None

    @property
    def most(self) -> int:
        return max(self.counts.values()) if self.total else 0


@dataclass
class SessionResult:
    topic: Topic
    room: str
    slot: str
    ratings: Ratings


@dataclass
class FeedbackResults:
    event: Ratings
    sessions: list[SessionResult]


def results(session: Session, *, event: Event) -> FeedbackResults:
    """Every session's ratings (in schedule order) and the day's, for the organizers."""
    view = timetable.grid(session, event=event)
    where: dict[int, tuple[str, str, tuple[int, int]]] = {}
    for s_index, slot in enumerate(view.slots):
        for r_index, room in enumerate(view.rooms):
            cell = view.cell(room, slot)
            if cell is not None:
                where[saved_id(cell.topic)] = (room.name, f"{slot.start}–{slot.end}", (s_index, r_index))
    by_topic: dict[int, Ratings] = {}
    for row in session.scalars(
        select(SessionFeedback).where(SessionFeedback.event_id == event.id).order_by(col(SessionFeedback.id))
    ):
        by_topic.setdefault(row.topic_id, Ratings()).add(row.rating, row.will_try)
    day = Ratings()
    for e_row in session.scalars(
        select(EventFeedback).where(EventFeedback.event_id == event.id).order_by(col(EventFeedback.id))
    ):
        day.add(e_row.rating, e_row.will_try)
    topic_ids = set(where) | set(by_topic)
    topics = {t.id: t for t in session.scalars(select(Topic).where(col(Topic.id).in_(topic_ids)))}

    def order(topic_id: int) -> tuple[int, tuple[int, int]]:  # the schedule's order, then sessions no longer on it
        return (0, where[topic_id][2]) if topic_id in where else (1, (topic_id, 0))

    rows = []
    for topic_id in sorted(topic_ids, key=order):
        if topic_id in topics:
            room_name, slot_label, _ = where.get(topic_id, ("", "", (0, 0)))
            rows.append(
                SessionResult(
                    topic=topics[topic_id], room=room_name, slot=slot_label, ratings=by_topic.get(topic_id, Ratings())
                )
            )
    return FeedbackResults(event=day, sessions=rows)


@dataclass
class FeedbackRow:
    """One answer as the CSV export carries it (no names: feedback is anonymous)."""

    scope: str
    topic_id: int | None
    title: str
    room: str
    slot: str
    rating: int
    will_try: str
    updated_at: datetime
    talk_id: int | None = None  # an answer on a plenary talk (scope "talk")


def feedback_rows(session: Session, *, event: Event) -> list[FeedbackRow]:
    """Every answer, the day's first, then sessions in schedule order."""
    view = results(session, event=event)
    rows = [
        FeedbackRow("event", None, event.name, "", "", r.rating, r.will_try, r.updated_at)
        for r in session.scalars(
            select(EventFeedback).where(EventFeedback.event_id == event.id).order_by(col(EventFeedback.id))
        )
    ]
    by_topic: dict[int, list[SessionFeedback]] = {}
    for row in session.scalars(
        select(SessionFeedback).where(SessionFeedback.event_id == event.id).order_by(col(SessionFeedback.id))
    ):
        by_topic.setdefault(row.topic_id, []).append(row)
    for result in view.sessions:
        for row in by_topic.get(saved_id(result.topic), []):
            rows.append(
                FeedbackRow(
                    "session",
                    result.topic.id,
                    result.topic.title,
                    result.room,
                    result.slot,
                    row.rating,
                    row.will_try,
                    row.updated_at,
                )
            )
    return rows
