"""Feedback on a plenary talk, as on a session: the same rating, "what will you try?", phases and
anonymity (``app/domain/feedback.py``), one editable answer per attendee and talk."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.domain import feedback, rows, talks
from app.domain.errors import NotFound
from app.i18n import _
from app.models import Attendee, Event, Room, SlotKind, Talk, TalkFeedback, TimeSlot, saved_id


def get_talk_feedback(session: Session, *, talk: Talk, attendee: Attendee | None) -> TalkFeedback | None:
    if attendee is None:
        return None
    return session.scalars(
        select(TalkFeedback).where(TalkFeedback.talk_id == talk.id, TalkFeedback.attendee_id == attendee.id)
    ).first()


def give_talk_feedback(
    session: Session, *, event: Event, talk: Talk, attendee: Attendee, rating: int | str, will_try: str = ""
) -> TalkFeedback:
    """Rate a talk of a plenary; a second answer replaces the first."""
    feedback.require_open(event)
    if talk.event_id != event.id or attendee.event_id != event.id:
        raise NotFound(_("Talk {id} is not one of this event's talks.").format(id=talk.id), field="talk_id")
    slot = rows.find(session, TimeSlot, talk.slot_id, event=event)
    if slot is None or slot.kind != SlotKind.plenary:
        raise NotFound(
            _("This talk is no longer in a plenary, so there is nothing to give feedback on."), field="talk_id"
        )
    return feedback.save_answer(
        session,
        find=lambda: get_talk_feedback(session, talk=talk, attendee=attendee),
        make=lambda: TalkFeedback(
            event_id=saved_id(event), talk_id=saved_id(talk), attendee_id=saved_id(attendee), rating=0
        ),
        rating=rating,
        will_try=will_try,
    )


@dataclass
class TalkResult:
    talk: Talk
    slot: TimeSlot
    ratings: feedback.Ratings
    answers: list[TalkFeedback]

    @property
    def when(self) -> str:
        return f"{self.slot.start}–{self.slot.end}"


def results(session: Session, *, event: Event) -> list[TalkResult]:
    """Every talk's ratings, plenary by plenary in the order of the day, for the organizers."""
    answers: dict[int, list[TalkFeedback]] = {}
    for row in session.scalars(
        select(TalkFeedback).where(TalkFeedback.event_id == event.id).order_by(col(TalkFeedback.id))
    ):
        answers.setdefault(row.talk_id, []).append(row)
    found = []
    for slot, running in talks.plenaries(session, event=event):
        for talk in running:
            ratings = feedback.Ratings()
            for row in answers.get(saved_id(talk), []):
                ratings.add(row.rating, row.will_try)
            found.append(TalkResult(talk, slot, ratings, answers.get(saved_id(talk), [])))
    return found


def feedback_rows(session: Session, *, event: Event) -> list[feedback.FeedbackRow]:
    """Every answer on a talk as the CSV export carries it (``talk_id`` set, no names)."""
    out = []
    for result in results(session, event=event):
        room = session.get(Room, result.slot.room_id) if result.slot.room_id else None
        for row in result.answers:
            out.append(
                feedback.FeedbackRow(
                    "talk",
                    None,
                    f"{result.talk.speaker}: {result.talk.title}",
                    room.name if room else "",
                    result.when,
                    row.rating,
                    row.will_try,
                    row.updated_at,
                    talk_id=result.talk.id,
                )
            )
    return out
