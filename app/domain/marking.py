"""Marks: one mark per attendee and topic, and a budget that holds under concurrency."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, select

from app.domain import phases
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import BudgetExhausted
from app.domain.topics import marks_used
from app.i18n import ngettext
from app.models import Attendee, Event, Interest, Topic, saved_id, table_of
from app.models.util import utcnow

# Built once, on the tables (marking is the hottest write of the day; see app/domain/changelog.py).
_attendees = table_of(Attendee)
_interests = table_of(Interest)
_LOCK = (
    update(_attendees)
    .where(_attendees.c.id == bindparam("attendee"))
    .values(lock_version=_attendees.c.lock_version + 1)
)
_THE_MARK = (_interests.c.attendee_id == bindparam("attendee")) & (_interests.c.topic_id == bindparam("topic"))
_EXISTING = select(_interests.c.id).where(_THE_MARK)
_ADD = insert(_interests)
_REMOVE = delete(_interests).where(_THE_MARK)


def _lock_attendee(session: Session, attendee: Attendee) -> None:
    """Serialise this attendee's marking transactions before the budget is checked.

    An UPDATE is the first write of the transaction: PostgreSQL takes the attendee's row lock (a
    second tab waits, then re-reads under READ COMMITTED); SQLite takes its write lock. Either way
    the count below sees every mark committed before it, so the budget cannot be overrun.
    """
    session.execute(_LOCK, {"attendee": attendee.id})  # nothing reads lock_version: no ORM bookkeeping


def mark_topic(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Mark ``topic`` for ``attendee``; True if a mark was added, False if it was already there."""
    phases.require_phase(event, "mark")
    _lock_attendee(session, attendee)
    existing = session.scalars(_EXISTING, {"attendee": attendee.id, "topic": topic.id}).first()
    if existing is not None:
        session.rollback()
        return False
    if event.vote_budget is not None:
        used = marks_used(session, attendee=attendee)
        if used >= event.vote_budget:
            session.rollback()
            raise BudgetExhausted(
                ngettext(
                    "You have used all {budget} of your marks. Unmark a topic to mark this one.",
                    "You have used all {budget} of your marks. Unmark a topic to mark this one.",
                    event.vote_budget,
                ).format(budget=event.vote_budget)
            )
    # A plain INSERT rather than add() + flush(): marking is the hottest write of the day.
    session.execute(
        _ADD,
        {"event_id": event.id, "attendee_id": attendee.id, "topic_id": topic.id, "weight": 1.0, "created_at": utcnow()},
    )
    # Screens read the current count when they render: a count in the payload would be one more
    # query while this transaction holds the event's row (see app/domain/changelog.py, _take_turn).
    record_change(session, event_id=saved_id(event), kind=Change.interest_changed, payload={"topic_id": topic.id})
    session.commit()
    return True


def unmark_topic(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Remove the mark; True if there was one. Unmarking twice is not an error."""
    phases.require_phase(event, "unmark")
    _lock_attendee(session, attendee)
    result = session.exec(_REMOVE, params={"attendee": attendee.id, "topic": topic.id})
    if not result.rowcount:
        session.rollback()
        return False
    # Screens read the current count when they render: a count in the payload would be one more
    # query while this transaction holds the event's row (see app/domain/changelog.py, _take_turn).
    record_change(session, event_id=saved_id(event), kind=Change.interest_changed, payload={"topic_id": topic.id})
    session.commit()
    return True


def set_mark(session: Session, *, event: Event, attendee: Attendee, topic: Topic, marked: bool) -> bool:
    """A tap from the phone's card or the API: mark or unmark as it says, never a toggle (a retried
    tap keeps its meaning). True if something changed."""
    change = mark_topic if marked else unmark_topic
    return change(session, event=event, attendee=attendee, topic=topic)
